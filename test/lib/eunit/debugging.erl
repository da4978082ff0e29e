-module(debugging).
-include_lib("eunit/include/eunit.hrl").

debug_test() ->
    ?debugMsg("a message"),
    ?debugFmt("~p and ~s", [1, "two"]),
    ?assertEqual(6, ?debugVal(calc:square(2) + 2)).
