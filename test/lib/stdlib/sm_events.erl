%% A handle_event_function machine answering with each kind of action, to show the order of
%% events: inserted events, time-outs (event, state, generic, zero), repeat_state, stop_and_reply.
-module(sm_events).
-behaviour(gen_statem).
-export([init/1, callback_mode/0, handle_event/4, terminate/3, format_status/1]).

callback_mode() -> [handle_event_function, state_enter].

init(Actions) -> {ok, idle, [], Actions}.

handle_event(enter, Old, State, Log) ->
    {keep_state, [{enter, Old, State} | Log]};
handle_event({call, From}, log, _State, Log) ->
    {keep_state, [], [{reply, From, lists:reverse(Log)}]};
handle_event({call, From}, {go, Next, Actions}, _State, Log) ->
    {next_state, Next, Log, [{reply, From, ok} | Actions]};
handle_event({call, From}, {keep, Actions}, _State, Log) ->
    {keep_state, Log, [{reply, From, ok} | Actions]};
handle_event({call, From}, repeat, _State, Log) ->
    {repeat_state, Log, [{reply, From, ok}]};
handle_event({call, From}, {stop, Reason}, _State, Log) ->
    {stop_and_reply, Reason, [{reply, From, {stopping, length(Log)}}]};
handle_event({call, _From}, slow, _State, _Log) ->
    keep_state_and_data;
handle_event(cast, {postpone_in, S}, S, _Log) ->
    {keep_state_and_data, [postpone]};
handle_event(Type, Content, _State, Log) ->
    {keep_state, [{Type, Content} | Log]}.

terminate(Reason, State, Log) ->
    io:format("terminate ~p in ~p after ~p events~n", [Reason, State, length(Log)]).

format_status(#{data := Log} = Status) -> Status#{data := {log_of_length, length(Log)}}.
