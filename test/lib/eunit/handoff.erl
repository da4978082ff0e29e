-module(handoff).
-include_lib("eunit/include/eunit.hrl").

%% A process that says what it does, then waits in a function named for its state.
idle() -> io:format("idle~n"), receive go -> busy() end.
busy() -> io:format("busy~n"), receive stop -> ok end.

state(Pid) ->
    {current_function, {handoff, F, 0}} = process_info(Pid, current_function),
    F.

%% The message of the second test is handled, and its output written, before the third test runs:
%% eunit's runner waits on its own output between tests, after the process's.
handoff_test_() ->
    {setup,
     fun () -> P = spawn(fun idle/0), timer:sleep(50), P end,
     fun (P) -> exit(P, kill) end,
     fun (P) ->
         [?_assertEqual(idle, state(P)),
          ?_assertEqual(go, P ! go),
          ?_assertEqual(busy, state(P))]
     end}.
