%% Processes started with proc_lib: synchronous starts, init_ack, crashes, and a worker that
%% follows the system message protocol (so sys and proc_lib:stop can talk to it).
-module(pl_demo).
-export([init/2, worker/2, crash/1, hello/1]).
-export([system_continue/3, system_terminate/4, system_code_change/4]).

%% proc_lib:start*/3,4,5 run this in the new process
init(Parent, ok) ->
    proc_lib:init_ack(Parent, {ok, self()}),
    worker(Parent, waiting);
init(Parent, own_ack) ->
    proc_lib:init_ack({ok, own}),
    worker(Parent, waiting);
init(_Parent, fail) ->
    exit(init_failed);
init(_Parent, slow) ->
    timer:sleep(1000).

worker(Parent, State) ->
    receive
        {get, From} -> From ! {state, State}, worker(Parent, State);
        {system, From, Req} -> sys:handle_system_msg(Req, From, Parent, ?MODULE, [], State);
        stop -> ok;
        crash -> erlang:error({crashed, State});
        throw -> throw(thrown_away);
        hibernate -> proc_lib:hibernate(?MODULE, hello, [State])
    end.

hello(State) ->
    receive Msg -> io:format("woke up with ~p holding ~p~n", [Msg, State]) end.

crash(How) -> erlang:error(How).

system_continue(Parent, _Debug, State) -> worker(Parent, State).
system_terminate(Reason, _Parent, _Debug, State) ->
    io:format("terminating with ~p in ~p~n", [Reason, State]),
    exit(Reason).
system_code_change(State, _Module, _OldVsn, _Extra) -> {ok, State}.
