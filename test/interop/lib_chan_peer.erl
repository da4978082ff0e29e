%% A lib_chan peer for interop tests, written from the protocol description (not the book's code):
%% {packet,4} frames of term_to_binary, the startService / challenge / response / ack handshake.
%% It runs on real Erlang/OTP and is what terl's lib_chan is checked against, in both directions.
-module(lib_chan_peer).
-export([server/1, connect/4, connect/5, cast/2, rpc/2, close/1, raw/1, send_raw/2, recv/1]).

%% ---------- server: services nameServer ("ABXy45"), echo (none), quitter (none) ----------

%% Listen on 127.0.0.1:Port, print `listening`, then serve forever. Each event is printed so the
%% test can see what the server saw.
server(Port) ->
    {ok, L} = gen_tcp:listen(Port, [binary, {packet, 4}, {active, false}, {reuseaddr, true},
                                    {ip, {127,0,0,1}}]),
    io:format("listening~n"),
    Store = spawn(fun() -> store(#{}) end),
    accept(L, Store).

accept(L, Store) ->
    {ok, S} = gen_tcp:accept(L),
    Pid = spawn(fun() -> receive go -> handshake(S, Store) end end),
    ok = gen_tcp:controlling_process(S, Pid),
    Pid ! go,
    accept(L, Store).

handshake(S, Store) ->
    case recv(S) of
        {startService, nameServer, ArgsC} ->
            challenge(S, "ABXy45", fun() -> name_server(S, Store, ArgsC) end);
        {startService, echo, ArgsC} ->
            ok = send(S, ack),
            io:format("echo started ~p~n", [ArgsC]),
            echo(S);
        {startService, quitter, _} ->
            ok = send(S, ack),
            ok = send(S, bye),
            gen_tcp:close(S);
        {startService, Other, _} ->
            io:format("bad service ~p~n", [Other]),
            ok = send(S, badService),
            gen_tcp:close(S);
        Other ->
            io:format("protocol violation ~p~n", [Other]),
            gen_tcp:close(S)
    end.

challenge(S, Password, Service) ->
    C = [$a + rand:uniform(26) - 1 || _ <- lists:seq(1, 25)],
    ok = send(S, {challenge, C}),
    Expected = hex(erlang:md5(C ++ Password)),
    case recv(S) of
        {response, Expected} ->
            ok = send(S, ack),
            io:format("authenticated~n"),
            Service();
        {response, _} ->
            io:format("auth failed~n"),
            ok = send(S, authFail),
            gen_tcp:close(S);
        Other ->
            io:format("protocol violation ~p~n", [Other]),
            gen_tcp:close(S)
    end.

name_server(S, Store, _ArgsC) ->
    case recv(S) of
        {store, K, V} -> Store ! {store, K, V}, name_server(S, Store, _ArgsC);
        {lookup, K} ->
            Store ! {lookup, K, self()},
            receive {value, R} -> ok = send(S, R) end,
            name_server(S, Store, _ArgsC);
        closed -> io:format("channel closed~n")
    end.

echo(S) ->
    case recv(S) of
        closed -> io:format("channel closed~n");
        close_please -> gen_tcp:close(S), io:format("closed by server~n");
        X -> ok = send(S, {echo, X}), echo(S)
    end.

store(M) ->
    receive
        {store, K, V} -> store(M#{K => {ok, V}});
        {lookup, K, From} -> From ! {value, maps:get(K, M, undefined)}, store(M)
    end.

%% ---------- client ----------

%% {ok, Socket} | {error, Why}, Why as lib_chan names it (authFail, badService, econnrefused, ...)
connect(Port, Service, Password, ArgsC) ->
    connect(Port, Service, Password, ArgsC, []).

%% Opts: [utf8_atoms] sends the handshake with OTP 26-style atoms (SMALL_ATOM_UTF8_EXT).
connect(Port, Service, Password, ArgsC, Opts) ->
    case gen_tcp:connect({127,0,0,1}, Port, [binary, {packet, 4}, {active, false}]) of
        {ok, S} ->
            ok = send(S, {startService, Service, ArgsC}, Opts),
            case recv(S) of
                ack -> {ok, S};
                {challenge, C} ->
                    ok = send(S, {response, hex(erlang:md5(C ++ Password))}, Opts),
                    case recv(S) of
                        ack -> {ok, S};
                        authFail -> expect_close(S), {error, authFail};
                        Other -> {error, Other}
                    end;
                badService -> expect_close(S), {error, badService};
                Other -> {error, Other}
            end;
        Error -> Error
    end.

%% The server must close right after authFail/badService.
expect_close(S) ->
    closed = recv(S, 2000).

cast(S, X) -> send(S, X).

rpc(S, X) ->
    ok = send(S, X),
    recv(S).

close(S) -> gen_tcp:close(S).

%% ---------- raw access, for misbehaving-client tests ----------

raw(Port) ->
    {ok, S} = gen_tcp:connect({127,0,0,1}, Port, [binary, {packet, raw}, {active, false}]),
    S.

send_raw(S, Bytes) -> gen_tcp:send(S, Bytes).

%% ---------- frames ----------

send(S, T) -> send(S, T, []).
send(S, T, Opts) ->
    case lists:member(utf8_atoms, Opts) of
        true -> gen_tcp:send(S, term_to_binary(T, [{minor_version, 2}]) );
        false -> gen_tcp:send(S, term_to_binary(T))
    end.

recv(S) -> recv(S, 10000).
recv(S, Timeout) ->
    case gen_tcp:recv(S, 0, Timeout) of
        {ok, B} -> binary_to_term(B);
        {error, closed} -> closed;
        {error, timeout} -> timeout
    end.

hex(Digest) -> lists:flatten([io_lib:format("~2.16.0b", [B]) || <<B>> <= Digest]).
