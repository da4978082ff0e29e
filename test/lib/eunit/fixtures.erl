-module(fixtures).
-include_lib("eunit/include/eunit.hrl").

%% The value setup returns reaches the instantiator; cleanup gets it too.
setup_test_() ->
    {setup,
     fun() -> Pid = self(), put(who, setup), {Pid, 42} end,
     fun({_Pid, 42}) -> ok end,
     fun({SetupPid, N}) ->
         [?_assertEqual(42, N),
          %% the tests run in a process of their own, not the setup's
          ?_assertNotEqual(SetupPid, self()),
          ?_assertEqual(undefined, get(who))]
     end}.

local_setup_test_() ->
    {setup, local, fun() -> put(who, setup) end, fun(_) -> ok end,
     [?_assertEqual(setup, get(who))]}.

foreach_test_() ->
    {foreach,
     fun() -> make_ref() end,
     fun(_) -> ok end,
     [fun(R) -> ?_assert(is_reference(R)) end,
      fun(R) -> {"described", ?_assertNotEqual(make_ref(), R)} end]}.

foreachx_test_() ->
    {foreachx,
     fun(X) -> X * 10 end,
     fun(_X, _R) -> ok end,
     [{1, fun(X, R) -> ?_assertEqual(X * 10, R) end},
      {2, fun(X, R) -> ?_assertEqual(X * 10, R) end}]}.

with_test_() ->
    {with, [1, 2, 3], [fun(L) -> ?assertEqual(3, length(L)) end,
                       fun is_sorted/1]}.

is_sorted(L) -> ?assertEqual(lists:sort(L), L).

control_test_() ->
    [{inorder, [?_test(put(step, 1)), ?_assertEqual(1, get(step))]},
     {inparallel, [?_test(timer:sleep(2)), ?_test(ok)]},
     {timeout, 10, ?_test(ok)},
     {spawn, ?_assertEqual(undefined, get(step))},
     {generator, fun() -> [?_test(ok) || _ <- lists:seq(1, 2)] end}].

nested_test_() ->
    {"outer",
     [{"inner", [?_test(timer:sleep(3)), ?_test(ok)]},
      {timeout, 5, {"one with a timeout", ?_test(ok)}}]}.
