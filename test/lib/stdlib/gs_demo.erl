%% A gen_server answering in every way a callback may: timeouts, hibernate, continue, deferred
%% replies, throws, stops and bad answers. What it does is printed, so a transcript shows the order.
-module(gs_demo).
-behaviour(gen_server).

-export([init/1, handle_call/3, handle_cast/2, handle_info/2, handle_continue/2,
         terminate/2, code_change/3]).

init({timeout, T}) -> {ok, waiting, T};
init(continue) -> {ok, empty, {continue, fill}};
init(hibernate) -> {ok, sleepy, hibernate};
init(ignore) -> ignore;
init({stop, Reason}) -> {stop, Reason};
init({throw, Answer}) -> throw(Answer);
init(bad) -> bad_answer;
init(crash) -> erlang:error(no_init);
init(State) -> {ok, State}.

handle_call(get, _From, S) -> {reply, S, S};
handle_call({set, V}, _From, S) -> {reply, {was, S}, V};
handle_call({sleep, Ms}, _From, S) -> timer:sleep(Ms), {reply, slept, S};
handle_call(from, From, S) -> {reply, From, S};
handle_call(later, From, S) ->
    spawn(fun() -> timer:sleep(10), gen_server:reply(From, {later, S}) end),
    {noreply, S};
handle_call({timeout, T}, _From, S) -> {reply, ok, S, T};
handle_call(hibernate, _From, S) -> {reply, ok, S, hibernate};
handle_call(continue, _From, S) -> {reply, ok, S, {continue, more}};
handle_call(throw, _From, S) -> throw({reply, thrown, S});
handle_call({stop, Reason}, _From, S) -> {stop, Reason, stopping, S};
handle_call({stop_noreply, Reason}, _From, S) -> {stop, Reason, S};
handle_call(bad, _From, _S) -> what;
handle_call(crash, _From, S) -> element(1, S).

handle_cast({set, V}, _S) -> {noreply, V};
handle_cast({timeout, T}, S) -> {noreply, S, T};
handle_cast(stop, S) -> {stop, normal, S};
handle_cast({stop, Reason}, S) -> {stop, Reason, S};
handle_cast(crash, _S) -> erlang:error(cast_crash);
handle_cast(bad, _S) -> nonsense;
handle_cast(self_call, S) -> {noreply, gen_server:call(self(), get), S}.

handle_info(timeout, S) ->
    io:format("timeout with ~p~n", [S]),
    {noreply, timed_out};
handle_info(crash, _S) -> exit(info_exit);
handle_info(Msg, S) ->
    io:format("info ~p~n", [Msg]),
    {noreply, S}.

handle_continue(fill, empty) -> {noreply, filled};
handle_continue(more, S) ->
    io:format("continued with ~p~n", [S]),
    {noreply, S};
handle_continue(crash, _S) -> throw(oops).

terminate(_Reason, crash_terminate) -> erlang:error(terminate_failed);
terminate(Reason, S) ->
    io:format("terminate ~p ~p~n", [Reason, S]).

code_change(_Old, S, Extra) -> {ok, {S, Extra}}.
