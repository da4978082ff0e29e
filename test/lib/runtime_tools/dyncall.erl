%% A call whose module is a variable (as a behaviour calls its callback module).
-module(dyncall).
-export([twice/2]).

twice(M, X) -> {M:area(X), M:area(X)}.
