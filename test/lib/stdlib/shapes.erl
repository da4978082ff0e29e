%% Random operation sequences on the collections, the same on erl and terl (a linear congruential
%% generator, not rand): each run answers erlang:phash/2 of every intermediate term, so a transcript
%% compares the exact shapes of thousands of terms in a line. (No array:relax/1 of an array shrunk
%% by resize: OTP's trees go inconsistent there, and terl's traversals read them otherwise.)
-module(shapes).
-compile([{nowarn_deprecated_function, [{erlang, phash, 2}]}]).
-export([array/2, dict/2, sets/2, gb_trees/2, gb_sets/2, queue/2, orddict/2]).

%% Seed -> {Next, Value in 0..N-1}
next(S, N) ->
    S1 = (S * 1103515245 + 12345) rem 2147483648,
    {S1, (S1 div 65536) rem N}.

%% Run Steps operations from Seed on Init, each Op(Random, Term) -> Term; the hash of all the terms.
run(Init, Ops, Seed, Steps) ->
    run(Init, Ops, Seed, Steps, []).

run(_, _, _, 0, Hs) ->
    erlang:phash(lists:reverse(Hs), 1 bsl 32);
run(T, Ops, S0, K, Hs) ->
    {S1, Which} = next(S0, length(Ops)),
    {S2, R} = next(S1, 1000),
    T1 = (lists:nth(Which + 1, Ops))(R, T),
    run(T1, Ops, S2, K - 1, [erlang:phash(T1, 1 bsl 32) | Hs]).

array(Seed, Steps) ->
    run(array:new(), [fun(R, A) -> array:set(R, R, A) end,
                      fun(R, A) -> array:set(R * 7, x, A) end,
                      fun(R, A) -> array:reset(R rem max(1, array:size(A)), A) end,
                      fun(R, A) -> array:resize(R, A) end,
                      fun(_, A) -> array:from_list(array:to_list(A)) end,
                      fun(_, A) -> array:from_orddict(array:sparse_to_orddict(A)) end,
                      fun(_, A) -> array:map(fun(I, V) -> {I, V} end, A) end,
                      fun(_, A) -> array:sparse_map(fun(_, V) -> [V] end, A) end,
                      fun(R, A) -> array:resize(array:set(R, x, A)) end,
                      fun(_, A) -> array:resize(A) end],
        Seed, Steps).

dict(Seed, Steps) ->
    run(dict:new(), [fun(R, D) -> dict:store(R, R, D) end,
                     fun(R, D) -> dict:store({R}, [R], D) end,
                     fun(R, D) -> dict:erase(R, D) end,
                     fun(R, D) -> dict:append({a, R rem 7}, R, D) end,
                     fun(R, D) -> dict:update_counter(R rem 50, R, D) end,
                     fun(R, D) -> dict:filter(fun(K, _) -> erlang:phash(K, 7) =/= R rem 7 end, D) end,
                     fun(_, D) -> dict:map(fun(_, V) -> V end, D) end],
        Seed, Steps).

sets(Seed, Steps) ->
    run(sets:new(), [fun(R, S) -> sets:add_element(R, S) end,
                     fun(R, S) -> sets:add_element(integer_to_list(R), S) end,
                     fun(R, S) -> sets:del_element(R, S) end,
                     fun(R, S) -> sets:filter(fun(E) -> erlang:phash(E, 5) =/= R rem 5 end, S) end,
                     fun(R, S) -> sets:union(S, sets:from_list(lists:seq(R, R + 20))) end,
                     fun(R, S) -> sets:subtract(S, sets:from_list(lists:seq(R, R + 50))) end,
                     fun(R, S) -> sets:intersection(S, sets:from_list(lists:seq(0, R))) end],
        Seed, Steps).

gb_trees(Seed, Steps) ->
    run(gb_trees:empty(), [fun(R, T) -> gb_trees:enter(R, R, T) end,
                           fun(R, T) -> gb_trees:enter(R * 3, x, T) end,
                           fun(R, T) -> gb_trees:delete_any(R, T) end,
                           fun(_, T) -> case gb_trees:is_empty(T) of true -> T; false -> element(3, gb_trees:take_smallest(T)) end end,
                           fun(R, T) -> case gb_trees:take_any(R, T) of error -> T; {_, T1} -> T1 end end,
                           fun(_, T) -> gb_trees:balance(T) end],
        Seed, Steps).

gb_sets(Seed, Steps) ->
    run(gb_sets:empty(), [fun(R, S) -> gb_sets:add(R, S) end,
                          fun(R, S) -> gb_sets:add(R * 11, S) end,
                          fun(R, S) -> gb_sets:delete_any(R, S) end,
                          fun(R, S) -> gb_sets:union(S, gb_sets:from_list(lists:seq(R, R + R rem 40))) end,
                          fun(R, S) -> gb_sets:difference(S, gb_sets:from_list(lists:seq(R, R + 30))) end,
                          fun(R, S) -> gb_sets:intersection(S, gb_sets:from_list(lists:seq(0, R * 4))) end,
                          fun(R, S) -> gb_sets:filter(fun(E) -> E rem 3 =/= R rem 3 end, S) end],
        Seed, Steps).

queue(Seed, Steps) ->
    run(queue:new(), [fun(R, Q) -> queue:in(R, Q) end,
                      fun(R, Q) -> queue:in_r(R, Q) end,
                      fun(_, Q) -> element(2, queue:out(Q)) end,
                      fun(_, Q) -> element(2, queue:out_r(Q)) end,
                      fun(R, Q) -> element(R rem 2 + 1, queue:split(R rem (queue:len(Q) + 1), Q)) end,
                      fun(R, Q) -> queue:filter(fun(E) -> E rem 4 =/= R rem 4 end, Q) end,
                      fun(R, Q) -> queue:join(Q, queue:from_list(lists:seq(1, R rem 9))) end],
        Seed, Steps).

orddict(Seed, Steps) ->
    run(orddict:new(), [fun(R, D) -> orddict:store(R, R, D) end,
                        fun(R, D) -> orddict:erase(R, D) end,
                        fun(R, D) -> orddict:update_counter(R rem 30, 1, D) end,
                        fun(R, D) -> orddict:merge(fun(_, A, B) -> A + B end, D, [{R, 1}]) end],
        Seed, Steps).
