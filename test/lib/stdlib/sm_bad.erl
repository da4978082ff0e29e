%% A state machine that goes wrong in the ways gen_statem reports.
-module(sm_bad).
-behaviour(gen_statem).
-export([init/1, callback_mode/0, ready/3, entering/3, terminate/3]).

callback_mode() ->
    case get(mode) of
        undefined -> [state_functions, state_enter];
        Mode -> Mode
    end.

init(ignore) -> ignore;
init({stop, R}) -> {stop, R};
init(bad) -> bad_init;
init(crash) -> erlang:error(init_crash);
init({mode, Mode}) -> put(mode, Mode), {ok, ready, []};
init(entering) -> {ok, entering, []};
init(_) -> {ok, ready, []}.

ready(enter, _Old, _D) -> keep_state_and_data;
ready({call, From}, {do, Result}, _D) -> gen_statem:reply(From, ok), Result;
ready(cast, {do, Result}, _D) -> Result;
ready(cast, crash_in_terminate, _D) -> {stop, normal, crash_terminate};
ready(cast, go_entering, D) -> {next_state, entering, D}.

entering(enter, _Old, _D) -> {next_state, ready, []}.

terminate(_Reason, _State, crash_terminate) -> erlang:error(terminate_crash);
terminate(_Reason, _State, _Data) -> ok.
