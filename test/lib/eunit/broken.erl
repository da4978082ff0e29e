-module(broken).
-include_lib("eunit/include/eunit.hrl").
-export([generator/0, not_tests/0]).

id(X) -> X.

setup_fails_test_() ->
    {setup, fun() -> erlang:error(id(no_db)) end, fun(_) -> ok end,
     [?_test(ok), ?_test(ok)]}.

cleanup_fails_test_() ->
    {setup, fun() -> ok end, fun(_) -> exit(id(bad_cleanup)) end,
     [?_test(ok)]}.

instantiator_fails_test_() ->
    {setup, fun() -> ok end, fun(_) -> ok end, fun(X) -> id(X) ++ 1 end}.

described_setup_test_() ->
    {"a database", {setup, fun() -> throw(id(down)) end, [?_test(ok)]}}.

after_test() -> ok.

generator() -> erlang:error(id(oops)).
not_tests() -> id(42).
