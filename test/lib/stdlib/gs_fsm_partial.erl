%% A gen_fsm without its all-state callbacks: the compiler warns of each.
-module(gs_fsm_partial).
-behaviour(gen_fsm).
-export([init/1, idle/2]).

init(Data) -> {ok, idle, Data}.
idle(_Event, Data) -> {next_state, idle, Data}.
