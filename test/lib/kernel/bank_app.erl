-module(bank_app).
-export([start/2, prep_stop/1, stop/1]).

%% The application callback: the top process is a plain process, registered as bank_server.
start(normal, Args) ->
    io:format("bank_app:start(normal, ~p)~n", [Args]),
    Pid = spawn_link(fun() -> register(bank_server, self()), serve() end),
    {ok, Pid, {state, Args}}.

prep_stop(State) ->
    io:format("bank_app:prep_stop(~p)~n", [State]),
    {prepped, State}.

stop(State) ->
    io:format("bank_app:stop(~p)~n", [State]),
    ok.

serve() ->
    receive
        {info, From} ->
            From ! {application:get_application(), application:get_env(currency), application:get_key(vsn)},
            serve();
        crash ->
            exit(robbed)
    end.
