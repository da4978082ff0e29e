%% eunit_tty: the listener that prints a test run as OTP's EUnit does. It takes the progress of
%% the tests ({status, Id, Info} from eunit_proc) in the order of the test tree, whatever order
%% parallel tests finish in, prints failures as they come (every test in verbose mode), and the
%% summary at the end.

-module(eunit_tty).

-export([listen/1]).

-record(state, {verbose = false, indent = 0, depth = 20, no_tty = false,
                pass = 0, fail = 0, skip = 0, cancel = 0}).

%% Follow the run to its end; ok when every test passed, else error.
listen(Options) ->
    St0 = #state{verbose = proplists:get_bool(verbose, Options),
                 depth = proplists:get_value(print_depth, Options, 20),
                 no_tty = proplists:get_bool(no_tty, Options)},
    St0#state.verbose andalso fwrite(St0, "======================== EUnit ========================\n"),
    summary(expect([], undefined, St0)).

summary(#state{pass = Pass, fail = 0, skip = 0, cancel = 0} = St) ->
    case Pass of
        0 -> fwrite(St, "  There were no tests to run.\n");
        _ ->
            St#state.verbose andalso bar(St),
            case Pass of
                1 -> fwrite(St, "  Test passed.\n");
                2 -> fwrite(St, "  2 tests passed.\n");
                _ -> fwrite(St, "  All ~w tests passed.\n", [Pass])
            end
    end,
    ok;
summary(#state{pass = Pass, fail = Fail, skip = Skip, cancel = Cancel} = St) ->
    bar(St),
    fwrite(St, "  Failed: ~w.  Skipped: ~w.  Passed: ~w.\n", [Fail, Skip, Pass]),
    Cancel =/= 0 andalso fwrite(St, "One or more tests were cancelled.\n"),
    error.

bar(St) ->
    fwrite(St, "=======================================================\n").

%% ---------------------------------------------------------------------
%% Following the tree: item Id of group ParentId begins, then ends or is cancelled; a group's
%% items are Id ++ [1], Id ++ [2], ... until the group ends.

expect(Id, ParentId, St) ->
    case wait_for(Id, 'begin', ParentId) of
        {done, Result} ->
            {done, Result, St};
        {ok, {group, Data}} ->
            group_loop(1, Id, Data, group_begin(Data, St));
        {ok, {test, Data}} ->
            St1 = test_begin(Data, St),
            case wait_for(Id, 'end', ParentId) of
                {cancel, Reason} -> test_cancel(Data, Reason, St1);
                {ok, {Status, More}} -> test_end(Data ++ More, Status, St1)
            end
    end.

group_loop(N, Id, Data, St) ->
    case expect(Id ++ [N], Id, St) of
        {done, {cancel, Reason}, St1} -> group_cancel(Data, Reason, St1);
        {done, {_Count, More}, St1} -> group_end(Data ++ More, St1);
        St1 -> group_loop(N + 1, Id, Data, St1)
    end.

wait_for(Id, Type, ParentId) ->
    receive
        {status, Id, {progress, Type, Data}} ->
            {ok, Data};
        {status, ParentId, {progress, 'end', Data}} when Type =:= 'begin' ->
            {done, Data};
        {status, Id, {cancel, Reason}} when Type =:= 'end' ->
            {cancel, Reason};
        {status, ParentId, {cancel, Reason}} ->
            {done, {cancel, Reason}}
    end.

%% ---------------------------------------------------------------------
%% What each event prints

group_begin(Data, #state{verbose = true, indent = I} = St) ->
    case described(Data) of
        {true, Desc} ->
            indent(St, I),
            fwrite(St, "~ts\n", [Desc]),
            St#state{indent = I + 1};
        false ->
            St
    end;
group_begin(_Data, St) ->
    St.

group_end(Data, #state{verbose = true, indent = I} = St) ->
    case described(Data) of
        {true, _} ->
            Time = proplists:get_value(time, Data),
            Time > 0 andalso begin indent(St, I), fwrite(St, "[done in ~.3f s]\n", [Time / 1000]) end,
            St#state{indent = I - 1};
        false ->
            St
    end;
group_end(_Data, St) ->
    St.

%% A cancelled group: why, under its description (printed again unless verbose mode did).
group_cancel(Data, Reason, #state{indent = I} = St0) ->
    St = St0#state{cancel = St0#state.cancel + 1},
    case Reason of
        undefined ->
            ok;
        _ ->
            case {described(Data), St#state.verbose} of
                {{true, _}, true} -> ok;
                _ -> indent(St, I), fwrite(St, "~ts\n", [proplists:get_value(desc, Data)])
            end,
            case Reason of
                {blame, _} -> ok;
                _ -> indent(St, I), fwrite(St, "~ts", [cancel_text(Reason, St)])
            end
    end,
    St#state{indent = I - 1}.

described(Data) ->
    case proplists:get_value(desc, Data) of
        undefined -> false;
        "" -> false;
        <<>> -> false;
        Desc -> {true, Desc}
    end.

test_begin(Data, #state{verbose = true} = St) ->
    print_test(Data, St),
    St;
test_begin(_Data, St) ->
    St.

test_end(Data, ok, St) ->
    St#state.verbose andalso begin
        Time = proplists:get_value(time, Data, 0),
        Time > 0 andalso fwrite(St, "[~.3f s] ", [Time / 1000]),
        fwrite(St, "ok\n")
    end,
    St#state{pass = St#state.pass + 1};
test_end(Data, Status, St) ->
    St#state.verbose orelse print_test(Data, St),
    case Status of
        {error, Exception} ->
            fwrite(St, "*failed*\n~ts", [eunit_lib:format_exception(Exception, St#state.depth)]),
            Output = proplists:get_value(output, Data),
            case length(Output) > 800 of
                true -> fwrite(St, "  output:<<\"~ts\">>...\n\n", [lists:sublist(Output, 800)]);
                false -> fwrite(St, "  output:<<\"~ts\">>\n\n", [Output])
            end,
            St#state{fail = St#state.fail + 1};
        {skipped, Reason} ->
            fwrite(St, "*did not run*\n::~ts\n", [skipped_text(Reason)]),
            St#state{skip = St#state.skip + 1}
    end.

test_cancel(Data, Reason, St) ->
    St#state.verbose orelse print_test(Data, St),
    fwrite(St, "~ts", [cancel_text(Reason, St)]),
    St#state{cancel = St#state.cancel + 1}.

%% "m:12: name (description)..." (the line when known, the description when given)
print_test(Data, #state{indent = I} = St) ->
    indent(St, I),
    L = case proplists:get_value(line, Data, 0) of
            0 -> "";
            Line -> io_lib:fwrite("~w:", [Line])
        end,
    D = case described(Data) of
            {true, Desc} -> io_lib:fwrite(" (~ts)", [Desc]);
            false -> ""
        end,
    case proplists:get_value(source, Data) of
        {M, F, _A} -> fwrite(St, "~ts:~ts ~ts~ts...", [M, L, F, D]);
        _ -> fwrite(St, "~ts~ts...", [L, D])
    end.

skipped_text({module_not_found, M}) ->
    io_lib:fwrite("missing module: ~w", [M]);
skipped_text({no_such_function, {M, F, A}}) ->
    io_lib:fwrite("no such function: ~w:~tw/~w", [M, F, A]).

cancel_text(undefined, _) -> "*skipped*\n";
cancel_text(timeout, _) -> "*timed out*\n";
cancel_text({timeout, #{stacktrace := Stack}}, _) -> ["*timed out*\n", eunit_lib:format_stacktrace(Stack)];
cancel_text({startup, Reason}, St) ->
    io_lib:fwrite("*could not start test process*\n::~tP\n\n", [Reason, St#state.depth]);
cancel_text({blame, _}, _) -> "*cancelled because of subtask*\n";
cancel_text({exit, Reason}, St) ->
    io_lib:fwrite("*unexpected termination of test process*\n::~tP\n\n", [Reason, St#state.depth]);
cancel_text({abort, Reason}, St) ->
    eunit_lib:format_error(Reason, St#state.depth).

indent(St, N) when N >= 1 -> fwrite(St, lists:duplicate(N * 2, $\s));
indent(_St, _N) -> ok.

fwrite(St, Format) ->
    fwrite(St, Format, []).

fwrite(#state{no_tty = true}, _Format, _Args) -> ok;
fwrite(_St, Format, Args) -> io:fwrite(Format, Args).
