%% A process started by proc_lib that becomes a state machine with enter_loop.
-module(sm_enter).
-export([start/1, init/1, callback_mode/0, handle_event/4]).

start(How) -> proc_lib:start(?MODULE, init, [How]).

init(named) ->
    register(?MODULE, self()),
    proc_lib:init_ack({ok, self()}),
    gen_statem:enter_loop(?MODULE, [], waiting, 0, {local, ?MODULE}, [{state_timeout, 10, tick}]);
init(plain) ->
    proc_lib:init_ack({ok, self()}),
    gen_statem:enter_loop(?MODULE, [], waiting, 0).

callback_mode() -> handle_event_function.

handle_event(state_timeout, tick, waiting, N) -> {next_state, ticked, N + 1};
handle_event({call, From}, get, State, N) -> {keep_state_and_data, [{reply, From, {State, N}}]};
handle_event({call, From}, two_replies, _State, _N) ->
    gen_statem:reply([{reply, From, first}, {reply, From, second}]),
    keep_state_and_data;
handle_event(cast, Msg, _State, N) -> {keep_state, N + Msg}.
