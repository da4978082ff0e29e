%% sets: unordered sets, as OTP 25's stdlib module, in both of OTP's
%% representations.
%%
%% Version 1 (sets:new(), the default) is the linear hash table of dict
%% (see dict.erl) with the elements themselves in the buckets: a record
%% #set{} that prints as {set,0,16,16,8,80,48,{[],...},{{[],...}}}. A new
%% element goes at the head of its bucket; elements match exactly (=:=).
%% With erlang:phash/2 being BEAM's, a set built here has the same
%% buckets, prints the same and lists in the same order as erl's.
%%
%% Version 2 (sets:new([{version, 2}])) is a map with the elements as
%% keys and [] as every value: #{a => [], b => []}. The functions take
%% either kind; an operation on two sets of version 2 gives version 2.
%%
%% Errors are OTP's: a term that is not a set fails with function_clause
%% in the function OTP fails in. The -file lines put the functions on
%% sets.erl's lines, so the shell reports them as erl does.

-module(sets).

-export([new/0, is_set/1, size/1, is_empty/1, to_list/1, from_list/1]).
-export([is_element/2, add_element/2, del_element/2]).
-export([union/2, union/1, intersection/2, intersection/1]).
-export([is_disjoint/2]).
-export([subtract/2, is_subset/2]).
-export([fold/3, filter/2]).
-export([new/1, from_list/2]).

-export_type([set/0, set/1]).

-compile([{nowarn_deprecated_function, [{erlang, phash, 2}]}]).
-compile({no_auto_import, [size/1]}).

%% what a version 2 set maps every element to
-define(VALUE, []).

-define(SEG_SIZE, 16).
-define(EXPAND_LOAD, 5).
-define(CONTRACT_LOAD, 3).

-type seg() :: tuple().
-type segs(_Element) :: tuple().

-record(set,
        {size = 0 :: non_neg_integer(),                        % elements
         n = ?SEG_SIZE :: non_neg_integer(),                   % active slots
         maxn = ?SEG_SIZE :: pos_integer(),                    % slots of this doubling
         bso = ?SEG_SIZE div 2 :: non_neg_integer(),           % buddy slot offset
         exp_size = ?SEG_SIZE * ?EXPAND_LOAD :: non_neg_integer(),   % grow above this size
         con_size = ?SEG_SIZE * ?CONTRACT_LOAD :: non_neg_integer(), % shrink below it
         empty :: seg(),                                       % an empty segment
         segs :: segs(_)}).

-type set() :: set(_).
-opaque set(Element) :: #set{segs :: segs(Element)} | #{Element => ?VALUE}.

-file("sets.erl", 92).
new() ->
    Empty = list_to_tuple(lists:duplicate(?SEG_SIZE, [])),
    #set{empty = Empty, segs = {Empty}}.

%% [{version, 2}] for a map; anything else is looked up as a proplist.
-file("sets.erl", 97).
new([{version, 2}]) ->
    #{};
new(Opts) ->
    case proplists:get_value(version, Opts, 1) of
        1 -> new();
        2 -> new([{version, 2}])
    end.

-file("sets.erl", 110).
from_list(Ls) ->
    lists:foldl(fun(E, S) -> add_element(E, S) end, new(), Ls).

-file("sets.erl", 116).
from_list(Ls, [{version, 2}]) ->
    maps:from_keys(Ls, ?VALUE);
from_list(Ls, Opts) ->
    case proplists:get_value(version, Opts, 1) of
        1 -> from_list(Ls);
        2 -> from_list(Ls, [{version, 2}])
    end.

%% Any map counts as a set of version 2.
-file("sets.erl", 130).
is_set(#{}) -> true;
is_set(#set{}) -> true;
is_set(_) -> false.

-file("sets.erl", 138).
size(#{} = S) -> map_size(S);
size(#set{size = Size}) -> Size.

-file("sets.erl", 145).
is_empty(#{} = S) -> map_size(S) =:= 0;
is_empty(#set{size = Size}) -> Size =:= 0.

-file("sets.erl", 153).
to_list(#{} = S) ->
    maps:keys(S);
to_list(#set{} = S) ->
    fold(fun(Elem, List) -> [Elem | List] end, [], S).

-file("sets.erl", 162).
is_element(E, #{} = S) ->
    is_map_key(E, S);
is_element(E, #set{} = S) ->
    Slot = get_slot(S, E),
    Bkt = get_bucket(S, Slot),
    lists:member(E, Bkt).

%% A new element goes at the head of its bucket.
-file("sets.erl", 177).
add_element(E, #{} = S) ->
    S#{E => ?VALUE};
add_element(E, #set{} = S0) ->
    Slot = get_slot(S0, E),
    Bkt = get_bucket(S0, Slot),
    case lists:member(E, Bkt) of
        true ->
            S0;
        false ->
            S1 = update_bucket(S0, Slot, [E | Bkt]),
            maybe_expand(S1)
    end.

-file("sets.erl", 195).
del_element(E, #{} = S) ->
    maps:remove(E, S);
del_element(E, #set{} = S0) ->
    Slot = get_slot(S0, E),
    Bkt = get_bucket(S0, Slot),
    case lists:member(E, Bkt) of
        false ->
            S0;
        true ->
            S1 = update_bucket(S0, Slot, lists:delete(E, Bkt)),
            maybe_contract(S1, 1)
    end.

update_bucket(Set, Slot, NewBucket) ->
    SegI = ((Slot - 1) div ?SEG_SIZE) + 1,
    BktI = ((Slot - 1) rem ?SEG_SIZE) + 1,
    Segs = Set#set.segs,
    Seg = element(SegI, Segs),
    Set#set{segs = setelement(SegI, Segs, setelement(BktI, Seg, NewBucket))}.

%% The smaller set's elements are added to the bigger one.
-file("sets.erl", 228).
union(#{} = S1, #{} = S2) ->
    maps:merge(S1, S2);
union(S1, S2) ->
    case size(S1) < size(S2) of
        true ->
            fold(fun(E, S) -> add_element(E, S) end, S2, S1);
        false ->
            fold(fun(E, S) -> add_element(E, S) end, S1, S2)
    end.

-file("sets.erl", 243).
union([S1, S2 | Ss]) ->
    union1(union(S1, S2), Ss);
union([S]) -> S;
union([]) -> new().

union1(S1, [S2 | Ss]) ->
    union1(union(S1, S2), Ss);
union1(S1, []) -> S1.

%% The smaller set, less what the bigger one lacks.
-file("sets.erl", 259).
intersection(#{} = S1, #{} = S2) ->
    case map_size(S1) < map_size(S2) of
        true -> keep_keys(S1, S2, true);
        false -> keep_keys(S2, S1, true)
    end;
%% A set of version 1 on either side: the smaller one filtered (its
%% version is the result's). Both of version 2: a map again, whichever
%% is smaller walked, so the cost is that of the smaller set.
%%
intersection(S1, S2) ->
    case size(S1) < size(S2) of
        true ->
            filter(fun(E) -> is_element(E, S2) end, S1);
        false ->
            filter(fun(E) -> is_element(E, S1) end, S2)
    end.

%% The keys of map S whose presence in Ref is InRef.
keep_keys(S, Ref, InRef) ->
    maps:from_keys([K || K <- maps:keys(S), is_map_key(K, Ref) =:= InRef], ?VALUE).

%% At least one set: intersection([]) has no answer.
-file("sets.erl", 308).
intersection([S1, S2 | Ss]) ->
    intersection1(intersection(S1, S2), Ss);
intersection([S]) -> S.

intersection1(S1, [S2 | Ss]) ->
    intersection1(intersection(S1, S2), Ss);
intersection1(S1, []) -> S1.

-file("sets.erl", 322).
is_disjoint(#{} = S1, #{} = S2) ->
    if
        map_size(S1) < map_size(S2) ->
            is_disjoint_1(S2, maps:iterator(S1));
        true ->
            is_disjoint_1(S1, maps:iterator(S2))
    end;
is_disjoint(S1, S2) ->
    case size(S1) < size(S2) of
        true ->
            fold(fun(_, false) -> false;
                    (E, true) -> not is_element(E, S2)
                 end, true, S1);
        false ->
            fold(fun(_, false) -> false;
                    (E, true) -> not is_element(E, S1)
                 end, true, S2)
    end.

%% No element of the iterator is a key of Set.
is_disjoint_1(Set, Iter) ->
    case maps:next(Iter) of
        {K, _, NextIter} ->
            case Set of
                #{K := _} -> false;
                #{} -> is_disjoint_1(Set, NextIter)
            end;
        none ->
            true
    end.

-file("sets.erl", 360).
subtract(#{} = S1, #{} = S2) ->
    keep_keys(S1, S2, false);
subtract(S1, S2) ->
    filter(fun(E) -> not is_element(E, S2) end, S1).

-file("sets.erl", 398).
is_subset(#{} = S1, #{} = S2) ->
    if
        map_size(S1) > map_size(S2) ->
            false;
        true ->
            is_subset_1(S2, maps:iterator(S1))
    end;
is_subset(S1, S2) ->
    fold(fun(E, Sub) -> Sub andalso is_element(E, S2) end, true, S1).

%% Every element of the iterator is a key of Set.
is_subset_1(Set, Iter) ->
    case maps:next(Iter) of
        {K, _, NextIter} ->
            case Set of
                #{K := _} -> is_subset_1(Set, NextIter);
                #{} -> false
            end;
        none ->
            true
    end.

-file("sets.erl", 428).
fold(F, Acc, #{} = D) when is_function(F, 2) ->
    fold_1(F, Acc, maps:iterator(D));
fold(F, Acc, #set{} = D) when is_function(F, 2) ->
    fold_set(F, Acc, D).

-file("sets.erl", 433).
fold_1(Fun, Acc, Iter) ->
    case maps:next(Iter) of
        {K, _, NextIter} ->
            fold_1(Fun, Fun(K, Acc), NextIter);
        none ->
            Acc
    end.

-file("sets.erl", 447).
filter(F, #{} = D) when is_function(F, 1) ->
    maps:from_keys(filter_1(F, maps:iterator(D)), ?VALUE);
filter(F, #set{} = D) when is_function(F, 1) ->
    filter_set(F, D).

-file("sets.erl", 452).
filter_1(Fun, Iter) ->
    case maps:next(Iter) of
        {K, _, NextIter} ->
            case Fun(K) of
                true ->
                    [K | filter_1(Fun, NextIter)];
                false ->
                    filter_1(Fun, NextIter)
            end;
        none ->
            []
    end.

%%% The hash table of version 1 (as dict's)

%% The active slot for an element: its slot of this doubling if active,
%% else its buddy's.
-file("sets.erl", 469).
get_slot(T, Key) ->
    H = erlang:phash(Key, T#set.maxn),
    if
        H > T#set.n -> H - T#set.bso;
        true -> H
    end.

get_bucket(T, Slot) -> get_bucket_s(T#set.segs, Slot).

%% Segments, then buckets, from the last down; each bucket in order.
-file("sets.erl", 488).
fold_set(F, Acc, D) ->
    Segs = D#set.segs,
    fold_segs(F, Acc, Segs, tuple_size(Segs)).

-file("sets.erl", 492).
fold_segs(F, Acc, Segs, I) when I >= 1 ->
    Seg = element(I, Segs),
    fold_segs(F, fold_seg(F, Acc, Seg, tuple_size(Seg)), Segs, I - 1);
fold_segs(_, Acc, _, _) -> Acc.

fold_seg(F, Acc, Seg, I) when I >= 1 ->
    fold_seg(F, fold_bucket(F, Acc, element(I, Seg)), Seg, I - 1);
fold_seg(_, Acc, _, _) -> Acc.

fold_bucket(F, Acc, [E | Bkt]) ->
    fold_bucket(F, F(E, Acc), Bkt);
fold_bucket(_, Acc, []) -> Acc.

%% Filtering counts the elements dropped (Fc): the table may shrink a
%% slot. The buckets come out reversed, as OTP's do.
-file("sets.erl", 505).
filter_set(F, D) ->
    Segs0 = tuple_to_list(D#set.segs),
    {Segs1, Fc} = filter_seg_list(F, Segs0, [], 0),
    maybe_contract(D#set{segs = list_to_tuple(Segs1)}, Fc).

-file("sets.erl", 510).
filter_seg_list(F, [Seg | Segs], Fss, Fc0) ->
    Bkts0 = tuple_to_list(Seg),
    {Bkts1, Fc1} = filter_bkt_list(F, Bkts0, [], Fc0),
    filter_seg_list(F, Segs, [list_to_tuple(Bkts1) | Fss], Fc1);
filter_seg_list(_, [], Fss, Fc) ->
    {lists:reverse(Fss), Fc}.

-file("sets.erl", 517).
filter_bkt_list(F, [Bkt0 | Bkts], Fbs, Fc0) ->
    {Bkt1, Fc1} = filter_bucket(F, Bkt0, [], Fc0),
    filter_bkt_list(F, Bkts, [Bkt1 | Fbs], Fc1);
filter_bkt_list(_, [], Fbs, Fc) ->
    {lists:reverse(Fbs), Fc}.

-file("sets.erl", 523).
filter_bucket(F, [E | Bkt], Fb, Fc) ->
    case F(E) of
        true -> filter_bucket(F, Bkt, [E | Fb], Fc);
        false -> filter_bucket(F, Bkt, Fb, Fc + 1)
    end;
filter_bucket(_, [], Fb, Fc) -> {Fb, Fc}.

%% Slot S (1-based) is bucket (S-1) rem 16 + 1 of segment (S-1) div 16 + 1.
get_bucket_s(Segs, Slot) ->
    SegI = ((Slot - 1) div ?SEG_SIZE) + 1,
    BktI = ((Slot - 1) rem ?SEG_SIZE) + 1,
    element(BktI, element(SegI, Segs)).

put_bucket_s(Segs, Slot, Bkt) ->
    SegI = ((Slot - 1) div ?SEG_SIZE) + 1,
    BktI = ((Slot - 1) rem ?SEG_SIZE) + 1,
    Seg = setelement(BktI, element(SegI, Segs), Bkt),
    setelement(SegI, Segs, Seg).

%% One element was added: above the load limit, activate slot N+1 and
%% split its buddy's bucket between the two by the hash over the new
%% doubling.
maybe_expand(T0) when T0#set.size + 1 > T0#set.exp_size ->
    T = maybe_expand_segs(T0),
    N = T#set.n + 1,
    Segs0 = T#set.segs,
    Buddy = N - T#set.bso,
    {Stay, Move} = rehash(get_bucket_s(Segs0, Buddy), Buddy, N, T#set.maxn),
    Segs1 = put_bucket_s(Segs0, Buddy, Stay),
    Segs2 = put_bucket_s(Segs1, N, Move),
    T#set{size = T#set.size + 1,
          n = N,
          exp_size = N * ?EXPAND_LOAD,
          con_size = N * ?CONTRACT_LOAD,
          segs = Segs2};
maybe_expand(T) -> T#set{size = T#set.size + 1}.

%% All slots of this doubling active: twice the segments, the new empty.
maybe_expand_segs(T) when T#set.n =:= T#set.maxn ->
    Segs = T#set.segs,
    T#set{maxn = 2 * T#set.maxn,
          bso = 2 * T#set.bso,
          segs = list_to_tuple(tuple_to_list(Segs) ++
                                   lists:duplicate(tuple_size(Segs), T#set.empty))};
maybe_expand_segs(T) -> T.

%% Dc elements were removed: below the load limit, the last active slot's
%% bucket joins its buddy's and the slot goes inactive.
maybe_contract(T, Dc) when T#set.size - Dc < T#set.con_size,
                           T#set.n > ?SEG_SIZE ->
    N = T#set.n,
    Buddy = N - T#set.bso,
    Segs0 = T#set.segs,
    Joined = get_bucket_s(Segs0, Buddy) ++ get_bucket_s(Segs0, N),
    Segs1 = put_bucket_s(Segs0, Buddy, Joined),
    Segs2 = put_bucket_s(Segs1, N, []),
    N1 = N - 1,
    maybe_contract_segs(T#set{size = T#set.size - Dc,
                              n = N1,
                              exp_size = N1 * ?EXPAND_LOAD,
                              con_size = N1 * ?CONTRACT_LOAD,
                              segs = Segs2});
maybe_contract(T, Dc) -> T#set{size = T#set.size - Dc}.

%% Back to half the slots active: the upper half of the segments goes.
maybe_contract_segs(T) when T#set.n =:= T#set.bso ->
    Segs = T#set.segs,
    T#set{maxn = T#set.maxn div 2,
          bso = T#set.bso div 2,
          segs = list_to_tuple(lists:sublist(tuple_to_list(Segs), tuple_size(Segs) div 2))};
maybe_contract_segs(T) -> T.

%% A bucket's elements split, in order, between the slots Stay and Move.
rehash([E | T], Stay, Move, MaxN) ->
    {L1, L2} = rehash(T, Stay, Move, MaxN),
    case erlang:phash(E, MaxN) of
        Stay -> {[E | L1], L2};
        Move -> {L1, [E | L2]}
    end;
rehash([], _, _, _) -> {[], []}.
