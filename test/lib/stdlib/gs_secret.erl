%% A server that hides its password from status reports and crash logs: format_status/1 (OTP 25's)
%% or, in gs_secret_old, the older format_status/2.
-module(gs_secret).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2, format_status/1]).

init(Pass) -> {ok, #{user => joe, password => Pass}}.
handle_call(_Req, _From, S) -> {reply, ok, S}.
handle_cast(crash, S) -> {noreply, S#{password := changed, new := key}};
handle_cast(_Msg, S) -> {noreply, S}.

format_status(#{state := S} = Status) -> Status#{state := S#{password := hidden}}.
