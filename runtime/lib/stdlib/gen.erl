%% gen: what the behaviours share. Starting a named or anonymous process through proc_lib,
%% the call protocol (a monitor, {Label, {self(), Tag}, Request}, a selective receive on the tag),
%% replies, asynchronous requests, and the name, parent, debug and status helpers.
-module(gen).

-export([start/5, start/6, init_it/6, init_it/7]).
-export([call/3, call/4, reply/2, stop/1, stop/3]).
-export([send_request/3, send_request/5, wait_response/2, wait_response/3,
         receive_response/2, receive_response/3, check_response/2, check_response/3,
         reqids_new/0, reqids_size/1, reqids_add/3, reqids_to_list/1]).
-export([where/1, name/1, unregister_name/1, get_proc_name/1, get_parent/0,
         debug_options/2, hibernate_after/1, format_status_header/2, format_status/4]).
%% terl's: the frames BEAM's stack trace would show under a behaviour's loop, and the parts the
%% behaviours' report callbacks share
-export([stack/2, started_frames/0, log/4, report_text/4, report_directive/1, report_args/2,
         explain_undef/1, client_info/1, client_lines/2, client_line/2]).

-define(MAX_TIMEOUT, 16#ffffffff).

%% A call through a monitor that is an alias too: a reply that comes after a timeout is dropped
%% instead of reaching the caller's mailbox. The reply is {[alias | Mon], Reply}; the monitor's
%% 'DOWN' says the server is gone. (A macro: gen:call/4's common case runs it in its own frame.)
-define(ALIAS_CALL(Process, Label, Request, Timeout),
        begin
            Mon = erlang:monitor(process, Process, [{alias, demonitor}]),
            Tag = [alias | Mon],
            erlang:send(Process, {Label, {self(), Tag}, Request}, [noconnect]),
            receive
                {[alias | Mon], Reply} ->
                    erlang:demonitor(Mon, [flush]),
                    {ok, Reply};
                {'DOWN', Mon, _, _, noconnection} ->
                    exit({nodedown, node_of(Process)});
                {'DOWN', Mon, _, _, Reason} ->
                    exit(Reason)
            after Timeout ->
                    erlang:demonitor(Mon, [flush]),
                    %% a reply that came in the meantime still counts
                    receive
                        {[alias | Mon], Reply} -> {ok, Reply}
                    after 0 -> exit(timeout)
                    end
            end
        end).

%% ---------------------------------------------------------------------------
%% Starting: Name is {local, N}, {global, N} or {via, Mod, N}; Link is link, monitor or nolink.

start(GenMod, Link, Name, Mod, Args, Options) ->
    case where(Name) of
        undefined -> spawn_start(GenMod, Link, [Name, Mod, Args, Options], Options);
        Pid -> {error, {already_started, Pid}}
    end.

start(GenMod, Link, Mod, Args, Options) ->
    spawn_start(GenMod, Link, [Mod, Args, Options], Options).

%% The parent is the starter when linked or monitored, or the process itself ('self').
spawn_start(GenMod, link, Rest, Options) ->
    proc_lib:start_link(?MODULE, init_it, [GenMod, self(), self() | Rest],
                        timeout(Options), spawn_opts(Options));
spawn_start(GenMod, monitor, Rest, Options) ->
    case proc_lib:start_monitor(?MODULE, init_it, [GenMod, self(), self() | Rest],
                                timeout(Options), spawn_opts(Options)) of
        {{ok, Pid}, Mon} when is_pid(Pid), is_reference(Mon) ->
            {ok, {Pid, Mon}};
        {Failed, Mon} when is_reference(Mon) ->
            %% the process is gone or going: wait for it before answering
            receive {'DOWN', Mon, process, _, _} -> ok end,
            Failed
    end;
spawn_start(GenMod, _, Rest, Options) ->
    proc_lib:start(?MODULE, init_it, [GenMod, self(), self | Rest],
                   timeout(Options), spawn_opts(Options)).

%% In the new process: take the name, then run the behaviour's own init_it.
init_it(GenMod, Starter, Parent, Mod, Args, Options) ->
    GenMod:init_it(Starter, Parent, self(), Mod, Args, Options).

init_it(GenMod, Starter, Parent, Name, Mod, Args, Options) ->
    case register_name(Name) of
        true -> GenMod:init_it(Starter, Parent, Name, Mod, Args, Options);
        {false, Pid} -> proc_lib:init_ack(Starter, {error, {already_started, Pid}})
    end.

timeout(Options) -> option(timeout, Options, infinity).

spawn_opts(Options) -> option(spawn_opt, Options, []).

hibernate_after(Options) -> option(hibernate_after, Options, infinity).

option(Key, Options, Default) ->
    case lists:keyfind(Key, 1, Options) of
        {_, Value} -> Value;
        false -> Default
    end.

%% ---------------------------------------------------------------------------
%% Calls. The reply is {Tag, Reply}; the monitor's 'DOWN' says the server is gone. A call that
%% may time out (or goes to another node) uses the monitor as an alias too, so a late reply is
%% dropped instead of reaching the caller's mailbox.

call(Process, Label, Request) ->
    call(Process, Label, Request, 5000).

-file("gen.erl", 214).
call(Process, Label, Request, Timeout) when is_pid(Process), is_integer(Timeout), Timeout >= 0,
                                            Process =/= self() ->
    %% the common case, in this function (each call on the path costs: a function's frame is an
    %% object made per call)
    ?ALIAS_CALL(Process, Label, Request, Timeout);
call(Process, Label, Request, Timeout) when is_pid(Process), Timeout =:= infinity;
                                            is_pid(Process), is_integer(Timeout), Timeout >= 0 ->
    do_call(Process, Label, Request, Timeout);
call(Process, Label, Request, Timeout) when Timeout =:= infinity;
                                            is_integer(Timeout), Timeout >= 0 ->
    with_pid(Process, fun(Pid) -> do_call(Pid, Label, Request, Timeout) end).

do_call(Process, _Label, _Request, _Timeout) when Process =:= self() ->
    exit(calling_self);
do_call(Process, Label, Request, infinity)
  when is_pid(Process), node(Process) =:= node();
       tuple_size(Process) =:= 2, element(2, Process) =:= node(), is_atom(element(1, Process)) ->
    Mon = erlang:monitor(process, Process),
    Process ! {Label, {self(), Mon}, Request},
    receive
        {Mon, Reply} ->
            erlang:demonitor(Mon, [flush]),
            {ok, Reply};
        {'DOWN', Mon, _, _, Reason} ->
            exit(Reason)
    end;
do_call(Process, Label, Request, Timeout) ->
    alias_call(Process, Label, Request, Timeout).

alias_call(Process, Label, Request, Timeout) ->
    ?ALIAS_CALL(Process, Label, Request, Timeout).

node_of({_Name, Node}) when is_atom(Node) -> Node;
node_of(Pid) when is_pid(Pid) -> node(Pid).

%% Find the process a server reference names, or exit as a call to nobody does.
with_pid(Pid, Fun) when is_pid(Pid) ->
    Fun(Pid);
with_pid(Name, Fun) when is_atom(Name) ->
    case whereis(Name) of
        Pid when is_pid(Pid) -> Fun(Pid);
        undefined -> exit(noproc)
    end;
with_pid({global, _} = Process, Fun) ->
    with_found_pid(Process, Fun);
with_pid({via, _, _} = Process, Fun) ->
    with_found_pid(Process, Fun);
with_pid({Name, Node}, Fun) when Node =:= node() ->
    with_pid(Name, Fun);
with_pid({_Name, Node} = Process, Fun) when is_atom(Node) ->
    case node() of
        nonode@nohost -> exit({nodedown, Node});
        _ -> Fun(Process)
    end.

with_found_pid(Process, Fun) ->
    case where(Process) of
        Pid when is_pid(Pid) ->
            Node = node(Pid),
            %% a node that went down before the name service noticed: the name is as good as gone
            try Fun(Pid)
            catch exit:{nodedown, Node} -> exit(noproc)
            end;
        undefined -> exit(noproc)
    end.

reply({_To, [alias | Alias] = Tag}, Reply) when is_reference(Alias) ->
    Alias ! {Tag, Reply},
    ok;
reply({_To, [[alias | Alias] | _] = Tag}, Reply) when is_reference(Alias) ->
    Alias ! {Tag, Reply},
    ok;
reply({To, Tag}, Reply) ->
    try To ! {Tag, Reply}, ok
    catch _:_ -> ok
    end.

stop(Process) -> stop(Process, normal, infinity).

stop(Process, Reason, Timeout) when Timeout =:= infinity; is_integer(Timeout), Timeout >= 0 ->
    with_pid(Process, fun(Pid) -> proc_lib:stop(Pid, Reason, Timeout) end).

%% ---------------------------------------------------------------------------
%% Asynchronous requests: the request id is the monitor (an alias); a collection maps ids to labels.

send_request(Process, Label, Request) when is_pid(Process) ->
    request(Process, Label, Request);
send_request(Process, Label, Request) ->
    try with_pid(Process, fun(Pid) -> request(Pid, Label, Request) end)
    catch exit:Reason ->
            %% no such server: the answer is a 'DOWN', as if it had died at once
            Mon = make_ref(),
            self() ! {'DOWN', Mon, process, Process, Reason},
            Mon
    end.

send_request(Process, Label, Request, ReqLabel, ReqIds) when is_map(ReqIds) ->
    maps:put(send_request(Process, Label, Request), ReqLabel, ReqIds).

request(Process, Label, Request) ->
    Mon = erlang:monitor(process, Process, [{alias, demonitor}]),
    _ = erlang:send(Process, {Label, {self(), [alias | Mon]}, Request}, [noconnect]),
    Mon.

wait_response(ReqId, Timeout) ->
    Wait = wait_time(Timeout),
    receive
        {[alias | ReqId], Reply} ->
            erlang:demonitor(ReqId, [flush]),
            {reply, Reply};
        {'DOWN', ReqId, _, Object, Reason} ->
            {error, {Reason, Object}}
    after Wait -> timeout
    end.

wait_response(ReqIds, Timeout, Delete) ->
    wait_in_collection(ReqIds, Timeout, Delete, fun() -> timeout end).

%% Like wait_response, but on a timeout the request is abandoned.
receive_response(ReqId, Timeout) ->
    Wait = wait_time(Timeout),
    receive
        {[alias | ReqId], Reply} ->
            erlang:demonitor(ReqId, [flush]),
            {reply, Reply};
        {'DOWN', ReqId, _, Object, Reason} ->
            {error, {Reason, Object}}
    after Wait ->
            erlang:demonitor(ReqId, [flush]),
            receive
                {[alias | ReqId], Reply} -> {reply, Reply}
            after 0 -> timeout
            end
    end.

receive_response(ReqIds, Timeout, Delete) ->
    wait_in_collection(ReqIds, Timeout, Delete,
                       fun() ->
                               [erlang:demonitor(ReqId, [flush]) || ReqId <- maps:keys(ReqIds)],
                               flush_replies(ReqIds),
                               timeout
                       end).

%% The first answer to any request of the collection; OnTimeout's answer if none comes in time.
wait_in_collection(ReqIds, Timeout, Delete, _OnTimeout) when map_size(ReqIds) =:= 0, is_boolean(Delete) ->
    _ = wait_time(Timeout),
    no_request;
wait_in_collection(ReqIds, Timeout, Delete, OnTimeout) when is_map(ReqIds), is_boolean(Delete) ->
    Wait = wait_time(Timeout),
    receive
        {[alias | ReqId], _} = Msg when is_map_key(ReqId, ReqIds) ->
            in_collection(Msg, ReqIds, Delete);
        {'DOWN', ReqId, _, _, _} = Msg when is_map_key(ReqId, ReqIds) ->
            in_collection(Msg, ReqIds, Delete)
    after Wait -> OnTimeout()
    end;
wait_in_collection(_, _, _, _) ->
    error(badarg).

check_response(Msg, ReqId) when is_reference(ReqId) ->
    case Msg of
        {[alias | ReqId], Reply} ->
            erlang:demonitor(ReqId, [flush]),
            {reply, Reply};
        {'DOWN', ReqId, _, Object, Reason} ->
            {error, {Reason, Object}};
        _ -> no_reply
    end;
check_response(_, _) ->
    error(badarg).

check_response(_Msg, ReqIds, Delete) when map_size(ReqIds) =:= 0, is_boolean(Delete) ->
    no_request;
check_response(Msg, ReqIds, Delete) when is_map(ReqIds), is_boolean(Delete) ->
    case Msg of
        {[alias | ReqId], _} when is_map_key(ReqId, ReqIds) ->
            in_collection(Msg, ReqIds, Delete);
        {'DOWN', ReqId, _, _, _} when is_map_key(ReqId, ReqIds) ->
            in_collection(Msg, ReqIds, Delete);
        _ -> no_reply
    end;
check_response(_, _, _) ->
    error(badarg).

in_collection({[alias | ReqId], Reply}, ReqIds, Delete) ->
    erlang:demonitor(ReqId, [flush]),
    labelled({reply, Reply}, ReqId, ReqIds, Delete);
in_collection({'DOWN', ReqId, _, Object, Reason}, ReqIds, Delete) ->
    labelled({error, {Reason, Object}}, ReqId, ReqIds, Delete).

labelled(Response, ReqId, ReqIds, false) ->
    {Response, maps:get(ReqId, ReqIds), ReqIds};
labelled(Response, ReqId, ReqIds, true) ->
    {Label, Rest} = maps:take(ReqId, ReqIds),
    {Response, Label, Rest}.

flush_replies(ReqIds) ->
    receive
        {[alias | ReqId], _} when is_map_key(ReqId, ReqIds) -> flush_replies(ReqIds)
    after 0 -> ok
    end.

wait_time(infinity) -> infinity;
wait_time(T) when is_integer(T), T >= 0, T =< ?MAX_TIMEOUT -> T;
wait_time({abs, T}) when is_integer(T) ->
    case T - erlang:monotonic_time(millisecond) of
        Left when Left < 0 -> 0;
        Left when Left > ?MAX_TIMEOUT -> error(badarg);
        Left -> Left
    end;
wait_time(_) -> error(badarg).

reqids_new() -> #{}.

reqids_size(ReqIds) when is_map(ReqIds) -> map_size(ReqIds);
reqids_size(_) -> error(badarg).

reqids_add(ReqId, _, ReqIds) when is_reference(ReqId), is_map_key(ReqId, ReqIds) -> error(badarg);
reqids_add(ReqId, Label, ReqIds) when is_reference(ReqId), is_map(ReqIds) -> ReqIds#{ReqId => Label};
reqids_add(_, _, _) -> error(badarg).

reqids_to_list(ReqIds) when is_map(ReqIds) -> maps:to_list(ReqIds);
reqids_to_list(_) -> error(badarg).

%% ---------------------------------------------------------------------------
%% Names

where({local, Name}) -> whereis(Name);
where({global, Name}) -> global:whereis_name(Name);
where({via, Mod, Name}) -> Mod:whereis_name(Name).

register_name({local, Name} = Local) ->
    try register(Name, self())
    catch error:_ -> {false, where(Local)}
    end;
register_name({global, Name} = Global) ->
    case global:register_name(Name, self()) of
        yes -> true;
        no -> {false, where(Global)}
    end;
register_name({via, Mod, Name} = Via) ->
    case Mod:register_name(Name, self()) of
        yes -> true;
        no -> {false, where(Via)}
    end.

%% What a server calls itself in reports and sys: its registered name, or its pid.
name({local, Name}) -> Name;
name({global, Name}) -> Name;
name({via, _, Name}) -> Name;
name(Pid) when is_pid(Pid) -> Pid.

unregister_name({local, Name}) ->
    try unregister(Name) of _ -> ok
    catch _:_ -> ok
    end;
unregister_name({global, Name}) ->
    _ = global:unregister_name(Name),
    ok;
unregister_name({via, Mod, Name}) ->
    _ = Mod:unregister_name(Name),
    ok;
unregister_name(Pid) when is_pid(Pid) ->
    ok.

%% enter_loop: the name the process must already have. (OTP 25's lines, for the traces of a
%% process that gets it wrong.)
-file("gen.erl", 644).
get_proc_name(Pid) when is_pid(Pid) ->
    Pid;
get_proc_name({local, Name}) ->
    case process_info(self(), registered_name) of
        {registered_name, Name} ->
            Name;
        {registered_name, _Other} ->
            exit(process_not_registered);
        [] ->
            exit(process_not_registered)
    end;
get_proc_name({global, Name}) ->
    case global:whereis_name(Name) of
        undefined ->
            exit(process_not_registered_globally);
        Pid when Pid =:= self() ->
            Name;
        _Pid ->
            exit(process_not_registered_globally)
    end;
get_proc_name({via, Mod, Name}) ->
    case Mod:whereis_name(Name) of
        undefined ->
            exit({process_not_registered_via, Mod});
        Pid when Pid =:= self() ->
            Name;
        _Pid ->
            exit({process_not_registered_via, Mod})
    end.

get_parent() ->
    case get('$ancestors') of
        [Parent | _] when is_pid(Parent) ->
            Parent;
        [Parent | _] when is_atom(Parent) ->
            pid_of_name(Parent);
        _ ->
            exit(process_was_not_started_by_proc_lib)
    end.

pid_of_name(Name) ->
    case whereis(Name) of
        undefined ->
            case global:whereis_name(Name) of
                undefined -> exit(could_not_find_registered_name);
                Pid -> Pid
            end;
        Pid -> Pid
    end.

%% ---------------------------------------------------------------------------
%% Debug options and status

debug_options(Name, Options) ->
    case lists:keyfind(debug, 1, Options) of
        {_, Flags} ->
            try sys:debug_options(Flags)
            catch _:_ ->
                    log(error, ?MODULE, {"~tp: ignoring erroneous debug options - ~tp~n", [Name, Flags]},
                        #{error_logger => #{tag => error}}),
                    []
            end;
        false -> []
    end.

format_status_header(Title, Pid) when is_pid(Pid) ->
    lists:concat([Title, " ", pid_to_list(Pid)]);
format_status_header(Title, Name) when is_atom(Name) ->
    lists:concat([Title, " ", Name]);
format_status_header(Title, Name) ->
    {Title, Name}.

%% The callback's view of its status: format_status/1 (a map in, a map out) if it has one, the
%% older format_status/2 if not; a failing callback leaves a note under 'EXIT'.
format_status(Mod, Opt, Status, Args) ->
    case {erlang:function_exported(Mod, format_status, 1),
          erlang:function_exported(Mod, format_status, 2)} of
        {true, _} ->
            Note = fun(What) -> Status#{'EXIT' => atom_to_list(Mod) ++ ":format_status/1 " ++ What} end,
            try Mod:format_status(Status) of
                New when is_map(New) ->
                    Merged = maps:merge(Status, New),
                    case map_size(Merged) =:= map_size(New) of
                        true -> Merged;
                        false -> Note("returned a map with unknown keys")
                    end;
                _ -> Note("did not return a map")
            catch _:_ -> Note("crashed")
            end;
        {false, true} when is_list(Args) ->
            try Mod:format_status(Opt, Args) of
                Result -> Status#{'$status' => Result}
            catch
                throw:Result -> Status#{'$status' => Result};
                _:_ -> Status#{'EXIT' => atom_to_list(Mod) ++ ":format_status/2 crashed"}
            end;
        {false, _} -> Status
    end.

%% ---------------------------------------------------------------------------
%% Stack traces. terl's caught stack trace ends at the catching function (its callers' frames are
%% added only while an exception unwinds), so a behaviour adds the frames BEAM's trace would show
%% below it: its loop's, then the frame proc_lib started it from. BEAM keeps at most 8.

stack(Stack, Frames) ->
    lists:sublist(Stack ++ Frames ++ started_frames(), 8).

started_frames() ->
    case get('$initial_call') of
        undefined -> [];
        _ -> [{proc_lib, init_p_do_apply, 3, [{file, "proc_lib.erl"}, {line, 240}]}]
    end.

%% ---------------------------------------------------------------------------
%% Reports. log/4 is OTP's ?LOG_ERROR & co: the event goes to logger if its level passes.
%% A behaviour's report callback (format_log/2) gives its report and the formatter's options;
%% Lines or OneLine (as the options say) answer {Format, Args} for the options completed with
%% logger's defaults (multi-line, no depth or length limit). ~p or ~tp, ~P with the depth if limited.

log(Level, Module, Report, Meta) ->
    case logger:allow(Level, Module) of
        true -> logger:macro_log(#{mfa => {Module, log, 4}}, Level, Report, Meta);
        false -> ok
    end.

report_text(Report, Opts0, Lines, OneLine) ->
    Opts = maps:merge(#{chars_limit => unlimited, depth => unlimited,
                        single_line => false, encoding => utf8}, Opts0),
    {Text, Args} = case Opts of
                       #{single_line := true} -> OneLine(Report, Opts);
                       _ -> Lines(Report, Opts)
                   end,
    io_lib:format(Text, Args).

report_directive(#{single_line := Single, depth := Depth, encoding := Enc}) ->
    "~" ++ case Single of true -> "0"; false -> "" end
        ++ case Enc of latin1 -> ""; _ -> "t" end
        ++ case Depth of unlimited -> "p"; _ -> "P" end.

report_args(Terms, #{depth := unlimited}) -> Terms;
report_args(Terms, #{depth := Depth}) -> lists:append([[T, Depth] || T <- Terms]).

%% Who was waiting for a reply when a behaviour ended, and where (a local caller's current stack
%% trace): the report's client_info, and its text in a multi-line and in a one-line report.
client_info(undefined) -> undefined;
client_info({Pid, _Tag}) -> client_info(Pid);
client_info(Pid) when is_pid(Pid), node(Pid) =:= node() ->
    case process_info(Pid, [current_stacktrace, registered_name]) of
        undefined -> {Pid, dead};
        [{current_stacktrace, Stack}, {registered_name, []}] -> {Pid, {Pid, Stack}};
        [{current_stacktrace, Stack}, {registered_name, Name}] -> {Pid, {Name, Stack}}
    end;
client_info(Pid) when is_pid(Pid) -> {Pid, remote};
client_info(_) -> undefined.

client_lines(undefined, _) -> {"", []};
client_lines({Pid, dead}, _) -> {"** Client ~p is dead~n", [Pid]};
client_lines({Pid, remote}, _) -> {"** Client ~p is remote on node ~p~n", [Pid, node(Pid)]};
client_lines({_Pid, {Name, Stack}}, Opts) ->
    P = report_directive(Opts),
    {"** Client " ++ P ++ " stacktrace~n** " ++ P ++ "~n", report_args([Name, Stack], Opts)}.

client_line(undefined, _) -> {"", []};
client_line({Pid, dead}, _) -> {" Client ~0p is dead.", [Pid]};
client_line({Pid, remote}, _) -> {" Client ~0p is remote on node ~0p.", [Pid, node(Pid)]};
client_line({_Pid, {Name, Stack}}, Opts) ->
    P = report_directive(Opts),
    {" Client " ++ P ++ " stacktrace: " ++ P ++ ".", report_args([Name, lists:sublist(Stack, 4)], Opts)}.

%% A report's undef says why: the module could not be loaded, or the function is not exported.
explain_undef({undef, [{M, F, A, _} | _] = Stack} = Reason) when is_list(A) ->
    case code:is_loaded(M) of
        false -> {'module could not be loaded', Stack};
        _ ->
            case erlang:function_exported(M, F, length(A)) of
                true -> Reason;
                false -> {'function not exported', Stack}
            end
    end;
explain_undef(Reason) ->
    Reason.
