-module(untested).
-define(NOTEST, true).
-include_lib("eunit/include/eunit.hrl").
-export([f/0]).

f() -> ?assert(false), ok.
f_test() -> ok.
