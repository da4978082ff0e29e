%% Spawn a server on another node and make remote procedure calls to it.
%% The module must be loaded on both nodes (nl(dist_demo) ships it to the other terl nodes).
-module(dist_demo).
-export([rpc/4, start/1]).

start(Node) -> spawn(Node, fun() -> loop() end).

rpc(Pid, M, F, A) ->
    Pid ! {rpc, self(), M, F, A},
    receive
        {Pid, Response} -> Response
    end.

loop() ->
    receive
        {rpc, From, M, F, A} ->
            From ! {self(), (catch apply(M, F, A))},
            loop()
    end.
