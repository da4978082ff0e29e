%% logger_filters: the filters the default handler uses, and that users add. A filter answers
%% stop, ignore (not its business) or the event to log.

-module(logger_filters).

-export([domain/2, level/2, remote_gl/2, progress/2]).

%% {Action, Compare, Domain}: Action (log or stop) when the event's domain compares with Domain:
%% sub (the event's is Domain or below it), super (Domain or above it), equal, not_equal, or
%% undefined (the event has no domain).
domain(#{meta := Meta} = Event, {Action, Compare, Domain}) when is_list(Domain) ->
    Matches = case Meta of
                  #{domain := Ds} when is_list(Ds) -> compare_domain(Compare, Ds, Domain);
                  _ -> Compare =:= undefined
              end,
    act(Matches, Action, Event).

compare_domain(sub, Ds, Domain) -> lists:prefix(Domain, Ds);
compare_domain(super, Ds, Domain) -> lists:prefix(Ds, Domain);
compare_domain(equal, Ds, Domain) -> Ds =:= Domain;
compare_domain(not_equal, Ds, Domain) -> Ds =/= Domain;
compare_domain(undefined, _Ds, _Domain) -> false.

%% {Action, Operator, Level}: Action when the event's level compares so with Level.
level(#{level := L} = Event, {Action, Op, Level}) ->
    Cmp = logger:compare_levels(L, Level),
    Matches = case Op of
                  neq -> Cmp =/= eq;
                  eq -> Cmp =:= eq;
                  lt -> Cmp =:= lt;
                  gt -> Cmp =:= gt;
                  lteq -> Cmp =/= gt;
                  gteq -> Cmp =/= lt
              end,
    act(Matches, Action, Event).

%% Action when the event came from a process whose group leader is on another node.
remote_gl(#{meta := #{gl := GL}} = Event, Action) when node(GL) =/= node() ->
    act(true, Action, Event);
remote_gl(_Event, _Action) ->
    ignore.

%% Action for SASL's progress reports.
progress(#{meta := #{domain := [otp, sasl, report, progress]}} = Event, Action) ->
    act(true, Action, Event);
progress(_Event, _Action) ->
    ignore.

act(true, log, Event) -> Event;
act(true, stop, _Event) -> stop;
act(false, _Action, _Event) -> ignore.
