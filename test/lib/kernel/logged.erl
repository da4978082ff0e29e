-module(logged).
-include_lib("kernel/include/logger.hrl").
-export([run/0, costly/0, crash/1]).

run() ->
    ?LOG_ERROR("an error ~p", [1]),
    ?LOG_WARNING(#{what => disk, free => "2%"}),
    ?LOG_NOTICE("notice ~s", ["two"], #{extra => meta}),
    ?LOG_INFO("not shown: ~p", [costly()]),
    ?LOG_DEBUG("not shown either"),
    ?LOG(critical, "by level ~p", [critical]),
    ?LOG_EMERGENCY("emergency"),
    ?LOG_ALERT("alert"),
    ?LOG_CRITICAL("critical"),
    ok.

costly() -> self() ! evaluated, costly.
crash(Reason) -> erlang:error(Reason).
