-module(ets_ms_bad2).
-include_lib("stdlib/include/ms_transform.hrl").
-export([a/1]).

a(F) -> ets:fun2ms(F).
