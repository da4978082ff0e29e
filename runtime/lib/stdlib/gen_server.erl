%% gen_server: the generic server. A process started here runs the callback module's init/1, then
%% loops: calls ({'$gen_call', From, Request}) go to handle_call/3 and are answered through From,
%% casts ({'$gen_cast', Msg}) to handle_cast/2, anything else to handle_info/2, system messages to
%% sys. A callback's answer may carry a timeout, hibernate or {continue, C} (handle_continue/2). On
%% a stop, an exception or a bad answer, terminate/2 runs and an abnormal end is logged, as OTP's
%% "** Generic server ... terminating" report.
%%
%% Some functions below sit at the lines OTP 25 has them on (-file), so that the stack traces in
%% reports and exit reasons read as erl's: the frames of the functions that call the callbacks.
-module(gen_server).

-export([start/3, start/4, start_link/3, start_link/4, start_monitor/3, start_monitor/4,
         stop/1, stop/3, call/2, call/3, cast/2, reply/2,
         abcast/2, abcast/3, multi_call/2, multi_call/3, multi_call/4,
         send_request/2, send_request/4, wait_response/2, wait_response/3,
         receive_response/2, receive_response/3, check_response/2, check_response/3,
         reqids_new/0, reqids_size/1, reqids_add/3, reqids_to_list/1,
         enter_loop/3, enter_loop/4, enter_loop/5]).
%% gen and sys call these
-export([init_it/6, wake_hib/6, system_continue/3, system_terminate/4, system_code_change/4,
         system_get_state/1, system_replace_state/2, format_status/2, format_log/1, format_log/2]).

-callback init(Args :: term()) ->
    {ok, State :: term()} | {ok, State :: term(), timeout() | hibernate | {continue, term()}} |
    {stop, Reason :: term()} | ignore.
-callback handle_call(Request :: term(), From :: {pid(), term()}, State :: term()) -> term().
-callback handle_cast(Request :: term(), State :: term()) -> term().
-callback handle_info(Info :: term(), State :: term()) -> term().
-callback handle_continue(Info :: term(), State :: term()) -> term().
-callback terminate(Reason :: term(), State :: term()) -> term().
-callback code_change(OldVsn :: term(), State :: term(), Extra :: term()) ->
    {ok, NewState :: term()} | {error, Reason :: term()}.
-callback format_status(Opt :: normal | terminate, StatusData :: [term()]) -> term().
-callback format_status(Status :: map()) -> map().
-optional_callbacks([handle_info/2, handle_continue/2, terminate/2, code_change/3,
                     format_status/1, format_status/2]).

-define(is_timeout(T), (T =:= infinity orelse (is_integer(T) andalso T >= 0))).

%% ---------------------------------------------------------------------------
%% Starting and stopping

start(Mod, Args, Options) -> gen:start(?MODULE, nolink, Mod, Args, Options).
start(Name, Mod, Args, Options) -> gen:start(?MODULE, nolink, Name, Mod, Args, Options).
start_link(Mod, Args, Options) -> gen:start(?MODULE, link, Mod, Args, Options).
start_link(Name, Mod, Args, Options) -> gen:start(?MODULE, link, Name, Mod, Args, Options).
start_monitor(Mod, Args, Options) -> gen:start(?MODULE, monitor, Mod, Args, Options).
start_monitor(Name, Mod, Args, Options) -> gen:start(?MODULE, monitor, Name, Mod, Args, Options).

stop(Server) -> gen:stop(Server).
stop(Server, Reason, Timeout) -> gen:stop(Server, Reason, Timeout).

%% ---------------------------------------------------------------------------
%% Requests

-file("gen_server.erl", 364).
call(Server, Request) ->
    case catch gen:call(Server, '$gen_call', Request, 5000) of
        {ok, Reply} ->
            Reply;
        {'EXIT', Reason} ->
            exit({Reason, {?MODULE, call, [Server, Request]}})
    end.

-file("gen_server.erl", 379).
call(Server, Request, Timeout) ->
    case catch gen:call(Server, '$gen_call', Request, Timeout) of
        {ok, Reply} ->
            Reply;
        {'EXIT', Reason} ->
            exit({Reason, {?MODULE, call, [Server, Request, Timeout]}})
    end.

cast({global, Name}, Request) ->
    catch global:send(Name, {'$gen_cast', Request}),
    ok;
cast({via, Mod, Name}, Request) ->
    catch Mod:send(Name, {'$gen_cast', Request}),
    ok;
cast({Name, Node} = Dest, Request) when is_atom(Name), is_atom(Node) ->
    send(Dest, {'$gen_cast', Request});
cast(Dest, Request) when is_atom(Dest); is_pid(Dest) ->
    send(Dest, {'$gen_cast', Request}).

%% a cast to nobody is not an error
send(Dest, Msg) ->
    try erlang:send(Dest, Msg) catch error:_ -> ok end,
    ok.

reply(From, Reply) -> gen:reply(From, Reply).

abcast(Name, Request) when is_atom(Name) ->
    abcast([node() | nodes()], Name, Request).

abcast(Nodes, Name, Request) when is_list(Nodes), is_atom(Name) ->
    [send({Name, Node}, {'$gen_cast', Request}) || Node <- Nodes, is_atom(Node)],
    abcast.

multi_call(Name, Request) when is_atom(Name) ->
    multi_call([node() | nodes()], Name, Request, infinity).

multi_call(Nodes, Name, Request) when is_list(Nodes), is_atom(Name) ->
    multi_call(Nodes, Name, Request, infinity).

%% {Replies, BadNodes}: one call per node at once, each answer tagged with its node.
multi_call(Nodes, Name, Request, Timeout) when is_list(Nodes), is_atom(Name), ?is_timeout(Timeout) ->
    Tag = make_ref(),
    Asked = [{Node, ask(Node, Name, Tag, Request)} || Node <- Nodes, is_atom(Node)],
    Deadline = case Timeout of
                   infinity -> infinity;
                   _ -> erlang:monotonic_time(millisecond) + Timeout
               end,
    collect(Asked, Tag, Deadline, [], []).

ask(Node, Name, Tag, Request) ->
    Mon = case node() of
              %% not distributed: another node is as unreachable as a lost connection
              nonode@nohost when Node =/= nonode@nohost ->
                  Ref = make_ref(),
                  self() ! {'DOWN', Ref, process, {Name, Node}, noconnection},
                  Ref;
              _ ->
                  erlang:monitor(process, {Name, Node})
          end,
    catch {Name, Node} ! {'$gen_call', {self(), {Tag, Node}}, Request},
    Mon.

collect([], _Tag, _Deadline, Replies, Bad) ->
    {lists:reverse(Replies), lists:reverse(Bad)};
collect([{Node, Mon} | Rest], Tag, Deadline, Replies, Bad) ->
    Wait = case Deadline of
               infinity -> infinity;
               _ -> max(0, Deadline - erlang:monotonic_time(millisecond))
           end,
    receive
        {{Tag, Node}, Reply} ->
            erlang:demonitor(Mon, [flush]),
            collect(Rest, Tag, Deadline, [{Node, Reply} | Replies], Bad);
        {'DOWN', Mon, _, _, _} ->
            collect(Rest, Tag, Deadline, Replies, [Node | Bad])
    after Wait ->
            erlang:demonitor(Mon, [flush]),
            collect(Rest, Tag, Deadline, Replies, [Node | Bad])
    end.

%% the wrappers' errors name the wrapper and its arguments, at OTP's lines
-file("gen_server.erl", 398).
send_request(Server, Request) ->
    try gen:send_request(Server, '$gen_call', Request)
    catch error:badarg -> error(badarg, [Server, Request])
    end.

-file("gen_server.erl", 412).
send_request(Server, Request, Label, ReqIds) ->
    try gen:send_request(Server, '$gen_call', Request, Label, ReqIds)
    catch error:badarg -> error(badarg, [Server, Request, Label, ReqIds])
    end.

-file("gen_server.erl", 427).
wait_response(ReqId, Timeout) ->
    try gen:wait_response(ReqId, Timeout)
    catch error:badarg -> error(badarg, [ReqId, Timeout])
    end.

-file("gen_server.erl", 447).
wait_response(ReqIds, Timeout, Delete) ->
    try gen:wait_response(ReqIds, Timeout, Delete)
    catch error:badarg -> error(badarg, [ReqIds, Timeout, Delete])
    end.

-file("gen_server.erl", 462).
receive_response(ReqId, Timeout) ->
    try gen:receive_response(ReqId, Timeout)
    catch error:badarg -> error(badarg, [ReqId, Timeout])
    end.

-file("gen_server.erl", 482).
receive_response(ReqIds, Timeout, Delete) ->
    try gen:receive_response(ReqIds, Timeout, Delete)
    catch error:badarg -> error(badarg, [ReqIds, Timeout, Delete])
    end.

-file("gen_server.erl", 497).
check_response(Msg, ReqId) ->
    try gen:check_response(Msg, ReqId)
    catch error:badarg -> error(badarg, [Msg, ReqId])
    end.

-file("gen_server.erl", 517).
check_response(Msg, ReqIds, Delete) ->
    try gen:check_response(Msg, ReqIds, Delete)
    catch error:badarg -> error(badarg, [Msg, ReqIds, Delete])
    end.

reqids_new() -> gen:reqids_new().

-file("gen_server.erl", 533).
reqids_size(ReqIds) ->
    try gen:reqids_size(ReqIds)
    catch error:badarg -> error(badarg, [ReqIds])
    end.

-file("gen_server.erl", 544).
reqids_add(ReqId, Label, ReqIds) ->
    try gen:reqids_add(ReqId, Label, ReqIds)
    catch error:badarg -> error(badarg, [ReqId, Label, ReqIds])
    end.

-file("gen_server.erl", 554).
reqids_to_list(ReqIds) ->
    try gen:reqids_to_list(ReqIds)
    catch error:badarg -> error(badarg, [ReqIds])
    end.

%% ---------------------------------------------------------------------------
%% enter_loop: a process started by proc_lib becomes a gen_server without init/1.

enter_loop(Mod, Options, State) ->
    enter_loop(Mod, Options, State, self(), infinity).

enter_loop(Mod, Options, State, {Scope, _} = Name) when Scope =:= local; Scope =:= global ->
    enter_loop(Mod, Options, State, Name, infinity);
enter_loop(Mod, Options, State, {via, _, _} = Name) ->
    enter_loop(Mod, Options, State, Name, infinity);
enter_loop(Mod, Options, State, Timeout) ->
    enter_loop(Mod, Options, State, self(), Timeout).

-file("gen_server.erl", 778).
enter_loop(Mod, Options, State, ServerName, Timeout)
  when is_atom(Mod), is_list(Options), ?is_timeout(Timeout); is_atom(Mod), is_list(Options), Timeout =:= hibernate;
       is_atom(Mod), is_list(Options), element(1, Timeout) =:= continue ->
    Name = gen:get_proc_name(ServerName),
    Parent = gen:get_parent(),
    Debug = gen:debug_options(Name, Options),
    loop(Parent, Name, State, Mod, Timeout, gen:hibernate_after(Options), Debug).

%% ---------------------------------------------------------------------------
%% The server process

-file("gen_server.erl", 816).
init_it(Starter, self, Name, Mod, Args, Options) ->
    init_it(Starter, self(), Name, Mod, Args, Options);
init_it(Starter, Parent, Name0, Mod, Args, Options) ->
    Name = gen:name(Name0),
    Debug = gen:debug_options(Name, Options),
    HibernateAfter = gen:hibernate_after(Options),
    case init_it(Mod, Args) of
        {ok, {ok, State}} ->
            proc_lib:init_ack(Starter, {ok, self()}),
            loop(Parent, Name, State, Mod, infinity, HibernateAfter, Debug);
        {ok, {ok, State, Next}} when ?is_timeout(Next); Next =:= hibernate;
                                     tuple_size(Next) =:= 2, element(1, Next) =:= continue ->
            proc_lib:init_ack(Starter, {ok, self()}),
            loop(Parent, Name, State, Mod, Next, HibernateAfter, Debug);
        {ok, {stop, Reason}} ->
            %% the name goes before the starter hears, so it can start another at once
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, {error, Reason}),
            exit(Reason);
        {ok, ignore} ->
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, ignore),
            exit(normal);
        {ok, Else} ->
            Error = {bad_return_value, Else},
            proc_lib:init_ack(Starter, {error, Error}),
            exit(Error);
        {'EXIT', Class, Reason, Stack0} ->
            Stack = gen:stack(Stack0, [frame(init_it, 6, 814)]),
            gen:unregister_name(Name0),
            proc_lib:init_ack(Starter, {error, terminate_reason(Class, Reason, Stack)}),
            erlang:raise(Class, Reason, Stack)
    end.

-file("gen_server.erl", 848).
init_it(Mod, Args) ->
    try
        {ok, Mod:init(Args)}
    catch
        throw:R -> {ok, R};
        Class:R:Stack -> {'EXIT', Class, R, Stack}
    end.

%% Time is infinity, a timeout, hibernate or {continue, C}.
loop(Parent, Name, State, Mod, {continue, Continue} = Msg, HibernateAfter, Debug) ->
    Reply = framed(try_dispatch(Mod, handle_continue, Continue, State), frame(loop, 7, 865)),
    Debug1 = debug(Debug, Name, Msg),
    handle_common_reply(Reply, Parent, Name, undefined, Msg, Mod, HibernateAfter, State, Debug1);
loop(Parent, Name, State, Mod, hibernate, HibernateAfter, Debug) ->
    proc_lib:hibernate(?MODULE, wake_hib, [Parent, Name, State, Mod, HibernateAfter, Debug]);
loop(Parent, Name, State, Mod, infinity, infinity, []) ->
    receive
        {'$gen_call', From, Request} ->
            %% the common case in one function (each call costs): a call, no time-outs, no debugging
            try Mod:handle_call(Request, From, State) of
                {reply, Reply, NState} ->
                    %% a reply to gen:call's alias sent here, not through gen:reply (a call less)
                    case From of
                        {_, [alias | Alias] = Tag} when is_reference(Alias) -> Alias ! {Tag, Reply};
                        _ -> gen:reply(From, Reply)
                    end,
                    loop(Parent, Name, NState, Mod, infinity, infinity, []);
                Other ->
                    call_answer({ok, Other}, From, Request, Parent, Name, State, Mod, infinity, [])
            catch
                throw:R ->
                    call_answer({ok, R}, From, Request, Parent, Name, State, Mod, infinity, []);
                Class:R:Stack ->
                    call_answer({'EXIT', Class, R, callback_stack(Stack, frame(try_handle_call, 4, 1149),
                                                                  frame(handle_msg, 6, 1178))},
                                From, Request, Parent, Name, State, Mod, infinity, [])
            end;
        Msg -> decode_msg(Msg, Parent, Name, State, Mod, infinity, infinity, [], false)
    end;
loop(Parent, Name, State, Mod, infinity, infinity, Debug) ->
    receive
        Msg -> decode_msg(Msg, Parent, Name, State, Mod, infinity, infinity, Debug, false)
    end;
loop(Parent, Name, State, Mod, infinity, HibernateAfter, Debug) ->
    receive
        Msg -> decode_msg(Msg, Parent, Name, State, Mod, infinity, HibernateAfter, Debug, false)
    after HibernateAfter ->
            loop(Parent, Name, State, Mod, hibernate, HibernateAfter, Debug)
    end;
loop(Parent, Name, State, Mod, Time, HibernateAfter, Debug) ->
    Msg = receive
              Input -> Input
          after Time -> timeout
          end,
    decode_msg(Msg, Parent, Name, State, Mod, Time, HibernateAfter, Debug, false).

wake_hib(Parent, Name, State, Mod, HibernateAfter, Debug) ->
    Msg = receive Input -> Input end,
    decode_msg(Msg, Parent, Name, State, Mod, hibernate, HibernateAfter, Debug, true).

decode_msg(Msg, Parent, Name, State, Mod, Time, HibernateAfter, Debug, Hib) ->
    case Msg of
        {system, From, Req} ->
            sys:handle_system_msg(Req, From, Parent, ?MODULE, Debug,
                                  [Name, State, Mod, Time, HibernateAfter], Hib);
        {'EXIT', Parent, Reason} ->
            terminate(Reason, current_stack(decode_msg, 9, 909), Name, undefined, Msg, Mod, State, Debug);
        _ when Debug =:= [] ->
            handle_msg(Msg, Parent, Name, State, Mod, HibernateAfter, []);
        _ ->
            handle_msg(Msg, Parent, Name, State, Mod, HibernateAfter, debug(Debug, Name, {in, Msg}))
    end.

handle_msg({'$gen_call', From, Request}, Parent, Name, State, Mod, HibernateAfter, Debug) ->
    call_answer(framed(try_handle_call(Mod, Request, From, State), Debug, 1178, 1204),
                From, Request, Parent, Name, State, Mod, HibernateAfter, Debug);
handle_msg(Msg, Parent, Name, State, Mod, HibernateAfter, Debug) ->
    {Func, What} = case Msg of
                       {'$gen_cast', Cast} -> {handle_cast, Cast};
                       _ -> {handle_info, Msg}
                   end,
    Reply = framed(try_dispatch(Mod, Func, What, State), Debug, 1200, 1227),
    handle_common_reply(Reply, Parent, Name, undefined, Msg, Mod, HibernateAfter, State, Debug).

%% What handle_call/3 answered (or {'EXIT', ...}).
call_answer(Answer, From, Request, Parent, Name, State, Mod, HibernateAfter, Debug) ->
    case Answer of
        {ok, {reply, Reply, NState}} ->
            Debug1 = reply(Name, From, Reply, NState, Debug),
            loop(Parent, Name, NState, Mod, infinity, HibernateAfter, Debug1);
        {ok, {reply, Reply, NState, Next}} when ?is_timeout(Next); Next =:= hibernate;
                                                 tuple_size(Next) =:= 2, element(1, Next) =:= continue ->
            Debug1 = reply(Name, From, Reply, NState, Debug),
            loop(Parent, Name, NState, Mod, Next, HibernateAfter, Debug1);
        {ok, {stop, Reason, Reply, NState}} ->
            Stack = current_stack(handle_msg, arity(Debug, 6), choose(Debug, 1193, 1219)),
            try
                terminate(Reason, Stack, Name, From, Request, Mod, NState, Debug)
            after
                reply(Name, From, Reply, NState, Debug)
            end;
        Other ->
            handle_common_reply(Other, Parent, Name, From, Request, Mod, HibernateAfter, State, Debug)
    end.

handle_common_reply(Reply, Parent, Name, From, Msg, Mod, HibernateAfter, State, Debug) ->
    case Reply of
        {ok, {noreply, NState}} ->
            loop(Parent, Name, NState, Mod, infinity, HibernateAfter, debug(Debug, Name, {noreply, NState}));
        {ok, {noreply, NState, Next}} when ?is_timeout(Next); Next =:= hibernate;
                                            tuple_size(Next) =:= 2, element(1, Next) =:= continue ->
            loop(Parent, Name, NState, Mod, Next, HibernateAfter, debug(Debug, Name, {noreply, NState}));
        {ok, {stop, Reason, NState}} ->
            Stack = current_stack(handle_common_reply, arity(Debug, 8), choose(Debug, 1241, 1263)),
            terminate(Reason, Stack, Name, From, Msg, Mod, NState, Debug);
        {'EXIT', Class, Reason, Stack} ->
            terminate(Class, Reason, Stack, true, Name, From, Msg, Mod, State, Debug);
        {ok, Bad} ->
            Stack = current_stack(handle_common_reply, arity(Debug, 8), choose(Debug, 1245, 1267)),
            terminate({bad_return_value, Bad}, Stack, Name, From, Msg, Mod, State, Debug)
    end.

reply(_Name, From, Reply, _State, []) ->
    gen:reply(From, Reply),
    [];
reply(Name, From, Reply, State, Debug) ->
    gen:reply(From, Reply),
    debug(Debug, Name, {out, Reply, From, State}).

debug([], _Name, _Event) -> [];
debug(Debug, Name, Event) -> sys:handle_debug(Debug, fun print_event/3, Name, Event).

%% The callbacks, each under a try: {ok, Answer} (a throw is an answer too) or {'EXIT', C, R, Stack}.
%% framed adds the frames below: the caller's, then proc_lib's (handle_msg's, at the line it has
%% in OTP with or without sys debugging).
framed({'EXIT', Class, R, Stack}, Frame) -> {'EXIT', Class, R, gen:stack(Stack, [Frame])};
framed(Answer, _Frame) -> Answer.

framed({'EXIT', _, _, _} = Exit, Debug, Line, DebugLine) -> framed(Exit, msg_frame(Debug, Line, DebugLine));
framed(Answer, _Debug, _Line, _DebugLine) -> Answer.

%% A callback's stack trace caught in another function than OTP's: that function's frame (the
%% last) becomes Catcher, with Below under it.
callback_stack(Stack, Catcher, Below) ->
    Own = case lists:reverse(Stack) of
              [{?MODULE, _, _, _} | Rest] -> lists:reverse(Rest);
              _ -> Stack
          end,
    gen:stack(Own, [Catcher, Below]).

-file("gen_server.erl", 1120).
try_dispatch(Mod, Func, Msg, State) ->
    try
        {ok, Mod:Func(Msg, State)}
    catch
        throw:R ->
            {ok, R};
        error:undef = R:Stack when Func =:= handle_info ->
            case erlang:function_exported(Mod, handle_info, 2) of
                false ->
                    no_handle_info(Mod, Msg),
                    {ok, {noreply, State}};
                true ->
                    {'EXIT', error, R, Stack}
            end;
        Class:R:Stack ->
            {'EXIT', Class, R, Stack}
    end.

-file("gen_server.erl", 1146).
try_handle_call(Mod, Msg, From, State) ->
    try
        {ok, Mod:handle_call(Msg, From, State)}
    catch
        throw:R ->
            {ok, R};
        Class:R:Stack ->
            {'EXIT', Class, R, Stack}
    end.

-file("gen_server.erl", 1156).
try_terminate(Mod, Reason, State) ->
    case erlang:function_exported(Mod, terminate, 2) of
        true ->
            try
                {ok, Mod:terminate(Reason, State)}
            catch
                throw:R ->
                    {ok, R};
                Class:R:Stack ->
                    {'EXIT', Class, R, gen:stack(Stack, [frame(terminate, 10, 1351)])}
            end;
        false ->
            {ok, ok}
    end.

%% BEAM's frame of this module's function F/A at line L, and the trace process_info(self(),
%% current_stacktrace) would give there (the loop's functions are all tail calls).
frame(F, A, L) -> {?MODULE, F, A, [{file, "gen_server.erl"}, {line, L}]}.

current_stack(F, A, L) -> [frame(F, A, L) | gen:started_frames()].

%% with sys debugging on, the loop runs through the functions of one more argument
msg_frame(Debug, Line, DebugLine) -> frame(handle_msg, arity(Debug, 6), choose(Debug, Line, DebugLine)).
arity([], A) -> A;
arity(_, A) -> A + 1.
choose([], Line, _) -> Line;
choose(_, _, DebugLine) -> DebugLine.

no_handle_info(Mod, Msg) ->
    gen:log(warning, ?MODULE,
            #{label => {gen_server, no_handle_info}, module => Mod, message => Msg},
            #{domain => [otp], report_cb => fun gen_server:format_log/2,
              error_logger => #{tag => warning_msg, report_cb => fun gen_server:format_log/1}}).

%% ---------------------------------------------------------------------------
%% sys's callbacks

system_continue(Parent, Debug, [Name, State, Mod, Time, HibernateAfter]) ->
    loop(Parent, Name, State, Mod, Time, HibernateAfter, Debug).

system_terminate(Reason, _Parent, Debug, [Name, State, Mod, _Time, _HibernateAfter]) ->
    terminate(Reason, current_stack(system_terminate, 4, 1285), Name, undefined, [], Mod, State, Debug).

system_code_change([Name, State, Mod, Time, HibernateAfter], _Module, OldVsn, Extra) ->
    case catch Mod:code_change(OldVsn, State, Extra) of
        {ok, NewState} -> {ok, [Name, NewState, Mod, Time, HibernateAfter]};
        Else -> Else
    end.

system_get_state([_Name, State, _Mod, _Time, _HibernateAfter]) ->
    {ok, State}.

system_replace_state(StateFun, [Name, State, Mod, Time, HibernateAfter]) ->
    NState = StateFun(State),
    {ok, NState, [Name, NState, Mod, Time, HibernateAfter]}.

%% sys's trace output: events as the callback module sees them
print_event(Dev, {in, Msg}, Name) ->
    case Msg of
        {'$gen_call', {From, _Tag}, Call} ->
            io:format(Dev, "*DBG* ~tp got call ~tp from ~tw~n", [Name, Call, From]);
        {'$gen_cast', Cast} ->
            io:format(Dev, "*DBG* ~tp got cast ~tp~n", [Name, Cast]);
        _ ->
            io:format(Dev, "*DBG* ~tp got ~tp~n", [Name, Msg])
    end;
print_event(Dev, {out, Msg, {To, _Tag}, State}, Name) ->
    io:format(Dev, "*DBG* ~tp sent ~tp to ~tw, new state ~tp~n", [Name, Msg, To, State]);
print_event(Dev, {noreply, State}, Name) ->
    io:format(Dev, "*DBG* ~tp new state ~tp~n", [Name, State]);
print_event(Dev, Event, Name) ->
    io:format(Dev, "*DBG* ~tp dbg  ~tp~n", [Name, Event]).

%% ---------------------------------------------------------------------------
%% Termination. terminate/2 sees {Reason, Stack} for an error, Reason alone for an exit or a stop;
%% the report is logged unless the end is normal, shutdown or {shutdown, _} (or terminate/2 crashed,
%% which is reported instead). Then the process exits as the exception or stop said.

terminate(Reason, Stack, Name, From, Msg, Mod, State, Debug) ->
    terminate(exit, Reason, Stack, false, Name, From, Msg, Mod, State, Debug).

terminate(Class, Reason, Stack, ReportStack, Name, From, Msg, Mod, State, Debug) ->
    case try_terminate(Mod, terminate_reason(Class, Reason, Stack), State) of
        {'EXIT', C, R, S} ->
            error_info(R, S, Name, From, Msg, Mod, State, Debug),
            erlang:raise(C, R, S);
        _ ->
            case {Class, Reason} of
                {exit, normal} -> ok;
                {exit, shutdown} -> ok;
                {exit, {shutdown, _}} -> ok;
                _ when ReportStack -> error_info(Reason, Stack, Name, From, Msg, Mod, State, Debug);
                _ -> error_info(Reason, undefined, Name, From, Msg, Mod, State, Debug)
            end
    end,
    erlang:raise(Class, Reason, Stack).

terminate_reason(error, Reason, Stack) -> {Reason, Stack};
terminate_reason(exit, Reason, _Stack) -> Reason.

%% The application controller's end is init's to report.
error_info(_Reason, _Stack, application_controller, _From, _Msg, _Mod, _State, _Debug) ->
    ok;
error_info(Reason, Stack, Name, From, Msg, Mod, State, Debug) ->
    Log = sys:get_log(Debug),
    Status = gen:format_status(Mod, terminate,
                               #{reason => Reason, state => State, message => Msg, log => Log},
                               [get(), State]),
    ReportReason = case Stack of
                       undefined -> maps:get(reason, Status);
                       _ -> {maps:get(reason, Status), Stack}
                   end,
    gen:log(error, ?MODULE,
            #{label => {gen_server, terminate},
              name => Name,
              last_message => maps:get(message, Status),
              state => maps:get('EXIT', Status, maps:get('$status', Status, maps:get(state, Status))),
              log => log_states(Mod, maps:get(log, Status)),
              reason => ReportReason,
              client_info => gen:client_info(From)},
            #{domain => [otp], report_cb => fun gen_server:format_log/2,
              error_logger => #{tag => error, report_cb => fun gen_server:format_log/1}}),
    ok.

%% The states in the sys log, as format_status/2 would show them.
log_states(Mod, Log) ->
    case erlang:function_exported(Mod, format_status, 1) of
        true -> Log;
        false ->
            Shown = fun(S) -> maps:get(state, gen:format_status(Mod, terminate, #{state => S}, [get(), S])) end,
            [case Event of
                 {out, Reply, To, S} -> {out, Reply, To, Shown(S)};
                 {noreply, S} -> {noreply, Shown(S)};
                 _ -> Event
             end || Event <- Log]
    end.

%% ---------------------------------------------------------------------------
%% The report's text

format_log(Report) ->
    format_log(Report, #{}).

format_log(Report, Opts) -> gen:report_text(Report, Opts, fun lines/2, fun one_line/2).

lines(#{label := {gen_server, terminate}, name := Name, last_message := Msg, state := State,
        log := Log, reason := Reason, client_info := Client}, Opts) ->
    P = p(Opts),
    {LogFormat, LogArgs} = case Log of
                               [] -> {"", []};
                               _ -> {"** Log ==~n** [" ++ lists:join(",~n    ", [P || _ <- Log]) ++ "]~n",
                                     args(Log, Opts)}
                           end,
    {ClientFormat, ClientArgs} = gen:client_lines(Client, Opts),
    {"** Generic server " ++ P ++ " terminating \n"
     "** Last message in was " ++ P ++ "~n"
     "** When Server state == " ++ P ++ "~n"
     "** Reason for termination ==~n** " ++ P ++ "~n" ++ lists:flatten(LogFormat) ++ ClientFormat,
     args([Name, Msg, State, explain(Reason)], Opts) ++ LogArgs ++ ClientArgs};
lines(#{label := {gen_server, no_handle_info}, module := Mod, message := Msg}, Opts) ->
    {"** Undefined handle_info in ~p~n** Unhandled message: " ++ p(Opts) ++ "~n",
     [Mod | args([Msg], Opts)]}.

one_line(#{label := {gen_server, terminate}, name := Name, last_message := Msg, state := State,
           log := Log, reason := Reason, client_info := Client}, Opts) ->
    P = p(Opts),
    {LogFormat, LogArgs} = case Log of
                               [] -> {"", []};
                               _ -> {" Log: " ++ P, args([Log], Opts)}
                           end,
    {ClientFormat, ClientArgs} = gen:client_line(Client, Opts),
    {"Generic server " ++ P ++ " terminating. Reason: " ++ P ++ ". Last message: " ++ P ++
         ". State: " ++ P ++ "." ++ LogFormat ++ ClientFormat,
     args([Name, explain(Reason), Msg, State], Opts) ++ LogArgs ++ ClientArgs};
one_line(#{label := {gen_server, no_handle_info}, module := Mod, message := Msg}, Opts) ->
    P = p(Opts),
    {"Undefined handle_info in " ++ P ++ ". Unhandled message: " ++ P ++ ".", args([Mod, Msg], Opts)}.

explain(Reason) -> gen:explain_undef(Reason).

p(Opts) -> gen:report_directive(Opts).

args(Terms, Opts) -> gen:report_args(Terms, Opts).

%% sys:get_status: the server's part
format_status(Opt, [PDict, SysState, Parent, Debug, [Name, State, Mod, _Time, _HibernateAfter]]) ->
    Header = gen:format_status_header("Status for generic server", Name),
    Status = case gen:format_status(Mod, Opt, #{state => State, log => sys:get_log(Debug)}, [PDict, State]) of
                 #{'EXIT' := R} = M -> M#{'$status' => [{data, [{"State", R}]}]};
                 #{'$status' := S} = M when is_list(S) -> M;
                 #{'$status' := S} = M -> M#{'$status' := [S]};
                 #{state := S} = M -> M#{'$status' => [{data, [{"State", S}]}]}
             end,
    [{header, Header},
     {data, [{"Status", SysState}, {"Parent", Parent},
             {"Logged events", log_states(Mod, maps:get(log, Status))}]}
     | maps:get('$status', Status)].
