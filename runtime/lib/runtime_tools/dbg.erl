%% dbg, the text-based trace tool, over erlang:trace/3 (send, 'receive', procs, call,
%% set_on_spawn) and erlang:trace_pattern/3. As in OTP there is a server, registered as dbg,
%% started by the first request: it keeps the traced nodes (each with its tracer, or the relay
%% that forwards a remote node's trace messages to ours) and the saved match specifications.
%% tracer/0 starts the tracer that prints each trace message as OTP's dbg prints it (to user);
%% tracer(process, {Fun, Data}) hands each one to Fun(Trace, Data) instead.
-module(dbg).
-export([tracer/0, tracer/2, p/1, p/2, stop/0, stop_clear/0,
         tp/2, tp/3, tp/4, tpl/2, tpl/3, tpl/4,
         ctp/0, ctp/1, ctp/2, ctp/3, ctpl/0, ctpl/1, ctpl/2, ctpl/3,
         ctpg/0, ctpg/1, ctpg/2, ctpg/3, ltp/0, dtp/0, dtp/1,
         fun2ms/1, n/1, cn/1, ln/0, get_tracer/0, get_tracer/1,
         erlang_trace/3, do_relay/2, dhandler/2]).

%% ---------- the tracer ----------

tracer() ->
    tracer(process, {fun dhandler/2, user}).

tracer(process, {Handler, Data}) when is_function(Handler, 2) ->
    req({tracer, Handler, Data}).

start_tracer(Handler, Data) ->
    spawn(fun() -> tracer_loop(Handler, Data) end).

tracer_loop(Handler, Data) ->
    receive
        Trace -> tracer_loop(Handler, Handler(Trace, Data))
    end.

get_tracer() -> get_tracer(node()).

get_tracer(Node) -> req({get_tracer, Node}).

%% ---------- the printing handler: each trace message as OTP's dbg prints it ----------

dhandler(Trace, Device) when is_atom(Device); is_pid(Device) ->
    dhandler(Trace, {Device, modifier(Device)});
dhandler(Trace, Out) when element(1, Trace) =:= trace, tuple_size(Trace) >= 3 ->
    print(Trace, Out),
    Out;
dhandler({seq_trace, Label, Info}, Out) ->
    print_seq(Label, Info, Out),
    Out;
dhandler(_, Out) ->
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
print({trace, Pid, call, MFA, Msg}, {Dev, M}) ->
    io:format(Dev, "(~p) call ~" ++ M ++ "s (~" ++ M ++ "p)~n", [Pid, mfa_text(MFA, M), Msg]);
print({trace, Pid, call, MFA}, {Dev, M}) ->
    io:format(Dev, "(~p) call ~" ++ M ++ "s~n", [Pid, mfa_text(MFA, M)]);
print({trace, Pid, return_from, MFA, Value}, {Dev, M}) ->
    io:format(Dev, "(~p) returned from ~" ++ M ++ "s -> ~" ++ M ++ "p~n", [Pid, mfa_text(MFA, M), Value]);
print({trace, Pid, return_to, MFA}, {Dev, M}) ->
    io:format(Dev, "(~p) returning to ~" ++ M ++ "s~n", [Pid, mfa_text(MFA, M)]);
print({trace, Pid, spawn, Pid2, MFA}, {Dev, M}) ->
    io:format(Dev, "(~p) spawn ~p as ~" ++ M ++ "s~n", [Pid, Pid2, mfa_text(MFA, M)]);
print(Trace, {Dev, M}) ->
    [_, Pid, Op | Rest] = tuple_to_list(Trace),
    io:format(Dev, "(~p) ~p ~" ++ M ++ "s~n", [Pid, Op, rest_text(Rest, M)]).

print_seq(Label, Info, {Dev, M}) ->
    io:format(Dev, "SeqTrace [~p]: ", [Label]),
    case Info of
        {send, Serial, From, To, Msg} ->
            io:format(Dev, "(~p) ~p ! ~" ++ M ++ "p [Serial: ~p]~n", [From, To, Msg, Serial]);
        {'receive', Serial, From, To, Msg} ->
            io:format(Dev, "(~p) << ~" ++ M ++ "p [Serial: ~p, From: ~p]~n", [To, Msg, Serial, From]);
        {print, Serial, From, _, What} ->
            io:format(Dev, "-> ~" ++ M ++ "p [Serial: ~p, From: ~p]~n", [What, Serial, From]);
        Other ->
            io:format(Dev, "~" ++ M ++ "p~n", [Other])
    end.

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

%% ---------- trace flags on processes ----------

p(Item) -> p(Item, [m]).

p(Item, Flag) when is_atom(Flag) -> p(Item, [Flag]);
p(Item, Flags) -> req({p, Item, Flags}).

%% an atom (all, new, existing, a registered name) is looked up on every traced node; a pid only on its own
trace_process(Item, Flags, Nodes) ->
    case trace_flags(Flags) of
        {error, _} = E ->
            E;
        {How, TraceFlags} when is_atom(Item) ->
            {ok, [matched(N, Tracer, Item, How, TraceFlags) || {N, Tracer} <- lists:reverse(Nodes)]};
        {How, TraceFlags} ->
            case to_pid(Item) of
                Pid when is_pid(Pid) ->
                    case lists:keyfind(node(Pid), 1, Nodes) of
                        {N, Tracer} -> {ok, [matched(N, Tracer, Pid, How, TraceFlags)]};
                        false -> {error, {no_tracer_on_node, node(Pid)}}
                    end;
                Bad ->
                    {error, {badpid, Bad}}
            end
    end.

matched(Node, Tracer, Target, How, Flags) ->
    All = case How of
              true -> [{tracer, Tracer} | Flags];
              false -> Flags
          end,
    R = case Node =:= node() of
            true -> erlang_trace(Target, How, All);
            false -> rpc:call(Node, dbg, erlang_trace, [Target, How, All])
        end,
    case R of
        N when is_integer(N) -> {matched, Node, N};
        {badrpc, Reason} -> {matched, Node, 0, Reason};
        Else -> {matched, Node, 0, Else}
    end.

%% what a dbg on another node runs here (OTP's does the same): names are this node's
erlang_trace(Item, How, Flags) ->
    case pidspec(Item) of
        {badpid, _} -> {no_proc, Item};
        Spec -> erlang:trace(Spec, How, Flags)
    end.

pidspec(Pid) when is_pid(Pid) ->
    case is_process_alive(Pid) of
        true -> Pid;
        false -> {badpid, Pid}
    end;
pidspec(Tag) when Tag =:= all; Tag =:= processes; Tag =:= new; Tag =:= new_processes;
                  Tag =:= existing; Tag =:= existing_processes ->
    Tag;
pidspec(Name) when is_atom(Name) ->
    case whereis(Name) of
        undefined -> {badpid, Name};
        Pid -> Pid
    end;
pidspec(X) ->
    {badpid, X}.

to_pid(Pid) when is_pid(Pid) -> Pid;
to_pid(N) when is_integer(N) -> to_pid({0, N, 0});
to_pid({X, Y, Z}) when is_integer(X), is_integer(Y), is_integer(Z) -> c:pid(X, Y, Z);
to_pid(X) -> X.

%% dbg's short flags (s, r, m, p, c, sos) and erlang:trace/3's own names; clear turns all off
trace_flags(Flags) ->
    try
        case lists:member(clear, Flags) of
            true -> {false, all_flags()};
            false -> {true, lists:usort(lists:flatmap(fun flag/1, Flags))}
        end
    catch throw:Bad -> {error, {bad_flags, Bad}}
    end.

all_flags() -> [send, 'receive', procs, call, set_on_spawn].

flag(s) -> [send];
flag(r) -> ['receive'];
flag(m) -> [send, 'receive'];
flag(p) -> [procs];
flag(c) -> [call];
flag(sos) -> [set_on_spawn];
flag(all) -> all_flags();
flag(F) ->
    case lists:member(F, all_flags()) of
        true -> [F];
        false -> throw(F)
    end.


%% ---------- trace patterns ----------

tp(Module, Function, Pattern) -> do_tp({Module, Function, '_'}, Pattern, []).
tp(Module, Function, Arity, Pattern) -> do_tp({Module, Function, Arity}, Pattern, []).
tp(Module, Pattern) when is_atom(Module) -> do_tp({Module, '_', '_'}, Pattern, []);
tp({_, _, _} = MFA, Pattern) -> do_tp(MFA, Pattern, []).

tpl(Module, Function, Pattern) -> do_tp({Module, Function, '_'}, Pattern, [local]).
tpl(Module, Function, Arity, Pattern) -> do_tp({Module, Function, Arity}, Pattern, [local]).
tpl(Module, Pattern) when is_atom(Module) -> do_tp({Module, '_', '_'}, Pattern, [local]);
tpl({_, _, _} = MFA, Pattern) -> do_tp(MFA, Pattern, [local]).

%% a saved pattern by its number or name (x, c, cx, ...)
do_tp(MFA, Pattern, Flags) when is_integer(Pattern); is_atom(Pattern) ->
    case req({saved, Pattern}) of
        {ok, MS} -> do_tp(MFA, MS, Flags, [{saved, Pattern}]);
        error -> {error, unknown_pattern}
    end;
do_tp(MFA, Pattern, Flags) when is_list(Pattern) ->
    case erlang:match_spec_test([], Pattern, trace) of
        {ok, _, _, _} ->
            Saved = case Pattern of
                        [] -> [];
                        _ -> [{saved, req({save, Pattern})}]
                    end,
            do_tp(MFA, Pattern, Flags, Saved);
        {error, Errors} ->
            {error, Errors}
    end.

do_tp({M, _, _} = MFA, Pattern, Flags, Saved) ->
    Nodes = req(get_nodes),
    %% the module is loaded on every traced node first, as OTP's dbg does
    [catch rpc:call(N, M, module_info, []) || is_atom(M), M =/= '_', N <- Nodes],
    {ok, on_nodes(Nodes, MFA, Pattern, Flags) ++ Saved}.

on_nodes(Nodes, MFA, Pattern, Flags) ->
    [case rpc:call(N, erlang, trace_pattern, [MFA, Pattern, Flags]) of
         Count when is_integer(Count) -> {matched, N, Count};
         Else -> {matched, N, 0, Else}
     end || N <- Nodes].

ctp() -> do_ctp({'_', '_', '_'}).
ctp(Module) when is_atom(Module) -> do_ctp({Module, '_', '_'});
ctp({_, _, _} = MFA) -> do_ctp(MFA).
ctp(Module, Function) -> do_ctp({Module, Function, '_'}).
ctp(Module, Function, Arity) -> do_ctp({Module, Function, Arity}).

ctpl() -> do_ctp({'_', '_', '_'}, [local]).
ctpl(Module) when is_atom(Module) -> do_ctp({Module, '_', '_'}, [local]);
ctpl({_, _, _} = MFA) -> do_ctp(MFA, [local]).
ctpl(Module, Function) -> do_ctp({Module, Function, '_'}, [local]).
ctpl(Module, Function, Arity) -> do_ctp({Module, Function, Arity}, [local]).

ctpg() -> do_ctp({'_', '_', '_'}, [global]).
ctpg(Module) when is_atom(Module) -> do_ctp({Module, '_', '_'}, [global]);
ctpg({_, _, _} = MFA) -> do_ctp(MFA, [global]).
ctpg(Module, Function) -> do_ctp({Module, Function, '_'}, [global]).
ctpg(Module, Function, Arity) -> do_ctp({Module, Function, Arity}, [global]).

%% both kinds: the global patterns, then the local ones (whose count is the answer)
do_ctp(MFA) ->
    {ok, _} = do_ctp(MFA, [global]),
    do_ctp(MFA, [local]).

do_ctp(MFA, Flags) ->
    {ok, on_nodes(req(get_nodes), MFA, false, Flags)}.

%% the saved patterns, the built-in ones first
ltp() ->
    M = modifier(user),
    [io:format("~p: ~" ++ M ++ "p~n", [K, V]) || {K, V} <- req(patterns)],
    ok.

dtp() -> req(forget_patterns).

dtp(N) -> req({forget_pattern, N}).

fun2ms(ShellFun) when is_function(ShellFun) ->
    ms_transform:shell_fun2ms(dbg, ShellFun).

%% ---------- other nodes ----------

n(Node) when Node =:= node() ->
    {error, cant_add_local_node};
n(Node) ->
    case catch net_adm:ping(Node) of
        {'EXIT', _} -> {error, {bad_node, Node}};
        pang -> {error, {nodedown, Node}};
        pong -> req({add_node, Node});
        Other -> {error, Other}
    end.

cn(Node) -> req({remove_node, Node}).

ln() ->
    [io:format("~p~n", [N]) || N <- req(get_nodes)],
    ok.

%% On another node: forwards that node's trace messages to our tracer (linked to our server).
do_relay(Parent, Tracer) ->
    process_flag(trap_exit, true),
    Parent ! {started, self()},
    relay_loop(Tracer).

relay_loop(Tracer) ->
    receive
        {'EXIT', _, _} -> exit(normal);
        Trace -> Tracer ! Trace, relay_loop(Tracer)
    end.

%% ---------- stopping ----------

stop() ->
    case whereis(dbg) of
        undefined ->
            ok;
        _ ->
            {ok, _} = ctp(),
            Mref = erlang:monitor(process, dbg),
            catch dbg ! {self(), stop},
            receive {'DOWN', Mref, _, _, _} -> ok end
    end.

stop_clear() -> stop().

%% ---------- the server ----------

req(R) ->
    P = ensure(),
    Mref = erlang:monitor(process, P),
    catch P ! {self(), R},
    receive
        {'DOWN', Mref, _, _, _} -> exit(dbg_server_crash);
        {dbg, Reply} ->
            erlang:demonitor(Mref, [flush]),
            Reply
    end.

ensure() ->
    case whereis(dbg) of
        undefined ->
            Parent = self(),
            Pid = spawn(fun() -> init(Parent) end),
            receive {Pid, started} -> Pid end;
        Pid ->
            Pid
    end.

init(Parent) ->
    case catch register(dbg, self()) of
        true ->
            process_flag(trap_exit, true),
            Parent ! {self(), started},
            loop(#{nodes => [], patterns => builtin_patterns(), relays => []});
        _ ->
            Parent ! {whereis(dbg), started}
    end.

builtin_patterns() ->
    [{c, [{'_', [], [{message, {caller}}]}]},
     {caller_exception_trace, cx},
     {caller_trace, c},
     {cx, [{'_', [], [{exception_trace}, {message, {caller}}]}]},
     {exception_trace, x},
     {x, [{'_', [], [{exception_trace}]}]}].

loop(#{nodes := Nodes, patterns := Patterns, relays := Relays} = S) ->
    receive
        {From, {tracer, Handler, Data}} ->
            case lists:keyfind(node(), 1, Nodes) of
                false ->
                    Tracer = start_tracer(Handler, Data),
                    link(Tracer),
                    reply(From, {ok, self()}),
                    loop(S#{nodes := [{node(), Tracer} | Nodes]});
                _ ->
                    reply(From, {error, already_started}),
                    loop(S)
            end;
        {From, {get_tracer, Node}} ->
            reply(From, case lists:keyfind(Node, 1, Nodes) of
                            {_, T} -> {ok, T};
                            false -> {error, {no_tracer_on_node, Node}}
                        end),
            loop(S);
        {From, {p, Item, Flags}} ->
            reply(From, case lists:keyfind(node(), 1, Nodes) of
                            false -> {error, {no_tracer_on_node, node()}};
                            _ -> trace_process(Item, Flags, Nodes)
                        end),
            loop(S);
        {From, get_nodes} ->
            reply(From, case Nodes of
                            [] -> [node()];
                            _ -> [N || {N, _} <- lists:reverse(Nodes)]
                        end),
            loop(S);
        {From, {add_node, Node}} ->
            case lists:keyfind(node(), 1, Nodes) of
                false ->
                    reply(From, {error, no_local_tracer}),
                    loop(S);
                {_, Tracer} ->
                    case lists:keyfind(Node, 1, Nodes) of
                        {_, Relay} ->
                            reply(From, {error, {already_started, Relay}}),
                            loop(S);
                        false ->
                            Relay = spawn_link(Node, dbg, do_relay, [self(), Tracer]),
                            receive {started, Relay} -> ok end,
                            reply(From, {ok, Node}),
                            loop(S#{nodes := [{Node, Relay} | Nodes], relays := [Relay | Relays]})
                    end
            end;
        {From, {remove_node, Node}} ->
            reply(From, ok),
            loop(S#{nodes := lists:keydelete(Node, 1, Nodes)});
        {From, {saved, Name}} ->
            reply(From, saved(Name, Patterns)),
            loop(S);
        {From, {save, MS}} ->
            case [K || {K, V} <- Patterns, V =:= MS] of
                [N | _] ->
                    reply(From, N),
                    loop(S);
                [] ->
                    N = lists:max([0 | [K || {K, _} <- Patterns, is_integer(K)]]) + 1,
                    reply(From, N),
                    loop(S#{patterns := lists:sort([{N, MS} | Patterns])})
            end;
        {From, patterns} ->
            reply(From, Patterns),
            loop(S);
        {From, forget_patterns} ->
            reply(From, ok),
            loop(S#{patterns := [P || {K, _} = P <- Patterns, is_atom(K)]});
        {From, {forget_pattern, N}} ->
            reply(From, ok),
            loop(S#{patterns := [P || {K, _} = P <- Patterns, K =/= N orelse not is_integer(N)]});
        {_From, stop} ->
            %% tracing ends with its tracers: no process keeps flags that name them
            [catch erlang:trace(all, false, all_flags()) || lists:keymember(node(), 1, Nodes)],
            [begin unlink(T), exit(T, kill) end || {N, T} <- Nodes, N =:= node()],
            exit(done);
        {'EXIT', Pid, _} ->
            case lists:member(Pid, Relays) of
                true -> loop(S#{nodes := lists:keydelete(Pid, 2, Nodes), relays := Relays -- [Pid]});
                false -> loop(S)
            end;
        _ ->
            loop(S)
    end.

saved(Name, Patterns) ->
    case lists:keyfind(Name, 1, Patterns) of
        {_, Alias} when is_atom(Alias) -> saved(Alias, Patterns);
        {_, MS} -> {ok, MS};
        false -> error
    end.

reply(Pid, Reply) ->
    Pid ! {dbg, Reply}.
