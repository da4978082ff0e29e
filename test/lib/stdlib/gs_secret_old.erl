-module(gs_secret_old).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2, format_status/2]).

init(Pass) -> {ok, {joe, Pass}}.
handle_call(_Req, _From, S) -> {reply, ok, S}.
handle_cast(_Msg, S) -> {noreply, S}.

format_status(normal, [_PDict, {User, _}]) -> [{data, [{"State", {User, '****'}}]}];
format_status(terminate, [_PDict, {User, _}]) -> {User, '****'}.
