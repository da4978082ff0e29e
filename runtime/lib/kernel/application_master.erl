%% application_master: runs one application for the controller. The master is the group leader
%% of the application's processes (passing their I/O on to its own group leader), which is how
%% application:get_application/0 knows them. Its child calls Mod:start(normal, Args), then stays
%% linked to the top process the callback returned; when that exits, or the application is
%% stopped, the child calls Mod:prep_stop/1 (if there is one) and Mod:stop/1.

-module(application_master).

-export([start_link/3, stop/1]).

%% A master for application Name (the caller, the controller, gets {started, Master, Result}).
start_link(Name, Mod, Args) ->
    Controller = self(),
    spawn_link(fun () -> init(Controller, Name, Mod, Args) end).

stop(Master) ->
    Master ! {stop, self()},
    ok.

init(Controller, _Name, Mod, Args) ->
    process_flag(trap_exit, true),
    GL = group_leader(),
    Master = self(),
    Child = spawn_link(fun () -> group_leader(Master, self()), start_it(Master, Mod, Args) end),
    case wait_start(Child, GL) of
        ok ->
            Controller ! {started, self(), ok},
            loop(Child, GL);
        {error, _} = Error ->
            Controller ! {started, self(), Error},
            exit(normal)
    end.

wait_start(Child, GL) ->
    receive
        {Child, start_result, Result} -> Result;
        {io_request, _, _, _} = Io -> GL ! Io, wait_start(Child, GL);
        {'EXIT', Child, Reason} -> {error, Reason}
    end.

loop(Child, GL) ->
    receive
        {io_request, _, _, _} = Io ->
            GL ! Io,
            loop(Child, GL);
        {stop, _From} ->
            Child ! {self(), terminate},
            stopping(Child, GL);
        {'EXIT', Child, Reason} ->
            exit(Reason);
        _ ->
            loop(Child, GL)
    end.

%% the child shuts the application down; its output still needs passing on
stopping(Child, GL) ->
    receive
        {io_request, _, _, _} = Io -> GL ! Io, stopping(Child, GL);
        {'EXIT', Child, _} -> exit(normal)
    end.

%% ---------------------------------------------------------------------
%% The child

start_it(Master, Mod, Args) ->
    process_flag(trap_exit, true),
    case catch Mod:start(normal, Args) of
        {ok, Top} when is_pid(Top) ->
            Master ! {self(), start_result, ok},
            watch(Master, Top, Mod, []);
        {ok, Top, State} when is_pid(Top) ->
            Master ! {self(), start_result, ok},
            watch(Master, Top, Mod, State);
        {error, Reason} ->
            Master ! {self(), start_result, {error, Reason}};
        Other ->
            Master ! {self(), start_result, {error, {bad_return, {{Mod, start, [normal, Args]}, Other}}}}
    end.

watch(Master, Top, Mod, State) ->
    receive
        {Master, terminate} ->
            State1 = prep_stop(Mod, State),
            exit(Top, shutdown),
            receive {'EXIT', Top, _} -> ok end,
            catch Mod:stop(State1),
            exit(normal);
        {'EXIT', Top, Reason} ->
            catch Mod:stop(prep_stop(Mod, State)),
            exit(Reason);
        {'EXIT', Master, Reason} ->
            exit(Top, Reason),
            receive {'EXIT', Top, _} -> ok end,
            catch Mod:stop(prep_stop(Mod, State)),
            exit(Reason);
        _ ->
            watch(Master, Top, Mod, State)
    end.

prep_stop(Mod, State) ->
    case erlang:function_exported(Mod, prep_stop, 1) of
        true ->
            case catch Mod:prep_stop(State) of
                {'EXIT', _} -> State;
                New -> New
            end;
        false ->
            State
    end.
