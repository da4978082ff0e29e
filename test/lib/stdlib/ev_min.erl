%% An event handler with only the callbacks it must have.
-module(ev_min).
-behaviour(gen_event).
-export([init/1, handle_event/2, handle_call/2]).

init(S) -> {ok, S}.
handle_event(_E, S) -> {ok, S}.
handle_call(Q, S) -> {ok, {Q, S}, S}.
