%% eunit: the EUnit API. eunit:test(Tests) runs tests in any of EUnit's representations (a module,
%% a list, a fun, a fixture, ...) and prints what passed and what failed as OTP's EUnit prints it;
%% eunit:test(Tests, [verbose]) names every test. The answer is ok when all passed, else error.

-module(eunit).

-export([test/1, test/2]).

test(Tests) ->
    test(Tests, []).

test(Tests, Options) ->
    %% the run has a process of its own: tests may link to it, trap exits or leave messages
    {Pid, Mon} = spawn_monitor(fun () -> exit({eunit_result, run(Tests, Options)}) end),
    receive
        {'DOWN', Mon, process, Pid, {eunit_result, Result}} -> Result;
        {'DOWN', Mon, process, Pid, Reason} -> {error, Reason}
    end.

run(Tests, Options) ->
    Ref = make_ref(),
    %% the tasks report to the serializer, which passes their progress on in order to the listener
    eunit_proc:start(Tests, eunit_serial:start(self()), Ref, Options),
    Result = eunit_tty:listen(Options),
    receive {done, Ref, _} -> ok end,
    Result.
