%% eunit_proc: running tests. Groups and tests run in order in the process of their group; a
%% spawn, an inparallel group's item or a setup's tests run in a task of their own: a child
%% process, watched by an insulator process that passes its progress on to the listener
%% ({status, Id, Info}), times it out, and reports it if it dies. Each test's output is caught by a
%% group leader of its own, and shown only if the test fails.

-module(eunit_proc).

-include("eunit_internal.hrl").

-export([start/4, get_output/0, under_eunit/0, call_test/2]).

%% id: this item's place in the tree; super: the listener; insulator: the task's insulator;
%% parent: who waits for the task; where: how OTP's runner would have called a test here
-record(st, {ref, id = [], super, insulator, parent, order = inorder, options = [], where = inorder}).

%% Run Tests (in a task of their own) for the listener Super; {done, Ref, Pid} when finished.
start(Tests, Super, Ref, Options) ->
    St = #st{ref = Ref, super = Super, options = Options},
    spawn_group(#group{tests = Tests}, St).

%% What the running test has printed so far (?capturedOutput).
get_output() ->
    group_leader() ! {get_output, self()},
    receive
        {output, Output} -> Output
    after 100 ->
        throw({eunit_abort, get_output})
    end.

%% Is this process's group leader the one eunit gave a test (?UNDER_EUNIT)?
under_eunit() ->
    case process_info(group_leader(), dictionary) of
        {dictionary, D} -> lists:keymember('$eunit_output', 1, D);
        _ -> false
    end.

%% ---------------------------------------------------------------------
%% Tasks: an insulator and the child it watches

start_task(Fun, St0) ->
    St = St0#st{parent = self()},
    spawn_link(fun () -> insulator(Fun, St) end).

insulator(Fun, St0) ->
    process_flag(trap_exit, true),
    St = St0#st{insulator = self()},
    Child = spawn_link(fun () -> child(Fun(St), St) end),
    insulator_wait(Child, St).

%% Buf: what the child has written since the last item began (a test's output, handed on after it)
insulator_wait(Child, St) ->
    insulator_wait(Child, [], St).

insulator_wait(Child, Buf, #st{parent = Parent} = St) ->
    receive
        {child, Child, Id, {'begin', Type, Data}} ->
            status(Id, {progress, 'begin', {Type, Data}}, St),
            insulator_wait(Child, [], St);
        {child, Child, Id, {'end', Status, Time}} ->
            Output = lists:flatten(lists:reverse(Buf)),
            status(Id, {progress, 'end', {Status, [{time, Time}, {output, Output}]}}, St),
            insulator_wait(Child, [], St);
        {child, Child, Id, {'end', Status, Time, Output}} ->
            status(Id, {progress, 'end', {Status, [{time, Time}, {output, Output}]}}, St),
            insulator_wait(Child, Buf, St);
        {child, Child, Id, {skipped, Reason}} ->
            %% a group whose fixture failed
            status(Id, {cancel, {abort, Reason}}, St),
            insulator_wait(Child, Buf, St);
        {child, Child, Id, {abort, Cause}} ->
            cancel(Id, {abort, Cause}, St),
            finish(St);
        {io_request, Child, ReplyAs, Req} ->
            {Reply, Buf1} = io_request(Req, Buf),
            Child ! {io_reply, ReplyAs, Reply},
            insulator_wait(Child, Buf1, St);
        {io_request, From, ReplyAs, Req} ->
            %% output of the task's other processes outside a test is not shown
            From ! {io_reply, ReplyAs, element(1, io_request(Req, []))},
            insulator_wait(Child, Buf, St);
        {timeout, Child, Id} ->
            cancel(Id, timeout, St),
            exit(Child, kill),
            finish(St);
        {'EXIT', Child, normal} ->
            finish(St);
        {'EXIT', Child, Reason} ->
            cancel(St#st.id, {exit, Reason}, St),
            finish(St);
        {'EXIT', Parent, _} ->
            exit(Child, kill),
            finish(St)
    end.

status(Id, Info, St) ->
    St#st.super ! {status, Id, Info}.

%% Item Id is cancelled; if it is not the task itself, the task is too, because of it.
cancel(Id, Cause, St) ->
    status(Id, {cancel, Cause}, St),
    case St#st.id of
        Id -> ok;
        TaskId -> status(TaskId, {cancel, {blame, Id}}, St)
    end.

finish(#st{parent = Parent, ref = Ref}) ->
    Parent ! {done, Ref, self()},
    unlink(Parent),
    exit(normal).

child(Fun, St) ->
    group_leader(St#st.insulator, self()),
    try
        Fun()
    catch
        %% a test description that cannot be read ends the task
        throw:{eunit_abort, Cause} ->
            to_insulator({abort, Cause}, St),
            exit(aborted)
    end.

to_insulator(Event, St) ->
    St#st.insulator ! {child, self(), St#st.id, Event}.

wait_for_tasks([], _St) ->
    ok;
wait_for_tasks(Pids, #st{ref = Ref} = St) ->
    receive
        {done, Ref, Pid} -> wait_for_tasks(lists:delete(Pid, Pids), St)
    end.

%% ---------------------------------------------------------------------
%% Groups

spawn_group(G, St) ->
    start_task(fun (St1) -> fun () -> run_group(G, St1) end end, St).

run_group(#group{desc = Desc, spawn = Spawn, order = Order, timeout = Timeout} = G, St) ->
    to_insulator({'begin', group, [{desc, Desc}, {spawn, Spawn}, {order, Order}]}, St),
    Enter = fun (Tests) -> with_timeout(Timeout, ?DEFAULT_GROUP_TIMEOUT, fun () -> tests(Tests, St) end, St) end,
    try with_context(G, Enter) of
        {Count, Time} -> to_insulator({'end', Count, Time, []}, St)
    catch
        throw:{context_error, Why, Exception} -> to_insulator({skipped, {Why, Exception}}, St)
    end,
    ok.

with_context(#group{context = undefined, tests = T}, Enter) ->
    Enter(T);
with_context(#group{context = C, tests = I}, Enter) ->
    eunit_data:enter_context(C, I, Enter).

%% The group's tests, in order or in parallel; the number of items.
tests(T, St) ->
    I = eunit_data:iter_init(T, St#st.id, St#st.options),
    case St#st.order of
        {inparallel, N} -> tests_inparallel(I, N, St);
        _ -> tests_inorder(I, 0, St)
    end.

tests_inorder(I, N, St) ->
    case next_item(I) of
        {T, I1} ->
            handle_item(T, St#st{id = eunit_data:iter_id(I1), where = inorder}),
            tests_inorder(I1, N + 1, St);
        none ->
            N
    end.

%% Each item in a task of its own, at most Max at a time (0: no limit).
tests_inparallel(I, Max, St) ->
    tests_inparallel(I, 0, Max, [], St).

tests_inparallel(I, N, Max, Tasks, St) when Max > 0, length(Tasks) >= Max ->
    wait_for_tasks(Tasks, St),
    tests_inparallel(I, N, Max, [], St);
tests_inparallel(I, N, Max, Tasks, St) ->
    case next_item(I) of
        {T, I1} ->
            St1 = St#st{id = eunit_data:iter_id(I1), where = inparallel},
            Task = start_task(fun (St2) -> fun () -> handle_item(T, St2) end end, St1),
            tests_inparallel(I1, N + 1, Max, [Task | Tasks], St);
        none ->
            wait_for_tasks(Tasks, St),
            N
    end.

next_item(I) ->
    try eunit_data:iter_next(I)
    catch throw:Term -> throw({eunit_abort, Term})
    end.

handle_item(#test{} = T, St) ->
    handle_test(T, St);
handle_item(#group{order = Order, spawn = Spawn} = G, St0) ->
    St = case Order of
             undefined -> St0;
             _ -> St0#st{order = Order}
         end,
    case Spawn of
        undefined -> run_group(G, St);
        _ -> wait_for_tasks([spawn_group(G, St)], St)
    end.

%% ---------------------------------------------------------------------
%% Tests

handle_test(#test{desc = Desc, location = Loc, line = Line, timeout = Timeout} = T, St) ->
    to_insulator({'begin', test, [{desc, Desc}, {source, Loc}, {line, Line}]}, St),
    G0 = group_leader(),
    Catcher = spawn_link(fun () -> output_catcher() end),
    group_leader(Catcher, self()),
    {Status, Time} = with_timeout(Timeout, ?DEFAULT_TEST_TIMEOUT, fun () -> run_test(T, St) end, St),
    group_leader(G0, self()),
    %% the output goes to the insulator as I/O, as OTP's runner sends it: that round trip comes after
    %% the I/O the test's other processes began before it ended, so they have their replies first
    io:put_chars(caught_output(Catcher)),
    to_insulator({'end', Status, Time}, St).

%% ok, {error, {Class, Reason, Trace}}, or {skipped, Why} when the test function does not exist
run_test(#test{f = F}, #st{where = Where}) ->
    case call_test(F, Where) of
        {ok, _} -> ok;
        Failed -> Failed
    end.

%% Call a test or generator: a fun, or {M, F} for M:F/0.
call_test({M, F}, Where) ->
    try M:F() of
        Value -> {ok, Value}
    catch
        error:undef:Trace ->
            case {erlang:module_loaded(M), erlang:function_exported(M, F, 0)} of
                {false, _} -> {skipped, {module_not_found, M}};
                {true, false} -> {skipped, {no_such_function, {M, F, 0}}};
                {true, true} -> {error, {error, undef, eunit_lib:uniq(eunit_lib:user_frames(Trace)) ++ [{M, F, 0}]}}
            end;
        Class:Reason:Trace ->
            {error, {Class, Reason, eunit_lib:with_runner_frames(Trace, {mf, Where})}}
    end;
call_test(F, Where) ->
    try F() of
        Value -> {ok, Value}
    catch
        Class:Reason:Trace ->
            {error, {Class, Reason, eunit_lib:with_runner_frames(Trace, Where)}}
    end.

%% {Value, Milliseconds}; past the time limit, the insulator cancels the task.
with_timeout(undefined, Default, F, St) ->
    with_timeout(Default, undefined, F, St);
with_timeout(infinity, _, F, _St) ->
    timed(F);
with_timeout(Time, _, F, St) when is_integer(Time) ->
    Timer = erlang:send_after(min(max(Time, 0), 16#FFFFFFFF), St#st.insulator, {timeout, self(), St#st.id}),
    try timed(F)
    after erlang:cancel_timer(Timer)
    end.

timed(F) ->
    {T0, _} = statistics(wall_clock),
    Value = F(),
    {T1, _} = statistics(wall_clock),
    {Value, T1 - T0}.

%% ---------------------------------------------------------------------
%% A test's group leader: keeps what the test prints

output_catcher() ->
    put('$eunit_output', true),
    output_catcher([]).

output_catcher(Buf) ->
    receive
        {io_request, From, ReplyAs, Req} ->
            {Reply, Buf1} = io_request(Req, Buf),
            From ! {io_reply, ReplyAs, Reply},
            output_catcher(Buf1);
        {get_output, From} ->
            From ! {output, lists:flatten(lists:reverse(Buf))},
            output_catcher(Buf);
        {stop, From} ->
            %% output the test's other processes sent just before it ended still counts
            drain(Buf, From)
    end.

drain(Buf, From) ->
    receive
        {io_request, Sender, ReplyAs, Req} ->
            {Reply, Buf1} = io_request(Req, Buf),
            Sender ! {io_reply, ReplyAs, Reply},
            drain(Buf1, From)
    after 0 ->
        From ! {output, self(), lists:flatten(lists:reverse(Buf))}
    end.

caught_output(Catcher) ->
    Catcher ! {stop, self()},
    receive
        {output, Catcher, Output} ->
            unlink(Catcher),
            Output
    end.

%% The I/O protocol, for a device that keeps what is written and has nothing to read.
io_request({put_chars, Chars}, Buf) ->
    {ok, [unicode:characters_to_list(Chars) | Buf]};
io_request({put_chars, _Enc, Chars}, Buf) ->
    io_request({put_chars, Chars}, Buf);
io_request({put_chars, M, F, As}, Buf) ->
    try apply(M, F, As) of
        Chars -> io_request({put_chars, Chars}, Buf)
    catch
        C:R:S -> {{error, {C, R, S}}, Buf}
    end;
io_request({put_chars, _Enc, M, F, As}, Buf) ->
    io_request({put_chars, M, F, As}, Buf);
io_request({get_chars, _Enc, _Prompt, _N}, Buf) -> {eof, Buf};
io_request({get_chars, _Prompt, _N}, Buf) -> {eof, Buf};
io_request({get_line, _Prompt}, Buf) -> {eof, Buf};
io_request({get_line, _Enc, _Prompt}, Buf) -> {eof, Buf};
io_request({get_until, _Prompt, _M, _F, _As}, Buf) -> {eof, Buf};
io_request({get_until, _Enc, _Prompt, _M, _F, _As}, Buf) -> {eof, Buf};
io_request({setopts, _Opts}, Buf) -> {ok, Buf};
io_request(getopts, Buf) -> {{error, enotsup}, Buf};
io_request({get_geometry, _}, Buf) -> {{error, enotsup}, Buf};
io_request({requests, Reqs}, Buf) -> io_requests(Reqs, {ok, Buf});
io_request(_, Buf) -> {{error, request}, Buf}.

io_requests([R | Rs], {ok, Buf}) -> io_requests(Rs, io_request(R, Buf));
io_requests(_, Result) -> Result.
