#!/usr/bin/env escript
%% Writes io_errors.json: for each {Fmt, Args} of io_errors_cases.txt, the explanations erl
%% gives under io:format(Fmt, Args)'s badarg when the device refused the format
%% (erl_stdlib_errors with cause {device, format}).
%% Usage: escript gen_io_errors.escript io_errors_cases.txt > io_errors.json
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
    Info = [{error_info, #{cause => {device, format}, module => erl_stdlib_errors}}],
    Map = try erl_stdlib_errors:format_error(badarg, [{io, format, [Fmt, Args], Info}]) catch error:_ -> #{} end,
    Lint = case catch erl_lint:check_format_string(Fmt) of
               {ok, Types} -> json:obj([{"ok", ["[", lists:join(",", [json:str(atom_to_list(T)) || T <- Types]), "]"]}]);
               {error, S} -> json:obj([{"error", json:str(S)}]);
               _ -> "null"
           end,
    json:obj([{"src", json:str(Line)}, {"fmt", json:term(Fmt)}, {"args", json:term(Args)},
              {"why", json:obj([{key(K), json:str(V)} || {K, V} <- maps:to_list(Map)])},
              {"lint", Lint}]).

key(general) -> "general";
key(N) -> integer_to_list(N).
