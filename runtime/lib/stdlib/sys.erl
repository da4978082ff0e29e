%% sys: talking to a process that follows the system message protocol (every behaviour does).
%% A request is a call with the label `system`: {system, From, Request}. The process hands it to
%% handle_system_msg/6,7, which answers and continues its loop (Mod:system_continue/3), stays
%% suspended answering only system messages, or terminates (Mod:system_terminate/4).
%% Debugging (trace, log, statistics, installed funs) is a list the process keeps and passes to
%% handle_debug/4 with each event.
-module(sys).

-export([suspend/1, suspend/2, resume/1, resume/2,
         get_status/1, get_status/2, get_state/1, get_state/2,
         replace_state/2, replace_state/3, change_code/4, change_code/5,
         terminate/2, terminate/3,
         log/2, log/3, trace/2, trace/3, statistics/2, statistics/3,
         log_to_file/2, log_to_file/3, no_debug/1, no_debug/2,
         install/2, install/3, remove/2, remove/3]).
-export([handle_system_msg/6, handle_system_msg/7, handle_debug/4,
         print_log/1, get_log/1, get_debug/3, debug_options/1, suspend_loop_hib/6]).

%% ---------------------------------------------------------------------------
%% Requests

suspend(Name) -> request(Name, suspend).
suspend(Name, Timeout) -> request(Name, suspend, Timeout).
resume(Name) -> request(Name, resume).
resume(Name, Timeout) -> request(Name, resume, Timeout).

get_status(Name) -> request(Name, get_status).
get_status(Name, Timeout) -> request(Name, get_status, Timeout).

%% A callback that failed is an error in the caller (raised on OTP's lines, for the trace).
-file("sys.erl", 137).
get_state(Name) ->
    case request(Name, get_state) of
        {error, Reason} -> error(Reason);
        State -> State
    end.

-file("sys.erl", 147).
get_state(Name, Timeout) ->
    case request(Name, get_state, Timeout) of
        {error, Reason} -> error(Reason);
        State -> State
    end.

-file("sys.erl", 157).
replace_state(Name, Fun) ->
    case request(Name, {replace_state, Fun}) of
        {error, Reason} -> error(Reason);
        State -> State
    end.

-file("sys.erl", 168).
replace_state(Name, Fun, Timeout) ->
    case request(Name, {replace_state, Fun}, Timeout) of
        {error, Reason} -> error(Reason);
        State -> State
    end.

change_code(Name, Mod, Vsn, Extra) -> request(Name, {change_code, Mod, Vsn, Extra}).
change_code(Name, Mod, Vsn, Extra, Timeout) -> request(Name, {change_code, Mod, Vsn, Extra}, Timeout).

terminate(Name, Reason) -> request(Name, {terminate, Reason}).
terminate(Name, Reason, Timeout) -> request(Name, {terminate, Reason}, Timeout).

log(Name, Flag) -> request(Name, {debug, {log, Flag}}).
log(Name, Flag, Timeout) -> request(Name, {debug, {log, Flag}}, Timeout).
trace(Name, Flag) -> request(Name, {debug, {trace, Flag}}).
trace(Name, Flag, Timeout) -> request(Name, {debug, {trace, Flag}}, Timeout).
log_to_file(Name, File) -> request(Name, {debug, {log_to_file, File}}).
log_to_file(Name, File, Timeout) -> request(Name, {debug, {log_to_file, File}}, Timeout).
statistics(Name, Flag) -> request(Name, {debug, {statistics, Flag}}).
statistics(Name, Flag, Timeout) -> request(Name, {debug, {statistics, Flag}}, Timeout).
no_debug(Name) -> request(Name, {debug, no_debug}).
no_debug(Name, Timeout) -> request(Name, {debug, no_debug}, Timeout).
install(Name, Fun) -> request(Name, {debug, {install, Fun}}).
install(Name, Fun, Timeout) -> request(Name, {debug, {install, Fun}}, Timeout).
remove(Name, FunOrId) -> request(Name, {debug, {remove, FunOrId}}).
remove(Name, FunOrId, Timeout) -> request(Name, {debug, {remove, FunOrId}}, Timeout).

%% A failed request exits naming the sys function it was: {noproc, {sys, get_state, [Name]}} (a
%% request of another shape names itself, as OTP's does: {sys, {debug, no_debug}, [Name]}).
request(Name, Request) ->
    case catch gen:call(Name, system, Request) of
        {ok, Answer} -> Answer;
        {'EXIT', Reason} -> exit({Reason, mfa(Name, Request)})
    end.

request(Name, Request, Timeout) ->
    case catch gen:call(Name, system, Request, Timeout) of
        {ok, Answer} -> Answer;
        {'EXIT', Reason} ->
            {sys, F, Args} = mfa(Name, Request),
            exit({Reason, {sys, F, Args ++ [Timeout]}})
    end.

mfa(Name, {debug, {Func, Arg}}) -> {sys, Func, [Name, Arg]};
mfa(Name, {change_code, Mod, Vsn, Extra}) -> {sys, change_code, [Name, Mod, Vsn, Extra]};
mfa(Name, {terminate, Reason}) -> {sys, terminate, [Name, Reason]};
mfa(Name, Atom) -> {sys, Atom, [Name]}.

%% ---------------------------------------------------------------------------
%% In the process

handle_system_msg(Msg, From, Parent, Mod, Debug, Misc) ->
    handle_system_msg(running, Msg, From, Parent, Mod, Debug, Misc, false).

handle_system_msg(Msg, From, Parent, Mod, Debug, Misc, Hib) ->
    handle_system_msg(running, Msg, From, Parent, Mod, Debug, Misc, Hib).

handle_system_msg(SysState, Msg, From, Parent, Mod, Debug, Misc, Hib) ->
    {Next, Reply, NDebug, NMisc} = command(SysState, Msg, Parent, Mod, Debug, Misc),
    _ = gen:reply(From, Reply),
    case Next of
        suspended -> suspended(Parent, Mod, NDebug, NMisc, Hib);
        running -> Mod:system_continue(Parent, NDebug, NMisc);
        {terminating, Reason} -> Mod:system_terminate(Reason, Parent, NDebug, NMisc)
    end.

%% Suspended: only system messages and the parent's exit are taken; the rest wait in the mailbox.
suspended(Parent, Mod, Debug, Misc, true) ->
    suspend_loop_hib(suspended, Parent, Mod, Debug, Misc, true);
suspended(Parent, Mod, Debug, Misc, Hib) ->
    receive
        {system, From, Msg} ->
            handle_system_msg(suspended, Msg, From, Parent, Mod, Debug, Misc, Hib);
        {'EXIT', Parent, Reason} ->
            Mod:system_terminate(Reason, Parent, Debug, Misc)
    end.

suspend_loop_hib(SysState, Parent, Mod, Debug, Misc, Hib) ->
    receive
        {system, From, Msg} ->
            handle_system_msg(SysState, Msg, From, Parent, Mod, Debug, Misc, Hib);
        {'EXIT', Parent, Reason} ->
            Mod:system_terminate(Reason, Parent, Debug, Misc)
    after 0 ->
            %% woken by another message: sleep again
            proc_lib:hibernate(?MODULE, suspend_loop_hib, [SysState, Parent, Mod, Debug, Misc, Hib])
    end.

command(_, suspend, _Parent, _Mod, Debug, Misc) ->
    {suspended, ok, Debug, Misc};
command(_, resume, _Parent, _Mod, Debug, Misc) ->
    {running, ok, Debug, Misc};
command(SysState, get_state, _Parent, Mod, Debug, Misc) ->
    {SysState, state_of(Mod, Misc), Debug, Misc};
command(SysState, {replace_state, Fun}, _Parent, Mod, Debug, Misc) ->
    {Answer, NMisc} = replace(Fun, Mod, Misc),
    {SysState, Answer, Debug, NMisc};
command(SysState, get_status, Parent, Mod, Debug, Misc) ->
    {SysState, status(SysState, Parent, Mod, Debug, Misc), Debug, Misc};
command(SysState, {debug, What}, _Parent, _Mod, Debug, Misc) ->
    {Answer, NDebug} = debug_command(What, Debug),
    {SysState, Answer, NDebug, Misc};
command(_, {terminate, Reason}, _Parent, _Mod, Debug, Misc) ->
    {{terminating, Reason}, ok, Debug, Misc};
command(suspended, {change_code, Module, Vsn, Extra}, _Parent, Mod, Debug, Misc) ->
    case catch Mod:system_code_change(Misc, Module, Vsn, Extra) of
        {ok, NMisc} -> {suspended, ok, Debug, NMisc};
        Else -> {suspended, {error, Else}, Debug, Misc}
    end;
command(SysState, Other, _Parent, _Mod, Debug, Misc) ->
    {SysState, {error, {unknown_system_msg, Other}}, Debug, Misc}.

state_of(Mod, Misc) ->
    case erlang:function_exported(Mod, system_get_state, 1) of
        true ->
            try
                {ok, State} = Mod:system_get_state(Misc),
                State
            catch Class:Exc -> {error, {callback_failed, {Mod, system_get_state}, {Class, Exc}}}
            end;
        false -> Misc
    end.

replace(Fun, Mod, Misc) ->
    case erlang:function_exported(Mod, system_replace_state, 2) of
        true ->
            try
                {ok, State, NMisc} = Mod:system_replace_state(Fun, Misc),
                {State, NMisc}
            catch Class:Exc -> {{error, {callback_failed, {Mod, system_replace_state}, {Class, Exc}}}, Misc}
            end;
        false ->
            try Fun(Misc) of
                NMisc -> {NMisc, NMisc}
            catch Class:Exc -> {{error, {callback_failed, Fun, {Class, Exc}}}, Misc}
            end
    end.

status(SysState, Parent, Mod, Debug, Misc) ->
    PDict = get(),
    Shown = case erlang:function_exported(Mod, format_status, 2) of
                true -> Mod:format_status(normal, [PDict, SysState, Parent, Debug, Misc]);
                false -> Misc
            end,
    {status, self(), {module, Mod}, [PDict, SysState, Parent, Debug, Shown]}.

%% ---------------------------------------------------------------------------
%% Debugging

debug_command({trace, true}, Debug) -> {ok, add(trace, true, Debug)};
debug_command({trace, false}, Debug) -> {ok, lists:keydelete(trace, 1, Debug)};
debug_command({log, true}, Debug) ->
    {ok, add(log, resize(10, get_debug(log, Debug, {10, []})), Debug)};
%% (a log already kept stays as it is, its size too, as OTP's)
debug_command({log, {true, N}}, Debug) when is_integer(N), N >= 1 ->
    {ok, add(log, resize(N, get_debug(log, Debug, {N, []})), Debug)};
debug_command({log, false}, Debug) -> {ok, lists:keydelete(log, 1, Debug)};
debug_command({log, print}, Debug) -> print_log(Debug), {ok, Debug};
debug_command({log, get}, Debug) -> {{ok, get_log(Debug)}, Debug};
debug_command({log_to_file, false}, Debug) -> {ok, close_log_file(Debug)};
debug_command({log_to_file, File}, Debug) ->
    NDebug = close_log_file(Debug),
    case file:open(File, [write, {encoding, utf8}]) of
        {ok, Fd} -> {ok, add(log_to_file, Fd, NDebug)};
        _ -> {{error, open_file}, NDebug}
    end;
debug_command({statistics, true}, Debug) -> {ok, add(statistics, new_stats(), Debug)};
debug_command({statistics, false}, Debug) -> {ok, lists:keydelete(statistics, 1, Debug)};
debug_command({statistics, get}, Debug) -> {{ok, stats(get_debug(statistics, Debug, []))}, Debug};
debug_command(no_debug, Debug) -> close_log_file(Debug), {ok, []};
debug_command({install, {Func, FuncState}}, Debug) -> {ok, add(Func, FuncState, Debug)};
debug_command({install, {Id, Func, FuncState}}, Debug) -> {ok, add(Id, {Func, FuncState}, Debug)};
debug_command({remove, FunOrId}, Debug) -> {ok, lists:keydelete(FunOrId, 1, Debug)};
debug_command(_, Debug) -> {unknown_debug, Debug}.

%% Each debug item sees the event: trace prints it, log keeps it, statistics counts it, an
%% installed fun is called (and removed when it answers done or fails).
handle_debug([{trace, true} = Item | T], Print, State, Event) ->
    Print(standard_io, Event, State),
    [Item | handle_debug(T, Print, State, Event)];
handle_debug([{log, {N, Events}} | T], Print, State, Event) ->
    [{log, {N, lists:sublist([{Event, State, Print} | Events], N)}} | handle_debug(T, Print, State, Event)];
handle_debug([{log_to_file, Fd} = Item | T], Print, State, Event) ->
    Print(Fd, Event, State),
    [Item | handle_debug(T, Print, State, Event)];
handle_debug([{statistics, Stats} | T], Print, State, Event) ->
    [{statistics, count(Event, Stats)} | handle_debug(T, Print, State, Event)];
handle_debug([{Id, {Func, FuncState}} | T], Print, State, Event) when is_function(Func, 3) ->
    case call_installed(Func, FuncState, Event, State) of
        done -> handle_debug(T, Print, State, Event);
        {more, New} -> [{Id, {Func, New}} | handle_debug(T, Print, State, Event)]
    end;
handle_debug([{Func, FuncState} | T], Print, State, Event) when is_function(Func, 3) ->
    case call_installed(Func, FuncState, Event, State) of
        done -> handle_debug(T, Print, State, Event);
        {more, New} -> [{Func, New} | handle_debug(T, Print, State, Event)]
    end;
handle_debug([Other | T], Print, State, Event) ->
    [Other | handle_debug(T, Print, State, Event)];
handle_debug([], _Print, _State, _Event) ->
    [].

call_installed(Func, FuncState, Event, State) ->
    try Func(FuncState, Event, State) of
        done -> done;
        New -> {more, New}
    catch
        done -> done;
        New -> {more, New};
        _:_ -> done
    end.

add(Key, Value, Debug) ->
    case lists:keymember(Key, 1, Debug) of
        true -> Debug;
        false -> [{Key, Value} | Debug]
    end.

get_debug(Key, Debug, Default) ->
    case lists:keyfind(Key, 1, Debug) of
        {Key, Value} -> Value;
        false -> Default
    end.

resize(N, {_, Events}) -> {N, lists:sublist(Events, N)}.

%% the logged events, oldest first
get_log(Debug) ->
    {_, Events} = get_debug(log, Debug, {10, []}),
    [Event || {Event, _State, _Print} <- lists:reverse(Events)].

print_log(Debug) ->
    {_, Events} = get_debug(log, Debug, {10, []}),
    [Print(standard_io, Event, State) || {Event, State, Print} <- lists:reverse(Events)],
    ok.

close_log_file(Debug) ->
    case get_debug(log_to_file, Debug, []) of
        [] -> Debug;
        Fd ->
            ok = file:close(Fd),
            lists:keydelete(log_to_file, 1, Debug)
    end.

new_stats() ->
    {reductions, Reds} = process_info(self(), reductions),
    {erlang:localtime(), Reds, 0, 0}.

stats({Start, Reds0, In, Out}) ->
    {reductions, Reds} = process_info(self(), reductions),
    [{start_time, Start}, {current_time, erlang:localtime()},
     {reductions, Reds - Reds0}, {messages_in, In}, {messages_out, Out}];
stats(_) ->
    no_statistics.

count({in, _}, {Start, Reds, In, Out}) -> {Start, Reds, In + 1, Out};
count({in, _, _}, {Start, Reds, In, Out}) -> {Start, Reds, In + 1, Out};
count({out, _, _}, {Start, Reds, In, Out}) -> {Start, Reds, In, Out + 1};
count({out, _, _, _}, {Start, Reds, In, Out}) -> {Start, Reds, In, Out + 1};
count(_, Stats) -> Stats.

%% The debug list a process starts with, from [trace, log, {log, N}, statistics, ...].
debug_options(Options) ->
    lists:foldl(fun debug_option/2, [], Options).

debug_option(trace, Debug) -> add(trace, true, Debug);
debug_option(log, Debug) -> add(log, {10, []}, Debug);
debug_option({log, N}, Debug) when is_integer(N), N > 0 -> add(log, {N, []}, Debug);
debug_option(statistics, Debug) -> add(statistics, new_stats(), Debug);
debug_option({log_to_file, File}, Debug) ->
    case file:open(File, [write, {encoding, utf8}]) of
        {ok, Fd} -> add(log_to_file, Fd, Debug);
        _ -> Debug
    end;
debug_option({install, {Func, FuncState}}, Debug) -> add(Func, FuncState, Debug);
debug_option({install, {Id, Func, FuncState}}, Debug) -> add(Id, {Func, FuncState}, Debug);
debug_option(_, Debug) -> Debug.
