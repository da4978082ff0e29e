%% eunit_data: test representations, read as EUnit documents them. A test is a fun of no
%% arguments, {Module, Function}, {Line, Test}, {"description", Tests}, a (deep) list of tests, a
%% module name, or a tuple naming a fixture or control: setup, foreach, foreachx, with, generator,
%% inorder, inparallel, timeout, spawn. Iterating over them gives #test{} and #group{} records, one
%% at a time, so generators run when the tests before them have run.

-module(eunit_data).

-include("eunit_internal.hrl").

-export([iter_init/3, iter_next/1, iter_id/1, enter_context/3, get_module_tests/1]).

%% ---------------------------------------------------------------------
%% Iteration

iter_init(Tests, ParentId, Options) ->
    #iter{tests = Tests, parent = lists:reverse(ParentId), options = Options}.

%% The id of the item last taken: the parent's id and the item's number.
iter_id(#iter{pos = N, parent = Ns}) ->
    lists:reverse(Ns, [N]).

iter_next(#iter{tests = Tests, options = Options, pos = N} = I) ->
    case next(Tests, Options) of
        {T, Rest} -> {T, I#iter{tests = Rest, pos = N + 1}};
        none -> none
    end.

%% The next test or group, and the tests after it.
next(Tests, Options) ->
    case eunit_lib:dlist_next(Tests) of
        [T | Ts] ->
            case parse(T, Options) of
                {data, T1} -> next([T1 | Ts], Options);
                T1 -> {T1, Ts}
            end;
        [] ->
            none
    end.

%% ---------------------------------------------------------------------
%% One test representation: a #test{}, a #group{}, or {data, Tests} to read further.

parse({foreach, S, Fs}, Options) when is_function(S), is_list(Fs) ->
    parse({foreach, S, fun ok/1, Fs}, Options);
parse({foreach, S, C, Fs}, Options) when is_function(S), is_function(C), is_list(Fs) ->
    parse({foreach, ?DEFAULT_SETUP_PROCESS, S, C, Fs}, Options);
parse({foreach, P, S, Fs}, Options) when is_function(S), is_list(Fs) ->
    parse({foreach, P, S, fun ok/1, Fs}, Options);
parse({foreach, P, S, C, Fs} = T, _Options) when is_function(S), is_function(C), is_list(Fs) ->
    check_arity(S, 0, T),
    check_arity(C, 1, T),
    %% each test in a setup of its own
    case Fs of
        [F | More] -> {data, [{setup, P, S, C, F}, {foreach, P, S, C, More}]};
        [] -> {data, []}
    end;
parse({foreachx, S, Ps}, Options) when is_function(S), is_list(Ps) ->
    parse({foreachx, S, fun ok/2, Ps}, Options);
parse({foreachx, S, C, Ps}, Options) when is_function(S), is_function(C), is_list(Ps) ->
    parse({foreachx, ?DEFAULT_SETUP_PROCESS, S, C, Ps}, Options);
parse({foreachx, P, S, Ps}, Options) when is_function(S), is_list(Ps) ->
    parse({foreachx, P, S, fun ok/2, Ps}, Options);
parse({foreachx, P, S1, C1, Ps} = T, _Options) when is_function(S1), is_function(C1), is_list(Ps) ->
    check_arity(S1, 1, T),
    check_arity(C1, 2, T),
    case Ps of
        [{X, F1} | More] when is_function(F1) ->
            check_arity(F1, 2, T),
            {data, [{setup, P, fun () -> S1(X) end, fun (R) -> C1(X, R) end, fun (R) -> F1(X, R) end},
                    {foreachx, P, S1, C1, More}]};
        [_ | _] -> bad_test(T);
        [] -> {data, []}
    end;
parse({generator, F}, Options) when is_function(F) ->
    parse({generator, F, fun_mfa(F)}, Options);
parse({generator, F, {M, N, A}} = T, _Options) when is_function(F), is_atom(M), is_atom(N), is_integer(A) ->
    check_arity(F, 0, T),
    generate(F, {M, N, A}, generator);
parse({generator, M, F}, _Options) when is_atom(M), is_atom(F) ->
    generate({M, F}, {M, F, 0}, generator);
parse({inorder, T}, Options) ->
    group(#group{tests = T, options = Options, order = inorder});
parse({inparallel, T}, Options) ->
    parse({inparallel, 0, T}, Options);
parse({inparallel, N, T}, Options) when is_integer(N), N >= 0 ->
    group(#group{tests = T, options = Options, order = {inparallel, N}});
parse({timeout, N, T}, Options) when is_number(N), N >= 0 ->
    group(#group{tests = T, options = Options, timeout = round(N * 1000)});
parse({spawn, T}, Options) ->
    group(#group{tests = T, options = Options, spawn = local});
parse({spawn, N, T}, Options) when is_atom(N) ->
    %% terl runs the group in a local process
    group(#group{tests = T, options = Options, spawn = local});
parse({setup, S, I}, Options) when is_function(S); is_list(S) ->
    parse({setup, ?DEFAULT_SETUP_PROCESS, S, I}, Options);
parse({setup, S, C, I}, Options) when is_function(S), is_function(C) ->
    parse({setup, ?DEFAULT_SETUP_PROCESS, S, C, I}, Options);
parse({setup, P, S, I}, Options) when is_function(S) ->
    parse({setup, P, S, fun ok/1, I}, Options);
parse({setup, P, L, I} = T, Options) when is_list(L) ->
    {S, C} = multi_setup(L, T),
    parse({setup, P, S, C, I}, Options);
parse({setup, P, S, C, I} = T, Options) when is_function(S), is_function(C), is_function(I) ->
    check_arity(S, 0, T),
    check_arity(C, 1, T),
    case erlang:fun_info(I, arity) of
        {arity, 0} ->
            %% a plain test, not an instantiator (and, as in OTP, in the default process)
            parse({setup, S, C, fun (_) -> I end}, Options);
        _ ->
            check_arity(I, 1, T),
            case P of
                local -> ok;
                spawn -> ok;
                {spawn, N} when is_atom(N) -> ok;
                _ -> bad_test(T)
            end,
            group(#group{tests = I, options = Options,
                         context = #context{setup = S, cleanup = C, process = P}})
    end;
parse({setup, P, S, C, {with, As}}, Options) when is_list(As) ->
    parse({setup, P, S, C, fun (X) -> {with, X, As} end}, Options);
parse({setup, P, S, C, T}, Options) when is_function(S), is_function(C) ->
    parse({setup, P, S, C, fun (_) -> T end}, Options);
parse({node, N, T}, Options) when is_atom(N) ->
    parse({node, N, "", T}, Options);
parse({node, N, _Args, T}, Options) when is_atom(N) ->
    %% terl starts no slave nodes: the fixture's setup fails, and its tests do not run
    parse({setup, fun () -> erlang:error({node_fixture_not_supported, N}) end, T}, Options);
parse({module, M}, Options) when is_atom(M) ->
    {data, {"module '" ++ atom_to_list(M) ++ "'", get_module_tests(M, Options)}};
parse({application, A}, _Options) when is_atom(A) ->
    App = atom_to_list(A) ++ ".app",
    case [F || D <- code:get_path(), F <- [filename:join(D, App)], file_exists(F)] of
        [File | _] -> {data, {file, File}};
        [] -> throw({application_not_found, A})
    end;
parse({application, A, Info} = T, _Options) when is_atom(A) ->
    case proplists:get_value(modules, Info) of
        Ms when is_list(Ms) ->
            case lists:all(fun erlang:is_atom/1, Ms) of
                true -> {data, {"application '" ++ atom_to_list(A) ++ "'", Ms}};
                false -> bad_test(T)
            end;
        _ ->
            bad_test(T)
    end;
parse({file, F} = T, _Options) when is_list(F) ->
    case eunit_lib:is_string(F) of
        true -> {data, {"file \"" ++ F ++ "\"", file_tests(F)}};
        false -> bad_test(T)
    end;
parse({dir, D} = T, _Options) when is_list(D) ->
    case eunit_lib:is_string(D) of
        true -> {data, {"directory \"" ++ D ++ "\"", dir_tests(D)}};
        false -> bad_test(T)
    end;
parse({with, X, As} = T, _Options) when is_list(As) ->
    case As of
        [A | More] ->
            check_arity(A, 1, T),
            {data, [{fun_mfa(A), fun () -> A(X) end}, {with, X, More}]};
        [] ->
            {data, []}
    end;
parse({S, T1} = T, Options) when is_list(S) ->
    case eunit_lib:is_string(S) of
        true -> group(#group{tests = T1, options = Options, desc = unicode:characters_to_binary(S)});
        false -> bad_test(T)
    end;
parse({S, T1}, Options) when is_binary(S) ->
    group(#group{tests = T1, options = Options, desc = S});
parse(T, Options) when is_tuple(T), tuple_size(T) > 2, is_list(element(1, T)) orelse is_binary(element(1, T)) ->
    %% {"description", A, B, ...}: the description of {A, B, ...}
    [S | Es] = tuple_to_list(T),
    parse({S, list_to_tuple(Es)}, Options);
parse(M, Options) when is_atom(M) ->
    parse({module, M}, Options);
parse(T, Options) when is_list(T) ->
    case eunit_lib:is_string(T) of
        true ->
            case file:list_dir(T) of
                {ok, _} -> parse({dir, T}, Options);
                {error, _} -> parse({file, T}, Options)
            end;
        false ->
            bad_test(T)
    end;
parse(T, _Options) ->
    parse_simple(T).

parse_simple({L, F}) when is_integer(L), L >= 0 ->
    (parse_simple(F))#test{line = L};
parse_simple({{M, N, A} = Loc, F}) when is_atom(M), is_atom(N), is_integer(A) ->
    (parse_simple(F))#test{location = Loc};
parse_simple(F) when is_function(F) ->
    check_arity(F, 0, F),
    #test{f = F, location = fun_mfa(F)};
parse_simple({test, M, F}) when is_atom(M), is_atom(F) ->
    #test{f = {M, F}, location = {M, F, 0}};
parse_simple({M, F}) when is_atom(M), is_atom(F) ->
    #test{f = {M, F}, location = {M, F, 0}};
parse_simple(T) ->
    bad_test(T).

check_arity(F, N, _) when is_function(F, N) -> ok;
check_arity(_, _, T) -> bad_test(T).

bad_test(T) ->
    throw({bad_test, T}).

ok(_) -> ok.
ok(_, _) -> ok.

fun_mfa(F) ->
    {module, M} = erlang:fun_info(F, module),
    {name, N} = erlang:fun_info(F, name),
    {arity, A} = erlang:fun_info(F, arity),
    {M, N, A}.

%% Run a generator: what it returns is read as tests, unless it is certainly none.
generate(G, MFA, Where) ->
    case eunit_proc:call_test(G, Where) of
        {ok, T} ->
            case eunit_lib:is_not_test(T) of
                true -> throw({bad_generator, {MFA, T}});
                false -> {data, T}
            end;
        {error, Exception} ->
            throw({generator_failed, {MFA, Exception}});
        {skipped, Reason} ->
            throw(Reason)
    end.

%% {setup, [{Tag, Setup, Cleanup} | ...], I}: the setups in order, their results in a list; the
%% cleanups in reverse order.
multi_setup(L, T) ->
    lists:foreach(fun ({Tag, S, C}) when is_atom(Tag), is_function(S, 0), is_function(C, 1) -> ok;
                      ({Tag, S}) when is_atom(Tag), is_function(S, 0) -> ok;
                      (_) -> bad_test(T)
                  end, L),
    Cleanups = [case E of {_, _, C} -> C; _ -> fun ok/1 end || E <- L],
    {fun () -> [(element(2, E))() || E <- L] end,
     fun (Rs) -> lists:foreach(fun ({C, R}) -> C(R) end, lists:reverse(lists:zip(Cleanups, Rs))) end}.

%% ---------------------------------------------------------------------
%% Groups: a group of one test or one group is joined with it, as far as their properties allow,
%% so {"desc", Test} is a test with a description and not a group of one.

group(#group{context = #context{}} = G) ->
    G;
group(#group{tests = T0, desc = Desc, options = Options, order = Order, context = Context,
             spawn = Spawn, timeout = Timeout} = G) ->
    {T1, Ts} = lookahead(T0, Options),
    {T2, _} = lookahead(Ts, Options),
    Free = fun (X, Y) -> X =:= undefined orelse Y =:= undefined end,
    case T1 of
        #test{desc = Desc1, timeout = Timeout1}
          when T2 =:= none, Spawn =:= undefined, Context =:= undefined ->
            case Free(Desc, Desc1) andalso Free(Timeout, Timeout1) of
                true ->
                    T1#test{desc = join(Desc, Desc1), timeout = join(Timeout, Timeout1)};
                false when Timeout1 =:= undefined, Timeout =/= undefined ->
                    G#group{tests = {timeout, Timeout div 1000, T0}, timeout = undefined};
                false ->
                    G
            end;
        #test{timeout = undefined} when T2 =:= none, Timeout =/= undefined, Context =:= undefined ->
            G#group{tests = {timeout, Timeout div 1000, T0}, timeout = undefined};
        #group{desc = Desc1, order = Order1, context = Context1, spawn = Spawn1, timeout = Timeout1}
          when T2 =:= none ->
            case Free(Desc, Desc1) andalso Free(Order, Order1) andalso Free(Context, Context1)
                andalso Free(Spawn, Spawn1) andalso Free(Timeout, Timeout1) of
                true ->
                    group(T1#group{desc = join(Desc, Desc1), order = join(Order, Order1),
                                   context = join(Context, Context1), spawn = join(Spawn, Spawn1),
                                   timeout = join(Timeout, Timeout1)});
                false ->
                    %% the inner group keeps its own properties; it gets the outer's order and
                    %% timeout where it has none
                    push_order(Order, Order1, push_timeout(Timeout, Timeout1, G))
            end;
        _ ->
            G
    end.

lookahead(T, Options) ->
    case next(T, Options) of
        {T1, Ts} -> {T1, Ts};
        none -> {none, []}
    end.

join(undefined, X) -> X;
join(X, undefined) -> X.

push_timeout(Timeout, undefined, #group{context = undefined} = G) when Timeout =/= undefined ->
    G#group{tests = {timeout, Timeout div 1000, G#group.tests}, timeout = undefined};
push_timeout(_, _, G) ->
    G.

push_order(inorder, undefined, G) ->
    G#group{tests = {inorder, G#group.tests}, order = undefined};
push_order({inparallel, N}, undefined, G) ->
    G#group{tests = {inparallel, N, G#group.tests}, order = undefined};
push_order(_, _, G) ->
    G.

%% ---------------------------------------------------------------------
%% A module's tests: its exported Name_test/0 functions and Name_test_/0 generators, in the
%% order module_info(exports) lists them, then those of the module Name_tests if there is one.

get_module_tests(M) ->
    get_module_tests(M, []).

get_module_tests(M, Options) ->
    Exports = try M:module_info(exports)
              catch error:undef -> throw({module_not_found, M})
              end,
    Tests = [T || {F, 0} <- Exports, T <- [module_test(M, atom_to_list(F), F)], T =/= none],
    Name = atom_to_list(M),
    All = case lists:suffix("_tests", Name) orelse proplists:get_bool(exact_execution, Options) of
              true ->
                  Tests;
              false ->
                  Companion = list_to_atom(Name ++ "_tests"),
                  try get_module_tests(Companion, Options) of
                      More -> Tests ++ [{"module '" ++ Name ++ "_tests'", More}]
                  catch
                      throw:{module_not_found, Companion} -> Tests
                  end
          end,
    case lists:member({?MODULE_WRAPPER, 1}, Exports) of
        true -> {generator, fun () -> M:?MODULE_WRAPPER(All) end};
        false -> All
    end.

module_test(M, Name, F) ->
    case {lists:suffix("_test", Name), lists:suffix("_test_", Name)} of
        {true, _} -> {test, M, F};
        {_, true} -> {generator, M, F};
        _ -> none
    end.

%% {file, F}: a module's source or object file names the module; any other file holds tests as
%% terms (file:consult/1).
file_tests(F) ->
    case filename:extension(F) of
        Ext when Ext =:= ".erl"; Ext =:= ".beam" ->
            list_to_atom(filename:basename(F, Ext));
        _ ->
            case file:consult(F) of
                {ok, Terms} -> Terms;
                {error, R} -> throw({file_read_error, {R, file_error_text(R), F}})
            end
    end.

dir_tests(D) ->
    case file:list_dir(D) of
        {ok, Files} ->
            Names = [filename:basename(F, ".erl") || F <- lists:sort(Files), filename:extension(F) =:= ".erl"],
            %% M_tests is run with M, not on its own
            [list_to_atom(N) || N <- Names,
                                not (lists:suffix("_tests", N)
                                     andalso lists:member(lists:sublist(N, length(N) - 6), Names))];
        {error, R} ->
            throw({file_read_error, {R, file_error_text(R), D}})
    end.

file_exists(F) ->
    element(1, file:read_file_info(F)) =:= ok.

file_error_text(R) ->
    case file:format_error(R) of
        "unknown POSIX error" ++ _ -> atom_to_list(R);
        Text -> Text
    end.

%% ---------------------------------------------------------------------
%% Fixtures: setup, the tests (run by Callback), cleanup. A failure in setup, instantiation or
%% cleanup is thrown as {context_error, Why, {Class, Reason, Trace}}, the trace the fixture's own.

enter_context(#context{setup = S, cleanup = C, process = P}, I, Callback) ->
    Run = case P of
              local -> Callback;
              spawn -> fun (T) -> Callback({spawn, T}) end;
              {spawn, N} -> fun (T) -> Callback({spawn, N, T}) end
          end,
    R = try S()
        catch Class:Reason:Trace -> context_error(setup_failed, Class, Reason, Trace)
        end,
    T = try I(R)
        catch Class1:Reason1:Trace1 -> context_error(instantiation_failed, Class1, Reason1, Trace1)
        end,
    case eunit_lib:is_not_test(T) of
        true ->
            throw({context_error, {bad_instantiator, {fun_mfa(I), T}}, {error, badarg, []}});
        false ->
            ok
    end,
    try
        Run(T)
    after
        try C(R)
        catch Class2:Reason2:Trace2 -> context_error(cleanup_failed, Class2, Reason2, Trace2)
        end
    end.

context_error(Why, Class, Reason, Trace) ->
    throw({context_error, Why, {Class, Reason, eunit_lib:uniq(eunit_lib:user_frames(Trace))}}).
