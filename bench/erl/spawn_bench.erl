%% Spawn N processes that each wait for a ping, then ping them all and collect the answers.
-module(spawn_bench).
-export([run/1]).

run(N) ->
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    Pids = [spawn(fun() -> receive {ping, From} -> From ! pong end end) || _ <- lists:seq(1, N)],
    [P ! {ping, Self} || P <- Pids],
    collect(N),
    erlang:monotonic_time(microsecond) - T0.

collect(0) -> ok;
collect(N) -> receive pong -> collect(N - 1) end.
