%% terl's assert.hrl: the assertion macros of stdlib, raising the same error terms as OTP's
%% ({assert, Info}, {assertEqual, Info}, ...) so eunit and the shell report them alike.
%%
%% Each assertion is a fun applied at once, so its variables (X__V, ...) stay its own and an
%% assertion can be used any number of times in one function. Defining NOASSERT turns them all
%% into `ok`; ASSERT wins over NOASSERT; NODEBUG implies NOASSERT unless DEBUG is defined.

-ifndef(ASSERT_HRL).
-define(ASSERT_HRL, true).

-ifdef(NODEBUG).
-ifndef(DEBUG).
-ifndef(NOASSERT).
-define(NOASSERT, true).
-endif.
-endif.
-endif.

-ifdef(ASSERT).
-undef(NOASSERT).
-endif.

%% The error an assertion raises: {Kind, [{module, M}, {line, L} | Rest]}.
-define(assert_fail_(Kind, Rest),
        erlang:error({Kind, [{module, ?MODULE}, {line, ?LINE} | Rest]})).

%% The comment of an assertion, when it has one, comes right after module and line.
-define(assert_comment_(Comment), {comment, (Comment)}).

-ifdef(NOASSERT).
-define(assert(BoolExpr), ok).
-define(assert(BoolExpr, Comment), ok).
-define(assertNot(BoolExpr), ok).
-define(assertNot(BoolExpr, Comment), ok).
-define(assertMatch(Guard, Expr), ok).
-define(assertMatch(Guard, Expr, Comment), ok).
-define(assertNotMatch(Guard, Expr), ok).
-define(assertNotMatch(Guard, Expr, Comment), ok).
-define(assertEqual(Expect, Expr), ok).
-define(assertEqual(Expect, Expr, Comment), ok).
-define(assertNotEqual(Unexpected, Expr), ok).
-define(assertNotEqual(Unexpected, Expr, Comment), ok).
-define(assertException(Class, Term, Expr), ok).
-define(assertException(Class, Term, Expr, Comment), ok).
-define(assertNotException(Class, Term, Expr), ok).
-define(assertNotException(Class, Term, Expr, Comment), ok).
-else.

%% ?assert(E): E must be true; anything else is {value, false} or {not_boolean, V}.
-define(assert_bool_(BoolExpr, Want, Info),
        begin
        ((fun () ->
            case (BoolExpr) of
                Want -> ok;
                X__V ->
                    ?assert_fail_(assert,
                                  Info ++ [{expression, (??BoolExpr)}, {expected, Want},
                                           if X__V =:= (not Want) -> {value, X__V};
                                              true -> {not_boolean, X__V}
                                           end])
            end
          end)())
        end).
-define(assert(BoolExpr), ?assert_bool_(BoolExpr, true, [])).
-define(assert(BoolExpr, Comment), ?assert_bool_(BoolExpr, true, [?assert_comment_(Comment)])).
-define(assertNot(BoolExpr), ?assert_bool_(BoolExpr, false, [])).
-define(assertNot(BoolExpr, Comment), ?assert_bool_(BoolExpr, false, [?assert_comment_(Comment)])).

%% ?assertMatch(Pattern, E): E must match Pattern (guards allowed: `P when G`).
-define(assert_match_(Guard, Expr, Info),
        begin
        ((fun () ->
            case (Expr) of
                Guard -> ok;
                X__V ->
                    ?assert_fail_(assertMatch,
                                  Info ++ [{expression, (??Expr)}, {pattern, (??Guard)}, {value, X__V}])
            end
          end)())
        end).
-define(assertMatch(Guard, Expr), ?assert_match_(Guard, Expr, [])).
-define(assertMatch(Guard, Expr, Comment), ?assert_match_(Guard, Expr, [?assert_comment_(Comment)])).

-define(assert_not_match_(Guard, Expr, Info),
        begin
        ((fun () ->
            X__V = (Expr),
            case X__V of
                Guard ->
                    ?assert_fail_(assertNotMatch,
                                  Info ++ [{expression, (??Expr)}, {pattern, (??Guard)}, {value, X__V}]);
                _ -> ok
            end
          end)())
        end).
-define(assertNotMatch(Guard, Expr), ?assert_not_match_(Guard, Expr, [])).
-define(assertNotMatch(Guard, Expr, Comment), ?assert_not_match_(Guard, Expr, [?assert_comment_(Comment)])).

%% ?assertEqual(Expected, E): E must be exactly (=:=) Expected.
-define(assert_equal_(Expect, Expr, Info),
        begin
        ((fun () ->
            X__X = (Expect),
            case (Expr) of
                X__X -> ok;
                X__V ->
                    ?assert_fail_(assertEqual,
                                  Info ++ [{expression, (??Expr)}, {expected, X__X}, {value, X__V}])
            end
          end)())
        end).
-define(assertEqual(Expect, Expr), ?assert_equal_(Expect, Expr, [])).
-define(assertEqual(Expect, Expr, Comment), ?assert_equal_(Expect, Expr, [?assert_comment_(Comment)])).

-define(assert_not_equal_(Unexpected, Expr, Info),
        begin
        ((fun () ->
            X__X = (Unexpected),
            case (Expr) of
                X__X ->
                    ?assert_fail_(assertNotEqual,
                                  Info ++ [{expression, (??Expr)}, {value, X__X}]);
                _ -> ok
            end
          end)())
        end).
-define(assertNotEqual(Unexpected, Expr), ?assert_not_equal_(Unexpected, Expr, [])).
-define(assertNotEqual(Unexpected, Expr, Comment),
        ?assert_not_equal_(Unexpected, Expr, [?assert_comment_(Comment)])).

%% ?assertException(Class, Term, E): E must raise Class:Term; the pattern shows as "{ Class , Term , [...] }".
-define(assert_exception_(Class, Term, Expr, Info),
        begin
        ((fun () ->
            X__P = {pattern, "{ " ++ (??Class) ++ " , " ++ (??Term) ++ " , [...] }"},
            try (Expr) of
                X__V ->
                    ?assert_fail_(assertException,
                                  Info ++ [{expression, (??Expr)}, X__P, {unexpected_success, X__V}])
            catch
                Class:Term -> ok;
                X__C:X__T:X__S ->
                    ?assert_fail_(assertException,
                                  Info ++ [{expression, (??Expr)}, X__P,
                                           {unexpected_exception, {X__C, X__T, X__S}}])
            end
          end)())
        end).
-define(assertException(Class, Term, Expr), ?assert_exception_(Class, Term, Expr, [])).
-define(assertException(Class, Term, Expr, Comment),
        ?assert_exception_(Class, Term, Expr, [?assert_comment_(Comment)])).

%% ?assertNotException(Class, Term, E): E may raise, but not Class:Term.
-define(assert_not_exception_(Class, Term, Expr, Info),
        begin
        ((fun () ->
            try (Expr) of
                _ -> ok
            catch
                X__C:X__T:X__S ->
                    case {X__C, X__T} of
                        {Class, Term} ->
                            ?assert_fail_(assertNotException,
                                          Info ++ [{expression, (??Expr)},
                                                   {pattern, "{ " ++ (??Class) ++ " , " ++ (??Term) ++ " , [...] }"},
                                                   {unexpected_exception, {X__C, X__T, X__S}}]);
                        _ -> ok
                    end
            end
          end)())
        end).
-define(assertNotException(Class, Term, Expr), ?assert_not_exception_(Class, Term, Expr, [])).
-define(assertNotException(Class, Term, Expr, Comment),
        ?assert_not_exception_(Class, Term, Expr, [?assert_comment_(Comment)])).

-endif.

-define(assertError(Term, Expr), ?assertException(error, Term, Expr)).
-define(assertError(Term, Expr, Comment), ?assertException(error, Term, Expr, Comment)).
-define(assertExit(Term, Expr), ?assertException(exit, Term, Expr)).
-define(assertExit(Term, Expr, Comment), ?assertException(exit, Term, Expr, Comment)).
-define(assertThrow(Term, Expr), ?assertException(throw, Term, Expr)).
-define(assertThrow(Term, Expr, Comment), ?assertException(throw, Term, Expr, Comment)).

-endif.
