-module(own_test).
-include_lib("eunit/include/eunit.hrl").
-export([test/0]).

test() -> mine.
a_test() -> ok.
