%% io_lib_fread: formatted input, as io:fread/2,3 and io_lib:fread/2,3 read it.
%%
%% fread(Format, Input) reads what the format asks for from a string:
%%   {ok, Results, Rest}                  the whole format was matched
%%   {more, RestFormat, Count, Stack}     the input ran out first (Count characters taken so far,
%%                                        Stack the results so far, last first)
%%   {error, {fread, What}}               the input or the format is wrong
%% fread(Cont, Chars, Format) is the re-entrant form an I/O server calls through get_until: it
%% takes the input a line at a time and answers {more, Cont} or {done, Result, LeftOverChars}.
%%
%% A directive is ~[*][Width][t]C, C one of d u - # f s a c l ~; white space in the format skips
%% white space in the input; any other character must come next in the input.
-module(io_lib_fread).

-export([fread/2, fread/3]).

%% ---------- the re-entrant form ----------

fread([], Chars, Format) ->
    fread({[], Format, 0, []}, Chars, Format);
fread({[], _RestFormat, 0, []}, eof, _Format) ->
    {done, eof, eof};
fread({Buf, RestFormat, Count, Stack}, eof, _Format) ->
    line_done(read(RestFormat, Buf, Count, Stack), eof);
fread({Buf, RestFormat, Count, Stack}, Chars, Format) ->
    Input = Buf ++ Chars,
    case split_line(Input, []) of
        nolf ->
            {more, {Input, RestFormat, Count, Stack}};
        {Line, Rest} ->
            case read(RestFormat, Line, Count, Stack) of
                {more, RestFormat1, Count1, Stack1} ->
                    fread({[], RestFormat1, Count1, Stack1}, Rest, Format);
                Result ->
                    line_done(Result, Rest)
            end
    end.

%% What follows the line is left over, with what the format left of the line; a line used up
%% to its newline takes the newline along.
line_done({ok, Results, LineRest}, Rest) -> {done, {ok, Results}, left_over(LineRest, Rest)};
line_done({more, _, _, _}, Rest) -> {done, {error, {fread, input}}, Rest};
line_done({error, _} = Error, Rest) -> {done, Error, Rest}.

left_over("\n", Rest) -> Rest;
left_over(LineRest, eof) -> LineRest;
left_over(LineRest, Rest) -> LineRest ++ Rest.

%% The first line of the input (with its newline) and the rest, or nolf.
split_line([$\n | Cs], Acc) -> {lists:reverse([$\n | Acc]), Cs};
split_line([C | Cs], Acc) -> split_line(Cs, [C | Acc]);
split_line([], _Acc) -> nolf.

%% ---------- one string ----------

fread(Format, Input) ->
    read(Format, Input, 0, []).

read([], Input, _Count, Stack) ->
    {ok, lists:reverse(Stack), Input};
read([$~ | Format], Input, Count, Stack) ->
    case directive(Format) of
        {ok, Dir, Format1} ->
            Taken = lists:sublist([$~ | Format], length(Format) + 1 - length(Format1)),
            case field(Dir, Input, Count) of
                more -> {more, Taken ++ Format1, Count + length(Input), Stack};
                {error, What} -> {error, {fread, What}};
                {Value, Input1, Count1} ->
                    read(Format1, Input1, Count1, push(Dir, Value, Stack))
            end;
        error ->
            {error, {fread, format}}
    end;
read([F | Format], Input, Count, Stack) ->
    case is_white(F) of
        true ->
            {Input1, Count1} = skip_white(Input, Count),
            read(Format, Input1, Count1, Stack);
        false ->
            case Input of
                [] -> {more, [F | Format], Count, Stack};
                [F | Input1] -> read(Format, Input1, Count + 1, Stack);
                _ -> {error, {fread, input}}
            end
    end.

push({true, _, _, _}, _Value, Stack) -> Stack;
push({_, _, _, $~}, _Value, Stack) -> Stack;
push(_Dir, Value, Stack) -> [Value | Stack].

%% ~[*][Width][t]C: {ok, {Suppress, Width, Unicode, C}, RestFormat} or error.
directive(Format0) ->
    {Suppress, Format1} = case Format0 of
                              [$* | F1] -> {true, F1};
                              _ -> {false, Format0}
                          end,
    {Digits, Format2} = lists:splitwith(fun(C) -> C >= $0 andalso C =< $9 end, Format1),
    Width = case Digits of
                [] -> none;
                _ -> list_to_integer(Digits)
            end,
    {Unicode, Format3} = case Format2 of
                             [$t | F3] -> {true, F3};
                             _ -> {false, Format2}
                         end,
    case Format3 of
        [C | Rest] ->
            case lists:member(C, "du-#fsacl~") of
                true -> {ok, {Suppress, Width, Unicode, C}, Rest};
                false -> error
            end;
        [] ->
            error
    end.

%% ---------- the fields ----------

%% {Value, RestInput, Count}, more (the input ended first) or {error, What}.
field({_, _, _, $l}, Input, Count) ->
    {Count, Input, Count};
field({_, _, _, $-}, Input, Count) ->
    case Input of
        [] -> more;
        [$- | Rest] -> {-1, Rest, Count + 1};
        [$+ | Rest] -> {1, Rest, Count + 1};
        _ -> {1, Input, Count}
    end;
field({_, _, _, $~}, Input, Count) ->
    {Input1, Count1} = skip_white(Input, Count),
    case Input1 of
        [] -> more;
        [$~ | Rest] -> {none, Rest, Count1 + 1};
        _ -> {error, input}
    end;
field({_, Width, Unicode, $c}, Input, Count) ->
    N = case Width of none -> 1; _ -> Width end,
    case take(N, Input) of
        {Chars, Rest} -> check_chars(Chars, Unicode, {Chars, Rest, Count + N}, string);
        short -> more
    end;
field({_, Base0, _, $u}, Input, Count) ->
    Base = case Base0 of none -> 10; _ -> Base0 end,
    if
        Base < 2; Base > 36 -> {error, format};
        true -> unsigned(Input, Count, Base)
    end;
field({_, Width, Unicode, C}, Input, Count) ->
    case text(Width, Input, Count) of
        more -> more;
        short -> {error, what(C)};
        {Text, Rest, Count1} -> convert(C, Text, Unicode, Rest, Count1)
    end.

%% The field's text: Width characters with the white space around them stripped, or else the
%% characters up to the next white space after any leading white space.
text(none, Input, Count) ->
    {Input1, Count1} = skip_white(Input, Count),
    case lists:splitwith(fun(C) -> not is_white(C) end, Input1) of
        {[], _} -> more;
        {Text, Rest} -> {Text, Rest, Count1 + length(Text)}
    end;
text(Width, Input, Count) ->
    case take(Width, Input) of
        {Chars, Rest} -> {strip(strip(Chars)), Rest, Count + Width};
        short -> short
    end.

strip(Cs) -> lists:reverse(lists:dropwhile(fun is_white/1, Cs)).

convert($d, Text, _, Rest, Count) ->
    number(integer, Text, fun decimal/1, Rest, Count);
convert($#, Text, _, Rest, Count) ->
    number(integer, Text, fun based/1, Rest, Count);
convert($f, Text, _, Rest, Count) ->
    number(float, Text, fun float_text/1, Rest, Count);
convert($s, Text, Unicode, Rest, Count) ->
    check_chars(Text, Unicode, {Text, Rest, Count}, string);
convert($a, Text, Unicode, Rest, Count) ->
    check_chars(Text, Unicode, {list_to_atom(Text), Rest, Count}, atom).

what($d) -> integer;
what($#) -> integer;
what($f) -> float;
what($s) -> string;
what($a) -> atom.

%% Characters beyond Latin-1 need the t modifier.
check_chars(Chars, Unicode, Result, What) ->
    case Unicode orelse lists:all(fun(C) -> C =< 255 end, Chars) of
        true -> Result;
        false -> {error, What}
    end.

%% A number read from the front of the text: what is left of the text goes back to the input.
number(What, Text, Read, Rest, Count) ->
    case Read(Text) of
        {ok, Value, Left} -> {Value, Left ++ Rest, Count - length(Left)};
        error -> {error, What}
    end.

decimal(Text) ->
    {Sign, Digits} = sign(Text),
    case lists:splitwith(fun(C) -> C >= $0 andalso C =< $9 end, Digits) of
        {[], _} -> error;
        {Ds, Left} -> {ok, Sign * list_to_integer(Ds), Left}
    end.

based(Text) ->
    {Sign, Rest0} = sign(Text),
    case lists:splitwith(fun(C) -> C >= $0 andalso C =< $9 end, Rest0) of
        {[_ | _] = BaseDs, [$# | Rest1]} ->
            Base = list_to_integer(BaseDs),
            case Base >= 2 andalso Base =< 36 of
                true ->
                    case lists:splitwith(fun(C) -> digit(C) < Base end, Rest1) of
                        {[], _} -> error;
                        {Ds, Left} -> {ok, Sign * list_to_integer(Ds, Base), Left}
                    end;
                false ->
                    error
            end;
        _ ->
            error
    end.

%% Erlang float syntax: Digits.Digits with an optional exponent.
float_text(Text) ->
    {Sign, Rest0} = sign(Text),
    IsDigit = fun(C) -> C >= $0 andalso C =< $9 end,
    case lists:splitwith(IsDigit, Rest0) of
        {[_ | _] = Int, [$. | Rest1]} ->
            case lists:splitwith(IsDigit, Rest1) of
                {[], _} ->
                    error;
                {Frac, Rest2} ->
                    {Exp, Left} = exponent(Rest2, IsDigit),
                    {ok, Sign * list_to_float(Int ++ "." ++ Frac ++ Exp), Left}
            end;
        _ ->
            error
    end.

exponent([E | Rest], IsDigit) when E =:= $e; E =:= $E ->
    {S, Rest1} = case Rest of
                     [Sc | R] when Sc =:= $+; Sc =:= $- -> {[Sc], R};
                     _ -> {[], Rest}
                 end,
    case lists:splitwith(IsDigit, Rest1) of
        {[], _} -> {[], [E | Rest]};
        {Ds, Left} -> {"e" ++ S ++ Ds, Left}
    end;
exponent(Rest, _IsDigit) ->
    {[], Rest}.

sign([$- | Cs]) -> {-1, Cs};
sign([$+ | Cs]) -> {1, Cs};
sign(Cs) -> {1, Cs}.

%% ~u: digits in the base, no white space skipped.
unsigned([], _Count, _Base) ->
    more;
unsigned(Input, Count, Base) ->
    case lists:splitwith(fun(C) -> digit(C) < Base end, Input) of
        {[], _} -> {error, unsigned};
        {Ds, Rest} -> {list_to_integer(Ds, Base), Rest, Count + length(Ds)}
    end.

digit(C) when C >= $0, C =< $9 -> C - $0;
digit(C) when C >= $a, C =< $z -> C - $a + 10;
digit(C) when C >= $A, C =< $Z -> C - $A + 10;
digit(_) -> 99.

%% ---------- characters ----------

take(N, Input) -> take(N, Input, []).

take(0, Input, Acc) -> {lists:reverse(Acc), Input};
take(_, [], _Acc) -> short;
take(N, [C | Cs], Acc) -> take(N - 1, Cs, [C | Acc]).

skip_white([C | Cs] = Input, Count) ->
    case is_white(C) of
        true -> skip_white(Cs, Count + 1);
        false -> {Input, Count}
    end;
skip_white([], Count) ->
    {[], Count}.

is_white($\s) -> true;
is_white($\t) -> true;
is_white($\n) -> true;
is_white($\r) -> true;
is_white(_) -> false.
