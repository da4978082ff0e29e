-module(fun_names).
-export([all/0]).

%% Funs in many positions, so their OTP names ('-f/0-fun-N-') show the compiler's numbering.
all() ->
    [{F, element(2, erlang:fun_info(F, name))} || F <- lists:flatten([args(), ops(), comp(), cases(), tries(), nested(), refs()])].

args() -> lists:map(fun(X) -> X end, [fun() -> a end, fun() -> b end]) ++ [fun() -> c end].
ops() -> A = fun() -> 1 end, B = fun() -> 2 end, [A, B, fun() -> 3 end] ++ [fun() -> 4 end].
comp() -> [fun() -> X end || X <- [fun() -> 1 end], is_function(X)] ++ [fun() -> 2 end].
cases() ->
    case fun() -> 0 end of
        F when is_function(F) -> [F, fun() -> 1 end];
        _ -> [fun() -> 2 end]
    end.
tries() ->
    try [fun() -> 1 end] of
        L -> [fun() -> 2 end | L]
    catch _:_ -> [fun() -> 3 end]
    after ok
    end.
nested() -> [fun() -> fun() -> 1 end end, (fun() -> fun() -> 2 end end)(), element(1, {fun() -> 3 end, fun() -> 4 end}), maps:get(k, #{k => fun() -> 5 end})].
refs() -> _ = fun refs/0, [fun() -> 1 end, fun G() -> G end, receive after 0 -> fun() -> 2 end end].
