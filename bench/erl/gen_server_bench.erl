%% gen_server:call round trips: N calls to a counter server (started, then timed from the first call).
-module(gen_server_bench).
-behaviour(gen_server).
-export([run/1]).
-export([init/1, handle_call/3, handle_cast/2]).

run(N) ->
    {ok, Server} = gen_server:start(?MODULE, 0, []),
    T0 = erlang:monotonic_time(microsecond),
    calls(Server, N),
    T = erlang:monotonic_time(microsecond) - T0,
    gen_server:stop(Server),
    T.

calls(_Server, 0) -> ok;
calls(Server, N) ->
    _ = gen_server:call(Server, {add, 1}),
    calls(Server, N - 1).

init(Count) -> {ok, Count}.

handle_call({add, K}, _From, Count) -> {reply, Count + K, Count + K}.

handle_cast(_Msg, Count) -> {noreply, Count}.
