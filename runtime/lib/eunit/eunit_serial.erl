%% eunit_serial: puts the progress of a test run in the order of the test tree before the
%% listener sees it. Parallel tests report in any order; a task that is cancelled (a timeout, a
%% crash) stops reporting for everything under it, so a cancelled item's descendants are closed
%% here: a group cancelled from above is reported as cancelled without a reason.

-module(eunit_serial).

-export([start/1]).

%% cancelled: ids cancelled so far; held: status messages that came before their turn, by id
-record(state, {listener, cancelled = [], held = #{}}).

start(Listener) ->
    spawn_link(fun () ->
                   expect([], undefined, 0, #state{listener = Listener}),
                   unlink(Listener)
               end).

%% Item Id of group ParentId, whose items 1..Seen have been seen. true when the group is done.
expect(Id, ParentId, Seen, St0) ->
    case wait(Id, 'begin', ParentId, Seen, St0) of
        {done, St1} ->
            {true, St1};
        {cancel, prefix, _Msg, St1} ->
            %% cancelled from above: the item may never have existed
            {true, St1};
        {cancel, exact, Msg, St1} ->
            cast_cancel(Id, Msg, St1),
            {false, St1};
        {ok, Msg, St1} ->
            cast(Msg, St1),
            St2 = case Msg of
                      {status, _, {progress, 'begin', {group, _}}} -> group(Id, 0, St1);
                      _ -> St1
                  end,
            case wait(Id, 'end', ParentId, Seen, St2) of
                {cancel, Why, Msg1, St3} ->
                    cast_cancel(Id, Msg1, St3),
                    {Why =:= prefix, St3};
                {ok, Msg1, St3} ->
                    cast(Msg1, St3),
                    {false, St3}
            end
    end.

group(ParentId, Seen, St) ->
    N = Seen + 1,
    case expect(ParentId ++ [N], ParentId, Seen, St) of
        {false, St1} -> group(ParentId, N, St1);
        {true, St1} -> St1
    end.

cast_cancel(Id, undefined, St) ->
    cast({status, Id, {cancel, undefined}}, St);
cast_cancel(_Id, Msg, St) ->
    cast(Msg, St).

cast(Msg, St) ->
    St#state.listener ! Msg,
    ok.

wait(Id, Type, ParentId, Seen, St) ->
    case cancelled(Id, St#state.cancelled) of
        no ->
            case maps:take(Id, St#state.held) of
                {Msg, Held} -> {ok, Msg, St#state{held = Held}};
                error -> receive_status(Id, Type, ParentId, Seen, St)
            end;
        Why ->
            {cancel, Why, maps:get(Id, St#state.held, undefined), St#state{held = maps:remove(Id, St#state.held)}}
    end.

receive_status(Id, Type, ParentId, Seen, St) ->
    receive
        {status, Id, {progress, Type, _}} = Msg ->
            {ok, Msg, St};
        {status, ParentId, {progress, 'end', {Seen, _}}} = Msg ->
            %% the group ended after the items seen: the one expected does not exist
            {done, St#state{held = maps:put(ParentId, Msg, St#state.held)}};
        {status, SomeId, {cancel, _}} = Msg ->
            St1 = St#state{cancelled = [SomeId | St#state.cancelled],
                           held = maps:put(SomeId, Msg, St#state.held)},
            wait(Id, Type, ParentId, Seen, St1)
    end.

%% exact when Id itself was cancelled, prefix when a group above it was, else no
cancelled(Id, Cancelled) ->
    case lists:member(Id, Cancelled) of
        true -> exact;
        false ->
            case lists:any(fun (C) -> lists:prefix(C, Id) end, Cancelled) of
                true -> prefix;
                false -> no
            end
    end.
