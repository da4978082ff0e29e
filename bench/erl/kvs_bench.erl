%% Local request/reply: N store calls then N lookup calls to a key-value server process.
-module(kvs_bench).
-export([run/1]).

run(N) ->
    Server = spawn(fun() -> loop(#{}) end),
    T0 = erlang:monotonic_time(microsecond),
    [call(Server, {store, K, K * 2}) || K <- lists:seq(1, N)],
    [{ok, _} = call(Server, {lookup, K}) || K <- lists:seq(1, N)],
    T = erlang:monotonic_time(microsecond) - T0,
    Server ! stop,
    T.

call(Server, Request) ->
    Server ! {self(), Request},
    receive {Server, Reply} -> Reply end.

loop(Map) ->
    receive
        {From, {store, K, V}} -> From ! {self(), true}, loop(Map#{K => V});
        {From, {lookup, K}} -> From ! {self(), maps:find(K, Map)}, loop(Map);
        stop -> ok
    end.
