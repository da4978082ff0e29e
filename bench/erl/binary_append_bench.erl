%% Building a binary a byte at a time: <<Acc/binary, Byte>> in a loop (BEAM appends in place).
-module(binary_append_bench).
-export([run/1]).

run(N) ->
    T0 = erlang:monotonic_time(microsecond),
    N = byte_size(loop(N, <<>>)),
    erlang:monotonic_time(microsecond) - T0.

loop(0, Acc) -> Acc;
loop(N, Acc) -> loop(N - 1, <<Acc/binary, (N band 255)>>).
