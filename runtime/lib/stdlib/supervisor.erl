%% supervisor: a gen_server that starts children, watches them (it traps exits) and restarts them
%% as its strategy says: one_for_one (the one that died), one_for_all (all of them),
%% rest_for_one (it and those started after it), simple_one_for_one (many children of one spec,
%% started on demand). More than Intensity restarts within Period seconds and it gives up: it
%% terminates its children and exits with shutdown. Child specs are maps or the older 6-tuples.
%% What happens is reported as OTP's supervisor reports.
-module(supervisor).
-behaviour(gen_server).

-export([start_link/2, start_link/3, start_child/2, restart_child/2, delete_child/2,
         terminate_child/2, which_children/1, count_children/1,
         check_childspecs/1, check_childspecs/2, get_childspec/2]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2, code_change/3,
         format_status/2]).
-export([format_log/1, format_log/2, get_callback_module/1]).

-callback init(Args :: term()) ->
    {ok, {SupFlags :: map() | tuple(), [ChildSpec :: map() | tuple()]}} | ignore.

%% The state and child records have OTP's fields, in OTP's order: sys:get_state/1 shows them.
-record(child, {pid = undefined,   % a pid, undefined, {restarting, Pid} or (in reports) [Pid]
                id,
                mfargs,
                restart_type,
                significant,
                shutdown,
                child_type,
                modules = []}).
-record(state, {name,
                strategy,
                children = {[], #{}},   % {Ids (last started first), #{Id => #child{}}}
                dynamics,               % simple_one_for_one: {maps | mapsets, #{Pid => Args}}
                intensity,
                period,
                restarts = [],
                dynamic_restarts = 0,
                auto_shutdown,
                module,
                args}).

-define(is_simple(State), State#state.strategy =:= simple_one_for_one).

%% ---------------------------------------------------------------------------
%% API

start_link(Mod, Args) ->
    gen_server:start_link(supervisor, {self, Mod, Args}, []).

start_link(SupName, Mod, Args) ->
    gen_server:start_link(SupName, supervisor, {SupName, Mod, Args}, []).

start_child(Sup, ChildSpecOrArgs) -> call(Sup, {start_child, ChildSpecOrArgs}).
restart_child(Sup, Id) -> call(Sup, {restart_child, Id}).
delete_child(Sup, Id) -> call(Sup, {delete_child, Id}).
terminate_child(Sup, IdOrPid) -> call(Sup, {terminate_child, IdOrPid}).
get_childspec(Sup, IdOrPid) -> call(Sup, {get_childspec, IdOrPid}).
which_children(Sup) -> call(Sup, which_children).
count_children(Sup) -> call(Sup, count_children).

call(Sup, Req) -> gen_server:call(Sup, Req, infinity).

check_childspecs(Specs) -> check_childspecs(Specs, undefined).

check_childspecs(Specs, AutoShutdown) when is_list(Specs) ->
    case lists:member(AutoShutdown, [undefined, never, any_significant, all_significant]) of
        true ->
            case check_startspec(Specs, AutoShutdown) of
                {ok, _} -> ok;
                Error -> {error, Error}
            end;
        false -> {error, {badarg, AutoShutdown}}
    end;
check_childspecs(X, _AutoShutdown) ->
    {error, {badarg, X}}.

get_callback_module(Pid) ->
    {status, _Pid, {module, _Mod}, [_PDict, _SysState, _Parent, _Debug, Misc]} = sys:get_status(Pid),
    case lists:keyfind(supervisor, 1, Misc) of
        {supervisor, [{"Callback", Mod}]} -> Mod;
        _ ->
            [_Header, _Data, {data, [{"State", State}]} | _] = Misc,
            State#state.module
    end.

%% ---------------------------------------------------------------------------
%% Starting

-file("supervisor.erl", 327).
init({SupName, Mod, Args}) ->
    process_flag(trap_exit, true),
    case Mod:init(Args) of
        {ok, {Flags, Specs}} ->
            case set_flags(Flags, #state{name = sup_name(SupName, Mod), module = Mod,
                                         args = Args, auto_shutdown = never}) of
                {ok, State} when ?is_simple(State) -> init_dynamic(State, Specs);
                {ok, State} -> init_children(State, Specs);
                Error -> {stop, {supervisor_data, Error}}
            end;
        ignore ->
            ignore;
        Error ->
            {stop, {bad_return, {Mod, init, Error}}}
    end.

sup_name(self, Mod) -> {self(), Mod};
sup_name(Name, _Mod) -> Name.

init_children(State, Specs) ->
    case check_startspec(Specs, State#state.auto_shutdown) of
        {ok, Children} ->
            case start_children(Children, State#state.name, init) of
                {ok, Started} ->
                    {ok, State#state{children = Started}};
                {error, Partly, Reason} ->
                    _ = terminate_children(Partly, State#state.name),
                    {stop, {shutdown, Reason}}
            end;
        Error ->
            {stop, {start_spec, Error}}
    end.

init_dynamic(State, [Spec]) ->
    case check_startspec([Spec], State#state.auto_shutdown) of
        {ok, Children} ->
            S = State#state{children = Children},
            Kind = case dynamic_child(S) of
                       #child{restart_type = temporary} -> mapsets;
                       _ -> maps
                   end,
            {ok, S#state{dynamics = {Kind, #{}}}};
        Error ->
            {stop, {start_spec, Error}}
    end;
init_dynamic(_State, Specs) ->
    {stop, {bad_start_spec, Specs}}.

%% Start children in order; the first that fails stops the rest. Children are kept last first.
start_children({Ids, Db}, SupName, Context) ->
    start_children(Ids, Db, [], SupName, Context).

start_children([Id | Ids], Db, Started, SupName, Context) ->
    Child = maps:get(Id, Db),
    case do_start_child(SupName, Child, {start_children, Context}) of
        {ok, undefined} when Child#child.restart_type =:= temporary ->
            start_children(Ids, maps:remove(Id, Db), Started, SupName, Context);
        {ok, Pid} ->
            start_children(Ids, Db#{Id => Child#child{pid = Pid}}, [Id | Started], SupName, Context);
        {ok, Pid, _Extra} ->
            start_children(Ids, Db#{Id => Child#child{pid = Pid}}, [Id | Started], SupName, Context);
        {error, Reason} ->
            report_error(start_error, Reason, Child, SupName),
            {error, {lists:reverse(Ids) ++ [Id | Started], Db}, {failed_to_start_child, Id, Reason}}
    end;
start_children([], Db, Started, _SupName, _Context) ->
    {ok, {Started, Db}}.

do_start_child(SupName, #child{mfargs = {M, F, Args}} = Child, Context) ->
    case start_mfa(M, F, Args, [frame(do_start_child, 2, 400) | frames(Context)]) of
        {ok, Pid} when is_pid(Pid) ->
            report_progress(Child#child{pid = Pid}, SupName),
            {ok, Pid};
        {ok, Pid, Extra} when is_pid(Pid) ->
            report_progress(Child#child{pid = Pid}, SupName),
            {ok, Pid, Extra};
        Other ->
            Other
    end.

%% The start function's answer; a crash in it is {error, {'EXIT', Reason}}, its stack trace
%% completed with the frames of the supervisor's code below (Below).
start_mfa(M, F, A, Below) ->
    case do_start_child_i(M, F, A) of
        {error, {'EXIT', {Reason, Stack}}} when is_list(Stack) ->
            {error, {'EXIT', {Reason, gen:stack(Stack, Below)}}};
        Other ->
            Other
    end.

-file("supervisor.erl", 412).
do_start_child_i(M, F, A) ->
    case catch apply(M, F, A) of
        {ok, Pid} when is_pid(Pid) ->
            {ok, Pid};
        {ok, Pid, Extra} when is_pid(Pid) ->
            {ok, Pid, Extra};
        ignore ->
            {ok, undefined};
        {error, Error} ->
            {error, Error};
        What ->
            {error, What}
    end.

%% BEAM's frames under a child's start in each of the ways the supervisor gets there.
frame(F, A, L) -> {?MODULE, F, A, [{file, "supervisor.erl"}, {line, L}]}.
gen_frame(F, A, L) -> {gen_server, F, A, [{file, "gen_server.erl"}, {line, L}]}.

frames({start_children, Under}) ->
    [frame('-start_children/2-fun-0-', 3, 384), frame(children_map, 4, 1250) | frames(Under)];
frames(init) ->
    [frame(init_children, 2, 350), gen_frame(init_it, 2, 851), gen_frame(init_it, 6, 814)];
frames(start_child) ->
    [frame(handle_start_child, 2, 706), frame(handle_call, 3, 455) | frames(call)];
frames(restart_child) ->
    [frame(handle_call, 3, 482) | frames(call)];
frames(call) ->
    [gen_frame(try_handle_call, 4, 1149), gen_frame(handle_msg, 6, 1178)];
frames({restart_under, How, Line}) ->
    [frame(restart, 3, Line) | frames(How)];
frames({restart_many, How, Line}) ->
    [frame(restart_multiple_children, 3, 860), frame(restart, 3, Line) | frames(How)];
frames(restart) ->
    [frame(restart, 2, 792), frame(handle_info, 2, 609),
     gen_frame(try_dispatch, 4, 1123), gen_frame(handle_msg, 6, 1200)];
frames(try_again) ->
    [frame(restart, 2, 792), frame(handle_cast, 2, 592),
     gen_frame(try_dispatch, 4, 1123), gen_frame(handle_msg, 6, 1200)].

%% ---------------------------------------------------------------------------
%% Requests

handle_call({start_child, ExtraArgs}, _From, State) when ?is_simple(State) ->
    #child{mfargs = {M, F, A}} = dynamic_child(State),
    Args = A ++ ExtraArgs,
    case start_mfa(M, F, Args, [frame(handle_call, 3, 439) | frames(call)]) of
        {ok, undefined} -> {reply, {ok, undefined}, State};
        {ok, Pid} -> {reply, {ok, Pid}, dyn_store(Pid, Args, State)};
        {ok, Pid, Extra} -> {reply, {ok, Pid, Extra}, dyn_store(Pid, Args, State)};
        What -> {reply, What, State}
    end;
handle_call({start_child, Spec}, _From, State) ->
    case check_childspec(Spec, State#state.auto_shutdown) of
        {ok, Child} ->
            {Reply, NState} = handle_start_child(Child, State),
            {reply, Reply, NState};
        What ->
            {reply, {error, What}, State}
    end;
handle_call({terminate_child, Id}, _From, State) when not is_pid(Id), ?is_simple(State) ->
    {reply, {error, simple_one_for_one}, State};
handle_call({terminate_child, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, Child} ->
            do_terminate(Child, State#state.name),
            {reply, ok, del_child(Child, State)};
        error ->
            {reply, {error, not_found}, State}
    end;
handle_call({restart_child, _Id}, _From, State) when ?is_simple(State) ->
    {reply, {error, simple_one_for_one}, State};
handle_call({restart_child, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, #child{pid = undefined} = Child} ->
            case do_start_child(State#state.name, Child, restart_child) of
                {ok, Pid} -> {reply, {ok, Pid}, set_pid(Pid, Id, State)};
                {ok, Pid, Extra} -> {reply, {ok, Pid, Extra}, set_pid(Pid, Id, State)};
                Error -> {reply, Error, State}
            end;
        {ok, #child{pid = {restarting, _}}} -> {reply, {error, restarting}, State};
        {ok, _} -> {reply, {error, running}, State};
        error -> {reply, {error, not_found}, State}
    end;
handle_call({delete_child, _Id}, _From, State) when ?is_simple(State) ->
    {reply, {error, simple_one_for_one}, State};
handle_call({delete_child, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, #child{pid = undefined}} ->
            {Ids, Db} = State#state.children,
            {reply, ok, State#state{children = {lists:delete(Id, Ids), maps:remove(Id, Db)}}};
        {ok, #child{pid = {restarting, _}}} -> {reply, {error, restarting}, State};
        {ok, _} -> {reply, {error, running}, State};
        error -> {reply, {error, not_found}, State}
    end;
handle_call({get_childspec, Id}, _From, State) ->
    case find_child(Id, State) of
        {ok, Child} -> {reply, {ok, child_to_spec(Child)}, State};
        error -> {reply, {error, not_found}, State}
    end;
handle_call(which_children, _From, State) when ?is_simple(State) ->
    #child{child_type = Type, modules = Mods} = dynamic_child(State),
    Reply = [case Pid of
                 {restarting, _} -> {undefined, restarting, Type, Mods};
                 _ -> {undefined, Pid, Type, Mods}
             end || Pid <- dyn_pids(State)],
    {reply, Reply, State};
handle_call(which_children, _From, State) ->
    {Ids, Db} = State#state.children,
    Reply = [case maps:get(Id, Db) of
                 #child{pid = {restarting, _}, child_type = Type, modules = Mods} ->
                     {Id, restarting, Type, Mods};
                 #child{pid = Pid, child_type = Type, modules = Mods} ->
                     {Id, Pid, Type, Mods}
             end || Id <- Ids],
    {reply, Reply, State};
handle_call(count_children, _From, #state{dynamic_restarts = Restarting} = State) when ?is_simple(State) ->
    N = length(dyn_pids(State)),
    Active = N - Restarting,
    Reply = case dynamic_child(State) of
                #child{child_type = supervisor} -> [{specs, 1}, {active, Active}, {supervisors, N}, {workers, 0}];
                #child{child_type = worker} -> [{specs, 1}, {active, Active}, {supervisors, 0}, {workers, N}]
            end,
    {reply, Reply, State};
handle_call(count_children, _From, State) ->
    {_Ids, Db} = State#state.children,
    {Specs, Active, Sups, Workers} =
        maps:fold(fun(_Id, #child{pid = Pid, child_type = Type}, {S, A, Su, W}) ->
                          Alive = case is_pid(Pid) andalso is_process_alive(Pid) of
                                      true -> 1;
                                      false -> 0
                                  end,
                          case Type of
                              supervisor -> {S + 1, A + Alive, Su + 1, W};
                              worker -> {S + 1, A + Alive, Su, W + 1}
                          end
                  end, {0, 0, 0, 0}, Db),
    {reply, [{specs, Specs}, {active, Active}, {supervisors, Sups}, {workers, Workers}], State}.

handle_start_child(Child, State) ->
    case find_child(Child#child.id, State) of
        error ->
            case do_start_child(State#state.name, Child, start_child) of
                {ok, undefined} when Child#child.restart_type =:= temporary ->
                    {{ok, undefined}, State};
                {ok, Pid} ->
                    {{ok, Pid}, save_child(Child#child{pid = Pid}, State)};
                {ok, Pid, Extra} ->
                    {{ok, Pid, Extra}, save_child(Child#child{pid = Pid}, State)};
                {error, What} ->
                    {{error, {What, Child}}, State}
            end;
        {ok, #child{pid = Pid}} when is_pid(Pid) ->
            {{error, {already_started, Pid}}, State};
        {ok, _} ->
            {{error, already_present}, State}
    end.

%% a temporary child is never restarted, so its arguments are not kept
save_child(#child{restart_type = temporary, mfargs = {M, F, _}} = Child, State) ->
    keep_child(Child#child{mfargs = {M, F, undefined}}, State);
save_child(Child, State) ->
    keep_child(Child, State).

keep_child(#child{id = Id} = Child, #state{children = {Ids, Db}} = State) ->
    State#state{children = {[Id | Ids], Db#{Id => Child}}}.

%% A restart that failed is tried again after any requests already waiting.
handle_cast({try_again_restart, Id}, State) ->
    case find_child_and_args(Id, State) of
        {ok, #child{pid = {restarting, _}} = Child} ->
            case restart(Child, State, try_again) of
                {ok, NState} -> {noreply, NState};
                {shutdown, NState} -> {stop, shutdown, NState}
            end;
        _ ->
            {noreply, State}
    end.

%% A child's death: restart it, or give up.
handle_info({'EXIT', Pid, Reason}, State) ->
    case find_child_and_args(Pid, State) of
        {ok, Child} ->
            case do_restart(Reason, Child, State) of
                {ok, NState} -> {noreply, NState};
                {shutdown, NState} -> {stop, shutdown, NState}
            end;
        error ->
            {noreply, State}
    end;
handle_info(Msg, State) ->
    gen:log(error, ?MODULE, {"Supervisor received unexpected message: ~tp~n", [Msg]},
            #{domain => [otp], error_logger => #{tag => error}}),
    {noreply, State}.

%% permanent: always restarted; transient: unless it ended normally (normal, shutdown,
%% {shutdown, _}); temporary: never. An abnormal end is reported either way.
do_restart(Reason, #child{restart_type = permanent} = Child, State) ->
    report_error(child_terminated, Reason, Child, State#state.name),
    restart(Child, State, restart);
do_restart(Reason, Child, State) when Reason =:= normal; Reason =:= shutdown;
                                      tuple_size(Reason) =:= 2, element(1, Reason) =:= shutdown ->
    auto_shutdown(Child, del_child(Child, State));
do_restart(Reason, #child{restart_type = transient} = Child, State) ->
    report_error(child_terminated, Reason, Child, State#state.name),
    restart(Child, State, restart);
do_restart(Reason, #child{restart_type = temporary} = Child, State) ->
    report_error(child_terminated, Reason, Child, State#state.name),
    auto_shutdown(Child, del_child(Child, State)).

%% A significant child's end may end the supervisor (auto_shutdown).
auto_shutdown(_Child, #state{auto_shutdown = never} = State) ->
    {ok, State};
auto_shutdown(#child{significant = false}, State) ->
    {ok, State};
auto_shutdown(_Child, #state{auto_shutdown = any_significant} = State) ->
    {shutdown, State};
auto_shutdown(_Child, State) when ?is_simple(State) ->
    case dyn_pids(State) of
        [] -> {shutdown, State};
        _ -> {ok, State}
    end;
auto_shutdown(_Child, #state{children = {_Ids, Db}} = State) ->
    Running = [C || C = #child{pid = Pid, significant = true} <- maps:values(Db), Pid =/= undefined],
    case Running of
        [] -> {shutdown, State};
        _ -> {ok, State}
    end.

restart(Child, State, How) ->
    case add_restart(State) of
        {ok, NState} ->
            case restart(NState#state.strategy, Child, NState, How) of
                {{try_again, Id}, NState2} ->
                    gen_server:cast(self(), {try_again_restart, Id}),
                    {ok, NState2};
                Other ->
                    Other
            end;
        {terminate, NState} ->
            report_error(shutdown, reached_max_restart_intensity, Child, State#state.name),
            {shutdown, del_child(Child, NState)}
    end.

restart(simple_one_for_one, #child{pid = OldPid, mfargs = {M, F, A}} = Child, State0, How) ->
    State1 = case OldPid of
                 {restarting, _} -> State0#state{dynamic_restarts = State0#state.dynamic_restarts - 1};
                 _ -> State0
             end,
    State2 = dyn_erase(OldPid, State1),
    case start_mfa(M, F, A, [frame(restart, 3, 820) | frames(How)]) of
        {ok, Pid} -> {ok, dyn_store(Pid, A, State2)};
        {ok, Pid, _Extra} -> {ok, dyn_store(Pid, A, State2)};
        {error, Error} ->
            Restarting = restarting(OldPid),
            State3 = dyn_store(Restarting, A, State2#state{dynamic_restarts = State2#state.dynamic_restarts + 1}),
            report_error(start_error, Error, Child, State3#state.name),
            {{try_again, Restarting}, State3}
    end;
restart(one_for_one, #child{id = Id, pid = OldPid} = Child, State, How) ->
    case do_start_child(State#state.name, Child, {restart_under, How, 837}) of
        {ok, Pid} -> {ok, set_pid(Pid, Id, State)};
        {ok, Pid, _Extra} -> {ok, set_pid(Pid, Id, State)};
        {error, Reason} ->
            report_error(start_error, Reason, Child, State#state.name),
            {{try_again, Id}, set_pid(restarting(OldPid), Id, State)}
    end;
restart(rest_for_one, #child{id = Id} = Child, #state{children = {Ids, Db}} = State, How) ->
    %% Ids are last started first: the child and those after it come before it in the list
    {After, [Id | Before]} = lists:splitwith(fun(I) -> I =/= Id end, Ids),
    AfterIds = After ++ [Id],
    Db1 = Db#{Id := (maps:get(Id, Db))#child{pid = undefined}},
    {AfterDb, BeforeDb} = maps:fold(fun(I, C, {Aft, Bef}) ->
                                            case lists:member(I, AfterIds) of
                                                true -> {Aft#{I => C}, Bef};
                                                false -> {Aft, Bef#{I => C}}
                                            end
                                    end, {#{}, #{}}, Db1),
    {Return, {Ids2, Db2}} = restart_many(Child, {AfterIds, AfterDb}, State#state.name, {How, 851}),
    {Return, State#state{children = {Ids2 ++ Before, maps:merge(Db2, BeforeDb)}}};
restart(one_for_all, Child, #state{children = Children} = State, How) ->
    {Return, NChildren} = restart_many(Child, del_child(Child#child.id, Children), State#state.name, {How, 855}),
    {Return, State#state{children = NChildren}}.

%% Terminate the children (last started first), then start them again in order.
restart_many(Child, Children, SupName, {How, Line}) ->
    Stopped = terminate_children(Children, SupName),
    case start_children(Stopped, SupName, {restart_many, How, Line}) of
        {ok, Started} ->
            {ok, Started};
        {error, Partly, {failed_to_start_child, FailedId, _Reason}} ->
            NewPid = case FailedId =:= Child#child.id of
                         true -> restarting(Child#child.pid);
                         false -> {restarting, undefined}
                     end,
            {{try_again, FailedId}, set_pid(NewPid, FailedId, Partly)}
    end.

restarting(Pid) when is_pid(Pid) -> {restarting, Pid};
restarting(Restarting) -> Restarting.

add_restart(#state{intensity = I, period = P, restarts = R} = State) ->
    Now = erlang:monotonic_time(1),
    Recent = [Now | lists:takewhile(fun(T) -> T >= Now - P end, R)],
    NState = State#state{restarts = Recent},
    case length(Recent) =< I of
        true -> {ok, NState};
        false -> {terminate, NState}
    end.

%% ---------------------------------------------------------------------------
%% Termination: children are stopped last started first.

terminate(_Reason, State) when ?is_simple(State) ->
    terminate_dynamic_children(State);
terminate(_Reason, State) ->
    terminate_children(State#state.children, State#state.name).

terminate_children({Ids, Db}, SupName) ->
    terminate_children(Ids, Db, [], SupName).

terminate_children([Id | Ids], Db, Kept, SupName) ->
    Child = maps:get(Id, Db),
    do_terminate(Child, SupName),
    case Child of
        #child{restart_type = temporary} ->
            terminate_children(Ids, maps:remove(Id, Db), Kept, SupName);
        _ ->
            terminate_children(Ids, Db#{Id => Child#child{pid = undefined}}, [Id | Kept], SupName)
    end;
%% (answered in start order, ready to be started again)
terminate_children([], Db, Kept, _SupName) ->
    {Kept, Db}.

do_terminate(#child{pid = Pid} = Child, SupName) when is_pid(Pid) ->
    case shutdown(Child) of
        ok -> ok;
        {error, Reason} -> report_error(shutdown_error, Reason, Child, SupName)
    end,
    ok;
do_terminate(_Child, _SupName) ->
    ok.

%% Ask the child to stop (exit(Pid, shutdown)), kill it if it takes longer than its shutdown
%% time, or kill it at once (brutal_kill). Its end is fine if it is what was asked for, or a
%% normal end of a child that is not permanent.
shutdown(#child{pid = Pid, shutdown = brutal_kill} = Child) ->
    Mon = monitor(process, Pid),
    exit(Pid, kill),
    receive
        {'DOWN', Mon, process, Pid, Reason} -> shutdown_result(killed, unlink_flush(Pid, Reason), Child)
    end;
shutdown(#child{pid = Pid, shutdown = Time} = Child) ->
    Mon = monitor(process, Pid),
    exit(Pid, shutdown),
    receive
        {'DOWN', Mon, process, Pid, Reason} -> shutdown_result(shutdown, unlink_flush(Pid, Reason), Child)
    after Time ->
            exit(Pid, kill),
            receive
                {'DOWN', Mon, process, Pid, Reason} -> shutdown_result(shutdown, unlink_flush(Pid, Reason), Child)
            end
    end.

shutdown_result(Asked, Asked, _Child) -> ok;
shutdown_result(_Asked, Reason, #child{restart_type = Restart}) when Restart =/= permanent ->
    case Reason of
        shutdown -> ok;
        {shutdown, _} -> ok;
        normal -> ok;
        _ -> {error, Reason}
    end;
shutdown_result(_Asked, Reason, _Child) ->
    {error, Reason}.

%% the 'EXIT' a linked child sent says more than the monitor's 'DOWN' (noproc)
unlink_flush(Pid, Default) ->
    unlink(Pid),
    receive {'EXIT', Pid, Reason} -> Reason
    after 0 -> Default
    end.

%% simple_one_for_one: all children are asked at once, and reported together per reason.
terminate_dynamic_children(State) ->
    Child = dynamic_child(State),
    Watched = maps:from_list(
                [begin
                     Mon = monitor(process, P),
                     exit(P, case Child#child.shutdown of brutal_kill -> kill; _ -> shutdown end),
                     {{P, Mon}, true}
                 end || P <- dyn_pids(State), is_pid(P)]),
    Timer = case Child#child.shutdown of
                brutal_kill -> undefined;
                infinity -> undefined;
                Time -> erlang:start_timer(Time, self(), kill)
            end,
    Failed = wait_dynamic_children(Child, Watched, Timer, #{}),
    maps:foreach(fun(Reason, Pids) ->
                         report_error(shutdown_error, Reason, Child#child{pid = Pids}, State#state.name)
                 end, Failed).

wait_dynamic_children(_Child, Watched, Timer, Failed) when map_size(Watched) =:= 0 ->
    case Timer of
        undefined -> ok;
        _ ->
            _ = erlang:cancel_timer(Timer),
            receive {timeout, Timer, kill} -> ok after 0 -> ok end
    end,
    Failed;
wait_dynamic_children(Child, Watched, Timer, Failed) ->
    receive
        {'DOWN', Mon, process, Pid, Reason0} when is_map_key({Pid, Mon}, Watched) ->
            Asked = case Child#child.shutdown of brutal_kill -> killed; _ -> shutdown end,
            Rest = maps:remove({Pid, Mon}, Watched),
            case shutdown_result(Asked, unlink_flush(Pid, Reason0), Child) of
                ok -> wait_dynamic_children(Child, Rest, Timer, Failed);
                {error, Reason} ->
                    wait_dynamic_children(Child, Rest, Timer,
                                          Failed#{Reason => [Pid | maps:get(Reason, Failed, [])]})
            end;
        {timeout, Timer, kill} ->
            [exit(P, kill) || {P, _} <- maps:keys(Watched)],
            wait_dynamic_children(Child, Watched, undefined, Failed)
    end.

%% ---------------------------------------------------------------------------
%% Children

find_child(Pid, State) when is_pid(Pid), ?is_simple(State) ->
    case dyn_exists(Pid, State) orelse dyn_exists({restarting, Pid}, State) of
        true -> {ok, (dynamic_child(State))#child{pid = Pid}};
        false ->
            %% a child that already died is still known until its 'EXIT' is handled
            case is_process_alive(Pid) of
                true -> error;
                false -> {ok, dynamic_child(State)}
            end
    end;
find_child(Id, #state{children = {_Ids, Db}}) ->
    maps:find(Id, Db).

find_child_and_args(Pid, State) when ?is_simple(State) ->
    case dyn_exists(Pid, State) of
        true ->
            #child{mfargs = {M, F, _}} = Child = dynamic_child(State),
            {ok, Child#child{pid = Pid, mfargs = {M, F, dyn_args(Pid, State)}}};
        false -> error
    end;
find_child_and_args(Pid, #state{children = {_Ids, Db}}) when is_pid(Pid) ->
    find_by_pid(Pid, Db);
find_child_and_args(Id, #state{children = {_Ids, Db}}) ->
    maps:find(Id, Db).

find_by_pid(Pid, Db) ->
    case [C || C = #child{pid = P} <- maps:values(Db), P =:= Pid] of
        [Child | _] -> {ok, Child};
        [] -> error
    end.

dynamic_child(#state{children = {[Id], Db}}) ->
    maps:get(Id, Db).

del_child(#child{pid = Pid}, State) when ?is_simple(State) ->
    dyn_erase(Pid, State);
del_child(#child{id = Id}, #state{children = Children} = State) ->
    State#state{children = del_child(Id, Children)};
del_child(Id, {Ids, Db}) ->
    case maps:get(Id, Db) of
        #child{restart_type = temporary} -> {lists:delete(Id, Ids), maps:remove(Id, Db)};
        Child -> {Ids, Db#{Id => Child#child{pid = undefined}}}
    end.

set_pid(Pid, Id, #state{children = Children} = State) ->
    State#state{children = set_pid(Pid, Id, Children)};
set_pid(Pid, Id, {Ids, Db}) ->
    {Ids, maps:update_with(Id, fun(Child) -> Child#child{pid = Pid} end, Db)}.

dyn_pids(#state{dynamics = {_Kind, Db}}) -> maps:keys(Db).
dyn_exists(Pid, #state{dynamics = {_Kind, Db}}) -> is_map_key(Pid, Db).
dyn_erase(Pid, #state{dynamics = {Kind, Db}} = State) -> State#state{dynamics = {Kind, maps:remove(Pid, Db)}}.
dyn_store(Pid, _Args, #state{dynamics = {mapsets, Db}} = State) -> State#state{dynamics = {mapsets, Db#{Pid => []}}};
dyn_store(Pid, Args, #state{dynamics = {maps, Db}} = State) -> State#state{dynamics = {maps, Db#{Pid => Args}}}.
dyn_args(_Pid, #state{dynamics = {mapsets, _}}) -> undefined;
dyn_args(Pid, #state{dynamics = {maps, Db}}) -> maps:get(Pid, Db).

child_to_spec(#child{id = Id, mfargs = Func, restart_type = Restart, significant = Significant,
                     shutdown = Shutdown, child_type = Type, modules = Mods}) ->
    #{id => Id, start => Func, restart => Restart, significant => Significant,
      shutdown => Shutdown, type => Type, modules => Mods}.

%% ---------------------------------------------------------------------------
%% Flags and child specs: the first thing wrong is the error.

set_flags(Flags, State) ->
    try check_flags(Flags) of
        #{strategy := Strategy, intensity := Intensity, period := Period, auto_shutdown := Auto} ->
            {ok, State#state{strategy = Strategy, intensity = Intensity, period = Period,
                             auto_shutdown = Auto}}
    catch
        throw:Error -> Error
    end.

check_flags(Flags) when is_map(Flags) ->
    checked_flags(maps:merge(#{strategy => one_for_one, intensity => 1, period => 5,
                               auto_shutdown => never}, Flags));
check_flags({Strategy, Intensity, Period}) ->
    check_flags(#{strategy => Strategy, intensity => Intensity, period => Period, auto_shutdown => never});
check_flags(What) ->
    throw({invalid_type, What}).

checked_flags(#{strategy := Strategy, intensity := Intensity, period := Period,
                auto_shutdown := Auto} = Flags) ->
    lists:member(Strategy, [simple_one_for_one, one_for_one, one_for_all, rest_for_one])
        orelse throw({invalid_strategy, Strategy}),
    (is_integer(Intensity) andalso Intensity >= 0) orelse throw({invalid_intensity, Intensity}),
    (is_integer(Period) andalso Period > 0) orelse throw({invalid_period, Period}),
    lists:member(Auto, [never, any_significant, all_significant])
        orelse throw({invalid_auto_shutdown, Auto}),
    Flags.

check_startspec(Specs, AutoShutdown) ->
    check_startspec(Specs, [], #{}, AutoShutdown).

check_startspec([Spec | Specs], Ids, Db, AutoShutdown) ->
    case check_childspec(Spec, AutoShutdown) of
        {ok, #child{id = Id} = Child} ->
            case is_map_key(Id, Db) of
                %% (OTP's name for a duplicate id)
                true -> {duplicate_child_name, Id};
                false -> check_startspec(Specs, [Id | Ids], Db#{Id => Child}, AutoShutdown)
            end;
        Error -> Error
    end;
check_startspec([], Ids, Db, _AutoShutdown) ->
    {ok, {lists:reverse(Ids), Db}}.

check_childspec(Spec, AutoShutdown) when is_map(Spec) ->
    catch checked_childspec(maps:merge(#{restart => permanent, type => worker}, Spec), AutoShutdown);
check_childspec({Id, Func, Restart, Shutdown, Type, Mods}, AutoShutdown) ->
    check_childspec(#{id => Id, start => Func, restart => Restart, significant => false,
                      shutdown => Shutdown, type => Type, modules => Mods}, AutoShutdown);
check_childspec(X, _AutoShutdown) ->
    {invalid_child_spec, X}.

checked_childspec(#{restart := Restart, type := Type} = Spec, AutoShutdown) ->
    Id = case Spec of #{id := I} -> I; _ -> throw(missing_id) end,
    Func = case Spec of #{start := F} -> F; _ -> throw(missing_start) end,
    case Func of
        {M, Fn, A} when is_atom(M), is_atom(Fn), is_list(A) -> ok;
        _ -> throw({invalid_mfa, Func})
    end,
    lists:member(Restart, [permanent, temporary, transient]) orelse throw({invalid_restart_type, Restart}),
    Significant = maps:get(significant, Spec, false),
    valid_significant(Significant, Restart, AutoShutdown),
    lists:member(Type, [supervisor, worker]) orelse throw({invalid_child_type, Type}),
    Shutdown = case Spec of
                   #{shutdown := S} -> S;
                   #{type := worker} -> 5000;
                   #{type := supervisor} -> infinity
               end,
    (is_integer(Shutdown) andalso Shutdown >= 0) orelse Shutdown =:= infinity
        orelse Shutdown =:= brutal_kill orelse throw({invalid_shutdown, Shutdown}),
    Mods = case Spec of
               #{modules := Ms} -> Ms;
               _ -> [element(1, Func)]
           end,
    valid_modules(Mods),
    {ok, #child{id = Id, mfargs = Func, restart_type = Restart, significant = Significant,
                shutdown = Shutdown, child_type = Type, modules = Mods}}.

valid_significant(true, _Restart, never) ->
    throw({bad_combination, [{auto_shutdown, never}, {significant, true}]});
valid_significant(true, permanent, _AutoShutdown) ->
    throw({bad_combination, [{restart, permanent}, {significant, true}]});
valid_significant(Significant, _Restart, _AutoShutdown) when is_boolean(Significant) ->
    true;
valid_significant(Significant, _Restart, _AutoShutdown) ->
    throw({invalid_significant, Significant}).

valid_modules(dynamic) -> true;
valid_modules(Mods) when is_list(Mods) ->
    [is_atom(M) orelse throw({invalid_module, M}) || M <- Mods],
    true;
valid_modules(Mods) -> throw({invalid_modules, Mods}).

%% ---------------------------------------------------------------------------
%% Code change: init/1 again, with the new specs for the children it has

code_change(_, State, _) ->
    case (State#state.module):init(State#state.args) of
        {ok, {Flags, Specs}} ->
            case set_flags(Flags, State) of
                {ok, State1} -> update_childspecs(State1, Specs);
                {invalid_type, Flags} -> {error, {bad_flags, Flags}};
                Error -> {error, Error}
            end;
        ignore -> {ok, State};
        Error -> Error
    end.

update_childspecs(State, Specs) when ?is_simple(State) ->
    case check_startspec(Specs, State#state.auto_shutdown) of
        {ok, {[_], _} = Children} -> {ok, State#state{children = Children}};
        Error -> {error, Error}
    end;
update_childspecs(#state{children = {OldIds, OldDb}} = State, Specs) ->
    case check_startspec(Specs, State#state.auto_shutdown) of
        {ok, {Ids, Db}} ->
            %% new specs keep their running pid; children the new specs lack stay as they are
            {NewDb, Kept} = lists:foldl(fun(Id, {D, K}) ->
                                                case maps:find(Id, D) of
                                                    {ok, New} -> {D#{Id => New#child{pid = (maps:get(Id, OldDb))#child.pid}}, K};
                                                    error -> {D, [Id | K]}
                                                end
                                        end, {Db, []}, OldIds),
            {ok, State#state{children = {lists:reverse(Ids ++ Kept), maps:merge(maps:with(Kept, OldDb), NewDb)}}};
        Error -> {error, Error}
    end.

format_status(terminate, [_PDict, State]) ->
    State;
format_status(_, [_PDict, State]) ->
    [{data, [{"State", State}]}, {supervisor, [{"Callback", State#state.module}]}].

%% ---------------------------------------------------------------------------
%% Reports

report_error(Context, Reason, Child, SupName) ->
    gen:log(error, ?MODULE,
            #{label => {supervisor, Context},
              report => [{supervisor, SupName}, {errorContext, Context},
                         {reason, Reason}, {offender, offender(Child)}]},
            #{domain => [otp, sasl], report_cb => fun supervisor:format_log/2,
              logger_formatter => #{title => "SUPERVISOR REPORT"},
              error_logger => #{tag => error_report, type => supervisor_report,
                                report_cb => fun supervisor:format_log/1}}).

%% Progress reports are info: not printed at OTP 25's default level (notice).
report_progress(Child, SupName) ->
    gen:log(info, ?MODULE,
            #{label => {supervisor, progress},
              report => [{supervisor, SupName}, {started, offender(Child)}]},
            #{domain => [otp, sasl], report_cb => fun supervisor:format_log/2,
              logger_formatter => #{title => "PROGRESS REPORT"},
              error_logger => #{tag => info_report, type => progress,
                                report_cb => fun supervisor:format_log/1}}).

offender(#child{pid = Pids} = Child) when is_list(Pids) ->
    [{nb_children, length(Pids)} | tl(offender(Child#child{pid = undefined}))];
offender(#child{} = C) ->
    [{pid, C#child.pid}, {id, C#child.id}, {mfargs, C#child.mfargs},
     {restart_type, C#child.restart_type}, {significant, C#child.significant},
     {shutdown, C#child.shutdown}, {child_type, C#child.child_type}].

format_log(Report) ->
    format_log(Report, #{}).

format_log(Report, Opts) -> gen:report_text(Report, Opts, fun lines/2, fun one_line/2).

lines(#{label := {supervisor, progress}, report := [{supervisor, SupName}, {started, Child}]}, Opts) ->
    P = p(Opts),
    {"    supervisor: " ++ P ++ "~n    started: " ++ P ++ "~n", args([SupName, Child], Opts)};
lines(#{label := {supervisor, _}, report := [{supervisor, SupName}, {errorContext, Context},
                                             {reason, Reason}, {offender, Child}]}, Opts) ->
    P = p(Opts),
    {"    supervisor: " ++ P ++ "~n    errorContext: " ++ P ++ "~n    reason: " ++ P ++
         "~n    offender: " ++ P ++ "~n",
     args([SupName, Context, Reason, Child], Opts)}.

one_line(#{label := {supervisor, progress}, report := [{supervisor, SupName}, {started, Child}]}, Opts) ->
    {ChildFormat, ChildArgs} = child_one_line(Child, "Started:"),
    {"Supervisor: " ++ p(Opts) ++ "." ++ ChildFormat, args([SupName], Opts) ++ ChildArgs};
one_line(#{label := {supervisor, _}, report := [{supervisor, SupName}, {errorContext, Context},
                                                {reason, Reason}, {offender, Child}]}, Opts) ->
    P = p(Opts),
    {ChildFormat, ChildArgs} = child_one_line(Child, "Offender:"),
    {"Supervisor: " ++ P ++ ". Context: " ++ P ++ ". Reason: " ++ P ++ "." ++ ChildFormat,
     args([SupName, Context, Reason], Opts) ++ ChildArgs}.

child_one_line(Child, Tag) ->
    {id, Id} = lists:keyfind(id, 1, Child),
    case lists:keyfind(pid, 1, Child) of
        {pid, Pid} -> {" ~s id=~w,pid=~w.", [Tag, Id, Pid]};
        false ->
            {nb_children, N} = lists:keyfind(nb_children, 1, Child),
            {" ~s id=~w,nb_children=~w.", [Tag, Id, N]}
    end.

p(Opts) -> gen:report_directive(Opts).

args(Terms, Opts) -> gen:report_args(Terms, Opts).
