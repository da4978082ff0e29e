-module(basics).
-include_lib("eunit/include/eunit.hrl").

add(A, B) -> A + B.

add_test() -> ?assertEqual(4, add(2, 2)).

list_test_() ->
    [?_assert(is_list([])),
     ?_assertMatch([_ | _], lists:seq(1, 3)),
     ?_assertError(badarith, add(1, a))].

described_test_() ->
    {"a described group",
     [?_test(timer:sleep(3)),
      {"named", ?_assertNot(add(1, 1) =:= 3)}]}.
