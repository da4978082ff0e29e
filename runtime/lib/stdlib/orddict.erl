%% orddict: key-value dictionaries as ordered lists, as OTP 25's stdlib
%% module.
%%
%% An orddict is a list of {Key, Value} pairs in ascending key order,
%% one pair per key: orddict:new() is [], and a student can print one or
%% hand it to lists. Keys compare with < and > (1 and 1.0 are the same
%% key), so a walk stops as soon as it passes the key's place; storing
%% under an equal key puts the new key in place with its value.
%%
%% fetch/2 and update/3 need the key to be there: otherwise, like any
%% function given something that is not an orddict, they fail with
%% function_clause. The -file lines put the functions on orddict.erl's
%% lines, so the shell reports such errors as erl does.

-module(orddict).

-export([new/0, is_key/2, to_list/1, from_list/1, size/1, is_empty/1]).
-export([fetch/2, find/2, fetch_keys/1, erase/2, take/2]).
-export([store/3, append/3, append_list/3, update/3, update/4, update_counter/3]).
-export([fold/3, map/2, filter/2, merge/3]).

-export_type([orddict/0, orddict/2]).

-type orddict() :: orddict(_, _).
-type orddict(Key, Value) :: [{Key, Value}].

-file("orddict.erl", 40).
new() -> [].

-file("orddict.erl", 45).
is_key(Key, [{K, _} | _]) when Key < K -> false;
is_key(Key, [{K, _} | Dict]) when Key > K -> is_key(Key, Dict);
is_key(_, [{_, _} | _]) -> true;
is_key(_, []) -> false.

-file("orddict.erl", 54).
to_list(Dict) -> Dict.

%% Sorted by key; of pairs with equal keys the last one counts (the list
%% is reversed for ukeysort, which keeps the first).
-file("orddict.erl", 60).
from_list([]) -> [];
from_list([{_, _}] = Pair) -> Pair;
from_list(Pairs) ->
    lists:ukeysort(1, reverse_pairs(Pairs, [])).

-file("orddict.erl", 68).
size(D) -> length(D).

-file("orddict.erl", 73).
is_empty([]) -> true;
is_empty([_ | _]) -> false.

%% The key must be there.
-file("orddict.erl", 79).
fetch(Key, [{K, _} | D]) when Key > K -> fetch(Key, D);
fetch(Key, [{K, Value} | _]) when Key == K -> Value.

-file("orddict.erl", 85).
find(Key, [{K, _} | _]) when Key < K -> error;
find(Key, [{K, _} | D]) when Key > K -> find(Key, D);
find(_, [{_, Value} | _]) -> {ok, Value};
find(_, []) -> error.

-file("orddict.erl", 94).
fetch_keys([{Key, _} | Dict]) ->
    [Key | fetch_keys(Dict)];
fetch_keys([]) -> [].

-file("orddict.erl", 102).
erase(Key, [{K, _} = E | Dict]) when Key < K -> [E | Dict];
erase(Key, [{K, _} = E | Dict]) when Key > K ->
    [E | erase(Key, Dict)];
erase(_, [{_, _} | Dict]) -> Dict;
erase(_, []) -> [].

%% {Value, Dict without Key}, or error. The pairs passed over are kept
%% reversed in Acc and put back in front of the rest.
-file("orddict.erl", 114).
take(Key, Dict) ->
    take_1(Key, Dict, []).

-file("orddict.erl", 117).
take_1(Key, [{K, _} | _], _Acc) when Key < K ->
    error;
take_1(Key, [{K, _} = P | D], Acc) when Key > K ->
    take_1(Key, D, [P | Acc]);
take_1(_, [{_, Value} | D], Acc) ->
    {Value, lists:reverse(Acc, D)};
take_1(_, [], _) -> error.

-file("orddict.erl", 129).
store(Key, New, [{K, _} | _] = Dict) when Key < K ->
    [{Key, New} | Dict];
store(Key, New, [{K, _} = E | Dict]) when Key > K ->
    [E | store(Key, New, Dict)];
store(Key, New, [{_, _} | Dict]) ->
    [{Key, New} | Dict];
store(Key, New, []) -> [{Key, New}].

%% The value under Key is a list: New goes at its end.
-file("orddict.erl", 141).
append(Key, New, [{K, _} | _] = Dict) when Key < K ->
    [{Key, [New]} | Dict];
append(Key, New, [{K, _} = E | Dict]) when Key > K ->
    [E | append(Key, New, Dict)];
append(Key, New, [{_, Old} | Dict]) ->
    [{Key, Old ++ [New]} | Dict];
append(Key, New, []) -> [{Key, [New]}].

-file("orddict.erl", 154).
append_list(Key, NewList, [{K, _} | _] = Dict) when Key < K ->
    [{Key, NewList} | Dict];
append_list(Key, NewList, [{K, _} = E | Dict]) when Key > K ->
    [E | append_list(Key, NewList, Dict)];
append_list(Key, NewList, [{_, Old} | Dict]) ->
    [{Key, Old ++ NewList} | Dict];
append_list(Key, NewList, []) ->
    [{Key, NewList}].

%% The key must be there.
-file("orddict.erl", 168).
update(Key, Fun, [{K, _} = E | Dict]) when Key > K ->
    [E | update(Key, Fun, Dict)];
update(Key, Fun, [{K, Val} | Dict]) when Key == K ->
    [{Key, Fun(Val)} | Dict].

%% Init when the key is not there.
-file("orddict.erl", 179).
update(Key, _, Init, [{K, _} | _] = Dict) when Key < K ->
    [{Key, Init} | Dict];
update(Key, Fun, Init, [{K, _} = E | Dict]) when Key > K ->
    [E | update(Key, Fun, Init, Dict)];
update(Key, Fun, _Init, [{_, Val} | Dict]) ->
    [{Key, Fun(Val)} | Dict];
update(Key, _, Init, []) -> [{Key, Init}].

-file("orddict.erl", 192).
update_counter(Key, Incr, [{K, _} | _] = Dict) when Key < K ->
    [{Key, Incr} | Dict];
update_counter(Key, Incr, [{K, _} = E | Dict]) when Key > K ->
    [E | update_counter(Key, Incr, Dict)];
update_counter(Key, Incr, [{_, Val} | Dict]) ->
    [{Key, Val + Incr} | Dict];
update_counter(Key, Incr, []) -> [{Key, Incr}].

%% The fun is checked when the end is reached (an empty dict too).
-file("orddict.erl", 208).
fold(F, Acc, [{Key, Val} | D]) ->
    fold(F, F(Key, Val, Acc), D);
fold(F, Acc, []) when is_function(F, 3) -> Acc.

-file("orddict.erl", 217).
map(F, [{Key, Val} | D]) ->
    [{Key, F(Key, Val)} | map(F, D)];
map(F, []) when is_function(F, 2) -> [].

-file("orddict.erl", 226).
filter(F, [{Key, Val} = E | D]) ->
    case F(Key, Val) of
        true -> [E | filter(F, D)];
        false -> filter(F, D)
    end;
%%
filter(F, []) when is_function(F, 2) -> [].

%% Both in key order; F(Key, Value1, Value2) decides for keys in both.
-file("orddict.erl", 239).
merge(F, [{K1, _} = E1 | D1], [{K2, _} = E2 | D2]) when K1 < K2 ->
    [E1 | merge(F, D1, [E2 | D2])];
merge(F, [{K1, _} = E1 | D1], [{K2, _} = E2 | D2]) when K1 > K2 ->
    [E2 | merge(F, [E1 | D1], D2)];
merge(F, [{K1, V1} | D1], [{_, V2} | D2]) ->
    [{K1, F(K1, V1, V2)} | merge(F, D1, D2)];
merge(F, [], D2) when is_function(F, 3) -> D2;
merge(F, D1, []) when is_function(F, 3) -> D1.

%% The pairs reversed; anything else in the list fails here.
-file("orddict.erl", 248).
reverse_pairs([{_, _} = H | T], Acc) ->
    reverse_pairs(T, [H | Acc]);
reverse_pairs([], Acc) -> Acc.
