%% logger: Logger's API. An event (a level, a message, metadata) that the primary level and the
%% module's level let through is built in the calling process, passed through the primary
%% filters, then given to each handler whose level and filters take it. The default handler
%% formats it (logger_formatter, OTP's legacy report format) and hands the text to the `logger`
%% process, which prints it through `user`, after the crash reports and output before it.
%%
%% The configuration lives in logger_config (native): primary, module_levels, handlers.

-module(logger).

-export([emergency/1, emergency/2, emergency/3, alert/1, alert/2, alert/3,
         critical/1, critical/2, critical/3, error/1, error/2, error/3,
         warning/1, warning/2, warning/3, notice/1, notice/2, notice/3,
         info/1, info/2, info/3, debug/1, debug/2, debug/3,
         log/2, log/3, log/4, allow/2, macro_log/3, macro_log/4, macro_log/5]).
-export([get_primary_config/0, set_primary_config/1, set_primary_config/2, update_primary_config/1,
         add_primary_filter/2, remove_primary_filter/1,
         get_handler_config/0, get_handler_config/1, set_handler_config/2, set_handler_config/3,
         update_handler_config/2, update_handler_config/3, get_handler_ids/0, get_config/0,
         add_handler/3, remove_handler/1, add_handler_filter/3, remove_handler_filter/2,
         set_module_level/2, unset_module_level/0, unset_module_level/1,
         get_module_level/0, get_module_level/1,
         set_process_metadata/1, update_process_metadata/1, unset_process_metadata/0,
         get_process_metadata/0]).
-export([compare_levels/2, timestamp/0, format_report/1, format_otp_report/1]).

-define(PROCESS_METADATA, '$logger_metadata$').
-define(IS_LEVEL(L), (L =:= emergency orelse L =:= alert orelse L =:= critical orelse L =:= error
                      orelse L =:= warning orelse L =:= notice orelse L =:= info orelse L =:= debug)).
-define(IS_LEVEL_ALL(L), (?IS_LEVEL(L) orelse L =:= all orelse L =:= none)).
-define(IS_STRING(S), (is_list(S) orelse is_binary(S))).
-define(IS_FORMAT(F), (?IS_STRING(F) orelse is_atom(F))).
-define(IS_REPORT(R), (is_map(R) orelse (is_list(R) andalso is_tuple(hd(R))))).

%% ---------------------------------------------------------------------
%% Logging

emergency(A) -> log(emergency, A).
emergency(A, B) -> log(emergency, A, B).
emergency(A, B, C) -> log(emergency, A, B, C).
alert(A) -> log(alert, A).
alert(A, B) -> log(alert, A, B).
alert(A, B, C) -> log(alert, A, B, C).
critical(A) -> log(critical, A).
critical(A, B) -> log(critical, A, B).
critical(A, B, C) -> log(critical, A, B, C).
error(A) -> log(error, A).
error(A, B) -> log(error, A, B).
error(A, B, C) -> log(error, A, B, C).
warning(A) -> log(warning, A).
warning(A, B) -> log(warning, A, B).
warning(A, B, C) -> log(warning, A, B, C).
notice(A) -> log(notice, A).
notice(A, B) -> log(notice, A, B).
notice(A, B, C) -> log(notice, A, B, C).
info(A) -> log(info, A).
info(A, B) -> log(info, A, B).
info(A, B, C) -> log(info, A, B, C).
debug(A) -> log(debug, A).
debug(A, B) -> log(debug, A, B).
debug(A, B, C) -> log(debug, A, B, C).

%% log(Level, StringOrReport[, Meta]), log(Level, Format, Args[, Meta]),
%% log(Level, Fun, FunArgs[, Meta]): Fun(FunArgs) makes the message, only if it is logged.
log(Level, StringOrReport) ->
    do_log(Level, StringOrReport, #{}).

log(Level, StringOrReport, Meta) when is_map(Meta), not is_function(StringOrReport) ->
    do_log(Level, StringOrReport, Meta);
log(Level, FunOrFormat, Args) ->
    do_log(Level, {FunOrFormat, Args}, #{}).

log(Level, FunOrFormat, Args, Meta) ->
    do_log(Level, {FunOrFormat, Args}, Meta).

%% What the ?LOG_* macros call, once allow/2 has said yes.
macro_log(Location, Level, StringOrReport) ->
    log_allowed(Location, Level, StringOrReport, #{}).

macro_log(Location, Level, StringOrReport, Meta) when is_map(Meta), not is_function(StringOrReport) ->
    log_allowed(Location, Level, StringOrReport, Meta);
macro_log(Location, Level, FunOrFormat, Args) ->
    log_allowed(Location, Level, {FunOrFormat, Args}, #{}).

macro_log(Location, Level, FunOrFormat, Args, Meta) ->
    log_allowed(Location, Level, {FunOrFormat, Args}, Meta).

%% Does the level set for Module (or the primary level) let an event of Level through?
allow(Level, Module) when ?IS_LEVEL(Level), is_atom(Module) ->
    passes(Level, module_level(Module)).

do_log(Level, Msg, #{mfa := {Module, _, _}} = Meta) when ?IS_LEVEL(Level) ->
    allow(Level, Module) andalso log_allowed(#{}, Level, Msg, Meta),
    ok;
do_log(Level, Msg, Meta) when ?IS_LEVEL(Level), is_map(Meta) ->
    passes(Level, maps:get(level, primary())) andalso log_allowed(#{}, Level, Msg, Meta),
    ok.

log_allowed(Location, Level, {Fun, FunArgs}, Meta) when is_function(Fun, 1) ->
    %% the message is made only now it is known to be logged
    try Fun(FunArgs) of
        {Format, Args} = Msg when ?IS_FORMAT(Format), is_list(Args) ->
            log_allowed(Location, Level, Msg, Meta);
        Msg when ?IS_REPORT(Msg); ?IS_STRING(Msg) ->
            log_allowed(Location, Level, Msg, Meta);
        {Msg, Meta1} when is_map(Meta1) ->
            log_allowed(Location, Level, Msg, maps:merge(Meta, Meta1));
        Other ->
            log_allowed(Location, Level, {"LAZY_FUN ERROR: ~tp; Returned: ~tp", [{Fun, FunArgs}, Other]}, Meta)
    catch
        C:R -> log_allowed(Location, Level, {"LAZY_FUN CRASH: ~tp; Reason: ~tp", [{Fun, FunArgs}, {C, R}]}, Meta)
    end;
log_allowed(Location, Level, Msg, Meta0) ->
    Meta = add_default_metadata(maps:merge(Location, maps:merge(proc_meta(), Meta0))),
    Event = #{level => Level, msg => message(Msg), meta => Meta},
    dispatch(Event),
    ok.

message({Format, Args}) when ?IS_FORMAT(Format), is_list(Args) ->
    {if is_atom(Format) -> atom_to_list(Format); true -> Format end, Args};
message(Report) when ?IS_REPORT(Report) ->
    {report, Report};
message(String) when ?IS_STRING(String) ->
    {string, String};
message(Msg) ->
    erlang:error(function_clause, [Msg]).

add_default_metadata(Meta) ->
    maps:merge(#{pid => self(), gl => group_leader(), time => timestamp()}, Meta).

proc_meta() ->
    case get(?PROCESS_METADATA) of
        M when is_map(M) -> M;
        _ -> #{}
    end.

%% The event through the primary filters, then to each handler that takes it.
dispatch(#{meta := Meta} = Event0) ->
    Primary = primary(),
    Event = Event0#{meta := maps:merge(maps:get(metadata, Primary), Meta)},
    case run_filters(Event, maps:get(filters, Primary), maps:get(filter_default, Primary)) of
        stop -> ok;
        Event1 -> lists:foreach(fun (H) -> to_handler(Event1, H) end, handler_configs())
    end.

to_handler(#{level := Level} = Event, #{level := HLevel, filters := Fs, filter_default := FD} = Config) ->
    case passes(Level, HLevel) andalso run_filters(Event, Fs, FD) of
        false -> ok;
        stop -> ok;
        Event1 -> handle(Event1, Config)
    end.

%% A filter answers stop, ignore (the next filter decides) or the event (maybe changed).
run_filters(Event, [], log) -> Event;
run_filters(_Event, [], stop) -> stop;
run_filters(Event, [{_Id, {Fun, Args}} | Fs], Default) ->
    case catch Fun(Event, Args) of
        stop -> stop;
        ignore -> run_filters(Event, Fs, Default);
        #{level := _, msg := _, meta := _} = Event1 -> run_filters_logged(Event1, Fs);
        _ -> run_filters(Event, Fs, Default)
    end.

%% once a filter has let an event through, only a later stop drops it
run_filters_logged(Event, []) -> Event;
run_filters_logged(Event, Fs) ->
    case run_filters(Event, Fs, log) of
        stop -> stop;
        _ -> Event
    end.

%% The default handler (logger_std_h) prints through the `logger` process; another handler's
%% module gets the event itself.
handle(#{msg := Msg, meta := Meta} = Event, #{module := logger_std_h} = Config) ->
    Event1 = case {Msg, Meta} of
                 {{report, _}, #{report_cb := _}} -> Event;
                 {{report, _}, _} -> Event#{meta := Meta#{report_cb => fun logger:format_otp_report/1}};
                 _ -> Event
             end,
    {Formatter, FConfig} = maps:get(formatter, Config, {logger_formatter, #{}}),
    Text = try Formatter:format(Event1, FConfig)
           catch C:R -> io_lib:format("FORMATTER CRASH: ~tp~n", [{C, R}])
           end,
    print(Text);
handle(Event, #{module := Module} = Config) ->
    catch Module:log(Event, Config),
    ok.

print(Text) ->
    case whereis(logger) of
        undefined -> io:put_chars(user, Text);
        Printer -> Printer ! {log, unicode:characters_to_list(Text)}
    end,
    ok.

%% ---------------------------------------------------------------------
%% Levels

severity(emergency) -> 0;
severity(alert) -> 1;
severity(critical) -> 2;
severity(error) -> 3;
severity(warning) -> 4;
severity(notice) -> 5;
severity(info) -> 6;
severity(debug) -> 7;
severity(all) -> 10;
severity(none) -> -1.

passes(Level, Threshold) ->
    severity(Level) =< severity(Threshold).

compare_levels(A, B) when ?IS_LEVEL_ALL(A), ?IS_LEVEL_ALL(B) ->
    case {severity(A), severity(B)} of
        {S, S} -> eq;
        {SA, SB} when SA < SB -> gt;
        _ -> lt
    end;
compare_levels(A, B) ->
    erlang:error(badarg, [A, B]).

timestamp() ->
    os:system_time(microsecond).

%% ---------------------------------------------------------------------
%% Reports as text: key: value lines, or a string as it is

format_otp_report(#{label := _, report := Report}) ->
    format_report(Report);
format_otp_report(Report) ->
    format_report(Report).

format_report(Report) when is_map(Report) ->
    format_report(maps:to_list(Report));
format_report(Report) ->
    try lists:flatten(Report) of
        [] -> {"~tp", [[]]};
        Flat ->
            case is_text(Flat) of
                true -> {"~ts", [Flat]};
                false -> key_value_lines(Report)
            end
    catch _:_ -> {"~tp", [Report]}
    end.

key_value_lines(Items) ->
    {Formats, Args} = lists:unzip([key_value_line(I) || I <- Items]),
    {lists:flatten(lists:join($\n, Formats)), lists:append(Args)}.

key_value_line({Key, Value}) ->
    {"    ~tp: ~t" ++ case is_text_deep(Value) of true -> "s"; false -> "p" end, [Key, Value]};
key_value_line(Item) ->
    {"    ~tp", [Item]}.

is_text_deep(X) ->
    try is_text(lists:flatten(X))
    catch _:_ -> false
    end.

is_text([]) -> false;
is_text(Chars) -> io_lib:printable_unicode_list(Chars).

%% ---------------------------------------------------------------------
%% Configuration

primary() ->
    case logger_config:get(primary) of
        undefined -> default_primary();
        P -> P
    end.

default_primary() ->
    #{level => notice, filter_default => log, filters => [], metadata => #{}}.

get_primary_config() ->
    primary().

set_primary_config(Key, Value) ->
    case check_primary(Key, Value) of
        ok -> logger_config:put(primary, (primary())#{Key => Value});
        Error -> Error
    end.

set_primary_config(Config) when is_map(Config) ->
    set_primary(maps:merge(default_primary(), Config)).

update_primary_config(Config) when is_map(Config) ->
    set_primary(maps:merge(primary(), Config)).

set_primary(Config) ->
    case [E || {K, V} <- maps:to_list(Config), (E = check_primary(K, V)) =/= ok] of
        [] -> logger_config:put(primary, maps:with([level, filter_default, filters, metadata], Config));
        [Error | _] -> Error
    end.

check_primary(level, L) when ?IS_LEVEL_ALL(L) -> ok;
check_primary(level, L) -> {error, {invalid_level, L}};
check_primary(filter_default, D) when D =:= log; D =:= stop -> ok;
check_primary(filters, Fs) when is_list(Fs) -> ok;
check_primary(metadata, M) when is_map(M) -> ok;
check_primary(K, V) -> {error, {invalid_primary_config, {K, V}}}.

add_primary_filter(Id, {Fun, _} = Filter) when is_atom(Id), is_function(Fun, 2) ->
    #{filters := Fs} = P = primary(),
    case lists:keymember(Id, 1, Fs) of
        true -> {error, {already_exist, Id}};
        false -> logger_config:put(primary, P#{filters := Fs ++ [{Id, Filter}]})
    end;
add_primary_filter(Id, Filter) ->
    {error, {invalid_filter, {Id, Filter}}}.

remove_primary_filter(Id) ->
    #{filters := Fs} = P = primary(),
    case lists:keymember(Id, 1, Fs) of
        true -> logger_config:put(primary, P#{filters := lists:keydelete(Id, 1, Fs)});
        false -> {error, {not_found, Id}}
    end.

%% Handlers: the default one is logger_std_h to standard_io, as in erl.
handlers() ->
    case logger_config:get(handlers) of
        undefined -> [{default, default_handler()}];
        Hs -> Hs
    end.

handler_configs() ->
    [C || {_, C} <- handlers()].

default_handler() ->
    #{id => default, module => logger_std_h, level => all, filter_default => stop,
      filters => [{remote_gl, {fun logger_filters:remote_gl/2, stop}},
                  {domain, {fun logger_filters:domain/2, {log, super, [otp, sasl]}}},
                  {no_domain, {fun logger_filters:domain/2, {log, undefined, []}}}],
      formatter => {logger_formatter, #{legacy_header => true, single_line => false}},
      config => #{burst_limit_enable => true, burst_limit_max_count => 500,
                  burst_limit_window_time => 1000, drop_mode_qlen => 200,
                  filesync_repeat_interval => no_repeat, flush_qlen => 1000,
                  overload_kill_enable => false, overload_kill_mem_size => 3000000,
                  overload_kill_qlen => 20000, overload_kill_restart_after => 5000,
                  sync_mode_qlen => 10, type => standard_io}}.

get_handler_ids() ->
    [Id || {Id, _} <- handlers()].

get_handler_config() ->
    handler_configs().

get_handler_config(Id) ->
    case lists:keyfind(Id, 1, handlers()) of
        {Id, Config} -> {ok, Config};
        false -> {error, {not_found, Id}}
    end.

set_handler_config(Id, Key, Value) ->
    with_handler(Id, fun (C) -> check_handler(C#{Key => Value}) end).

set_handler_config(Id, Config) when is_map(Config) ->
    with_handler(Id, fun (#{id := I, module := M}) ->
                         check_handler(maps:merge(handler_defaults(), Config#{id => I, module => M}))
                     end).

update_handler_config(Id, Key, Value) ->
    set_handler_config(Id, Key, Value).

update_handler_config(Id, Config) when is_map(Config) ->
    with_handler(Id, fun (C) -> check_handler(maps:merge(C, maps:without([id, module], Config))) end).

with_handler(Id, Change) ->
    Hs = handlers(),
    case lists:keyfind(Id, 1, Hs) of
        {Id, Config} ->
            case Change(Config) of
                {ok, New} -> logger_config:put(handlers, lists:keyreplace(Id, 1, Hs, {Id, New}));
                Error -> Error
            end;
        false ->
            {error, {not_found, Id}}
    end.

handler_defaults() ->
    #{level => all, filter_default => log, filters => [], formatter => {logger_formatter, #{}}}.

check_handler(#{level := L}) when not ?IS_LEVEL_ALL(L) -> {error, {invalid_level, L}};
check_handler(#{filter_default := D}) when D =/= log, D =/= stop -> {error, {invalid_filter_default, D}};
check_handler(#{formatter := F}) when not is_tuple(F); tuple_size(F) =/= 2 -> {error, {invalid_formatter, F}};
check_handler(Config) -> {ok, Config}.

add_handler(Id, Module, Config) when is_atom(Id), is_atom(Module), is_map(Config) ->
    Hs = handlers(),
    case lists:keymember(Id, 1, Hs) of
        true -> {error, {already_exist, Id}};
        false ->
            C0 = maps:merge(handler_defaults(), Config#{id => Id, module => Module}),
            case check_handler(C0) of
                {ok, C1} ->
                    case callback(Module, adding_handler, C1) of
                        {ok, C2} -> logger_config:put(handlers, Hs ++ [{Id, C2}]);
                        Error -> Error
                    end;
                Error ->
                    Error
            end
    end.

remove_handler(Id) ->
    Hs = handlers(),
    case lists:keyfind(Id, 1, Hs) of
        {Id, #{module := Module} = Config} ->
            _ = callback(Module, removing_handler, Config),
            logger_config:put(handlers, lists:keydelete(Id, 1, Hs));
        false ->
            {error, {not_found, Id}}
    end.

%% A handler module's optional callback; the config unchanged if it has none.
callback(logger_std_h, _F, Config) ->
    {ok, Config};
callback(Module, F, Config) ->
    _ = code:ensure_loaded(Module),
    case erlang:function_exported(Module, F, 1) of
        true ->
            case Module:F(Config) of
                {ok, C} when F =:= adding_handler -> {ok, C};
                ok -> {ok, Config};
                Other -> Other
            end;
        false ->
            {ok, Config}
    end.

add_handler_filter(Id, FilterId, {Fun, _} = Filter) when is_function(Fun, 2) ->
    with_handler(Id, fun (#{filters := Fs} = C) ->
                         case lists:keymember(FilterId, 1, Fs) of
                             true -> {error, {already_exist, FilterId}};
                             false -> {ok, C#{filters := Fs ++ [{FilterId, Filter}]}}
                         end
                     end);
add_handler_filter(_Id, FilterId, Filter) ->
    {error, {invalid_filter, {FilterId, Filter}}}.

remove_handler_filter(Id, FilterId) ->
    with_handler(Id, fun (#{filters := Fs} = C) ->
                         case lists:keymember(FilterId, 1, Fs) of
                             true -> {ok, C#{filters := lists:keydelete(FilterId, 1, Fs)}};
                             false -> {error, {not_found, FilterId}}
                         end
                     end).

get_config() ->
    #{primary => primary(), handlers => handler_configs(), module_levels => get_module_level()}.

%% Module levels: a module's own level overrides the primary level for the events it logs.
module_levels() ->
    case logger_config:get(module_levels) of
        undefined -> #{};
        Ls -> Ls
    end.

module_level(Module) ->
    case module_levels() of
        #{Module := Level} -> Level;
        _ -> maps:get(level, primary())
    end.

set_module_level(Module, Level) when is_atom(Module) ->
    set_module_level([Module], Level);
set_module_level(Modules, Level) when is_list(Modules), ?IS_LEVEL_ALL(Level) ->
    case lists:all(fun erlang:is_atom/1, Modules) of
        true ->
            Ls = module_levels(),
            logger_config:put(module_levels, maps:merge(Ls, maps:from_list([{M, Level} || M <- Modules])));
        false ->
            {error, {not_a_list_of_modules, Modules}}
    end;
set_module_level(Modules, Level) when is_list(Modules) ->
    {error, {invalid_level, Level}};
set_module_level(Modules, _Level) ->
    {error, {not_a_list_of_modules, Modules}}.

unset_module_level() ->
    logger_config:put(module_levels, #{}).

unset_module_level(Module) when is_atom(Module) ->
    unset_module_level([Module]);
unset_module_level(Modules) when is_list(Modules) ->
    logger_config:put(module_levels, maps:without(Modules, module_levels())).

get_module_level() ->
    lists:sort(maps:to_list(module_levels())).

get_module_level(Module) when is_atom(Module) ->
    get_module_level([Module]);
get_module_level(Modules) when is_list(Modules) ->
    [ML || {M, _} = ML <- get_module_level(), lists:member(M, Modules)].

%% Process metadata: added to every event the process logs.
set_process_metadata(Meta) when is_map(Meta) ->
    put(?PROCESS_METADATA, Meta),
    ok.

update_process_metadata(Meta) when is_map(Meta) ->
    set_process_metadata(maps:merge(proc_meta(), Meta)).

unset_process_metadata() ->
    erase(?PROCESS_METADATA),
    ok.

get_process_metadata() ->
    case get(?PROCESS_METADATA) of
        M when is_map(M) -> M;
        _ -> undefined
    end.
