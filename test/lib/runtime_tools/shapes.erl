-module(shapes).
-export([area/1, total/1, scaled/2, server/0]).

area({square, S}) -> S * S;
area({rect, W, H}) -> W * H.

total(Shapes) -> lists:sum([area(S) || S <- Shapes]).

server() ->
    receive
        {From, Shape} -> From ! {self(), area(Shape)}, server();
        stop -> ok
    end.

scaled(K, Shapes) -> K * lists:sum([area(S) || S <- Shapes]).
