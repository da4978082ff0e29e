-module(single).
-include_lib("eunit/include/eunit.hrl").

only_test() -> ?assert(true).
