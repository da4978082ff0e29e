-module(calc_tests).
-include_lib("eunit/include/eunit.hrl").

square_test() -> ?assertEqual(9, calc:square(3)).
output_test() ->
    io:format("hello"),
    ?assertEqual("hello", ?capturedOutput),
    ?assert(?UNDER_EUNIT).
