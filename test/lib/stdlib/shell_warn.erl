-module(shell_warn).
-export([f/1]).
f(X) ->
    Y = 1,
    fun(X) -> X end.
g() -> ok.
