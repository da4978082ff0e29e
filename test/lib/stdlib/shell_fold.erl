-module(shell_fold).
-export([f/0]).
f() -> {a ++ [b], 1 div 0, 1 bsl a, 1 + 2}.
