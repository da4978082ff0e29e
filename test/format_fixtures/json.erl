%% Terms as JSON for terl's format tests: the TypeScript side rebuilds the same term.
%% Used by the fixture generators in this folder (run with escript; see gen_*.escript).
-module(json).
-export([term/1, str/1, obj/1]).

term(I) when is_integer(I) -> obj([{"i", str(integer_to_list(I))}]);
term(F) when is_float(F) -> obj([{"f", str(float_to_list(F, [short]))}]);
term(A) when is_atom(A) -> obj([{"a", str(atom_to_list(A))}]);
term(T) when is_tuple(T) -> obj([{"t", arr([term(E) || E <- tuple_to_list(T)])}]);
term([_ | _] = L) when is_list(L) ->
    %% a flat list of characters is written as a string to keep the fixtures small
    case is_chars(L) of
        true -> obj([{"s", str(L)}]);
        false -> term_list(L)
    end;
term(L) when is_list(L) -> term_list(L);
term(B) when is_bitstring(B) ->
    Bits = bit_size(B),
    Pad = (8 - Bits rem 8) rem 8,
    Bytes = binary_to_list(<<B/bitstring, 0:Pad>>),
    obj([{"b", arr([integer_to_list(X) || X <- Bytes])}, {"bits", integer_to_list(Bits)}]);
term(M) when is_map(M) ->
    obj([{"m", arr([arr([term(K), term(V)]) || {K, V} <- maps:to_list(M)])}]);
term(P) when is_pid(P) ->
    <<131, 88, Rest/binary>> = term_to_binary(P),
    {Node, <<Id:32, Serial:32, Cr:32>>} = node_atom(Rest),
    obj([{"pid", arr([term(Node), integer_to_list(Id), integer_to_list(Serial), integer_to_list(Cr)])}]);
term(R) when is_reference(R) ->
    <<131, 90, N:16, Rest/binary>> = term_to_binary(R),
    {Node, <<Cr:32, Ids/binary>>} = node_atom(Rest),
    obj([{"ref", arr([term(Node), integer_to_list(Cr) | [integer_to_list(X) || <<X:32>> <= Ids]])}, {"n", integer_to_list(N)}]);
term(P) when is_port(P) ->
    case term_to_binary(P) of
        <<131, 89, Rest/binary>> ->
            {Node, <<Id:32, Cr:32>>} = node_atom(Rest);
        <<131, 120, Rest/binary>> ->
            {Node, <<Id:64, Cr:32>>} = node_atom(Rest)
    end,
    obj([{"port", arr([term(Node), integer_to_list(Id), integer_to_list(Cr)])}]);
term(F) when is_function(F) ->
    {module, M} = erlang:fun_info(F, module),
    {arity, A} = erlang:fun_info(F, arity),
    case erlang:fun_info(F, type) of
        {type, external} ->
            {name, N} = erlang:fun_info(F, name),
            obj([{"xfun", arr([term(M), term(N), integer_to_list(A)])}]);
        {type, local} when M =:= erl_eval ->
            {index, I} = erlang:fun_info(F, index),
            obj([{"efun", integer_to_list(A)}, {"named", atom_to_list(I < 21)}]);
        {type, local} ->
            {index, I} = erlang:fun_info(F, index),
            {uniq, U} = erlang:fun_info(F, uniq),
            obj([{"lfun", arr([term(M), integer_to_list(I), integer_to_list(U), integer_to_list(A)])}])
    end.

node_atom(<<119, Len, Name:Len/binary, Rest/binary>>) -> {binary_to_atom(Name, utf8), Rest};
node_atom(<<118, Len:16, Name:Len/binary, Rest/binary>>) -> {binary_to_atom(Name, utf8), Rest};
node_atom(<<100, Len:16, Name:Len/binary, Rest/binary>>) -> {binary_to_atom(Name, latin1), Rest}.

term_list(L) ->
    {Items, Tail} = items(L, []),
    case Tail of
        [] -> obj([{"l", arr(Items)}]);
        _ -> obj([{"l", arr(Items)}, {"tl", term(Tail)}])
    end.

is_chars([C | T]) when is_integer(C), C >= 0, C < 16#D800; is_integer(C), C > 16#DFFF, C =< 16#10FFFF -> is_chars(T);
is_chars([]) -> true;
is_chars(_) -> false.

items([H | T], Acc) -> items(T, [term(H) | Acc]);
items(Tail, Acc) -> {lists:reverse(Acc), Tail}.

arr(Items) -> ["[", lists:join(",", Items), "]"].

obj(Pairs) -> ["{", lists:join(",", [[str(K), ":", V] || {K, V} <- Pairs]), "}"].

%% A JSON string of code points (deep lists and binaries are flattened as unicode).
str(Chars) ->
    Cps = case unicode:characters_to_list(Chars) of
              L when is_list(L) -> L;
              _ -> lists:flatten(Chars)
          end,
    [$", [esc(C) || C <- Cps], $"].

esc($") -> "\\\"";
esc($\\) -> "\\\\";
esc(C) when C >= 32, C < 127 -> C;
esc(C) when C < 16#10000 -> io_lib:format("\\u~4.16.0b", [C]);
esc(C) ->
    V = C - 16#10000,
    [esc(16#D800 + (V bsr 10)), esc(16#DC00 + (V band 16#3FF))].
