-module(ets_ms_plain).
-export([a/0]).

a() -> ets:fun2ms(fun({A}) -> A end).
