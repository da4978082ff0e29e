%% A process started by proc_lib that becomes a gen_server with enter_loop.
-module(gs_enter).
-export([start/1, init/1, handle_call/3, handle_cast/2]).

start(How) -> proc_lib:start(?MODULE, init, [How]).

init(named) ->
    register(?MODULE, self()),
    proc_lib:init_ack({ok, self()}),
    gen_server:enter_loop(?MODULE, [], entered, {local, ?MODULE});
init(unnamed) ->
    proc_lib:init_ack({ok, self()}),
    gen_server:enter_loop(?MODULE, [], entered_too, 1000);
init(wrong_name) ->
    proc_lib:init_ack({ok, self()}),
    gen_server:enter_loop(?MODULE, [], entered, {local, not_me}).

handle_call(Req, _From, S) -> {reply, {Req, S}, S}.
handle_cast(_Msg, S) -> {noreply, S}.
