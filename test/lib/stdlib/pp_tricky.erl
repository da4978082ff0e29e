-module(pp_tricky).
-export([all/0]).
-include_lib("kernel/include/file.hrl").
-record(state, {name = "" :: string(), count = 0 :: non_neg_integer(), opts = #{} :: #{atom() => term()}, queue = queue:new()}).
-type option() :: {timeout, timeout()} | {name, string()} | verbose | {level, -1..10}.
-type handler(A, B) :: fun((A) -> B) | {module(), atom()}.
-spec handle(Request :: term(), From :: {pid(), reference()}, State :: #state{}) -> {reply, ok, #state{}} | {noreply, #state{}} | {stop, normal, #state{}}.
-spec all() -> [integer() | float() | binary() | [char()] | <<_:_*8>>].

all() ->
    S0 = #state{name = "x"},
    S = S0#state{count = S0#state.count + 1, opts = (S0#state.opts)#{verbose => true}},
    Fact = fun Fact(0) -> 1; Fact(N) when N > 0 -> N * Fact(N - 1) end,
    Chars = [$a, $\n, $\s, $', $", $\\, -1, 2.5e-10, 1.0e20, 16#ff, 2#101],
    Long = lists:map(fun(X) -> {very_long_atom_name_number_one, X, very_long_atom_name_number_two} end, [1, 2, 3]),
    Bin = <<"text", 0:3, (byte_size(<<"ab">>)):5, "utf8 é"/utf8, 1.5/float>>,
    Str = "line one\n" "line two\t" ++ [$x],
    M = #{key => value, {tuple, key} => [1, 2, 3], "string" => <<"bin">>},
    #{key := V} = M,
    R = try element(1, S) of
            state -> ok;
            Other -> {other, Other}
        catch
            error:badarg -> bad;
            Class:Reason:Stack when Class =/= throw -> {Class, Reason, Stack}
        end,
    Q = if S#state.count > 0, is_record(S, state) -> positive; true -> zero end,
    B = begin X = 1, Y = 2, X + Y end,
    C = catch throw(x),
    N = - 5 + (+ 3) - (bnot 2) + (1 bsl 4) + (7 div 2) + (7 rem 2),
    L = not (true andalso false) orelse (V =:= value) xor false,
    D = [X || {X, _} <- [{1, a}, {2, b}], X > 1, _ <- [c]],
    E = << <<X:4>> || <<X:4>> <= <<16#ab>> >>,
    F = fun lists:reverse/1,
    G = fun all/0,
    H = fun erlang:length/1,
    spawn(fun() -> receive after 1000 -> ok end end),
    self() ! {msg, S, Fact(5)},
    receive {msg, _, Res} -> Res end,
    [S, Fact, Chars, Long, Bin, Str, M, R, Q, B, C, N, L, D, E, F, G, H, #state.count, erlang:atom_to_list(ok), math:sqrt(4.0), float(1)].
