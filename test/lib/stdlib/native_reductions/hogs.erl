%% Native library functions over long inputs, each looped on by a hog process while this one
%% makes round trips with fresh processes: with every call charged by the elements it walks or
%% builds, the hog yields between calls and the trips go through. Also: one call's reductions.
-module(hogs).
-export([run/0]).

-define(LIST, 200000).
-define(MAP, 50000).
-define(TABLE, 50000).
-define(BAG, 20000).
-define(TEXT, 100000).

%% {Name, Fun, Elements}: Fun is called in the loop; one call must charge at least Elements/32
%% (half of one reduction per 16 elements).
ops() ->
  L = lists:seq(1, ?LIST),
  KL = [{X, X} || X <- L],
  Empties = lists:duplicate(?LIST, []),
  M = maps:from_list([{X, X} || X <- lists:seq(1, ?MAP)]),
  M2 = maps:from_list([{X, X} || X <- lists:seq(?MAP, 2 * ?MAP)]),
  MKL = maps:to_list(M),
  MK = maps:keys(M),
  E = ets:new(e, [set, public]),
  ets:insert(E, MKL),
  Bag = ets:new(bag, [duplicate_bag, public]),
  ets:insert(Bag, [{k, X} || X <- lists:seq(1, ?BAG)]),
  S = lists:duplicate(?TEXT, $a),
  SC = lists:append(lists:duplicate(?TEXT div 5, "abcd,")),
  SB = list_to_binary(SC),
  [{"lists:member", fun() -> lists:member(x, L) end, ?LIST},
   {"lists:reverse", fun() -> lists:reverse(L) end, ?LIST},
   {"lists:reverse/2", fun() -> lists:reverse(L, []) end, ?LIST},
   {"lists:nth", fun() -> lists:nth(?LIST, L) end, ?LIST},
   {"lists:nthtail", fun() -> lists:nthtail(?LIST, L) end, ?LIST},
   {"lists:last", fun() -> lists:last(L) end, ?LIST},
   {"lists:seq", fun() -> lists:seq(1, ?LIST) end, ?LIST},
   {"lists:sum", fun() -> lists:sum(L) end, ?LIST},
   {"lists:max", fun() -> lists:max(L) end, ?LIST},
   {"lists:min", fun() -> lists:min(L) end, ?LIST},
   {"lists:duplicate", fun() -> lists:duplicate(?LIST, x) end, ?LIST},
   {"lists:keyfind", fun() -> lists:keyfind(x, 1, KL) end, ?LIST},
   {"lists:keymember", fun() -> lists:keymember(x, 1, KL) end, ?LIST},
   {"lists:keysearch", fun() -> lists:keysearch(x, 1, KL) end, ?LIST},
   {"lists:keydelete", fun() -> lists:keydelete(x, 1, KL) end, ?LIST},
   {"lists:keytake", fun() -> lists:keytake(x, 1, KL) end, ?LIST},
   {"lists:keyreplace", fun() -> lists:keyreplace(x, 1, KL, {y}) end, ?LIST},
   {"lists:prefix", fun() -> lists:prefix(L, L) end, ?LIST},
   {"lists:suffix", fun() -> lists:suffix([x], L) end, ?LIST},
   {"lists:delete", fun() -> lists:delete(x, L) end, ?LIST},
   {"lists:flatten", fun() -> lists:flatten(Empties) end, ?LIST},
   {"lists:concat", fun() -> lists:concat(Empties) end, ?LIST},
   {"lists:sublist/3", fun() -> lists:sublist(L, ?LIST, 1) end, ?LIST},
   {"lists:append", fun() -> lists:append(L, [x]) end, ?LIST},
   {"lists:append/1", fun() -> lists:append([L, [x]]) end, ?LIST},
   {"lists:subtract", fun() -> lists:subtract(L, [x]) end, ?LIST},
   {"maps:keys", fun() -> maps:keys(M) end, ?MAP},
   {"maps:values", fun() -> maps:values(M) end, ?MAP},
   {"maps:to_list", fun() -> maps:to_list(M) end, ?MAP},
   {"maps:from_list", fun() -> maps:from_list(MKL) end, ?MAP},
   {"maps:from_keys", fun() -> maps:from_keys(MK, 0) end, ?MAP},
   {"maps:merge", fun() -> maps:merge(M, M2) end, ?MAP},
   {"maps:with", fun() -> maps:with(MK, M) end, ?MAP},
   {"maps:without", fun() -> maps:without(MK, M) end, ?MAP},
   {"maps:next", fun() -> maps:next(maps:iterator(M)) end, ?MAP},
   {"ets:tab2list", fun() -> ets:tab2list(E) end, ?TABLE},
   {"ets:select", fun() -> ets:select(E, [{{'$1', '$2'}, [{'<', '$1', 0}], ['$1']}]) end, ?TABLE},
   {"ets:select/3", fun() -> ets:select(E, [{{'$1', '$2'}, [{'<', '$1', 0}], ['$1']}], 1) end, ?TABLE},
   {"ets:select_reverse", fun() -> ets:select_reverse(E, [{{'$1', '$2'}, [{'<', '$1', 0}], ['$1']}]) end, ?TABLE},
   {"ets:select_count", fun() -> ets:select_count(E, [{{'$1', '$2'}, [{'<', '$1', 0}], [true]}]) end, ?TABLE},
   {"ets:select_delete", fun() -> ets:select_delete(E, [{{'$1', '$2'}, [{'<', '$1', 0}], [true]}]) end, ?TABLE},
   {"ets:match", fun() -> ets:match(E, {'$1', -1}) end, ?TABLE},
   {"ets:match_object", fun() -> ets:match_object(E, {'_', -1}) end, ?TABLE},
   {"ets:match_delete", fun() -> ets:match_delete(E, {'_', -1}) end, ?TABLE},
   {"ets:insert", fun() -> ets:insert(E, MKL) end, ?TABLE},
   {"ets:info memory", fun() -> ets:info(E, memory) end, ?TABLE},
   {"ets:lookup bag", fun() -> ets:lookup(Bag, k) end, ?BAG},
   {"string:tokens", fun() -> string:tokens(SC, ",") end, ?TEXT},
   {"string:split", fun() -> string:split(SC, ",", all) end, ?TEXT},
   {"string:lexemes", fun() -> string:lexemes(SB, ",") end, ?TEXT},
   {"string:replace", fun() -> string:replace(SC, ",", ";", all) end, ?TEXT},
   {"string:length", fun() -> string:length(S) end, ?TEXT},
   {"string:str", fun() -> string:str(S, "b") end, ?TEXT},
   {"string:uppercase", fun() -> string:uppercase(SB) end, ?TEXT},
   {"unicode:characters_to_binary", fun() -> unicode:characters_to_binary(S) end, ?TEXT},
   {"unicode:characters_to_list", fun() -> unicode:characters_to_list(SB) end, ?TEXT},
   {"unicode:characters_to_nfc_list", fun() -> unicode:characters_to_nfc_list(S) end, ?TEXT}].

loop(F) -> F(), loop(F).

%% N round trips, each with a fresh process
trips(0) -> ok;
trips(N) ->
  Me = self(),
  spawn(fun() -> Me ! N end),
  receive N -> trips(N - 1) end.

reductions(F) ->
  {reductions, R0} = process_info(self(), reductions),
  F(),
  {reductions, R1} = process_info(self(), reductions),
  R1 - R0.

check({Name, F, Elements}) ->
  R = reductions(F),
  Hog = spawn(fun() -> loop(F) end),
  receive after 10 -> ok end,
  ok = trips(50),
  exit(Hog, kill),
  Verdict = if R >= Elements div 32 -> "ok"; true -> io_lib:format("charged only ~p", [R]) end,
  io:format("~s ~s~n", [Name, Verdict]).

run() -> lists:foreach(fun check/1, ops()).
