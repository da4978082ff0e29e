%% The shell's utility commands (OTP's module c), printed as erl prints them. The shell reaches them
%% through shell_default. At the prompt, compiling and loading (c/1,2, l/1, nl/1, lc/1, nc/1,2) are
%% the shell's own (runtime/lib/stdlib/shell/commands.ts); c:c/1,2,3 called from a program compile
%% with compile:file/2 and load what it answers.
-module(c).

-export([c/1, c/2, c/3, help/0, i/0, i/1, ni/0, i/3, pid/3, m/0, m/1, mm/0, lm/0, bt/1, q/0,
         h/1, h/2, h/3, ht/1, ht/2, ht/3, hcb/1, hcb/2, hcb/3,
         flush/0, regs/0, nregs/0, uptime/0, pwd/0, ls/0, ls/1, cd/1,
         memory/0, memory/1, xm/1, y/1, y/2, display_info/1, appcall/4]).

help() ->
    io:put_chars(<<"bt(Pid)    -- stack backtrace for a process\n"
                   "c(Mod)     -- compile and load module or file <Mod>\n"
                   "cd(Dir)    -- change working directory\n"
                   "flush()    -- flush any messages sent to the shell\n"
                   "help()     -- help info\n"
                   "h(M)       -- module documentation\n"
                   "h(M,F)     -- module function documentation\n"
                   "h(M,F,A)   -- module function arity documentation\n"
                   "i()        -- information about the system\n"
                   "ni()       -- information about the networked system\n"
                   "i(X,Y,Z)   -- information about pid <X,Y,Z>\n"
                   "l(Module)  -- load or reload module\n"
                   "lm()       -- load all modified modules\n"
                   "lc([File]) -- compile a list of Erlang modules\n"
                   "ls()       -- list files in the current directory\n"
                   "ls(Dir)    -- list files in directory <Dir>\n"
                   "m()        -- which modules are loaded\n"
                   "m(Mod)     -- information about module <Mod>\n"
                   "mm()       -- list all modified modules\n"
                   "memory()   -- memory allocation information\n"
                   "memory(T)  -- memory allocation information of type <T>\n"
                   "nc(File)   -- compile and load code in <File> on all nodes\n"
                   "nl(Module) -- load module on all nodes\n"
                   "pid(X,Y,Z) -- convert X,Y,Z to a Pid\n"
                   "pwd()      -- print working directory\n"
                   "q()        -- quit - shorthand for init:stop()\n"
                   "regs()     -- information about registered processes\n"
                   "nregs()    -- information about all registered processes\n"
                   "uptime()   -- print node uptime\n"
                   "xm(M)      -- cross reference check a module\n"
                   "y(File)    -- generate a Yecc parser\n">>).

%% ---------- compiling ----------

c(Module) -> c(Module, []).

c(Module, Options) -> c(Module, Options, fun(_) -> true end).

%% Compile Module.erl (here, or found on the code path as a call would find it) with erlc's
%% messages, and load it. terl's object code is the source: compile's `binary` is its text.
c(Module, Options, Filter) when is_function(Filter, 1) ->
    File = source_file(Module),
    case filelib:is_regular(File) of
        false ->
            {error, non_existing};
        true ->
            Opts = lists:filter(Filter, if is_list(Options) -> Options; true -> [Options] end),
            case compile:file(File, [binary, report_errors, report_warnings | Opts]) of
                {ok, Mod, Bin} -> load_compiled(Mod, File, Bin);
                {ok, Mod, Bin, _Warnings} -> load_compiled(Mod, File, Bin);
                _ -> error
            end
    end.

source_file(Module) ->
    Name = if is_atom(Module) -> atom_to_list(Module); true -> Module end,
    File = case filename:extension(Name) of ".erl" -> Name; _ -> Name ++ ".erl" end,
    case filelib:is_regular(File) orelse lists:member($/, File) of
        true ->
            File;
        false ->
            case code:which(list_to_atom(filename:basename(File, ".erl"))) of
                Found when is_list(Found) -> Found;
                _ -> File
            end
    end.

load_compiled(Mod, File, Bin) ->
    code:purge(Mod),
    case code:load_binary(Mod, filename:absname(File), Bin) of
        {module, Mod} -> {ok, Mod};
        _ -> error
    end.

%% ---------- processes ----------

i() -> i(processes()).

ni() -> i(every_process()).

%% A table of the processes, two lines each, with the totals under it; paged as erl pages it.
i(Pids) ->
    row("Pid", "Initial Call", "Heap", "Reds", "Msgs"),
    row("Registered", "Current Function", "Stack", "", ""),
    Show = fun(Pid, {Reds, Msgs, Heap, Stack}) ->
                   {R, M, H, S} = display_info(Pid),
                   {2, {Reds + R, Msgs + M, Heap + H, Stack + S}}
           end,
    case paged(Show, {0, 0, 0, 0}, Pids) of
        less ->
            ok;
        {Reds, Msgs, Heap, Stack} ->
            row("Total", "", w(Heap), w(Reds), w(Msgs)),
            row("", "", w(Stack), "", "")
    end.

%% Two lines about one process; its reductions, queue length, heap and stack for the totals.
display_info(Pid) ->
    case info(Pid) of
        undefined ->
            {0, 0, 0, 0};
        Info ->
            Reds = get(reductions, Info),
            Msgs = get(message_queue_len, Info),
            Heap = get(heap_size, Info),
            Stack = get(stack_size, Info),
            Name = case get(registered_name, Info) of
                       0 -> "";
                       N -> io_lib:format("~tw", [N])
                   end,
            row(w(Pid), mfa(initial_call(Info)), w(Heap), w(Reds), w(Msgs)),
            row(Name, mfa(current(get(current_function, Info))), w(Stack), "", ""),
            {Reds, Msgs, Heap, Stack}
    end.

%% a process proc_lib started shows the call it was started with, as its dictionary records it
initial_call(Info) ->
    case get(initial_call, Info) of
        {proc_lib, init_p, _} ->
            Dict = get(dictionary, Info),
            case is_list(Dict) andalso lists:keyfind('$initial_call', 1, Dict) of
                {_, {_, _, _} = MFA} -> MFA;
                _ -> {proc_lib, init_p, 5}
            end;
        Call ->
            Call
    end.

current({M, F, Args}) when is_list(Args) -> {M, F, length(Args)};
current(MFA) -> MFA.

row(A, B, C, D, E) ->
    io:format("~-21ts ~-33ts ~8s ~8s ~4s~n", [A, B, C, D, E]).

%% Print items a page at a time: after a screenful (100 lines when not a terminal) ask for more.
paged(Show, Acc, Items) ->
    Page = case io:rows() of
               {ok, Rows} -> Rows - 2;
               _ -> 100
           end,
    paged(Show, Acc, Items, 0, Page).

paged(Show, Acc, Items, Lines, Page) when Lines >= Page ->
    case more() of
        more -> paged(Show, Acc, Items, 0, Page);
        less -> less
    end;
paged(Show, Acc, [Item | Items], Lines, Page) ->
    {N, Acc1} = Show(Item, Acc),
    paged(Show, Acc1, Items, Lines + N, Page);
paged(_, Acc, [], _, _) ->
    Acc.

more() ->
    case answer(io:get_line('more (y/n)? (y) ')) of
        "y\n" -> more;
        "c\n" -> more;
        "\n" -> more;
        "n\n" -> less;
        "q\n" -> less;
        eof -> less;
        {error, _} -> less;
        _ -> more()
    end.

answer(Line) when is_binary(Line) -> unicode:characters_to_list(Line);
answer(Line) -> Line.

every_process() ->
    case is_alive() of
        true -> lists:flatmap(fun(N) -> rpc:call(N, erlang, processes, []) end, [node() | nodes()]);
        false -> processes()
    end.

info(Pid) ->
    case is_alive() of
        true -> rpc:call(node(Pid), erlang, process_info, [Pid]);
        false -> process_info(Pid)
    end.

get(Key, Info) ->
    case lists:keyfind(Key, 1, Info) of
        {_, V} -> V;
        false -> 0
    end.

mfa({M, F, A}) -> io_lib:format("~w:~tw/~w", [M, F, A]);
mfa(Other) -> w(Other).

w(X) -> io_lib:write(X).

pid(X, Y, Z) ->
    list_to_pid("<" ++ integer_to_list(X) ++ "." ++ integer_to_list(Y) ++ "." ++ integer_to_list(Z) ++ ">").

i(X, Y, Z) -> info(pid(X, Y, Z)).

bt(Pid) ->
    case catch erlang:process_display(Pid, backtrace) of
        {'EXIT', _} -> undefined;
        _ -> ok
    end.

q() -> init:stop().

%% ---------- registered names ----------

regs() -> node_regs({node(), registered()}).

nregs() ->
    Nodes = case is_alive() of
                true -> [{N, rpc:call(N, erlang, registered, [])} || N <- [node() | nodes()]];
                false -> [{node(), registered()}]
            end,
    lists:foreach(fun node_regs/1, Nodes).

node_regs({Node, Names}) when is_list(Names) ->
    Procs = [{Name, info(Pid), Pid} || Name <- lists:sort(Names), Pid <- [whereis_on(Node, Name)], is_pid(Pid)],
    io:format("~n** Registered procs on node ~w **~n", [Node]),
    reg_row("Name", "Pid", "Initial Call", "Reds", "Msgs"),
    lists:foreach(fun({Name, Info, Pid}) ->
                          reg_row(io_lib:format("~tw", [Name]), w(Pid), mfa(get(initial_call, Info)),
                                  integer_to_list(get(reductions, Info)),
                                  integer_to_list(get(message_queue_len, Info)))
                  end, Procs),
    io:format("~n** Registered ports on node ~w **~n", [Node]),
    io:format("~-21ts ~-15s ~-40ts~n", ["Name", "Id", "Command"]);
node_regs(_) ->
    ok.

whereis_on(Node, Name) ->
    case is_alive() of
        true -> rpc:call(Node, erlang, whereis, [Name]);
        false -> whereis(Name)
    end.

reg_row(Name, Pid, Call, Reds, Msgs) ->
    io:format("~-21ts ~-12s ~-25ts ~12s ~4s~n", [Name, Pid, Call, Reds, Msgs]).

%% ---------- modules ----------

m() ->
    io:format("~-20s  ~ts\n", ["Module", "File"]),
    lists:foreach(fun({M, File}) -> io:format("~-20s  ~ts\n", [M, File]) end,
                  lists:sort(code:all_loaded())).

m(M) ->
    Info = M:module_info(),
    {exports, Exports} = lists:keyfind(exports, 1, Info),
    io:format("Module: ~w~n", [M]),
    case lists:keyfind(md5, 1, Info) of
        {md5, <<Md5:128>>} -> io:format("MD5: ~.16b~n", [Md5]);
        _ -> ok
    end,
    case code:is_loaded(M) of
        {file, File} -> io:format("Object file: ~ts\n", [File]);
        _ -> ok
    end,
    Options = case lists:keyfind(compile, 1, Info) of
                  {compile, C} ->
                      case lists:keyfind(options, 1, C) of
                          {options, O} -> O;
                          false -> []
                      end;
                  false -> []
              end,
    io:format("Compiler options:  ~p~n", [Options]),
    io:format("Exports: ~n", []),
    exports(lists:keysort(1, Exports)).

%% More than 16 functions go in two columns, the first half on the left.
exports(Fs) when length(Fs) > 16 ->
    Half = length(Fs) div 2,
    {Left, Right} = lists:split(Half, Fs),
    two_columns(Left, Right);
exports(Fs) ->
    lists:foreach(fun({F, A}) -> io:format("         ~tw/~w~n", [F, A]) end, Fs).

two_columns([{F1, A1} | Left], [{F2, A2} | Right]) ->
    io:format("~-30ts~tw/~w~n", [lists:flatten(io_lib:format("~tw/~w", [F1, A1])), F2, A2]),
    two_columns(Left, Right);
two_columns([], [{F, A} | Right]) ->
    io:format("~-30ts~tw/~w~n", [" ", F, A]),
    two_columns([], Right);
two_columns([], []) ->
    ok.

mm() -> code:modified_modules().

lm() -> [l(M) || M <- mm()].

l(M) ->
    code:purge(M),
    code:load_file(M).

%% ---------- documentation ----------

%% terl's modules carry no documentation: code:get_doc/1 says which error, as erl says it for a
%% module without docs.
h(M) -> docs(M).
h(M, _F) -> docs(M).
h(M, _F, _A) -> docs(M).
ht(M) -> docs(M).
ht(M, _T) -> docs(M).
ht(M, _T, _A) -> docs(M).
hcb(M) -> docs(M).
hcb(M, _CB) -> docs(M).
hcb(M, _CB, _A) -> docs(M).

docs(M) ->
    case code:get_doc(M) of
        {ok, _} -> {error, missing};
        Error -> Error
    end.

%% ---------- messages ----------

flush() ->
    receive
        X ->
            case lists:keyfind(encoding, 1, io:getopts()) of
                {encoding, unicode} -> io:format("Shell got ~tp~n", [X]);
                _ -> io:format("Shell got ~p~n", [X])
            end,
            flush()
    after 0 ->
            ok
    end.

%% ---------- files ----------

pwd() ->
    case file:get_cwd() of
        {ok, Dir} -> ok = io:format("~ts\n", [Dir]);
        {error, _} -> ok = io:format("Cannot determine current directory\n")
    end.

cd(Dir) ->
    _ = file:set_cwd(Dir),
    pwd().

ls() -> ls(".").

ls(Dir) ->
    case file:list_dir(Dir) of
        {ok, Names} ->
            columns(lists:sort(Names));
        {error, enotdir} ->
            columns([if is_list(Dir) -> lists:flatten(Dir); true -> Dir end]);
        {error, Why} ->
            io:format("~ts\n", [file:format_error(Why)])
    end.

%% Names in columns as wide as the longest (at most 40) and 5 more, as many as fit in 80.
columns([]) ->
    ok;
columns(Names) ->
    Width = min(lists:max([length(name(N)) || N <- Names]), 40) + 5,
    columns(Names, Width, 0).

columns(Names, Width, Used) when Width + Used >= 80 ->
    io:nl(),
    columns(Names, Width, 0);
columns([Name | Names], Width, Used) ->
    io:format("~-*ts", [Width, name(Name)]),
    columns(Names, Width, Used + Width);
columns([], _, _) ->
    io:nl().

name(N) when is_atom(N) -> atom_to_list(N);
name(N) -> N.

%% ---------- memory, uptime ----------

memory() -> erlang:memory().

memory(Type) -> erlang:memory(Type).

uptime() ->
    {Ms, _} = erlang:statistics(wall_clock),
    {D, {H, M, S}} = calendar:seconds_to_daystime(Ms div 1000),
    io:format("~s~n", [lists:flatten([[io_lib:format("~p days, ", [D]) || D > 0],
                                       [io_lib:format("~p hours, ", [H]) || D + H > 0],
                                       [io_lib:format("~p minutes and ", [M]) || D + H + M > 0],
                                       io_lib:format("~p seconds", [S])])]).

%% ---------- other applications ----------

%% xref (tools) and yecc (parsetools) are not part of terl: the shell says so as erl does when
%% their application is not installed.
xm(M) -> appcall(tools, xref, m, [M]).

y(File) -> y(File, []).

y(File, Opts) -> appcall(parsetools, yecc, file, [File, Opts]).

appcall(App, M, F, Args) ->
    try
        apply(M, F, Args)
    catch
        error:undef:Stack ->
            case Stack of
                [{M, F, Args, _} | _] ->
                    io:format("Call to ~w:~w/~w in application ~w failed.\n", [M, F, length(Args), App]);
                _ ->
                    erlang:raise(error, undef, Stack)
            end
    end.
