-module(global_group).

%% Global groups: the kernel parameter global_groups (-kernel global_groups '[{g1,[a@h,b@h]},{g2,[c@h]}]'
%% or a -config file) splits the nodes into groups; global's names are looked up in the own group,
%% and in another group or on another node through the global_group server there.
%%
%% Between nodes this speaks what OTP 25's global_group does, so terl and erl nodes find each
%% other's names: a search asks {global_group, Node} by a cast {find_name, From, Name} or
%% {registered_names, From}, answered {find_name_res, Pid | undefined} or
%% {registered_names_res, Names}; a node that comes up in the own group is asked for its
%% get_own_nodes/0 and counts as synced when both agree; sync/0 casts
%% {conf_check, 3, Node, {Pid, Session}, sync, Group, PublishType, Nodes}, answered
%% {config_ok | config_error, 3, {Pid, Session}, Node}; a node outside the own group is told
%% {disconnect_node, node()}.
%%
%% Not here: terl's global does not ask global_group which nodes to share names with (an erl node
%% of another group refuses, but two terl nodes of different groups that connect share their
%% names); a node made alive after global_group started keeps no groups; the global_groups
%% parameter cannot be changed while the node runs.

-behaviour(gen_server).

-export([global_groups/0, own_nodes/0, registered_names/1, send/2, send/3,
         whereis_name/1, whereis_name/2, info/0, sync/0, monitor_nodes/1, get_own_nodes/0]).
-export([start/0, start_link/0, stop/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2, code_change/3]).

-define(CC_VSN, 3).

-record(conf, {state = no_conf, name = [], publish = normal, own = [], other = []}).
-record(state, {conf = #conf{}, nodes = #{}, monitor = [], check}).

%% ---------- the interface ----------

global_groups() -> request(global_groups).
own_nodes() -> request(own_nodes).
registered_names(Where) -> request({registered_names, Where}).
send(Name, Msg) -> request({send, Name, Msg}).
send(Where, Name, Msg) -> request({send, Where, Name, Msg}).
whereis_name(Name) -> request({whereis_name, Name}).
whereis_name(Where, Name) -> request({whereis_name, Where, Name}).
info() -> request(info, 3000).
sync() -> request(sync).

monitor_nodes(true) -> request({monitor_nodes, true});
monitor_nodes(false) -> request({monitor_nodes, false});
monitor_nodes(_) -> {error, not_boolean}.

%% The configured nodes of this node's group (other nodes ask this when they come up).
get_own_nodes() ->
    (conf())#conf.own.

start() -> gen_server:start({local, global_group}, ?MODULE, [], []).
start_link() -> gen_server:start_link({local, global_group}, ?MODULE, [], []).
stop() -> gen_server:call(global_group, stop, infinity).

%% erl's kernel starts the server at boot; terl starts it when a group is configured, or else
%% on first use.
request(Req) -> request(Req, infinity).
request(Req, Timeout) ->
    case whereis(global_group) of
        undefined -> _ = start();
        _ -> ok
    end,
    gen_server:call(global_group, Req, Timeout).

%% ---------- the configuration ----------

%% a node that is not alive belongs to no group, whatever is configured
conf() ->
    case application:get_env(kernel, global_groups) of
        _ when node() =:= nonode@nohost -> #conf{};
        undefined -> #conf{};
        {ok, Groups} -> scan(Groups, node(), #conf{state = synced, name = no_name})
    end.

scan([], _Me, C) ->
    C#conf{other = lists:reverse(C#conf.other)};
scan([G | Gs], Me, C) ->
    case group(G) of
        {Name, Pub, Nodes} ->
            case lists:member(Me, Nodes) of
                true -> scan(Gs, Me, C#conf{name = Name, publish = Pub, own = lists:sort(Nodes)});
                false -> scan(Gs, Me, C#conf{other = [{Name, Nodes} | C#conf.other]})
            end;
        error ->
            exit({error, {'invalid global_groups definition', [G | Gs]}})
    end;
scan(Other, _Me, _C) ->
    exit({error, {'invalid global_groups definition', Other}}).

group({Name, Nodes}) when is_atom(Name), is_list(Nodes) -> {Name, normal, Nodes};
group({Name, Pub, Nodes}) when is_atom(Name), is_list(Nodes), (Pub =:= normal orelse Pub =:= hidden) -> {Name, Pub, Nodes};
group(_) -> error.

%% ---------- the server ----------

init([]) ->
    process_flag(trap_exit, true),
    ok = net_kernel:monitor_nodes(true),
    C = conf(),
    Others = lists:delete(node(), C#conf.own),
    S = #state{conf = C, nodes = maps:from_list([{N, no_contact} || C#conf.state =:= synced, N <- Others])},
    {ok, lists:foldl(fun nodeup/2, S, [N || N <- nodes(), C#conf.state =:= synced])}.

handle_call(global_groups, _From, #state{conf = C} = S) ->
    Reply = case C#conf.state of
                no_conf -> undefined;
                synced -> {C#conf.name, [N || {N, _} <- C#conf.other]}
            end,
    {reply, Reply, S};
handle_call(own_nodes, _From, #state{conf = C} = S) ->
    Reply = case C#conf.state of
                no_conf -> [node() | nodes()];
                synced -> C#conf.own
            end,
    {reply, Reply, S};
handle_call({monitor_nodes, true}, {Pid, _}, S) ->
    link(Pid),
    {reply, ok, S#state{monitor = [Pid | S#state.monitor]}};
handle_call({monitor_nodes, false}, {Pid, _}, S) ->
    {reply, ok, S#state{monitor = lists:delete(Pid, S#state.monitor)}};
handle_call(info, _From, #state{conf = C, nodes = Nodes} = S) ->
    In = fun(State) -> lists:sort([N || {N, St} <- maps:to_list(Nodes), St =:= State]) end,
    {reply, [{state, C#conf.state}, {own_group_name, C#conf.name}, {own_group_nodes, C#conf.own},
             {synced_nodes, In(sync)}, {sync_error, In(sync_error)}, {no_contact, In(no_contact)},
             {other_groups, C#conf.other}, {monitoring, S#state.monitor}], S};
handle_call(sync, _From, S) ->
    {reply, ok, sync_group(S)};

handle_call({registered_names, {node, Node}}, _From, S) when Node =:= node() ->
    {reply, global:registered_names(), S};
handle_call({registered_names, {group, G}}, _From, #state{conf = #conf{name = G}} = S) ->
    {reply, global:registered_names(), S};
handle_call({registered_names, Where}, From, S) ->
    search(From, fun() -> names(targets(Where, S)) end),
    {noreply, S};

handle_call({whereis_name, Name}, From, S) ->
    case global:whereis_name(Name) of
        undefined ->
            search(From, fun() -> find(targets(any, S), Name) end),
            {noreply, S};
        Pid ->
            {reply, Pid, S}
    end;
handle_call({whereis_name, {group, G}, Name}, _From, #state{conf = #conf{name = G}} = S) ->
    {reply, global:whereis_name(Name), S};
handle_call({whereis_name, Where, Name}, From, S) ->
    search(From, fun() -> find(targets(Where, S), Name) end),
    {noreply, S};

handle_call({send, Name, Msg}, From, S) ->
    case global:whereis_name(Name) of
        undefined ->
            search(From, fun() -> deliver(find(targets(any, S), Name), Name, Msg) end),
            {noreply, S};
        Pid ->
            Pid ! Msg,
            {reply, Pid, S}
    end;
handle_call({send, {group, G}, Name, Msg}, _From, #state{conf = #conf{name = G}} = S) ->
    {reply, deliver(global:whereis_name(Name), Name, Msg), S};
handle_call({send, Where, Name, Msg}, From, S) ->
    search(From, fun() -> deliver(find(targets(Where, S), Name), Name, Msg) end),
    {noreply, S};

handle_call(stop, _From, S) ->
    {stop, normal, ok, S};
handle_call(Call, _From, S) ->
    {reply, {illegal_message, Call}, S}.

%% another node's search, and another node's sync
handle_cast({find_name, User, Name}, S) ->
    User ! {find_name_res, global:whereis_name(Name)},
    {noreply, S};
handle_cast({registered_names, User}, S) ->
    User ! {registered_names_res, global:registered_names()},
    {noreply, S};
handle_cast({conf_check, Vsn, Node, From, sync, Name, Nodes}, S) ->
    handle_cast({conf_check, Vsn, Node, From, sync, Name, normal, Nodes}, S);
handle_cast({conf_check, Vsn, Node, {Pid, _} = From, sync, Name, Pub, Nodes}, S) when is_pid(Pid) ->
    C = conf(),
    Agrees = C#conf.state =:= synced andalso C#conf.name =:= Name
        andalso C#conf.own =:= lists:sort(Nodes) andalso C#conf.publish =:= Pub,
    case Agrees of
        true ->
            Pid ! {config_ok, Vsn, From, node()},
            {noreply, node_state(Node, sync, S)};
        false ->
            Pid ! {config_error, Vsn, From, node()},
            {global_group, Node} ! {disconnect_node, node()},
            {noreply, node_state(Node, sync_error, S)}
    end;
handle_cast(_, S) ->
    {noreply, S}.

handle_info({nodeup, Node}, S) ->
    {noreply, nodeup(Node, S)};
handle_info({nodedown, Node}, #state{conf = C} = S) ->
    notify(S, {nodedown, Node}),
    case C#conf.state of
        no_conf -> {noreply, S};
        synced -> {noreply, node_state(Node, no_contact, S)}
    end;
handle_info({own_nodes_of, Node, Nodes}, #state{conf = C} = S) ->
    %% the answer to nodeup/2's question: the same group on both sides, or not
    case is_list(Nodes) andalso lists:sort(Nodes) =:= C#conf.own of
        true ->
            notify(S, {nodeup, Node}),
            {noreply, node_state(Node, sync, S)};
        false ->
            {global_group, Node} ! {disconnect_node, node()},
            {noreply, node_state(Node, sync_error, S)}
    end;
handle_info({disconnect_node, Node}, S) ->
    {noreply, node_state(Node, sync_error, S)};
handle_info({Answer, ?CC_VSN, {Pid, Session}, Node}, #state{check = {Session, Mons}} = S)
  when Pid =:= self(), (Answer =:= config_ok orelse Answer =:= config_error) ->
    case maps:take(Node, Mons) of
        {Mon, Rest} ->
            erlang:demonitor(Mon, [flush]),
            State = case Answer of config_ok -> sync; config_error -> sync_error end,
            {noreply, node_state(Node, State, S#state{check = {Session, Rest}})};
        error ->
            {noreply, S}
    end;
handle_info({'DOWN', Mon, process, {global_group, Node}, Reason}, #state{check = {Session, Mons}} = S) ->
    case maps:take(Node, Mons) of
        {Mon, Rest} ->
            State = case Reason of noconnection -> no_contact; _ -> sync_error end,
            {noreply, node_state(Node, State, S#state{check = {Session, Rest}})};
        _ ->
            {noreply, S}
    end;
handle_info({'EXIT', Pid, _}, S) ->
    {noreply, S#state{monitor = lists:delete(Pid, S#state.monitor)}};
handle_info(_, S) ->
    {noreply, S}.

terminate(_Reason, _S) -> ok.
code_change(_Vsn, S, _Extra) -> {ok, S}.

%% ---------- nodes of the own group ----------

nodeup(Node, #state{conf = #conf{state = no_conf}} = S) ->
    notify(S, {nodeup, Node}),
    S;
nodeup(Node, #state{conf = C} = S) ->
    case lists:member(Node, C#conf.own) of
        true ->
            %% ask the node for its group; sync when it answers the same
            GG = self(),
            spawn(fun() -> GG ! {own_nodes_of, Node, rpc:call(Node, global_group, get_own_nodes, [])} end),
            node_state(Node, sync_error, S);
        false ->
            {global_group, Node} ! {disconnect_node, node()},
            S
    end.

node_state(Node, State, #state{conf = C, nodes = Nodes} = S) ->
    case lists:member(Node, C#conf.own) andalso Node =/= node() of
        true -> S#state{nodes = Nodes#{Node => State}};
        false -> S#state{nodes = maps:remove(Node, Nodes)}
    end.

%% monitor_nodes/1's subscribers hear of every node without groups, of the own group's with them
notify(#state{monitor = Pids, conf = C}, {_, Node} = Msg) ->
    case C#conf.state =:= no_conf orelse lists:member(Node, C#conf.own) of
        true -> [P ! Msg || P <- Pids];
        false -> []
    end,
    ok.

sync_group(S) ->
    case conf() of
        #conf{state = no_conf} = C ->
            S#state{conf = C, nodes = #{}};
        C ->
            Others = lists:delete(node(), C#conf.own),
            [{global_group, N} ! {disconnect_node, node()} || N <- nodes() -- Others],
            Session = make_ref(),
            Check = {conf_check, ?CC_VSN, node(), {self(), Session}, sync, C#conf.name, C#conf.publish, C#conf.own},
            Mons = maps:from_list([{N, begin
                                           M = erlang:monitor(process, {global_group, N}),
                                           gen_server:cast({global_group, N}, Check),
                                           M
                                       end} || N <- Others]),
            Old = S#state.nodes,
            S#state{conf = C, check = {Session, Mons},
                    nodes = maps:from_list([{N, maps:get(N, Old, no_contact)} || N <- Others])}
    end.

%% ---------- searching other nodes ----------

%% A search runs in its own process and answers the caller itself.
search(From, Fun) ->
    spawn(fun() -> gen_server:reply(From, Fun()) end).

%% The nodes to ask, in order: a node, a group's nodes, or every other group's.
targets({node, Node}, _S) -> [[Node]];
targets({group, G}, #state{conf = C}) ->
    case lists:keyfind(G, 1, C#conf.other) of
        {G, Nodes} -> [Nodes];
        false -> []
    end;
targets(any, #state{conf = C}) -> [Nodes || {_, Nodes} <- C#conf.other].

find([], _Name) -> undefined;
find([Nodes | Groups], Name) ->
    case first(Nodes, {find_name, self(), Name}, find_name_res) of
        {ok, Pid} when is_pid(Pid) -> Pid;
        _ -> find(Groups, Name)
    end.

names([]) -> [];
names([Nodes | _]) ->
    case first(Nodes, {registered_names, self()}, registered_names_res) of
        {ok, Names} -> Names;
        down -> []
    end.

%% The answer of the first node of Nodes that can be reached.
first([], _Req, _Tag) -> down;
first([Node | Nodes], Req, Tag) ->
    case net_adm:ping(Node) of
        pang ->
            first(Nodes, Req, Tag);
        pong ->
            monitor_node(Node, true),
            gen_server:cast({global_group, Node}, Req),
            receive
                {nodedown, Node} -> first(Nodes, Req, Tag);
                {Tag, Result} -> monitor_node(Node, false), {ok, Result}
            end
    end.

deliver(Pid, _Name, Msg) when is_pid(Pid) -> Pid ! Msg, Pid;
deliver(_, Name, Msg) -> {badarg, {Name, Msg}}.
