%% dict: key-value dictionaries, as OTP 25's stdlib module.
%%
%% A dict is a linear hash table (Litwin's dynamic hashing): a record
%% #dict{} holding its size, the number of active slots N, the slot count
%% MaxN of the current doubling, and a tuple of segments of 16 buckets
%% each. A bucket is a list of [Key | Value] cells. A key goes in slot
%% erlang:phash(Key, MaxN), or, when that slot is not yet active (above
%% N), in its buddy half a doubling below. The table grows one slot at a
%% time: when the size passes 5 per slot the next slot becomes active and
%% its buddy's keys are split between the two; it shrinks likewise below
%% 3 per slot. So a dict:new() prints as erl's
%%
%%     {dict,0,16,16,8,80,48,{[],...},{{[],...}}}
%%
%% and, with erlang:phash/2 being BEAM's, every dict built here has the
%% same buckets, prints the same and lists in the same order as erl's.
%% Keys match exactly (=:=): 1 and 1.0 are different keys.
%%
%% Errors are OTP's: a missing key for fetch/2 and update/3 is badarg
%% with the arguments; a term that is not a dict fails with
%% {badrecord, Term} or function_clause where OTP's does. The -file lines
%% put the functions on dict.erl's lines, so the shell reports them as
%% erl does.

-module(dict).

-export([new/0, is_key/2, to_list/1, from_list/1, size/1, is_empty/1]).
-export([fetch/2, find/2, fetch_keys/1, erase/2, take/2]).
-export([store/3, append/3, append_list/3, update/3, update/4, update_counter/3]).
-export([fold/3, map/2, filter/2, merge/3]).

-export_type([dict/0, dict/2]).

-compile([{nowarn_deprecated_function, [{erlang, phash, 2}]}]).

-define(SEG_SIZE, 16).
-define(EXPAND_LOAD, 5).
-define(CONTRACT_LOAD, 3).

-type segs(_Key, _Value) :: tuple().

-record(dict,
        {size = 0 :: non_neg_integer(),                        % entries
         n = ?SEG_SIZE :: non_neg_integer(),                   % active slots
         maxn = ?SEG_SIZE :: non_neg_integer(),                % slots of this doubling
         bso = ?SEG_SIZE div 2 :: non_neg_integer(),           % buddy slot offset
         exp_size = ?SEG_SIZE * ?EXPAND_LOAD :: non_neg_integer(),   % grow above this size
         con_size = ?SEG_SIZE * ?CONTRACT_LOAD :: non_neg_integer(), % shrink below it
         empty :: tuple(),                                     % an empty segment
         segs :: segs(_, _)}).

-type dict() :: dict(_, _).
-opaque dict(Key, Value) :: #dict{segs :: segs(Key, Value)}.

-file("dict.erl", 83).
new() ->
    Empty = list_to_tuple(lists:duplicate(?SEG_SIZE, [])),
    #dict{empty = Empty, segs = {Empty}}.

-file("dict.erl", 90).
is_key(Key, D) ->
    Slot = get_slot(D, Key),
    Bkt = get_bucket(D, Slot),
    find_key(Key, Bkt).

find_key(K, [[K | _] | _]) -> true;
find_key(K, [_ | Bkt]) -> find_key(K, Bkt);
find_key(_, []) -> false.

%% The last segment's last bucket first, each bucket in its order, so the
%% pairs come out as erl lists them.
-file("dict.erl", 103).
to_list(D) ->
    fold(fun(Key, Val, List) -> [{Key, Val} | List] end, [], D).

-file("dict.erl", 110).
from_list(L) ->
    lists:foldl(fun({K, V}, D) -> store(K, V, D) end, new(), L).

-file("dict.erl", 116).
size(#dict{size = N}) when is_integer(N), N >= 0 -> N.

-file("dict.erl", 121).
is_empty(#dict{size = N}) -> N =:= 0.

%% The key must be there: badarg with the arguments otherwise.
-file("dict.erl", 126).
fetch(Key, D) ->
    Slot = get_slot(D, Key),
    Bkt = get_bucket(D, Slot),
    try fetch_val(Key, Bkt)
    catch
        badarg -> erlang:error(badarg, [Key, D])
    end.

fetch_val(K, [[K | Val] | _]) -> Val;
fetch_val(K, [_ | Bkt]) -> fetch_val(K, Bkt);
fetch_val(_, []) -> throw(badarg).

-file("dict.erl", 141).
find(Key, D) ->
    Slot = get_slot(D, Key),
    Bkt = get_bucket(D, Slot),
    find_val(Key, Bkt).

find_val(K, [[K | Val] | _]) -> {ok, Val};
find_val(K, [_ | Bkt]) -> find_val(K, Bkt);
find_val(_, []) -> error.

-file("dict.erl", 154).
fetch_keys(D) ->
    fold(fun(Key, _Val, Keys) -> [Key | Keys] end, [], D).

%% Each change to a bucket reports how the size changes (Dc: removed,
%% Ic: added); the table then shrinks or grows a slot if it must.
-file("dict.erl", 163).
erase(Key, D0) ->
    Slot = get_slot(D0, Key),
    {D1, Dc} = on_bucket(fun(B0) -> erase_key(Key, B0) end,
                         D0, Slot),
    maybe_contract(D1, Dc).

erase_key(Key, [[Key | _] | Bkt]) -> {Bkt, 1};
erase_key(Key, [E | Bkt0]) ->
    {Bkt1, Dc} = erase_key(Key, Bkt0),
    {[E | Bkt1], Dc};
erase_key(_, []) -> {[], 0}.

%% {Value, Dict without Key}, or error.
-file("dict.erl", 181).
take(Key, D0) ->
    Slot = get_slot(D0, Key),
    case on_bucket(fun(B0) -> take_key(Key, B0) end, D0, Slot) of
        {D1, {Value, Dc}} ->
            {Value, maybe_contract(D1, Dc)};
        {_, error} -> error
    end.

take_key(Key, [[Key | Val] | Bkt]) ->
    {Bkt, {Val, 1}};
take_key(Key, [E | Bkt0]) ->
    {Bkt1, Res} = take_key(Key, Bkt0),
    {[E | Bkt1], Res};
take_key(_, []) -> {[], error}.

%% A new key goes at the end of its bucket.
-file("dict.erl", 200).
store(Key, Val, D0) ->
    Slot = get_slot(D0, Key),
    {D1, Ic} = on_bucket(fun(B0) -> store_bkt_val(Key, Val, B0) end,
                         D0, Slot),
    maybe_expand(D1, Ic).

store_bkt_val(Key, New, [[Key | _] | Bkt]) -> {[[Key | New] | Bkt], 0};
store_bkt_val(Key, New, [Other | Bkt0]) ->
    {Bkt1, Ic} = store_bkt_val(Key, New, Bkt0),
    {[Other | Bkt1], Ic};
store_bkt_val(Key, New, []) -> {[[Key | New]], 1}.

%% The value under Key is a list: Val goes at its end.
-file("dict.erl", 218).
append(Key, Val, D0) ->
    Slot = get_slot(D0, Key),
    {D1, Ic} = on_bucket(fun(B0) -> append_bkt(Key, Val, B0) end,
                         D0, Slot),
    maybe_expand(D1, Ic).

-file("dict.erl", 226).
append_bkt(Key, Val, [[Key | Bag] | Bkt]) -> {[[Key | Bag ++ [Val]] | Bkt], 0};
append_bkt(Key, Val, [Other | Bkt0]) ->
    {Bkt1, Ic} = append_bkt(Key, Val, Bkt0),
    {[Other | Bkt1], Ic};
append_bkt(Key, Val, []) -> {[[Key, Val]], 1}.

-file("dict.erl", 237).
append_list(Key, L, D0) ->
    Slot = get_slot(D0, Key),
    {D1, Ic} = on_bucket(fun(B0) -> app_list_bkt(Key, L, B0) end,
                         D0, Slot),
    maybe_expand(D1, Ic).

-file("dict.erl", 245).
app_list_bkt(Key, L, [[Key | Bag] | Bkt]) -> {[[Key | Bag ++ L] | Bkt], 0};
app_list_bkt(Key, L, [Other | Bkt0]) ->
    {Bkt1, Ic} = app_list_bkt(Key, L, Bkt0),
    {[Other | Bkt1], Ic};
app_list_bkt(Key, L, []) -> {[[Key | L]], 1}.

%% The key must be there: badarg with the arguments otherwise.
-file("dict.erl", 310).
update(Key, F, D0) ->
    Slot = get_slot(D0, Key),
    try on_bucket(fun(B0) -> update_bkt(Key, F, B0) end, D0, Slot) of
        {D1, _Uv} -> D1
    catch
        badarg -> erlang:error(badarg, [Key, F, D0])
    end.

-file("dict.erl", 318).
update_bkt(Key, F, [[Key | Val] | Bkt]) ->
    Upd = F(Val),
    {[[Key | Upd] | Bkt], Upd};
update_bkt(Key, F, [Other | Bkt0]) ->
    {Bkt1, Upd} = update_bkt(Key, F, Bkt0),
    {[Other | Bkt1], Upd};
update_bkt(_Key, _F, []) ->
    throw(badarg).

%% Init when the key is not there.
-file("dict.erl", 333).
update(Key, F, Init, D0) ->
    Slot = get_slot(D0, Key),
    {D1, Ic} = on_bucket(fun(B0) -> update_bkt(Key, F, Init, B0) end,
                         D0, Slot),
    maybe_expand(D1, Ic).

-file("dict.erl", 339).
update_bkt(Key, F, _, [[Key | Val] | Bkt]) ->
    {[[Key | F(Val)] | Bkt], 0};
update_bkt(Key, F, I, [Other | Bkt0]) ->
    {Bkt1, Ic} = update_bkt(Key, F, I, Bkt0),
    {[Other | Bkt1], Ic};
update_bkt(Key, F, I, []) when is_function(F, 1) -> {[[Key | I]], 1}.

-file("dict.erl", 351).
update_counter(Key, Incr, D0) when is_number(Incr) ->
    Slot = get_slot(D0, Key),
    {D1, Ic} = on_bucket(fun(B0) -> counter_bkt(Key, Incr, B0) end,
                         D0, Slot),
    maybe_expand(D1, Ic).

-file("dict.erl", 359).
counter_bkt(Key, I, [[Key | Val] | Bkt]) ->
    {[[Key | Val + I] | Bkt], 0};
counter_bkt(Key, I, [Other | Bkt0]) ->
    {Bkt1, Ic} = counter_bkt(Key, I, Bkt0),
    {[Other | Bkt1], Ic};
counter_bkt(Key, I, []) -> {[[Key | I]], 1}.

-file("dict.erl", 376).
fold(F, Acc, D) -> fold_dict(F, Acc, D).

-file("dict.erl", 383).
map(F, D) -> map_dict(F, D).

-file("dict.erl", 390).
filter(F, D) -> filter_dict(F, D).

%% The smaller dict's entries go into the bigger one; F(Key, Value1,
%% Value2) decides for keys in both.
-file("dict.erl", 398).
merge(F, D1, D2) when D1#dict.size < D2#dict.size ->
    fold_dict(fun(K, V1, D) ->
                      update(K, fun(V2) -> F(K, V1, V2) end, V1, D)
              end, D2, D1);
merge(F, D1, D2) ->
    fold_dict(fun(K, V2, D) ->
                      update(K, fun(V1) -> F(K, V1, V2) end, V2, D)
              end, D1, D2).

%%% The table

%% The active slot for Key: its slot of this doubling if active, else its
%% buddy's.
-file("dict.erl", 412).
get_slot(T, Key) ->
    H = erlang:phash(Key, T#dict.maxn),
    if
        H > T#dict.n -> H - T#dict.bso;
        true -> H
    end.

-file("dict.erl", 421).
get_bucket(T, Slot) -> get_bucket_s(T#dict.segs, Slot).

%% F(Bucket) -> {NewBucket, Result}: the dict with the new bucket, and
%% the result.
-file("dict.erl", 426).
on_bucket(F, T, Slot) ->
    SegI = ((Slot - 1) div ?SEG_SIZE) + 1,
    BktI = ((Slot - 1) rem ?SEG_SIZE) + 1,
    Segs = T#dict.segs,
    Seg = element(SegI, Segs),
    B0 = element(BktI, Seg),
    {B1, Res} = F(B0),
    {T#dict{segs = setelement(SegI, Segs, setelement(BktI, Seg, B1))}, Res}.

%% Segments, then buckets, from the last down; each bucket in order.
-file("dict.erl", 444).
fold_dict(F, Acc, #dict{size = 0}) when is_function(F, 3) ->
    Acc;
fold_dict(F, Acc, D) ->
    Segs = D#dict.segs,
    fold_segs(F, Acc, Segs, tuple_size(Segs)).

fold_segs(F, Acc, Segs, I) when I >= 1 ->
    Seg = element(I, Segs),
    fold_segs(F, fold_seg(F, Acc, Seg, tuple_size(Seg)), Segs, I - 1);
fold_segs(F, Acc, _, 0) when is_function(F, 3) -> Acc.

fold_seg(F, Acc, Seg, I) when I >= 1 ->
    fold_seg(F, fold_bucket(F, Acc, element(I, Seg)), Seg, I - 1);
fold_seg(F, Acc, _, 0) when is_function(F, 3) -> Acc.

fold_bucket(F, Acc, [[Key | Val] | Bkt]) ->
    fold_bucket(F, F(Key, Val, Acc), Bkt);
fold_bucket(F, Acc, []) when is_function(F, 3) -> Acc.

-file("dict.erl", 463).
map_dict(F, #dict{size = 0} = Dict) when is_function(F, 2) ->
    Dict;
map_dict(F, D) ->
    Segs0 = tuple_to_list(D#dict.segs),
    Segs1 = map_seg_list(F, Segs0),
    D#dict{segs = list_to_tuple(Segs1)}.

map_seg_list(F, [Seg | Segs]) ->
    Bkts0 = tuple_to_list(Seg),
    Bkts1 = map_bkt_list(F, Bkts0),
    [list_to_tuple(Bkts1) | map_seg_list(F, Segs)];
map_seg_list(F, []) when is_function(F, 2) -> [].

map_bkt_list(F, [Bkt0 | Bkts]) ->
    [map_bucket(F, Bkt0) | map_bkt_list(F, Bkts)];
map_bkt_list(F, []) when is_function(F, 2) -> [].

map_bucket(F, [[Key | Val] | Bkt]) ->
    [[Key | F(Key, Val)] | map_bucket(F, Bkt)];
map_bucket(F, []) when is_function(F, 2) -> [].

%% Filtering counts the entries dropped (Fc): the table may shrink a slot.
-file("dict.erl", 484).
filter_dict(F, #dict{size = 0} = Dict) when is_function(F, 2) ->
    Dict;
filter_dict(F, D) ->
    Segs0 = tuple_to_list(D#dict.segs),
    {Segs1, Fc} = filter_seg_list(F, Segs0, [], 0),
    maybe_contract(D#dict{segs = list_to_tuple(Segs1)}, Fc).

filter_seg_list(F, [Seg | Segs], Fss, Fc0) ->
    Bkts0 = tuple_to_list(Seg),
    {Bkts1, Fc1} = filter_bkt_list(F, Bkts0, [], Fc0),
    filter_seg_list(F, Segs, [list_to_tuple(Bkts1) | Fss], Fc1);
filter_seg_list(F, [], Fss, Fc) when is_function(F, 2) ->
    {lists:reverse(Fss), Fc}.

filter_bkt_list(F, [Bkt0 | Bkts], Fbs, Fc0) ->
    {Bkt1, Fc1} = filter_bucket(F, Bkt0, [], Fc0),
    filter_bkt_list(F, Bkts, [Bkt1 | Fbs], Fc1);
filter_bkt_list(F, [], Fbs, Fc) when is_function(F, 2) ->
    {lists:reverse(Fbs), Fc}.

filter_bucket(F, [[Key | Val] = E | Bkt], Fb, Fc) ->
    case F(Key, Val) of
        true -> filter_bucket(F, Bkt, [E | Fb], Fc);
        false -> filter_bucket(F, Bkt, Fb, Fc + 1)
    end;
filter_bucket(F, [], Fb, Fc) when is_function(F, 2) ->
    {lists:reverse(Fb), Fc}.

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

%% Ic entries were added (0 or 1): above the load limit, activate slot
%% N+1 and split its buddy's bucket between the two by the hash over the
%% new doubling.
maybe_expand(T0, Ic) when T0#dict.size + Ic > T0#dict.exp_size ->
    T = maybe_expand_segs(T0),
    N = T#dict.n + 1,
    Segs0 = T#dict.segs,
    Buddy = N - T#dict.bso,
    {Stay, Move} = rehash(get_bucket_s(Segs0, Buddy), Buddy, N, T#dict.maxn),
    Segs1 = put_bucket_s(Segs0, Buddy, Stay),
    Segs2 = put_bucket_s(Segs1, N, Move),
    T#dict{size = T#dict.size + Ic,
           n = N,
           exp_size = N * ?EXPAND_LOAD,
           con_size = N * ?CONTRACT_LOAD,
           segs = Segs2};
maybe_expand(T, Ic) -> T#dict{size = T#dict.size + Ic}.

%% All slots of this doubling active: the next doubling starts, with
%% twice the segments (the new ones empty).
maybe_expand_segs(T) when T#dict.n =:= T#dict.maxn ->
    Segs = T#dict.segs,
    T#dict{maxn = 2 * T#dict.maxn,
           bso = 2 * T#dict.bso,
           segs = list_to_tuple(tuple_to_list(Segs) ++
                                    lists:duplicate(tuple_size(Segs), T#dict.empty))};
maybe_expand_segs(T) -> T.

%% Dc entries were removed: below the load limit, the last active slot's
%% bucket joins its buddy's and the slot goes inactive.
maybe_contract(T, Dc) when T#dict.size - Dc < T#dict.con_size,
                           T#dict.n > ?SEG_SIZE ->
    N = T#dict.n,
    Buddy = N - T#dict.bso,
    Segs0 = T#dict.segs,
    Joined = get_bucket_s(Segs0, Buddy) ++ get_bucket_s(Segs0, N),
    Segs1 = put_bucket_s(Segs0, Buddy, Joined),
    Segs2 = put_bucket_s(Segs1, N, []),
    N1 = N - 1,
    maybe_contract_segs(T#dict{size = T#dict.size - Dc,
                               n = N1,
                               exp_size = N1 * ?EXPAND_LOAD,
                               con_size = N1 * ?CONTRACT_LOAD,
                               segs = Segs2});
maybe_contract(T, Dc) -> T#dict{size = T#dict.size - Dc}.

%% Back to half the slots active: the upper half of the segments goes.
maybe_contract_segs(T) when T#dict.n =:= T#dict.bso ->
    Segs = T#dict.segs,
    T#dict{maxn = T#dict.maxn div 2,
           bso = T#dict.bso div 2,
           segs = list_to_tuple(lists:sublist(tuple_to_list(Segs), tuple_size(Segs) div 2))};
maybe_contract_segs(T) -> T.

%% A bucket's entries split, in order, between the slots Stay and Move.
rehash([[Key | _] = Entry | T], Stay, Move, MaxN) ->
    {L1, L2} = rehash(T, Stay, Move, MaxN),
    case erlang:phash(Key, MaxN) of
        Stay -> {[Entry | L1], L2};
        Move -> {L1, [Entry | L2]}
    end;
rehash([], _, _, _) -> {[], []}.
