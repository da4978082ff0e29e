%% ordsets: sets as ordered lists, as OTP 25's stdlib module.
%%
%% An ordset is a list in strictly ascending term order without
%% duplicates: ordsets:new() is [], ordsets:from_list([b,a,b]) is
%% [a,b]. Elements compare with < and > (1 and 1.0 are the same
%% element), so the functions walk the lists in step and stop early.
%% Where both sets hold an element, the operations keep the one from the
%% first set that reaches it: when the second list's head is the smaller
%% the two lists change places.
%%
%% An argument that is not a list fails with function_clause in the
%% function OTP fails in; the -file lines put the functions on
%% ordsets.erl's lines, so the shell reports them as erl does.

-module(ordsets).

-export([new/0, is_set/1, size/1, is_empty/1, to_list/1, from_list/1]).
-export([is_element/2, add_element/2, del_element/2]).
-export([union/2, union/1, intersection/2, intersection/1]).
-export([is_disjoint/2]).
-export([subtract/2, is_subset/2]).
-export([fold/3, filter/2]).

-export_type([ordset/1]).

-type ordset(T) :: [T].

-file("ordsets.erl", 37).
new() -> [].

%% A proper list, each element greater than the one before.
-file("ordsets.erl", 45).
is_set([E | Es]) -> is_set(Es, E);
is_set([]) -> true;
is_set(_) -> false.

is_set([E2 | Es], E1) when E1 < E2 -> is_set(Es, E2);
is_set([_ | _], _) -> false;
is_set([], _) -> true.

-file("ordsets.erl", 60).
size(S) -> length(S).

-file("ordsets.erl", 67).
is_empty(S) -> S =:= [].

-file("ordsets.erl", 76).
to_list(S) -> S.

-file("ordsets.erl", 85).
from_list(L) ->
    lists:usort(L).

-file("ordsets.erl", 95).
is_element(E, [H | Es]) when E > H -> is_element(E, Es);
is_element(E, [H | _]) when E < H -> false;
is_element(_, [_ | _]) -> true;
is_element(_, []) -> false.

-file("ordsets.erl", 110).
add_element(E, [H | Es]) when E > H -> [H | add_element(E, Es)];
add_element(E, [H | _] = Set) when E < H -> [E | Set];
add_element(_, [_ | _] = Set) -> Set;
add_element(E, []) -> [E].

-file("ordsets.erl", 123).
del_element(E, [H | Es]) when E > H -> [H | del_element(E, Es)];
del_element(E, [H | _] = Set) when E < H -> Set;
del_element(_, [_ | Es]) -> Es;
del_element(_, []) -> [].

-file("ordsets.erl", 136).
union([E1 | Es1], [E2 | _] = Set2) when E1 < E2 ->
    [E1 | union(Es1, Set2)];
union([E1 | _] = Set1, [E2 | Es2]) when E1 > E2 ->
    [E2 | union(Es2, Set1)];
union([E1 | Es1], [_ | Es2]) ->
    [E1 | union(Es1, Es2)];
union([], Es2) -> Es2;
union(Es1, []) -> Es1.

-file("ordsets.erl", 152).
union(OrdsetList) ->
    lists:umerge(OrdsetList).

-file("ordsets.erl", 163).
intersection([E1 | Es1], [E2 | _] = Set2) when E1 < E2 ->
    intersection(Es1, Set2);
intersection([E1 | _] = Set1, [E2 | Es2]) when E1 > E2 ->
    intersection(Es2, Set1);
intersection([E1 | Es1], [_ | Es2]) ->
    [E1 | intersection(Es1, Es2)];
intersection([], _) ->
    [];
intersection(_, []) ->
    [].

%% At least one set: intersection([]) has no answer.
-file("ordsets.erl", 181).
intersection([S1, S2 | Ss]) ->
    intersection1(intersection(S1, S2), Ss);
intersection([S]) -> S.

intersection1(S1, [S2 | Ss]) ->
    intersection1(intersection(S1, S2), Ss);
intersection1(S1, []) -> S1.

-file("ordsets.erl", 196).
is_disjoint([E1 | Es1], [E2 | _] = Set2) when E1 < E2 ->
    is_disjoint(Es1, Set2);
is_disjoint([E1 | _] = Set1, [E2 | Es2]) when E1 > E2 ->
    is_disjoint(Es2, Set1);
is_disjoint([_ | _], [_ | _]) ->
    false;
is_disjoint([], _) ->
    true;
is_disjoint(_, []) ->
    true.

-file("ordsets.erl", 216).
subtract([E1 | Es1], [E2 | _] = Set2) when E1 < E2 ->
    [E1 | subtract(Es1, Set2)];
subtract([E1 | _] = Set1, [E2 | Es2]) when E1 > E2 ->
    subtract(Set1, Es2);
subtract([_ | Es1], [_ | Es2]) ->
    subtract(Es1, Es2);
subtract([], _) -> [];
subtract(Es1, []) -> Es1.

-file("ordsets.erl", 233).
is_subset([E1 | _], [E2 | _]) when E1 < E2 ->
    false;
is_subset([E1 | _] = Set1, [E2 | Es2]) when E1 > E2 ->
    is_subset(Set1, Es2);
is_subset([_ | Es1], [_ | Es2]) ->
    is_subset(Es1, Es2);
is_subset([], _) -> true;
is_subset(_, []) -> false.

-file("ordsets.erl", 251).
fold(F, Acc, Set) ->
    lists:foldl(F, Acc, Set).

-file("ordsets.erl", 262).
filter(F, Set) ->
    lists:filter(F, Set).
