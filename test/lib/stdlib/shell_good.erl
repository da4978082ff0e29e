-module(shell_good).
-export([add/2]).
add(A, B) -> A + B.
