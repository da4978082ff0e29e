%% The least a gen_fsm needs: no handle_info/3, terminate/3 or code_change/4.
-module(gs_fsm_min).
-behaviour(gen_fsm).
-export([init/1, idle/2, idle/3, handle_event/3, handle_sync_event/4]).

init(Data) -> {ok, idle, Data}.
idle(Event, Data) -> {next_state, idle, [Event | Data]}.
idle(Event, _From, Data) -> {reply, {idle, Event, Data}, idle, Data}.
handle_event(_Event, StateName, Data) -> {next_state, StateName, Data}.
handle_sync_event(Event, From, StateName, Data) -> {reply, {Event, is_tuple(From)}, StateName, Data}.
