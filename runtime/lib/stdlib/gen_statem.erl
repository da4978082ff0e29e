%% gen_statem: the generic state machine. Events (calls, casts, other messages, time-outs, events
%% it inserts itself) go to the callback module's state functions (Mod:State(Type, Content, Data),
%% callback mode state_functions) or to Mod:handle_event(Type, Content, State, Data)
%% (handle_event_function), optionally with state enter calls. The answer names the next state and
%% data and a list of actions: replies, postponing the event until the state changes, inserting
%% events, event/state/generic time-outs, hibernation, changing the callback module.
%%
%% After a callback returns, a transition: actions are taken in order (replies are sent), the
%% state enter call is made if the state changed (or is repeated), a postponed event is put
%% aside, a state change retries the events put aside (oldest first), a running event time-out
%% ends (and a state time-out, on a state change), time-outs are set, inserted events go first;
%% then the next queued event, else a zero time-out, else a new message.
-module(gen_statem).

-export([start/3, start/4, start_link/3, start_link/4, start_monitor/3, start_monitor/4,
         stop/1, stop/3, cast/2, call/2, call/3, reply/1, reply/2,
         send_request/2, send_request/4, wait_response/1, wait_response/2, wait_response/3,
         receive_response/1, receive_response/2, receive_response/3,
         check_response/2, check_response/3,
         reqids_new/0, reqids_size/1, reqids_add/3, reqids_to_list/1,
         enter_loop/4, enter_loop/5, enter_loop/6]).
-export([init_it/6, wakeup_from_hibernate/3, system_continue/3, system_terminate/4,
         system_code_change/4, system_get_state/1, system_replace_state/2,
         format_status/2, format_log/1, format_log/2]).

-callback init(Args :: term()) -> term().
-callback callback_mode() -> term().
-callback terminate(Reason :: term(), State :: term(), Data :: term()) -> term().
-callback code_change(OldVsn :: term(), State :: term(), Data :: term(), Extra :: term()) -> term().
-callback format_status(Status :: map()) -> map().
-callback format_status(Opt :: normal | terminate, [term()]) -> term().
-callback handle_event(Type :: term(), Content :: term(), State :: term(), Data :: term()) -> term().
-optional_callbacks([terminate/3, code_change/4, format_status/1, format_status/2, handle_event/4]).

%% What stays while the machine runs, and what each transition changes.
-record(params, {callback_mode = state_functions, state_enter = false, parent, modules = [],
                 name, hibernate_after = infinity}).
-record(state, {state_data = {undefined, undefined},
                postponed = [],     % newest first
                timers = #{},       % Type => {TimerRef | 0, Msg}
                zero = [],          % the zero time-outs to queue, in order
                hibernate = false}).
%% what the actions of one transition ask for
-record(trans, {next_events = [], hibernate = false, timeouts = [], postpone = false}).

-define(is_timeout(T), (T =:= infinity orelse (is_integer(T) andalso T >= 0))).

%% ---------------------------------------------------------------------------
%% API

start(Mod, Args, Opts) -> gen:start(?MODULE, nolink, Mod, Args, Opts).
start(Name, Mod, Args, Opts) -> gen:start(?MODULE, nolink, Name, Mod, Args, Opts).
start_link(Mod, Args, Opts) -> gen:start(?MODULE, link, Mod, Args, Opts).
start_link(Name, Mod, Args, Opts) -> gen:start(?MODULE, link, Name, Mod, Args, Opts).
start_monitor(Mod, Args, Opts) -> gen:start(?MODULE, monitor, Mod, Args, Opts).
start_monitor(Name, Mod, Args, Opts) -> gen:start(?MODULE, monitor, Name, Mod, Args, Opts).

stop(Server) -> gen:stop(Server).
stop(Server, Reason, Timeout) -> gen:stop(Server, Reason, Timeout).

cast({global, Name}, Msg) ->
    try global:send(Name, {'$gen_cast', Msg}) of _ -> ok catch _:_ -> ok end;
cast({via, Mod, Name}, Msg) ->
    try Mod:send(Name, {'$gen_cast', Msg}) of _ -> ok catch _:_ -> ok end;
cast(Server, Msg) ->
    try erlang:send(Server, {'$gen_cast', Msg}) catch error:_ -> ok end,
    ok.

%% No time limit by default. A {clean_timeout, T} call to another node goes through a proxy
%% process, so a late answer cannot reach the caller; locally the alias does that.
call(Server, Request) -> call(Server, Request, infinity).

%% (a bad time-out is raised on OTP's line)
-file("gen_statem.erl", 645).
call(Server, Request, {dirty_timeout, T} = Timeout) -> do_call(Server, Request, Timeout, T);
call(Server, Request, {clean_timeout, T} = Timeout) -> do_call(Server, Request, Timeout, T);

call(Server, Request, {_, _} = Timeout) ->
    erlang:error(badarg, [Server, Request, Timeout]);
call(Server, Request, Timeout) -> do_call(Server, Request, Timeout, Timeout).

do_call(Server, Request, Timeout, T) ->
    try gen:call(Server, '$gen_call', Request, T) of
        {ok, Reply} -> Reply
    catch
        exit:Reason:Stack ->
            erlang:raise(exit, {Reason, {?MODULE, call, [Server, Request, Timeout]}}, Stack)
    end.

reply({reply, From, Reply}) -> reply(From, Reply);
reply(Replies) when is_list(Replies) -> [reply(R) || R <- Replies], ok.

reply(From, Reply) -> gen:reply(From, Reply).

send_request(Server, Request) ->
    try gen:send_request(Server, '$gen_call', Request)
    catch error:badarg -> error(badarg, [Server, Request])
    end.
send_request(Server, Request, Label, ReqIds) ->
    try gen:send_request(Server, '$gen_call', Request, Label, ReqIds)
    catch error:badarg -> error(badarg, [Server, Request, Label, ReqIds])
    end.
wait_response(ReqId) -> wait_response(ReqId, infinity).
wait_response(ReqId, Timeout) ->
    try gen:wait_response(ReqId, Timeout)
    catch error:badarg -> error(badarg, [ReqId, Timeout])
    end.
wait_response(ReqIds, Timeout, Delete) ->
    try gen:wait_response(ReqIds, Timeout, Delete)
    catch error:badarg -> error(badarg, [ReqIds, Timeout, Delete])
    end.
receive_response(ReqId) -> receive_response(ReqId, infinity).
receive_response(ReqId, Timeout) ->
    try gen:receive_response(ReqId, Timeout)
    catch error:badarg -> error(badarg, [ReqId, Timeout])
    end.
receive_response(ReqIds, Timeout, Delete) ->
    try gen:receive_response(ReqIds, Timeout, Delete)
    catch error:badarg -> error(badarg, [ReqIds, Timeout, Delete])
    end.
check_response(Msg, ReqId) ->
    try gen:check_response(Msg, ReqId)
    catch error:badarg -> error(badarg, [Msg, ReqId])
    end.
check_response(Msg, ReqIds, Delete) ->
    try gen:check_response(Msg, ReqIds, Delete)
    catch error:badarg -> error(badarg, [Msg, ReqIds, Delete])
    end.
reqids_new() -> gen:reqids_new().
reqids_size(ReqIds) ->
    try gen:reqids_size(ReqIds) catch error:badarg -> error(badarg, [ReqIds]) end.
reqids_add(ReqId, Label, ReqIds) ->
    try gen:reqids_add(ReqId, Label, ReqIds) catch error:badarg -> error(badarg, [ReqId, Label, ReqIds]) end.
reqids_to_list(ReqIds) ->
    try gen:reqids_to_list(ReqIds) catch error:badarg -> error(badarg, [ReqIds]) end.

%% A process started by proc_lib becomes a state machine.
enter_loop(Mod, Opts, State, Data) ->
    enter_loop(Mod, Opts, State, Data, self()).

enter_loop(Mod, Opts, State, Data, Actions) when is_list(Actions) ->
    enter_loop(Mod, Opts, State, Data, self(), Actions);
enter_loop(Mod, Opts, State, Data, Server) ->
    enter_loop(Mod, Opts, State, Data, Server, []).

enter_loop(Mod, Opts, State, Data, Server, Actions) when is_atom(Mod), is_list(Opts) ->
    Name = gen:get_proc_name(Server),
    Debug = gen:debug_options(Name, Opts),
    enter(gen:get_parent(), Debug, Mod, Name, gen:hibernate_after(Opts), State, Data, Actions).

%% ---------------------------------------------------------------------------
%% Starting

init_it(Starter, self, Server, Mod, Args, Opts) ->
    init_it(Starter, self(), Server, Mod, Args, Opts);
init_it(Starter, Parent, Server, Mod, Args, Opts) ->
    Name = gen:name(Server),
    Debug = gen:debug_options(Name, Opts),
    HibernateAfter = gen:hibernate_after(Opts),
    try Mod:init(Args) of
        Result -> init_result(Starter, Parent, Server, Mod, Result, Name, Debug, HibernateAfter)
    catch
        throw:Result -> init_result(Starter, Parent, Server, Mod, Result, Name, Debug, HibernateAfter);
        Class:Reason:Stack0 ->
            Stack = retrace(Stack0, init_it, 6, 1018),
            gen:unregister_name(Server),
            proc_lib:init_ack(Starter, {error, Reason}),
            error_info(Class, Reason, Stack, Debug, #params{parent = Parent, name = Name, modules = [Mod]},
                       #state{}, []),
            erlang:raise(Class, Reason, Stack)
    end.

init_result(Starter, Parent, Server, Mod, Result, Name, Debug, HibernateAfter) ->
    case Result of
        {ok, State, Data} ->
            proc_lib:init_ack(Starter, {ok, self()}),
            enter(Parent, Debug, Mod, Name, HibernateAfter, State, Data, []);
        {ok, State, Data, Actions} ->
            proc_lib:init_ack(Starter, {ok, self()}),
            enter(Parent, Debug, Mod, Name, HibernateAfter, State, Data, Actions);
        {stop, Reason} ->
            gen:unregister_name(Server),
            proc_lib:init_ack(Starter, {error, Reason}),
            erlang:raise(exit, Reason, current_stack(init_result, 8, 1058));
        ignore ->
            gen:unregister_name(Server),
            proc_lib:init_ack(Starter, ignore),
            exit(normal);
        _ ->
            gen:unregister_name(Server),
            Error = {bad_return_from_init, Result},
            proc_lib:init_ack(Starter, {error, Error}),
            error_info(error, Error, current_stack(init_result, 8, 1068), Debug,
                       #params{parent = Parent, name = Name, modules = [Mod]}, #state{}, []),
            erlang:raise(exit, Error, current_stack(init_result, 8, 1071))
    end.

%% Into the first state: its enter call (if any) as for a state change, the actions given.
enter(Parent, Debug, Mod, Name, HibernateAfter, State, Data, Actions) ->
    %% a fake event, so the initial actions are taken as a transition's; it is never postponed
    Event = {internal, init_state},
    P0 = #params{parent = Parent, name = Name, hibernate_after = HibernateAfter, modules = [Mod]},
    S = #state{state_data = {State, Data}},
    case callback_mode(P0, [Mod], [frame(enter, 8, 1000)]) of
        #params{} = P ->
            Debug1 = debug(Debug, Name, {enter, Mod, State}),
            actions(P, Debug1, S, [Event], {State, Data}, #trans{}, true, true,
                    listify(Actions) ++ [{postpone, false}]);
        {Class, Reason, Stack} ->
            terminate(Class, Reason, Stack, P0, Debug, S, [Event])
    end.

%% (Below: the engine's frames under this call, for the trace of a bad answer)
callback_mode(P, [Mod | _] = Modules, Below) ->
    try Mod:callback_mode() of
        Result -> callback_mode_result(P, Modules, Result, Below)
    catch
        throw:Result -> callback_mode_result(P, Modules, Result, Below);
        Class:Reason:Stack -> {Class, Reason, gen:stack(Stack, Below)}
    end.

callback_mode_result(P, Modules, Result, Below) ->
    Parts = listify(Result),
    Modes = [M || M <- Parts, M =:= state_functions orelse M =:= handle_event_function],
    Others = [X || X <- Parts, X =/= state_functions, X =/= handle_event_function, X =/= state_enter],
    case {Modes, Others} of
        {[Mode], []} ->
            P#params{callback_mode = Mode, modules = Modules,
                     state_enter = lists:member(state_enter, Parts)};
        _ ->
            {error, {bad_return_from_callback_mode, Result},
             gen:stack([frame(callback_mode_result, 6, 2539)], Below)}
    end.

%% ---------------------------------------------------------------------------
%% The loop: wait for a message (or hibernate), make it an event

loop(P, Debug, #state{hibernate = true} = S) ->
    proc_lib:hibernate(?MODULE, wakeup_from_hibernate, [P, Debug, S]);
loop(P, Debug, S) ->
    receive_event(P, Debug, S).

wakeup_from_hibernate(P, Debug, S) ->
    receive_event(P, Debug, S).

receive_event(#params{parent = Parent, hibernate_after = HibernateAfter} = P, Debug, S) ->
    receive
        Msg ->
            case Msg of
                {'$gen_call', From, Request} -> received(P, Debug, S, {{call, From}, Request});
                {'$gen_cast', Cast} -> received(P, Debug, S, {cast, Cast});
                {timeout, Ref, Type} ->
                    case S#state.timers of
                        #{Type := {Ref, TimeoutMsg}} ->
                            received(P, Debug, S#state{timers = maps:remove(Type, S#state.timers)},
                                     {Type, TimeoutMsg});
                        _ -> received(P, Debug, S, {info, Msg})
                    end;
                {system, From, Req} ->
                    sys:handle_system_msg(Req, From, Parent, ?MODULE, Debug, {P, S}, S#state.hibernate);
                {'EXIT', Parent, Reason} ->
                    terminate(exit, Reason, current_stack(loop_receive, 3, 1316), P, Debug, S, []);
                _ -> received(P, Debug, S, {info, Msg})
            end
    after HibernateAfter ->
            loop(P, Debug, S#state{hibernate = true})
    end.

%% (the event time-out, if running, ends with the transition this event makes)
received(P, Debug, S, Event) ->
    {State, _} = S#state.state_data,
    Debug1 = debug(Debug, P#params.name, {in, Event, State}),
    event(P, Debug1, S#state{hibernate = false}, [Event]).

%% Handle the first event of the queue.
event(P, Debug, #state{state_data = StateData} = S, [Event | _] = Q) ->
    state_call(P, Debug, S, Q, StateData, #trans{}, true, Event).

%% Call the state callback: with the event (StateCall), or as the state enter call ({enter, Old}).
state_call(#params{callback_mode = Mode, modules = [Mod | _]} = P, Debug, S, Q, {State, Data} = StateData,
           Trans, StateCall, {Type, Content}) ->
    try
        case Mode of
            state_functions -> Mod:State(Type, Content, Data);
            handle_event_function -> Mod:handle_event(Type, Content, State, Data)
        end
    of
        Result -> result(P, Debug, S, Q, StateData, Trans, StateCall, Result)
    catch
        throw:Result -> result(P, Debug, S, Q, StateData, Trans, StateCall, Result);
        Class:Reason:Stack ->
            Line = case Mode of state_functions -> 1426; handle_event_function -> 1428 end,
            terminate(Class, Reason, retrace(Stack, loop_state_callback, 11, Line), P, Debug,
                      S#state{state_data = StateData, hibernate = Trans#trans.hibernate}, Q)
    end.

%% The callback's answer: the next state and data, and whether the state enter call is due.
result(P, Debug, S, Q, {State, _Data} = StateData, Trans, StateCall, Result) ->
    Stop = fun(Class, Reason, Line, SD) ->
                   terminate(Class, Reason, current_stack(loop_state_callback_result, 11, Line), P, Debug,
                             S#state{state_data = SD, hibernate = Trans#trans.hibernate}, Q)
           end,
    Go = fun(SD, Enter, Actions) -> actions(P, Debug, S, Q, SD, Trans, Enter, StateCall, listify(Actions)) end,
    case Result of
        {next_state, State, NewData} -> Go({State, NewData}, false, []);
        {next_state, Next, NewData} when StateCall -> Go({Next, NewData}, true, []);
        {next_state, _, _} ->
            Stop(error, {bad_state_enter_return_from_state_function, Result}, 1469, StateData);
        {next_state, State, NewData, Actions} -> Go({State, NewData}, false, Actions);
        {next_state, Next, NewData, Actions} when StateCall -> Go({Next, NewData}, true, Actions);
        {next_state, _, _, _} ->
            Stop(error, {bad_state_enter_return_from_state_function, Result}, 1489, StateData);
        {keep_state, NewData} -> Go({State, NewData}, false, []);
        {keep_state, NewData, Actions} -> Go({State, NewData}, false, Actions);
        keep_state_and_data -> Go(StateData, false, []);
        {keep_state_and_data, Actions} -> Go(StateData, false, Actions);
        {repeat_state, NewData} -> Go({State, NewData}, true, []);
        {repeat_state, NewData, Actions} -> Go({State, NewData}, true, Actions);
        repeat_state_and_data -> Go(StateData, true, []);
        {repeat_state_and_data, Actions} -> Go(StateData, true, Actions);
        stop -> Stop(exit, normal, 1541, StateData);
        {stop, Reason} -> Stop(exit, Reason, 1548, StateData);
        {stop, Reason, NewData} -> Stop(exit, Reason, 1555, {State, NewData});
        {stop_and_reply, Reason, Replies} ->
            reply_then_terminate(Reason, current_stack(loop_state_callback_result, 11, 1563), P, Debug,
                                 S#state{state_data = StateData, hibernate = Trans#trans.hibernate}, Q, Replies);
        {stop_and_reply, Reason, Replies, NewData} ->
            reply_then_terminate(Reason, current_stack(loop_state_callback_result, 11, 1570), P, Debug,
                                 S#state{state_data = {State, NewData}, hibernate = Trans#trans.hibernate}, Q, Replies);
        _ ->
            Stop(error, {bad_return_from_state_function, Result}, 1580, StateData)
    end.

%% Take the actions in order; then the state enter call (when Enter and the machine has them),
%% or the transition.
actions(P, Debug, S, Q, StateData, Trans, Enter, _StateCall, []) ->
    case Enter andalso P#params.state_enter of
        true ->
            {OldState, _} = S#state.state_data,
            state_call(P, Debug, S, Q, StateData, Trans, false, {enter, OldState});
        false ->
            transition(P, Debug, S, Q, StateData, Trans)
    end;
actions(P, Debug, S, Q, StateData, Trans, Enter, StateCall, [Action | Actions]) ->
    Next = fun(T) -> actions(P, Debug, S, Q, StateData, T, Enter, StateCall, Actions) end,
    Bad = fun(Why, Line) ->
                  terminate(error, Why, current_stack(loop_actions_list, 13, Line), P, Debug,
                            S#state{state_data = StateData, hibernate = Trans#trans.hibernate}, Q)
          end,
    BadAction = case StateCall of
                    true -> bad_action_from_state_function;
                    false -> bad_state_enter_action_from_state_function
                end,
    case Action of
        {reply, From, Reply} ->
            case From of
                {To, _Tag} when is_pid(To) ->
                    gen:reply(From, Reply),
                    Debug1 = debug(Debug, P#params.name, {out, Reply, From}),
                    actions(P, Debug1, S, Q, StateData, Trans, Enter, StateCall, Actions);
                _ -> Bad({bad_action_from_state_function, Action}, 1943)
            end;
        {hibernate, H} when is_boolean(H) -> Next(Trans#trans{hibernate = H});
        hibernate -> Next(Trans#trans{hibernate = true});
        {postpone, Postpone} when is_boolean(Postpone), not Postpone orelse StateCall ->
            Next(Trans#trans{postpone = Postpone});
        postpone when StateCall -> Next(Trans#trans{postpone = true});
        postpone -> Bad({BadAction, Action}, 1682);
        {postpone, _} -> Bad({BadAction, Action}, 1682);
        {next_event, Type, Content} when StateCall ->
            case event_type(Type) of
                true -> Next(Trans#trans{next_events = [{Type, Content} | Trans#trans.next_events]});
                false ->
                    terminate(error, {bad_action_from_state_function, Action},
                              current_stack(loop_actions_next_event_bad, 9, 1994), P, Debug,
                              S#state{state_data = StateData, hibernate = Trans#trans.hibernate}, Q)
            end;
        {next_event, _, _} -> Bad({BadAction, Action}, 1729);
        {Tag, NewMod} when (Tag =:= change_callback_module orelse Tag =:= push_callback_module),
                           is_atom(NewMod) ->
            case StateCall of
                true ->
                    Modules = case Tag of
                                  change_callback_module -> [NewMod | tl(P#params.modules)];
                                  push_callback_module -> [NewMod | P#params.modules]
                              end,
                    with_modules(P, Debug, S, Q, StateData, Trans, Enter, StateCall, Actions, Modules);
                false -> Bad({BadAction, Action}, 1762)
            end;
        pop_callback_module when tl(P#params.modules) =/= [] ->
            case StateCall of
                true -> with_modules(P, Debug, S, Q, StateData, Trans, Enter, StateCall, Actions,
                                     tl(P#params.modules));
                false -> Bad({BadAction, Action}, 1762)
            end;
        _ ->
            case timeout_action(Action) of
                {ok, Timeout} -> Next(Trans#trans{timeouts = [Timeout | Trans#trans.timeouts]});
                error ->
                    %% (OTP's line for each shape of bad time-out)
                    Line = case Action of
                               {_, _, _, _} -> 1840;
                               {_, _, _} -> 1865;
                               {_, cancel} -> 1889;
                               _ -> 1913
                           end,
                    Bad({BadAction, Action}, Line)
            end
    end.

with_modules(P, Debug, S, Q, StateData, Trans, Enter, StateCall, Actions, Modules) ->
    case callback_mode(P, Modules, [frame(loop_actions_list, 13, 1775)]) of
        #params{} = P1 ->
            {State, _} = StateData,
            Debug1 = debug(Debug, P#params.name, {module, hd(Modules), State}),
            actions(P1, Debug1, S, Q, StateData, Trans, Enter, StateCall, Actions);
        {Class, Reason, Stack} ->
            terminate(Class, Reason, Stack, P#params{modules = Modules}, Debug,
                      S#state{state_data = StateData}, Q)
    end.

event_type({call, {Pid, _}}) when is_pid(Pid) -> true;
event_type(cast) -> true;
event_type(info) -> true;
event_type(timeout) -> true;
event_type(state_timeout) -> true;
event_type(internal) -> true;
event_type({timeout, _}) -> true;
event_type(_) -> false.

%% A time-out action as {Type, Time | cancel | update, Msg, Opts}, or error.
timeout_action(Time) when ?is_timeout(Time) -> {ok, {timeout, Time, Time, []}};
timeout_action({Type, Time, Msg}) -> timeout_action({Type, Time, Msg, []});
timeout_action({Type, cancel}) ->
    case timeout_type(Type) of
        true -> {ok, {Type, cancel, undefined, []}};
        false -> error
    end;
timeout_action({Type, update, Msg, []}) ->
    case timeout_type(Type) of
        true -> {ok, {Type, update, Msg, []}};
        false -> error
    end;
timeout_action({Type, Time, Msg, Opts}) ->
    case timeout_type(Type) andalso is_list(Opts) andalso valid_time(Time, Opts) of
        true -> {ok, {Type, Time, Msg, Opts}};
        false -> error
    end;
timeout_action(_) ->
    error.

timeout_type(timeout) -> true;
timeout_type(state_timeout) -> true;
timeout_type({timeout, _}) -> true;
timeout_type(_) -> false.

valid_time(infinity, _) -> true;
valid_time(Time, Opts) when is_integer(Time) ->
    case lists:keyfind(abs, 1, Opts) of
        {abs, true} -> true;
        _ -> Time >= 0
    end;
valid_time(_, _) -> false.

%% After the callback (and its enter call): postpone, retry the postponed on a state change, set
%% the time-outs, insert the next events, go on.
transition(P, Debug, #state{state_data = {OldState, _}, postponed = Postponed0, timers = Timers0} = S,
           [Event | Events], {NextState, _} = NextStateData, Trans) ->
    Name = P#params.name,
    {Postponed1, Debug1} =
        case Trans#trans.postpone of
            true -> {[Event | Postponed0], debug(Debug, Name, {postpone, Event, OldState, NextState})};
            false -> {Postponed0, debug(Debug, Name, {consume, Event, OldState, NextState})}
        end,
    %% an event time-out still running ends with any event; a state time-out with its state
    {Timers1, Zero1} = cancel(timeout, Timers0, S#state.zero),
    {Queue0, Postponed, Timers2, Zero2} =
        case NextState =:= OldState of
            true -> {Events, Postponed1, Timers1, Zero1};
            false ->
                {T, Z} = cancel(state_timeout, Timers1, Zero1),
                {lists:reverse(Postponed1, Events), [], T, Z}
        end,
    {Timers, Zero, Debug2} = set_timeouts(Trans#trans.timeouts, #{}, Timers2, Zero2, [],
                                          Debug1, Name, NextState),
    Queue = lists:reverse(Trans#trans.next_events, Queue0),
    next(P, Debug2, S#state{state_data = NextStateData, postponed = Postponed, timers = Timers,
                            zero = Zero, hibernate = Trans#trans.hibernate}, Queue).

%% The next event: a queued one, else a zero time-out (as if it came in), else a new message.
next(P, Debug, S, [_ | _] = Queue) ->
    event(P, Debug, S#state{hibernate = false}, Queue);
next(P, Debug, #state{zero = [Type | Zero], timers = Timers} = S, []) ->
    {0, Msg} = maps:get(Type, Timers),
    {State, _} = S#state.state_data,
    Event = {Type, Msg},
    Debug1 = debug(Debug, P#params.name, {in, Event, State}),
    event(P, Debug1, S#state{zero = Zero, timers = maps:remove(Type, Timers), hibernate = false}, [Event]);
next(P, Debug, S, []) ->
    loop(P, Debug, S).

%% The time-outs of one transition, newest first: the newest of each type counts. A zero time-out
%% waits (in order) until no event is queued; the others run as erlang timers.
set_timeouts([], _Seen, Timers, Zero, NewZero, Debug, _Name, _State) ->
    {Timers, Zero ++ NewZero, Debug};
set_timeouts([{Type, _, _, _} | Rest], Seen, Timers, Zero, NewZero, Debug, Name, State)
  when is_map_key(Type, Seen) ->
    set_timeouts(Rest, Seen, Timers, Zero, NewZero, Debug, Name, State);
set_timeouts([{Type, Time, Msg, Opts} | Rest], Seen0, Timers0, Zero0, NewZero0, Debug, Name, State) ->
    Seen = Seen0#{Type => true},
    case Time of
        cancel ->
            {Timers, Zero} = cancel(Type, Timers0, Zero0),
            set_timeouts(Rest, Seen, Timers, Zero, lists:delete(Type, NewZero0), Debug, Name, State);
        infinity ->
            {Timers, Zero} = cancel(Type, Timers0, Zero0),
            set_timeouts(Rest, Seen, Timers, Zero, lists:delete(Type, NewZero0), Debug, Name, State);
        update ->
            case Timers0 of
                #{Type := {Ref, _}} ->
                    set_timeouts(Rest, Seen, Timers0#{Type := {Ref, Msg}}, Zero0, NewZero0, Debug, Name, State);
                #{} ->
                    set_timeouts(Rest, Seen, Timers0#{Type => {0, Msg}}, Zero0, [Type | NewZero0], Debug, Name, State)
            end;
        _ ->
            {Timers, Zero} = cancel(Type, Timers0, Zero0),
            Debug1 = debug(Debug, Name, {start_timer, {Type, Time, Msg, Opts}, State}),
            case Time =:= 0 andalso not lists:member({abs, true}, Opts) of
                true ->
                    set_timeouts(Rest, Seen, Timers#{Type => {0, Msg}}, Zero, [Type | NewZero0], Debug1, Name, State);
                false ->
                    Ref = erlang:start_timer(Time, self(), Type, Opts),
                    set_timeouts(Rest, Seen, Timers#{Type => {Ref, Msg}}, Zero, NewZero0, Debug1, Name, State)
            end
    end.

cancel(Type, Timers, Zero) ->
    {cancel_timer(Type, Timers), lists:delete(Type, Zero)}.

%% Stop a running timer of this type (its message may already be in the mailbox).
cancel_timer(Type, Timers) ->
    case Timers of
        #{Type := {0, _}} -> maps:remove(Type, Timers);
        #{Type := {Ref, _}} ->
            case erlang:cancel_timer(Ref) of
                false -> receive {timeout, Ref, _} -> ok after 0 -> ok end;
                _ -> ok
            end,
            maps:remove(Type, Timers);
        #{} -> Timers
    end.

listify(List) when is_list(List) -> List;
listify(Item) -> [Item].

%% ---------------------------------------------------------------------------
%% Termination

reply_then_terminate(Reason, Stack, P, Debug, S, Q, Replies) ->
    case send_replies(listify(Replies), P, Debug) of
        {ok, Debug1} -> terminate(exit, Reason, Stack, P, Debug1, S, Q);
        {bad, R} ->
            terminate(error, {bad_reply_action_from_state_function, R},
                      current_stack(do_reply_then_terminate, 8, 2585), P, Debug, S, Q)
    end.

send_replies([], _P, Debug) -> {ok, Debug};
send_replies([{reply, {To, _} = From, Reply} | Rest], P, Debug) when is_pid(To) ->
    gen:reply(From, Reply),
    send_replies(Rest, P, debug(Debug, P#params.name, {out, Reply, From}));
send_replies([R | _], _P, _Debug) -> {bad, R}.

%% terminate/3 (if the module has it), the report unless the end is normal, then exit as asked.
terminate(Class, Reason, Stack, #params{modules = [Mod | _]} = P, Debug,
          #state{state_data = {State, Data}} = S, Q) ->
    case erlang:function_exported(Mod, terminate, 3) of
        true ->
            try Mod:terminate(Reason, State, Data) of
                _ -> ok
            catch
                throw:_ -> ok;
                C:R:ST ->
                    error_info(C, R, retrace(ST, terminate, 7, 2602), Debug, P, S, Q),
                    erlang:raise(C, R, retrace(ST, terminate, 7, 2602))
            end;
        false -> ok
    end,
    _ = debug(Debug, P#params.name, {terminate, Reason, State}),
    case Reason of
        normal when Class =:= exit -> ok;
        shutdown when Class =:= exit -> ok;
        {shutdown, _} when Class =:= exit -> ok;
        _ -> error_info(Class, Reason, Stack, Debug, P, S, Q)
    end,
    case Stack of
        [] -> erlang:Class(Reason);
        _ -> erlang:raise(Class, Reason, Stack)
    end.

error_info(Class, Reason, Stack, Debug,
           #params{name = Name, modules = [Mod | _] = Modules, callback_mode = Mode, state_enter = Enter},
           #state{postponed = Postponed, timers = Timers, state_data = {State, Data}}, Q) ->
    {Count, Listed} = list_timeouts(Timers),
    Status = gen:format_status(Mod, terminate,
                               #{reason => Reason, state => State, data => Data, queue => Q,
                                 postponed => Postponed, timeouts => Listed, log => sys:get_log(Debug)},
                               [get(), State, Data]),
    Shown = case maps:find('$status', Status) of
                error -> {maps:get(state, Status), maps:get(data, Status)};
                {ok, St} -> St
            end,
    gen:log(error, ?MODULE,
            #{label => {gen_statem, terminate}, name => Name,
              queue => maps:get(queue, Status), postponed => maps:get(postponed, Status),
              modules => Modules, callback_mode => Mode, state_enter => Enter,
              state => Shown, timeouts => {Count, maps:get(timeouts, Status)},
              log => maps:get(log, Status),
              reason => {Class, maps:get(reason, Status), Stack},
              client_info => client_info(Q)},
            #{domain => [otp], report_cb => fun gen_statem:format_log/2,
              error_logger => #{tag => error, report_cb => fun gen_statem:format_log/1}}).

client_info([{{call, {Pid, _Tag}}, _Request} | _]) when is_pid(Pid), node(Pid) =:= node() ->
    case process_info(Pid, [current_stacktrace, registered_name]) of
        undefined -> {Pid, dead};
        [{current_stacktrace, Stack}, {registered_name, []}] -> {Pid, {Pid, Stack}};
        [{current_stacktrace, Stack}, {registered_name, Name}] -> {Pid, {Name, Stack}}
    end;
client_info([{{call, {Pid, _Tag}}, _Request} | _]) when is_pid(Pid) -> {Pid, remote};
client_info(_) -> undefined.

%% {Count, [{Type, Msg}]} as OTP lists them (a fold over the timer map, so its key order reversed)
list_timeouts(Timers) ->
    {map_size(Timers), maps:fold(fun(Type, {_Ref, Msg}, Acc) -> [{Type, Msg} | Acc] end, [], Timers)}.

%% BEAM's frames: the engine's function that called the callback (the catching function's frame,
%% renamed), and a trace where the engine raises itself (as ?STACKTRACE() there).
retrace(Stack, F, A, L) ->
    Own = {?MODULE, F, A, [{file, "gen_statem.erl"}, {line, L}]},
    Reversed = lists:reverse(Stack),
    Trace = case Reversed of
                [{?MODULE, _, _, _} | Rest] -> lists:reverse([Own | Rest]);
                _ -> Stack ++ [Own]
            end,
    gen:stack(Trace, []).

current_stack(F, A, L) ->
    [frame(F, A, L) | gen:started_frames()].

frame(F, A, L) -> {?MODULE, F, A, [{file, "gen_statem.erl"}, {line, L}]}.

%% ---------------------------------------------------------------------------
%% sys

debug([], _Name, _Event) -> [];
debug(Debug, Name, Event) -> sys:handle_debug(Debug, fun print_event/3, Name, Event).

print_event(Dev, Event, Name) ->
    case Event of
        {in, E, State} ->
            io:format(Dev, "*DBG* ~tp receive ~ts in state ~tp~n", [Name, event_string(E), State]);
        {out, Reply, {To, _Tag}} ->
            io:format(Dev, "*DBG* ~tp send ~tp to ~tw~n", [Name, Reply, To]);
        {enter, Mod, State} ->
            io:format(Dev, "*DBG* ~tp enter ~tp in state ~tp~n", [Name, Mod, State]);
        {module, Mod, State} ->
            io:format(Dev, "*DBG* ~tp module ~tp in state ~tp~n", [Name, Mod, State]);
        {terminate, Reason, State} ->
            io:format(Dev, "*DBG* ~tp terminate ~tp in state ~tp~n", [Name, Reason, State]);
        {start_timer, Action, State} ->
            io:format(Dev, "*DBG* ~tp start_timer ~tp in state ~tp~n", [Name, Action, State]);
        {Tag, E, State, Next} when Tag =:= postpone; Tag =:= consume ->
            StateText = case Next of
                            State -> io_lib:format("~tp", [State]);
                            _ -> io_lib:format("~tp => ~tp", [State, Next])
                        end,
            io:format(Dev, "*DBG* ~tp ~tw ~ts in state ~ts~n", [Name, Tag, event_string(E), StateText])
    end.

event_string({{call, {Pid, _Tag}}, Request}) -> io_lib:format("call ~tp from ~tw", [Request, Pid]);
event_string({Type, Content}) -> io_lib:format("~tw ~tp", [Type, Content]).

system_continue(Parent, Debug, {P, S}) ->
    loop(P#params{parent = Parent}, Debug, S).

system_terminate(Reason, Parent, Debug, {P, S}) ->
    terminate(exit, Reason, current_stack(system_terminate, 4, 1086), P#params{parent = Parent}, Debug, S, []).

system_code_change({#params{modules = [Mod | _] = Modules} = P, #state{state_data = {State, Data}} = S},
                   _Module, OldVsn, Extra) ->
    case catch Mod:code_change(OldVsn, State, Data, Extra) of
        {ok, NewState, NewData} ->
            case callback_mode(P, Modules, [frame(system_code_change, 4, 1115)]) of
                #params{} = P1 -> {ok, {P1, S#state{state_data = {NewState, NewData}}}};
                {_Class, Reason, _Stack} -> Reason
            end;
        {ok, _} = Bad -> {error, {bad_return_from_code_change, Bad}};
        Error -> Error
    end.

system_get_state({_P, #state{state_data = StateData}}) ->
    {ok, StateData}.

system_replace_state(Fun, {P, #state{state_data = StateData} = S}) ->
    {NewState, NewData} = New = Fun(StateData),
    {ok, New, {P, S#state{state_data = {NewState, NewData}}}}.

format_status(Opt, [PDict, SysState, Parent, Debug,
                    {#params{name = Name, modules = [Mod | _] = Modules},
                     #state{postponed = Postponed, timers = Timers, state_data = {State, Data}}}]) ->
    Header = gen:format_status_header("Status for state machine", Name),
    {Count, Listed} = list_timeouts(Timers),
    Map = #{state => State, data => Data, postponed => Postponed, log => sys:get_log(Debug),
            timeouts => Listed},
    New = case gen:format_status(Mod, Opt, Map, [PDict, State, Data]) of
              #{'EXIT' := R} -> Map#{'$status' => [{data, [{"State", {State, R}}]}]};
              #{'$status' := L} = M when is_list(L) -> M;
              #{'$status' := T} = M -> M#{'$status' := [T]};
              #{state := St, data := D} = M -> M#{'$status' => [{data, [{"State", {St, D}}]}]}
          end,
    [{header, Header},
     {data, [{"Status", SysState}, {"Parent", Parent}, {"Modules", Modules},
             {"Time-outs", {Count, maps:get(timeouts, New)}},
             {"Logged Events", maps:get(log, New)},
             {"Postponed", maps:get(postponed, New)}]}
     | maps:get('$status', New)].

%% ---------------------------------------------------------------------------
%% The report's text

format_log(Report) -> format_log(Report, #{}).

format_log(Report, Opts) -> gen:report_text(Report, Opts, fun lines/2, fun one_line/2).

lines(#{label := {gen_statem, terminate}, name := Name, queue := Q, postponed := Postponed,
        modules := Modules, callback_mode := Mode, state_enter := Enter, state := State,
        timeouts := Timeouts, log := Log, reason := {Class, Reason, Stack}, client_info := Client},
      Opts) ->
    P = p(Opts),
    {Reason1, Stack1} = explain(Class, Reason, Stack),
    Parts = [{"** State machine " ++ P ++ " terminating~n", [Name]},
             case Q of
                 [] -> none;
                 [Event | _] -> {"** Last event = " ++ P ++ "~n", [Event]}
             end,
             {"** When server state  = " ++ P ++ "~n", [State]},
             {"** Reason for termination = " ++ P ++ ":" ++ P ++ "~n", [Class, Reason1]},
             {"** Callback modules = " ++ P ++ "~n", [Modules]},
             {"** Callback mode = " ++ P ++ "~n", [case Enter of true -> [Mode, state_enter]; false -> Mode end]},
             case Q of
                 [_, _ | _] -> {"** Queued = " ++ P ++ "~n", [tl(Q)]};
                 _ -> none
             end,
             case Postponed of
                 [] -> none;
                 _ -> {"** Postponed = " ++ P ++ "~n", [Postponed]}
             end,
             case Stack1 of
                 [] -> none;
                 _ -> {"** Stacktrace =~n**  " ++ P ++ "~n", [Stack1]}
             end,
             case Timeouts of
                 {0, _} -> none;
                 _ -> {"** Time-outs: " ++ P ++ "~n", [Timeouts]}
             end,
             case Log of
                 [] -> none;
                 _ -> {"** Log =~n**  " ++ P ++ "~n", [Log]}
             end,
             case Client of
                 undefined -> none;
                 {Pid, dead} -> {"** Client ~p is dead~n", [Pid], raw};
                 {Pid, remote} -> {"** Client ~p is remote on node ~p~n", [Pid, node(Pid)], raw};
                 {_, {CName, CStack}} -> {"** Client " ++ P ++ " stacktrace~n** " ++ P ++ "~n", [CName, CStack]}
             end],
    join_parts([X || X <- Parts, X =/= none], Opts).

one_line(#{label := {gen_statem, terminate}, name := Name, queue := Q, postponed := Postponed,
           modules := Modules, callback_mode := Mode, state_enter := Enter, state := State,
           timeouts := Timeouts, log := Log, reason := {Class, Reason, Stack}, client_info := Client},
         Opts) ->
    P = p(Opts),
    {Reason1, Stack1} = explain(Class, Reason, Stack),
    Parts = [{"State machine " ++ P ++ " terminating. Reason: " ++ P, [Name, Reason1]},
             case Stack1 of [] -> none; _ -> {". Stack: " ++ P, [Stack1]} end,
             case Q of [] -> none; [Event | _] -> {". Last event: " ++ P, [Event]} end,
             {". State: " ++ P, [State]},
             case Log of [] -> none; _ -> {". Log: " ++ P, [Log]} end,
             {".", []}],
    _ = {Postponed, Modules, Mode, Enter, Timeouts, Class, Client},
    join_parts([X || X <- Parts, X =/= none], Opts).

join_parts(Parts, Opts) ->
    lists:foldl(fun({F, A}, {Fs, As}) -> {Fs ++ F, As ++ args(A, Opts)};
                   ({F, A, raw}, {Fs, As}) -> {Fs ++ F, As ++ A}
                end, {"", []}, Parts).

%% an undef says which: the module is missing, or the function not exported
explain(error, undef, [{M, F, Args, _} | Rest] = Stack) ->
    case code:is_loaded(M) of
        false -> {{'module could not be loaded', M}, Rest};
        _ ->
            Arity = case is_list(Args) of true -> length(Args); false -> Args end,
            case erlang:function_exported(M, F, Arity) of
                true -> {undef, Stack};
                false -> {{'function not exported', {M, F, Arity}}, Rest}
            end
    end;
explain(_Class, Reason, Stack) ->
    {Reason, Stack}.

p(Opts) -> gen:report_directive(Opts).

args(Terms, Opts) -> gen:report_args(Terms, Opts).
