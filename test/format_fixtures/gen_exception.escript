#!/usr/bin/env escript
%% Writes exception.json: for each case, the class, reason and stack of an exception and the
%% text erl's shell prints for it (shell:report_exception's call of erl_error:format_exception,
%% with the shell's printing: depth 30, 60 characters a line, 80 columns, latin1).
%% A case line is an expression evaluated with erl_eval (its exception is caught), or
%% "raw {Class, Reason, Stack}" for an exception given as it is.
%% Argument explanations (error_info) are converted to terl's form: {terl_why, [{N | general | reason, Text}]}.
%% Usage: escript gen_exception.escript exception_cases.txt > exception.json
-mode(compile).

main([CasesFile]) ->
    Dir = filename:dirname(escript:script_name()),
    {ok, json, Bin} = compile:file(filename:join(Dir, "json.erl"), [binary]),
    {module, json} = code:load_binary(json, "json.erl", Bin),
    {ok, Text} = file:read_file(CasesFile),
    Lines = [L || L <- string:split(unicode:characters_to_list(Text), "\n", all),
                  string:trim(L) =/= "", hd(string:trim(L)) =/= $%],
    Cases = [C || L <- Lines, (C = one(L)) =/= skip],
    io:put_chars(standard_io, unicode:characters_to_binary(["[\n", lists:join(",\n", Cases), "\n]\n"])).

parse(Src) ->
    {ok, Toks, _} = erl_scan:string(Src ++ "."),
    {ok, Exprs} = erl_parse:parse_exprs(Toks),
    Exprs.

one("raw " ++ Src) ->
    {value, {C, R, S}, _} = erl_eval:exprs(parse(Src), []),
    emit(Src, C, R, S);
one(Src) ->
    %% the shell raises this from its own frames, which it trims
    Lf = {value, fun(F, As) -> erlang:raise(error, {shell_undef, F, length(As), []}, []) end},
    try erl_eval:exprs(parse(Src), [], Lf) of
        _ -> io:format(standard_error, "no exception: ~ts~n", [Src]), skip
    catch C:R:S -> emit(Src, C, R, shell_like(S))
    end.

%% This script's own frames follow erl_eval's; the shell's stack ends with erl_eval's too.
shell_like(S) ->
    lists:reverse(lists:dropwhile(fun({M, _, _, _}) -> M =/= erl_eval end, lists:reverse(S))).

emit(Src, C, R, S) ->
    RF = fun(person, 3) -> [name, age, email]; (_, _) -> no end,
    PF = fun(V, I) -> io_lib_pretty:print(V, [{column, I}, {line_length, 80}, {depth, 30},
                                              {line_max_chars, 60}, {strings, true},
                                              {record_print_fun, RF}, {encoding, latin1}]) end,
    SF = fun(M, _F, _A) -> (M =:= erl_eval) or (M =:= shell) end,
    Str = erl_error:format_exception(4, C, R, why_as_error_info(S), SF, PF, latin1),
    json:obj([{"src", json:str(Src)}, {"class", json:term(C)}, {"reason", json:term(R)},
              {"stack", json:term(terl_stack(R, S))}, {"text", json:str(["** ", Str])}]).

%% A raw case's {terl_why, Why} becomes error_info that erl_error asks terl_why_fmt about.
why_as_error_info([{M, F, As, Info} | Rest]) when is_list(Info) ->
    case lists:keyfind(terl_why, 1, Info) of
        {terl_why, _} ->
            load_terl_why_fmt(),
            [{M, F, As, Info ++ [{error_info, #{module => terl_why_fmt}}]} | Rest];
        false -> [{M, F, As, Info} | Rest]
    end;
why_as_error_info(S) -> S.

load_terl_why_fmt() ->
    Src = "-module(terl_why_fmt). -export([format_error/2]).
           format_error(_, [{_, _, _, Info} | _]) ->
               {terl_why, Why} = lists:keyfind(terl_why, 1, Info),
               maps:from_list(Why).",
    Forms = [begin {ok, F} = erl_parse:parse_form(T), F end || T <- split_forms(Src)],
    {ok, Mod, Bin} = compile:forms(Forms),
    {module, Mod} = code:load_binary(Mod, "terl_why_fmt.erl", Bin).

split_forms(Src) ->
    {ok, Toks, _} = erl_scan:string(Src),
    split_forms(Toks, [], []).
split_forms([], [], Acc) -> lists:reverse(Acc);
split_forms([{dot, _} = D | T], Cur, Acc) -> split_forms(T, [], [lists:reverse([D | Cur]) | Acc]);
split_forms([Tok | T], Cur, Acc) -> split_forms(T, [Tok | Cur], Acc).

%% The first frame's error_info, explained as erl explains it, in terl's {terl_why, ...} form.
terl_stack(R, [{M, F, As, Info} | Rest] = S) when is_list(Info) ->
    case lists:keyfind(error_info, 1, Info) of
        {error_info, Map} when is_map(Map) ->
            Mod = maps:get(module, Map, M),
            Fun = maps:get(function, Map, format_error),
            Why = try Mod:Fun(R, S) of
                      EM -> [{K, unicode:characters_to_list(V)} || {K, V} <- maps:to_list(EM)]
                  catch error:_ -> []
                  end,
            Info1 = lists:keydelete(error_info, 1, Info) ++ [{terl_why, Why} || Why =/= []],
            [{M, F, As, Info1} | Rest];
        _ -> S
    end;
terl_stack(_R, S) -> S.
