%% rand: pseudo random numbers, with OTP's algorithms, so a seeded sequence is erl's: exsss
%% (Xorshift116**, the default), exrop (Xoroshiro116+), exs1024s (Xorshift1024*), exro928ss
%% (Xoroshiro928**), exsp (Xorshift116+), and the deprecated exs64, exsplus and exs1024.
%%
%% A state is {AlgHandler, AlgState}: AlgHandler a map naming the algorithm and its functions,
%% AlgState the generator's words (what export_seed/0 gives). The functions without _s keep the
%% state in the process dictionary under rand_seed, seeding it from the clock on first use.
%%
%% The generators work on 58-bit words (64-bit for the exs64 family); the word arithmetic is
%% masked after each step.

-module(rand).

-export([seed/1, seed/2, seed_s/1, seed_s/2, export_seed/0, export_seed_s/1,
         uniform/0, uniform/1, uniform_s/1, uniform_s/2, uniform_real/0, uniform_real_s/1,
         bytes/1, bytes_s/2, jump/0, jump/1, normal/0, normal/2, normal_s/1, normal_s/3]).
-export([exsp_next/1, exsp_jump/1, splitmix64_next/1, mwc59/1, mwc59_value32/1, mwc59_value/1,
         mwc59_float/1, mwc59_seed/0, mwc59_seed/1]).

%% The state's funs numbered as in OTP 25's rand.beam, so a state prints as erl prints it.
-fun_uniq(34006561).
-fun_index([{exsss_next, 1, 0}, {exsss_uniform, 1, 1}, {exsss_uniform, 2, 2}, {exsplus_jump, 1, 3},
            {exsp_next, 1, 5}, {exsp_uniform, 1, 7}, {exsp_uniform, 2, 8}, {exs64_next, 1, 9},
            {exs1024_next, 1, 11}, {exs1024_jump, 1, 12}, {exrop_next, 1, 14}, {exrop_uniform, 1, 15},
            {exrop_uniform, 2, 16}, {exrop_jump, 1, 17}, {exro928ss_next, 1, 19},
            {exro928ss_uniform, 1, 20}, {exro928ss_uniform, 2, 21}, {exro928_jump, 1, 22}]).

-define(SEED_KEY, rand_seed).
-define(DEFAULT_ALG, exsss).

-define(BIT(N), (1 bsl (N))).
-define(MASK(N), (?BIT(N) - 1)).
-define(MASK(N, X), ((X) band ?MASK(N))).
%% X shifted left by S within an N-bit word
-define(SHL(N, X, S), (?MASK((N) - (S), (X)) bsl (S))).
%% X rotated left by S within an N-bit word
-define(ROTL(N, X, S), (?SHL((N), (X), (S)) bor ((X) bsr ((N) - (S))))).

-define(TWO_POW_MINUS53, 1.11022302462515657e-16).

%% ---------------------------------------------------------------------
%% Seeding and the state in the process dictionary

seed(Alg) ->
    put_state(seed_s(Alg)).

seed(Alg, Seed) ->
    put_state(seed_s(Alg, Seed)).

%% seed_s(Alg): seeded from the clock and the process; a state or an exported state as it is.
seed_s({AlgHandler, _AlgState} = State) when is_map(AlgHandler) ->
    State;
seed_s({Alg, AlgState}) when is_atom(Alg) ->
    {handler(Alg), AlgState};
seed_s(Alg) ->
    seed_s(Alg, clock_seed()).

seed_s(default, Seed) ->
    seed_s(?DEFAULT_ALG, Seed);
seed_s(Alg, Seed) ->
    Handler = handler(Alg),
    {Handler, seed_state(Alg, Seed)}.

clock_seed() ->
    {erlang:phash2([{node(), self()}]), erlang:system_time(), erlang:unique_integer()}.

export_seed() ->
    case get(?SEED_KEY) of
        {#{type := Alg}, AlgState} -> {Alg, AlgState};
        _ -> undefined
    end.

export_seed_s({#{type := Alg}, AlgState}) ->
    {Alg, AlgState}.

put_state(State) ->
    put(?SEED_KEY, State),
    State.

get_state() ->
    case get(?SEED_KEY) of
        undefined -> seed(?DEFAULT_ALG);
        State -> State
    end.

%% What each algorithm is: its word size in bits (or, for the old ones, its largest value), the
%% low bits of weaker quality, and its functions.
handler(exsss) ->
    #{type => exsss, bits => 58, next => fun exsss_next/1, uniform => fun exsss_uniform/1,
      uniform_n => fun exsss_uniform/2, jump => fun exsplus_jump/1};
handler(exsp) ->
    #{type => exsp, bits => 58, weak_low_bits => 1, next => fun exsp_next/1,
      uniform => fun exsp_uniform/1, uniform_n => fun exsp_uniform/2, jump => fun exsplus_jump/1};
handler(exrop) ->
    #{type => exrop, bits => 58, weak_low_bits => 1, next => fun exrop_next/1,
      uniform => fun exrop_uniform/1, uniform_n => fun exrop_uniform/2, jump => fun exrop_jump/1};
handler(exs1024s) ->
    #{type => exs1024s, bits => 64, weak_low_bits => 3, next => fun exs1024_next/1,
      jump => fun exs1024_jump/1};
handler(exro928ss) ->
    #{type => exro928ss, bits => 58, next => fun exro928ss_next/1, uniform => fun exro928ss_uniform/1,
      uniform_n => fun exro928ss_uniform/2, jump => fun exro928_jump/1};
handler(exs64) ->
    #{type => exs64, max => ?MASK(64), next => fun exs64_next/1};
handler(exsplus) ->
    #{type => exsplus, max => ?MASK(58), next => fun exsp_next/1, jump => fun exsplus_jump/1};
handler(exs1024) ->
    #{type => exs1024, max => ?MASK(64), next => fun exs1024_next/1, jump => fun exs1024_jump/1};
handler(Alg) ->
    erlang:error(function_clause, [Alg]).

%% A seed is a list of words (not all zero), an integer, or three integers.
seed_state(Alg, Words) when is_list(Words) ->
    case Alg of
        exs64 -> hd(words_nz(1, Words, 64));
        exs1024 -> {words_nz(16, Words, 64), []};
        exs1024s -> {words_nz(16, Words, 64), []};
        exro928ss -> {words_nz(16, Words, 58), []};
        _ -> [S0, S1] = words_nz(2, Words, 58), [S0 | S1]
    end;
seed_state(Alg, X) when is_integer(X) ->
    case Alg of
        exs64 -> hd(words64(1, X));
        exs1024 -> {words64(16, X), []};
        exs1024s -> {words64(16, X), []};
        exro928ss -> {words58(16, X), []};
        _ -> [S0, S1] = words58(2, X), [S0 | S1]
    end;
seed_state(Alg, {A1, A2, A3}) ->
    seed3(Alg, A1, A2, A3).

%% The three-integer seeds, each algorithm's own.
seed3(exsss, A1, A2, A3) ->
    {_, X0} = word58(A1),
    {S0, X1} = word58(A2 bxor X0),
    {S1, _} = word58(A3 bxor X1),
    [S0 | S1];
seed3(exro928ss, A1, A2, A3) ->
    {S0, X0} = word58(A1),
    {S1, X1} = word58(A2 bxor X0),
    {S2, X2} = word58(A3 bxor X1),
    {[S0, S1, S2 | words58(13, X2)], []};
seed3(exrop, A1, A2, A3) ->
    [_ | S1] = exrop_step(?MASK(58, A1 * 4294967197 + 1), ?MASK(58, A2 * 4294967231 + 1)),
    exrop_step(?MASK(58, A3 * 4294967279 + 1), S1);
seed3(Alg, A1, A2, A3) when Alg =:= exsp; Alg =:= exsplus ->
    {_, R1} = exsp_next([?MASK(58, A1 * 4294967197 + 1) | ?MASK(58, A2 * 4294967231 + 1)]),
    {_, R2} = exsp_next([?MASK(58, A3 * 4294967279 + 1) | tl(R1)]),
    R2;
seed3(exs64, A1, A2, A3) ->
    {V1, _} = exs64_next(?MASK(32, A1) * 4294967197 + 1),
    {V2, _} = exs64_next(?MASK(32, A2) * 4294967231 + 1),
    {V3, _} = exs64_next(?MASK(32, A3) * 4294967279 + 1),
    (V1 * V2 * V3) rem (?MASK(64) - 1) + 1;
seed3(Alg, A1, A2, A3) when Alg =:= exs1024; Alg =:= exs1024s ->
    B1 = ?MASK(21, (?MASK(21, A1) + 1) * 2097131),
    B2 = ?MASK(21, (?MASK(21, A2) + 1) * 2097133),
    B3 = ?MASK(21, (?MASK(21, A3) + 1) * 2097143),
    {exs64_words(16, (B1 bsl 43) bor (B2 bsl 22) bor (B3 bsl 1) bor 1, []), []}.

%% N words of Bits bits from a list of integers, not all zero (missing ones are 0).
words_nz(N, Ss, Bits) ->
    words_nz(N, Ss, Bits, false).

words_nz(_N, [], _Bits, false) -> erlang:error(zero_seed);
words_nz(0, [_ | _], _Bits, _) -> erlang:error(too_many_seed_integers);
words_nz(0, [], _Bits, _) -> [];
words_nz(N, [], Bits, true) -> [0 | words_nz(N - 1, [], Bits, true)];
words_nz(N, [S | Ss], Bits, NonZero) when is_integer(S) ->
    W = ?MASK(Bits, S),
    [W | words_nz(N - 1, Ss, Bits, NonZero orelse W =/= 0)];
words_nz(_N, [_ | _], _Bits, _) -> erlang:error(non_integer_seed).

%% N non-zero words from SplitMix64, started at X.
words58(0, _X) -> [];
words58(N, X) ->
    {W, X1} = word58(X),
    [W | words58(N - 1, X1)].

word58(X0) ->
    {Z, X} = splitmix64_next(X0),
    case ?MASK(58, Z) of
        0 -> word58(X);
        W -> {W, X}
    end.

words64(0, _X) -> [];
words64(N, X) ->
    {W, X1} = word64(X),
    [W | words64(N - 1, X1)].

word64(X0) ->
    case splitmix64_next(X0) of
        {0, X} -> word64(X);
        ZX -> ZX
    end.

splitmix64_next(X0) ->
    X = ?MASK(64, X0 + 16#9e3779b97f4a7c15),
    Z0 = ?MASK(64, (X bxor (X bsr 30)) * 16#bf58476d1ce4e5b9),
    Z1 = ?MASK(64, (Z0 bxor (Z0 bsr 27)) * 16#94d049bb133111eb),
    {?MASK(64, Z1 bxor (Z1 bsr 31)), X}.

%% ---------------------------------------------------------------------
%% Uniform numbers

uniform() ->
    {X, State} = uniform_s(get_state()),
    put_state(State),
    X.

uniform(N) ->
    {X, State} = uniform_s(N, get_state()),
    put_state(State),
    X.

%% A float in [0.0, 1.0): the top 53 bits of a word.
uniform_s({#{uniform := Uniform}, _} = State) ->
    Uniform(State);
uniform_s({#{bits := Bits, next := Next} = H, R0}) ->
    {V, R1} = Next(R0),
    {(V bsr (Bits - 53)) * ?TWO_POW_MINUS53, {H, R1}};
uniform_s({#{max := Max, next := Next} = H, R0}) ->
    {V, R1} = Next(R0),
    {V / (Max + 1), {H, R1}}.

%% An integer in 1..N.
uniform_s(N, {#{uniform_n := UniformN}, _} = State) when is_integer(N), N >= 1 ->
    UniformN(N, State);
uniform_s(N, {#{bits := Bits, next := Next} = H, R0}) when is_integer(N), N >= 1 ->
    {V, R1} = Next(R0),
    in_range(N, H, R1, V, Bits);
uniform_s(N, {#{max := Max, next := Next} = H, R0}) when is_integer(N), N >= 1 ->
    {V, R1} = Next(R0),
    case N =< Max of
        true -> {V rem N + 1, {H, R1}};
        false -> {trunc(V / (Max + 1) * N) + 1, {H, R1}}
    end.

%% 1 + V rem N, unless V is in the top, incomplete stretch of N values: then a new word. A range
%% wider than the words takes several.
in_range(N, H, R, V, Bits) ->
    case ?BIT(Bits) - N of
        MaxMinusN when MaxMinusN >= 0 ->
            I = V rem N,
            case V - I =< MaxMinusN of
                true -> {I + 1, {H, R}};
                false -> uniform_s(N, {H, R})
            end;
        _ ->
            wide_range(N, H, R, V)
    end.

%% A range as wide as the words or wider: draw words until there are two bits more than the
%% range needs (for a power of 2, just enough), and draw again if the value falls in the top.
wide_range(N, #{next := Next, bits := Bits} = H, R, V) ->
    WeakLowBits = maps:get(weak_low_bits, H, 0),
    Shift = Bits - WeakLowBits,
    KeepMask = bnot ?MASK(WeakLowBits),
    case N band (N - 1) of
        0 ->
            {V1, R1, _} = more_bits(N bsr Bits, Next, R, V, KeepMask, Shift, Bits),
            {(V1 band (N - 1)) + 1, {H, R1}};
        _ ->
            {V1, R1, B} = more_bits(N bsr (Bits - 2), Next, R, V, KeepMask, Shift, Bits),
            I = V1 rem N,
            case V1 - I =< ?BIT(B) - N of
                true -> {I + 1, {H, R1}};
                false ->
                    {V2, R2} = Next(R1),
                    wide_range(N, H, R2, V2)
            end
    end.

%% Shift in words (less their weak low bits) until Range is covered.
more_bits(Range, _Next, R, V, _KeepMask, _Shift, B) when Range =< 1 ->
    {V, R, B};
more_bits(Range, Next, R, V, KeepMask, Shift, B) ->
    {V1, R1} = Next(R),
    more_bits(Range bsr Shift, Next, R1, ((V band KeepMask) bsl Shift) bor V1, KeepMask, Shift, B + Shift).

%% A float in (0.0, 1.0], with all the precision the float has near 0.
uniform_real() ->
    {X, State} = uniform_real_s(get_state()),
    put_state(State),
    X.

uniform_real_s({#{bits := Bits, next := Next} = H, R0}) ->
    {V, R1} = Next(R0),
    real_from(V bsr (Bits - 56), -56, H, R1);
uniform_real_s({#{max := _, next := Next} = H, R0}) ->
    {V, R1} = Next(R0),
    real_from(?MASK(56, V), -56, H, R1).

%% M: the 56 bits drawn last, worth 2^Exp each. With 53 significant bits or more, that is the
%% float (rounded down to 53 bits); with fewer, the next word's top bits fill it up.
real_from(M, Exp, H, R) when M >= ?BIT(52) ->
    Lead = bits_in(M) - 53,
    {(M bsr Lead) * math:pow(2.0, Exp + Lead), {H, R}};
real_from(M, Exp, H, R) ->
    {V, R1} = next56(H, R),
    if
        M =:= 0, Exp =:= -1008, V < ?BIT(42) ->
            %% the next float would be denormal: start again (at odds of about 2^-1008)
            uniform_real_s({H, R1});
        M =:= 0, Exp > -1008 ->
            real_from(V, Exp - 56, H, R1);
        M =:= 0 ->
            real_fill(V, Exp - 56, H, R1);
        true ->
            Need = 53 - bits_in(M),
            {((M bsl Need) bor (V bsr (56 - Need))) * math:pow(2.0, Exp - Need), {H, R1}}
    end.

%% The last round, at the bottom of the floats: top up M with the next word once more.
real_fill(M, Exp, H, R) when M >= ?BIT(52) ->
    real_from(M, Exp, H, R);
real_fill(M, Exp, H, R) ->
    {V, R1} = next56(H, R),
    Need = 53 - bits_in(M),
    {((M bsl Need) bor (V bsr (56 - Need))) * math:pow(2.0, Exp - Need), {H, R1}}.

%% The next 56 bits: the top of a word (the low bits of the old algorithms).
next56(#{bits := Bits, next := Next}, R) ->
    {V, R1} = Next(R),
    {V bsr (Bits - 56), R1};
next56(#{next := Next}, R) ->
    {V, R1} = Next(R),
    {?MASK(56, V), R1}.

%% How many bits V has (V > 0).
bits_in(V) -> bits_in(V, 0).
bits_in(0, N) -> N;
bits_in(V, N) -> bits_in(V bsr 1, N + 1).

%% ---------------------------------------------------------------------
%% Bytes

bytes(N) ->
    {Bytes, State} = bytes_s(N, get_state()),
    put_state(State),
    Bytes.

%% Whole bytes from the top of each word, less its weak low bits.
bytes_s(N, {#{bits := Bits, next := Next} = H, R}) when is_integer(N), N >= 0 ->
    bytes_from(N, H, Next, R, Bits - maps:get(weak_low_bits, H, 0), Bits, []);
bytes_s(N, {#{max := Max, next := Next} = H, R}) when is_integer(N), N >= 0, Max >= ?MASK(58) ->
    %% the old algorithms: 58 bits, the lowest 2 weak
    bytes_from(N, H, Next, R, 56, 58, []).

bytes_from(N, H, Next, R, GoodBits, Bits, Acc) ->
    PerWord = GoodBits bsr 3,
    {V, R1} = Next(R),
    case N > PerWord of
        true ->
            Used = PerWord * 8,
            bytes_from(N - PerWord, H, Next, R1, GoodBits, Bits, [<<(V bsr (Bits - Used)):Used>> | Acc]);
        false ->
            Used = N * 8,
            %% the last word gives the top bytes of its good bits
            {list_to_binary(lists:reverse(Acc, [<<(V bsr (PerWord * 8 - Used)):Used>>])), {H, R1}}
    end.

%% ---------------------------------------------------------------------
%% Jumps: the state 2^64 steps (2^512 for exro928ss) further on

jump() ->
    put_state(jump(get_state())).

jump({#{jump := Jump}, _} = State) ->
    Jump(State);
jump({#{}, _}) ->
    erlang:error(not_implemented).

%% ---------------------------------------------------------------------
%% Normal distribution: the ziggurat method

normal() ->
    {X, State} = normal_s(get_state()),
    put_state(State),
    X.

normal(Mean, Variance) ->
    Mean + math:sqrt(Variance) * normal().

normal_s(Mean, Variance, State0) when Variance > 0 ->
    {X, State} = normal_s(State0),
    {Mean + math:sqrt(Variance) * X, State}.

-define(NOR_R, 3.6541528853610087963519472518).

%% A sign bit, 51 bits of magnitude whose low 8 bits choose the layer: inside the layer's
%% rectangle under the curve (most draws) that is the number; else the edge or tail decides.
normal_s(State0) ->
    {Sign, R, State} = sign_and_51(State0),
    Layer = ?MASK(8, R),
    {Ki, Wi} = element(Layer + 1, ziggurat_ki_wi()),
    X = R * Wi,
    case R < Ki of
        true -> {signed(Sign, X), State};
        false when Layer =:= 0 -> normal_tail(Sign, State);
        false -> normal_edge(Layer, signed(Sign, X), State)
    end.

sign_and_51({#{bits := Bits, next := Next} = H, S0}) ->
    {V, S1} = Next(S0),
    {?BIT(Bits - 52) band V, V bsr (Bits - 51), {H, S1}};
sign_and_51({#{next := Next} = H, S0}) ->
    {V, S1} = Next(S0),
    {?BIT(51) band V, ?MASK(51, V), {H, S1}}.

signed(0, X) -> X;
signed(_, X) -> -X.

%% Beyond R: Marsaglia's method for the tail.
normal_tail(Sign, State0) ->
    {U0, S1} = uniform_s(State0),
    X = -1 / ?NOR_R * math:log(U0),
    {U1, S2} = uniform_s(S1),
    Y = -math:log(U1),
    case Y + Y > X * X of
        true -> {signed(Sign, ?NOR_R + X), S2};
        false -> normal_tail(Sign, S2)
    end.

%% Between the layer's rectangle and the curve: keep X if a uniform height falls under the curve.
normal_edge(Layer, X, State0) ->
    Fi = ziggurat_fi(),
    Below = element(Layer + 1, Fi),
    {U, S1} = uniform_s(State0),
    case (element(Layer, Fi) - Below) * U + Below < math:exp(-0.5 * X * X) of
        true -> {X, S1};
        false -> normal_s(S1)
    end.

%% ---------------------------------------------------------------------
%% The generators. States of two words are improper lists [A | B]; the longer ones are
%% {Words, UsedReversed} rings.

%% Xorshift116 (the state [S1 | S0], the words swapped), with the + and ** scramblers.
exsp_next([S1 | S0]) ->
    {S0w, NewS1} = xorshift116(S1, S0),
    {?MASK(58, S0w + NewS1), [S0w | NewS1]}.

exsss_next([S1 | S0]) ->
    {S0w, NewS1} = xorshift116(S1, S0),
    {starstar(S0w), [S0w | NewS1]}.

xorshift116(S1, S0) ->
    S0w = ?MASK(58, S0),
    T = ?MASK(58, S1) bxor ?SHL(58, S1, 24),
    {S0w, T bxor S0w bxor (T bsr 11) bxor (S0w bsr 41)}.

%% ((S * 5) rotl 7) * 9 in 58 bits, without numbers much wider than the word
starstar(S) ->
    V5 = S + ?SHL(58, S, 2),
    R7 = ?SHL(58, V5, 7) bor ?MASK(7, V5 bsr 51),
    ?MASK(58, R7 + ?SHL(58, R7, 3)).

exsp_uniform({H, R0}) ->
    {V, R1} = exsp_next(R0),
    {(V bsr 5) * ?TWO_POW_MINUS53, {H, R1}}.

exsp_uniform(N, {H, R0}) ->
    {V, R1} = exsp_next(R0),
    in_range(N, H, R1, V, 58).

exsss_uniform({H, R0}) ->
    {V, R1} = exsss_next(R0),
    {(V bsr 5) * ?TWO_POW_MINUS53, {H, R1}}.

exsss_uniform(N, {H, R0}) ->
    {V, R1} = exsss_next(R0),
    in_range(N, H, R1, V, 58).

%% 2^64 steps of Xorshift116 at once: the XOR of the states at the jump polynomial's bits.
exsplus_jump({H, S}) ->
    {H, exsp_jump(S)}.

exsp_jump(S) ->
    {S1, Acc} = exsp_jump(S, [0 | 0], 16#02f8ea6bc32c797, 58),
    {_, Acc2} = exsp_jump(S1, Acc, 16#345d2a0f85f788c, 58),
    Acc2.

exsp_jump(S, Acc, _J, 0) ->
    {S, Acc};
exsp_jump([S0 | S1] = S, [A0 | A1] = Acc, J, N) ->
    {_, Next} = exsp_next(S),
    case J band 1 of
        1 -> exsp_jump(Next, [A0 bxor S0 | A1 bxor S1], J bsr 1, N - 1);
        0 -> exsp_jump(Next, Acc, J bsr 1, N - 1)
    end.

%% Xorshift64* (exs64)
exs64_next(R) ->
    R1 = R bxor (R bsr 12),
    R2 = R1 bxor ?SHL(64, R1, 25),
    R3 = R2 bxor (R2 bsr 27),
    {?MASK(64, R3 * 2685821657736338717), R3}.

exs64_words(0, _R, Acc) -> Acc;
exs64_words(N, R, Acc) ->
    {X, R1} = exs64_next(R),
    exs64_words(N - 1, R1, [X | Acc]).

%% Xorshift1024* (exs1024, exs1024s): a ring of 16 words.
exs1024_next({[S0, S1 | Rest], Used}) ->
    S11 = S1 bxor ?SHL(64, S1, 31),
    S12 = S11 bxor (S11 bsr 11),
    NS1 = S0 bxor (S0 bsr 30) bxor S12,
    {?MASK(64, NS1 * 1181783497276652981), {[NS1 | Rest], [S0 | Used]}};
exs1024_next({[S], Used}) ->
    exs1024_next({[S | lists:reverse(Used)], []}).

exs1024_jump({H, {Words, Used}}) ->
    Jump = [16#00242f96eca9c41d,
            16#0196e1ddbe5a1561, 16#0239f070b5837a3c, 16#03f393cc68796cd2, 16#0248316f404489af,
            16#039a30088bffbac2, 16#02fea70dc2d9891f, 16#032ae0d9644caec4, 16#0313aac17d8efa43,
            16#02f132e055642626, 16#01ee975283d71c93, 16#00552321b06f5501, 16#00c41d10a1e6a569,
            16#019158ecf8aa1e44, 16#004e9fc949d0b5fc, 16#0363da172811fdda, 16#030e38c3b99181f2,
            16#0000000a118038fc],
    Acc = exs1024_jump({Words, Used}, lists:duplicate(16, 0), Jump, 58, 1024),
    %% the result as a ring in the same position
    {Front, Back} = lists:split(16 - length(Used), Acc),
    {H, {Front, lists:reverse(Back)}}.

exs1024_jump(_S, Acc, _Js, _N, 0) ->
    Acc;
exs1024_jump(S, Acc, [_ | Js], 0, Total) ->
    exs1024_jump(S, Acc, Js, 58, Total);
exs1024_jump({Words, Used} = S, Acc, [J | _] = Js, N, Total) ->
    {_, Next} = exs1024_next(S),
    Acc1 = case J band 1 of
               1 -> lists:zipwith(fun erlang:'bxor'/2, Acc, Words ++ lists:reverse(Used));
               0 -> Acc
           end,
    exs1024_jump(Next, Acc1, [J bsr 1 | tl(Js)], N - 1, Total - 1).

%% Xoroshiro928** (exro928ss): a ring of 16 words.
exro928ss_next({[S15, S0 | Ss], Rs}) ->
    {starstar(S0), exro928_step(Ss, Rs, S15, S0)};
exro928ss_next({[S15], Rs}) ->
    exro928ss_next({[S15 | lists:reverse(Rs)], []}).

exro928_state({[S15, S0 | Ss], Rs}) ->
    exro928_step(Ss, Rs, S15, S0);
exro928_state({[S15], Rs}) ->
    [S0 | Ss] = lists:reverse(Rs),
    exro928_step(Ss, [], S15, S0).

exro928_step(Ss, Rs, S15, S0) ->
    S0w = ?MASK(58, S0),
    Q = ?MASK(58, S15) bxor S0w,
    NewS15 = ?ROTL(58, S0w, 44) bxor Q bxor ?SHL(58, Q, 9),
    {[?ROTL(58, Q, 45) | Ss], [NewS15 | Rs]}.

exro928ss_uniform({H, SR}) ->
    {V, SR1} = exro928ss_next(SR),
    {(V bsr 5) * ?TWO_POW_MINUS53, {H, SR1}}.

exro928ss_uniform(N, {H, SR}) ->
    {V, SR1} = exro928ss_next(SR),
    in_range(N, H, SR1, V, 58).

%% 2^512 steps: the jump polynomial's coefficients, 58 bits each, a 1 above the top bit.
exro928_jump({H, SR}) ->
    {H, poly_jump(SR, [16#4085302F77130CA, 16#54E07F7F4524091, 16#5E1D7D6813D2BA0, 16#4687ACEF8644287,
                       16#4567FD9F0B83FE5, 16#43E6D27EA06C024, 16#641E015AC26D5D2, 16#6CD61377663B92F,
                       16#70A0657E19F00D4, 16#43C0BDDE15CF3C3, 16#745A3A8A3CEF3CC, 16#58A8CF308C8E0C6,
                       16#7B7C4CC049C536E, 16#431801F9DB3AF2C, 16#41A1504ACD83F24, 16#6C41DCF2F867D7F])}.

poly_jump({Ss, Rs} = SR, Js) ->
    poly_jump(SR, Js, lists:duplicate(length(Ss) + length(Rs), 0)).

poly_jump(_SR, [], Acc) ->
    {Acc, []};
poly_jump(SR, [J | Js], Acc) ->
    poly_jump_word(SR, Js, Acc, J).

poly_jump_word(SR, Js, Acc, 1) ->
    poly_jump(SR, Js, Acc);
poly_jump_word({Ss, Rs} = SR, Js, Acc, J) ->
    Acc1 = case J band 1 of
               1 -> lists:zipwith(fun erlang:'bxor'/2, Acc, Ss ++ lists:reverse(Rs));
               0 -> Acc
           end,
    poly_jump_word(exro928_state(SR), Js, Acc1, J bsr 1).

%% Xoroshiro116+ (exrop)
exrop_next([S0 | S1]) ->
    {?MASK(58, S0 + S1), exrop_step(S0, S1)}.

exrop_step(S0, S1) ->
    T = S1 bxor S0,
    [?ROTL(58, S0, 24) bxor T bxor ?SHL(58, T, 2) | ?ROTL(58, T, 35)].

exrop_uniform({H, R0}) ->
    {V, R1} = exrop_next(R0),
    {(V bsr 5) * ?TWO_POW_MINUS53, {H, R1}}.

exrop_uniform(N, {H, R0}) ->
    {V, R1} = exrop_next(R0),
    in_range(N, H, R1, V, 58).

%% 2^64 steps: the 116-bit jump polynomial in two 58-bit words, each with a 1 above its top bit.
exrop_jump({H, S}) ->
    Jump = 16#9863200f83fcd4a11293241fcb12a,
    {H, exrop_jump(S, 0, 0, ?BIT(58) bor ?MASK(58, Jump), [Jump bsr 58])}.

exrop_jump(_S, A0, A1, 0, []) ->
    [A0 | A1];
exrop_jump(S, A0, A1, 1, [J | Js]) ->
    exrop_jump(S, A0, A1, J, Js);
exrop_jump([S0 | S1], A0, A1, J, Js) ->
    Next = exrop_step(S0, S1),
    case J band 1 of
        1 -> exrop_jump(Next, A0 bxor S0, A1 bxor S1, J bsr 1, Js);
        0 -> exrop_jump(Next, A0, A1, J bsr 1, Js)
    end.

%% ---------------------------------------------------------------------
%% MWC59: a multiply-with-carry generator for callers that keep its state themselves

-define(MWC59_A, 16#7fa6502).

mwc59(CX0) ->
    CX = ?MASK(59, CX0),
    ?MWC59_A * ?MASK(32, CX) + (CX bsr 32).

mwc59_value32(CX0) ->
    CX = ?MASK(32, CX0),
    CX bxor ?SHL(32, CX, 8).

mwc59_value(CX0) ->
    CX = ?MASK(59, CX0),
    CX2 = CX bxor ?SHL(59, CX, 4),
    CX2 bxor ?SHL(59, CX2, 27).

mwc59_float(CX0) ->
    CX = ?MASK(53, CX0),
    CX2 = CX bxor ?SHL(53, CX, 4),
    CX3 = CX2 bxor ?SHL(53, CX2, 27),
    CX3 * ?TWO_POW_MINUS53.

mwc59_seed() ->
    {A1, A2, A3} = clock_seed(),
    (hash58(A1) bxor hash58(A2) bxor hash58(A3)) + 1.

mwc59_seed(S) when is_integer(S), 0 =< S, S =< ?MASK(58) ->
    hash58(S) + 1.

hash58(X) ->
    X0 = ?MASK(58, X),
    X1 = ?MASK(58, (X0 bxor (X0 bsr 29)) * 16#351afd7ed558ccd),
    X2 = ?MASK(58, (X1 bxor (X1 bsr 29)) * 16#0ceb9fe1a85ec53),
    X2 bxor (X2 bsr 29).

%% ---------------------------------------------------------------------
%% The ziggurat's tables: for each of its 256 layers, the part wholly under the curve (scaled to
%% 51 bits) and the width per unit; the curve's height at each layer's edge.

%% GENERATED by scripts/rand_ziggurat.py: do not edit
ziggurat_ki_wi() ->
    {
      {2104047571236786, 1.736725412160263e-15}, {0, 9.558660351455634e-17},
      {1693657211986787, 1.2708704834810623e-16}, {1919380038271141, 1.4909740962495474e-16},
      {2015384402196343, 1.6658733631586268e-16}, {2068365869448128, 1.8136120810119029e-16},
      {2101878624052573, 1.9429720153135588e-16}, {2124958784102998, 2.0589500628482093e-16},
      {2141808670795147, 2.1646860576895422e-16}, {2154644611568301, 2.2622940392218116e-16},
      {2164744887587275, 2.353271891404589e-16}, {2172897953696594, 2.438723455742877e-16},
      {2179616279372365, 2.5194879829274225e-16}, {2185247251868649, 2.5962199772528103e-16},
      {2190034623107822, 2.6694407473648285e-16}, {2194154434521197, 2.7395729685142446e-16},
      {2197736978774660, 2.8069646002484804e-16}, {2200880740891961, 2.871905890411393e-16},
      {2203661538010620, 2.9346417484728883e-16}, {2206138681109102, 2.9953809336782113e-16},
      {2208359231806599, 3.054303000719244e-16}, {2210361007258210, 3.111563633892157e-16},
      {2212174742388539, 3.1672988018581815e-16}, {2213825672704646, 3.2216280350549905e-16},
      {2215334711002614, 3.274657040793975e-16}, {2216719334487595, 3.326479811684171e-16},
      {2217994262139172, 3.377180341735323e-16}, {2219171977965032, 3.4268340353119356e-16},
      {2220263139538712, 3.475508873172976e-16}, {2221276900117330, 3.523266384600203e-16},
      {2222221164932930, 3.5701624633953494e-16}, {2223102796829069, 3.616248057159834e-16},
      {2223927782546658, 3.661569752965354e-16}, {2224701368170060, 3.7061702777236077e-16},
      {2225428170204312, 3.75008892787478e-16}, {2226112267248242, 3.7933619401549554e-16},
      {2226757276105256, 3.836022812967728e-16}, {2227366415328399, 3.8781025861250247e-16},
      {2227942558554684, 3.919630085325768e-16}, {2228488279492521, 3.9606321366256378e-16},
      {2229005890047222, 4.001133755254669e-16}, {2229497472775193, 4.041158312414333e-16},
      {2229964908627060, 4.080727683096045e-16}, {2230409900758597, 4.119862377480744e-16},
      {2230833995044585, 4.1585816580828064e-16}, {2231238597816133, 4.1969036444740733e-16},
      {2231624991250191, 4.234845407152071e-16}, {2231994346765928, 4.272423051889976e-16},
      {2232347736722750, 4.309651795716294e-16}, {2232686144665934, 4.346546035512876e-16},
      {2233010474325959, 4.383119410085457e-16}, {2233321557544881, 4.4193848564470665e-16},
      {2233620161276071, 4.455354660957914e-16}, {2233906993781271, 4.491040505882875e-16},
      {2234182710130335, 4.52645351185714e-16}, {2234447917093496, 4.561604276690038e-16},
      {2234703177503020, 4.596502910884941e-16}, {2234949014150181, 4.631159070208165e-16},
      {2235185913274316, 4.665581985600875e-16}, {2235414327692884, 4.699780490694195e-16},
      {2235634679614920, 4.733763047158324e-16}, {2235847363174595, 4.767537768090853e-16},
      {2236052746716837, 4.8011124396270155e-16}, {2236251174862869, 4.834494540935008e-16},
      {2236442970379967, 4.867691262742209e-16}, {2236628435876762, 4.900709524522994e-16},
      {2236807855342765, 4.933555990465414e-16}, {2236981495548562, 4.966237084322178e-16},
      {2237149607321147, 4.998759003240909e-16}, {2237312426707209, 5.031127730659319e-16},
      {2237470176035652, 5.0633490483427195e-16}, {2237623064889403, 5.095428547633892e-16},
      {2237771290995388, 5.127371639978797e-16}, {2237915041040597, 5.159183566785736e-16},
      {2238054491421305, 5.190869408670343e-16}, {2238189808931712, 5.222434094134042e-16},
      {2238321151397660, 5.253882407719454e-16}, {2238448668260432, 5.285218997682382e-16},
      {2238572501115169, 5.316448383216618e-16}, {2238692784207942, 5.34757496126473e-16},
      {2238809644895133, 5.378603012945235e-16}, {2238923204068402, 5.409536709623993e-16},
      {2239033576548190, 5.440380118655467e-16}, {2239140871448443, 5.471137208817361e-16},
      {2239245192514958, 5.501811855460336e-16}, {2239346638439541, 5.532407845392784e-16},
      {2239445303151952, 5.56292888151909e-16}, {2239541276091442, 5.593378587248462e-16},
      {2239634642459498, 5.623760510690043e-16}, {2239725483455293, 5.65407812864896e-16},
      {2239813876495186, 5.684334850436814e-16}, {2239899895417494, 5.714534021509204e-16},
      {2239983610673676, 5.744678926941961e-16}, {2240065089506935, 5.774772794756965e-16},
      {2240144396119183, 5.804818799107686e-16}, {2240221591827230, 5.834820063333892e-16},
      {2240296735208969, 5.864779662894365e-16}, {2240369882240293, 5.894700628185872e-16},
      {2240441086423386, 5.924585947256134e-16}, {2240510398907004, 5.95443856841806e-16},
      {2240577868599305, 5.984261402772028e-16}, {2240643542273726, 6.014057326642664e-16},
      {2240707464668391, 6.043829183936125e-16}, {2240769678579486, 6.073579788423606e-16},
      {2240830224948980, 6.103311925956439e-16}, {2240889142947082, 6.133028356617911e-16},
      {2240946470049769, 6.162731816816596e-16}, {2241002242111691, 6.192425021325847e-16},
      {2241056493434746, 6.222110665273788e-16}, {2241109256832602, 6.251791426088e-16},
      {2241160563691400, 6.281469965398895e-16}, {2241210444026879, 6.311148930905604e-16},
      {2241258926538122, 6.34083095820806e-16}, {2241306038658137, 6.370518672608815e-16},
      {2241351806601435, 6.400214690888025e-16}, {2241396255408788, 6.429921623054896e-16},
      {2241439408989313, 6.459642074078832e-16}, {2241481290160038, 6.489378645603397e-16},
      {2241521920683062, 6.519133937646159e-16}, {2241561321300462, 6.548910550287415e-16},
      {2241599511767028, 6.578711085350741e-16}, {2241636510880960, 6.608538148078259e-16},
      {2241672336512612, 6.638394348803506e-16}, {2241707005631362, 6.668282304624746e-16},
      {2241740534330713, 6.698204641081558e-16}, {2241772937851689, 6.728163993837531e-16},
      {2241804230604585, 6.758163010371901e-16}, {2241834426189161, 6.78820435168298e-16},
      {2241863537413311, 6.818290694006254e-16}, {2241891576310281, 6.848424730550038e-16},
      {2241918554154466, 6.878609173251664e-16}, {2241944481475843, 6.908846754557169e-16},
      {2241969368073071, 6.939140229227569e-16}, {2241993223025298, 6.969492376174829e-16},
      {2242016054702685, 6.999906000330764e-16}, {2242037870775710, 7.030383934552151e-16},
      {2242058678223225, 7.060929041565482e-16}, {2242078483339331, 7.091544215954873e-16},
      {2242097291739040, 7.122232386196779e-16}, {2242115108362774, 7.152996516745303e-16},
      {2242131937479672, 7.183839610172063e-16}, {2242147782689725, 7.214764709364707e-16},
      {2242162646924736, 7.245774899788387e-16}, {2242176532448092, 7.276873311814693e-16},
      {2242189440853337, 7.308063123122743e-16}, {2242201373061537, 7.339347561177405e-16},
      {2242212329317416, 7.370729905789831e-16}, {2242222309184237, 7.4022134917658e-16},
      {2242231311537397, 7.433801711647648e-16}, {2242239334556717, 7.465498018555889e-16},
      {2242246375717369, 7.497305929136979e-16}, {2242252431779415, 7.529229026624058e-16},
      {2242257498775893, 7.561270964017922e-16}, {2242261571999416, 7.5934354673958895e-16},
      {2242264645987196, 7.625726339356756e-16}, {2242266714504453, 7.658147462610487e-16},
      {2242267770526109, 7.690702803721919e-16}, {2242267806216711, 7.723396417018299e-16},
      {2242266812908462, 7.756232448671174e-16}, {2242264781077289, 7.789215140963852e-16},
      {2242261700316818, 7.822348836756411e-16}, {2242257559310145, 7.855637984161084e-16},
      {2242252345799276, 7.889087141441755e-16}, {2242246046552082, 7.922700982152271e-16},
      {2242238647326615, 7.956484300529366e-16}, {2242230132832625, 7.99044201715713e-16},
      {2242220486690076, 8.024579184921259e-16}, {2242209691384458, 8.058900995272657e-16},
      {2242197728218684, 8.093412784821501e-16}, {2242184577261310, 8.128120042284501e-16},
      {2242170217290819, 8.163028415809877e-16}, {2242154625735679, 8.198143720706533e-16},
      {2242137778609839, 8.23347194760605e-16}, {2242119650443327, 8.26901927108847e-16},
      {2242100214207556, 8.304792058805374e-16}, {2242079441234906, 8.340796881136629e-16},
      {2242057301132135, 8.377040521420222e-16}, {2242033761687079, 8.413529986798028e-16},
      {2242008788768107, 8.450272519724097e-16}, {2241982346215682, 8.487275610186155e-16},
      {2241954395725356, 8.524547008695596e-16}, {2241924896721443, 8.562094740106233e-16},
      {2241893806220517, 8.599927118327665e-16}, {2241861078683830, 8.638052762005259e-16},
      {2241826665857598, 8.676480611245582e-16}, {2241790516600041, 8.715219945473698e-16},
      {2241752576693881, 8.754280402517175e-16}, {2241712788642916, 8.793671999021043e-16},
      {2241671091451078, 8.833405152308408e-16}, {2241627420382235, 8.873490703813135e-16},
      {2241581706698773, 8.913939944224086e-16}, {2241533877376767, 8.954764640495068e-16},
      {2241483854795281, 8.9959770648911e-16}, {2241431556397035, 9.037590026260118e-16},
      {2241376894317345, 9.079616903740068e-16}, {2241319774977817, 9.122071683134846e-16},
      {2241260098640860, 9.164968996219135e-16}, {2241197758920538, 9.208324163262308e-16},
      {2241132642244704, 9.252153239095693e-16}, {2241064627262652, 9.296473063086417e-16},
      {2240993584191742, 9.341301313425265e-16}, {2240919374095536, 9.38665656618666e-16},
      {2240841848084890, 9.432558359676707e-16}, {2240760846432232, 9.479027264651738e-16},
      {2240676197587784, 9.526084961066279e-16}, {2240587717084782, 9.57375432209745e-16},
      {2240495206318753, 9.622059506294838e-16}, {2240398451183567, 9.671026058823054e-16},
      {2240297220544165, 9.720681022901626e-16}, {2240191264522612, 9.771053062707209e-16},
      {2240080312570155, 9.822172599190541e-16}, {2239964071293331, 9.874071960480671e-16},
      {2239842221996530, 9.926785548807976e-16}, {2239714417896699, 9.980350026183645e-16},
      {2239580280957725, 1.003480452143618e-15}, {2239439398282193, 1.0090190861637457e-15},
      {2239291317986196, 1.0146553831467086e-15}, {2239135544468203, 1.0203941464683124e-15},
      {2238971532964979, 1.0262405372613567e-15}, {2238798683265269, 1.0322001115486456e-15},
      {2238616332424351, 1.03827886235154e-15}, {2238423746288095, 1.044483267600047e-15},
      {2238220109591890, 1.0508203448355195e-15}, {2238004514345216, 1.057297713900989e-15},
      {2237775946143212, 1.06392366906768e-15}, {2237533267957822, 1.0707072623632994e-15},
      {2237275200846753, 1.0776584002668106e-15}, {2237000300869952, 1.0847879564403425e-15},
      {2236706931309099, 1.0921079038149563e-15}, {2236393229029147, 1.0996314701785628e-15},
      {2236057063479501, 1.1073733224935752e-15}, {2235695986373246, 1.1153497865853155e-15},
      {2235307169458859, 1.1235791107110833e-15}, {2234887326941578, 1.1320817840164846e-15},
      {2234432617919447, 1.140880924258278e-15}, {2233938522519765, 1.1500027537839792e-15},
      {2233399683022677, 1.159477189144919e-15}, {2232809697779198, 1.169338578691096e-15},
      {2232160850599817, 1.17962663529558e-15}, {2231443750584641, 1.190387629928289e-15},
      {2230646845562170, 1.2016759392543819e-15}, {2229755753817986, 1.2135560818666897e-15},
      {2228752329126533, 1.2261054417450561e-15}, {2227613325162504, 1.2394179789163251e-15},
      {2226308442121174, 1.2536093926602567e-15}, {2224797391720399, 1.268824481425501e-15},
      {2223025347823832, 1.2852479319096109e-15}, {2220915633329809, 1.3031206634689985e-15},
      {2218357446087030, 1.3227655770195326e-15}, {2215184158448668, 1.3446300925011171e-15},
      {2211132412537369, 1.3693606835128518e-15}, {2205758503851065, 1.397943667277524e-15},
      {2198248265654987, 1.4319989869661328e-15}, {2186916352102141, 1.4744848603597596e-15},
      {2167562552481814, 1.5317872741611144e-15}, {2125549880839716, 1.6227698675312968e-15}}.

ziggurat_fi() ->
    {
      1.0, 0.9771017012676708, 0.959879091800106,
      0.9451989534422991, 0.9320600759592299, 0.9199915050393465,
      0.9087264400521303, 0.898095921898343, 0.8879846607558328,
      0.8783096558089168, 0.8690086880368565, 0.8600336211963311,
      0.8513462584586775, 0.8429156531122037, 0.834716292986883,
      0.8267268339462209, 0.8189291916037019, 0.8113078743126557,
      0.8038494831709638, 0.7965423304229584, 0.789376143566024,
      0.782341832654802, 0.7754313049811866, 0.7686373157984857,
      0.7619533468367948, 0.7553735065070957, 0.7488924472191564,
      0.7425052963401506, 0.7362075981268621, 0.7299952645614757,
      0.7238645334686297, 0.7178119326307215, 0.711834248878248,
      0.7059285013327538, 0.7000919181365112, 0.6943219161261163,
      0.6886160830046714, 0.6829721616449943, 0.6773880362187731,
      0.6718617198970817, 0.6663913439087498, 0.6609751477766628,
      0.6556114705796969, 0.6502987431108164, 0.645035480820822,
      0.6398202774530561, 0.6346517992876233, 0.6295287799248362,
      0.6244500155470261, 0.619414360605834, 0.6144207238889134,
      0.6094680649257731, 0.6045553906974673, 0.5996817526191248,
      0.5948462437679869, 0.5900479963328255, 0.5852861792633709,
      0.5805599961007903, 0.5758686829723532, 0.5712115067352527,
      0.5665877632561639, 0.5619967758145239, 0.5574378936187655,
      0.5529104904258318, 0.5484139632552654, 0.5439477311900258,
      0.5395112342569516, 0.5351039323804572, 0.5307253044036615,
      0.526374847171684, 0.5220520746723214, 0.5177565172297559,
      0.5134877207473265, 0.5092452459957476, 0.5050286679434679,
      0.5008375751261483, 0.4966715690524893, 0.49253026364386815,
      0.4884132847054576, 0.4843202694266829, 0.4802508659090464,
      0.4762047327195055, 0.47218153846772976, 0.4681809614056932,
      0.4642026890481739, 0.4602464178128425, 0.4563118526787161,
      0.45239870686184824, 0.44850670150720273, 0.4446355653957391,
      0.44078503466580377, 0.43695485254798533, 0.4331447691126521,
      0.42935454102944126, 0.4255839313380218, 0.42183270922949573,
      0.41810064983784795, 0.4143875340408909, 0.410693148270188,
      0.40701728432947315, 0.4033597392211143, 0.399720314980197,
      0.39609881851583223, 0.3924950614593154, 0.38890886001878855,
      0.38534003484007706, 0.38178841087339344, 0.37825381724561896,
      0.37473608713789086, 0.3712350576682392, 0.36775056977903225,
      0.3642824681290037, 0.36083060098964775, 0.3573948201457802,
      0.35397498080007656, 0.3505709414814059, 0.3471825639567935,
      0.34380971314685055, 0.34045225704452164, 0.3371100666370059,
      0.33378301583071823, 0.3304709813791634, 0.3271738428136013,
      0.32389148237639104, 0.3206237849569053, 0.3173706380299135,
      0.31413193159633707, 0.31090755812628634, 0.3076974125042919,
      0.3045013919766498, 0.3013193961008029, 0.2981513266966853,
      0.29499708779996164, 0.291856585617095, 0.2887297284821827,
      0.2856164268155016, 0.2825165930837074, 0.2794301417616377,
      0.2763569892956681, 0.2732970540685769, 0.2702502563658752,
      0.26721651834356114, 0.2641957639972608, 0.2611879191327208,
      0.2581929113376189, 0.2552106699546617, 0.2522411260559419,
      0.24928421241852824, 0.24633986350126363, 0.24340801542275012,
      0.2404886059405004, 0.23758157443123795, 0.2346868618723299,
      0.23180441082433859, 0.22893416541468023, 0.2260760713223802,
      0.22323007576391746, 0.22039612748015194, 0.21757417672433113,
      0.21476417525117358, 0.21196607630703015, 0.209179834621125,
      0.20640540639788071, 0.20364274931033485, 0.20089182249465656,
      0.1981525865457751, 0.19542500351413428, 0.19270903690358912,
      0.19000465167046496, 0.18731181422380025, 0.18463049242679927,
      0.18196065559952254, 0.17930227452284767, 0.176655321443735,
      0.17401977008183875, 0.17139559563750595, 0.1687827748012115,
      0.16618128576448205, 0.1635911082323657, 0.16101222343751107,
      0.1584446141559243, 0.1558882647244792, 0.15334316106026283,
      0.15080929068184568, 0.14828664273257453, 0.14577520800599403,
      0.1432749789735134, 0.1407859498144447, 0.1383081164485507,
      0.13584147657125373, 0.13338602969166913, 0.1309417771736443,
      0.12850872227999952, 0.12608687022018586, 0.12367622820159654,
      0.12127680548479021, 0.11888861344290998, 0.1165116656256108,
      0.11414597782783835, 0.111791568163838, 0.10944845714681163,
      0.10711666777468364, 0.1047962256224869, 0.10248715894193508,
      0.10018949876880981, 0.09790327903886228, 0.09562853671300882,
      0.09336531191269086, 0.09111364806637363, 0.08887359206827579,
      0.08664519445055796, 0.08442850957035337, 0.08222359581320286,
      0.08003051581466306, 0.07784933670209604, 0.07568013035892707,
      0.07352297371398127, 0.07137794905889037, 0.06924514439700677,
      0.0671246538277885, 0.06501657797124284, 0.06292102443775811,
      0.060838108349539864, 0.05876795292093376, 0.0567106901062029,
      0.054666461324888914, 0.052635418276792176, 0.05061772386094776,
      0.04861355321586852, 0.04662309490193037, 0.04464655225129444,
      0.04268414491647443, 0.04073611065594093, 0.03880270740452611,
      0.036884215688567284, 0.034980941461716084, 0.03309321945857852,
      0.031221417191920245, 0.029365939758133314, 0.027527235669603082,
      0.025705804008548896, 0.023902203305795882, 0.022117062707308864,
      0.020351096230044517, 0.018605121275724643, 0.016880083152543166,
      0.015177088307935325, 0.01349745060173988, 0.011842757857907888,
      0.010214971439701471, 0.008616582769398732, 0.007050875471373227,
      0.005522403299250997, 0.0040379725933630305, 0.0026090727461021627,
      0.0012602859304985975}.
%% END GENERATED
