%% gb_trees: ordered key-value trees, as OTP 25's stdlib module.
%%
%% Arne Andersson's general balanced trees: plain binary search trees
%% with no balance information in the nodes. A tree is {Size, Node},
%% a node {Key, Value, Smaller, Bigger} or nil, so gb_trees:empty()
%% prints {0,nil}. Keys are ordered and compared with < and > (1 and 1.0
%% are the same key).
%%
%% Insertion never looks at the whole tree: it carries down a budget
%% Size^2 halved at each level, and only when it runs out (the new node
%% lands deeper than c*log2(Size) allows) does it measure the subtrees
%% on the way back and rebuild the lowest one that is too deep. Deletion
%% never rebalances. Every step follows OTP's, so a tree built here has
%% the same shape, and prints the same, as one built by erl.
%%
%% Errors are OTP's: a missing key for get/update/delete/take, an empty
%% tree for smallest/largest, a term that is not a tree, all fail with
%% function_clause in the function OTP fails in, and insert/3 of a
%% present key with {key_exists, Key}. The -file lines put those
%% functions on gb_trees.erl's lines, so the shell reports them as erl
%% does.

-module(gb_trees).

-export([empty/0, is_empty/1, size/1, lookup/2, get/2, insert/3,
         update/3, enter/3, delete/2, delete_any/2, balance/1,
         is_defined/2, keys/1, values/1, to_list/1, from_orddict/1,
         smallest/1, largest/1, take/2, take_any/2,
         take_smallest/1, take_largest/1,
         iterator/1, iterator_from/2, next/1, map/2]).

-export_type([tree/0, tree/2, iter/0, iter/2]).

-type gb_tree_node(K, V) :: 'nil' | {K, V, gb_tree_node(K, V), gb_tree_node(K, V)}.
-opaque tree(Key, Value) :: {non_neg_integer(), gb_tree_node(Key, Value)}.
-type tree() :: tree(_, _).
-opaque iter(Key, Value) :: [gb_tree_node(Key, Value)].
-type iter() :: iter(_, _).

-file("gb_trees.erl", 173).
empty() ->
    {0, nil}.

-file("gb_trees.erl", 179).
is_empty({0, nil}) ->
    true;
is_empty(_) ->
    false.

-file("gb_trees.erl", 187).
size({Size, _}) when is_integer(Size), Size >= 0 ->
    Size.

%% {value, Value} or none.
-file("gb_trees.erl", 195).
lookup(Key, {_, T}) ->
    lookup_1(Key, T).

-file("gb_trees.erl", 205).
lookup_1(Key, {Key1, _, Smaller, _}) when Key < Key1 ->
    lookup_1(Key, Smaller);
lookup_1(Key, {Key1, _, _, Bigger}) when Key > Key1 ->
    lookup_1(Key, Bigger);
lookup_1(_, {_, Value, _, _}) ->
    {value, Value};
lookup_1(_, nil) ->
    none.

-file("gb_trees.erl", 221).
is_defined(Key, {_, T}) ->
    is_defined_1(Key, T).

is_defined_1(Key, {Key1, _, Smaller, _}) when Key < Key1 ->
    is_defined_1(Key, Smaller);
is_defined_1(Key, {Key1, _, _, Bigger}) when Key > Key1 ->
    is_defined_1(Key, Bigger);
is_defined_1(_, {_, _, _, _}) ->
    true;
is_defined_1(_, nil) ->
    false.

%% The key must be there: a missing one ends in get_1(Key, nil).
-file("gb_trees.erl", 240).
get(Key, {_, T}) ->
    get_1(Key, T).

-file("gb_trees.erl", 243).
get_1(Key, {Key1, _, Smaller, _}) when Key < Key1 ->
    get_1(Key, Smaller);
get_1(Key, {Key1, _, _, Bigger}) when Key > Key1 ->
    get_1(Key, Bigger);
get_1(_, {_, Value, _, _}) ->
    Value.

%% The key must be there; it is replaced along with its value (so 1.0
%% may take the place of 1).
-file("gb_trees.erl", 256).
update(Key, Val, {S, T}) ->
    T1 = update_1(Key, Val, T),
    {S, T1}.

-file("gb_trees.erl", 262).
update_1(Key, Value, {Key1, V, Smaller, Bigger}) when Key < Key1 ->
    {Key1, V, update_1(Key, Value, Smaller), Bigger};
update_1(Key, Value, {Key1, V, Smaller, Bigger}) when Key > Key1 ->
    {Key1, V, Smaller, update_1(Key, Value, Bigger)};
update_1(Key, Value, {_, _, Smaller, Bigger}) ->
    {Key, Value, Smaller, Bigger}.

%% The key must not be there. The budget starts at the new size squared
%% (the tree may be as deep as 2*log2(Size) before it is rebalanced).
-file("gb_trees.erl", 275).
insert(Key, Val, {S, T}) when is_integer(S) ->
    Size = S + 1,
    {Size, insert_1(Key, Val, T, Size * Size)}.

%% Answers the new subtree, or {Subtree, H, Size} while the path is too
%% deep: H is 2^height and Size the node count of Subtree.
-file("gb_trees.erl", 279).
insert_1(Key, Value, {Key1, V, Smaller, Bigger}, S) when Key < Key1 ->
    case insert_1(Key, Value, Smaller, S bsr 1) of
        {Smaller1, H1, S1} ->
            grown({Key1, V, Smaller1, Bigger}, H1, S1, Bigger);
        Smaller1 ->
            {Key1, V, Smaller1, Bigger}
    end;
insert_1(Key, Value, {Key1, V, Smaller, Bigger}, S) when Key > Key1 ->
    case insert_1(Key, Value, Bigger, S bsr 1) of
        {Bigger1, H1, S1} ->
            grown({Key1, V, Smaller, Bigger1}, H1, S1, Smaller);
        Bigger1 ->
            {Key1, V, Smaller, Bigger1}
    end;
%% Reaching nil places the new leaf. A budget of 0 means the leaf is
%% deeper than the tree's size allows: answer its measures, {Leaf, 1, 1},
%% so the callers above measure their subtrees (grown/4) until one is
%% found whose height is out of proportion to its size, and rebuild that
%% one as a perfectly balanced tree (balance/2). Above it the tree is
%% unchanged but for the new child.
%%
%% The budget halves at each level: with a budget of Size^2 at the root
%% it runs out below depth 2*log2(Size), which is the deepest a general
%% balanced tree may be (Andersson's c = 2). A rebuilt subtree is never
%% deeper than log2 of its size, so rebuilding is rare and insertion is
%% O(log Size) amortised.
insert_1(Key, Value, nil, 0) ->
    {{Key, Value, nil, nil}, 1, 1};
insert_1(Key, Value, nil, _) ->
    {Key, Value, nil, nil};
%% Neither smaller nor bigger than a key in the tree: Key is there
%% already (or a key equal to it, as 1.0 is to 1). insert/3 is for new
%% keys; enter/3 is the one that inserts or updates, as may be.
%%
%% (This clause, like every function below that can fail, sits on the
%% line OTP's does: the error reads {key_exists, Key} at gb_trees.erl
%% line 319 on either system.)
%%
insert_1(Key, _, _, _) ->
    erlang:error({key_exists, Key}).

%% T has a grown child of height H1 and size S1 and another child Other:
%% rebuild T if it is now too deep, else pass its measures up.
grown(T, H1, S1, Other) ->
    {H2, S2} = count(Other),
    H = max(H1, H2) bsl 1,
    Size = S1 + S2 + 1,
    if
        H > Size * Size -> balance(T, Size);
        true -> {T, H, Size}
    end.

-file("gb_trees.erl", 326).
enter(Key, Val, T) ->
    case is_defined(Key, T) of
        true -> update(Key, Val, T);
        false -> insert(Key, Val, T)
    end.

%% {2^height, size} of a subtree.
count({_, _, nil, nil}) ->
    {1, 1};
count({_, _, Smaller, Bigger}) ->
    {H1, S1} = count(Smaller),
    {H2, S2} = count(Bigger),
    {max(H1, H2) bsl 1, S1 + S2 + 1};
count(nil) ->
    {1, 0}.

%% A perfectly balanced tree of the same entries.
-file("gb_trees.erl", 351).
balance({S, T}) ->
    {S, balance(T, S)}.

balance(T, S) ->
    balance_list(to_list_1(T), S).

%% The first S entries of an ordered list as a balanced tree.
-file("gb_trees.erl", 357).
balance_list(L, S) ->
    {T, []} = balance_list_1(L, S),
    T.

%% {Tree of the first S entries, the entries after them}: the middle
%% entry is the root, the ones before it the smaller subtree (which gets
%% the extra entry when they do not split evenly).
-file("gb_trees.erl", 361).
balance_list_1(L, S) when S > 1 ->
    Below = S - 1,
    Bigger = Below div 2,
    Smaller = Below - Bigger,
    {T1, [{K, V} | L1]} = balance_list_1(L, Smaller),
    {T2, L2} = balance_list_1(L1, Bigger),
    {{K, V, T1, T2}, L2};
%%
balance_list_1([{Key, Val} | L], 1) ->
    {{Key, Val, nil, nil}, L};
balance_list_1(L, 0) ->
    {nil, L}.

%% The list must be ordered by key, without duplicates.
-file("gb_trees.erl", 378).
from_orddict(L) ->
    S = length(L),
    {S, balance_list(L, S)}.

-file("gb_trees.erl", 388).
delete_any(Key, T) ->
    case is_defined(Key, T) of
        true -> delete(Key, T);
        false -> T
    end.

%% The key must be there: a missing one ends in delete_1(Key, nil).
-file("gb_trees.erl", 402).
delete(Key, {S, T}) when is_integer(S), S >= 0 ->
    {S - 1, delete_1(Key, T)}.

-file("gb_trees.erl", 407).
delete_1(Key, {Key1, Value, Smaller, Larger}) when Key < Key1 ->
    Smaller1 = delete_1(Key, Smaller),
    {Key1, Value, Smaller1, Larger};
delete_1(Key, {Key1, Value, Smaller, Bigger}) when Key > Key1 ->
    Bigger1 = delete_1(Key, Bigger),
    {Key1, Value, Smaller, Bigger1};
delete_1(_, {_, _, Smaller, Larger}) ->
    merge(Smaller, Larger).

%% Two subtrees, every key of the first below every key of the second,
%% as one: the smallest of the second becomes the root.
merge(Smaller, nil) ->
    Smaller;
merge(nil, Larger) ->
    Larger;
merge(Smaller, Larger) ->
    {Key, Value, Larger1} = take_smallest1(Larger),
    {Key, Value, Smaller, Larger1}.

-file("gb_trees.erl", 432).
take_any(Key, Tree) ->
    case is_defined(Key, Tree) of
        true -> take(Key, Tree);
        false -> error
    end.

%% {Value, Tree without Key}; the key must be there.
-file("gb_trees.erl", 446).
take(Key, {S, T}) when is_integer(S), S >= 0 ->
    {Value, Res} = take_1(Key, T),
    {Value, {S - 1, Res}}.

-file("gb_trees.erl", 450).
take_1(Key, {Key1, Value, Smaller, Larger}) when Key < Key1 ->
    {Value2, Smaller1} = take_1(Key, Smaller),
    {Value2, {Key1, Value, Smaller1, Larger}};
take_1(Key, {Key1, Value, Smaller, Bigger}) when Key > Key1 ->
    {Value2, Bigger1} = take_1(Key, Bigger),
    {Value2, {Key1, Value, Smaller, Bigger1}};
take_1(_, {_Key, Value, Smaller, Larger}) ->
    {Value, merge(Smaller, Larger)}.

-file("gb_trees.erl", 465).
take_smallest({Size, Tree}) when is_integer(Size), Size >= 0 ->
    {Key, Value, Larger} = take_smallest1(Tree),
    {Key, Value, {Size - 1, Larger}}.

-file("gb_trees.erl", 469).
take_smallest1({Key, Value, nil, Larger}) ->
    {Key, Value, Larger};
take_smallest1({Key, Value, Smaller, Larger}) ->
    {Key1, Value1, Smaller1} = take_smallest1(Smaller),
    {Key1, Value1, {Key, Value, Smaller1, Larger}}.

-file("gb_trees.erl", 478).
smallest({_, Tree}) ->
    smallest_1(Tree).

-file("gb_trees.erl", 481).
smallest_1({Key, Value, nil, _Larger}) ->
    {Key, Value};
smallest_1({_Key, _Value, Smaller, _Larger}) ->
    smallest_1(Smaller).

-file("gb_trees.erl", 490).
take_largest({Size, Tree}) when is_integer(Size), Size >= 0 ->
    {Key, Value, Smaller} = take_largest1(Tree),
    {Key, Value, {Size - 1, Smaller}}.

-file("gb_trees.erl", 494).
take_largest1({Key, Value, Smaller, nil}) ->
    {Key, Value, Smaller};
take_largest1({Key, Value, Smaller, Larger}) ->
    {Key1, Value1, Larger1} = take_largest1(Larger),
    {Key1, Value1, {Key, Value, Smaller, Larger1}}.

-file("gb_trees.erl", 503).
largest({_, Tree}) ->
    largest_1(Tree).

-file("gb_trees.erl", 506).
largest_1({Key, Value, _Smaller, nil}) ->
    {Key, Value};
largest_1({_Key, _Value, _Smaller, Larger}) ->
    largest_1(Larger).

%% Entries, keys and values in key order, built from the biggest down.
-file("gb_trees.erl", 516).
to_list({_, T}) ->
    to_list(T, []).

to_list_1(T) -> to_list(T, []).

-file("gb_trees.erl", 521).
to_list({Key, Value, Small, Big}, L) ->
    to_list(Small, [{Key, Value} | to_list(Big, L)]);
to_list(nil, L) -> L.

-file("gb_trees.erl", 530).
keys({_, T}) ->
    keys(T, []).

keys({Key, _Value, Small, Big}, L) ->
    keys(Small, [Key | keys(Big, L)]);
keys(nil, L) -> L.

-file("gb_trees.erl", 542).
values({_, T}) ->
    values(T, []).

values({_Key, Value, Small, Big}, L) ->
    values(Small, [Value | values(Big, L)]);
values(nil, L) -> L.

%% An iterator is the stack of nodes still to visit, the next one first:
%% the path down to the smallest key, then the path to the next, ...
-file("gb_trees.erl", 555).
iterator({_, T}) ->
    iterator_1(T).

iterator_1(T) ->
    iterator(T, []).

-file("gb_trees.erl", 564).
iterator({_, _, nil, _} = T, As) ->
    [T | As];
iterator({_, _, L, _} = T, As) ->
    iterator(L, [T | As]);
iterator(nil, As) ->
    As.

%% An iterator starting at the first key >= S.
-file("gb_trees.erl", 577).
iterator_from(S, {_, T}) ->
    iterator_1_from(S, T).

iterator_1_from(S, T) ->
    iterator_from(S, T, []).

-file("gb_trees.erl", 583).
iterator_from(S, {K, _, _, T}, As) when K < S ->
    iterator_from(S, T, As);
iterator_from(_, {_, _, nil, _} = T, As) ->
    [T | As];
iterator_from(S, {_, _, L, _} = T, As) ->
    iterator_from(S, L, [T | As]);
iterator_from(_, nil, As) ->
    As.

%% {Key, Value, Iter} for the next entry, or none.
-file("gb_trees.erl", 598).
next([{X, V, _, T} | As]) ->
    {X, V, iterator(T, As)};
next([]) ->
    none.

-file("gb_trees.erl", 610).
map(F, {Size, Tree}) when is_function(F, 2) ->
    {Size, map_1(F, Tree)}.

map_1(_, nil) -> nil;
map_1(F, {K, V, Smaller, Larger}) ->
    {K, F(K, V), map_1(F, Smaller), map_1(F, Larger)}.
