%% gen_fsm: the old finite state machine behaviour (deprecated for gen_statem, still shipped). The
%% process holds a state name and state data: events ({'$gen_event', E}) go to Mod:StateName/2, sync
%% events to Mod:StateName/3 and are answered through From, all-state events to handle_event/3 and
%% handle_sync_event/4, anything else to handle_info/3, system messages to sys. A timeout in an
%% answer delivers the event `timeout` to the state if nothing else comes first. An abnormal end is
%% logged as OTP's "** State machine ... terminating" report.
-module(gen_fsm).

-export([start/3, start/4, start_link/3, start_link/4, stop/1, stop/3,
         send_event/2, sync_send_event/2, sync_send_event/3,
         send_all_state_event/2, sync_send_all_state_event/2, sync_send_all_state_event/3,
         reply/2, start_timer/2, send_event_after/2, cancel_timer/1,
         enter_loop/4, enter_loop/5, enter_loop/6]).
%% gen and sys call these
-export([init_it/6, wake_hib/7, system_continue/3, system_terminate/4, system_code_change/4,
         system_get_state/1, system_replace_state/2, format_status/2, format_log/1, format_log/2]).

-callback init(Args :: term()) ->
    {ok, StateName :: atom(), StateData :: term()} |
    {ok, StateName :: atom(), StateData :: term(), timeout() | hibernate} |
    {stop, Reason :: term()} | ignore.
-callback handle_event(Event :: term(), StateName :: atom(), StateData :: term()) -> term().
-callback handle_sync_event(Event :: term(), From :: {pid(), term()}, StateName :: atom(),
                            StateData :: term()) -> term().
-callback handle_info(Info :: term(), StateName :: atom(), StateData :: term()) -> term().
-callback terminate(Reason :: term(), StateName :: atom(), StateData :: term()) -> term().
-callback code_change(OldVsn :: term(), StateName :: atom(), StateData :: term(), Extra :: term()) ->
    {ok, NextStateName :: atom(), NewStateData :: term()}.
-callback format_status(Opt :: normal | terminate, StatusData :: [term()]) -> term().
-optional_callbacks([handle_info/3, terminate/3, code_change/4, format_status/2]).

%% ---------------------------------------------------------------------------
%% Starting and stopping

start(Mod, Args, Options) -> gen:start(?MODULE, nolink, Mod, Args, Options).
start(Name, Mod, Args, Options) -> gen:start(?MODULE, nolink, Name, Mod, Args, Options).
start_link(Mod, Args, Options) -> gen:start(?MODULE, link, Mod, Args, Options).
start_link(Name, Mod, Args, Options) -> gen:start(?MODULE, link, Name, Mod, Args, Options).

stop(Name) -> gen:stop(Name).
stop(Name, Reason, Timeout) -> gen:stop(Name, Reason, Timeout).

%% ---------------------------------------------------------------------------
%% Events

%% Unlike a gen_server cast, an event to an unregistered name is a badarg; these sit at OTP's lines
%% so that its stack trace reads as erl's.
-file("gen_fsm.erl", 213).
send_event({global, Name}, Event) ->
    catch global:send(Name, {'$gen_event', Event}),
    ok;
send_event({via, Mod, Name}, Event) ->
    catch Mod:send(Name, {'$gen_event', Event}),
    ok;
send_event(Name, Event) ->
    Name ! {'$gen_event', Event},
    ok.

-file("gen_fsm.erl", 239).
send_all_state_event({global, Name}, Event) ->
    catch global:send(Name, {'$gen_all_state_event', Event}),
    ok;
send_all_state_event({via, Mod, Name}, Event) ->
    catch Mod:send(Name, {'$gen_all_state_event', Event}),
    ok;
send_all_state_event(Name, Event) ->
    Name ! {'$gen_all_state_event', Event},
    ok.

%% a failed call exits naming the wrapper and its arguments, at the line OTP has the exit on
-file("gen_fsm.erl", 224).
sync_send_event(Name, Event) ->
    case catch gen:call(Name, '$gen_sync_event', Event) of
        {ok, Reply} -> Reply;
        {'EXIT', Reason} ->
            exit({Reason, {?MODULE, sync_send_event, [Name, Event]}})
    end.

-file("gen_fsm.erl", 232).
sync_send_event(Name, Event, Timeout) ->
    case catch gen:call(Name, '$gen_sync_event', Event, Timeout) of
        {ok, Reply} -> Reply;
        {'EXIT', Reason} ->
            exit({Reason, {?MODULE, sync_send_event, [Name, Event, Timeout]}})
    end.

-file("gen_fsm.erl", 250).
sync_send_all_state_event(Name, Event) ->
    case catch gen:call(Name, '$gen_sync_all_state_event', Event) of
        {ok, Reply} -> Reply;
        {'EXIT', Reason} ->
            exit({Reason, {?MODULE, sync_send_all_state_event, [Name, Event]}})
    end.

-file("gen_fsm.erl", 258).
sync_send_all_state_event(Name, Event, Timeout) ->
    case catch gen:call(Name, '$gen_sync_all_state_event', Event, Timeout) of
        {ok, Reply} -> Reply;
        {'EXIT', Reason} ->
            exit({Reason, {?MODULE, sync_send_all_state_event, [Name, Event, Timeout]}})
    end.

reply(From, Reply) -> gen:reply(From, Reply).

%% Timers the machine sets on itself: start_timer's arrives as {timeout, Ref, Msg} to the state,
%% send_event_after's as an ordinary event.
start_timer(Time, Msg) -> erlang:start_timer(Time, self(), {'$gen_timer', Msg}).

send_event_after(Time, Event) -> erlang:start_timer(Time, self(), {'$gen_event', Event}).

%% the time that was left, or false; a timeout already sent is taken out of the mailbox
cancel_timer(Ref) ->
    case erlang:cancel_timer(Ref) of
        false ->
            receive {timeout, Ref, _} -> 0 after 0 -> false end;
        RemainingTime ->
            RemainingTime
    end.

%% ---------------------------------------------------------------------------
%% enter_loop: a process started by proc_lib becomes a gen_fsm without init/1.

enter_loop(Mod, Options, StateName, StateData) ->
    enter_loop(Mod, Options, StateName, StateData, self(), infinity).

enter_loop(Mod, Options, StateName, StateData, {Scope, _} = Name) when Scope =:= local; Scope =:= global ->
    enter_loop(Mod, Options, StateName, StateData, Name, infinity);
enter_loop(Mod, Options, StateName, StateData, {via, _, _} = Name) ->
    enter_loop(Mod, Options, StateName, StateData, Name, infinity);
enter_loop(Mod, Options, StateName, StateData, Timeout) ->
    enter_loop(Mod, Options, StateName, StateData, self(), Timeout).

-file("gen_fsm.erl", 312).
enter_loop(Mod, Options, StateName, StateData, ServerName, Timeout) ->
    Name = gen:get_proc_name(ServerName),
    Parent = gen:get_parent(),
    Debug = gen:debug_options(Name, Options),
    loop(Parent, Name, StateName, StateData, Mod, Timeout, gen:hibernate_after(Options), Debug).

%% ---------------------------------------------------------------------------
%% The machine's process

init_it(Starter, self, Name, Mod, Args, Options) ->
    init_it(Starter, self(), Name, Mod, Args, Options);
init_it(Starter, Parent, Name0, Mod, Args, Options) ->
    Name = gen:name(Name0),
    Debug = gen:debug_options(Name, Options),
    HibernateAfter = gen:hibernate_after(Options),
    case catch Mod:init(Args) of
        {ok, StateName, StateData} ->
            proc_lib:init_ack(Starter, {ok, self()}),
            loop(Parent, Name, StateName, StateData, Mod, infinity, HibernateAfter, Debug);
        {ok, StateName, StateData, Timeout} ->
            proc_lib:init_ack(Starter, {ok, self()}),
            loop(Parent, Name, StateName, StateData, Mod, Timeout, HibernateAfter, Debug);
        {stop, Reason} ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, {error, Reason}),
            exit_at(Reason, init_it, 6, 343);
        ignore ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, ignore),
            exit_at(normal, init_it, 6, 347);
        {'EXIT', Reason} ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, {error, Reason}),
            exit_at(Reason, init_it, 6, 351);
        Else ->
            Error = {bad_return_value, Else},
            proc_lib:init_ack(Starter, {error, Error}),
            exit_at(Error, init_it, 6, 355)
    end.

%% Time is infinity, a timeout (then the event `timeout`) or hibernate.
loop(Parent, Name, StateName, StateData, Mod, hibernate, HibernateAfter, Debug) ->
    proc_lib:hibernate(?MODULE, wake_hib, [Parent, Name, StateName, StateData, Mod, HibernateAfter, Debug]);
loop(Parent, Name, StateName, StateData, Mod, infinity, HibernateAfter, Debug) ->
    receive
        Msg -> decode_msg(Msg, Parent, Name, StateName, StateData, Mod, infinity, HibernateAfter, Debug, false)
    after HibernateAfter ->
            loop(Parent, Name, StateName, StateData, Mod, hibernate, HibernateAfter, Debug)
    end;
loop(Parent, Name, StateName, StateData, Mod, Time, HibernateAfter, Debug) ->
    Msg = receive
              Input -> Input
          after Time -> {'$gen_event', timeout}
          end,
    decode_msg(Msg, Parent, Name, StateName, StateData, Mod, Time, HibernateAfter, Debug, false).

wake_hib(Parent, Name, StateName, StateData, Mod, HibernateAfter, Debug) ->
    Msg = receive Input -> Input end,
    decode_msg(Msg, Parent, Name, StateName, StateData, Mod, hibernate, HibernateAfter, Debug, true).

decode_msg(Msg, Parent, Name, StateName, StateData, Mod, Time, HibernateAfter, Debug, Hib) ->
    case Msg of
        {system, From, Req} ->
            sys:handle_system_msg(Req, From, Parent, ?MODULE, Debug,
                                  [Name, StateName, StateData, Mod, Time, HibernateAfter], Hib);
        {'EXIT', Parent, Reason} ->
            terminate(Reason, Name, undefined, Msg, Mod, StateName, StateData, Debug);
        _ ->
            Debug1 = debug(Debug, Name, {in, Msg, StateName}),
            handle_msg(Msg, Parent, Name, StateName, StateData, Mod, HibernateAfter, Debug1)
    end.

handle_msg(Msg, Parent, Name, StateName, StateData, Mod, HibernateAfter, Debug) ->
    From = from(Msg),
    case try_dispatch(Msg, Mod, StateName, StateData, Debug) of
        {next_state, NStateName, NStateData} ->
            Debug1 = debug(Debug, Name, {noreply, NStateName}),
            loop(Parent, Name, NStateName, NStateData, Mod, infinity, HibernateAfter, Debug1);
        {next_state, NStateName, NStateData, Time} ->
            Debug1 = debug(Debug, Name, {noreply, NStateName}),
            loop(Parent, Name, NStateName, NStateData, Mod, Time, HibernateAfter, Debug1);
        {reply, Reply, NStateName, NStateData} when From =/= undefined ->
            Debug1 = reply(Name, From, Reply, Debug, NStateName),
            loop(Parent, Name, NStateName, NStateData, Mod, infinity, HibernateAfter, Debug1);
        {reply, Reply, NStateName, NStateData, Time} when From =/= undefined ->
            Debug1 = reply(Name, From, Reply, Debug, NStateName),
            loop(Parent, Name, NStateName, NStateData, Mod, Time, HibernateAfter, Debug1);
        {stop, Reason, NStateData} ->
            terminate(Reason, Name, From, Msg, Mod, StateName, NStateData, Debug);
        {stop, Reason, Reply, NStateData} when From =/= undefined ->
            %% the caller hears after terminate/3 has run
            {'EXIT', R} = (catch terminate(Reason, Name, From, Msg, Mod, StateName, NStateData, Debug)),
            _ = reply(Name, From, Reply, Debug, StateName),
            case Debug of
                [] -> exit_at(R, handle_msg, 8, 496);
                _ -> exit_at(R, handle_msg, 9, 538)
            end;
        {'EXIT', {undef, [{Mod, handle_info, [_, _, _], _} | _]}} ->
            no_handle_info(Mod, Msg),
            loop(Parent, Name, StateName, StateData, Mod, infinity, HibernateAfter, Debug);
        {'EXIT', What} ->
            terminate(What, Name, From, Msg, Mod, StateName, StateData, Debug);
        Reply ->
            terminate({bad_return_value, Reply}, Name, From, Msg, Mod, StateName, StateData, Debug)
    end.

%% OTP catches the callback with catch in handle_msg: an error's stack trace ends in handle_msg's
%% frame at its line (handle_msg/9 when sys debugging is on), then proc_lib's.
try_dispatch(Msg, Mod, StateName, StateData, Debug) ->
    try dispatch(Msg, Mod, StateName, StateData)
    catch
        throw:R -> R;
        exit:R -> {'EXIT', R};
        error:R:Stack ->
            Frame = case Debug of
                        [] -> {?MODULE, handle_msg, 8, [{file, "gen_fsm.erl"}, {line, 479}]};
                        _ -> {?MODULE, handle_msg, 9, [{file, "gen_fsm.erl"}, {line, 516}]}
                    end,
            {'EXIT', {R, gen:stack(callback_frames(Stack), [Frame])}}
    end.

%% the callback's part of a stack trace, without this module's frames under it
callback_frames(Stack) ->
    lists:reverse(lists:dropwhile(fun(F) -> element(1, F) =:= ?MODULE end, lists:reverse(Stack))).

dispatch({'$gen_event', Event}, Mod, StateName, StateData) ->
    Mod:StateName(Event, StateData);
dispatch({'$gen_all_state_event', Event}, Mod, StateName, StateData) ->
    Mod:handle_event(Event, StateName, StateData);
dispatch({'$gen_sync_event', From, Event}, Mod, StateName, StateData) ->
    Mod:StateName(Event, From, StateData);
dispatch({'$gen_sync_all_state_event', From, Event}, Mod, StateName, StateData) ->
    Mod:handle_sync_event(Event, From, StateName, StateData);
dispatch({timeout, Ref, {'$gen_timer', Msg}}, Mod, StateName, StateData) ->
    Mod:StateName({timeout, Ref, Msg}, StateData);
dispatch({timeout, _Ref, {'$gen_event', Event}}, Mod, StateName, StateData) ->
    Mod:StateName(Event, StateData);
dispatch(Info, Mod, StateName, StateData) ->
    Mod:handle_info(Info, StateName, StateData).

from({'$gen_sync_event', From, _Event}) -> From;
from({'$gen_sync_all_state_event', From, _Event}) -> From;
from(_) -> undefined.

reply(Name, From, Reply, Debug, StateName) ->
    gen:reply(From, Reply),
    debug(Debug, Name, {out, Reply, From, StateName}).

debug([], _Name, _Event) -> [];
debug(Debug, Name, Event) -> sys:handle_debug(Debug, fun print_event/3, Name, Event).

no_handle_info(Mod, Msg) ->
    gen:log(warning, ?MODULE,
            #{label => {gen_fsm, no_handle_info}, module => Mod, message => Msg},
            #{domain => [otp], report_cb => fun gen_fsm:format_log/2,
              error_logger => #{tag => warning_msg, report_cb => fun gen_fsm:format_log/1}}).

%% ---------------------------------------------------------------------------
%% sys's callbacks

system_continue(Parent, Debug, [Name, StateName, StateData, Mod, Time, HibernateAfter]) ->
    loop(Parent, Name, StateName, StateData, Mod, Time, HibernateAfter, Debug).

system_terminate(Reason, _Parent, Debug, [Name, StateName, StateData, Mod, _Time, _HibernateAfter]) ->
    terminate(Reason, Name, undefined, [], Mod, StateName, StateData, Debug).

system_code_change([Name, StateName, StateData, Mod, Time, HibernateAfter], _Module, OldVsn, Extra) ->
    case catch Mod:code_change(OldVsn, StateName, StateData, Extra) of
        {ok, NewStateName, NewStateData} ->
            {ok, [Name, NewStateName, NewStateData, Mod, Time, HibernateAfter]};
        Else -> Else
    end.

system_get_state([_Name, StateName, StateData, _Mod, _Time, _HibernateAfter]) ->
    {ok, {StateName, StateData}}.

system_replace_state(StateFun, [Name, StateName, StateData, Mod, Time, HibernateAfter]) ->
    {NStateName, NStateData} = Result = StateFun({StateName, StateData}),
    {ok, Result, [Name, NStateName, NStateData, Mod, Time, HibernateAfter]}.

%% sys's trace output: events as the callback module sees them
print_event(Dev, {in, Msg, StateName}, Name) ->
    case Msg of
        {'$gen_event', Event} ->
            io:format(Dev, "*DBG* ~tp got event ~tp in state ~tw~n", [Name, Event, StateName]);
        {'$gen_all_state_event', Event} ->
            io:format(Dev, "*DBG* ~tp got all_state_event ~tp in state ~tw~n", [Name, Event, StateName]);
        {'$gen_sync_event', {From, _Tag}, Event} ->
            io:format(Dev, "*DBG* ~tp got sync_event ~tp from ~tw in state ~tw~n",
                      [Name, Event, From, StateName]);
        {'$gen_sync_all_state_event', {From, _Tag}, Event} ->
            io:format(Dev, "*DBG* ~tp got sync_all_state_event ~tp from ~tw in state ~tw~n",
                      [Name, Event, From, StateName]);
        {timeout, Ref, {'$gen_timer', Message}} ->
            io:format(Dev, "*DBG* ~tp got timer ~tp in state ~tw~n",
                      [Name, {timeout, Ref, Message}, StateName]);
        {timeout, _Ref, {'$gen_event', Event}} ->
            io:format(Dev, "*DBG* ~tp got timer ~tp in state ~tw~n", [Name, Event, StateName]);
        _ ->
            io:format(Dev, "*DBG* ~tp got ~tp in state ~tw~n", [Name, Msg, StateName])
    end;
print_event(Dev, {out, Msg, {To, _Tag}, StateName}, Name) ->
    io:format(Dev, "*DBG* ~tp sent ~tp to ~tw~n      and switched to state ~tw~n",
              [Name, Msg, To, StateName]);
print_event(Dev, {noreply, StateName}, Name) ->
    io:format(Dev, "*DBG* ~tp switched to state ~tw~n", [Name, StateName]).

%% ---------------------------------------------------------------------------
%% Termination: terminate/3 runs (if exported); the end is reported unless normal, shutdown or
%% {shutdown, _}, or terminate/3 crashed, which is reported instead.

terminate(Reason, Name, From, Msg, Mod, StateName, StateData, Debug) ->
    case erlang:function_exported(Mod, terminate, 3) of
        true ->
            case catch Mod:terminate(Reason, StateName, StateData) of
                {'EXIT', R} ->
                    error_info(R, Name, From, Msg, StateName, status(terminate, Mod, StateData), Debug),
                    exit_at(R, terminate, 8, 589);
                _ ->
                    ok
            end;
        false ->
            ok
    end,
    case Reason of
        normal -> exit_at(normal, terminate, 8, 598);
        shutdown -> exit_at(shutdown, terminate, 8, 600);
        {shutdown, _} -> exit_at(Reason, terminate, 8, 602);
        _ ->
            error_info(Reason, Name, From, Msg, StateName, status(terminate, Mod, StateData), Debug),
            exit_at(Reason, terminate, 8, 607)
    end.

%% The machine's exits come from the function and line they have in OTP, as crash reports show them.
exit_at(Reason, F, A, Line) ->
    erlang:raise(exit, Reason, [{?MODULE, F, A, [{file, "gen_fsm.erl"}, {line, Line}]} | gen:started_frames()]).

error_info(Reason, Name, From, Msg, StateName, StateData, Debug) ->
    gen:log(error, ?MODULE,
            #{label => {gen_fsm, terminate},
              name => Name,
              last_message => Msg,
              state_name => StateName,
              state_data => StateData,
              log => sys:get_log(Debug),
              reason => Reason,
              client_info => gen:client_info(From)},
            #{domain => [otp], report_cb => fun gen_fsm:format_log/2,
              error_logger => #{tag => error, report_cb => fun gen_fsm:format_log/1}}),
    ok.

%% ---------------------------------------------------------------------------
%% The report's text

format_log(Report) ->
    format_log(Report, #{}).

format_log(Report, Opts) -> gen:report_text(Report, Opts, fun lines/2, fun one_line/2).

lines(#{label := {gen_fsm, terminate}, name := Name, last_message := Msg, state_name := StateName,
        state_data := StateData, log := Log, reason := Reason, client_info := Client}, Opts) ->
    P = p(Opts),
    {LogFormat, LogArgs} = case Log of
                               [] -> {"", []};
                               _ -> {"** Log ==~n**" ++ P ++ "~n", args([Log], Opts)}
                           end,
    {ClientFormat, ClientArgs} = gen:client_lines(Client, Opts),
    {"** State machine " ++ P ++ " terminating \n" ++ event_line(Msg, P) ++
         "** When State == " ++ P ++ "~n"
         "**      Data  == " ++ P ++ "~n"
         "** Reason for termination ==~n** " ++ P ++ "~n" ++ LogFormat ++ ClientFormat,
     args([Name | event_args(Msg)] ++ [StateName, StateData, explain(Reason)], Opts) ++ LogArgs ++ ClientArgs};
lines(#{label := {gen_fsm, no_handle_info}, module := Mod, message := Msg}, Opts) ->
    {"** Undefined handle_info in ~p~n** Unhandled message: " ++ p(Opts) ++ "~n",
     [Mod | args([Msg], Opts)]}.

%% how the last message reads: an event, a sync event and who sent it, a timer, or a message
event_line({'$gen_event', _}, P) -> "** Last event in was " ++ P ++ "~n";
event_line({'$gen_sync_event', _, _}, P) -> "** Last sync event in was " ++ P ++ " from ~tw~n";
event_line({'$gen_all_state_event', _}, P) -> "** Last event in was " ++ P ++ " (for all states)~n";
event_line({'$gen_sync_all_state_event', _, _}, P) ->
    "** Last sync event in was " ++ P ++ " (for all states) from " ++ P ++ "~n";
event_line({timeout, _, {'$gen_timer', _}}, P) -> "** Last timer event in was " ++ P ++ "~n";
event_line({timeout, _, {'$gen_event', _}}, P) -> "** Last timer event in was " ++ P ++ "~n";
event_line(_, P) -> "** Last message in was " ++ P ++ "~n".

event_args({'$gen_event', Event}) -> [Event];
event_args({'$gen_sync_event', {From, _Tag}, Event}) -> [Event, From];
event_args({'$gen_all_state_event', Event}) -> [Event];
event_args({'$gen_sync_all_state_event', {From, _Tag}, Event}) -> [Event, From];
event_args({timeout, Ref, {'$gen_timer', Msg}}) -> [{timeout, Ref, Msg}];
event_args({timeout, _Ref, {'$gen_event', Event}}) -> [Event];
event_args(Msg) -> [Msg].

one_line(#{label := {gen_fsm, terminate}, name := Name, last_message := Msg, state_name := StateName,
           state_data := StateData, log := Log, reason := Reason, client_info := Client}, Opts) ->
    P = p(Opts),
    {LogFormat, LogArgs} = case Log of
                               [] -> {"", []};
                               _ -> {". Log: " ++ P, args([Log], Opts)}
                           end,
    {ClientFormat, ClientArgs} = gen:client_line(Client, Opts),
    {"State machine " ++ P ++ " terminating. Reason: " ++ P ++ ". Last event: " ++ P ++
         ". State: " ++ P ++ ". Data: " ++ P ++ LogFormat ++ "." ++ ClientFormat,
     args([Name, explain(Reason), event_args(Msg), StateName, StateData], Opts) ++ LogArgs ++ ClientArgs};
one_line(#{label := {gen_fsm, no_handle_info}, module := Mod, message := Msg}, Opts) ->
    P = p(Opts),
    {"Undefined handle_info in " ++ P ++ ". Unhandled message: " ++ P ++ ".", args([Mod, Msg], Opts)}.

explain(Reason) -> gen:explain_undef(Reason).

p(Opts) -> gen:report_directive(Opts).

args(Terms, Opts) -> gen:report_args(Terms, Opts).

%% ---------------------------------------------------------------------------
%% sys:get_status: the machine's part

format_status(Opt, [PDict, SysState, Parent, Debug, [Name, StateName, StateData, Mod, _Time, _HibernateAfter]]) ->
    Header = gen:format_status_header("Status for state machine", Name),
    Specific = case status(Opt, Mod, PDict, StateData) of
                   S when is_list(S) -> S;
                   S -> [S]
               end,
    [{header, Header},
     {data, [{"Status", SysState}, {"Parent", Parent}, {"Logged events", sys:get_log(Debug)},
             {"StateName", StateName}]}
     | Specific].

status(Opt, Mod, StateData) -> status(Opt, Mod, get(), StateData).

%% the callback's format_status/2 if it has one that does not crash
status(Opt, Mod, PDict, StateData) ->
    Default = case Opt of
                  terminate -> StateData;
                  _ -> [{data, [{"StateData", StateData}]}]
              end,
    case erlang:function_exported(Mod, format_status, 2) of
        true ->
            case catch Mod:format_status(Opt, [PDict, StateData]) of
                {'EXIT', _} -> Default;
                Else -> Else
            end;
        false ->
            Default
    end.
