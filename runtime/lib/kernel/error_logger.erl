%% error_logger: the old error logging API, on top of Logger as in OTP 21 and later. Messages and
%% reports become Logger events at error, warning or notice level ("INFO REPORT" in the legacy
%% header), carrying error_logger metadata.

-module(error_logger).

-export([error_msg/1, error_msg/2, format/2, error_report/1, error_report/2,
         warning_msg/1, warning_msg/2, warning_report/1, warning_report/2,
         info_msg/1, info_msg/2, info_report/1, info_report/2,
         get_format_depth/0, warning_map/0]).

error_msg(Format) -> error_msg(Format, []).
error_msg(Format, Args) -> log_msg(error, error, Format, Args).

format(Format, Args) -> error_msg(Format, Args).

warning_msg(Format) -> warning_msg(Format, []).
warning_msg(Format, Args) -> log_msg(warning, warning_msg, Format, Args).

info_msg(Format) -> info_msg(Format, []).
info_msg(Format, Args) -> log_msg(notice, info_msg, Format, Args).

error_report(Report) -> error_report(std_error, Report).
error_report(Type, Report) -> log_report(error, error_report, Type, Report).

warning_report(Report) -> warning_report(std_warning, Report).
warning_report(Type, Report) -> log_report(warning, warning_report, Type, Report).

info_report(Report) -> info_report(std_info, Report).
info_report(Type, Report) -> log_report(notice, info_report, Type, Report).

%% The level warning messages are logged at.
warning_map() -> warning.

get_format_depth() ->
    case application:get_env(kernel, error_logger_format_depth) of
        {ok, Depth} when is_integer(Depth) -> max(10, Depth);
        _ -> unlimited
    end.

log_msg(Level, Tag, Format, Args) ->
    logger:log(Level, #{label => {error_logger, Tag}, format => Format, args => Args}, meta(Tag, undefined)).

log_report(Level, Tag, Type, Report) ->
    logger:log(Level, #{label => {error_logger, Tag}, report => Report}, meta(Tag, Type)).

%% A report of a type other than the standard ones goes to a domain of that name, which the
%% default handler does not print.
meta(Tag, undefined) ->
    #{error_logger => #{tag => Tag}, report_cb => fun report_to_format/1};
meta(Tag, Type) ->
    Meta = #{error_logger => #{tag => Tag, type => Type}, report_cb => fun report_to_format/1},
    case {Tag, Type} of
        {error_report, std_error} -> Meta;
        {warning_report, std_warning} -> Meta;
        {info_report, std_info} -> Meta;
        _ -> Meta#{domain => [Type]}
    end.

report_to_format(#{label := {error_logger, _}, report := Report}) when is_map(Report) ->
    {"~tp\n", [Report]};
report_to_format(#{label := {error_logger, _}, format := Format, args := Args}) ->
    case is_list(Args) andalso (catch io_lib:format(Format, Args)) of
        {'EXIT', _} -> {"ERROR: ~tp - ~tp", [Format, Args]};
        false -> {"ERROR: ~tp - ~tp", [Format, Args]};
        _ -> {Format, Args}
    end;
report_to_format(Report) ->
    logger:format_otp_report(Report).
