%% Cross-node rpc:call: latency (median or 99th percentile of N calls, microseconds) and
%% throughput (calls per second with C concurrent callers), measured from the calling node.
-module(dist_rpc_bench).
-export([latency/2, latency/3, throughput/3]).

latency(Node, N) ->
    latency(Node, N, 50).

%% the call at percentile P of N calls, sorted by time
latency(Node, N, P) ->
    pong = net_adm:ping(Node),
    Times = [one_call(Node) || _ <- lists:seq(1, N)],
    lists:nth(min(N, N * P div 100 + 1), lists:sort(Times)).

one_call(Node) ->
    T0 = erlang:monotonic_time(microsecond),
    Node = rpc:call(Node, erlang, node, []),
    erlang:monotonic_time(microsecond) - T0.

throughput(Node, Callers, N) ->
    pong = net_adm:ping(Node),
    Self = self(),
    PerCaller = N div Callers,
    T0 = erlang:monotonic_time(microsecond),
    Pids = [spawn(fun() -> calls(Node, PerCaller), Self ! {done, self()} end) || _ <- lists:seq(1, Callers)],
    [receive {done, P} -> ok end || P <- Pids],
    Us = erlang:monotonic_time(microsecond) - T0,
    round(PerCaller * Callers * 1000000 / Us).

calls(_Node, 0) -> ok;
calls(Node, K) ->
    Node = rpc:call(Node, erlang, node, []),
    calls(Node, K - 1).
