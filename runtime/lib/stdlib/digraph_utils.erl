%% digraph_utils: algorithms over digraph's graphs, built on depth-first walks.
%%
%% A walk goes through the vertices in the order digraph:vertices/1 gives them (or the order
%% asked for), following a "step" (out-neighbours, in-neighbours or both); the vertices it reaches
%% from each start it has not seen yet form one tree of a forest, listed latest first.
%%
%% The functions, in the order they appear below:
%%
%%   components/1                  the connected components, edges taken either way
%%   strong_components/1           the strongly connected components
%%   cyclic_strong_components/1    the strongly connected components that hold a cycle
%%
%%   reachable/2, reaching/2       what a list of vertices leads to, or what leads to them
%%   reachable_neighbours/2, reaching_neighbours/2   the same along at least one edge
%%
%%   topsort/1                     the vertices with every edge going forward, or false
%%   is_acyclic/1                  no cycle and no loop
%%   preorder/1, postorder/1       the orders of a depth-first walk
%%
%%   arborescence_root/1           {yes, Root} when the graph is a tree hanging from Root, or no
%%   is_arborescence/1, is_tree/1  (is_tree takes the edges either way)
%%   loop_vertices/1               the vertices with an edge to themselves
%%
%%   subgraph/2,3                  a new graph of some of the vertices and the edges between them
%%   condensation/1                a new graph of the strong components
%%
%% The graphs they make belong to the calling process, as digraph:new/1's do. The vertex lists
%% they return follow the walk, so they come in the order of the graph's tables: a graph built
%% the same way gives the same answers every time.
%%
%% (vertices that are not in the graph are left out, or make the walk fail where they are asked for)
-module(digraph_utils).

-export([components/1, strong_components/1, cyclic_strong_components/1,
         reachable/2, reachable_neighbours/2, reaching/2, reaching_neighbours/2,
         topsort/1, is_acyclic/1, arborescence_root/1, is_arborescence/1, is_tree/1,
         loop_vertices/1, subgraph/2, subgraph/3, condensation/1,
         preorder/1, postorder/1]).

%% ---------------------------------------------------------------- components

%% The connected components, edges taken either way.
-spec components(digraph:graph()) -> [[digraph:vertex()]].
components(G) ->
    forest(G, fun both/3, digraph:vertices(G), from_start).

%% The strongly connected components: walk back from each vertex in reverse postorder.
-spec strong_components(digraph:graph()) -> [[digraph:vertex()]].
strong_components(G) ->
    forest(G, fun into/3, revpostorder(G), from_start).

%% The strongly connected components that hold a cycle (a lone vertex needs a loop).
-spec cyclic_strong_components(digraph:graph()) -> [[digraph:vertex()]].
cyclic_strong_components(G) ->
    lists:foldl(fun([V] = C, Acc) ->
                        case has_loop(G, V) of
                            true -> [C | Acc];
                            false -> Acc
                        end;
                   (C, Acc) ->
                        [C | Acc]
                end, [], strong_components(G)).

%% ---------------------------------------------------------------- reachability
%%
%% Each walks from the vertices Vs along the edges, out of them (reachable) or into them
%% (reaching), and lists what it finds, the latest tree first. Vs is a list: a single vertex
%% is refused. The _neighbours variants leave a start vertex out unless a walk comes back to it.

%% What Vs lead to, Vs among them.
-spec reachable([digraph:vertex()], digraph:graph()) -> [digraph:vertex()].
reachable(Vs, G) when is_list(Vs) ->
    lists:append(forest(G, fun out/3, Vs, from_start)).

%% What can be reached from Vs along at least one edge (a vertex
%% of Vs only if a cycle leads back to it).
%%
%% (walks start from Vs's neighbours)
-spec reachable_neighbours([digraph:vertex()], digraph:graph()) -> [digraph:vertex()].
reachable_neighbours(Vs, G) when is_list(Vs) ->
    lists:append(forest(G, fun out/3, Vs, from_neighbours)).

%% What leads to Vs, Vs among them.
%%
%% (the walks go against the edges)
%%
-spec reaching([digraph:vertex()], digraph:graph()) -> [digraph:vertex()].
reaching(Vs, G) when is_list(Vs) ->
    lists:append(forest(G, fun into/3, Vs, from_start)).

%% What reaches Vs along at least one edge (a vertex
%% of Vs only if a cycle leads back to it).
%%
%% (walks start from Vs's in-neighbours)
-spec reaching_neighbours([digraph:vertex()], digraph:graph()) -> [digraph:vertex()].
reaching_neighbours(Vs, G) when is_list(Vs) ->
    lists:append(forest(G, fun into/3, Vs, from_neighbours)).

%% ---------------------------------------------------------------- orders

%% The vertices with every edge going forward, or false when there is a cycle: reverse
%% postorder works exactly when walking back from it finds every vertex alone.
-spec topsort(digraph:graph()) -> [digraph:vertex()] | 'false'.
topsort(G) ->
    Order = revpostorder(G),
    case length(forest(G, fun into/3, Order, from_start)) =:= length(digraph:vertices(G)) of
        true -> Order;
        false -> false
    end.

-spec is_acyclic(digraph:graph()) -> boolean().
is_acyclic(G) ->
    loop_vertices(G) =:= [] andalso topsort(G) =/= false.

-spec preorder(digraph:graph()) -> [digraph:vertex()].
preorder(G) ->
    lists:reverse(lists:append(forest(G, fun out/3, digraph:vertices(G), from_start))).

-spec postorder(digraph:graph()) -> [digraph:vertex()].
postorder(G) ->
    lists:reverse(revpostorder(G)).

%% ---------------------------------------------------------------- trees

%% {yes, Root} when G is a tree with its edges pointing away from Root.
-spec arborescence_root(digraph:graph()) -> 'no' | {'yes', digraph:vertex()}.
arborescence_root(G) ->
    case digraph:no_edges(G) =:= digraph:no_vertices(G) - 1 of
        true -> one_root(G, digraph:vertices(G), none);
        false -> no
    end.

%% every vertex but one has exactly one edge in
one_root(G, [V | Vs], Root) ->
    case {digraph:in_degree(G, V), Root} of
        {1, _} -> one_root(G, Vs, Root);
        {0, none} -> one_root(G, Vs, V);
        _ -> no
    end;
one_root(_, [], none) ->
    no;
one_root(_, [], Root) ->
    {yes, Root}.

-spec is_arborescence(digraph:graph()) -> boolean().
is_arborescence(G) ->
    arborescence_root(G) =/= no.

-spec is_tree(digraph:graph()) -> boolean().
is_tree(G) ->
    digraph:no_edges(G) =:= digraph:no_vertices(G) - 1
        andalso length(components(G)) =:= 1.

-spec loop_vertices(digraph:graph()) -> [digraph:vertex()].
loop_vertices(G) ->
    [V || V <- digraph:vertices(G), has_loop(G, V)].

has_loop(G, V) ->
    lists:member(V, digraph:out_neighbours(G, V)).

%% ---------------------------------------------------------------- subgraphs
%%
%% A subgraph is a new graph: changing it leaves G as it is.

-spec subgraph(digraph:graph(), [digraph:vertex()]) -> digraph:graph().
subgraph(G, Vs) ->
    case make_subgraph(G, Vs, []) of
        {ok, SG} -> SG;
        error -> erlang:error(badarg)
    end.

%% The graph of the vertices Vs of G and the edges between them. Options:
%%
%%   {type, inherit | Type}    inherit (the default) makes the new graph as G is (cyclic or
%%                             acyclic, protected or private); Type is a list for digraph:new/1
%%   {keep_labels, boolean()}  whether vertices and edges keep their labels (true by default)
%%
%% Anything else is badarg.
-spec subgraph(digraph:graph(), [digraph:vertex()], [{'type', 'inherit' | [digraph:d_type()]} |
                                                     {'keep_labels', boolean()}]) -> digraph:graph().
subgraph(G, Vs, Opts) ->
    case make_subgraph(G, Vs, Opts) of
        {ok, SG} -> SG;
        error -> erlang:error(badarg)
    end.

make_subgraph(G, Vs, Opts) ->
    case subgraph_options(Opts, inherit, true) of
        {Type, Keep} ->
            try digraph:new(graph_type(G, Type)) of
                SG ->
                    copy_into(G, SG, Vs, Keep),
                    {ok, SG}
            catch
                error:badarg -> error
            end;
        error ->
            error
    end.

subgraph_options([{type, Type} | Opts], _, Keep) when Type =:= inherit; is_list(Type) ->
    subgraph_options(Opts, Type, Keep);
subgraph_options([{keep_labels, Keep} | Opts], Type, _) when is_boolean(Keep) ->
    subgraph_options(Opts, Type, Keep);
subgraph_options([], Type, Keep) ->
    {Type, Keep};
subgraph_options(_, _, _) ->
    error.

graph_type(G, inherit) ->
    [Cyclicity, Protection] = [proplists:get_value(K, digraph:info(G)) || K <- [cyclicity, protection]],
    [Cyclicity, Protection];
graph_type(_, Type) ->
    Type.

%% Vs (those G has) into SG, then every edge of G from one of SG's vertices to another.
copy_into(G, SG, Vs, Keep) ->
    lists:foreach(fun(V) ->
                          case digraph:vertex(G, V) of
                              false -> ok;
                              {V, Label} when Keep -> digraph:add_vertex(SG, V, Label);
                              _ -> digraph:add_vertex(SG, V)
                          end
                  end, Vs),
    lists:foreach(fun(V) ->
                          lists:foreach(fun(E) -> copy_edge(G, SG, E, Keep) end,
                                        digraph:out_edges(G, V))
                  end, digraph:vertices(SG)).

copy_edge(G, SG, E, Keep) ->
    {E, V1, V2, Label} = digraph:edge(G, E),
    case digraph:vertex(SG, V2) of
        false -> ok;
        _ when Keep -> digraph:add_edge(SG, E, V1, V2, Label);
        _ -> digraph:add_edge(SG, E, V1, V2, [])
    end.

%% The graph of G's strongly connected components, an edge between two components where G
%% has one between their vertices.
-spec condensation(digraph:graph()) -> digraph:graph().
condensation(G) ->
    Components = strong_components(G),
    %% each component's number, and each vertex's component number
    Numbered = lists:zip(lists:seq(1, length(Components)), Components),
    ComponentOf = ets:new(condensation, []),
    ByNumber = ets:new(condensation, []),
    lists:foreach(fun({N, C}) ->
                          lists:foreach(fun(V) -> ets:insert(ComponentOf, {V, N}) end, C),
                          ets:insert(ByNumber, {N, C})
                  end, Numbered),
    {ok, SCG} = make_subgraph(G, [], []),
    lists:foreach(fun(C) -> condense(G, SCG, C, ComponentOf, ByNumber) end, Components),
    ets:delete(ComponentOf),
    ets:delete(ByNumber),
    SCG.

%% Component C and the components its vertices' edges lead to, in the order of a set table of
%% their numbers (as OTP walks them).
condense(G, SCG, C, ComponentOf, ByNumber) ->
    Targets = ets:new(condense, []),
    lists:foreach(fun(V) ->
                          lists:foreach(fun(W) ->
                                                [{W, N}] = ets:lookup(ComponentOf, W),
                                                ets:insert(Targets, {N})
                                        end, digraph:out_neighbours(G, V))
                  end, C),
    digraph:add_vertex(SCG, C),
    ets:foldl(fun({N}, ok) ->
                      [{N, Target}] = ets:lookup(ByNumber, N),
                      digraph:add_vertex(SCG, Target),
                      [digraph:add_edge(SCG, C, Target) || Target =/= C],
                      ok
              end, ok, Targets),
    ets:delete(Targets).

%% ---------------------------------------------------------------- walks

%% The trees of a depth-first forest, latest first, each tree's vertices latest first.
%% from_start: each start vertex is in its own tree; from_neighbours: only what it leads to.
forest(G, Step, Starts, How) ->
    Seen = ets:new(forest, [set]),
    Trees = lists:foldl(fun(V, Acc) -> tree(G, Step, V, How, Seen, Acc) end, [], Starts),
    ets:delete(Seen),
    Trees.

tree(G, Step, V, from_start, Seen, Trees) ->
    walk([V], G, Step, Seen, [], Trees);
tree(G, Step, V, from_neighbours, Seen, Trees) ->
    case ets:member(Seen, V) of
        true -> Trees;
        false -> walk(Step(G, V, []), G, Step, Seen, [], Trees)
    end.

walk([V | Vs], G, Step, Seen, Tree, Trees) ->
    case ets:member(Seen, V) of
        true ->
            walk(Vs, G, Step, Seen, Tree, Trees);
        false ->
            ets:insert(Seen, {V}),
            walk(Step(G, V, Vs), G, Step, Seen, [V | Tree], Trees)
    end;
walk([], _, _, _, [], Trees) ->
    Trees;
walk([], _, _, _, Tree, Trees) ->
    [Tree | Trees].

%% The vertices in reverse postorder: each before everything it leads to that was not seen first.
revpostorder(G) ->
    Seen = ets:new(forest, [set]),
    Order = post(digraph:vertices(G), G, Seen, []),
    ets:delete(Seen),
    Order.

post([V | Vs], G, Seen, Acc) ->
    Acc1 = case ets:member(Seen, V) of
               true ->
                   Acc;
               false ->
                   ets:insert(Seen, {V}),
                   [V | post(digraph:out_neighbours(G, V), G, Seen, Acc)]
           end,
    post(Vs, G, Seen, Acc1);
post([], _, _, Acc) ->
    Acc.

%% The steps of a walk: the neighbours to visit before the rest.
out(G, V, Rest) ->
    digraph:out_neighbours(G, V) ++ Rest.

into(G, V, Rest) ->
    digraph:in_neighbours(G, V) ++ Rest.

both(G, V, Rest) ->
    into(G, V, out(G, V, Rest)).
