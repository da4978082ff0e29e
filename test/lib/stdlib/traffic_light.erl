%% A traffic light as a gen_fsm: red -> green -> yellow -> red on a `next` event; yellow turns red
%% by itself after a timeout; a pedestrian button counts presses for all states; `color` is a sync
%% event per state, `presses` a sync all-state event; `break` crashes the machine.
-module(traffic_light).
-behaviour(gen_fsm).
-compile(nowarn_deprecated_function).
-export([start/0, next/0, color/0, presses/0, press/0, stop/0]).
-export([init/1, red/2, red/3, green/2, green/3, yellow/2, yellow/3,
         handle_event/3, handle_sync_event/4, handle_info/3, terminate/3, code_change/4]).

start() -> gen_fsm:start({local, light}, ?MODULE, 0, []).
next() -> gen_fsm:send_event(light, next).
color() -> gen_fsm:sync_send_event(light, color).
presses() -> gen_fsm:sync_send_all_state_event(light, presses).
press() -> gen_fsm:send_all_state_event(light, press).
stop() -> gen_fsm:stop(light).

init(Presses) when is_integer(Presses) -> {ok, red, Presses};
init(refuse) -> {stop, refused};
init(ignore) -> ignore;
init(Other) -> Other.

red(next, N) -> {next_state, green, N};
red({timeout, _Ref, Msg}, N) -> io:format("red got timer ~p~n", [Msg]), {next_state, red, N};
red(break, N) -> {stop, {broken, red}, N};
red(crash, _N) -> exit(crashed);
red(junk, _N) -> junk;
red(oops, N) -> N / 0.
red(color, _From, N) -> {reply, red, red, N}.

green(next, N) -> {next_state, yellow, N, 600};
green(Other, N) -> io:format("green got ~p~n", [Other]), {next_state, green, N}.
green(color, From, N) -> gen_fsm:reply(From, green), {next_state, green, N}.

yellow(timeout, N) -> io:format("yellow timed out~n"), {next_state, red, N};
yellow(next, N) -> {next_state, red, N}.
yellow(color, _From, N) -> {reply, yellow, yellow, N, 600}.

handle_event(press, State, N) -> {next_state, State, N + 1};
handle_event({later, T}, State, N) -> gen_fsm:send_event_after(T, next), {next_state, State, N}.

handle_sync_event(presses, _From, State, N) -> {reply, {State, N}, State, N};
handle_sync_event({timer, T, Msg}, _From, State, N) -> {reply, gen_fsm:start_timer(T, Msg), State, N};
handle_sync_event({cancel, Ref}, _From, State, N) -> {reply, gen_fsm:cancel_timer(Ref), State, N};
handle_sync_event(halt, _From, _State, N) -> {stop, normal, halted, N}.

handle_info(quit, _State, N) -> {stop, quitting, N};
handle_info(Info, State, N) -> io:format("info ~p in ~p~n", [Info, State]), {next_state, State, N}.

terminate(Reason, State, N) -> io:format("terminate ~p in ~p with ~p~n", [Reason, State, N]).

code_change(_Old, State, N, _Extra) -> {ok, State, N}.
