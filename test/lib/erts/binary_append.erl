%% Appending to binaries: the accumulator loop, two appends to the same binary, appends to
%% sub-binaries taken by matching, and bitstrings (what terl's append in place must not change).
-module(binary_append).
-export([acc/2, branches/0, subs/0, bits/0, failed/0]).

acc(0, Acc) -> Acc;
acc(N, Acc) -> acc(N - 1, <<Acc/binary, (N rem 251)>>).

branches() ->
    A = acc(1000, <<>>),
    B = <<A/binary, "one">>,
    C = <<A/binary, "two!">>,
    D = <<B/binary, "three">>,
    E = <<A/binary, B/binary>>,
    {byte_size(A), binary:part(B, 997, 6), binary:part(C, 998, 6), binary:part(D, 1000, 8),
     byte_size(E), binary:part(E, 1000, 4), erlang:md5(A), erlang:md5(B), erlang:md5(C)}.

subs() ->
    A = acc(600, <<>>),
    <<Head:300/binary, Rest/binary>> = A,
    R1 = <<Rest/binary, "r1">>,
    A1 = <<A/binary, "a1">>,
    R2 = <<Rest/binary, "r2">>,
    H1 = <<Head/binary, "h1">>,
    {byte_size(R1), binary:part(R1, 298, 4), binary:part(A1, 598, 4), binary:part(R2, 298, 4),
     binary:part(H1, 298, 4), erlang:md5(A), A1 =:= <<A/binary, "a1">>}.

bits() ->
    A = acc(400, <<>>),
    B = <<A/binary, 1:3>>,
    C = <<B/bitstring, 2:5>>,
    D = <<A/binary, 7>>,
    {bit_size(B), bit_size(C), binary:last(C), binary:last(D), C =:= D}.

%% a build that fails after its first segments: the next append to the same binary sees none of them
failed() ->
    A = acc(300, <<>>),
    E = (catch <<A/binary, 255, 255, 255, (id(foo))/binary>>),
    B = <<A/binary, 0:32>>,
    C = <<A/binary, 0:4, 1:4, 0:16/little>>,
    {element(1, element(2, E)), binary:part(B, 300, 4), binary:part(C, 300, 3)}.

id(X) -> X.
