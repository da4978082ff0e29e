-module(shell_kvs).
-export([start/0]).
start() -> register(shell_kvs, spawn(fun() -> loop() end)).
loop() -> receive stop -> ok end.
