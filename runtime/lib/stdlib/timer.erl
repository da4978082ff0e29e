%% timer: send a message or apply a function later or at intervals, sleep,
%% measure a call, and the time units, as OTP 25's stdlib module.
%%
%% A timer is a reference with its kind, {Kind, Ref}:
%%   send_local  a send_after to a local pid: an erlang:send_after timer;
%%   instant     a time of 0: done at once by the caller;
%%   once        apply_after, or a send_after to a name or a remote pid;
%%   interval    apply_interval and send_interval.
%% once and interval timers belong to the timer server, a gen_server
%% registered as timer_server and started on first use. It applies
%% M:F(A) in a new process when a timer fires (a send, or an exit for
%% exit_after, it does itself), and stops an interval when the process it
%% was made for (the caller, or the pid it sends to) dies. A bad time or
%% argument is {error, badarg}.
%%
%% The -file lines put the functions whose errors reach the shell on OTP's
%% timer.erl lines, so the reports name the same places.

-module(timer).

-export([apply_after/4, send_after/3, send_after/2,
         exit_after/3, exit_after/2, kill_after/2, kill_after/1,
         apply_interval/4, send_interval/3, send_interval/2,
         cancel/1, sleep/1, tc/1, tc/2, tc/3, now_diff/2,
         seconds/1, minutes/1, hours/1, hms/3]).
-export([start/0, start_link/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2,
         terminate/2, code_change/3]).

-define(SERVER, timer_server).
-define(TIME(T), is_integer(T), T >= 0).
-define(MFA(M, F, A), is_atom(M), is_atom(F), is_list(A)).
-define(DEST(D), (is_pid(D) orelse is_atom(D) orelse
                  (is_tuple(D) andalso tuple_size(D) =:= 2 andalso
                   is_atom(element(1, D)) andalso is_atom(element(2, D))))).

%% ---------- once ----------

apply_after(0, M, F, A) when ?MFA(M, F, A) ->
    apply_now({M, F, A}),
    {ok, {instant, make_ref()}};
apply_after(Time, M, F, A) when ?TIME(Time), ?MFA(M, F, A) ->
    request({once, Time, {M, F, A}});
apply_after(_Time, _M, _F, _A) ->
    {error, badarg}.

-file("timer.erl", 79).
send_after(0, Dest, Message) when ?DEST(Dest) ->
    %% at once, by the caller: an unregistered name is its badarg
    Dest ! Message,
    {ok, {instant, make_ref()}};
send_after(Time, Pid, Message) when ?TIME(Time), is_pid(Pid), node(Pid) =:= node() ->
    {ok, {send_local, erlang:send_after(Time, Pid, Message)}};
send_after(Time, Dest, Message) when ?DEST(Dest) ->
    apply_after(Time, ?MODULE, send, [Dest, Message]);
send_after(_Time, _Dest, _Message) ->
    {error, badarg}.

send_after(Time, Message) ->
    send_after(Time, self(), Message).

exit_after(Time, Pid, Reason) ->
    apply_after(Time, erlang, exit, [Pid, Reason]).

exit_after(Time, Reason) ->
    exit_after(Time, self(), Reason).

kill_after(Time, Pid) ->
    exit_after(Time, Pid, kill).

kill_after(Time) ->
    exit_after(Time, self(), kill).

%% ---------- at intervals ----------

%% The interval lasts while the caller lives.
apply_interval(Time, M, F, A) when ?TIME(Time), ?MFA(M, F, A) ->
    request({interval, Time, self(), {M, F, A}});
apply_interval(_Time, _M, _F, _A) ->
    {error, badarg}.

%% The interval lasts while the receiver lives (a name: while it names a live process).
send_interval(Time, Dest, Message) when ?TIME(Time), ?DEST(Dest) ->
    request({interval, Time, Dest, {?MODULE, send, [Dest, Message]}});
send_interval(_Time, _Dest, _Message) ->
    {error, badarg}.

send_interval(Time, Message) ->
    send_interval(Time, self(), Message).

cancel({instant, Ref}) when is_reference(Ref) ->
    {ok, cancel};
cancel({send_local, Ref}) when is_reference(Ref) ->
    _ = erlang:cancel_timer(Ref),
    {ok, cancel};
cancel({Kind, Ref} = TRef) when (Kind =:= once orelse Kind =:= interval), is_reference(Ref) ->
    request({cancel, TRef});
cancel(_TRef) ->
    {error, badarg}.

%% ---------- sleeping and measuring ----------

%% Messages stay in the mailbox; a bad time is the receive's timeout_value.
-file("timer.erl", 217).
sleep(T) ->
    receive after T -> ok end.

%% {Microseconds, Value} of a call.
tc(F) ->
    Start = erlang:monotonic_time(),
    Value = F(),
    {elapsed(Start), Value}.

-file("timer.erl", 247).
tc(F, A) ->
    Start = erlang:monotonic_time(),
    Value = apply(F, A),
    {elapsed(Start), Value}.

-file("timer.erl", 263).
tc(M, F, A) ->
    Start = erlang:monotonic_time(),
    Value = apply(M, F, A),
    {elapsed(Start), Value}.

elapsed(Start) ->
    erlang:convert_time_unit(erlang:monotonic_time() - Start, native, microsecond).

%% Microseconds between two erlang:timestamp() tuples.
-file("timer.erl", 278).
now_diff({MegaB, SecB, MicroB}, {MegaA, SecA, MicroA}) ->
    ((MegaB - MegaA) * 1000000 + SecB - SecA) * 1000000 + MicroB - MicroA.

%% ---------- units: milliseconds ----------

-file("timer.erl", 287).
seconds(Seconds) ->
    Seconds * 1000.

-file("timer.erl", 293).
minutes(Minutes) ->
    Minutes * 60000.

-file("timer.erl", 299).
hours(Hours) ->
    Hours * 3600000.

-file("timer.erl", 307).
hms(H, M, S) ->
    hours(H) + minutes(M) + seconds(S).

%% ---------- the timer server ----------

start() ->
    case whereis(?SERVER) of
        undefined ->
            case gen_server:start({local, ?SERVER}, ?MODULE, [], []) of
                {ok, _} -> ok;
                {error, {already_started, _}} -> ok
            end;
        _ ->
            ok
    end.

start_link() ->
    gen_server:start_link({local, ?SERVER}, ?MODULE, [], []).

request(Req) ->
    ok = start(),
    gen_server:call(?SERVER, Req, infinity).

%% The state: #{Ref => {once, ErlangTimer} | {interval, ErlangTimer, Monitor}}.
init([]) ->
    process_flag(trap_exit, true),
    {ok, #{}}.

handle_call({once, Time, MFA}, _From, Timers) ->
    Ref = make_ref(),
    Timer = erlang:start_timer(Time, self(), {once, Ref, MFA}),
    {reply, {ok, {once, Ref}}, Timers#{Ref => {once, Timer}}};
handle_call({interval, Time, Owner, MFA}, _From, Timers) ->
    Ref = make_ref(),
    Watch = case whose(Owner) of
                undefined -> none;
                Pid -> erlang:monitor(process, Pid)
            end,
    Next = erlang:monotonic_time(millisecond) + Time,
    Timer = erlang:start_timer(Time, self(), {interval, Ref, Next, Time, MFA}),
    {reply, {ok, {interval, Ref}}, Timers#{Ref => {interval, Timer, Watch}}};
handle_call({cancel, {_Kind, Ref}}, _From, Timers) ->
    {reply, {ok, cancel}, forget(Ref, Timers)};
handle_call(_Request, _From, Timers) ->
    {noreply, Timers}.

handle_cast(_Request, Timers) ->
    {noreply, Timers}.

handle_info({timeout, _Timer, {once, Ref, MFA}}, Timers) ->
    case maps:is_key(Ref, Timers) of
        true -> apply_now(MFA);
        false -> ok
    end,
    {noreply, maps:remove(Ref, Timers)};
handle_info({timeout, _Timer, {interval, Ref, Due, Time, MFA}}, Timers) ->
    case Timers of
        #{Ref := {interval, _, Watch}} ->
            %% the next one is due Time after this one was, however late this one ran
            Next = Due + Time,
            Delay = max(0, Next - erlang:monotonic_time(millisecond)),
            Timer = erlang:start_timer(Delay, self(), {interval, Ref, Next, Time, MFA}),
            apply_now(MFA),
            {noreply, Timers#{Ref := {interval, Timer, Watch}}};
        _ ->
            {noreply, Timers}
    end;
handle_info({'DOWN', Watch, process, _, _}, Timers) ->
    Gone = [Ref || {Ref, {interval, _, W}} <- maps:to_list(Timers), W =:= Watch],
    {noreply, lists:foldl(fun forget/2, Timers, Gone)};
handle_info(_Message, Timers) ->
    {noreply, Timers}.

terminate(_Reason, _Timers) ->
    ok.

code_change(_OldVsn, Timers, _Extra) ->
    {ok, Timers}.

forget(Ref, Timers) ->
    case maps:take(Ref, Timers) of
        {{once, Timer}, Rest} ->
            _ = erlang:cancel_timer(Timer),
            Rest;
        {{interval, Timer, Watch}, Rest} ->
            _ = erlang:cancel_timer(Timer),
            _ = Watch =:= none orelse erlang:demonitor(Watch, [flush]),
            Rest;
        error ->
            Timers
    end.

%% The pid behind a destination, if there is one here.
whose(Pid) when is_pid(Pid) -> Pid;
whose(Name) when is_atom(Name) -> whereis(Name);
whose(_) -> undefined.

%% A timer's action: a send or an exit the server does itself (never
%% failing), anything else in a process of its own.
apply_now({?MODULE, send, [Dest, Message]}) ->
    catch Dest ! Message,
    ok;
apply_now({erlang, exit, [Dest, Reason]}) ->
    case whose(Dest) of
        undefined -> ok;
        Pid -> catch exit(Pid, Reason)
    end,
    ok;
apply_now({M, F, A}) ->
    _ = spawn(M, F, A),
    ok.
