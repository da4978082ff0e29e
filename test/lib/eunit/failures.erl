-module(failures).
-include_lib("eunit/include/eunit.hrl").

id(X) -> X.

check(X) -> ?assertEqual(ok, X), done.

equal_test() -> ?assertEqual([1, 2], id([2, 1])).
deep_test() -> check(id(bad)).
output_test() -> io:format("printed ~p~n", [id(1)]), ?assert(id(false)).
throw_test() -> throw(id(ball)).
exit_test() -> exit(id(gone)).
badarg_test() -> atom_to_list(id("x")).
passing_test() -> ok.

funs_test_() ->
    [?_assertMatch({ok, _}, id(error)),
     {"with a description", ?_assertNotEqual(y, id(y))}].

parallel_test_() ->
    {inparallel, [?_assertEqual(1, id(2)), ?_test(ok)]}.

missing_test_() -> [{failures, no_such_test}, {no_such_module, some_test}].
