-module(badfun3).
-export([a/0, b/0, c/0, d/0, e/1]).
a() -> X = foo, X().
b() -> X = {1, [2]}, X().
c() -> (-1)().
d() -> X = <<1>>, X().
e(Y) -> case Y of 1 -> X = 2; _ -> X = 3 end, X().
