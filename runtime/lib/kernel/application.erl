%% application: loading, starting and stopping applications, and their environment. The work is
%% the application controller's (application_controller.erl); these functions ask it.

-module(application).

-export([load/1, load/2, unload/1, start/1, start/2, stop/1, ensure_started/1, ensure_started/2,
         ensure_all_started/1, ensure_all_started/2, which_applications/0, which_applications/1,
         loaded_applications/0, get_env/1, get_env/2, get_env/3, get_all_env/0, get_all_env/1,
         set_env/3, set_env/4, unset_env/2, unset_env/3, get_key/1, get_key/2, get_all_key/0,
         get_all_key/1, get_application/0, get_application/1]).

load(App) -> load(App, []).

%% App is a name (its Name.app is read from the code path) or {application, Name, Keys}.
load(App, _Distributed) ->
    call({load, App}).

unload(App) -> call({unload, App}).

start(App) -> start(App, temporary).

start(App, Type) when Type =:= temporary; Type =:= transient; Type =:= permanent ->
    case load_if_needed(App) of
        ok -> call({start, name(App), Type});
        Error -> Error
    end.

stop(App) -> call({stop, App}).

ensure_started(App) -> ensure_started(App, temporary).

ensure_started(App, Type) ->
    case start(App, Type) of
        ok -> ok;
        {error, {already_started, App}} -> ok;
        Error -> Error
    end.

ensure_all_started(App) -> ensure_all_started(App, temporary).

%% App and the applications it needs, those first: {ok, Started} with the ones this call started,
%% or {error, {Failed, Reason}} naming the one that could not start (those started are stopped).
ensure_all_started(App, Type) ->
    case ensure_all(App, Type, []) of
        {ok, Started} -> {ok, lists:reverse(Started)};
        {error, Failed, Started} ->
            _ = [stop(A) || A <- Started],
            {error, Failed}
    end.

ensure_all(App, Type, Started) ->
    case load_if_needed(App) of
        ok ->
            {ok, Needed} = get_key(App, applications),
            case start_all(Needed, Started) of
                {ok, Started1} ->
                    case start(App, Type) of
                        ok -> {ok, [App | Started1]};
                        {error, {already_started, App}} -> {ok, Started1};
                        {error, Reason} -> {error, {App, Reason}, Started1}
                    end;
                Error ->
                    Error
            end;
        {error, Reason} ->
            {error, {App, Reason}, Started}
    end.

start_all([], Started) ->
    {ok, Started};
start_all([A | As], Started) ->
    case ensure_all(A, temporary, Started) of
        {ok, Started1} -> start_all(As, Started1);
        Error -> Error
    end.

load_if_needed(App) ->
    case load(App) of
        ok -> ok;
        {error, {already_loaded, _}} -> ok;
        Error -> Error
    end.

name({application, Name, _}) -> Name;
name(Name) -> Name.

which_applications() -> call(which_applications).
which_applications(_Timeout) -> which_applications().

loaded_applications() -> call(loaded_applications).

%% The environment of the calling process's application (undefined outside one).
get_env(Key) ->
    case get_application() of
        {ok, App} -> get_env(App, Key);
        undefined -> undefined
    end.

get_env(App, Key) ->
    call({get_env, App, Key}).

get_env(App, Key, Default) ->
    case get_env(App, Key) of
        {ok, Value} -> Value;
        undefined -> Default
    end.

get_all_env() ->
    case get_application() of
        {ok, App} -> get_all_env(App);
        undefined -> []
    end.

get_all_env(App) -> call({get_all_env, App}).

set_env(App, Key, Value) -> set_env(App, Key, Value, []).
set_env(App, Key, Value, _Opts) -> call({set_env, App, Key, Value}).

unset_env(App, Key) -> unset_env(App, Key, []).
unset_env(App, Key, _Opts) -> call({unset_env, App, Key}).

%% The keys of an application's .app file (with their defaults).
get_key(Key) ->
    case get_application() of
        {ok, App} -> get_key(App, Key);
        undefined -> undefined
    end.

get_key(App, Key) -> call({get_key, App, Key}).

get_all_key() ->
    case get_application() of
        {ok, App} -> get_all_key(App);
        undefined -> []
    end.

get_all_key(App) -> call({get_all_key, App}).

%% The application a process belongs to (by its group leader, an application master), or the
%% one whose modules include a module.
get_application() -> call({application_of, group_leader()}).

get_application(Pid) when is_pid(Pid) ->
    case process_info(Pid, group_leader) of
        {group_leader, GL} -> call({application_of, GL});
        undefined -> undefined
    end;
get_application(Module) when is_atom(Module) ->
    call({application_of_module, Module}).

call(Request) ->
    application_controller:call(Request).
