%% A server that looks at its caller while it handles the call: the caller waits in its receive.
-module(gs_peek).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).

init(State) -> {ok, State}.

handle_call(caller_status, {Caller, _}, State) ->
    {reply, process_info(Caller, status), State};
handle_call(kill_caller, {Caller, _}, State) ->
    exit(Caller, kill),
    {reply, too_late, State};
handle_call(slow, _From, State) ->
    timer:sleep(50),
    {reply, slow_reply, State}.

handle_cast(_Msg, State) -> {noreply, State}.
