%% gen_event: an event manager, a process holding any number of event handlers (callback modules,
%% each with its own state, optionally with an id: {Mod, Id}). An event is given to every handler
%% in turn (the newest first); a call goes to one handler. A handler that crashes, or answers
%% wrongly, is removed and reported; the manager goes on. A supervised handler (add_sup_handler)
%% is linked to the process that added it: it goes when that process does, and that process hears
%% {gen_event_EXIT, Handler, Reason} when the handler goes.
-module(gen_event).

-export([start/0, start/1, start/2, start_link/0, start_link/1, start_link/2,
         start_monitor/0, start_monitor/1, start_monitor/2, stop/1, stop/3,
         notify/2, sync_notify/2, add_handler/3, add_sup_handler/3, delete_handler/3,
         swap_handler/3, swap_sup_handler/3, which_handlers/1, call/3, call/4,
         send_request/3, send_request/5, wait_response/2, wait_response/3,
         receive_response/2, receive_response/3, check_response/2, check_response/3,
         reqids_new/0, reqids_size/1, reqids_add/3, reqids_to_list/1, wake_hib/5]).
-export([init_it/6, system_continue/3, system_terminate/4, system_code_change/4,
         system_get_state/1, system_replace_state/2, format_status/2]).
-export([format_log/1, format_log/2]).

-callback init(InitArgs :: term()) -> term().
-callback handle_event(Event :: term(), State :: term()) -> term().
-callback handle_call(Request :: term(), State :: term()) -> term().
-callback handle_info(Info :: term(), State :: term()) -> term().
-callback terminate(Args :: term(), State :: term()) -> term().
-callback code_change(OldVsn :: term(), State :: term(), Extra :: term()) -> {ok, term()}.
-callback format_status(Opt :: normal | terminate, StatusData :: [term()]) -> term().
-callback format_status(Status :: map()) -> map().
-optional_callbacks([handle_info/2, terminate/2, code_change/3, format_status/1, format_status/2]).

%% (OTP's record: sys:get_status shows the installed handlers as these)
-record(handler, {module, id = false, state, supervised = false}).

-define(NO_CALLBACK, 'no callback module').

%% ---------------------------------------------------------------------------
%% Starting and stopping

start() -> gen:start(?MODULE, nolink, ?NO_CALLBACK, [], []).
start(Name) when is_tuple(Name) -> gen:start(?MODULE, nolink, Name, ?NO_CALLBACK, [], []);
start(Options) when is_list(Options) -> gen:start(?MODULE, nolink, ?NO_CALLBACK, [], Options).
start(Name, Options) -> gen:start(?MODULE, nolink, Name, ?NO_CALLBACK, [], Options).

start_link() -> gen:start(?MODULE, link, ?NO_CALLBACK, [], []).
start_link(Name) when is_tuple(Name) -> gen:start(?MODULE, link, Name, ?NO_CALLBACK, [], []);
start_link(Options) when is_list(Options) -> gen:start(?MODULE, link, ?NO_CALLBACK, [], Options).
start_link(Name, Options) -> gen:start(?MODULE, link, Name, ?NO_CALLBACK, [], Options).

start_monitor() -> gen:start(?MODULE, monitor, ?NO_CALLBACK, [], []).
start_monitor(Name) when is_tuple(Name) -> gen:start(?MODULE, monitor, Name, ?NO_CALLBACK, [], []);
start_monitor(Options) when is_list(Options) -> gen:start(?MODULE, monitor, ?NO_CALLBACK, [], Options).
start_monitor(Name, Options) -> gen:start(?MODULE, monitor, Name, ?NO_CALLBACK, [], Options).

stop(M) -> gen:stop(M).
stop(M, Reason, Timeout) -> gen:stop(M, Reason, Timeout).

init_it(Starter, self, Name, Mod, Args, Options) ->
    init_it(Starter, self(), Name, Mod, Args, Options);
init_it(Starter, Parent, Name0, _Mod, _Args, Options) ->
    process_flag(trap_exit, true),
    Name = gen:name(Name0),
    Debug = gen:debug_options(Name, Options),
    HibernateAfter = gen:hibernate_after(Options),
    proc_lib:init_ack(Starter, {ok, self()}),
    loop(Parent, Name, [], HibernateAfter, Debug, false).

%% ---------------------------------------------------------------------------
%% Requests: the manager's own call protocol (gen:call with its pid as the label)

add_handler(M, Handler, Args) -> rpc(M, {add_handler, Handler, Args}).
add_sup_handler(M, Handler, Args) -> rpc(M, {add_sup_handler, Handler, Args, self()}).
notify(M, Event) -> send(M, {notify, Event}).
sync_notify(M, Event) -> rpc(M, {sync_notify, Event}).
delete_handler(M, Handler, Args) -> rpc(M, {delete_handler, Handler, Args}).
swap_handler(M, {H1, A1}, {H2, A2}) -> rpc(M, {swap_handler, H1, A1, H2, A2}).
swap_sup_handler(M, {H1, A1}, {H2, A2}) -> rpc(M, {swap_sup_handler, H1, A1, H2, A2, self()}).
which_handlers(M) -> rpc(M, which_handlers).

call(M, Handler, Query) ->
    try gen:call(M, self(), {call, Handler, Query}) of
        {ok, Reply} -> Reply
    catch
        exit:Reason -> exit({Reason, {?MODULE, call, [M, Handler, Query]}})
    end.

call(M, Handler, Query, Timeout) ->
    try gen:call(M, self(), {call, Handler, Query}, Timeout) of
        {ok, Reply} -> Reply
    catch
        exit:Reason -> exit({Reason, {?MODULE, call, [M, Handler, Query, Timeout]}})
    end.

%% (a manager that is not there is an exit in the caller, as OTP's: {ok, _} does not match)
rpc(M, Request) ->
    {ok, Reply} = gen:call(M, self(), Request, infinity),
    Reply.

-file("gen_event.erl", 481).
send({global, Name}, Msg) ->
    catch global:send(Name, Msg),
    ok;
send({via, Mod, Name}, Msg) ->
    catch Mod:send(Name, Msg),
    ok;
send(M, Msg) ->
    M ! Msg,
    ok.

send_request(M, Handler, Request) ->
    try gen:send_request(M, self(), {call, Handler, Request})
    catch error:badarg -> error(badarg, [M, Handler, Request])
    end.
send_request(M, Handler, Request, Label, ReqIds) ->
    try gen:send_request(M, self(), {call, Handler, Request}, Label, ReqIds)
    catch error:badarg -> error(badarg, [M, Handler, Request, Label, ReqIds])
    end.

%% a handler's {error, _} answer is the answer itself
wait_response(ReqId, Timeout) ->
    try gen:wait_response(ReqId, Timeout) of
        {reply, {error, _} = Error} -> Error;
        Other -> Other
    catch error:badarg -> error(badarg, [ReqId, Timeout])
    end.
wait_response(ReqIds, Timeout, Delete) ->
    try gen:wait_response(ReqIds, Timeout, Delete) of
        {{reply, {error, _} = Error}, Label, Rest} -> {Error, Label, Rest};
        Other -> Other
    catch error:badarg -> error(badarg, [ReqIds, Timeout, Delete])
    end.
receive_response(ReqId, Timeout) ->
    try gen:receive_response(ReqId, Timeout) of
        {reply, {error, _} = Error} -> Error;
        Other -> Other
    catch error:badarg -> error(badarg, [ReqId, Timeout])
    end.
receive_response(ReqIds, Timeout, Delete) ->
    try gen:receive_response(ReqIds, Timeout, Delete) of
        {{reply, {error, _} = Error}, Label, Rest} -> {Error, Label, Rest};
        Other -> Other
    catch error:badarg -> error(badarg, [ReqIds, Timeout, Delete])
    end.
check_response(Msg, ReqId) ->
    try gen:check_response(Msg, ReqId) of
        {reply, {error, _} = Error} -> Error;
        Other -> Other
    catch error:badarg -> error(badarg, [Msg, ReqId])
    end.
check_response(Msg, ReqIds, Delete) ->
    try gen:check_response(Msg, ReqIds, Delete) of
        {{reply, {error, _} = Error}, Label, Rest} -> {Error, Label, Rest};
        Other -> Other
    catch error:badarg -> error(badarg, [Msg, ReqIds, Delete])
    end.
reqids_new() -> gen:reqids_new().
reqids_size(ReqIds) ->
    try gen:reqids_size(ReqIds) catch error:badarg -> error(badarg, [ReqIds]) end.
reqids_add(ReqId, Label, ReqIds) ->
    try gen:reqids_add(ReqId, Label, ReqIds) catch error:badarg -> error(badarg, [ReqId, Label, ReqIds]) end.
reqids_to_list(ReqIds) ->
    try gen:reqids_to_list(ReqIds) catch error:badarg -> error(badarg, [ReqIds]) end.

%% ---------------------------------------------------------------------------
%% The manager's loop. Handlers are kept newest first.

loop(Parent, Name, Handlers, HibernateAfter, Debug, true) ->
    proc_lib:hibernate(?MODULE, wake_hib, [Parent, Name, Handlers, HibernateAfter, Debug]);
loop(Parent, Name, Handlers, HibernateAfter, Debug, false) ->
    fetch_msg(Parent, Name, Handlers, HibernateAfter, Debug, false).

wake_hib(Parent, Name, Handlers, HibernateAfter, Debug) ->
    fetch_msg(Parent, Name, Handlers, HibernateAfter, Debug, true).

fetch_msg(Parent, Name, Handlers, HibernateAfter, Debug, Hib) ->
    receive
        {system, From, Req} ->
            sys:handle_system_msg(Req, From, Parent, ?MODULE, Debug,
                                  [Name, Handlers, HibernateAfter, Hib], Hib);
        {'EXIT', Parent, Reason} ->
            terminate_server(Reason, Parent, Handlers, Name);
        Msg when Debug =:= [] ->
            handle_msg(Msg, Parent, Name, Handlers, HibernateAfter, []);
        Msg ->
            Debug1 = sys:handle_debug(Debug, fun print_event/3, Name, {in, Msg}),
            handle_msg(Msg, Parent, Name, Handlers, HibernateAfter, Debug1)
    after HibernateAfter ->
            loop(Parent, Name, Handlers, HibernateAfter, Debug, true)
    end.

handle_msg(Msg, Parent, Name, Handlers, HibernateAfter, Debug) ->
    Loop = fun(Hib, New) -> loop(Parent, Name, New, HibernateAfter, Debug, Hib) end,
    case Msg of
        {notify, Event} ->
            {Hib, New} = notify_all(Event, handle_event, Handlers, Name),
            Loop(Hib, New);
        {_From, Tag, {sync_notify, Event}} ->
            {Hib, New} = notify_all(Event, handle_event, Handlers, Name),
            gen:reply(Tag, ok),
            Loop(Hib, New);
        {'EXIT', From, Reason} ->
            Loop(false, handle_exit(From, Reason, Handlers, Name));
        {_From, Tag, {call, Handler, Query}} ->
            {Hib, Reply, New} = call_handler(Handler, Query, Handlers, Name),
            gen:reply(Tag, Reply),
            Loop(Hib, New);
        {_From, Tag, {add_handler, Handler, Args}} ->
            {Hib, Reply, New} = add(Handler, Args, false, Handlers),
            gen:reply(Tag, Reply),
            Loop(Hib, New);
        {_From, Tag, {add_sup_handler, Handler, Args, Sup}} ->
            link(Sup),
            {Hib, Reply, New} = add(Handler, Args, Sup, Handlers),
            gen:reply(Tag, Reply),
            Loop(Hib, New);
        {_From, Tag, {delete_handler, Handler, Args}} ->
            {Reply, New} = case take(Handler, Handlers) of
                               {H, Rest} -> {terminate_handler(H, Args, delete, Name, normal), Rest};
                               error -> {{error, module_not_found}, Handlers}
                           end,
            gen:reply(Tag, Reply),
            Loop(false, New);
        {_From, Tag, {swap_handler, H1, A1, H2, A2}} ->
            {Hib, Reply, New} = swap(H1, A1, H2, A2, Handlers, keep, Name),
            gen:reply(Tag, Reply),
            Loop(Hib, New);
        {_From, Tag, {swap_sup_handler, H1, A1, H2, A2, Sup}} ->
            {Hib, Reply, New} = swap(H1, A1, H2, A2, Handlers, Sup, Name),
            gen:reply(Tag, Reply),
            Loop(Hib, New);
        {_From, Tag, stop} ->
            catch terminate_server(normal, Parent, Handlers, Name),
            gen:reply(Tag, ok);
        {_From, Tag, which_handlers} ->
            gen:reply(Tag, [handler_id(H) || H <- Handlers]),
            Loop(false, Handlers);
        {_From, Tag, get_modules} ->
            gen:reply(Tag, lists:usort([H#handler.module || H <- Handlers])),
            Loop(false, Handlers);
        Other ->
            {Hib, New} = notify_all(Other, handle_info, Handlers, Name),
            Loop(Hib, New)
    end.

%% The manager ends: every handler's terminate/2 with stop, then exit.
terminate_server(Reason, Parent, Handlers, Name) ->
    [terminate_handler(H, stop, stop, Name, shutdown) || H <- Handlers],
    [unlink(Sup) || #handler{supervised = Sup} <- Handlers, is_pid(Sup), Sup =/= Parent],
    exit(Reason).

%% A supervising process died: its handlers go (terminate/2 with {stop, Reason}); then every
%% handler sees the 'EXIT' as an info message.
handle_exit(From, Reason, Handlers, Name) ->
    Kept = [H || H <- Handlers,
                 case H#handler.supervised of
                     From ->
                         terminate_handler(H, {stop, Reason}, {parent_terminated, {From, Reason}},
                                           Name, shutdown),
                         false;
                     _ -> true
                 end],
    {_, New} = notify_all({'EXIT', From, Reason}, handle_info, Kept, Name),
    New.

add({Mod, Id}, Args, Sup, Handlers) ->
    init_handler(Mod, #handler{module = Mod, id = Id, supervised = Sup}, Args, Handlers);
add(Mod, Args, Sup, Handlers) ->
    init_handler(Mod, #handler{module = Mod, supervised = Sup}, Args, Handlers).

init_handler(Mod, Handler, Args, Handlers) ->
    case catch Mod:init(Args) of
        {ok, State} -> {false, ok, [Handler#handler{state = State} | Handlers]};
        {ok, State, hibernate} -> {true, ok, [Handler#handler{state = State} | Handlers]};
        Other -> {false, Other, Handlers}
    end.

%% Terminate H1 and add H2 with {Args2, what H1's terminate/2 answered}. Sup: keep H1's
%% supervisor, or the new one.
swap(H1, A1, H2, A2, Handlers, Sup, Name) ->
    {State1, OldSup, Rest} =
        case take(H1, Handlers) of
            {H, Others} ->
                NewSup = case Sup of keep -> H#handler.supervised; _ -> Sup end,
                {terminate_handler(H, A1, swapped, Name, {swapped, H2, NewSup}), H#handler.supervised, Others};
            error -> {error, false, Handlers}
        end,
    NewSup2 = case Sup of keep -> OldSup; _ -> Sup end,
    case is_pid(NewSup2) of
        true -> link(NewSup2);
        false -> ok
    end,
    case add(H2, {A2, State1}, NewSup2, Rest) of
        {Hib, ok, New} -> {Hib, ok, New};
        {Hib, What, New} -> {Hib, {error, What}, New}
    end.

%% Give Event to every handler with Func (handle_event or handle_info), newest first. A handler
%% that crashes or answers wrongly goes (reported); hibernate if any asked. (Kept: how many
%% handlers before this one stayed, each a frame in BEAM's trace of a crash.)
notify_all(Event, Func, Handlers, Name) ->
    notify_all(Event, Func, Handlers, Name, 0).

notify_all(Event, Func, [H | Rest], Name, Kept) ->
    case update(H, Func, Event, Name, Kept) of
        {ok, H1} ->
            {Hib, New} = notify_all(Event, Func, Rest, Name, Kept + 1),
            {Hib, [H1 | New]};
        {hibernate, H1} ->
            {_, New} = notify_all(Event, Func, Rest, Name, Kept + 1),
            {true, [H1 | New]};
        no ->
            notify_all(Event, Func, Rest, Name, Kept)
    end;
notify_all(_Event, _Func, [], _Name, _Kept) ->
    {false, []}.

update(#handler{module = Mod, state = State} = H, Func, Event, Name, Kept) ->
    case catch_callback(Mod, Func, Event, State, {notify, Kept}) of
        {ok, State1} -> {ok, H#handler{state = State1}};
        {ok, State1, hibernate} -> {hibernate, H#handler{state = State1}};
        {swap_handler, A1, State1, H2, A2} -> swap_from_handler(H, A1, State1, H2, A2, Name);
        remove_handler ->
            terminate_handler(H, remove_handler, remove, Name, normal),
            no;
        {'EXIT', {undef, [{Mod, handle_info, [_, _], _} | _]}} when Func =:= handle_info ->
            no_handle_info(Mod, Event),
            {ok, H};
        Other ->
            terminate_handler(H, {error, Other}, Event, Name, crash),
            no
    end.

call_handler(Handler, Query, Handlers, Name) ->
    case lists:splitwith(fun(H) -> not is(Handler, H) end, Handlers) of
        {Before, [#handler{module = Mod, state = State} = H | After]} ->
            case catch_callback(Mod, handle_call, Query, State, call) of
                {ok, Reply, State1} ->
                    {false, Reply, Before ++ [H#handler{state = State1} | After]};
                {ok, Reply, State1, hibernate} ->
                    {true, Reply, Before ++ [H#handler{state = State1} | After]};
                {swap_handler, Reply, A1, State1, H2, A2} ->
                    case swap_from_handler(H, A1, State1, H2, A2, Name) of
                        {ok, New} -> {false, Reply, Before ++ [New | After]};
                        no -> {false, Reply, Before ++ After}
                    end;
                {remove_handler, Reply} ->
                    terminate_handler(H, remove_handler, remove, Name, normal),
                    {false, Reply, Before ++ After};
                Other ->
                    terminate_handler(H, {error, Other}, Query, Name, crash),
                    {false, {error, Other}, Before ++ After}
            end;
        {_, []} ->
            {false, {error, bad_module}, Handlers}
    end.

%% (the callback under catch: a crash is {'EXIT', {Reason, Stack}} with BEAM's frames below)
catch_callback(Mod, Func, Arg, State, How) ->
    case catch Mod:Func(Arg, State) of
        {'EXIT', {Reason, Stack}} when is_list(Stack) ->
            {'EXIT', {Reason, retrace(Stack, How)}};
        Other -> Other
    end.

swap_from_handler(#handler{module = Mod} = H, A1, State1, H2, A2, Name) ->
    State2 = terminate_handler(H#handler{state = State1}, A1, swapped, Name,
                               {swapped, H2, H#handler.supervised}),
    {Mod2, New} = case H2 of
                      {M2, Id} -> {M2, #handler{module = M2, id = Id, supervised = H#handler.supervised}};
                      M2 -> {M2, #handler{module = M2, supervised = H#handler.supervised}}
                  end,
    _ = Mod,
    case catch Mod2:init({A2, State2}) of
        {ok, State2a} -> {ok, New#handler{state = State2a}};
        Other ->
            report_terminate(New, {error, Other}, undefined, swapped, Name),
            no
    end.

is({Mod, Id}, #handler{module = Mod, id = Id}) -> true;
is(Mod, #handler{module = Mod, id = false}) -> true;
is(_, _) -> false.

take(Handler, Handlers) ->
    case lists:splitwith(fun(H) -> not is(Handler, H) end, Handlers) of
        {Before, [H | After]} -> {H, Before ++ After};
        {_, []} -> error
    end.

handler_id(#handler{module = Mod, id = false}) -> Mod;
handler_id(#handler{module = Mod, id = Id}) -> {Mod, Id}.

%% terminate/2 (if the handler has it) and the report; answers what terminate/2 answered.
terminate_handler(#handler{module = Mod, state = State} = H, Args, LastIn, Name, How) ->
    Result = case erlang:function_exported(Mod, terminate, 2) of
                 true -> (catch Mod:terminate(Args, State));
                 false -> ok
             end,
    Reason = case {How, Args} of
                 {crash, {error, Why}} -> Why;
                 _ -> How
             end,
    report_terminate(H, Reason, State, LastIn, Name),
    Result.

report_terminate(H, Reason, State, LastIn, Name) ->
    report_error(H, Reason, State, LastIn, Name),
    case H#handler.supervised of
        false -> ok;
        Pid -> Pid ! {gen_event_EXIT, handler_id(H), Reason}, ok
    end.

report_error(_H, normal, _, _, _) -> ok;
report_error(_H, shutdown, _, _, _) -> ok;
report_error(_H, {swapped, _, _}, _, _, _) -> ok;
report_error(H, Exit, State, LastIn, Name) ->
    {Reason, Wrap} = case Exit of
                         {'EXIT', {R, ST}} -> {R, fun(X) -> {'EXIT', {X, ST}} end};
                         {'EXIT', R} -> {R, fun(X) -> {'EXIT', X} end};
                         R -> {R, fun(X) -> X end}
                     end,
    Status = gen:format_status(H#handler.module, terminate,
                               #{state => State, message => LastIn, reason => Reason}, [get(), State]),
    gen:log(error, ?MODULE,
            #{label => {gen_event, terminate}, handler => handler_id(H), name => Name,
              last_message => maps:get(message, Status),
              state => maps:get('$status', Status, maps:get(state, Status)),
              reason => Wrap(maps:get(reason, Status))},
            #{domain => [otp], report_cb => fun gen_event:format_log/2,
              error_logger => #{tag => error, report_cb => fun gen_event:format_log/1}}).

no_handle_info(Mod, Msg) ->
    gen:log(warning, ?MODULE,
            #{label => {gen_event, no_handle_info}, module => Mod, message => Msg},
            #{domain => [otp], report_cb => fun gen_event:format_log/2,
              error_logger => #{tag => warning_msg, report_cb => fun gen_event:format_log/1}}).

%% BEAM's frames under a handler's callback: the catching function's, the loop's, proc_lib's.
retrace(Stack, How) ->
    Frames = case How of
                 {notify, Kept} ->
                     [frame(server_update, 4, 802), frame(server_notify, 4, 784)]
                         ++ lists:duplicate(Kept, frame(server_notify, 4, 786))
                         ++ [frame(handle_msg, 6, 526)];
                 call -> [frame(server_call_update, 3, 925), frame(server_call, 4, 874),
                          frame(handle_msg, 6, 536)]
             end,
    Own = case lists:reverse(Stack) of
              [{?MODULE, _, _, _} | Rest] -> lists:reverse(Rest);
              _ -> Stack
          end,
    gen:stack(Own, Frames).

frame(F, A, L) -> {?MODULE, F, A, [{file, "gen_event.erl"}, {line, L}]}.

%% ---------------------------------------------------------------------------
%% sys

system_continue(Parent, Debug, [Name, Handlers, HibernateAfter, Hib]) ->
    loop(Parent, Name, Handlers, HibernateAfter, Debug, Hib).

system_terminate(Reason, Parent, _Debug, [Name, Handlers, _HibernateAfter, _Hib]) ->
    terminate_server(Reason, Parent, Handlers, Name).

system_code_change([Name, Handlers, HibernateAfter, Hib], Module, OldVsn, Extra) ->
    New = [case H of
               #handler{module = Module, state = State} ->
                   {ok, NewState} = Module:code_change(OldVsn, State, Extra),
                   H#handler{state = NewState};
               _ -> H
           end || H <- Handlers],
    {ok, [Name, New, HibernateAfter, Hib]}.

system_get_state([_Name, Handlers, _HibernateAfter, _Hib]) ->
    {ok, [{Mod, Id, State} || #handler{module = Mod, id = Id, state = State} <- Handlers]}.

%% Each handler's {Mod, Id, State} through the fun; one it fails on is left as it was.
system_replace_state(Fun, [Name, Handlers, HibernateAfter, Hib]) ->
    {New, States} =
        lists:unzip([begin
                         Current = {Mod, Id, State},
                         try Fun(Current) of
                             {Mod, Id, NewState} = Replaced -> {H#handler{state = NewState}, Replaced}
                         catch _:_ -> {H, Current}
                         end
                     end || #handler{module = Mod, id = Id, state = State} = H <- Handlers]),
    {ok, States, [Name, New, HibernateAfter, Hib]}.

print_event(Dev, {in, Msg}, Name) ->
    case Msg of
        {notify, Event} ->
            io:format(Dev, "*DBG* ~tp got event ~tp~n", [Name, Event]);
        {_, _, {call, Handler, Query}} ->
            io:format(Dev, "*DBG* ~tp(~tp) got call ~tp~n", [Name, Handler, Query]);
        _ ->
            io:format(Dev, "*DBG* ~tp got ~tp~n", [Name, Msg])
    end;
print_event(Dev, Event, Name) ->
    io:format(Dev, "*DBG* ~tp : ~tp~n", [Name, Event]).

format_status(Opt, [PDict, SysState, Parent, Debug, [Name, Handlers, _HibernateAfter, _Hib]]) ->
    Header = gen:format_status_header("Status for event handler", Name),
    {Shown, Log} =
        lists:mapfoldl(fun(#handler{module = Mod, state = State} = H, Logs) ->
                               Status = gen:format_status(Mod, Opt, #{log => Logs, state => State},
                                                          [PDict, State]),
                               {H#handler{state = maps:get('$status', Status, maps:get(state, Status))},
                                maps:get(log, Status)}
                       end, sys:get_log(Debug), Handlers),
    [{header, Header},
     {data, [{"Status", SysState}, {"Logged Events", Log}, {"Parent", Parent}]},
     {items, {"Installed handlers", Shown}}].

%% ---------------------------------------------------------------------------
%% The report's text

format_log(Report) -> format_log(Report, #{}).

format_log(Report, Opts) -> gen:report_text(Report, Opts, fun lines/2, fun one_line/2).

lines(#{label := {gen_event, terminate}, handler := Handler, name := Name, last_message := LastIn,
        state := State, reason := Reason}, Opts) ->
    P = p(Opts),
    {"** gen_event handler " ++ P ++ " crashed.\n** Was installed in " ++ P ++
         "\n** Last event was: " ++ P ++ "\n** When handler state == " ++ P ++
         "\n** Reason == " ++ P ++ "\n",
     args([Handler, Name, LastIn, State, explain(Reason)], Opts)};
lines(#{label := {gen_event, no_handle_info}, module := Mod, message := Msg}, Opts) ->
    {"** Undefined handle_info in ~p\n** Unhandled message: " ++ p(Opts) ++ "\n",
     [Mod | args([Msg], Opts)]}.

one_line(#{label := {gen_event, terminate}, handler := Handler, name := Name, last_message := LastIn,
           state := State, reason := Reason}, Opts) ->
    P = p(Opts),
    {"Generic event handler " ++ P ++ " crashed. Installed: " ++ P ++ ". Last event: " ++ P ++
         ". State: " ++ P ++ ". Reason: " ++ P ++ ".",
     args([Handler, Name, LastIn, State, explain(Reason)], Opts)};
one_line(#{label := {gen_event, no_handle_info}, module := Mod, message := Msg}, Opts) ->
    P = p(Opts),
    {"Undefined handle_info in " ++ P ++ ". Unhandled message: " ++ P ++ ".", args([Mod, Msg], Opts)}.

%% a crash is shown without its 'EXIT'; an undef says which
explain({'EXIT', Reason}) -> gen:explain_undef(Reason);
explain(Reason) -> Reason.

p(Opts) -> gen:report_directive(Opts).

args(Terms, Opts) -> gen:report_args(Terms, Opts).
