%% random: the old Wichmann-Hill (AS 183) generator, deprecated in OTP for rand but still shipped,
%% so code written for it (seed/uniform) runs. Its state is three integers, one per prime modulus;
%% the functions without _s keep it in the process dictionary under random_seed.

-module(random).

-deprecated({'_', '_', "use the 'rand' module instead"}).

-export([seed/0, seed/1, seed/3, seed0/0, uniform/0, uniform/1, uniform_s/1, uniform_s/2]).

-define(P1, 30269).
-define(P2, 30307).
-define(P3, 30323).

%% The state a process starts from when it never seeded.
seed0() ->
    {3172, 9814, 20125}.

%% Seed with seed0(); answers the state it replaces (seed0() when there was none).
seed() ->
    case put(random_seed, seed0()) of
        undefined -> seed0();
        Old -> Old
    end.

%% Seed from a triple, or from one integer split into three.
seed({A1, A2, A3}) ->
    seed(A1, A2, A3);
seed(Int) when is_integer(Int) ->
    Low24 = Int band 16#ffffff,
    seed((Int bsr 16) band 16#fffffff, Low24, (Int bsr 36) bor (Low24 bsr 16)).

%% Each component is brought into 1..P-1, so none is 0 or a divisor of its prime; answers the old
%% state (undefined when there was none).
seed(A1, A2, A3) ->
    put(random_seed, {into_range(A1, ?P1), into_range(A2, ?P2), into_range(A3, ?P3)}).

into_range(A, P) ->
    abs(A) rem (P - 1) + 1.

uniform() ->
    State = case get(random_seed) of
                undefined -> seed0();
                Seeded -> Seeded
            end,
    {F, Next} = uniform_s(State),
    put(random_seed, Next),
    F.

%% An integer in 1..N.
uniform(N) when is_integer(N), N >= 1 ->
    scale(uniform(), N).

%% A float in [0.0, 1.0): the fractional part of the sum of the three generators' fractions.
uniform_s({A1, A2, A3}) ->
    B1 = A1 * 171 rem ?P1,
    B2 = A2 * 172 rem ?P2,
    B3 = A3 * 170 rem ?P3,
    Sum = B1 / ?P1 + B2 / ?P2 + B3 / ?P3,
    {Sum - trunc(Sum), {B1, B2, B3}}.

uniform_s(N, State) when is_integer(N), N >= 1 ->
    {F, Next} = uniform_s(State),
    {scale(F, N), Next}.

scale(F, N) ->
    trunc(F * N) + 1.
