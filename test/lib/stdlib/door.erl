%% A door with a code lock (state_functions, state enter calls): the right code opens it for a
%% while (a state time-out); wrong digits start over; a button press while open is postponed
%% until the door locks again.
-module(door).
-behaviour(gen_statem).
-export([start/1, button/1, code_length/0, status/0, stop/0]).
-export([init/1, callback_mode/0, locked/3, open/3, terminate/3, code_change/4]).

start(Code) -> gen_statem:start({local, door}, ?MODULE, Code, []).
button(Digit) -> gen_statem:cast(door, {button, Digit}).
code_length() -> gen_statem:call(door, code_length).
status() -> gen_statem:call(door, status).
stop() -> gen_statem:stop(door).

callback_mode() -> [state_functions, state_enter].

init(Code) ->
    {ok, locked, #{code => Code, typed => []}}.

locked(enter, _Old, Data) ->
    io:format("locked~n"),
    {keep_state, Data#{typed := []}};
locked(cast, {button, Digit}, #{code := Code, typed := Typed} = Data) ->
    case Typed ++ [Digit] of
        Code -> {next_state, open, Data};
        Partial ->
            case lists:prefix(Partial, Code) of
                true -> {keep_state, Data#{typed := Partial}, [{state_timeout, 1000, reset}]};
                false -> {keep_state, Data#{typed := []}}
            end
    end;
locked(state_timeout, reset, Data) ->
    io:format("too slow, start again~n"),
    {keep_state, Data#{typed := []}};
locked(EventType, Event, Data) ->
    common(EventType, Event, locked, Data).

open(enter, _Old, _Data) ->
    io:format("open~n"),
    {keep_state_and_data, [{state_timeout, 1000, lock}]};
open(state_timeout, lock, Data) ->
    {next_state, locked, Data};
open(cast, {button, _}, _Data) ->
    io:format("wait, it is open~n"),
    {keep_state_and_data, [postpone]};
open(EventType, Event, Data) ->
    common(EventType, Event, open, Data).

common({call, From}, code_length, _State, #{code := Code}) ->
    {keep_state_and_data, [{reply, From, length(Code)}]};
common({call, From}, status, State, #{typed := Typed}) ->
    {keep_state_and_data, [{reply, From, {State, Typed}}]};
common(info, Msg, State, _Data) ->
    io:format("~p got ~p~n", [State, Msg]),
    keep_state_and_data.

terminate(Reason, State, _Data) ->
    io:format("door terminates (~p) while ~p~n", [Reason, State]).

code_change(_Vsn, State, Data, _Extra) -> {ok, State, Data}.
