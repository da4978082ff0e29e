#!/usr/bin/env escript
%% The oracle for test/data/parse_*.otp.json: real erl_scan, erl_parse and epp.
%%   parse_oracle.escript exprs Inputs.term   -> one line per input: "ok ~w" | "error L:C: Message" | "crash"
%%   parse_oracle.escript tokens Inputs.term  -> one line per input: "ok [{Cat,L,C,Symbol,Text}] EndL:EndC" | "error L:C: Message"
%%   parse_oracle.escript forms Dir Name...    -> per file: "form ~w" / "error L:C: Message" / "warning ..." lines, then "@@END@@"
main(Args) -> io:setopts([{encoding, unicode}]), main1(Args).
main1(["exprs", File]) ->
    {ok, [Inputs]} = file:consult(File),
    lists:foreach(fun(S) -> io:format("~ts~n", [one_expr(S)]) end, Inputs);
main1(["tokens", File]) ->
    {ok, [Inputs]} = file:consult(File),
    lists:foreach(fun(S) -> io:format("~ts~n", [one_scan(S)]) end, Inputs);
main1(["shell", File]) ->
    {ok, [Inputs]} = file:consult(File),
    lists:foreach(fun(S) ->
                          {ok, T, _} = erl_scan:string(S, {1,1}, [text]),
                          R = case erl_eval:extended_parse_exprs(T) of
                                  {ok, Es} -> io_lib:format("ok ~w", [[erl_parse:map_anno(fun(A) -> erl_anno:line(A) end, E) || E <- Es]]);
                                  {error, {Loc, M, D}} -> io_lib:format("error ~ts: ~ts", [loc(Loc), M:format_error(D)])
                              end,
                          io:format("~ts~n", [R])
                  end, Inputs);
main1(["annos", File]) ->
    {ok, [Inputs]} = file:consult(File),
    lists:foreach(fun(S) ->
                          {ok, T1, _} = erl_scan:string(S, {1,1}),
                          {ok, T2, _} = erl_scan:string(S, {1,1}, [text]),
                          {ok, E1} = erl_parse:parse_exprs(T1),
                          {ok, E2} = erl_parse:parse_exprs(T2),
                          io:format("~w~n~w~n", [E1, E2])
                  end, Inputs);
main1(["terms", File]) ->
    {ok, [Inputs]} = file:consult(File),
    lists:foreach(fun(S) ->
                          {ok, T, _} = erl_scan:string(S),
                          {ok, Term} = erl_parse:parse_term(T),
                          io:format("~w~n~w~n", [Term, erl_parse:abstract(Term)])
                  end, Inputs);
main1(["otp", Out | Files]) ->
    Incs = [filename:join(D, "include") || D <- filelib:wildcard(code:lib_dir() ++ "/*")],
    {ok, Fd} = file:open(Out, [write, {encoding, utf8}]),
    lists:foreach(fun(F) ->
        I = [filename:join(filename:dirname(filename:dirname(F)), "include") | Incs],
        {ok, Forms} = epp:parse_file(F, [{includes, I}]),
        io:format(Fd, "@@FILE ~ts~n", [F]),
        [io:format(Fd, "~w~n", [Fm]) || Fm <- Forms, element(1, Fm) =/= eof]
    end, Files),
    file:close(Fd);
main1(["forms", Dir | Names]) ->
    ok = file:set_cwd(Dir),
    lists:foreach(fun(N) -> one_file(N), io:format("@@END@@~n") end, Names).

one_expr(S) ->
    try
        case erl_scan:string(S, {1,1}) of
            {error, {{L,C}, M, D}, _} -> io_lib:format("error ~w:~w: ~ts", [L, C, M:format_error(D)]);
            {ok, Toks, _} ->
                case erl_parse:parse_exprs(Toks) of
                    {error, {Loc, M, D}} -> io_lib:format("error ~ts: ~ts", [loc(Loc), M:format_error(D)]);
                    {ok, _} ->
                        {ok, T2, _} = erl_scan:string(S),
                        {ok, Es} = erl_parse:parse_exprs(T2),
                        io_lib:format("ok ~w", [Es])
                end
        end
    catch _:_ -> "crash"
    end.

one_scan(S) ->
    case erl_scan:string(S, {1,1}, [text]) of
        {error, {{L,C}, M, D}, _} -> io_lib:format("error ~w:~w: ~ts", [L, C, M:format_error(D)]);
        {ok, Toks, {EL, EC}} ->
            Ts = [{erl_scan:category(T), erl_scan:line(T), erl_scan:column(T), erl_scan:symbol(T), erl_scan:text(T)} || T <- Toks],
            io_lib:format("ok ~w ~w:~w", [Ts, EL, EC])
    end.

loc({L,C}) -> io_lib:format("~w:~w", [L, C]);
loc(L) -> io_lib:format("~w:0", [L]).

one_file(Name) ->
    {ok, Forms} = epp:parse_file(Name, []),
    {ok, FormsC} = epp:parse_file(Name, [{location, {1,1}}]),
    [io:format("form ~w~n", [F]) || F <- Forms, element(1, F) =/= error, element(1, F) =/= warning, element(1, F) =/= eof],
    [io:format("formc ~w~n", [F]) || F <- FormsC, element(1, F) =/= error, element(1, F) =/= warning, element(1, F) =/= eof],
    lists:foreach(fun({error, {Loc, M, D}}) -> io:format("error ~ts: ~ts~n", [loc(Loc), M:format_error(D)]);
                     ({warning, {Loc, M, D}}) -> io:format("warning ~ts: ~ts~n", [loc(Loc), M:format_error(D)]);
                     (_) -> ok
                  end, FormsC).
