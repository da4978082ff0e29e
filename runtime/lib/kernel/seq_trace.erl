%% seq_trace: sequential tracing. A process's trace token (label, flags send/'receive'/print,
%% serial) rides on the messages it sends and passes to whoever receives them; each step is
%% reported to the system tracer as {seq_trace, Label, Info}. Over the erlang BIFs of
%% runtime/lib/erts/seq_trace.ts; the token crosses local sends (not yet the distribution).
-module(seq_trace).
-export([set_token/1, set_token/2, get_token/0, get_token/1, print/1, print/2,
         reset_trace/0, set_system_tracer/1, get_system_tracer/0]).

%% [] clears the token (answering the old one); a whole token {Flags, Label, Serial, From, LastCnt} is set
set_token([]) ->
    erlang:seq_trace(sequential_trace_token, []);
set_token({_Flags, _Label, _Serial, _From, _LastCnt} = Token) ->
    _ = erlang:seq_trace(sequential_trace_token, Token),
    ok.

set_token(Component, Value) ->
    erlang:seq_trace(Component, Value).

get_token() ->
    {sequential_trace_token, Token} = process_info(self(), sequential_trace_token),
    Token.

get_token(Component) ->
    erlang:seq_trace_info(Component).

print(Info) ->
    erlang:seq_trace_print(Info),
    ok.

print(Label, Info) when is_atom(Label) ->
    erlang:error(badarg, [Label, Info]);
print(Label, Info) ->
    erlang:seq_trace_print(Label, Info),
    ok.

reset_trace() ->
    erlang:system_flag(reset_seq_trace, true).

set_system_tracer(Tracer) ->
    erlang:system_flag(sequential_tracer, Tracer).

get_system_tracer() ->
    {sequential_tracer, Tracer} = erlang:system_info(sequential_tracer),
    Tracer.
