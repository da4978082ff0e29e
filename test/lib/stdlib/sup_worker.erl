%% A worker for the supervisor transcripts: crashes or stops on request. (It prints nothing:
%% erl prints a process's output and the logger's reports in an order of its own.)
-module(sup_worker).
-behaviour(gen_server).
-export([start_link/1, start_link/2, init/1, handle_call/3, handle_cast/2, terminate/2]).

start_link(Id) -> start_link(Id, ok).
start_link(Id, fail) -> {error, {refused, Id}};
start_link(_Id, ignore) -> ignore;
start_link(Id, crash) -> erlang:error({cannot_start, Id});
%% (runs in the supervisor: its dictionary remembers the first start)
start_link(Id, once) ->
    case put({started, Id}, true) of
        undefined -> start_link(Id, ok);
        true -> {error, {only_once, Id}}
    end;
start_link(Id, How) -> gen_server:start_link(?MODULE, {Id, How}, []).

init({Id, How}) ->
    process_flag(trap_exit, true),
    {ok, {Id, How}}.

handle_call(id, _From, {Id, _} = S) -> {reply, Id, S}.

handle_cast(crash, {Id, _}) -> erlang:error({crashed, Id});
handle_cast(stop, S) -> {stop, normal, S};
handle_cast({exit, Reason}, S) -> {stop, Reason, S}.

terminate(_Reason, {_Id, slow}) -> timer:sleep(300);
terminate(_Reason, _S) -> ok.
