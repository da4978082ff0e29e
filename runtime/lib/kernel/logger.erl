%% logger: the part of kernel's logging API the library's own reports go through (?LOG_ERROR in
%% gen_server, proc_lib, supervisor, ...). An event passes the primary level (notice, as OTP 25's
%% default), is turned into text as the default handler's formatter does it (a report through its
%% report_cb, a format and its arguments through io_lib), and goes to the node's `logger` process,
%% which prints it after the legacy header (=ERROR REPORT==== date ===, or the report's own title).
-module(logger).

-export([allow/2, macro_log/3, macro_log/4, macro_log/5]).
-export([log/2, log/3, log/4]).
-export([emergency/1, emergency/2, emergency/3, alert/1, alert/2, alert/3,
         critical/1, critical/2, critical/3, error/1, error/2, error/3,
         warning/1, warning/2, warning/3, notice/1, notice/2, notice/3,
         info/1, info/2, info/3, debug/1, debug/2, debug/3]).

-define(PRIMARY_LEVEL, notice).

%% Would an event of Level from Module be logged?
allow(Level, _Module) ->
    severity(Level) =< severity(?PRIMARY_LEVEL).

macro_log(Location, Level, StringOrReport) ->
    macro_log(Location, Level, StringOrReport, #{}).

macro_log(Location, Level, Format, Args) when is_list(Args), not is_map(Format) ->
    case io_lib:printable_unicode_list(Format) orelse is_atom(Format) of
        true -> macro_log(Location, Level, Format, Args, #{});
        false -> emit(Level, Format, maps:merge(Location, Args))
    end;
macro_log(Location, Level, Report, Meta) when is_map(Meta) ->
    emit(Level, Report, maps:merge(Location, Meta)).

macro_log(Location, Level, Format, Args, Meta) ->
    emit(Level, {Format, Args}, maps:merge(Location, Meta)).

log(Level, StringOrReport) -> log(Level, StringOrReport, #{}).

log(Level, Format, Args) when is_list(Args), (is_list(Format) orelse is_atom(Format) orelse is_binary(Format)) ->
    log(Level, Format, Args, #{});
log(Level, Report, Meta) when is_map(Meta) ->
    log_allowed(Level, Report, Meta).

log(Level, Format, Args, Meta) ->
    log_allowed(Level, {Format, Args}, Meta).

log_allowed(Level, What, Meta) ->
    case allow(Level, undefined) of
        true -> emit(Level, What, Meta);
        false -> ok
    end.

emergency(X) -> log(emergency, X).
emergency(X, Y) -> log(emergency, X, Y).
emergency(X, Y, Z) -> log(emergency, X, Y, Z).
alert(X) -> log(alert, X).
alert(X, Y) -> log(alert, X, Y).
alert(X, Y, Z) -> log(alert, X, Y, Z).
critical(X) -> log(critical, X).
critical(X, Y) -> log(critical, X, Y).
critical(X, Y, Z) -> log(critical, X, Y, Z).
error(X) -> log(error, X).
error(X, Y) -> log(error, X, Y).
error(X, Y, Z) -> log(error, X, Y, Z).
warning(X) -> log(warning, X).
warning(X, Y) -> log(warning, X, Y).
warning(X, Y, Z) -> log(warning, X, Y, Z).
notice(X) -> log(notice, X).
notice(X, Y) -> log(notice, X, Y).
notice(X, Y, Z) -> log(notice, X, Y, Z).
info(X) -> log(info, X).
info(X, Y) -> log(info, X, Y).
info(X, Y, Z) -> log(info, X, Y, Z).
debug(X) -> log(debug, X).
debug(X, Y) -> log(debug, X, Y).
debug(X, Y, Z) -> log(debug, X, Y, Z).

%% ---------------------------------------------------------------------------

emit(Level, What, Meta0) ->
    Meta = add_defaults(Meta0),
    Text = message_text(What, Meta),
    case whereis(logger) of
        undefined -> ok;
        Logger ->
            Title = case Meta of
                        #{logger_formatter := #{title := T}} -> T;
                        _ -> string:uppercase(atom_to_list(Level)) ++ " REPORT"
                    end,
            Logger ! {log, Level, "~ts", [Text],
                      #{time => maps:get(time, Meta),
                        logger_formatter => #{title => Title}}},
            ok
    end.

add_defaults(Meta) ->
    maps:merge(#{pid => self(), gl => group_leader(),
                 time => os:system_time(microsecond)}, Meta).

%% The message as logger_formatter writes it (multi-line, no depth or length limit).
message_text({string, Chars}, _Meta) ->
    Chars;
message_text({report, Report}, Meta) ->
    report_text(Report, Meta);
message_text({Format, Args}, _Meta) when is_list(Args) ->
    io_lib:format(Format, Args);
message_text(Report, Meta) when is_map(Report); is_list(Report) ->
    case io_lib:printable_unicode_list(Report) of
        true -> Report;
        false -> report_text(Report, Meta)
    end;
message_text(Other, _Meta) ->
    io_lib:format("~tp", [Other]).

report_text(Report, #{report_cb := Cb}) when is_function(Cb, 2) ->
    Cb(Report, #{depth => unlimited, chars_limit => unlimited, single_line => false});
report_text(Report, #{report_cb := Cb}) when is_function(Cb, 1) ->
    {Format, Args} = Cb(Report),
    io_lib:format(Format, Args);
report_text(Report, _Meta) when is_map(Report) ->
    report_text(lists:sort(maps:to_list(Report)), #{});
report_text(Report, _Meta) ->
    case lists:all(fun({K, _}) -> is_atom(K) orelse io_lib:printable_unicode_list(K); (_) -> false end, Report) of
        true ->
            Width = lists:max([0 | [string:length(key_text(K)) || {K, _} <- Report]]),
            lists:join($\n, [io_lib:format("    ~ts: ~tp", [string:pad(key_text(K), Width), V]) || {K, V} <- Report]);
        false ->
            io_lib:format("~tp", [Report])
    end.

key_text(K) when is_atom(K) -> atom_to_list(K);
key_text(K) -> K.

severity(emergency) -> 0;
severity(alert) -> 1;
severity(critical) -> 2;
severity(error) -> 3;
severity(warning) -> 4;
severity(notice) -> 5;
severity(info) -> 6;
severity(debug) -> 7;
severity(all) -> 8;
severity(none) -> -1.
