-module(badfun).
-export([f/0, g/0, h/1]).
f() -> 1().
g() -> X = 1, X().
h(Y) -> "abc"(Y).
