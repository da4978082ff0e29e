%% A gen_tcp echo round trip: a client sends a {packet, 4} message and waits for it to come back
%% from an echo server in the same node, N times over loopback. Returns microseconds.
-module(tcp_echo_bench).
-export([run/1, run/2]).

run(N) -> run(N, passive).

run(N, Mode) ->
    Opts = [binary, {packet, 4}, {active, false}, {nodelay, true}],
    {ok, L} = gen_tcp:listen(0, [{reuseaddr, true} | Opts]),
    {ok, Port} = inet:port(L),
    Server = spawn_link(fun() -> {ok, S} = gen_tcp:accept(L), echo(S, Mode) end),
    {ok, C} = gen_tcp:connect({127, 0, 0, 1}, Port, Opts),
    T0 = erlang:monotonic_time(microsecond),
    loop(C, N, <<"hello, world">>),
    T1 = erlang:monotonic_time(microsecond),
    unlink(Server),
    gen_tcp:close(C),
    gen_tcp:close(L),
    T1 - T0.

loop(_, 0, _) -> ok;
loop(C, N, Msg) ->
    ok = gen_tcp:send(C, Msg),
    {ok, Msg} = gen_tcp:recv(C, 0),
    loop(C, N - 1, Msg).

echo(S, passive) ->
    case gen_tcp:recv(S, 0) of
        {ok, D} -> ok = gen_tcp:send(S, D), echo(S, passive);
        {error, closed} -> ok
    end;
echo(S, active) ->
    ok = inet:setopts(S, [{active, true}]),
    active_echo(S).

active_echo(S) ->
    receive
        {tcp, S, D} -> ok = gen_tcp:send(S, D), active_echo(S);
        {tcp_closed, S} -> ok
    end.
