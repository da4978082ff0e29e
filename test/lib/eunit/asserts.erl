-module(asserts).
-include_lib("eunit/include/eunit.hrl").
-export([id/1, run/1, all/0]).
-export([assert_true/0, assert_false/0, assert_nonbool/0, assert_comment/0, assert_not/0, match/0,
         match_guard/0, not_match/0, equal/0, equal_comment/0, not_equal/0, exception_none/0,
         exception_other/0, error_ok/0, exit_ok/0, throw_ok/0, not_exception/0,
         not_exception_ok/0, let_if/0]).

id(X) -> X.

%% Each assertion, failing, as a function of its own: run/1 shows what it raises.
run(F) ->
    try F() of
        R -> {ok, R}
    catch
        C:{Kind, Info}:S -> {C, {Kind, [without_trace(I) || I <- Info]}, hd(S)}
    end.

%% the trace inside unexpected_exception: only its top frame
without_trace({unexpected_exception, {C, R, [Top | _]}}) -> {unexpected_exception, {C, R, Top}};
without_trace(I) -> I.

all() ->
    [io:format("~p~n", [run(fun ?MODULE:F/0)]) || F <- [assert_true, assert_false, assert_nonbool, assert_comment,
                                   assert_not, match, match_guard, not_match, equal, equal_comment,
                                   not_equal, exception_none, exception_other, error_ok, exit_ok,
                                   throw_ok, not_exception, not_exception_ok, let_if]],
    ok.

assert_true() -> ?assert(id(true)).
assert_false() -> ?assert(id(1) > 2).
assert_nonbool() -> ?assert(id(maybe)).
assert_comment() -> ?assert(id(false), "must hold").
assert_not() -> ?assertNot(id(true)).
match() -> ?assertMatch({ok, _}, id({error, x})).
match_guard() -> ?assertMatch(N when N > 5, id(3)).
not_match() -> ?assertNotMatch([_ | _], id([1])).
equal() -> X = id(2), ?assertEqual(X, id(1) + 0), ?assertEqual(X, 3).
equal_comment() -> ?assertEqual(a, id(b), <<"why">>).
not_equal() -> ?assertNotEqual(a, id(a)).
exception_none() -> ?assertException(error, badarith, id(1)).
exception_other() -> ?assertError(badarith, throw(id(t))).
error_ok() -> ?assertError({badmatch, _}, 1 = id(2)).
exit_ok() -> ?assertExit(bye, exit(id(bye))).
throw_ok() -> ?assertThrow(ball, throw(id(ball))).
not_exception() -> ?assertNotException(throw, ball, throw(id(ball))).
not_exception_ok() -> ?assertNotException(throw, ball, throw(id(other))).
let_if() -> {?LET(X, id(4), X * X), ?IF(id(true), yes, no), ?MATCHES({_, _}, id({1, 2}))}.
