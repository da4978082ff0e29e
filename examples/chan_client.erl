%% A lib_chan client written on gen_tcp, speaking the book's wire protocol (one {packet, 4} frame
%% per term_to_binary'd term): {startService, Service, ArgsC}, then the server's challenge answered
%% with the lowercase hex MD5 of Challenge ++ Secret, then ack. It talks to any lib_chan server
%% (terl's built-in one, or the book's code on erl) and is used like lib_chan's client side:
%%
%%   {ok, Chan} = chan_client:connect("localhost", 1234, nameServer, "ABXy45", ""),
%%   chan_client:cast(Chan, {store, joe, "writing a book"}),
%%   chan_client:rpc(Chan, {lookup, joe}),
%%   chan_client:disconnect(Chan).
%%
%% Chan is the process holding the socket (a "middle man"): the caller gets {chan, Chan, Term}
%% for each term the service sends, and {chan_closed, Chan} when the server closes.
-module(chan_client).
-export([connect/5, cast/2, rpc/2, rpc/3, disconnect/1]).

-define(TIMEOUT, 10000).

connect(Host, Port, Service, Secret, ArgsC) ->
    Caller = self(),
    Chan = spawn(fun() -> start(Caller, Host, Port, Service, Secret, ArgsC) end),
    Ref = monitor(process, Chan),
    receive
        {Chan, connected} -> demonitor(Ref, [flush]), {ok, Chan};
        {Chan, {error, Why}} -> demonitor(Ref, [flush]), {error, Why};
        {'DOWN', Ref, process, Chan, Why} -> {error, Why}
    after ?TIMEOUT ->
        exit(Chan, kill),
        demonitor(Ref, [flush]),
        {error, timeout}
    end.

cast(Chan, Term) -> Chan ! {send, Term}.

rpc(Chan, Query) -> rpc(Chan, Query, ?TIMEOUT).

rpc(Chan, Query, Timeout) ->
    Chan ! {send, Query},
    receive
        {chan, Chan, Reply} -> Reply;
        {chan_closed, Chan} -> {error, closed}
    after Timeout -> {error, timeout}
    end.

disconnect(Chan) -> Chan ! close.

%% ---- the middle man ----

start(Caller, Host, Port, Service, Secret, ArgsC) ->
    case gen_tcp:connect(Host, Port, [binary, {packet, 4}, {active, once}], ?TIMEOUT) of
        {ok, Socket} ->
            put_term(Socket, {startService, Service, ArgsC}),
            case handshake(Socket, Secret) of
                ok ->
                    Caller ! {self(), connected},
                    link(Caller),
                    process_flag(trap_exit, true),
                    relay(Socket, Caller);
                {error, Why} ->
                    gen_tcp:close(Socket),
                    Caller ! {self(), {error, Why}}
            end;
        {error, Why} ->
            Caller ! {self(), {error, Why}}
    end.

handshake(Socket, Secret) ->
    case get_term(Socket) of
        {ok, ack} -> ok;
        {ok, {challenge, Challenge}} ->
            put_term(Socket, {response, md5_hex(Challenge ++ Secret)}),
            case get_term(Socket) of
                {ok, ack} -> ok;
                {ok, Other} -> {error, Other};
                Error -> Error
            end;
        {ok, Other} -> {error, Other};
        Error -> Error
    end.

get_term(Socket) ->
    receive
        {tcp, Socket, Bin} ->
            inet:setopts(Socket, [{active, once}]),
            {ok, binary_to_term(Bin)};
        {tcp_closed, Socket} -> {error, closed};
        {tcp_error, Socket, Why} -> {error, Why}
    after ?TIMEOUT -> {error, timeout}
    end.

put_term(Socket, Term) -> gen_tcp:send(Socket, term_to_binary(Term)).

relay(Socket, Caller) ->
    receive
        {tcp, Socket, Bin} ->
            inet:setopts(Socket, [{active, once}]),
            Caller ! {chan, self(), binary_to_term(Bin)},
            relay(Socket, Caller);
        {tcp_closed, Socket} ->
            Caller ! {chan_closed, self()};
        {send, Term} ->
            put_term(Socket, Term),
            relay(Socket, Caller);
        close ->
            gen_tcp:close(Socket);
        {'EXIT', Caller, _} ->
            gen_tcp:close(Socket)
    end.

md5_hex(Text) ->
    lists:flatten([io_lib:format("~2.16.0b", [B]) || <<B>> <= erlang:md5(Text)]).
