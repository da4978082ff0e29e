%% gb_sets: ordered sets, as OTP 25's stdlib module.
%%
%% The general balanced trees of gb_trees without values: a set is
%% {Size, Node}, a node {Element, Smaller, Bigger} or nil, so
%% gb_sets:empty() prints {0,nil}. Elements are ordered and compared
%% with < and > (1 and 1.0 are the same element).
%%
%% Insertion rebalances as gb_trees does (see gb_trees.erl). The set
%% operations work on the elements as ordered lists and rebuild a
%% perfectly balanced tree, or, when one set is much smaller than the
%% other (by OTP's measure, N1 * round(1.46 * ln N2) > N2), look the
%% small set's elements up in the big set's tree instead. Every choice
%% follows OTP's, so a set built here has the same shape, and prints the
%% same, as one built by erl. The functions with sets' and ordsets'
%% names (new, is_element, add_element, del_element, subtract) are the
%% same functions under those names.
%%
%% Errors are OTP's: function_clause where OTP's clauses do not match,
%% {key_exists, X} from insert/2 of a present element; the -file lines
%% put the functions on gb_sets.erl's lines, so the shell reports them as
%% erl does.

-module(gb_sets).

-export([empty/0, is_empty/1, size/1, singleton/1, is_member/2,
         insert/2, add/2, delete/2, delete_any/2, balance/1, union/2,
         union/1, intersection/2, intersection/1, is_disjoint/2, difference/2,
         is_subset/2, to_list/1, from_list/1, from_ordset/1, smallest/1,
         largest/1, take_smallest/1, take_largest/1, iterator/1,
         iterator_from/2, next/1, filter/2, fold/3, is_set/1]).
-export([new/0, is_element/2, add_element/2, del_element/2, subtract/2]).

-export_type([set/0, set/1, iter/0, iter/1]).

-type gb_set_node(Element) :: 'nil' | {Element, _, _}.
-opaque set(Element) :: {non_neg_integer(), gb_set_node(Element)}.
-type set() :: set(_).
-opaque iter(Element) :: [gb_set_node(Element)].
-type iter() :: iter(_).

%% 1 / ln 2: a set of N2 elements answers N1 lookups in about
%% N1 * C * ln N2 steps, against N1 + N2 for a merge of the two lists.
-define(C, 1.46).

-file("gb_sets.erl", 209).
empty() ->
    {0, nil}.

-file("gb_sets.erl", 215).
new() -> empty().

-file("gb_sets.erl", 220).
is_empty({0, nil}) ->
    true;
is_empty(_) ->
    false.

-file("gb_sets.erl", 228).
size({Size, _}) ->
    Size.

-file("gb_sets.erl", 233).
singleton(Key) ->
    {1, {Key, nil, nil}}.

-file("gb_sets.erl", 239).
is_element(Key, S) ->
    is_member(Key, S).

-file("gb_sets.erl", 245).
is_member(Key, {_, T}) ->
    is_member_1(Key, T).

is_member_1(Key, {Key1, Smaller, _}) when Key < Key1 ->
    is_member_1(Key, Smaller);
is_member_1(Key, {Key1, _, Bigger}) when Key > Key1 ->
    is_member_1(Key, Bigger);
is_member_1(_, {_, _, _}) ->
    true;
is_member_1(_, nil) ->
    false.

%% The element must not be there: see gb_trees:insert/3 for the budget.
-file("gb_sets.erl", 261).
insert(Key, {S, T}) ->
    Size = S + 1,
    {Size, insert_1(Key, T, Size * Size)}.

%% The new subtree, or {Subtree, H, Size} while the path is too deep.
-file("gb_sets.erl", 265).
insert_1(Key, {Key1, Smaller, Bigger}, S) when Key < Key1 ->
    case insert_1(Key, Smaller, S bsr 1) of
        {Smaller1, H1, S1} when is_integer(H1) ->
            grown({Key1, Smaller1, Bigger}, H1, S1, Bigger);
        Smaller1 ->
            {Key1, Smaller1, Bigger}
    end;
insert_1(Key, {Key1, Smaller, Bigger}, S) when Key > Key1 ->
    case insert_1(Key, Bigger, S bsr 1) of
        {Bigger1, H1, S1} when is_integer(H1) ->
            grown({Key1, Smaller, Bigger1}, H1, S1, Smaller);
        Bigger1 ->
            {Key1, Smaller, Bigger1}
    end;
%% (A subtree is a 3-tuple too: its measures are told apart by an
%% integer in the middle, where a node has a subtree or nil.)
%%
%% Out of budget at the new leaf: report its measures upwards, so the
%% lowest subtree whose height is out of proportion to its size is
%% rebuilt balanced. Within budget: just the leaf.
%%
%% For example, inserting 1, 2, 3, ... in order builds a chain down the
%% right: the budget at the root is Size^2, halved at each step down.
%% Inserting 6 into the chain 1..5 reaches depth 5 with 36 bsr 5 = 1
%% left, so the leaf just goes in. Inserting 7 reaches depth 6 with
%% 49 bsr 6 = 0: the leaf answers {Leaf, 1, 1}, and on the way up node
%% 6 measures H = 2 against size 2 (2 =< 2^2), node 5 H = 4 against 3,
%% node 4 8 against 4, node 3 16 against 5, node 2 32 against 6, all
%% within bounds, until the root: H = 64 > 7^2, and the whole chain is
%% rebuilt as a perfectly balanced tree of 7 with 4 at the root. The
%% next insertions find a tree of depth 2 and budget enough to spare,
%% until the tree has grown lopsided again.
%%
insert_1(Key, nil, 0) ->
    {{Key, nil, nil}, 1, 1};
insert_1(Key, nil, _) ->
    {Key, nil, nil};
%% Neither smaller nor bigger than an element: it is there already.
insert_1(Key, _, _) ->
    erlang:error({key_exists, Key}).

%% T has a grown child of 2^height H1 and size S1, and another Other:
%% rebuild T if it is now too deep, else pass its measures up.
grown(T, H1, S1, Other) ->
    {H2, S2} = count(Other),
    H = max(H1, H2) bsl 1,
    Size = S1 + S2 + 1,
    if
        H > Size * Size -> balance(T, Size);
        true -> {T, H, Size}
    end.

%% {2^height, size} of a subtree.
count({_, nil, nil}) ->
    {1, 1};
count({_, Smaller, Bigger}) ->
    {H1, S1} = count(Smaller),
    {H2, S2} = count(Bigger),
    {max(H1, H2) bsl 1, S1 + S2 + 1};
count(nil) ->
    {1, 0}.

-file("gb_sets.erl", 319).
balance({S, T}) ->
    {S, balance(T, S)}.

balance(T, S) ->
    balance_list(to_list_1(T), S).

-file("gb_sets.erl", 325).
balance_list(L, S) ->
    {T, _} = balance_list_1(L, S),
    T.

%% {Tree of the first S elements, the elements after them}: the middle
%% one is the root, the smaller subtree gets the extra one.
-file("gb_sets.erl", 329).
balance_list_1(L, S) when S > 1 ->
    Below = S - 1,
    Bigger = Below div 2,
    Smaller = Below - Bigger,
    {T1, [K | L1]} = balance_list_1(L, Smaller),
    {T2, L2} = balance_list_1(L1, Bigger),
    {{K, T1, T2}, L2};
%%
balance_list_1([Key | L], 1) ->
    {{Key, nil, nil}, L};
balance_list_1(L, 0) ->
    {nil, L}.

-file("gb_sets.erl", 346).
add_element(X, S) ->
    add(X, S).

-file("gb_sets.erl", 353).
add(X, S) ->
    case is_member(X, S) of
        true -> S;
        false -> insert(X, S)
    end.

-file("gb_sets.erl", 365).
from_list(L) ->
    from_ordset(ordsets:from_list(L)).

%% The list must be ordered and without duplicates.
-file("gb_sets.erl", 372).
from_ordset(L) ->
    S = length(L),
    {S, balance_list(L, S)}.

-file("gb_sets.erl", 380).
del_element(Key, S) ->
    delete_any(Key, S).

-file("gb_sets.erl", 387).
delete_any(Key, S) ->
    case is_member(Key, S) of
        true -> delete(Key, S);
        false -> S
    end.

%% The element must be there: a missing one ends in delete_1(Key, nil).
-file("gb_sets.erl", 399).
delete(Key, {S, T}) ->
    {S - 1, delete_1(Key, T)}.

-file("gb_sets.erl", 402).
delete_1(Key, {Key1, Smaller, Larger}) when Key < Key1 ->
    Smaller1 = delete_1(Key, Smaller),
    {Key1, Smaller1, Larger};
delete_1(Key, {Key1, Smaller, Bigger}) when Key > Key1 ->
    Bigger1 = delete_1(Key, Bigger),
    {Key1, Smaller, Bigger1};
delete_1(_, {_, Smaller, Larger}) ->
    merge(Smaller, Larger).

%% Two subtrees, all of the first below all of the second, as one.
merge(Smaller, nil) ->
    Smaller;
merge(nil, Larger) ->
    Larger;
merge(Smaller, Larger) ->
    {Key, Larger1} = take_smallest1(Larger),
    {Key, Smaller, Larger1}.

-file("gb_sets.erl", 423).
take_smallest({S, T}) ->
    {Key, Larger} = take_smallest1(T),
    {Key, {S - 1, Larger}}.

-file("gb_sets.erl", 427).
take_smallest1({Key, nil, Larger}) ->
    {Key, Larger};
take_smallest1({Key, Smaller, Larger}) ->
    {Key1, Smaller1} = take_smallest1(Smaller),
    {Key1, {Key, Smaller1, Larger}}.

-file("gb_sets.erl", 436).
smallest({_, T}) ->
    smallest_1(T).

-file("gb_sets.erl", 439).
smallest_1({Key, nil, _Larger}) ->
    Key;
smallest_1({_Key, Smaller, _Larger}) ->
    smallest_1(Smaller).

-file("gb_sets.erl", 448).
take_largest({S, T}) ->
    {Key, Smaller} = take_largest1(T),
    {Key, {S - 1, Smaller}}.

-file("gb_sets.erl", 452).
take_largest1({Key, Smaller, nil}) ->
    {Key, Smaller};
take_largest1({Key, Smaller, Larger}) ->
    {Key1, Larger1} = take_largest1(Larger),
    {Key1, {Key, Smaller, Larger1}}.

-file("gb_sets.erl", 461).
largest({_, T}) ->
    largest_1(T).

-file("gb_sets.erl", 464).
largest_1({Key, _Smaller, nil}) ->
    Key;
largest_1({_Key, _Smaller, Larger}) ->
    largest_1(Larger).

-file("gb_sets.erl", 473).
to_list({_, T}) ->
    to_list(T, []).

to_list_1(T) -> to_list(T, []).

-file("gb_sets.erl", 478).
to_list({Key, Small, Big}, L) ->
    to_list(Small, [Key | to_list(Big, L)]);
to_list(nil, L) -> L.

%% An iterator is the stack of nodes still to visit, the next first.
-file("gb_sets.erl", 486).
iterator({_, T}) ->
    iterator(T, []).

-file("gb_sets.erl", 492).
iterator({_, nil, _} = T, As) ->
    [T | As];
iterator({_, L, _} = T, As) ->
    iterator(L, [T | As]);
iterator(nil, As) ->
    As.

%% An iterator starting at the first element >= S.
-file("gb_sets.erl", 503).
iterator_from(S, {_, T}) ->
    iterator_from(S, T, []).

iterator_from(S, {K, _, T}, As) when K < S ->
    iterator_from(S, T, As);
iterator_from(_, {_, nil, _} = T, As) ->
    [T | As];
iterator_from(S, {_, L, _} = T, As) ->
    iterator_from(S, L, [T | As]);
iterator_from(_, nil, As) ->
    As.

-file("gb_sets.erl", 519).
next([{X, _, T} | As]) ->
    {X, iterator(T, As)};
next([]) ->
    none.

%%% Set operations. Each walks the smaller set's elements as an ordered
%%% list: against the other set's list (a merge) when that is cheaper,
%%% else against its tree (lookups).

%% Is looking up N1 elements in a tree of N2 cheaper than merging lists?
-define(LOOKUPS_CHEAPER(N1, N2), N2 >= N1 * round(?C * math:log(N2))).

-file("gb_sets.erl", 552).
union({N1, T1}, {N2, T2}) when N2 < N1 ->
    union(to_list_1(T2), N2, T1, N1);
union({N1, T1}, {N2, T2}) ->
    union(to_list_1(T1), N1, T2, N2).

%% The small set's elements L (N1 of them) into the big set {N2, T2}:
%% added one by one, or merged with its list and rebuilt.
-file("gb_sets.erl", 561).
union(L, N1, T2, N2) when N2 < 10 ->
    union_2(L, to_list_1(T2), N1 + N2);
union(L, N1, T2, N2) ->
    case ?LOOKUPS_CHEAPER(N1, N2) of
        true -> union_1(L, {N2, T2});
        false -> union_2(L, to_list_1(T2), N1 + N2)
    end.

union_1([X | Xs], S) ->
    union_1(Xs, add(X, S));
union_1([], S) ->
    S.

%% Merge two ordered lists into a reversed one, then a balanced tree.
%% S starts as the sum of the sizes, less one per element in both. When
%% the second list's head is smaller the lists change places, so an
%% element found in both is kept from whichever list came second.
union_2(Xs, Ys, S) ->
    union_2(Xs, Ys, [], S).

union_2([X | Xs1], [Y | _] = Ys, As, S) when X < Y ->
    union_2(Xs1, Ys, [X | As], S);
union_2([X | _] = Xs, [Y | Ys1], As, S) when X > Y ->
    union_2(Ys1, Xs, [Y | As], S);
union_2([X | Xs1], [_ | Ys1], As, S) ->
    union_2(Xs1, Ys1, [X | As], S - 1);
union_2([], Ys, As, S) ->
    {S, balance_revlist(push(Ys, As), S)};
union_2(Xs, [], As, S) ->
    {S, balance_revlist(push(Xs, As), S)}.

%% Xs (ascending) onto the reversed list As.
push([X | Xs], As) ->
    push(Xs, [X | As]);
push([], As) ->
    As.

%% A balanced tree of the first S elements of a descending list.
balance_revlist(L, S) ->
    {T, _} = balance_revlist_1(L, S),
    T.

balance_revlist_1(L, S) when S > 1 ->
    Below = S - 1,
    Smaller = Below div 2,
    Bigger = Below - Smaller,
    {T2, [K | L1]} = balance_revlist_1(L, Bigger),
    {T1, L2} = balance_revlist_1(L1, Smaller),
    {{K, T1, T2}, L2};
balance_revlist_1([Key | L], 1) ->
    {{Key, nil, nil}, L};
balance_revlist_1(L, 0) ->
    {nil, L}.

-file("gb_sets.erl", 656).
union([S | Ss]) ->
    union_list(S, Ss);
union([]) -> empty().

union_list(S, [S1 | Ss]) ->
    union_list(union(S, S1), Ss);
union_list(S, []) -> S.

-file("gb_sets.erl", 672).
intersection({N1, T1}, {N2, T2}) when N2 < N1 ->
    intersection(to_list_1(T2), N2, T1, N1);
intersection({N1, T1}, {N2, T2}) ->
    intersection(to_list_1(T1), N1, T2, N2).

-file("gb_sets.erl", 677).
intersection(L, _N1, T2, N2) when N2 < 10 ->
    intersection_2(L, to_list_1(T2));
intersection(L, N1, T2, N2) ->
    case ?LOOKUPS_CHEAPER(N1, N2) of
        true -> intersection_1(L, T2);
        false -> intersection_2(L, to_list_1(T2))
    end.

%% The elements of the list found in the tree.
intersection_1(Xs, T) ->
    intersection_1(Xs, T, [], 0).

intersection_1([X | Xs], T, As, N) ->
    case is_member_1(X, T) of
        true -> intersection_1(Xs, T, [X | As], N + 1);
        false -> intersection_1(Xs, T, As, N)
    end;
intersection_1([], _, As, N) ->
    {N, balance_revlist(As, N)}.

%% The elements of both lists (the lists change places as in union_2).
intersection_2(Xs, Ys) ->
    intersection_2(Xs, Ys, [], 0).

intersection_2([X | Xs1], [Y | _] = Ys, As, S) when X < Y ->
    intersection_2(Xs1, Ys, As, S);
intersection_2([X | _] = Xs, [Y | Ys1], As, S) when X > Y ->
    intersection_2(Ys1, Xs, As, S);
intersection_2([X | Xs1], [_ | Ys1], As, S) ->
    intersection_2(Xs1, Ys1, [X | As], S + 1);
intersection_2([], _, As, S) ->
    {S, balance_revlist(As, S)};
intersection_2(_, [], As, S) ->
    {S, balance_revlist(As, S)}.

-file("gb_sets.erl", 722).
intersection([S | Ss]) ->
    intersection_list(S, Ss).

intersection_list(S, [S1 | Ss]) ->
    intersection_list(intersection(S, S1), Ss);
intersection_list(S, []) -> S.

%% Walks the smaller tree, looking its elements up in the bigger one
%% and splitting the bigger one's search at each root.
-file("gb_sets.erl", 733).
is_disjoint({N1, T1}, {N2, T2}) when N1 < N2 ->
    is_disjoint_1(T1, T2);
is_disjoint({_, T1}, {_, T2}) ->
    is_disjoint_1(T2, T1).

is_disjoint_1({K1, Smaller1, Bigger}, {K2, Smaller2, _} = Tree) when K1 < K2 ->
    not is_member_1(K1, Smaller2) andalso
        is_disjoint_1(Smaller1, Smaller2) andalso
        is_disjoint_1(Bigger, Tree);
is_disjoint_1({K1, Smaller, Bigger1}, {K2, _, Bigger2} = Tree) when K1 > K2 ->
    not is_member_1(K1, Bigger2) andalso
        is_disjoint_1(Bigger1, Bigger2) andalso
        is_disjoint_1(Smaller, Tree);
is_disjoint_1({_, _, _}, {_, _, _}) ->
    false;
is_disjoint_1(nil, _) ->
    true;
is_disjoint_1(_, nil) ->
    true.

-file("gb_sets.erl", 764).
subtract(S1, S2) ->
    difference(S1, S2).

-file("gb_sets.erl", 772).
difference({N1, T1}, {N2, T2}) ->
    difference(to_list_1(T1), N1, T2, N2).

-file("gb_sets.erl", 775).
difference(L, N1, T2, N2) when N2 < 10 ->
    difference_2(L, to_list_1(T2), N1);
difference(L, N1, T2, N2) ->
    case ?LOOKUPS_CHEAPER(N1, N2) of
        true -> difference_1(L, T2);
        false -> difference_2(L, to_list_1(T2), N1)
    end.

%% The elements of the list not in the tree.
difference_1(Xs, T) ->
    difference_1(Xs, T, [], 0).

difference_1([X | Xs], T, As, N) ->
    case is_member_1(X, T) of
        true -> difference_1(Xs, T, As, N);
        false -> difference_1(Xs, T, [X | As], N + 1)
    end;
difference_1([], _, As, N) ->
    {N, balance_revlist(As, N)}.

%% S starts as the size of the first set, less one per element in both.
difference_2(Xs, Ys, S) ->
    difference_2(Xs, Ys, [], S).

difference_2([X | Xs1], [Y | _] = Ys, As, S) when X < Y ->
    difference_2(Xs1, Ys, [X | As], S);
difference_2([X | _] = Xs, [Y | Ys1], As, S) when X > Y ->
    difference_2(Xs, Ys1, As, S);
difference_2([_ | Xs1], [_ | Ys1], As, S) ->
    difference_2(Xs1, Ys1, As, S - 1);
difference_2([], _, As, S) ->
    {S, balance_revlist(As, S)};
difference_2(Xs, [], As, S) ->
    {S, balance_revlist(push(Xs, As), S)}.

-file("gb_sets.erl", 822).
is_subset({N1, T1}, {N2, T2}) ->
    is_subset(to_list_1(T1), N1, T2, N2).

-file("gb_sets.erl", 825).
is_subset(L, _N1, T2, N2) when N2 < 10 ->
    is_subset_2(L, to_list_1(T2));
is_subset(L, N1, T2, N2) ->
    case ?LOOKUPS_CHEAPER(N1, N2) of
        true -> is_subset_1(L, T2);
        false -> is_subset_2(L, to_list_1(T2))
    end.

is_subset_1([X | Xs], T) ->
    case is_member_1(X, T) of
        true -> is_subset_1(Xs, T);
        false -> false
    end;
is_subset_1([], _) ->
    true.

is_subset_2([X | _], [Y | _]) when X < Y ->
    false;
is_subset_2([X | _] = Xs, [Y | Ys1]) when X > Y ->
    is_subset_2(Xs, Ys1);
is_subset_2([_ | Xs1], [_ | Ys1]) ->
    is_subset_2(Xs1, Ys1);
is_subset_2([], _) ->
    true;
is_subset_2(_, []) ->
    false.

%% Only the outer shape is checked.
-file("gb_sets.erl", 864).
is_set({0, nil}) -> true;
is_set({N, {_, _, _}}) when is_integer(N), N >= 0 -> true;
is_set(_) -> false.

-file("gb_sets.erl", 873).
filter(F, S) when is_function(F, 1) ->
    from_ordset([X || X <- to_list(S), F(X)]).

-file("gb_sets.erl", 884).
fold(F, A, {_, T}) when is_function(F, 2) ->
    fold_1(F, A, T).

-file("gb_sets.erl", 887).
fold_1(F, Acc0, {Key, Small, Big}) ->
    Acc1 = fold_1(F, Acc0, Small),
    Acc = F(Key, Acc1),
    fold_1(F, Acc, Big);
fold_1(_, Acc, _) ->
    Acc.
