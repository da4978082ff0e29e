%% Supervisors for the transcripts: init/1 answers from its argument.
-module(sup_demo).
-behaviour(supervisor).
-export([start_link/2, init/1]).

start_link(Name, Arg) -> supervisor:start_link({local, Name}, ?MODULE, Arg).

init({Flags, Specs}) -> {ok, {Flags, Specs}};
init(ignore) -> ignore;
init(bad) -> {ok, nonsense}.
