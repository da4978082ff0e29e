%% array: functional, extendible arrays indexed from 0, as OTP 25's
%% stdlib module.
%% An array is a record #array{size, max, default, elements}, so
%% array:new() prints {array,0,10,undefined,10}. Size is the number of
%% entries, max the capacity of the tree before it must grow (0 for a
%% fixed-size array), default the value of entries never set.
%% The elements form a tree of fan-out 10: a leaf is a 10-tuple of
%% values; a node an 11-tuple of 10 subtrees followed by the number of
%% entries each subtree covers (S). A subtree never touched is just that
%% number: array:new(100) holds the integer 100, and setting entry 55
%% unfolds the path to it (a node of ten 10s, then a leaf). Every
%% function builds the trees OTP's builds, so an array prints the same
%% and travels to an erl node as it is.
%% Unset entries and entries equal (=:=) to the default are skipped by
%% the sparse_ functions. A wrong argument fails with badarg in the
%% function OTP raises it in; the -file lines put those functions on
%% array.erl's lines, so the shell reports them as erl does.

-module(array).

-export([new/0, new/1, new/2, is_array/1, set/3, get/2, size/1,
         sparse_size/1, default/1, reset/2, to_list/1, sparse_to_list/1,
         from_list/1, from_list/2, to_orddict/1, sparse_to_orddict/1,
         from_orddict/1, from_orddict/2, map/2, sparse_map/2, foldl/3,
         foldr/3, sparse_foldl/3, sparse_foldr/3, fix/1, relax/1, is_fix/1,
         resize/1, resize/2]).

-export_type([array/0, array/1]).

-define(DEFAULT, undefined).
-define(LEAFSIZE, 10).
-define(NODESIZE, ?LEAFSIZE).

%% A node: ten subtrees and the entries each covers.
-define(NODEPATTERN(S), {_, _, _, _, _, _, _, _, _, _, S}).

-type element_tuple(T) ::
        {T, T, T, T, T, T, T, T, T, T}
      | {element_tuple(T), element_tuple(T), element_tuple(T),
         element_tuple(T), element_tuple(T), element_tuple(T),
         element_tuple(T), element_tuple(T), element_tuple(T),
         element_tuple(T), non_neg_integer()}.

-type elements(T) :: non_neg_integer() | element_tuple(T) | nil().

-record(array, {size :: non_neg_integer(),     % entries
                max :: non_neg_integer(),      % capacity before growing; 0: fixed
                default,                       % the value of unset entries
                elements :: elements(_)}).     % the tree

-type array() :: array(term()).
-opaque array(Type) :: #array{default :: Type, elements :: elements(Type)}.

-type array_indx() :: non_neg_integer().
-type array_opt() :: {'fixed', boolean()} | 'fixed'
                   | {'default', Type :: term()}
                   | {'size', N :: non_neg_integer()}
                   | (N :: non_neg_integer()).
-type array_opts() :: array_opt() | [array_opt()].
-type indx_pair(Type) :: {Index :: array_indx(), Type}.
-type indx_pairs(Type) :: [indx_pair(Type)].

-file("array.erl", 192).
new() ->
    new([]).

%% Options: a size N or {size, N} (which also makes the array fixed),
%% fixed or {fixed, Bool}, {default, Value}; one option or a list.
-file("array.erl", 235).
new(Options) ->
    new_0(Options, 0, false).

-file("array.erl", 255).
new(Size, Options) when is_integer(Size), Size >= 0 ->
    new_0(Options, Size, true);
new(_, _) ->
    erlang:error(badarg).

new_0(Options, Size, Fixed) when is_list(Options) ->
    new_1(Options, Size, Fixed, ?DEFAULT);
new_0(Options, Size, Fixed) ->
    new_1([Options], Size, Fixed, ?DEFAULT).

new_1([fixed | Options], Size, _, Default) ->
    new_1(Options, Size, true, Default);
new_1([{fixed, Fixed} | Options], Size, _, Default)
  when is_boolean(Fixed) ->
    new_1(Options, Size, Fixed, Default);
new_1([{default, Default} | Options], Size, Fixed, _) ->
    new_1(Options, Size, Fixed, Default);
new_1([{size, Size} | Options], _, _, Default)
  when is_integer(Size), Size >= 0 ->
    new_1(Options, Size, true, Default);
new_1([Size | Options], _, _, Default)
  when is_integer(Size), Size >= 0 ->
    new_1(Options, Size, true, Default);
new_1([], Size, Fixed, Default) ->
    new(Size, Fixed, Default);
new_1(_Options, _Size, _Fixed, _Default) ->
    erlang:error(badarg).

%% The whole tree starts as one untouched subtree of the capacity needed.
new(0, false, undefined) ->
    #array{size = 0, max = ?LEAFSIZE, elements = ?LEAFSIZE};
new(Size, Fixed, Default) ->
    E = find_max(Size - 1, ?LEAFSIZE),
    M = if Fixed -> 0; true -> E end,
    #array{size = Size, max = M, default = Default, elements = E}.

%% The capacity (10, 100, 1000, ...) that holds index I.
find_max(I, M) when I >= M -> find_max(I, M * ?NODESIZE);
find_max(_I, M) -> M.

-file("array.erl", 308).
is_array(#array{size = Size, max = Max})
  when is_integer(Size), is_integer(Max) ->
    true;
is_array(_) ->
    false.

-file("array.erl", 323).
size(#array{size = N}) -> N;
size(_) -> erlang:error(badarg).

-file("array.erl", 333).
default(#array{default = D}) -> D;
default(_) -> erlang:error(badarg).

-file("array.erl", 416).
fix(#array{} = A) ->
    A#array{max = 0}.

-file("array.erl", 426).
is_fix(#array{max = 0}) -> true;
is_fix(#array{}) -> false.

%% Growable again, with the capacity its size needs.
-file("array.erl", 464).
relax(#array{size = N} = A) ->
    A#array{max = find_max(N - 1, ?LEAFSIZE)}.

%% Growing a fixed array keeps it fixed; shrinking only lowers the size.
-file("array.erl", 495).
resize(Size, #array{size = N, max = M, elements = E} = A)
  when is_integer(Size), Size >= 0 ->
    if Size > N ->
            Capacity = if M > 0 -> M; true -> find_max(N - 1, ?LEAFSIZE) end,
            {E1, M1} = grow(Size - 1, E, Capacity),
            A#array{size = Size,
                    max = if M > 0 -> M1; true -> M end,
                    elements = E1};
       Size < N ->
            A#array{size = Size};
       true ->
            A
    end;
resize(_Size, _) ->
    erlang:error(badarg).

%% The size up to the last entry that is not the default.
-file("array.erl", 521).
resize(Array) ->
    resize(sparse_size(Array), Array).

%% Within the size, or beyond it within the capacity (the array grows
%% to I+1), or beyond the capacity of a growable array (the tree gets
%% taller first). A fixed array refuses an index beyond its size.
-file("array.erl", 572).
set(I, Value, #array{size = N, max = M, default = D, elements = E} = A)
  when is_integer(I), I >= 0 ->
    if I < N ->
            A#array{elements = set_1(I, E, Value, D)};
       I < M ->
            A#array{size = I + 1, elements = set_1(I, E, Value, D)};
       M > 0 ->
            {E1, M1} = grow(I, E, M),
            A#array{size = I + 1, max = M1,
                    elements = set_1(I, E1, Value, D)};
       true ->
            erlang:error(badarg)
    end;
set(_I, _V, _A) ->
    erlang:error(badarg).

%% Entry I of a subtree set to X, unfolding untouched subtrees on the way.
set_1(I, ?NODEPATTERN(S) = E, X, D) ->
    K = I div S + 1,
    setelement(K, E, set_1(I rem S, element(K, E), X, D));
set_1(I, S, X, D) when is_integer(S) ->
    unfold_to(I, S, X, D);
set_1(I, Leaf, X, _D) ->
    setelement(I + 1, Leaf, X).

%% A tree untouched but for entry I: nodes of untouched subtrees down to
%% a leaf of defaults.
unfold_to(I, S, X, D) when S > ?LEAFSIZE ->
    Child = S div ?NODESIZE,
    setelement(I div Child + 1, new_node(Child), unfold_to(I rem Child, Child, X, D));
unfold_to(I, _S, X, D) ->
    setelement(I + 1, new_leaf(D), X).

new_node(Child) -> erlang:make_tuple(?NODESIZE + 1, Child).
new_leaf(D) -> erlang:make_tuple(?LEAFSIZE, D).

%% {Tree, Capacity} tall enough for index I: an untouched tree just
%% covers more; otherwise new roots are put on top, the old tree their
%% first subtree.
grow(I, E, _M) when is_integer(E) ->
    M1 = find_max(I, E),
    {M1, M1};
grow(I, E, M) ->
    grow_1(I, E, M).

grow_1(I, E, M) when I >= M ->
    grow_1(I, setelement(1, new_node(M), E), M * ?NODESIZE);
grow_1(_I, E, M) ->
    {E, M}.

%% Beyond the size: the default, if the array can grow there.
-file("array.erl", 634).
get(I, #array{size = N, max = M, elements = E, default = D})
  when is_integer(I), I >= 0 ->
    if I < N ->
            get_1(I, E, D);
       M > 0 ->
            D;
       true ->
            erlang:error(badarg)
    end;
get(_I, _A) ->
    erlang:error(badarg).

get_1(I, ?NODEPATTERN(S) = E, D) ->
    get_1(I rem S, element(I div S + 1, E), D);
get_1(_I, S, D) when is_integer(S) ->
    D;
get_1(I, Leaf, _D) ->
    element(I + 1, Leaf).

%% Entry I back to the default; an entry that is the default already
%% leaves the array as it was (untouched subtrees stay untouched).
-file("array.erl", 674).
reset(I, #array{size = N, max = M, default = D, elements = E} = A)
  when is_integer(I), I >= 0 ->
    if I < N ->
            try A#array{elements = reset_1(I, E, D)}
            catch throw:default -> A
            end;
       M > 0 ->
            A;
       true ->
            erlang:error(badarg)
    end;
reset(_I, _A) ->
    erlang:error(badarg).

reset_1(I, ?NODEPATTERN(S) = E, D) ->
    K = I div S + 1,
    setelement(K, E, reset_1(I rem S, element(K, E), D));
reset_1(_I, S, _D) when is_integer(S) ->
    throw(default);
reset_1(I, Leaf, D) ->
    case element(I + 1, Leaf) of
        D -> throw(default);
        _ -> setelement(I + 1, Leaf, D)
    end.

%%% Reading the entries out. The folds below visit the entries from
%%% Lo to Hi (absolute indexes, Hi < size) in order, an untouched subtree
%%% as its defaults (or, sparse, not at all).

-file("array.erl", 760).
to_list(#array{size = 0}) ->
    [];
to_list(#array{size = N, elements = E, default = D}) ->
    lists:reverse(fold_entries(E, 0, N - 1, D, fun(_, X, L) -> [X | L] end, []));
to_list(_) ->
    erlang:error(badarg).

-file("array.erl", 833).
sparse_to_list(#array{size = 0}) ->
    [];
sparse_to_list(#array{size = N, elements = E, default = D}) ->
    lists:reverse(fold_set(E, 0, N - 1, D, fun(_, X, L) -> [X | L] end, []));
sparse_to_list(_) ->
    erlang:error(badarg).

-file("array.erl", 900).
from_list(List) ->
    from_list(List, undefined).

%% Leaves of ten entries (the last padded with the default), the tree
%% just tall enough for them, its unused subtrees untouched.
-file("array.erl", 912).
from_list([], Default) ->
    new({default, Default});
from_list(List, Default) when is_list(List) ->
    {Leaves, N} = from_list_1(?LEAFSIZE, List, Default, 0, [], []),
    build(Leaves, N, Default);
from_list(_, _) ->
    erlang:error(badarg).

%% {Leaves, N}: the leaves as {LeafNumber, Leaf}, the last first, and
%% the entries' count. A list that ends in something else than [] fails
%% at the end of the leaf it ends in.
-file("array.erl", 932).
from_list_1(0, Xs, D, N, As, Ls) ->
    Leaves = [{(N - 1) div ?LEAFSIZE, list_to_tuple(lists:reverse(As))} | Ls],
    case Xs of
        [] ->
            {Leaves, N};
        [_ | _] ->
            from_list_1(?LEAFSIZE, Xs, D, N, [], Leaves);
        _ ->
            erlang:error(badarg)
    end;
from_list_1(I, Xs, D, N, As, Ls) ->
    case Xs of
        [X | Xs1] -> from_list_1(I - 1, Xs1, D, N + 1, [X | As], Ls);
        _ -> from_list_1(I - 1, Xs, D, N, [D | As], Ls)
    end.

%% The array of N entries whose leaves are Leaves ({LeafNumber, Leaf},
%% any order): the tree tall enough for N, any subtree with none of the
%% leaves untouched.
build(Leaves, N, Default) ->
    Max = find_max(N - 1, ?LEAFSIZE),
    #array{size = N, max = Max, default = Default,
           elements = build_tree(lists:keysort(1, Leaves), 0, Max)}.

%% The subtree of Size entries from leaf number First, with the leaves
%% in order; answers it and the leaves after it.
build_tree(Leaves, First, Size) ->
    {T, _} = build_tree_1(Leaves, First, Size),
    T.

build_tree_1([{First, Leaf} | Rest], First, ?LEAFSIZE) ->
    {Leaf, Rest};
build_tree_1([{No, _} | _] = Leaves, First, Size) when No < First + Size div ?LEAFSIZE ->
    Child = Size div ?NODESIZE,
    build_children(Leaves, First, Child, ?NODESIZE, []);
build_tree_1(Leaves, _First, Size) ->
    {Size, Leaves}.

build_children(Leaves, _First, Child, 0, Acc) ->
    {list_to_tuple(lists:reverse([Child | Acc])), Leaves};
build_children(Leaves, First, Child, K, Acc) ->
    {T, Rest} = build_tree_1(Leaves, First, Child),
    build_children(Rest, First + Child div ?LEAFSIZE, Child, K - 1, [T | Acc]).

-file("array.erl", 1012).
to_orddict(#array{size = 0}) ->
    [];
to_orddict(#array{size = N, elements = E, default = D}) ->
    lists:reverse(fold_entries(E, 0, N - 1, D, fun(I, X, L) -> [{I, X} | L] end, []));
to_orddict(_) ->
    erlang:error(badarg).

-file("array.erl", 1104).
sparse_to_orddict(#array{size = 0}) ->
    [];
sparse_to_orddict(#array{size = N, elements = E, default = D}) ->
    lists:reverse(fold_set(E, 0, N - 1, D, fun(I, X, L) -> [{I, X} | L] end, []));
sparse_to_orddict(_) ->
    erlang:error(badarg).

-file("array.erl", 1183).
from_orddict(Orddict) ->
    from_orddict(Orddict, undefined).

%% The leaves holding entries (leaves before the first entry's, or
%% between two entries' leaves, stay untouched); the size is the last
%% index plus one. Indexes must ascend.
-file("array.erl", 1198).
from_orddict([], Default) ->
    new({default, Default});
from_orddict(List, Default) when is_list(List) ->
    {Leaves, N} = from_orddict_0(List, 0, ?LEAFSIZE, Default, []),
    build(Leaves, N, Default);
from_orddict(_, _) ->
    erlang:error(badarg).

%% Ix is the index the next leaf starts at, Max the one after it. An
%% entry further than Max (not at it) skips the whole leaves between.
-file("array.erl", 1225).
from_orddict_0([], N, _Max, _D, Leaves) ->
    {Leaves, N};
from_orddict_0(Xs = [{Ix1, _} | _], Ix, Max0, D, Leaves)
  when Ix1 > Max0, is_integer(Ix1) ->
    Hole = Ix1 - Ix,
    Next = Ix + Hole - Hole rem ?LEAFSIZE,
    from_orddict_0(Xs, Next, Next + ?LEAFSIZE, D, Leaves);
from_orddict_0(Xs0 = [{_, _} | _], Ix0, Max, D, Leaves) ->
    {Xs, Leaf, Ix} = from_orddict_1(Ix0, Max, Xs0, Ix0, D, []),
    from_orddict_0(Xs, Ix, Ix + ?LEAFSIZE, D, [{Ix0 div ?LEAFSIZE, Leaf} | Leaves]);
from_orddict_0(Xs, _, _, _, _) ->
    erlang:error({badarg, Xs}).

%% One leaf, from Ix to Max: {Rest, Leaf, N}, N the index after the leaf
%% if more entries follow, else after the last entry.
-file("array.erl", 1240).
from_orddict_1(Ix, Ix, Xs, N, _D, As) ->
    {Xs, list_to_tuple(lists:reverse(As)), N};
from_orddict_1(Ix, Max, Xs, N0, D, As) ->
    case Xs of
        [{Ix, Val} | Xs1] ->
            N = Ix + 1,
            from_orddict_1(N, Max, Xs1, N, D, [Val | As]);
        [{Ix1, _} | _] when is_integer(Ix1), Ix1 > Ix ->
            N = Ix + 1,
            from_orddict_1(N, Max, Xs, N, D, [D | As]);
        [_ | _] ->
            erlang:error({badarg, Xs});
        _ ->
            from_orddict_1(Ix + 1, Max, Xs, N0, D, [D | As])
    end.

%% F(Index, Value) for every entry, in index order; untouched subtrees
%% in the way are unfolded into nodes and leaves of defaults, and the
%% last leaf's places beyond the size are reset to the default.
-file("array.erl", 1394).
map(Function, Array = #array{size = N, elements = E, default = D})
  when is_function(Function, 2) ->
    if N > 0 ->
            A = Array#array{elements = []},
            A#array{elements = map_1(N - 1, E, 0, Function, D)};
       true ->
            Array
    end;
map(_, _) ->
    erlang:error(badarg).

%% Subtree E from index Ix, mapped up to its entry Last (relative).
map_1(Last, ?NODEPATTERN(S) = E, Ix, F, D) ->
    map_children(Last, E, Ix, F, D, S, fun map_1/5);
map_1(Last, S, Ix, F, D) when is_integer(S) ->
    map_1(Last, unfold(S, D), Ix, F, D);
map_1(Last, Leaf, Ix, F, D) ->
    list_to_tuple(map_leaf(1, Leaf, Ix, F, D, Last + 1)).

map_leaf(I, Leaf, Ix, F, D, Count) when I =< Count ->
    [F(Ix, element(I, Leaf)) | map_leaf(I + 1, Leaf, Ix + 1, F, D, Count)];
map_leaf(I, _Leaf, _Ix, _F, D, _Count) when I =< ?LEAFSIZE ->
    lists:duplicate(?LEAFSIZE - I + 1, D);
map_leaf(_, _, _, _, _, _) ->
    [].

%% An untouched subtree as a node of untouched subtrees, or a leaf.
unfold(S, _D) when S > ?LEAFSIZE -> new_node(S div ?NODESIZE);
unfold(_S, D) -> new_leaf(D).

%% The children of node E up to the one holding entry Last through
%% Each(LastInChild, Child, Ix, F, D), in order; the rest as they are.
map_children(Last, E, Ix, F, D, S, Each) ->
    LastChild = Last div S + 1,
    Mapped = map_children_1(1, LastChild, Last rem S, E, Ix, F, D, S, Each),
    Kept = [element(K, E) || K <- lists:seq(LastChild + 1, ?NODESIZE)],
    list_to_tuple(Mapped ++ Kept ++ [S]).

map_children_1(K, LastChild, LastInChild, E, Ix, F, D, _S, Each) when K =:= LastChild ->
    [Each(LastInChild, element(K, E), Ix, F, D)];
map_children_1(K, LastChild, LastInChild, E, Ix, F, D, S, Each) ->
    Child = Each(S - 1, element(K, E), Ix, F, D),
    [Child | map_children_1(K + 1, LastChild, LastInChild, E, Ix + S, F, D, S, Each)].

%% F(Index, Value) for the entries that are not the default, in index
%% order; untouched subtrees stay untouched. (A leaf is mapped whole,
%% its places beyond the size too, as OTP's.)
-file("array.erl", 1486).
sparse_map(Function, Array = #array{size = N, elements = E, default = D})
  when is_function(Function, 2) ->
    if N > 0 ->
            A = Array#array{elements = []},
            A#array{elements = sparse_map_1(N - 1, E, 0, Function, D)};
       true ->
            Array
    end;
sparse_map(_, _) ->
    erlang:error(badarg).

sparse_map_1(Last, ?NODEPATTERN(S) = E, Ix, F, D) ->
    map_children(Last, E, Ix, F, D, S, fun sparse_map_1/5);
sparse_map_1(_Last, S, _Ix, _F, _D) when is_integer(S) ->
    S;
sparse_map_1(_Last, Leaf, Ix, F, D) ->
    list_to_tuple(sparse_map_leaf(1, Leaf, Ix, F, D)).

sparse_map_leaf(I, Leaf, Ix, F, D) when I =< ?LEAFSIZE ->
    case element(I, Leaf) of
        D -> [D | sparse_map_leaf(I + 1, Leaf, Ix + 1, F, D)];
        X -> [F(Ix, X) | sparse_map_leaf(I + 1, Leaf, Ix + 1, F, D)]
    end;
sparse_map_leaf(_, _, _, _, _) ->
    [].

-file("array.erl", 1582).
foldl(Function, A, #array{size = N, elements = E, default = D})
  when is_function(Function, 3) ->
    if N > 0 ->
            fold_entries(E, 0, N - 1, D, Function, A);
       true ->
            A
    end;
foldl(_, _, _) ->
    erlang:error(badarg).

-file("array.erl", 1654).
sparse_foldl(Function, A, #array{size = N, elements = E, default = D})
  when is_function(Function, 3) ->
    if N > 0 ->
            fold_set(E, 0, N - 1, D, Function, A);
       true ->
            A
    end;
sparse_foldl(_, _, _) ->
    erlang:error(badarg).

-file("array.erl", 1732).
foldr(Function, A, #array{size = N, elements = E, default = D})
  when is_function(Function, 3) ->
    if N > 0 ->
            fold_entries_r(E, 0, N - 1, D, Function, A);
       true ->
            A
    end;
foldr(_, _, _) ->
    erlang:error(badarg).

-file("array.erl", 1810).
sparse_foldr(Function, A, #array{size = N, elements = E, default = D})
  when is_function(Function, 3) ->
    if N > 0 ->
            fold_set_r(E, 0, N - 1, D, Function, A);
       true ->
            A
    end;
sparse_foldr(_, _, _) ->
    erlang:error(badarg).

%% The index after the last entry that is not the default.
-file("array.erl", 1859).
sparse_size(A) ->
    F = fun(I, _V, _A) -> throw({value, I}) end,
    try sparse_foldr(F, [], A) of
        [] -> 0
    catch
        {value, I} ->
            I + 1
    end.

%%% Folds over a subtree's entries Ix..Last (Ix its first index, Last
%%% the last to visit, both absolute): every entry (fold_entries), or
%%% only those set to something else than the default (fold_set), from
%%% the first or (_r) the last.

fold_entries(?NODEPATTERN(S) = E, Ix, Last, D, F, A) ->
    fold_children(E, Ix, Last, S, 1, fun(C, CIx, CLast, Acc) -> fold_entries(C, CIx, CLast, D, F, Acc) end, A);
fold_entries(S, Ix, Last, D, F, A) when is_integer(S) ->
    fold_defaults(Ix, Last, D, F, A);
fold_entries(Leaf, Ix, Last, _D, F, A) ->
    fold_leaf(Leaf, Ix, Ix, Last, F, A).

fold_defaults(I, Last, D, F, A) when I =< Last -> fold_defaults(I + 1, Last, D, F, F(I, D, A));
fold_defaults(_, _, _, _, A) -> A.

fold_leaf(Leaf, Ix, I, Last, F, A) when I =< Last ->
    fold_leaf(Leaf, Ix, I + 1, Last, F, F(I, element(I - Ix + 1, Leaf), A));
fold_leaf(_, _, _, _, _, A) -> A.

fold_set(?NODEPATTERN(S) = E, Ix, Last, D, F, A) ->
    fold_children(E, Ix, Last, S, 1, fun(C, CIx, CLast, Acc) -> fold_set(C, CIx, CLast, D, F, Acc) end, A);
fold_set(S, _Ix, _Last, _D, _F, A) when is_integer(S) ->
    A;
fold_set(Leaf, Ix, Last, D, F, A) ->
    fold_set_leaf(Leaf, Ix, Ix, Last, D, F, A).

fold_set_leaf(Leaf, Ix, I, Last, D, F, A) when I =< Last ->
    case element(I - Ix + 1, Leaf) of
        D -> fold_set_leaf(Leaf, Ix, I + 1, Last, D, F, A);
        X -> fold_set_leaf(Leaf, Ix, I + 1, Last, D, F, F(I, X, A))
    end;
fold_set_leaf(_, _, _, _, _, _, A) -> A.

%% Child K of a node from index Ix (children of S entries), while it
%% starts at or before Last.
fold_children(E, Ix, Last, S, K, Each, A) when K =< ?NODESIZE, Ix =< Last ->
    A1 = Each(element(K, E), Ix, min(Last, Ix + S - 1), A),
    fold_children(E, Ix + S, Last, S, K + 1, Each, A1);
fold_children(_, _, _, _, _, _, A) -> A.

fold_entries_r(?NODEPATTERN(S) = E, Ix, Last, D, F, A) ->
    fold_children_r(E, Ix, Last, S, Last div S + 1 - Ix div S, fun(C, CIx, CLast, Acc) -> fold_entries_r(C, CIx, CLast, D, F, Acc) end, A);
fold_entries_r(S, Ix, Last, D, F, A) when is_integer(S) ->
    fold_defaults_r(Last, Ix, D, F, A);
fold_entries_r(Leaf, Ix, Last, _D, F, A) ->
    fold_leaf_r(Leaf, Ix, Last, F, A).

fold_defaults_r(I, First, D, F, A) when I >= First -> fold_defaults_r(I - 1, First, D, F, F(I, D, A));
fold_defaults_r(_, _, _, _, A) -> A.

fold_leaf_r(Leaf, Ix, I, F, A) when I >= Ix ->
    fold_leaf_r(Leaf, Ix, I - 1, F, F(I, element(I - Ix + 1, Leaf), A));
fold_leaf_r(_, _, _, _, A) -> A.

fold_set_r(?NODEPATTERN(S) = E, Ix, Last, D, F, A) ->
    fold_children_r(E, Ix, Last, S, Last div S + 1 - Ix div S, fun(C, CIx, CLast, Acc) -> fold_set_r(C, CIx, CLast, D, F, Acc) end, A);
fold_set_r(S, _Ix, _Last, _D, _F, A) when is_integer(S) ->
    A;
fold_set_r(Leaf, Ix, Last, D, F, A) ->
    fold_set_leaf_r(Leaf, Ix, Last, D, F, A).

fold_set_leaf_r(Leaf, Ix, I, D, F, A) when I >= Ix ->
    case element(I - Ix + 1, Leaf) of
        D -> fold_set_leaf_r(Leaf, Ix, I - 1, D, F, A);
        X -> fold_set_leaf_r(Leaf, Ix, I - 1, D, F, F(I, X, A))
    end;
fold_set_leaf_r(_, _, _, _, _, A) -> A.

%% Children K down to 1 of a node from index Ix; child K holds Last.
fold_children_r(_E, _Ix, _Last, _S, 0, _Each, A) -> A;
fold_children_r(E, Ix, Last, S, K, Each, A) ->
    CIx = Ix + (K - 1) * S,
    A1 = Each(element(K, E), CIx, min(Last, CIx + S - 1), A),
    fold_children_r(E, Ix, Last, S, K - 1, Each, A1).
