-module(calc).
-export([square/1]).

square(X) -> X * X.
