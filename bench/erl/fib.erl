%% Body-recursive Fibonacci: function calls and integer arithmetic.
-module(fib).
-export([fib/1, run/1]).

fib(0) -> 0;
fib(1) -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).

run(N) ->
    T0 = erlang:monotonic_time(microsecond),
    fib(N),
    erlang:monotonic_time(microsecond) - T0.
