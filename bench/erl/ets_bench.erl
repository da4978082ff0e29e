%% ETS: N inserts of {K, V} then N lookups, in a table of the given type; microseconds.
-module(ets_bench).
-export([run/2]).

run(Type, N) ->
    T = ets:new(bench, [Type]),
    T0 = erlang:monotonic_time(microsecond),
    insert(T, N),
    lookup(T, N),
    Us = erlang:monotonic_time(microsecond) - T0,
    ets:delete(T),
    Us.

insert(_, 0) -> ok;
insert(T, K) ->
    ets:insert(T, {K, K * 2}),
    insert(T, K - 1).

lookup(_, 0) -> ok;
lookup(T, K) ->
    [{K, _}] = ets:lookup(T, K),
    lookup(T, K - 1).
