%% base64: RFC 4648 base 64 encoding and decoding, as OTP 25's stdlib module.
%%
%% encode/1 and encode_to_string/1 take a binary or a list of bytes and
%% give the padded encoding in the standard alphabet (A-Z a-z 0-9 + /).
%%
%% decode/1 and decode_to_string/1 are strict: only the alphabet, the
%% padding at the end and whitespace (space, tab, CR, LF, skipped) may
%% appear. mime_decode/1 and mime_decode_to_string/1 skip any character
%% outside the alphabet, as a MIME body may carry line breaks and junk.
%%
%% Each public function starts on the line where OTP's starts, so a
%% wrong argument (base64:encode(foo)) is reported as erl reports it.
%% Malformed base 64 fails in this module's own helpers.

-module(base64).

-export([encode/1, decode/1, mime_decode/1,
         encode_to_string/1, decode_to_string/1, mime_decode_to_string/1]).

-type ascii_string() :: [0..127].
-type ascii_binary() :: binary().
-type byte_string() :: [byte()].

-export_type([ascii_string/0, ascii_binary/0, byte_string/0]).


%% Examples:
%%
%%   1> base64:encode("hello").
%%   <<"aGVsbG8=">>
%%   2> base64:decode(<<"aGVs bG8=\n">>).
%%   <<"hello">>
%%   3> base64:mime_decode("aGV*sbG8=").
%%   <<"hello">>
%%
%% Three bytes are 24 bits, four sextets of the alphabet; a last group of
%% one or two bytes is padded with "==" or "=".




-spec encode_to_string(Data) -> ascii_string() when Data :: binary() | byte_string().
encode_to_string(Data) when is_binary(Data); is_list(Data) ->
    binary_to_list(encode(Data)).






-spec encode(Data) -> ascii_binary() when Data :: binary() | byte_string().
encode(Bin) when is_binary(Bin) ->
    list_to_binary(encode_groups(Bin, []));
encode(List) when is_list(List) ->
    encode(list_to_binary(List)).

%% Three bytes make four characters; the last one or two bytes are padded.
encode_groups(<<A:6, B:6, C:6, D:6, Rest/binary>>, Acc) ->
    encode_groups(Rest, [char(D), char(C), char(B), char(A) | Acc]);
encode_groups(<<A:6, B:6, C:4>>, Acc) ->
    lists:reverse(Acc, [char(A), char(B), char(C bsl 2), $=]);
encode_groups(<<A:6, B:2>>, Acc) ->
    lists:reverse(Acc, [char(A), char(B bsl 4), $=, $=]);
encode_groups(<<>>, Acc) ->
    lists:reverse(Acc).

char(N) when N < 26 -> $A + N;
char(N) when N < 52 -> $a + N - 26;
char(N) when N < 62 -> $0 + N - 52;
char(62) -> $+;
char(63) -> $/.


%% The bytes of a whole or final group of sextets (oldest first).
bytes([A, B]) ->
    [(A bsl 2) bor (B bsr 4)];
bytes([A, B, C]) ->
    [(A bsl 2) bor (B bsr 4), ((B band 15) bsl 4) bor (C bsr 2)];
bytes([A, B, C, D]) ->
    [(A bsl 2) bor (B bsr 4), ((B band 15) bsl 4) bor (C bsr 2), ((C band 3) bsl 6) bor D].

skip_ws([C | Cs]) when C =:= $\s; C =:= $\t; C =:= $\r; C =:= $\n -> skip_ws(Cs);
skip_ws(Cs) -> Cs.

%% Skip what mime_decode ignores: anything but sextets and '='.
skip_junk([C | Cs] = All) ->
    case sextet(C) of
        N when is_integer(N) -> All;
        pad -> All;
        _ -> skip_junk(Cs)
    end;
skip_junk([]) ->
    [].

no_sextets(Cs) ->
    lists:all(fun(C) -> not is_integer(sextet(C)) end, Cs).

sextet(C) when C >= $A, C =< $Z -> C - $A;
sextet(C) when C >= $a, C =< $z -> C - $a + 26;
sextet(C) when C >= $0, C =< $9 -> C - $0 + 52;
sextet($+) -> 62;
sextet($/) -> 63;
sextet($=) -> pad;
sextet(C) when C =:= $\s; C =:= $\t; C =:= $\r; C =:= $\n -> ws;
sextet(_) -> bad.





-spec decode(Base64) -> binary() when Base64 :: ascii_binary() | ascii_string().
decode(Base64) when is_binary(Base64) ->
    decode_chars(binary_to_list(Base64), strict);
decode(Base64) when is_list(Base64) ->
    decode_chars(Base64, strict).




-spec mime_decode(Base64) -> binary() when Base64 :: ascii_binary() | ascii_string().
mime_decode(Base64) when is_binary(Base64) ->
    decode_chars(binary_to_list(Base64), mime);
mime_decode(Base64) when is_list(Base64) ->
    decode_chars(Base64, mime).








-spec decode_to_string(Base64) -> byte_string() when Base64 :: ascii_binary() | ascii_string().
decode_to_string(Base64) when is_binary(Base64); is_list(Base64) ->
    binary_to_list(decode(Base64)).






-spec mime_decode_to_string(Base64) -> byte_string() when Base64 :: ascii_binary() | ascii_string().
mime_decode_to_string(Base64) when is_binary(Base64); is_list(Base64) ->
    binary_to_list(mime_decode(Base64)).

%% decode_chars(Chars, Mode): Mode is strict or mime. Sextets are gathered
%% four at a time (Quad, newest first) and turned into three bytes (Acc,
%% newest first).
decode_chars(Chars, Mode) ->
    list_to_binary(decode_quads(Chars, Mode, [], [])).

decode_quads([C | Cs], Mode, Quad, Acc) ->
    case {sextet(C), Mode} of
        {N, _} when is_integer(N) ->
            case [N | Quad] of
                [D, C2, B, A] ->
                    decode_quads(Cs, Mode, [], lists:reverse(bytes([A, B, C2, D]), Acc));
                Quad1 ->
                    decode_quads(Cs, Mode, Quad1, Acc)
            end;
        {pad, _} ->
            padding(Cs, Mode, Quad, Acc);
        {ws, _} ->
            decode_quads(Cs, Mode, Quad, Acc);
        {bad, mime} ->
            decode_quads(Cs, Mode, Quad, Acc)
    end;
decode_quads([], _Mode, [], Acc) ->
    lists:reverse(Acc).

%% A '=' was read after the sextets of Quad.
padding(Cs, strict, [_, _] = Quad, Acc) ->
    [$= | Rest] = skip_ws(Cs),
    [] = skip_ws(Rest),
    lists:reverse(Acc, bytes(lists:reverse(Quad)));
padding(Cs, strict, [_, _, _] = Quad, Acc) ->
    [] = skip_ws(Cs),
    lists:reverse(Acc, bytes(lists:reverse(Quad)));
padding(Cs, mime, [], Acc) ->
    %% a stray '=' between groups is skipped like any other junk
    decode_quads(Cs, mime, [], Acc);
padding(Cs, mime, [_, _] = Quad, Acc) ->
    case skip_junk(Cs) of
        [$= | Rest] ->
            true = no_sextets(Rest),
            lists:reverse(Acc, bytes(lists:reverse(Quad)));
        [] ->
            lists:reverse(Acc, bytes(lists:reverse(Quad)));
        More ->
            decode_quads(More, mime, Quad, Acc)
    end;
padding(Cs, mime, [_, _, _] = Quad, Acc) ->
    true = no_sextets(Cs),
    lists:reverse(Acc, bytes(lists:reverse(Quad))).

