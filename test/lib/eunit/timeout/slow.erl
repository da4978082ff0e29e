-module(slow).
-include_lib("eunit/include/eunit.hrl").

first_test() -> ok.
slow_test_() -> {timeout, 0.2, ?_test(receive after 2000 -> ok end)}.
never_run_test() -> ok.
