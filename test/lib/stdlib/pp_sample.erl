-module(pp_sample).
-export([classify/1, area/1, loop/1, bits/1, pick/2, squares/1]).
-export_type([shape/0]).
-compile([nowarn_unused_function]).
-vsn("1.0").
-author('Joe').

-record(point, {x = 0 :: integer(), y = 0 :: integer(), label}).
-record(empty, {}).

-type shape() :: {circle, number()} | {rect, number(), number()} | #point{}.
-type tree(T) :: nil | {node, T, tree(T), tree(T)}.
-opaque id() :: non_neg_integer().
-spec classify(term()) -> atom().
-spec area(shape()) -> float();
          (atom()) -> error.
-spec pick(K, #{K => V}) -> V | undefined when K :: atom(), V :: term().
-callback init(Args :: list()) -> {ok, State :: any()} | {error, Reason :: term()}.

%% guards and a case
classify(X) when is_integer(X), X > 0; is_float(X) ->
    positive;
classify(X) when is_atom(X) ->
    case atom_to_list(X) of
        [$a | _] -> starts_with_a;
        _ -> other
    end;
classify(_) ->
    unknown.

area({circle, R}) -> math:pi() * R * R;
area({rect, W, H}) -> W * H;
area(#point{}) -> 0.0;
area(_) -> error.

loop(State) ->
    receive
        {get, From} ->
            From ! {state, State},
            loop(State);
        {set, New} when is_list(New) ->
            loop(New);
        stop ->
            ok
    after 5000 ->
        timeout
    end.

bits(<<A:8, B:16/little-unsigned, Rest/binary>>) ->
    {A, B, << <<(C + 1)>> || <<C>> <= Rest >>};
bits(Other) ->
    Other.

pick(K, M) ->
    case M of
        #{K := V} -> V;
        _ -> M#{K => undefined}
    end.

squares(L) ->
    F = fun(X) -> X * X end,
    P = #point{x = 1, y = 2},
    Y = P#point.y,
    [F(X) + Y || X <- L, X rem 2 =:= 0].

id(X) -> try X of Y -> Y catch throw:T -> T; error:E:S -> {E, S} after ok end.
