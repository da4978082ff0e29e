-module(prim_hello).
-export([hi/0]).
hi() -> hello.
