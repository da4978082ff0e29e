-module(oldapi).
-export([stamp/0, roll/0]).

%% written as an older textbook would: each call is one OTP 25 deprecates
stamp() -> now().
roll() -> random:uniform(6).
