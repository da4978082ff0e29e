#!/usr/bin/env escript
%% Writes io_lib.json: io_lib:format(Fmt, Args) for each {Fmt, Args} expression in the cases
%% file, with the flattened text, or null where erl raises badarg.
%% Usage: escript gen_io_lib.escript io_lib_cases.txt > io_lib.json
-mode(compile).

main([CasesFile]) ->
    Dir = filename:dirname(escript:script_name()),
    {ok, json, Bin} = compile:file(filename:join(Dir, "json.erl"), [binary]),
    {module, json} = code:load_binary(json, "json.erl", Bin),
    {ok, Text} = file:read_file(CasesFile),
    Lines = [L || L <- string:split(unicode:characters_to_list(Text), "\n", all),
                  string:trim(L) =/= "", hd(string:trim(L)) =/= $%],
    Cases = [one(L) || L <- Lines],
    io:put_chars(standard_io, unicode:characters_to_binary(["[\n", lists:join(",\n", Cases), "\n]\n"])).

one(Line) ->
    {ok, Toks, _} = erl_scan:string(Line ++ "."),
    {ok, Exprs} = erl_parse:parse_exprs(Toks),
    {value, {Fmt, Args}, _} = erl_eval:exprs(Exprs, []),
    {Out, Deep} = try io_lib:format(Fmt, Args) of
                      S -> {json:str(S), json:term(S)}
                  catch error:badarg -> {"null", "null"}
                  end,
    json:obj([{"src", json:str(Line)}, {"fmt", json:term(Fmt)}, {"args", json:term(Args)}, {"out", Out}, {"deep", Deep}]).
