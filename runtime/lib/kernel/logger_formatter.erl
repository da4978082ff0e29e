%% logger_formatter: a log event as text, by a template of metadata keys and strings. The
%% default handler uses OTP's legacy form:
%%
%%   =ERROR REPORT==== 7-Dec-2026::10:00:00.123456 ===
%%   the message
%%
%% Messages are a format and its arguments, a string, or a report, which the report_cb in the
%% metadata (or logger:format_report/1) makes text.

-module(logger_formatter).

-export([format/2, check_config/1]).

format(#{level := Level, msg := Msg, meta := Meta0}, Config0) when is_map(Config0) ->
    Config = with_defaults(Config0),
    Meta = with_legacy_header(Level, Meta0, Config),
    Text = [case Item of
                msg -> message(Msg, Meta, Config);
                _ -> item(Item, Level, Meta, Config)
            end || Item <- maps:get(template, Config)],
    truncate(lists:flatten(Text), maps:get(max_size, Config)).

check_config(Config) when is_map(Config) -> ok;
check_config(Config) -> {error, {invalid_formatter_config, logger_formatter, Config}}.

with_defaults(Config0) ->
    Config = maps:merge(#{chars_limit => unlimited, error_logger_notice_header => info,
                          legacy_header => false, single_line => true, max_size => unlimited,
                          depth => unlimited, time_designator => $T, time_offset => ""}, Config0),
    case Config of
        #{template := _} -> Config;
        #{legacy_header := true} -> Config#{template => [[logger_formatter, header], "\n", msg, "\n"]};
        #{single_line := true} -> Config#{template => [time, " ", level, ": ", msg, "\n"]};
        _ -> Config#{template => [time, " ", level, ":\n", msg, "\n"]}
    end.

%% =TITLE==== D-Mon-YYYY::HH:MM:SS.micros === under [logger_formatter, header] in the metadata.
with_legacy_header(Level, #{time := Time} = Meta, #{legacy_header := true} = Config) ->
    %% a report may name itself (proc_lib's CRASH REPORT, supervisor's SUPERVISOR REPORT)
    Title = case {Level, Meta} of
                {_, #{logger_formatter := #{title := T}}} -> T;
                {notice, #{error_logger := _}} -> title(maps:get(error_logger_notice_header, Config));
                _ -> title(Level)
            end,
    Utc = maps:get(time_offset, Config) =:= "Z",
    {{Y, Mo, D}, {H, Mi, S}} =
        case Utc of
            true -> calendar:system_time_to_universal_time(Time div 1000000, second);
            false -> calendar:system_time_to_local_time(Time div 1000000, second)
        end,
    Header = io_lib:format("=~ts==== ~w-~s-~4w::~2..0w:~2..0w:~2..0w.~6..0w ~s===",
                           [Title, D, month(Mo), Y, H, Mi, S,
                            Time rem 1000000, if Utc -> "UTC "; true -> "" end]),
    Meta#{logger_formatter => #{header => Header}};
with_legacy_header(_Level, Meta, _Config) ->
    Meta.

title(Level) -> string:uppercase(atom_to_list(Level)) ++ " REPORT".

month(M) ->
    element(M, {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}).

%% A template item: level, a metadata key (or a path of keys into maps), {Key, IfSet, Else}, or text.
item(level, Level, _Meta, _Config) ->
    atom_to_list(Level);
item({Key, IfSet, Else}, Level, Meta, Config) ->
    case lookup(Key, Meta) of
        {ok, _} -> [item(I, Level, Meta, Config) || I <- IfSet];
        error -> [item(I, Level, Meta, Config) || I <- Else]
    end;
item(Key, _Level, Meta, Config) when is_atom(Key); is_list(Key), is_atom(hd(Key)) ->
    case lookup(Key, Meta) of
        {ok, Value} -> to_text(Key, Value, Config);
        error -> ""
    end;
item(Text, _Level, _Meta, _Config) ->
    Text.

lookup(Key, Meta) when is_atom(Key) ->
    lookup([Key], Meta);
lookup([Key | Keys], Meta) when is_map(Meta), is_map_key(Key, Meta) ->
    lookup(Keys, maps:get(Key, Meta));
lookup([], Value) ->
    {ok, Value};
lookup(_, _) ->
    error.

to_text(time, Time, Config) when is_integer(Time) ->
    calendar:system_time_to_rfc3339(Time, [{unit, microsecond}, {offset, maps:get(time_offset, Config)},
                                           {time_designator, maps:get(time_designator, Config)}]);
to_text(mfa, {M, F, A}, _Config) when is_atom(M), is_atom(F), is_integer(A) ->
    io_lib:fwrite("~tw:~tw/~w", [M, F, A]);
to_text(_Key, X, _Config) when is_atom(X) -> atom_to_list(X);
to_text(_Key, X, _Config) when is_integer(X) -> integer_to_list(X);
to_text(_Key, X, _Config) when is_pid(X) -> pid_to_list(X);
to_text(_Key, X, _Config) when is_reference(X) -> ref_to_list(X);
to_text(_Key, X, Config) when is_list(X) ->
    case X =/= [] andalso io_lib:printable_list(lists:flatten(X)) of
        true -> X;
        false -> io_lib:format(p(Config), [X])
    end;
to_text(_Key, X, Config) ->
    io_lib:format(p(Config), [X]).

p(#{single_line := true}) -> "~0tp";
p(_) -> "~tp".

%% ---------------------------------------------------------------------
%% The message

message(Msg, Meta, Config) ->
    Text = message_text(Msg, Meta, Config),
    case maps:get(single_line, Config) of
        true -> one_line(Text);
        false -> Text
    end.

message_text({string, Chars}, Meta, Config) ->
    message_text({"~ts", [Chars]}, Meta, Config);
message_text({report, _} = Msg, Meta, #{report_cb := Fun} = Config) when is_function(Fun, 1); is_function(Fun, 2) ->
    message_text(Msg, Meta#{report_cb => Fun}, maps:remove(report_cb, Config));
message_text({report, Report}, #{report_cb := Fun} = Meta, Config) when is_function(Fun, 1) ->
    try Fun(Report) of
        {Format, Args} when is_list(Format), is_list(Args) ->
            message_text({Format, Args}, maps:remove(report_cb, Meta), Config);
        Other ->
            P = p(Config),
            message_text({"REPORT_CB/1 ERROR: " ++ P ++ "; Returned: " ++ P, [Report, Other]}, Meta, Config)
    catch C:R:S ->
        P = p(Config),
        message_text({"REPORT_CB/1 CRASH: " ++ P ++ "; Reason: " ++ P, [Report, {C, R, S}]}, Meta, Config)
    end;
message_text({report, Report}, #{report_cb := Fun} = Meta, Config) when is_function(Fun, 2) ->
    try Fun(Report, maps:with([depth, chars_limit, single_line], Config)) of
        Chars when is_list(Chars); is_binary(Chars) ->
            unicode:characters_to_list(Chars);
        Other ->
            P = p(Config),
            message_text({"REPORT_CB/2 ERROR: " ++ P ++ "; Returned: " ++ P, [Report, Other]}, Meta, Config)
    catch C:R:S ->
        P = p(Config),
        message_text({"REPORT_CB/2 CRASH: " ++ P ++ "; Reason: " ++ P, [Report, {C, R, S}]}, Meta, Config)
    end;
message_text({report, Report}, Meta, Config) ->
    message_text({report, Report}, Meta#{report_cb => fun logger:format_report/1}, Config);
message_text({Format, Args}, _Meta, Config) ->
    try
        io_lib:format(Format, Args)
    catch _:_ ->
        P = p(Config),
        io_lib:format("FORMAT ERROR: " ++ P ++ " - " ++ P, [Format, Args])
    end.

%% single_line: no leading or trailing white space; a line break (and the comma before it, and
%% the indentation after it) becomes ", ".
one_line(Text) ->
    Chars = string:trim(lists:flatten(Text), both, " \r\n"),
    join_lines(Chars).

join_lines([]) -> [];
join_lines([$, | Rest] = Chars) ->
    case line_break(Rest) of
        {true, After} -> ", " ++ join_lines(After);
        false -> [$, | join_lines(tl(Chars))]
    end;
join_lines([C | Rest] = Chars) ->
    case line_break(Chars) of
        {true, After} -> ", " ++ join_lines(After);
        false -> [C | join_lines(Rest)]
    end.

line_break([$\r, $\n | Rest]) -> {true, string:trim(Rest, leading, " \t\r\n")};
line_break([$\n | Rest]) -> {true, string:trim(Rest, leading, " \t\r\n")};
line_break(_) -> false.

truncate(Text, unlimited) ->
    Text;
truncate(Text, Max) when length(Text) > Max ->
    lists:sublist(Text, max(Max - 3, 0)) ++ "...";
truncate(Text, _Max) ->
    Text.
