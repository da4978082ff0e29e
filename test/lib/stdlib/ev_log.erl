%% An event handler that keeps the events it saw; it crashes, answers badly or leaves on request.
-module(ev_log).
-behaviour(gen_event).
-export([init/1, handle_event/2, handle_call/2, handle_info/2, terminate/2, code_change/3]).

init({swapped_in, {Tag, Old}}) -> {ok, {Tag, Old}};
init(fail) -> {error, no_thanks};
init(Tag) -> {ok, {Tag, []}}.

handle_event(crash, {Tag, _}) -> erlang:error({handler_crashed, Tag});
handle_event(bad, _S) -> bad_answer;
handle_event(leave, _S) -> remove_handler;
handle_event({swap, To}, {Tag, Seen}) -> {swap_handler, {swapped_out, Tag}, {Tag, Seen}, To, {swapped_in, Tag}};
handle_event(Event, {Tag, Seen}) -> {ok, {Tag, [Event | Seen]}}.

handle_call(seen, {Tag, Seen} = S) -> {ok, lists:reverse(Seen), S};
handle_call(leave, S) -> {remove_handler, bye};
handle_call(crash, _S) -> 1 / zero();
handle_call(Other, S) -> {ok, {unknown, Other}, S}.

handle_info(Info, {Tag, Seen}) -> {ok, {Tag, [{info, Info} | Seen]}}.

terminate({swapped_out, _} = Why, {_Tag, Seen}) -> {Why, Seen};
terminate(Why, {Tag, _}) ->
    io:format("~p leaves: ~p~n", [Tag, Why]),
    Tag.

code_change(_Old, S, _Extra) -> {ok, S}.

zero() -> 0.
