%% The textbook counter server.
-module(counter).
-behaviour(gen_server).

-export([start_link/0, inc/0, add/1, value/0, stop/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2, code_change/3]).

start_link() -> gen_server:start_link({local, ?MODULE}, ?MODULE, 0, []).
inc() -> gen_server:cast(?MODULE, inc).
add(N) -> gen_server:call(?MODULE, {add, N}).
value() -> gen_server:call(?MODULE, value).
stop() -> gen_server:stop(?MODULE).

init(N) -> {ok, N}.

handle_call({add, N}, _From, Count) -> {reply, Count + N, Count + N};
handle_call(value, _From, Count) -> {reply, Count, Count}.

handle_cast(inc, Count) -> {noreply, Count + 1}.

handle_info(Msg, Count) ->
    io:format("counter got ~p~n", [Msg]),
    {noreply, Count}.

terminate(Reason, Count) ->
    io:format("counter stops (~p) at ~p~n", [Reason, Count]).

code_change(_OldVsn, Count, _Extra) -> {ok, Count}.
