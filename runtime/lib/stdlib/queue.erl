%% queue: FIFO queues, as OTP 25's stdlib module.
%%
%% A queue is a pair of lists {Rear, Front}: items go in at the head of
%% Rear and come out at the head of Front, so both ends cost O(1) but for
%% the occasional reversal. When one list runs dry and the other holds
%% several items, half of them move across (rear_to_front/front_to_rear),
%% which keeps any sequence of operations amortised O(1). The shapes are
%% OTP's exactly: queue:new() prints {[],[]} and queue:from_list([1,2,3])
%% {[3],[1,2]}, and a queue built here is a queue on a real erl node.
%%
%% Three APIs over the same queues: the original (in/out/...), the
%% extended one (get/peek/drop/...) and Okasaki's (cons/head/tail/snoc/
%% daeh/liat/...). A term that is not a queue fails with badarg carrying
%% the arguments; taking from an empty queue with get/head/drop fails with
%% empty.

-module(queue).

-export([new/0, is_queue/1, is_empty/1, len/1, to_list/1, from_list/1, member/2]).
-export([in/2, in_r/2, out/1, out_r/1]).
-export([get/1, get_r/1, peek/1, peek_r/1, drop/1, drop_r/1]).
-export([reverse/1, join/2, split/2, filter/2, filtermap/2, fold/3, any/2, all/2,
         delete/2, delete_r/2, delete_with/2, delete_with_r/2]).
-export([cons/2, head/1, tail/1, snoc/2, last/1, daeh/1, init/1, liat/1, lait/1]).

-export_type([queue/0, queue/1]).

-deprecated([{lait, 1, "use queue:liat/1 instead"}]).

-opaque queue(Item) :: {list(Item), list(Item)}.
-type queue() :: queue(_).

-define(IS_QUEUE(R, F), is_list(R), is_list(F)).

%%% The original API

new() -> {[], []}.

is_queue({R, F}) when ?IS_QUEUE(R, F) -> true;
is_queue(_) -> false.

is_empty({[], []}) -> true;
is_empty({R, F}) when ?IS_QUEUE(R, F) -> false;
is_empty(Q) -> erlang:error(badarg, [Q]).

len({R, F}) when ?IS_QUEUE(R, F) -> length(R) + length(F);
len(Q) -> erlang:error(badarg, [Q]).

to_list({R, F}) when ?IS_QUEUE(R, F) -> F ++ lists:reverse(R);
to_list(Q) -> erlang:error(badarg, [Q]).

from_list(L) when is_list(L) -> front_to_rear(L);
from_list(L) -> erlang:error(badarg, [L]).

member(X, {R, F}) when ?IS_QUEUE(R, F) -> lists:member(X, F) orelse lists:member(X, R);
member(X, Q) -> erlang:error(badarg, [X, Q]).

%% A queue of one item keeps it in the front list, whichever end it came in at.
in(X, {[_] = R, []}) -> {[X], R};
in(X, {R, F}) when ?IS_QUEUE(R, F) -> {[X | R], F};
in(X, Q) -> erlang:error(badarg, [X, Q]).

in_r(X, {[], [_] = F}) -> {F, [X]};
in_r(X, {R, F}) when ?IS_QUEUE(R, F) -> {R, [X | F]};
in_r(X, Q) -> erlang:error(badarg, [X, Q]).

%% out/1 is get/1 and drop/1 in one step (drop_r/1 and out_r/1 mirror them).
out({[], []} = Q) -> {empty, Q};
out({[X], []}) -> {{value, X}, {[], []}};
out({[Y | R], []}) ->
    [X | F] = lists:reverse(R),
    {{value, X}, {[Y], F}};
out({R, [X]}) when is_list(R) -> {{value, X}, rear_to_front(R)};
out({R, [X | F]}) when is_list(R) -> {{value, X}, {R, F}};
out(Q) -> erlang:error(badarg, [Q]).

out_r({[], []} = Q) -> {empty, Q};
out_r({[], [X]}) -> {{value, X}, {[], []}};
out_r({[], [Y | F]}) ->
    [X | R] = lists:reverse(F),
    {{value, X}, {R, [Y]}};
out_r({[X], F}) when is_list(F) -> {{value, X}, front_to_rear(F)};
out_r({[X | R], F}) when is_list(F) -> {{value, X}, {R, F}};
out_r(Q) -> erlang:error(badarg, [Q]).

%%% The extended API

get({[], []} = Q) -> erlang:error(empty, [Q]);
get({R, F}) when ?IS_QUEUE(R, F) -> first(R, F);
get(Q) -> erlang:error(badarg, [Q]).

get_r({[], []} = Q) -> erlang:error(empty, [Q]);
get_r({R, F}) when ?IS_QUEUE(R, F) -> first(F, R);
get_r(Q) -> erlang:error(badarg, [Q]).

peek({[], []}) -> empty;
peek({R, F}) when ?IS_QUEUE(R, F) -> {value, first(R, F)};
peek(Q) -> erlang:error(badarg, [Q]).

peek_r({[], []}) -> empty;
peek_r({R, F}) when ?IS_QUEUE(R, F) -> {value, first(F, R)};
peek_r(Q) -> erlang:error(badarg, [Q]).

%% first(Far, Near): the item at the head of Near, or, when Near is empty,
%% the one at the end of Far (a queue built elsewhere may hold several
%% items in one list only).
first(_Far, [X | _]) -> X;
first([X], []) -> X;
first([_ | Rest], []) -> lists:last(Rest).

drop({[], []} = Q) -> erlang:error(empty, [Q]);
drop({[_], []}) -> {[], []};
drop({[Y | R], []}) ->
    [_ | F] = lists:reverse(R),
    {[Y], F};
drop({R, [_]}) when is_list(R) -> rear_to_front(R);
drop({R, [_ | F]}) when is_list(R) -> {R, F};
drop(Q) -> erlang:error(badarg, [Q]).

drop_r({[], []} = Q) -> erlang:error(empty, [Q]);
drop_r({[], [_]}) -> {[], []};
drop_r({[], [Y | F]}) ->
    [_ | R] = lists:reverse(F),
    {R, [Y]};
drop_r({[_], F}) when is_list(F) -> front_to_rear(F);
drop_r({[_ | R], F}) when is_list(F) -> {R, F};
drop_r(Q) -> erlang:error(badarg, [Q]).

reverse({R, F}) when ?IS_QUEUE(R, F) -> {F, R};
reverse(Q) -> erlang:error(badarg, [Q]).

join({R, F} = Q, {[], []}) when ?IS_QUEUE(R, F) -> Q;
join({[], []}, {R, F} = Q) when ?IS_QUEUE(R, F) -> Q;
join({R1, F1}, {R2, F2}) when ?IS_QUEUE(R1, F1), ?IS_QUEUE(R2, F2) ->
    {R2, F1 ++ lists:reverse(R1, F2)};
join(Q1, Q2) -> erlang:error(badarg, [Q1, Q2]).

%% The first N items and the rest. Items move one by one from the list
%% that holds the split point, so the cost is O(min(N, len - N)).
split(0, {R, F} = Q) when ?IS_QUEUE(R, F) -> {{[], []}, Q};
split(N, {R, F} = Q) when is_integer(N), N >= 1, ?IS_QUEUE(R, F) ->
    InFront = length(F),
    if
        N < InFront ->
            [X | F1] = F,
            take_front(N - 1, F1, [], [X], R);
        N =:= InFront ->
            {front_to_rear(F), rear_to_front(R)};
        true ->
            case length(R) - (N - InFront) of
                Left when Left < 0 -> erlang:error(badarg, [N, Q]);
                0 -> {Q, {[], []}};
                Left ->
                    [X | R1] = R,
                    take_rear(Left - 1, R1, F, [X], [])
            end
    end;
split(N, Q) -> erlang:error(badarg, [N, Q]).

%% Move N more front items into the first queue's rear.
take_front(0, F, R1, F1, R) -> {{R1, F1}, {R, F}};
take_front(N, [X | F], R1, F1, R) -> take_front(N - 1, F, [X | R1], F1, R).

%% Move N more rear items into the second queue's front.
take_rear(0, R, F, R2, F2) -> {{R, F}, {R2, F2}};
take_rear(N, [X | R], F, R2, F2) -> take_rear(N - 1, R, F, R2, [X | F2]).

%% Fun(Item) answers true (keep), false (drop) or a list of items to put
%% in its place.
-file("queue.erl", 356).
filter(Fun, {R0, F0}) when is_function(Fun, 1), ?IS_QUEUE(R0, F0) ->
    F = filter_f(Fun, F0),
    R = filter_r(Fun, R0),
    rebuild(R, F);
filter(Fun, Q) ->
    erlang:error(badarg, [Fun, Q]).

-file("queue.erl", 370).
filter_f(_, []) ->
    [];
filter_f(Fun, [X | F]) ->
    case Fun(X) of
        true -> [X | filter_f(Fun, F)];
        false -> filter_f(Fun, F);
        L when is_list(L) -> L ++ filter_f(Fun, F)
    end.

%% The rear list is in reverse order: the fun still sees the items oldest
%% first, and a replacement list goes in reversed.
-file("queue.erl", 388).
filter_r(_, []) ->
    [];
filter_r(Fun, [X | R0]) ->
    R = filter_r(Fun, R0),
    case Fun(X) of
        true -> [X | R];
        false -> R;
        L when is_list(L) -> lists:reverse(L, R)
    end.

-file("queue.erl", 414).
filtermap(Fun, {R0, F0}) when is_function(Fun, 1), ?IS_QUEUE(R0, F0) ->
    F = lists:filtermap(Fun, F0),
    R = filtermap_r(Fun, R0),
    rebuild(R, F);
filtermap(Fun, Q) ->
    erlang:error(badarg, [Fun, Q]).

-file("queue.erl", 428).
filtermap_r(_, []) ->
    [];
filtermap_r(Fun, [X | R0]) ->
    R = filtermap_r(Fun, R0),
    case Fun(X) of
        true -> [X | R];
        {true, Y} -> [Y | R];
        false -> R
    end.

%% A queue from what is left of both lists, spreading one over both ends
%% when the other came out empty.
rebuild([], F) -> front_to_rear(F);
rebuild(R, []) -> rear_to_front(R);
rebuild(R, F) -> {R, F}.

-file("queue.erl", 450).
fold(Fun, Acc0, {R, F}) when is_function(Fun, 2), ?IS_QUEUE(R, F) ->
    Acc = lists:foldl(Fun, Acc0, F),
    lists:foldr(Fun, Acc, R);
fold(Fun, Acc0, Q) ->
    erlang:error(badarg, [Fun, Acc0, Q]).

-file("queue.erl", 461).
any(Pred, {R, F}) when is_function(Pred, 1), ?IS_QUEUE(R, F) ->
    lists:any(Pred, F) orelse
        lists:any(Pred, R);
any(Pred, Q) ->
    erlang:error(badarg, [Pred, Q]).

-file("queue.erl", 472).
all(Pred, {R, F}) when is_function(Pred, 1), ?IS_QUEUE(R, F) ->
    lists:all(Pred, F) andalso
        lists:all(Pred, R);
all(Pred, Q) ->
    erlang:error(badarg, [Pred, Q]).

%% Removes the item nearest the front that compares =:= to Item.
delete(Item, {R, F} = Q) when ?IS_QUEUE(R, F) ->
    delete_with(fun(X) -> X =:= Item end, Q);
delete(Item, Q) ->
    erlang:error(badarg, [Item, Q]).

%% Removes the item nearest the rear: delete on the reversed queue.
delete_r(Item, {R, F}) when ?IS_QUEUE(R, F) ->
    {F1, R1} = delete(Item, {F, R}),
    {R1, F1};
delete_r(Item, Q) ->
    erlang:error(badarg, [Item, Q]).

%% The first item (front first, then the rear oldest first) Pred accepts
%% goes; the queue is unchanged when there is none.
-file("queue.erl", 552).
delete_with(Pred, {R, F} = Q) when is_function(Pred, 1), ?IS_QUEUE(R, F) ->
    case delete_with_front(Pred, F) of
        false ->
            case delete_with_rear(Pred, R) of
                false -> Q;
                [] -> front_to_rear(F);
                R1 -> {R1, F}
            end;
        [] -> rear_to_front(R);
        F1 -> {R, F1}
    end;
delete_with(Pred, Q) ->
    erlang:error(badarg, [Pred, Q]).

-file("queue.erl", 580).
delete_with_r(Pred, {R, F}) when is_function(Pred, 1), ?IS_QUEUE(R, F) ->
    {F1, R1} = delete_with(Pred, {F, R}),
    {R1, F1};
delete_with_r(Pred, Q) ->
    erlang:error(badarg, [Pred, Q]).

%% The list without its first item Pred accepts, or false.
-file("queue.erl", 586).
delete_with_front(Pred, [X | F]) ->
    case Pred(X) of
        true -> F;
        false ->
            case delete_with_front(Pred, F) of
                false -> false;
                F1 -> [X | F1]
            end
    end;
delete_with_front(_, []) ->
    false.

%% The rear list holds the oldest item last: look there first.
-file("queue.erl", 601).
delete_with_rear(Pred, [X | R]) ->
    case delete_with_rear(Pred, R) of
        false ->
            case Pred(X) of
                true -> R;
                false -> false
            end;
        R1 -> [X | R1]
    end;
delete_with_rear(_, []) ->
    false.

%%% Okasaki's API: the same operations under the names of his book

cons(X, Q) -> in_r(X, Q).

head({[], []} = Q) -> erlang:error(empty, [Q]);
head({R, F}) when ?IS_QUEUE(R, F) -> first(R, F);
head(Q) -> erlang:error(badarg, [Q]).

tail(Q) -> drop(Q).

snoc(Q, X) -> in(X, Q).

daeh(Q) -> get_r(Q).
last(Q) -> get_r(Q).

liat(Q) -> drop_r(Q).
%% lait/1 is liat/1 misspelt, kept (deprecated) for old code.
lait(Q) -> drop_r(Q).
init(Q) -> drop_r(Q).

%%% Rebalancing

%% A queue whose items are all in the rear list R (newest first): the older
%% half moves to the front.
rear_to_front([]) -> {[], []};
rear_to_front([_] = R) -> {[], R};
rear_to_front([Y, X]) -> {[Y], [X]};
rear_to_front(R) ->
    {Newer, Older} = lists:split(length(R) div 2, R),
    {Newer, lists:reverse(Older)}.

%% A queue whose items are all in the front list F (oldest first): the
%% newer half moves to the rear.
front_to_rear([]) -> {[], []};
front_to_rear([_] = F) -> {F, []};
front_to_rear([X, Y]) -> {[Y], [X]};
front_to_rear(F) ->
    {Older, Newer} = lists:split(length(F) div 2, F),
    {lists:reverse(Newer), Older}.
