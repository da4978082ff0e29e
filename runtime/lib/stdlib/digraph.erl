%% digraph: directed graphs kept in three ETS tables owned by the process that made them.
%%
%%   vertices    (set)  {Vertex, Label}
%%   edges       (set)  {Edge, From, To, Label}
%%   neighbours  (bag)  {{out, From}, Edge} and {{in, To}, Edge} for every edge, and the counters
%%                      {'$vid', N} and {'$eid', N} that name new vertices ['$v'|N] and edges ['$e'|N]
%%
%% The graph is the record #digraph{}, so it prints as {digraph, Vertices, Edges, Neighbours,
%% Cyclic}. An acyclic graph refuses an edge that would close a cycle.
%%
%% The functions, in the order they appear below:
%%
%%   new/0, new/1          a graph: new([cyclic | acyclic | protected | private]); the tables are
%%                         protected (others may read them) unless private is asked for
%%   delete/1              the graph's tables go (they go anyway when their owner dies)
%%   info/1                [{cyclicity, C}, {memory, Words}, {protection, P}]
%%
%%   add_vertex/1,2,3      a vertex (a new name ['$v'|N] when none is given), label [] by default;
%%                         adding a vertex again changes its label
%%   del_vertex/2, del_vertices/2   a vertex goes with its edges
%%   vertex/2              {V, Label} or false
%%   no_vertices/1, vertices/1, source_vertices/1 (no edge in), sink_vertices/1 (no edge out)
%%
%%   add_edge/3,4,5        an edge from V1 to V2 (a new name ['$e'|N] when none is given), or
%%                         {error, {bad_vertex, V}} for a missing end, or {error, {bad_edge, Path}}
%%                         when an acyclic graph would get a cycle (or a named edge would move)
%%   del_edge/2, del_edges/2, del_path/3 (edges go until no path leads from V1 to V2)
%%   edge/2                {E, V1, V2, Label} or false
%%   no_edges/1, edges/1, edges/2 (the edges leaving V, then those entering it)
%%
%%   in_degree/2, out_degree/2, in_neighbours/2, out_neighbours/2, in_edges/2, out_edges/2
%%
%%   get_path/3, get_cycle/2            a path (a cycle) found depth first, or false
%%   get_short_path/3, get_short_cycle/2   a shortest one, found breadth first, or false
%%
%% Vertices, edges and labels can be any terms. The graph lives as long as the process that
%% called new/1: its tables go when that process ends. Other processes may read a protected
%% graph but change none. Lists of vertices and edges come in the tables' order, not the order
%% they were added in; the algorithms over graphs are in digraph_utils.
%%
-module(digraph).

-export([new/0, new/1, delete/1, info/1]).
-export([add_vertex/1, add_vertex/2, add_vertex/3, del_vertex/2, del_vertices/2,
         vertex/2, no_vertices/1, vertices/1, source_vertices/1, sink_vertices/1]).
-export([add_edge/3, add_edge/4, add_edge/5, del_edge/2, del_edges/2, del_path/3,
         edge/2, no_edges/1, edges/1, edges/2]).
-export([in_degree/2, out_degree/2, in_neighbours/2, out_neighbours/2,
         in_edges/2, out_edges/2]).
-export([get_path/3, get_cycle/2, get_short_path/3, get_short_cycle/2]).

-export_type([graph/0, d_type/0, vertex/0, edge/0, label/0]).

-record(digraph, {vtab = notable :: ets:tab(),
                  etab = notable :: ets:tab(),
                  ntab = notable :: ets:tab(),
                  cyclic = true :: boolean()}).

-opaque graph() :: #digraph{}.
-type d_type() :: d_cyclicity() | d_protection().
-type d_cyclicity() :: 'acyclic' | 'cyclic'.
-type d_protection() :: 'private' | 'protected'.
-type vertex() :: term().
-type edge() :: term().
-type label() :: term().

%% ---------------------------------------------------------------- the graph

-spec new() -> graph().
new() ->
    new([]).

-spec new([d_type()]) -> graph().
new(Type) ->
    case options(Type, true, protected) of
        {Cyclic, Access} ->
            VT = ets:new(vertices, [set, Access]),
            ET = ets:new(edges, [set, Access]),
            NT = ets:new(neighbours, [bag, Access]),
            ets:insert(NT, [{'$vid', 0}, {'$eid', 0}]),
            #digraph{vtab = VT, etab = ET, ntab = NT, cyclic = Cyclic};
        error ->
            erlang:error(badarg)
    end.

%% {Cyclic, Access} from new/1's options, or error.
options([], Cyclic, Access) -> {Cyclic, Access};
options([cyclic | Rest], _, Access) -> options(Rest, true, Access);
options([acyclic | Rest], _, Access) -> options(Rest, false, Access);
options([protected | Rest], Cyclic, _) -> options(Rest, Cyclic, protected);
options([private | Rest], Cyclic, _) -> options(Rest, Cyclic, private);
options(_, _, _) -> error.

-spec delete(graph()) -> 'true'.
delete(#digraph{vtab = VT, etab = ET, ntab = NT}) ->
    ets:delete(VT),
    ets:delete(ET),
    ets:delete(NT).

-spec info(graph()) -> [{'cyclicity', d_cyclicity()} | {'memory', non_neg_integer()} |
                        {'protection', d_protection()}].
info(#digraph{vtab = VT, etab = ET, ntab = NT, cyclic = Cyclic}) ->
    Cyclicity = case Cyclic of
                    true -> cyclic;
                    false -> acyclic
                end,
    Memory = ets:info(VT, memory) + ets:info(ET, memory) + ets:info(NT, memory),
    [{cyclicity, Cyclicity}, {memory, Memory}, {protection, ets:info(VT, protection)}].

%% ---------------------------------------------------------------- vertices

-spec add_vertex(graph()) -> vertex().
add_vertex(G) ->
    add_vertex(G, next_id(G, '$vid', '$v'), []).

-spec add_vertex(graph(), vertex()) -> vertex().
add_vertex(G, V) ->
    add_vertex(G, V, []).

-spec add_vertex(graph(), vertex(), label()) -> vertex().
add_vertex(#digraph{vtab = VT}, V, Label) ->
    ets:insert(VT, {V, Label}),
    V.

-spec del_vertex(graph(), vertex()) -> 'true'.
del_vertex(#digraph{vtab = VT, ntab = NT} = G, V) ->
    del_edges(G, in_edges(G, V) ++ out_edges(G, V)),
    ets:delete(VT, V),
    ets:delete(NT, {in, V}),
    ets:delete(NT, {out, V}).

-spec del_vertices(graph(), [vertex()]) -> 'true'.
del_vertices(G, Vs) ->
    lists:foreach(fun(V) -> del_vertex(G, V) end, Vs),
    true.

-spec vertex(graph(), vertex()) -> {vertex(), label()} | 'false'.
vertex(#digraph{vtab = VT}, V) ->
    case ets:lookup(VT, V) of
        [Vertex] -> Vertex;
        [] -> false
    end.

-spec no_vertices(graph()) -> non_neg_integer().
no_vertices(#digraph{vtab = VT}) ->
    ets:info(VT, size).

-spec vertices(graph()) -> [vertex()].
vertices(#digraph{vtab = VT}) ->
    ets:select(VT, [{{'$1', '_'}, [], ['$1']}]).

%% The vertices no edge goes into.
-spec source_vertices(graph()) -> [vertex()].
source_vertices(G) ->
    [V || V <- vertices(G), in_degree(G, V) =:= 0].

%% The vertices no edge leaves.
-spec sink_vertices(graph()) -> [vertex()].
sink_vertices(G) ->
    [V || V <- vertices(G), out_degree(G, V) =:= 0].

%% ---------------------------------------------------------------- edges

-spec add_edge(graph(), vertex(), vertex()) -> edge() | {'error', term()}.
add_edge(G, V1, V2) ->
    add_edge(G, V1, V2, []).

%% (a new edge takes its name before its ends are checked, as OTP's does)
-spec add_edge(graph(), vertex(), vertex(), label()) -> edge() | {'error', term()}.
add_edge(G, V1, V2, Label) ->
    insert_edge(G, next_id(G, '$eid', '$e'), V1, V2, Label).

-spec add_edge(graph(), edge(), vertex(), vertex(), label()) -> edge() | {'error', term()}.
add_edge(G, E, V1, V2, Label) ->
    insert_edge(G, E, V1, V2, Label).

insert_edge(#digraph{vtab = VT, etab = ET, cyclic = Cyclic} = G, E, V1, V2, Label) ->
    case {ets:member(VT, V1), ets:member(VT, V2)} of
        {false, _} ->
            {error, {bad_vertex, V1}};
        {_, false} ->
            {error, {bad_vertex, V2}};
        _ ->
            case ets:lookup(ET, E) of
                [{E, From, To, _}] when From =/= V1; To =/= V2 ->
                    %% a named edge keeps its ends
                    {error, {bad_edge, [V1, V2]}};
                _ when Cyclic ->
                    store_edge(G, E, V1, V2, Label);
                _ when V1 =:= V2 ->
                    {error, {bad_edge, [V1, V2]}};
                _ ->
                    case get_path(G, V2, V1) of
                        false -> store_edge(G, E, V1, V2, Label);
                        Path -> {error, {bad_edge, Path}}
                    end
            end
    end.

store_edge(#digraph{etab = ET, ntab = NT}, E, V1, V2, Label) ->
    ets:insert(NT, [{{out, V1}, E}, {{in, V2}, E}]),
    ets:insert(ET, {E, V1, V2, Label}),
    E.

-spec del_edge(graph(), edge()) -> 'true'.
del_edge(#digraph{etab = ET} = G, E) ->
    case ets:lookup(ET, E) of
        [{E, V1, V2, _}] -> remove_edge(G, E, V1, V2);
        [] -> true
    end.

remove_edge(#digraph{etab = ET, ntab = NT}, E, V1, V2) ->
    ets:select_delete(NT, [{{{in, V2}, E}, [], [true]},
                           {{{out, V1}, E}, [], [true]}]),
    ets:delete(ET, E).

-spec del_edges(graph(), [edge()]) -> 'true'.
del_edges(G, Es) ->
    lists:foreach(fun(E) -> del_edge(G, E) end, Es),
    true.

%% Delete edges until no path leads from V1 to V2.
-spec del_path(graph(), vertex(), vertex()) -> 'true'.
del_path(G, V1, V2) ->
    case get_path(G, V1, V2) of
        false ->
            true;
        Path ->
            del_path_edges(G, Path),
            del_path(G, V1, V2)
    end.

%% Every edge between two consecutive vertices of the path.
del_path_edges(#digraph{etab = ET} = G, [From, To | Rest]) ->
    lists:foreach(fun(E) ->
                          case ets:lookup(ET, E) of
                              [{E, From, To, _}] -> remove_edge(G, E, From, To);
                              _ -> ok
                          end
                  end, out_edges(G, From)),
    del_path_edges(G, [To | Rest]);
del_path_edges(_, _) ->
    true.

-spec edge(graph(), edge()) -> {edge(), vertex(), vertex(), label()} | 'false'.
edge(#digraph{etab = ET}, E) ->
    case ets:lookup(ET, E) of
        [Edge] -> Edge;
        [] -> false
    end.

-spec no_edges(graph()) -> non_neg_integer().
no_edges(#digraph{etab = ET}) ->
    ets:info(ET, size).

-spec edges(graph()) -> [edge()].
edges(#digraph{etab = ET}) ->
    ets:select(ET, [{{'$1', '_', '_', '_'}, [], ['$1']}]).

%% The edges leaving V, then those entering it.
-spec edges(graph(), vertex()) -> [edge()].
edges(#digraph{ntab = NT}, V) ->
    ets:select(NT, [{{{out, V}, '$1'}, [], ['$1']},
                    {{{in, V}, '$1'}, [], ['$1']}]).

%% ---------------------------------------------------------------- neighbours

-spec in_degree(graph(), vertex()) -> non_neg_integer().
in_degree(#digraph{ntab = NT}, V) ->
    length(ets:lookup(NT, {in, V})).

-spec out_degree(graph(), vertex()) -> non_neg_integer().
out_degree(#digraph{ntab = NT}, V) ->
    length(ets:lookup(NT, {out, V})).

-spec in_edges(graph(), vertex()) -> [edge()].
in_edges(#digraph{ntab = NT}, V) ->
    [E || {_, E} <- ets:lookup(NT, {in, V})].

-spec out_edges(graph(), vertex()) -> [edge()].
out_edges(#digraph{ntab = NT}, V) ->
    [E || {_, E} <- ets:lookup(NT, {out, V})].

%% The other ends of V's edges, the latest edge first.
-spec in_neighbours(graph(), vertex()) -> [vertex()].
in_neighbours(#digraph{etab = ET} = G, V) ->
    ends(in_edges(G, V), ET, 2, []).

-spec out_neighbours(graph(), vertex()) -> [vertex()].
out_neighbours(#digraph{etab = ET} = G, V) ->
    ends(out_edges(G, V), ET, 3, []).

ends([E | Es], ET, Pos, Acc) ->
    ends(Es, ET, Pos, [ets:lookup_element(ET, E, Pos) | Acc]);
ends([], _, _, Acc) ->
    Acc.

%% ---------------------------------------------------------------- paths

%% A path from V1 to V2 found depth first, or false.
-spec get_path(graph(), vertex(), vertex()) -> [vertex(), ...] | 'false'.
get_path(G, V1, V2) ->
    dfs(G, out_neighbours(G, V1), V2, [V1], [V1], [], 1, 1).

%% A cycle through V: a longer one if there is one, else [V] for a loop, else false.
-spec get_cycle(graph(), vertex()) -> [vertex(), ...] | 'false'.
get_cycle(G, V) ->
    case dfs(G, out_neighbours(G, V), V, [V], [V], [], 2, 1) of
        false ->
            case lists:member(V, out_neighbours(G, V)) of
                true -> [V];
                false -> false
            end;
        Cycle ->
            Cycle
    end.

%% Depth-first search for Goal. Ws: the vertices still to try at this depth; Path: the path
%% so far, reversed; Seen: the vertices entered; Stack: what is left to try at the levels above,
%% with their paths. A path reaching Goal counts only if it has at least MinLength edges.
dfs(G, [Goal | Ws], Goal, Path, Seen, Stack, MinLength, Length) ->
    if
        Length >= MinLength -> lists:reverse(Path, [Goal]);
        true -> dfs(G, Ws, Goal, Path, Seen, Stack, MinLength, Length)
    end;
dfs(G, [W | Ws], Goal, Path, Seen, Stack, MinLength, Length) ->
    case lists:member(W, Seen) of
        true ->
            dfs(G, Ws, Goal, Path, Seen, Stack, MinLength, Length);
        false ->
            dfs(G, out_neighbours(G, W), Goal, [W | Path], [W | Seen],
                [{Ws, Path} | Stack], MinLength, Length + 1)
    end;
dfs(G, [], Goal, _, Seen, [{Ws, Path} | Stack], MinLength, Length) ->
    dfs(G, Ws, Goal, Path, Seen, Stack, MinLength, Length - 1);
dfs(_, [], _, _, _, [], _, _) ->
    false.

%% A shortest cycle through V ([V] for a loop), or false.
-spec get_short_cycle(graph(), vertex()) -> [vertex(), ...] | 'false'.
get_short_cycle(G, V) ->
    get_short_path(G, V, V).

%% A shortest path from V1 to V2, found breadth first over the edges, or false.
-spec get_short_path(graph(), vertex(), vertex()) -> [vertex(), ...] | 'false'.
get_short_path(G, V1, V2) ->
    bfs(G, out_edges(G, V1), [], V2, #{V1 => start}).

%% The edges to look at are Front ++ reverse(Back); Parents maps each vertex reached to the
%% vertex it was reached from.
bfs(_, [], [], _, _) ->
    false;
bfs(G, [], Back, Goal, Parents) ->
    bfs(G, lists:reverse(Back), [], Goal, Parents);
bfs(G, [E | Front], Back, Goal, Parents) ->
    {E, From, To, _} = edge(G, E),
    if
        To =:= Goal ->
            back_to_start(From, Parents, [To]);
        true ->
            case maps:is_key(To, Parents) of
                true ->
                    bfs(G, Front, Back, Goal, Parents);
                false ->
                    bfs(G, Front, lists:reverse(out_edges(G, To), Back), Goal, Parents#{To => From})
            end
    end.

back_to_start(V, Parents, Path) ->
    case maps:get(V, Parents) of
        start -> [V | Path];
        Parent -> back_to_start(Parent, Parents, [V | Path])
    end.

%% ---------------------------------------------------------------- names

%% The next name from counter Key: [Prefix | N].
next_id(#digraph{ntab = NT}, Key, Prefix) ->
    [{Key, N}] = ets:lookup(NT, Key),
    ets:delete(NT, Key),
    ets:insert(NT, {Key, N + 1}),
    [Prefix | N].
