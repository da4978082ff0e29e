-module(ets_ms_bad).
-include_lib("stdlib/include/ms_transform.hrl").
-export([a/0]).

a() -> ets:fun2ms(fun({A}) -> foo(A) end).
