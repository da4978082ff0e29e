#!/usr/bin/env escript
%% Writes float.json: doubles (as IEEE bits in hex) and erl's texts for them:
%% ~w (float_to_list(F, [short])), float_to_list/1, {decimals,0}, {decimals,4}, {decimals,10}+compact,
%% {scientific,3} (null where erl raises badarg).
%% Usage: escript gen_float.escript > float.json
-mode(compile).

main([]) ->
    rand:seed(exsss, {3, 14, 15}),
    Special = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 0.5, 1.5, 2.5, 0.125, 0.375, 1.005, 2.675, 100.0, 1000.0,
               1.0e4, 1.0e5, 1.0e15, 1.0e16, 1.0e17, 1.0e21, 1.0e22, 1.0e23, 1.0e-3, 1.0e-4, 1.0e-5,
               1.2e-4, 1.23e-3, 0.30000000000000004, 123456789012345.0, 1234567890123456.0,
               9007199254740991.0, 9007199254740992.0, 9007199254740994.0, 5.0e-324, 2.2250738585072014e-308,
               1.7976931348623157e308, 4.35, 0.145, 0.05, 0.15, 0.35, 9.5367431640625e-7, 1.5e-10,
               4503599627370495.5, 0.49999999999999994, 0.1 + 0.2, 1/3, 2/3, 1.0e100, 1.0e-100, 123.456, 99.995, 0.995],
    Pow = [math:pow(10, E) * M || E <- lists:seq(-25, 25), M <- [1.0, 1.5, 9.999, 1.2345678]],
    Ints = [float(N) || N <- [7, 12, 123, 1234, 12345, 123456, 1234567, 12345678, 123456789, 99999999999]],
    Random = [random_double() || _ <- lists:seq(1, 1500)],
    Cases = [one(F) || F <- Special ++ Pow ++ Ints ++ Random],
    io:put_chars(["[\n", lists:join(",\n", Cases), "\n]\n"]).

random_double() ->
    case rand:uniform(3) of
        1 -> % any finite double
            Sign = rand:uniform(2) - 1,
            <<F/float>> = <<Sign:1, (rand:uniform(16#7FE) - 1):11, (rand:uniform(1 bsl 52) - 1):52>>,
            F;
        2 -> (rand:uniform() - 0.5) * math:pow(10, rand:uniform(44) - 22);
        3 -> float(rand:uniform(1 bsl 60)) / float(1 bsl rand:uniform(60))
    end.

q(S) -> [$", S, $"].

t(F) -> try q(F()) catch error:badarg -> "null" end.

one(F) ->
    <<Bits:64>> = <<F/float>>,
    ["{\"bits\":", q(io_lib:format("~16.16.0b", [Bits])),
     ",\"w\":", q(io_lib:format("~w", [F])),
     ",\"default\":", q(float_to_list(F)),
     ",\"d0\":", t(fun() -> float_to_list(F, [{decimals, 0}]) end),
     ",\"d4\":", t(fun() -> float_to_list(F, [{decimals, 4}]) end),
     ",\"d10c\":", t(fun() -> float_to_list(F, [{decimals, 10}, compact]) end),
     ",\"d0c\":", t(fun() -> float_to_list(F, [{decimals, 0}, compact]) end),
     ",\"d19\":", t(fun() -> float_to_list(F, [{decimals, 19}]) end),
     ",\"s3\":", t(fun() -> float_to_list(F, [{scientific, 3}]) end),
     ",\"e\":", q(io_lib:format("~e", [F])),
     ",\"f\":", q(io_lib:format("~f", [F])),
     ",\"g\":", q(io_lib:format("~g", [F])),
     ",\"f2\":", q(io_lib:format("~.2f", [F])),
     ",\"e3\":", q(io_lib:format("~.3e", [F])),
     ",\"g3\":", q(io_lib:format("~.3g", [F])),
     "}"].
