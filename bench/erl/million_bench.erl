%% A million processes at once: spawn N that each wait for one message, send each its message, and
%% wait until every one has ended (each says so as it ends). Microseconds from the first spawn.
-module(million_bench).
-export([run/1]).

run(N) ->
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    Pids = [spawn(fun() -> receive {stop, From} -> From ! done end end) || _ <- lists:seq(1, N)],
    [P ! {stop, Self} || P <- Pids],
    ended(N),
    erlang:monotonic_time(microsecond) - T0.

ended(0) -> ok;
ended(N) -> receive done -> ended(N - 1) end.
