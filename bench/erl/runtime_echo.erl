%% Request/reply with an echo server: N round trips. run/1 returns the elapsed microseconds.
%% (bench/runtime_procs.ts runs the same workload as TypeScript processes on terl's scheduler.)
-module(runtime_echo).
-export([run/1]).

run(N) ->
    Server = spawn(fun loop/0),
    T0 = erlang:monotonic_time(microsecond),
    calls(Server, N),
    T = erlang:monotonic_time(microsecond) - T0,
    Server ! stop,
    T.

calls(_, 0) -> ok;
calls(Server, N) ->
    Server ! {self(), N},
    receive N -> calls(Server, N - 1) end.

loop() ->
    receive
        {From, X} -> From ! X, loop();
        stop -> ok
    end.
