-module(shell_shapes).
-export([area/1]).
-include("shell_rec.hrl").
-record(circle, {r = 1.0 :: float()}).
-record(typed, {a :: atom() | integer(), b = <<>> :: binary(), c :: #{atom() => [pos_integer()]},
                d :: 1..10, e :: fun((a) -> b), f :: lists:list(atom()), g = {1, "x"} :: tuple()}).
area(#circle{r = R}) -> R * R;
area(#point{}) -> 0;
area(#typed{}) -> 1.
