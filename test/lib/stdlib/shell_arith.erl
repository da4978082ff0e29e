-module(shell_arith).
-export([add/2, inc/1, dec/1, half/1, scale/1, caught/0, info/1]).
add(A, B) -> A + B.
inc(A) -> A + 1.
dec(A) -> A - 1.
half(A) -> A / 2.
scale(A) -> A * 2.
caught() -> catch 1 + a.
info(P) -> erlang:process_info(P, foo).
