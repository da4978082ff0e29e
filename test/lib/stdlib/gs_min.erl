%% A gen_server with only the callbacks it must have.
-module(gs_min).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).

init(State) -> {ok, State}.
handle_call(Req, _From, State) -> {reply, {Req, State}, State}.
handle_cast(_Msg, State) -> {noreply, State}.
