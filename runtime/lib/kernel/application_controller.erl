%% application_controller: the registered process that knows the loaded applications (their .app
%% keys and environment) and runs the started ones, each under an application master
%% (application_master.erl). kernel and stdlib are loaded and running from the start, as in erl.
%% terl starts the controller on the first call that needs it.
%%
%% When a started application stops, or its top process exits, the controller logs it as OTP's
%% does ("application: x / exited: stopped / type: temporary"); a permanent application that
%% exits takes the node down.

-module(application_controller).

-export([call/1, format_exit/2]).

-define(NAME, application_controller).

%% apps: name => #{keys => Keys, env => Env}; running: [{Name, Type, Master}], last started first
%% starting: name => {Master, Type, From, Ref}; stopping: master => {From, Ref}
-record(st, {apps = #{}, running = [], starting = #{}, stopping = #{}}).

call(Request) ->
    Ref = make_ref(),
    Controller = controller(),
    Mon = erlang:monitor(process, Controller),
    Controller ! {call, self(), Ref, Request},
    receive
        {Ref, Reply} ->
            erlang:demonitor(Mon, [flush]),
            Reply;
        {'DOWN', Mon, process, _, Reason} ->
            exit({Reason, {application_controller, call, [Request]}})
    end.

controller() ->
    case whereis(?NAME) of
        undefined ->
            Pid = spawn(fun init/0),
            try register(?NAME, Pid) of
                true -> Pid ! registered, Pid
            catch error:badarg ->
                %% another process started it first
                exit(Pid, kill),
                controller()
            end;
        Pid ->
            Pid
    end.

init() ->
    receive registered -> ok end,
    %% the controller outlives whoever started it: its output (and its masters') goes to `user`
    case whereis(user) of
        undefined -> ok;
        User -> group_leader(User, self())
    end,
    process_flag(trap_exit, true),
    Apps = #{kernel => #{keys => kernel_keys() ++ [{env, lists:reverse(kernel_env())}], env => kernel_env()},
             stdlib => #{keys => stdlib_keys(), env => []}},
    loop(#st{apps = Apps, running = [{stdlib, permanent, none}, {kernel, permanent, none}]}).

loop(St) ->
    receive
        {call, From, Ref, Request} ->
            loop(handle(Request, From, Ref, St));
        {started, Master, Result} ->
            loop(started(Master, Result, St));
        {'EXIT', Master, Reason} ->
            loop(exited(Master, Reason, St));
        _ ->
            loop(St)
    end.

reply(From, Ref, Reply) ->
    From ! {Ref, Reply}.

handle(Request, From, Ref, St) ->
    case request(Request, From, Ref, St) of
        {reply, Reply, St1} -> reply(From, Ref, Reply), St1;
        {noreply, St1} -> St1
    end.

%% ---------------------------------------------------------------------
%% Requests

request({load, {application, Name, Keys}}, _From, _Ref, St) when is_atom(Name), is_list(Keys) ->
    load(Name, Keys, St);
request({load, Name}, _From, _Ref, St) when is_atom(Name) ->
    case loaded(Name, St) of
        true -> {reply, {error, {already_loaded, Name}}, St};
        false ->
            case read_app_file(Name) of
                {ok, Keys} -> load(Name, Keys, St);
                Error -> {reply, Error, St}
            end
    end;
request({unload, Name}, _From, _Ref, St) ->
    case {loaded(Name, St), running(Name, St)} of
        {false, _} -> {reply, {error, {not_loaded, Name}}, St};
        {true, true} -> {reply, {error, {running, Name}}, St};
        {true, false} -> {reply, ok, St#st{apps = maps:remove(Name, St#st.apps)}}
    end;
request({start, Name, Type}, From, Ref, St) ->
    case {running(Name, St), maps:is_key(Name, St#st.starting)} of
        {false, false} -> start(Name, Type, From, Ref, St);
        _ -> {reply, {error, {already_started, Name}}, St}
    end;
request({stop, Name}, From, Ref, St) ->
    case lists:keyfind(Name, 1, St#st.running) of
        {_Name, _Type, Master} when is_pid(Master) ->
            %% answered when the master is gone; meanwhile the application may still ask things
            application_master:stop(Master),
            {noreply, St#st{stopping = maps:put(Master, {From, Ref}, St#st.stopping)}};
        {Name, Type, library} ->
            info_exited(Name, stopped, Type),
            {reply, ok, St#st{running = lists:keydelete(Name, 1, St#st.running)}};
        _ ->
            {reply, {error, {not_started, Name}}, St}
    end;
request(which_applications, _From, _Ref, St) ->
    {reply, [{N, key(N, description, St), key(N, vsn, St)} || {N, _, _} <- St#st.running], St};
request(loaded_applications, _From, _Ref, St) ->
    %% (erl lists them in its table's order; stdlib before kernel, as there)
    {reply, [{N, key(N, description, St), key(N, vsn, St)} || N <- lists:reverse(lists:sort(maps:keys(St#st.apps)))], St};
request({get_env, Name, Key}, _From, _Ref, St) ->
    case lists:keyfind(Key, 1, env(Name, St)) of
        {Key, Value} -> {reply, {ok, Value}, St};
        false -> {reply, undefined, St}
    end;
request({get_all_env, Name}, _From, _Ref, St) ->
    {reply, env(Name, St), St};
request({set_env, Name, Key, Value}, _From, _Ref, St) ->
    Env = env(Name, St),
    New = case lists:keymember(Key, 1, Env) of
              true -> lists:keyreplace(Key, 1, Env, {Key, Value});
              false -> Env ++ [{Key, Value}]
          end,
    {reply, ok, set_app_env(Name, New, St)};
request({unset_env, Name, Key}, _From, _Ref, St) ->
    {reply, ok, set_app_env(Name, lists:keydelete(Key, 1, env(Name, St)), St)};
request({get_key, Name, Key}, _From, _Ref, St) ->
    case maps:find(Name, St#st.apps) of
        {ok, #{keys := Keys}} ->
            case lists:keyfind(Key, 1, all_keys(Name, Keys, St)) of
                {Key, Value} -> {reply, {ok, Value}, St};
                false -> {reply, undefined, St}
            end;
        error ->
            {reply, undefined, St}
    end;
request({get_all_key, Name}, _From, _Ref, St) ->
    case maps:find(Name, St#st.apps) of
        {ok, #{keys := Keys}} -> {reply, {ok, all_keys(Name, Keys, St)}, St};
        error -> {reply, undefined, St}
    end;
request({application_of, GL}, _From, _Ref, St) ->
    case [N || {N, _, Master} <- St#st.running, Master =:= GL] of
        [Name | _] -> {reply, {ok, Name}, St};
        [] -> {reply, undefined, St}
    end;
request({application_of_module, Module}, _From, _Ref, St) ->
    Owners = [N || {N, #{keys := Keys}} <- maps:to_list(St#st.apps),
                   lists:member(Module, proplists:get_value(modules, Keys, []))],
    case Owners of
        [Name | _] -> {reply, {ok, Name}, St};
        [] -> {reply, undefined, St}
    end;
request(Other, _From, _Ref, St) ->
    {reply, {error, {unknown_request, Other}}, St}.

%% ---------------------------------------------------------------------
%% Loading

%% Name.app from the code path: {application, Name, Keys}.
read_app_file(Name) ->
    File = atom_to_list(Name) ++ ".app",
    case [F || Dir <- code:get_path(), F <- [filename:join(Dir, File)],
               element(1, file:read_file_info(F)) =:= ok] of
        [] ->
            {error, {file:format_error(enoent), File}};
        [Path | _] ->
            case file:consult(Path) of
                {ok, [{application, _, Keys}]} when is_list(Keys) -> {ok, Keys};
                {ok, [Other]} -> {error, {bad_application, Other}};
                {ok, _} -> {error, {bad_application, File}};
                {error, Reason} -> {error, {file:format_error(Reason), File}}
            end
    end.

load(Name, Keys, St) ->
    case loaded(Name, St) of
        true -> {reply, {error, {already_loaded, Name}}, St};
        false ->
            Env = proplists:get_value(env, Keys, []),
            {reply, ok, St#st{apps = maps:put(Name, #{keys => Keys, env => Env}, St#st.apps)}}
    end.

loaded(Name, St) -> maps:is_key(Name, St#st.apps).

running(Name, St) -> lists:keymember(Name, 1, St#st.running).

env(Name, St) ->
    case maps:find(Name, St#st.apps) of
        {ok, #{env := Env}} -> Env;
        error -> []
    end.

set_app_env(Name, Env, St) ->
    Apps = St#st.apps,
    App = maps:get(Name, Apps, #{keys => [], env => []}),
    St#st{apps = Apps#{Name => App#{env := Env}}}.

key(Name, Key, St) ->
    #{keys := Keys} = maps:get(Name, St#st.apps),
    proplists:get_value(Key, all_keys(Name, Keys, St)).

%% The keys with their defaults, in the order application:get_all_key/1 lists them (env as
%% loading merged it, which reverses the .app file's list).
all_keys(_Name, Keys, _St) ->
    Defaults = [{description, ""}, {id, ""}, {vsn, ""}, {modules, []}, {maxP, infinity},
                {maxT, infinity}, {registered, []}, {included_applications, []},
                {optional_applications, []}, {applications, []}, {env, []}, {mod, []},
                {start_phases, undefined}],
    [case K of
         env -> {env, lists:reverse(proplists:get_value(env, Keys, []))};
         _ -> {K, proplists:get_value(K, Keys, D)}
     end || {K, D} <- Defaults].

kernel_keys() ->
    [{description, "ERTS  CXC 138 10"}, {vsn, "8.5.3"}, {mod, {kernel, []}}].

stdlib_keys() ->
    [{description, "ERTS  CXC 138 10"}, {vsn, "4.2"}, {applications, [kernel]}].

%% kernel's environment as erl's, with the -kernel Key Value pairs of the command line.
kernel_env() ->
    Defaults = [{net_tickintensity, 4}, {shell_docs_ansi, auto}, {net_ticktime, 60},
                {prevent_overlapping_partitions, true},
                {logger, [{handler, default, logger_std_h,
                           #{config => #{type => standard_io},
                             formatter => {logger_formatter, #{legacy_header => true, single_line => false}}}}]},
                {logger_level, notice}, {connect_all, true}, {logger_sasl_compatible, false}],
    lists:foldl(fun ({K, V}, Env) -> lists:keystore(K, 1, Env, {K, V}) end, Defaults,
                config_env(kernel) ++ command_line_env()).

%% An application's parameters from the -config files (sys.config: [{App, [{Key, Value}]}]).
config_env(App) ->
    Files = case init:get_argument(config) of
                {ok, Lists} -> lists:append(Lists);
                error -> []
            end,
    lists:append([proplists:get_value(App, config_file(F), []) || F <- Files]).

config_file(F) ->
    Name = case filename:extension(F) of ".config" -> F; _ -> F ++ ".config" end,
    case file:consult(Name) of
        {ok, [Terms]} when is_list(Terms) -> Terms;
        _ -> []
    end.

command_line_env() ->
    case init:get_argument(kernel) of
        {ok, Lists} -> pairs(lists:append(Lists));
        error -> []
    end.

pairs([K, V | Rest]) -> [{list_to_atom(K), value(V)} | pairs(Rest)];
pairs(_) -> [].

%% a value is read as a term, as erl reads it ('[{g1,[a@h]}]', 9100); text that is no term stays an atom
value(Text) ->
    case terl_config:parse_term(Text) of
        {ok, Term} -> Term;
        error -> list_to_atom(Text)
    end.

%% ---------------------------------------------------------------------
%% Starting and exits

start(Name, Type, From, Ref, St) ->
    #{keys := Keys} = maps:get(Name, St#st.apps),
    case [A || A <- proplists:get_value(applications, Keys, []), not running(A, St)] of
        [Missing | _] ->
            {reply, {error, {not_started, Missing}}, St};
        [] ->
            case proplists:get_value(mod, Keys, []) of
                {Mod, Args} ->
                    Master = application_master:start_link(Name, Mod, Args),
                    {noreply, St#st{starting = maps:put(Name, {Master, Type, From, Ref}, St#st.starting)}};
                [] ->
                    %% a library application: nothing to run
                    {reply, ok, St#st{running = [{Name, Type, library} | St#st.running]}}
            end
    end.

started(Master, Result, St) ->
    case [N || {N, {M, _, _, _}} <- maps:to_list(St#st.starting), M =:= Master] of
        [Name] ->
            {Master, Type, From, Ref} = maps:get(Name, St#st.starting),
            St1 = St#st{starting = maps:remove(Name, St#st.starting)},
            case Result of
                ok ->
                    reply(From, Ref, ok),
                    St1#st{running = [{Name, Type, Master} | St1#st.running]};
                {error, Reason} ->
                    receive {'EXIT', Master, _} -> ok end,
                    info_exited(Name, Reason, Type),
                    reply(From, Ref, {error, Reason}),
                    St1
            end;
        [] ->
            St
    end.

%% A running application's master went: stopped, or its top process exited.
exited(Master, Reason, St) ->
    case {lists:keyfind(Master, 3, St#st.running), maps:take(Master, St#st.stopping)} of
        {{Name, Type, Master}, {{From, Ref}, Stopping}} ->
            info_exited(Name, stopped, Type),
            reply(From, Ref, ok),
            St#st{running = lists:keydelete(Name, 1, St#st.running), stopping = Stopping};
        {{Name, Type, Master}, error} ->
            info_exited(Name, Reason, Type),
            stop_node_if(Name, Reason, Type),
            St#st{running = lists:keydelete(Name, 1, St#st.running)};
        _ ->
            St
    end.

stop_node_if(_Name, _Reason, temporary) -> ok;
stop_node_if(_Name, normal, transient) -> ok;
stop_node_if(Name, Reason, _Type) ->
    %% the node goes down, as erl's does when its application controller exits with this reason
    Why = lists:flatten(io_lib:format("~tp", [{application_terminated, Name, Reason}])),
    flush_logger(),
    erlang:display({"Kernel pid terminated", ?NAME, Why}),
    erlang:halt("Kernel pid terminated (" ++ atom_to_list(?NAME) ++ ") (" ++ Why ++ ")").

%% The exit report is printed before the node goes: the logger has taken every event, and
%% `user` has printed what the logger gave it.
flush_logger() ->
    case whereis(logger) of
        undefined -> ok;
        Logger -> wait_taken(Logger, 100)
    end,
    io:put_chars(user, "").

wait_taken(_Logger, 0) -> ok;
wait_taken(Logger, N) ->
    case process_info(Logger, message_queue_len) of
        {message_queue_len, 0} -> ok;
        _ -> timer:sleep(1), wait_taken(Logger, N - 1)
    end.

info_exited(Name, Reason, Type) ->
    logger:notice(#{label => {application_controller, exit},
                    report => [{application, Name}, {exited, Reason}, {type, Type}]},
                  #{domain => [otp], report_cb => fun ?MODULE:format_exit/2,
                    error_logger => #{tag => info_report, type => std_info}}).

%% The exit report's text: a line each, or one sentence in a single-line format.
format_exit(#{report := [{application, Name}, {exited, Reason}, {type, Type}]}, Opts) ->
    case Opts of
        #{single_line := true} ->
            io_lib:format("Application: ~0tp. Exited: ~0tp. Type: ~0tp.", [Name, Reason, Type]);
        _ ->
            io_lib:format("    application: ~tp~n    exited: ~tp~n    type: ~tp~n", [Name, Reason, Type])
    end.
