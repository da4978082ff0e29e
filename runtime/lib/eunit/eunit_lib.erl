%% eunit_lib: what EUnit prints about failures (exceptions, stack traces, errors in test
%% descriptions and fixtures), and the small helpers its other modules share.

-module(eunit_lib).

-export([format_exception/1, format_exception/2, format_error/1, format_error/2,
         format_stacktrace/1, is_not_test/1, is_string/1, dlist_next/1, uniq/1,
         user_frames/1, runner_frames/1, with_runner_frames/2]).

-define(DEFAULT_DEPTH, 20).
%% BEAM keeps at most this many frames in a stack trace (backtrace_depth).
-define(MAX_FRAMES, 8).

%% ---------------------------------------------------------------------
%% Exceptions and stack traces

%% {Class, Reason, Trace}: the trace, then **Class:Reason; anything else as a term.
format_exception(Exception) ->
    format_exception(Exception, ?DEFAULT_DEPTH).

format_exception({Class, Reason, Trace}, Depth) when is_atom(Class), is_list(Trace) ->
    case is_stacktrace(Trace) of
        true ->
            io_lib:format("~ts**~w:~ts", [format_stacktrace(Trace), Class, format_term(Reason, Depth)]);
        false ->
            format_term(Reason, Depth)
    end;
format_exception(Term, Depth) ->
    format_term(Term, Depth).

format_term(Term, Depth) ->
    io_lib:format("~tP\n", [Term, Depth]).

is_stacktrace(Frames) ->
    lists:all(fun is_frame/1, Frames).

is_frame({M, F, A, L}) when is_atom(M), is_atom(F), is_integer(A) orelse is_list(A), is_list(L) -> true;
is_frame({M, F, A}) when is_atom(M), is_atom(F), is_integer(A) orelse is_list(A) -> true;
is_frame(_) -> false.

%% One line per frame: "in function M:F/A (File, line L)", then "in call from ..." for the callers;
%% a frame with the arguments also says how the function was called.
format_stacktrace(Trace) ->
    format_frames(Trace, "in function").

format_frames([], _Pre) ->
    "";
format_frames([{M, F, As} | Fs], Pre) ->
    format_frames([{M, F, As, []} | Fs], Pre);
format_frames([{M, F, A, L} | Fs], Pre) when is_integer(A) ->
    [io_lib:fwrite("~ts ~w:~tw/~w~ts\n", [Pre, M, F, A, location(L)]) | format_frames(Fs, "in call from")];
format_frames([{M, F, As, L} | Fs], Pre) ->
    A = length(As),
    [io_lib:fwrite("~ts ~w:~tw/~w~ts\n  called as ~ts\n", [Pre, M, F, A, location(L), called_as(M, F, As)])
     | format_frames(Fs, "in call from")].

location(L) ->
    case {proplists:get_value(file, L), proplists:get_value(line, L)} of
        {undefined, _} -> "";
        {_, undefined} -> "";
        {File, Line} -> io_lib:format(" (~ts, line ~w)", [File, Line])
    end.

called_as(erlang, F, [X]) ->
    case is_operator(F, 1) of
        true -> io_lib:fwrite("~ts ~ts", [F, arg(X)]);
        false -> io_lib:fwrite("~tw(~ts)", [F, args([X])])
    end;
called_as(erlang, F, [X, Y]) ->
    case is_operator(F, 2) of
        true -> io_lib:fwrite("~ts ~ts ~ts", [arg(X), F, arg(Y)]);
        false -> io_lib:fwrite("~tw(~ts)", [F, args([X, Y])])
    end;
called_as(_M, F, As) ->
    io_lib:fwrite("~tw(~ts)", [F, args(As)]).

arg(X) -> io_lib:format("~tP", [X, 15]).

args([]) -> "";
args([X]) -> arg(X);
args([X | Xs]) -> [arg(X), "," | args(Xs)].

is_operator(F, 1) -> lists:member(F, ['+', '-', 'bnot', 'not']);
is_operator(F, 2) ->
    lists:member(F, ['+', '-', '*', '/', 'div', 'rem', 'band', 'bor', 'bxor', 'bsl', 'bsr',
                     'and', 'or', 'xor', '==', '/=', '=<', '<', '>=', '>', '=:=', '=/=',
                     '++', '--', '!']).

%% ---------------------------------------------------------------------
%% The frames of EUnit's own code
%%
%% terl's EUnit is not OTP's, so its frames under a test are not the ones erl prints. A trace
%% caught from a test keeps the test's own frames and gets the frames OTP's EUnit would have
%% under them, cut at BEAM's trace depth, so a failure reads as it does in erl.

%% The frames of a trace above EUnit's own.
user_frames([{M, _, _, _} = F | Fs]) ->
    case is_runner_module(M) of
        true -> [];
        false -> [F | user_frames(Fs)]
    end;
user_frames([F | Fs]) ->
    [F | user_frames(Fs)];
user_frames([]) ->
    [].

is_runner_module(M) ->
    lists:member(M, [eunit, eunit_data, eunit_proc, eunit_lib, eunit_serial, eunit_tty]).

%% A caught trace with OTP's runner frames under the test's (see runner_frames/1).
with_runner_frames(Trace, Where) ->
    lists:sublist(user_frames(Trace) ++ runner_frames(Where), ?MAX_FRAMES).

%% What OTP 25's EUnit has on the stack under a test function it calls: a test run in order in a
%% group, a test of an inparallel group (in a process of its own), or a test generator; {mf, W} when
%% the test is a {Module, Function} pair, called through a wrapper fun.
runner_frames({mf, Where}) ->
    [frame(eunit_test, '-mf_wrapper/2-fun-0-', 2, 273) | runner_frames(Where)];
runner_frames(inorder) ->
    test_frames() ++ [frame(eunit_proc, tests_inorder, 3, 456) | group_frames()];
runner_frames(inparallel) ->
    test_frames() ++ [frame(eunit_proc, child_process, 2, 374)];
runner_frames(generator) ->
    [frame(eunit_test, run_testfun, 1, 71),
     frame(eunit_data, parse, 2, 241),
     frame(eunit_data, next, 2, 174),
     frame(eunit_data, iter_next, 1, 134),
     frame(eunit_proc, get_next_item, 1, 490),
     frame(eunit_proc, tests_inorder, 3, 454) | group_frames()].

test_frames() ->
    [frame(eunit_test, run_testfun, 1, 71),
     frame(eunit_proc, run_test, 1, 531),
     frame(eunit_proc, with_timeout, 3, 356),
     frame(eunit_proc, handle_test, 2, 514)].

group_frames() ->
    [frame(eunit_proc, with_timeout, 3, 346),
     frame(eunit_proc, run_group, 2, 570)].

frame(M, F, A, Line) ->
    {M, F, A, [{file, atom_to_list(M) ++ ".erl"}, {line, Line}]}.

%% ---------------------------------------------------------------------
%% Errors in test descriptions and fixtures: "*** Title ***" and the details.

format_error(Error) ->
    format_error(Error, ?DEFAULT_DEPTH).

format_error({bad_test, Term}, Depth) ->
    error_msg("bad test descriptor", "~tP", [Term, Depth]);
format_error({bad_generator, {{M, F, A}, Term}}, Depth) ->
    error_msg(io_lib:format("result from generator ~w:~tw/~w is not a test", [M, F, A]), "~tP", [Term, Depth]);
format_error({generator_failed, {{M, F, A}, Exception}}, Depth) ->
    error_msg(io_lib:format("test generator ~w:~tw/~w failed", [M, F, A]), "~ts",
              [format_exception(Exception, Depth)]);
format_error({no_such_function, {M, F, A}}, _) when is_atom(M), is_atom(F), is_integer(A) ->
    error_msg(io_lib:format("no such function: ~w:~tw/~w", [M, F, A]), "", []);
format_error({module_not_found, M}, _) ->
    error_msg("test module not found", "~tp", [M]);
format_error({application_not_found, A}, _) when is_atom(A) ->
    error_msg("application not found", "~w", [A]);
format_error({file_read_error, {_R, Msg, F}}, _) ->
    error_msg("error reading file", "~ts: ~ts", [Msg, F]);
format_error({setup_failed, Exception}, Depth) ->
    error_msg("context setup failed", "~ts", [format_exception(Exception, Depth)]);
format_error({cleanup_failed, Exception}, Depth) ->
    error_msg("context cleanup failed", "~ts", [format_exception(Exception, Depth)]);
format_error({{bad_instantiator, {{M, F, A}, Term}}, _}, Depth) ->
    error_msg(io_lib:format("result from instantiator ~w:~tw/~w is not a test", [M, F, A]),
              "~tP", [Term, Depth]);
format_error({instantiation_failed, Exception}, Depth) ->
    error_msg("instantiation of subtests failed", "~ts", [format_exception(Exception, Depth)]).

error_msg(Title, Fmt, Args) ->
    %% "**" before the details, so a multi-line term lines up under them
    io_lib:fwrite("*** ~ts ***\n~ts\n\n", [Title, io_lib:format("**" ++ Fmt, Args)]).

%% ---------------------------------------------------------------------
%% Helpers

%% Values a generator or instantiator may return by mistake, which are certainly not tests.
is_not_test(ok) -> true;
is_not_test(error) -> true;
is_not_test(true) -> true;
is_not_test(false) -> true;
is_not_test(undefined) -> true;
is_not_test({ok, _}) -> true;
is_not_test({error, _}) -> true;
is_not_test({'EXIT', _}) -> true;
is_not_test(N) when is_number(N) -> true;
is_not_test([N | _]) when is_number(N) -> true;
is_not_test(X) when is_binary(X); is_pid(X); is_port(X); is_reference(X) -> true;
is_not_test(_) -> false.

is_string([C | Cs]) when is_integer(C), C >= 0, C =< 16#10ffff -> is_string(Cs);
is_string([]) -> true;
is_string(_) -> false.

is_nonempty_string([]) -> false;
is_nonempty_string(Cs) -> is_string(Cs).

%% The next element of a deep list of tests, as [First | Rest]; a non-empty string is one
%% element (a file or directory name), a non-list a list of itself.
dlist_next([X | Xs] = All) when is_list(X) ->
    case is_nonempty_string(X) of
        true -> All;
        false -> dlist_next(X, Xs)
    end;
dlist_next([_ | _] = Xs) ->
    case is_nonempty_string(Xs) of
        true -> [Xs];
        false -> Xs
    end;
dlist_next([]) ->
    [];
dlist_next(X) ->
    [X].

%% the first element of the list X, with Ys (a deep list) after it
dlist_next([X], Ys) when is_list(X) ->
    case is_nonempty_string(X) of
        true -> [X | Ys];
        false -> dlist_next(X, Ys)
    end;
dlist_next([X], Ys) ->
    [X | Ys];
dlist_next([X | Xs], Ys) when is_list(X) ->
    case is_nonempty_string(X) of
        true -> [X, Xs | Ys];
        false -> dlist_next(X, [Xs | Ys])
    end;
dlist_next([X | Xs], Ys) ->
    [X, Xs | Ys];
dlist_next([], Ys) ->
    dlist_next(Ys).

%% Without repeats of the same element in a row.
uniq([X, X | Xs]) -> uniq([X | Xs]);
uniq([X | Xs]) -> [X | uniq(Xs)];
uniq([]) -> [].
