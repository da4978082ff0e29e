%% proc_lib: processes that know where they came from. A process started here records its
%% ancestors and its initial call in its dictionary, answers its starter through init_ack, and
%% when it dies of anything but normal, shutdown or {shutdown, _} it logs a crash report and exits
%% with the reason (an error or throw becomes an exit, carrying its stack trace).
%%
%% The behaviours (gen_server, gen_statem, gen_event, supervisor) all start through here.
-module(proc_lib).

-export([spawn/1, spawn/2, spawn/3, spawn/4,
         spawn_link/1, spawn_link/2, spawn_link/3, spawn_link/4,
         spawn_opt/2, spawn_opt/3, spawn_opt/4, spawn_opt/5,
         start/3, start/4, start/5, start_link/3, start_link/4, start_link/5,
         start_monitor/3, start_monitor/4, start_monitor/5,
         init_ack/1, init_ack/2, hibernate/3,
         initial_call/1, translate_initial_call/1,
         format/1, format/2, format/3, report_cb/2,
         stop/1, stop/3]).
%% called through spawn and hibernate
-export([init_p/3, init_p/5, wake_up/3]).

%% ---------------------------------------------------------------------------
%% Spawning: the new process runs init_p, which records who started it.

spawn(F) when is_function(F) ->
    erlang:spawn(?MODULE, init_p, [my_name(), ancestors(), F]).

spawn(M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:spawn(?MODULE, init_p, [my_name(), ancestors(), M, F, A]);
spawn(Node, F, _) when is_atom(Node), is_function(F) ->
    erlang:error(badarg).

spawn(Node, F) when is_function(F) ->
    erlang:spawn(Node, ?MODULE, init_p, [my_name(), ancestors(), F]).

spawn(Node, M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:spawn(Node, ?MODULE, init_p, [my_name(), ancestors(), M, F, A]).

spawn_link(F) when is_function(F) ->
    erlang:spawn_link(?MODULE, init_p, [my_name(), ancestors(), F]).

spawn_link(M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:spawn_link(?MODULE, init_p, [my_name(), ancestors(), M, F, A]).

spawn_link(Node, F) when is_function(F) ->
    erlang:spawn_link(Node, ?MODULE, init_p, [my_name(), ancestors(), F]).

spawn_link(Node, M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:spawn_link(Node, ?MODULE, init_p, [my_name(), ancestors(), M, F, A]).

spawn_opt(F, Opts) when is_function(F) ->
    erlang:spawn_opt(?MODULE, init_p, [my_name(), ancestors(), F], Opts).

spawn_opt(Node, F, Opts) when is_function(F) ->
    erlang:spawn_opt(Node, ?MODULE, init_p, [my_name(), ancestors(), F], Opts).

spawn_opt(M, F, A, Opts) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:spawn_opt(?MODULE, init_p, [my_name(), ancestors(), M, F, A], Opts).

spawn_opt(Node, M, F, A, Opts) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:spawn_opt(Node, ?MODULE, init_p, [my_name(), ancestors(), M, F, A], Opts).

hibernate(M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    erlang:hibernate(?MODULE, wake_up, [M, F, A]).

%% The lines of the three calls below are OTP 25's, so stack traces print as erl prints them.
-file("proc_lib.erl", 219).
init_p(Parent, Ancestors, Fun) when is_function(Fun) ->
    put('$ancestors', [Parent | Ancestors]),
    put('$initial_call', erlang:fun_info_mfa(Fun)),
    %% the fun's frame, then this one
    try
        Fun()
    catch
        Class:Reason:Stack -> exit_p(Class, Reason, Stack)
    end.

-file("proc_lib.erl", 232).
init_p(Parent, Ancestors, M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    put('$ancestors', [Parent | Ancestors]),
    put('$initial_call', initial_mfa(M, F, A)),
    init_p_do_apply(M, F, A).

init_p_do_apply(M, F, A) ->
    try
        apply(M, F, A)
    catch
        Class:Reason:Stack -> exit_p(Class, Reason, Stack)
    end.

-file("proc_lib.erl", 247).
wake_up(M, F, A) when is_atom(M), is_atom(F), is_list(A) ->
    try
        apply(M, F, A)
    catch
        Class:Reason:Stack -> exit_p(Class, Reason, Stack)
    end.

-file("proc_lib.erl", 256).
%% Report the crash, then exit with what the crash means for links and monitors.
exit_p(Class, Reason, Stack) ->
    Start = case get('$initial_call') of
                {M, F, Arity} when is_atom(M), is_atom(F), is_integer(Arity) ->
                    {M, F, dummy_args(Arity)};
                _ -> []
            end,
    crash_report(Class, Reason, Start, Stack),
    erlang:raise(exit, exit_reason(Class, Reason, Stack), Stack).

exit_reason(error, Reason, Stack) -> {Reason, Stack};
exit_reason(exit, Reason, _Stack) -> Reason;
exit_reason(throw, Reason, Stack) -> {{nocatch, Reason}, Stack}.

%% ---------------------------------------------------------------------------
%% Synchronous starts: the starter waits for init_ack (or the new process's death, or the timeout).

start(M, F, A) -> start(M, F, A, infinity).

start(M, F, A, Timeout) when is_atom(M), is_atom(F), is_list(A) ->
    wait_ack(erlang:spawn_monitor(?MODULE, init_p, [my_name(), ancestors(), M, F, A]), Timeout).

-file("proc_lib.erl", 302).
start(M, F, A, Timeout, SpawnOpts) when is_atom(M), is_atom(F), is_list(A) ->
    no_monitor_option(SpawnOpts) orelse erlang:error(badarg, [M, F, A, Timeout, SpawnOpts]),
    wait_ack(?MODULE:spawn_opt(M, F, A, [monitor | SpawnOpts]), Timeout).

wait_ack({Pid, Mon}, Timeout) ->
    receive
        {ack, Pid, Return} ->
            erlang:demonitor(Mon, [flush]),
            Return;
        {'DOWN', Mon, process, Pid, Reason} ->
            {error, Reason}
    after Timeout ->
            erlang:demonitor(Mon, [flush]),
            kill(Pid),
            {error, timeout}
    end.

start_link(M, F, A) -> start_link(M, F, A, infinity).

start_link(M, F, A, Timeout) when is_atom(M), is_atom(F), is_list(A) ->
    wait_ack_link(?MODULE:spawn_link(M, F, A), Timeout).

-file("proc_lib.erl", 346).
start_link(M, F, A, Timeout, SpawnOpts) when is_atom(M), is_atom(F), is_list(A) ->
    no_monitor_option(SpawnOpts) orelse erlang:error(badarg, [M, F, A, Timeout, SpawnOpts]),
    wait_ack_link(?MODULE:spawn_opt(M, F, A, [link | SpawnOpts]), Timeout).

%% A starter that traps exits sees the new process's 'EXIT' instead of an ack.
wait_ack_link(Pid, Timeout) ->
    receive
        {ack, Pid, Return} -> Return;
        {'EXIT', Pid, Reason} -> {error, Reason}
    after Timeout ->
            kill(Pid),
            {error, timeout}
    end.

start_monitor(M, F, A) -> start_monitor(M, F, A, infinity).

start_monitor(M, F, A, Timeout) when is_atom(M), is_atom(F), is_list(A) ->
    wait_ack_monitor(erlang:spawn_monitor(?MODULE, init_p, [my_name(), ancestors(), M, F, A]), Timeout).

-file("proc_lib.erl", 393).
start_monitor(M, F, A, Timeout, SpawnOpts) when is_atom(M), is_atom(F), is_list(A) ->
    no_monitor_option(SpawnOpts) orelse erlang:error(badarg, [M, F, A, Timeout, SpawnOpts]),
    wait_ack_monitor(?MODULE:spawn_opt(M, F, A, [monitor | SpawnOpts]), Timeout).

%% The monitor stays: the caller gets its 'DOWN' too (put back if it came instead of an ack).
wait_ack_monitor({Pid, Mon}, Timeout) ->
    receive
        {ack, Pid, Return} -> {Return, Mon};
        {'DOWN', Mon, process, Pid, Reason} = Down ->
            self() ! Down,
            {{error, Reason}, Mon}
    after Timeout ->
            kill(Pid),
            {{error, timeout}, Mon}
    end.

%% the monitor is proc_lib's to set (the starts with options raise badarg at OTP's lines)
no_monitor_option(Opts) ->
    not (lists:member(monitor, Opts) orelse lists:keymember(monitor, 1, Opts)).

kill(Pid) ->
    unlink(Pid),
    exit(Pid, kill),
    receive {'EXIT', Pid, _} -> ok after 0 -> ok end.

init_ack(Parent, Return) ->
    Parent ! {ack, self(), Return},
    ok.

init_ack(Return) ->
    [Parent | _] = get('$ancestors'),
    init_ack(Parent, Return).

%% ---------------------------------------------------------------------------
%% Initial calls

initial_call(Process) ->
    case recorded_initial_call(Process) of
        {M, F, Arity} -> {M, F, dummy_args(Arity)};
        false -> false
    end.

translate_initial_call(Process) ->
    case recorded_initial_call(Process) of
        {_, _, _} = MFA -> MFA;
        false -> {?MODULE, init_p, 5}
    end.

recorded_initial_call({X, Y, Z}) when is_integer(X), is_integer(Y), is_integer(Z) ->
    recorded_initial_call(c:pid(X, Y, Z));
recorded_initial_call(Pid) when is_pid(Pid) ->
    case info(Pid, dictionary) of
        {dictionary, Dict} -> dict_initial_call(Dict);
        _ -> false
    end;
recorded_initial_call(ProcessInfo) when is_list(ProcessInfo) ->
    case lists:keyfind(dictionary, 1, ProcessInfo) of
        {dictionary, Dict} -> dict_initial_call(Dict);
        false -> false
    end.

dict_initial_call(Dict) ->
    case lists:keyfind('$initial_call', 1, Dict) of
        {_, {_, _, _} = MFA} -> MFA;
        _ -> false
    end.

%% What a behaviour's process is said to run: its callback module's init/1 (a supervisor's, its
%% module's), not gen's machinery.
initial_mfa(gen, init_it, [gen_server, _, _, supervisor, {_, Mod, _}, _]) -> {supervisor, Mod, 1};
initial_mfa(gen, init_it, [gen_server, _, _, _, supervisor, {_, Mod, _}, _]) -> {supervisor, Mod, 1};
initial_mfa(gen, init_it, [gen_server, _, _, supervisor_bridge, [Mod | _], _]) -> {supervisor_bridge, Mod, 1};
initial_mfa(gen, init_it, [gen_server, _, _, _, supervisor_bridge, [Mod | _], _]) -> {supervisor_bridge, Mod, 1};
initial_mfa(gen, init_it, [gen_event | _]) -> {gen_event, init_it, 6};
initial_mfa(gen, init_it, [_Gen, _, _, Mod, _, _]) when is_atom(Mod) -> {Mod, init, 1};
initial_mfa(gen, init_it, [_Gen, _, _, _, Mod | _]) when is_atom(Mod) -> {Mod, init, 1};
initial_mfa(M, F, A) -> {M, F, length(A)}.

dummy_args(N) ->
    [list_to_atom("Argument__" ++ integer_to_list(I)) || I <- lists:seq(1, N)].

%% ---------------------------------------------------------------------------
%% The crash report

crash_report(exit, normal, _, _) -> ok;
crash_report(exit, shutdown, _, _) -> ok;
crash_report(exit, {shutdown, _}, _, _) -> ok;
crash_report(Class, Reason, Start, Stack) ->
    case logger:allow(error, ?MODULE) of
        true ->
            logger:macro_log(#{mfa => {?MODULE, crash_report, 4}, file => "proc_lib.erl"}, error,
                             #{label => {proc_lib, crash},
                               report => [own_info(Class, Reason, Start, Stack), neighbours_info(self())]},
                             #{domain => [otp, sasl],
                               report_cb => fun proc_lib:report_cb/2,
                               logger_formatter => #{title => "CRASH REPORT"},
                               error_logger => #{tag => error_report, type => crash_report}});
        false -> ok
    end.

own_info(Class, Reason, [], Stack) ->
    crasher_info(Class, Reason, Stack);
own_info(Class, Reason, Start, Stack) ->
    [{initial_call, Start} | crasher_info(Class, Reason, Stack)].

crasher_info(Class, Reason, Stack) ->
    Self = self(),
    [{pid, Self},
     info(Self, registered_name),
     {error_info, {Class, Reason, Stack}},
     ancestors_of(Self),
     info(Self, message_queue_len),
     info(Self, messages),
     info(Self, links),
     {dictionary, [KV || {K, _} = KV <- element(2, info(Self, dictionary)),
                         K =/= '$ancestors', K =/= '$initial_call']},
     info(Self, trap_exit),
     info(Self, status),
     info(Self, heap_size),
     info(Self, stack_size),
     info(Self, reductions)].

%% The processes linked to the crasher that do not trap exits (they die with it), and theirs, up to 15.
neighbours_info(Pid) ->
    [{neighbour, Report} || P <- neighbours(Pid),
                            Report <- [neighbour_report(P)],
                            not lists:member(undefined, Report)].

neighbour_report(Pid) ->
    [{pid, Pid},
     info(Pid, registered_name),
     case recorded_initial_call(Pid) of
         {M, F, Arity} -> {initial_call, {M, F, dummy_args(Arity)}};
         false -> info(Pid, initial_call)
     end,
     info(Pid, current_function),
     ancestors_of(Pid),
     info(Pid, message_queue_len),
     info(Pid, links),
     info(Pid, trap_exit),
     info(Pid, status),
     info(Pid, heap_size),
     info(Pid, stack_size),
     info(Pid, reductions),
     info(Pid, current_stacktrace)].

neighbours(Pid) ->
    {_, Visited} = visit(not_trapping(links_of(Pid)), {15, [Pid]}),
    lists:delete(Pid, Visited).

%% breadth first, at most N processes
visit([P | Ps], {N, Seen}) when N > 0 ->
    case lists:member(P, Seen) of
        true -> visit(Ps, {N, Seen});
        false -> visit(not_trapping(links_of(P)), visit(Ps, {N - 1, [P | Seen]}))
    end;
visit(_, Acc) ->
    Acc.

links_of(Pid) ->
    case catch info(Pid, links) of
        {links, Links} -> [L || L <- Links, is_pid(L)];
        _ -> []
    end.

not_trapping(Pids) ->
    [P || P <- Pids, (catch info(P, trap_exit)) =:= {trap_exit, false}].

ancestors_of(Pid) ->
    case info(Pid, dictionary) of
        {dictionary, Dict} ->
            case lists:keyfind('$ancestors', 1, Dict) of
                {_, Ancestors} -> {ancestors, Ancestors};
                false -> {ancestors, []}
            end;
        _ -> {ancestors, []}
    end.

%% process_info for an item, on this node or another; undefined when the process is gone
info(Pid, Item) when node(Pid) =:= node() ->
    case process_info(Pid, Item) of
        undefined -> undefined;
        [] when Item =:= registered_name -> {registered_name, []};
        Answer -> Answer
    end;
info(Pid, Item) ->
    case lists:member(node(Pid), nodes()) of
        true ->
            case rpc:call(node(Pid), erlang, process_info, [Pid, Item]) of
                {badrpc, nodedown} -> undefined;
                {badrpc, Error} -> Error;
                Answer -> Answer
            end;
        false -> hidden
    end.

my_name() ->
    case process_info(self(), registered_name) of
        {registered_name, Name} -> Name;
        _ -> self()
    end.

ancestors() ->
    case get('$ancestors') of
        A when is_list(A) -> A;
        _ -> []
    end.

%% ---------------------------------------------------------------------------
%% The crash report's text (logger's report_cb, and format/1,2,3 for error_logger handlers)

report_cb(#{label := {proc_lib, crash}, report := Report}, Opts) ->
    format_report(Report, maps:merge(#{chars_limit => unlimited, depth => unlimited,
                                       single_line => false, encoding => utf8}, Opts)).

format(Report) -> format(Report, latin1).

format(Report, Encoding) -> format(Report, Encoding, unlimited).

format(Report, Encoding, Depth) ->
    format_report(Report, #{chars_limit => unlimited, depth => Depth,
                            encoding => Encoding, single_line => false}).

format_report([Own, Neighbours], #{single_line := true} = Opts) ->
    P = p(Opts),
    Parts = [one_line(Item, P, Opts) || Item <- Own],
    Pids = [Pid || {neighbour, [{pid, Pid} | _]} <- Neighbours],
    ["crasher: ", lists:join(", ", Parts), "; neighbours: ",
     io_lib:format("~0" ++ P, [Pids | depth_arg(Opts)])];
format_report([Own, Neighbours], Opts) ->
    ["  crasher:\n",
     lists:join("\n", [item(Item, "    ", Opts) || Item <- Own]),
     "\n  neighbours:\n",
     lists:join("\n", [["    neighbour:\n",
                        lists:join("\n", [item(Item, "      ", Opts) || Item <- Report])]
                       || {neighbour, Report} <- Neighbours])].

item({initial_call, {M, F, Args}}, Indent, Opts) when is_list(Args) ->
    [Indent, "initial call: ", atom_text(M, Opts), $:, atom_text(F, Opts), $/,
     integer_to_list(length(Args))];
item({error_info, {Class, Reason, Stack}}, Indent, Opts) ->
    %% erl_eval's and proc_lib's own frames at the bottom are left out
    Trim = fun(M, _F, _A) -> (M =:= erl_eval) or (M =:= ?MODULE) end,
    [Indent, erl_error:format_exception(length(Indent) + 1, Class, Reason, Stack, Trim,
                                        fun(T, _I) -> T end, encoding(Opts), -1)];
item({Tag, Data}, Indent, Opts) ->
    P = p(Opts),
    io_lib:format("~s~" ++ P ++ ": ~.18" ++ P, [Indent, Tag | depth_arg(Opts)] ++ [Data | depth_arg(Opts)]);
item(Other, Indent, Opts) ->
    io_lib:format("~s~" ++ p(Opts), [Indent, Other | depth_arg(Opts)]).

one_line({initial_call, {M, F, Args}}, _P, Opts) when is_list(Args) ->
    ["initial call: ", atom_text(M, Opts), $:, atom_text(F, Opts), $/, integer_to_list(length(Args))];
one_line({error_info, {Class, Reason, Stack}}, P, Opts) ->
    [atom_to_list(Class), ": ", io_lib:format("~0" ++ P, [{Reason, Stack} | depth_arg(Opts)])];
one_line({Tag, Data}, P, Opts) ->
    io_lib:format("~0" ++ P ++ ": ~0" ++ P, [Tag | depth_arg(Opts)] ++ [Data | depth_arg(Opts)]).

atom_text(A, #{encoding := latin1}) -> io_lib:write_atom_as_latin1(A);
atom_text(A, _) -> io_lib:write_atom(A).

encoding(#{encoding := latin1}) -> latin1;
encoding(_) -> unicode.

p(#{encoding := latin1, depth := unlimited}) -> "p";
p(#{encoding := latin1}) -> "P";
p(#{depth := unlimited}) -> "tp";
p(_) -> "tP".

depth_arg(#{depth := unlimited}) -> [];
depth_arg(#{depth := Depth}) -> [Depth].

%% ---------------------------------------------------------------------------
%% stop: ask a process running sys's protocol to terminate, and wait for it to go

stop(Process) -> stop(Process, normal, infinity).

stop(Process, Reason, Timeout) ->
    Mon = erlang:monitor(process, Process),
    T0 = erlang:monotonic_time(millisecond),
    Left = try sys:terminate(Process, Reason, Timeout) of
               ok when Timeout =:= infinity -> infinity;
               ok -> max(0, Timeout - (erlang:monotonic_time(millisecond) - T0))
           catch
               exit:{noproc, {sys, terminate, _}} -> gone(Mon, noproc);
               exit:{timeout, {sys, terminate, _}} -> gone(Mon, timeout);
               exit:Why -> gone(Mon, Why)
           end,
    receive
        {'DOWN', Mon, _, _, Reason} -> ok;
        {'DOWN', Mon, _, _, Other} -> exit(Other)
    after Left ->
            gone(Mon, timeout)
    end.

gone(Mon, Why) ->
    erlang:demonitor(Mon, [flush]),
    exit(Why).
