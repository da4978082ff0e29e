%% terl's eunit.hrl: what a test module includes to use EUnit.
%%
%% Including it turns testing on (defines TEST and EUNIT) unless NOTEST is defined; TEST wins over
%% NOTEST. With testing on, the parse transform eunit_autoexport exports every Name_test/0 and
%% Name_test_/0 and adds test/0 (eunit:test(?MODULE)); with NOTEST, eunit_striptests removes the
%% test functions instead. EUNIT_NOAUTO turns both off. NODEBUG turns the debug macros off (and
%% the assertions, unless testing is on or DEBUG is defined).

-ifndef(EUNIT_HRL).
-define(EUNIT_HRL, true).

-ifdef(TEST).
-undef(NOTEST).
-endif.

-ifdef(DEBUG).
-undef(NODEBUG).
-endif.

-ifndef(NOTEST).
-ifndef(ASSERT).
-define(ASSERT, true).
-endif.
-ifndef(TEST).
-define(TEST, true).
-endif.
-ifndef(EUNIT).
-define(EUNIT, true).
-endif.
-else.
-undef(EUNIT).
-endif.

-include_lib("stdlib/include/assert.hrl").

-ifndef(EUNIT_NOAUTO).
-ifndef(NOTEST).
-compile({parse_transform, eunit_autoexport}).
-else.
-compile({parse_transform, eunit_striptests}).
-endif.
-endif.

%% ?LET(X, Y, Z): Z with X bound to Y, X a fresh variable.
-ifndef(LET).
-define(LET(X, Y, Z), begin ((fun (X) -> (Z) end)(Y)) end).
-endif.

%% ?IF(B, T, F): T when B is true, F when it is false.
-ifndef(IF).
-define(IF(B, T, F), begin (case (B) of true -> (T); false -> (F) end) end).
-endif.

%% ?MATCHES(Pattern, E): does E match Pattern?
-ifndef(MATCHES).
-define(MATCHES(G, E), begin (case (E) of G -> true; _ -> false end) end).
-endif.

%% Is this process a test run by eunit (its group leader eunit's output catcher)?
-ifndef(UNDER_EUNIT).
-define(UNDER_EUNIT, (eunit_proc:under_eunit())).
-endif.

%% Tests as data: {Line, Fun}, which eunit runs and names by the line.
-define(_test(Expr), {?LINE, fun () -> (Expr) end}).
-define(_assert(BoolExpr), ?_test(?assert(BoolExpr))).
-define(_assertNot(BoolExpr), ?_assert(not (BoolExpr))).
-define(_assertMatch(Guard, Expr), ?_test(?assertMatch(Guard, Expr))).
-define(_assertNotMatch(Guard, Expr), ?_test(?assertNotMatch(Guard, Expr))).
-define(_assertEqual(Expect, Expr), ?_test(?assertEqual(Expect, Expr))).
-define(_assertNotEqual(Unexpected, Expr), ?_test(?assertNotEqual(Unexpected, Expr))).
-define(_assertException(Class, Term, Expr), ?_test(?assertException(Class, Term, Expr))).
-define(_assertError(Term, Expr), ?_assertException(error, Term, Expr)).
-define(_assertExit(Term, Expr), ?_assertException(exit, Term, Expr)).
-define(_assertThrow(Term, Expr), ?_assertException(throw, Term, Expr)).
-define(_assertNotException(Class, Term, Expr), ?_test(?assertNotException(Class, Term, Expr))).

%% What the running test has printed so far.
-ifndef(capturedOutput).
-define(capturedOutput, (eunit_proc:get_output())).
-endif.

%% Debug printing goes to `user`, past eunit's capture of the test's output.
-ifdef(NODEBUG).
-define(debugMsg(S), ok).
-define(debugHere, ok).
-define(debugFmt(S, As), ok).
-define(debugVal(E), (E)).
-define(debugVal(E, D), (E)).
-define(debugValAll(E), (E)).
-define(debugTime(S, E), (E)).
-else.
-define(debugMsg(S),
        begin
            io:fwrite(user, <<"~ts:~w:~w: ~ts\n">>, [?FILE, ?LINE, self(), S]),
            ok
        end).
-define(debugHere, (?debugMsg("<-"))).
-define(debugFmt(S, As), (?debugMsg(io_lib:format((S), (As))))).
-define(debugVal(E, D),
        begin
        ((fun (X__V) ->
            ?debugFmt(<<"~ts = ~tP">>, [(??E), X__V, D]),
            X__V
          end)(E))
        end).
-ifndef(EUNIT_DEBUG_VAL_DEPTH).
-define(EUNIT_DEBUG_VAL_DEPTH, 15).
-endif.
-define(debugVal(E), ?debugVal(E, ?EUNIT_DEBUG_VAL_DEPTH)).
-define(debugValAll(E), ?debugVal(E, -1)).
-define(debugTime(S, E),
        begin
        ((fun () ->
            {X__T0, _} = statistics(wall_clock),
            X__V = (E),
            {X__T1, _} = statistics(wall_clock),
            ?debugFmt(<<"~ts: ~.3f s">>, [(S), (X__T1 - X__T0) / 1000]),
            X__V
          end)())
        end).
-endif.

-endif.
