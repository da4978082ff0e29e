#!/usr/bin/env escript
%% Writes pretty.json: terms and how real erl prints them with ~w, ~p, ~tp, ~P, ~W, the
%% shell's settings (depth 30, 60 characters a line) and other columns and line lengths.
%% Usage: escript gen_pretty.escript terms.txt > pretty.json
-mode(compile).

main([TermsFile]) ->
    Dir = filename:dirname(escript:script_name()),
    {ok, json, Bin} = compile:file(filename:join(Dir, "json.erl"), [binary]),
    {module, json} = code:load_binary(json, "json.erl", Bin),
    {ok, Text} = file:read_file(TermsFile),
    Lines = [L || L <- string:split(unicode:characters_to_list(Text), "\n", all),
                  string:trim(L) =/= "", hd(string:trim(L)) =/= $%],
    Given = [eval(L) || L <- Lines],
    rand:seed(exsss, {17, 42, 4711}),
    Random = [T || T <- [random_term(rand:uniform(5)) || _ <- lists:seq(1, 600)],
                   lists:flatlength(io_lib:format("~w", [T])) < 600],
    Cases = [case_json(T, N) || {N, T} <- lists:zip(lists:seq(1, length(Given ++ Random)), Given ++ Random)],
    io:put_chars(standard_io, unicode:characters_to_binary(["[\n", lists:join(",\n", Cases), "\n]\n"])).

eval(Line) ->
    {ok, Toks, _} = erl_scan:string(Line ++ "."),
    {ok, Exprs} = erl_parse:parse_exprs(Toks),
    {value, V, _} = erl_eval:exprs(Exprs, []),
    V.

rec_fun() ->
    fun(person, 3) -> [name, age, email];
       (point, 2) -> [x, y];
       ('Rec-q', 1) -> ['Field'];
       (_, _) -> no
    end.

case_json(T, N) ->
    Col = 1 + (N * 7) rem 50,
    Ll = 20 + (N * 13) rem 100,
    D = 2 + N rem 6,
    S = fun(F, A) -> json:str(io_lib:format(F, A)) end,
    P = fun(Opts) -> json:str(io_lib_pretty:print(T, Opts)) end,
    json:obj([{"term", json:term(T)},
              {"w", S("~w", [T])},
              {"tw", S("~tw", [T])},
              {"p", S("~p", [T])},
              {"tp", S("~tp", [T])},
              {"lp", S("~lp", [T])},
              {"shell", P([{column, 1}, {line_length, 80}, {depth, 30}, {line_max_chars, 60}, {encoding, latin1}])},
              {"shellu", P([{column, 1}, {line_length, 80}, {depth, 30}, {line_max_chars, 60}, {encoding, unicode}])},
              {"rec", P([{column, 1}, {line_length, 80}, {depth, 30}, {line_max_chars, 60}, {encoding, latin1}, {record_print_fun, rec_fun()}])},
              {"depth", integer_to_list(D)},
              {"P", S("~P", [T, D])},
              {"W", S("~W", [T, D])},
              {"col", integer_to_list(Col)},
              {"ll", integer_to_list(Ll)},
              {"at", P([{column, Col}, {line_length, Ll}])}] ++
             %% the deep lists io_lib returns, for the smaller terms
             [{K, json:term(V)} || lists:flatlength(io_lib:write(T)) < 300,
                                   {K, V} <- [{"wd", io_lib:write(T)},
                                              {"pd", io_lib:format("~p", [T])},
                                              {"Pd", io_lib:format("~P", [T, D])}]] ++
             [{"atd", json:term(io_lib_pretty:print(T, [{column, Col}, {line_length, Ll}]))}
              || lists:flatlength(io_lib:write(T)) < 120]).

%% ---------- random terms ----------

pick(L) -> lists:nth(rand:uniform(length(L)), L).

random_term(0) -> random_atomic();
random_term(D) ->
    case rand:uniform(14) of
        1 -> random_atomic();
        2 -> list_to_tuple([random_term(D - 1) || _ <- lists:seq(1, rand:uniform(6) - 1)]);
        3 -> list_to_tuple([pick(atoms()) | [random_term(D - 1) || _ <- lists:seq(1, rand:uniform(5))]]);
        4 -> [random_term(D - 1) || _ <- lists:seq(1, rand:uniform(8) - 1)];
        5 -> random_string();
        6 -> maps:from_list([{random_key(), random_term(D - 1)} || _ <- lists:seq(1, rand:uniform(6) - 1)]);
        7 -> random_binary();
        8 -> [{pick(atoms()), random_term(D - 1)} || _ <- lists:seq(1, rand:uniform(7))];
        9 -> [random_term(D - 1) || _ <- lists:seq(1, rand:uniform(3))] ++ random_atomic();
        10 -> {pick([person, point, 'Rec-q', other]), random_term(D - 1), random_term(D - 1), random_term(D - 1)};
        11 -> {person, random_string(), rand:uniform(100), random_term(D - 1)};
        12 -> {point, random_term(D - 1), random_term(D - 1)};
        13 -> lists:seq(1, rand:uniform(40));
        14 -> [random_string() || _ <- lists:seq(1, rand:uniform(6))]
    end.

random_key() ->
    case rand:uniform(4) of
        1 -> pick(atoms());
        2 -> rand:uniform(1000);
        3 -> random_string();
        4 -> {pick(atoms()), rand:uniform(10)}
    end.

atoms() -> [ok, error, a, hello_world, 'Cap', 'hello world', '', 'a-b', undefined, true, 'end', x, long_atom_name_for_testing, 'ñandú', 'Ω'].

random_atomic() ->
    case rand:uniform(12) of
        1 -> rand:uniform(1000) - 500;
        2 -> rand:uniform(1 bsl 80) * pick([1, -1]);
        3 -> (rand:uniform() - 0.5) * math:pow(10, rand:uniform(40) - 20);
        4 -> pick(atoms());
        5 -> random_string();
        6 -> self();
        7 -> make_ref();
        8 -> pick([fun lists:map/2, fun erlang:abs/1, fun(X) -> X end, fun() -> ok end]);
        9 -> [];
        10 -> {};
        11 -> random_binary();
        12 -> #{}
    end.

random_string() ->
    Alphabet = "abcdefghijklmnopqrstuvwxyz ABC\"\\\n\t",
    case rand:uniform(6) of
        1 -> [233, 246, 255 | [pick(Alphabet) || _ <- lists:seq(1, rand:uniform(5))]];
        2 -> [1046, 1047 | [pick(Alphabet) || _ <- lists:seq(1, rand:uniform(5))]];
        _ -> [pick(Alphabet) || _ <- lists:seq(1, rand:uniform(30) - 1)]
    end.

random_binary() ->
    case rand:uniform(5) of
        1 -> list_to_binary(random_string() -- [1046, 1047]);
        2 -> << <<(rand:uniform(256) - 1)>> || _ <- lists:seq(1, rand:uniform(60))>>;
        3 -> <<(rand:uniform(255)):(rand:uniform(7))>>;
        4 -> unicode:characters_to_binary([$a, 233, 1046 | random_string()]);
        5 -> <<(list_to_binary(lists:duplicate(rand:uniform(30), $x)))/binary, 0, 1>>
    end.
