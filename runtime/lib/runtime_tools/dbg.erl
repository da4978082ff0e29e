%% dbg, the text-based trace tool, for the tracing terl has: erlang:trace/3's send, 'receive'
%% and procs events. tracer/0 starts the process that prints each trace message as OTP's dbg
%% prints it (to user); tracer(process, {Fun, Data}) hands each one to Fun(Trace, Data) instead;
%% p/1,2 set trace flags on processes; stop/0 clears them and ends the tracer.
%% Call tracing (c, tp/tpl/ctp) is not here yet.
-module(dbg).
-export([tracer/0, tracer/2, p/1, p/2, stop/0, stop_clear/0]).

tracer() ->
    start(fun printer/2, user).

tracer(process, {Handler, Data}) when is_function(Handler, 2) ->
    start(Handler, Data).

start(Handler, Data) ->
    case whereis(dbg) of
        undefined ->
            Parent = self(),
            Pid = spawn(fun() -> start_tracer(Parent, Handler, Data) end),
            receive {Pid, started} -> {ok, Pid} end;
        _ ->
            {error, already_started}
    end.

start_tracer(Parent, Handler, Data) ->
    register(dbg, self()),
    Parent ! {self(), started},
    loop(Handler, Data).

loop(Handler, Data) ->
    receive
        {dbg, stop, From} ->
            From ! {dbg, stopped};
        Trace when is_tuple(Trace), element(1, Trace) =:= trace ->
            loop(Handler, Handler(Trace, Data));
        _ ->
            loop(Handler, Data)
    end.

%% the default handler: each trace message printed to the device, as OTP's dbg prints it
printer(Trace, Device) when is_atom(Device); is_pid(Device) ->
    printer(Trace, {Device, modifier(Device)});
printer(Trace, Out) when tuple_size(Trace) >= 3 ->
    print(Trace, Out),
    Out;
printer(_, Out) ->
    Out.

%% the encoding of the device decides whether strings print as unicode (~tp), as in OTP
modifier(Device) ->
    case catch io:getopts(Device) of
        Opts when is_list(Opts) ->
            case lists:keyfind(encoding, 1, Opts) of
                {encoding, unicode} -> "t";
                _ -> ""
            end;
        _ -> ""
    end.

print({trace, _Pid, 'receive', {dbg, ok}}, _Out) ->
    ok;
print({trace, Pid, 'receive', Msg}, {Dev, M}) ->
    io:format(Dev, "(~p) << ~" ++ M ++ "p~n", [Pid, Msg]);
print({trace, Pid, send, Msg, To}, {Dev, M}) ->
    io:format(Dev, "(~p) ~p ! ~" ++ M ++ "p~n", [Pid, To, Msg]);
print({trace, Pid, spawn, Pid2, MFA}, {Dev, M}) ->
    io:format(Dev, "(~p) spawn ~p as ~" ++ M ++ "s~n", [Pid, Pid2, mfa_text(MFA, M)]);
print(Trace, {Dev, M}) ->
    [_, Pid, Op | Rest] = tuple_to_list(Trace),
    io:format(Dev, "(~p) ~p ~" ++ M ++ "s~n", [Pid, Op, rest_text(Rest, M)]).

mfa_text({Mod, F, Args}, M) when is_list(Args) ->
    io_lib:format("~p:~" ++ M ++ "p(~" ++ M ++ "s)", [Mod, F, args_text(Args, M)]);
mfa_text({Mod, F, Arity}, M) ->
    io_lib:format("~p:~" ++ M ++ "p/~p", [Mod, F, Arity]);
mfa_text(X, M) ->
    io_lib:format("~" ++ M ++ "p", [X]).

args_text([], _) -> [];
args_text([A], M) -> io_lib:format("~" ++ M ++ "p", [A]);
args_text([A | As], M) -> [io_lib:format("~" ++ M ++ "p,", [A]) | args_text(As, M)].

rest_text([X], M) -> io_lib:format("~" ++ M ++ "p", [X]);
rest_text([X | Xs], M) -> [io_lib:format("~" ++ M ++ "p ", [X]) | rest_text(Xs, M)].

p(Item) -> p(Item, [m]).

p(Item, Flags) ->
    case whereis(dbg) of
        undefined ->
            {error, {no_tracer_on_node, node()}};
        Tracer ->
            case trace_flags(Flags) of
                {error, _} = E ->
                    E;
                TraceFlags ->
                    case target(Item) of
                        {error, _} = E ->
                            E;
                        Target ->
                            N = erlang:trace(Target, true, [{tracer, Tracer} | TraceFlags]),
                            {ok, [{matched, node(), N}]}
                    end
            end
    end.

%% dbg's short flags: s, r, m (both), p (procs); the long ones as erlang:trace/3 names them
trace_flags(Flag) when is_atom(Flag) -> trace_flags([Flag]);
trace_flags(Flags) when is_list(Flags) ->
    try lists:usort(lists:flatmap(fun flag/1, Flags))
    catch throw:Bad -> {error, {bad_flags, Bad}}
    end.

flag(s) -> [send];
flag(r) -> ['receive'];
flag(m) -> [send, 'receive'];
flag(p) -> [procs];
flag(send) -> [send];
flag('receive') -> ['receive'];
flag(procs) -> [procs];
flag(Other) -> throw(Other).

target(Pid) when is_pid(Pid) -> Pid;
target(all) -> all;
target(processes) -> all;
target(new) -> new;
target(new_processes) -> new;
target(existing) -> existing;
target(existing_processes) -> existing;
target({X, Y, Z}) when is_integer(X), is_integer(Y), is_integer(Z) -> c:pid(X, Y, Z);
target(Name) when is_atom(Name) ->
    case whereis(Name) of
        undefined -> {error, no_tracers};
        Pid -> Pid
    end;
target(_) -> {error, no_tracers}.

stop() ->
    case whereis(dbg) of
        undefined ->
            ok;
        Tracer ->
            erlang:trace(all, false, [send, 'receive', procs]),
            Tracer ! {dbg, stop, self()},
            receive {dbg, stopped} -> ok end
    end.

stop_clear() -> stop().
