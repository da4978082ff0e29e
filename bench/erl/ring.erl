%% Ring message passing: N processes, a token passed around Laps times.
%% run/2 returns the elapsed microseconds.
-module(ring).
-export([run/2]).

run(N, Laps) ->
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    First = lists:foldl(fun(_, Next) -> spawn(fun() -> relay(Next) end) end,
                        Self, lists:seq(1, N - 1)),
    First ! N * Laps,
    lead(First),
    erlang:monotonic_time(microsecond) - T0.

lead(First) ->
    receive
        0 -> ok;
        K -> First ! K - 1, lead(First)
    end.

relay(Next) ->
    receive
        0 -> Next ! 0;
        K -> Next ! K - 1, relay(Next)
    end.
