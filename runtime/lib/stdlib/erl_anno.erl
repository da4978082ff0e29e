%% erl_anno: the annotations of the abstract format, as OTP 25's stdlib
%% module.
%%
%% An annotation is kept as small as it can be: a bare line (0 or more),
%% {Line, Column} when the column is known, and only when there is more
%% to say a keyword list holding {location, Loc} and any of {text, T},
%% {file, F}, {generated, true} and {record, true}. Setting an item to its
%% default (generated or record false) takes it out again, and a list left
%% with just its location shrinks back to the location, so annotations
%% made here compare equal to erl's and to what erl_scan and erl_parse put
%% in their tokens and trees.
%%
%% Errors are erl's: badarg with the function's arguments, raised from
%% set/3 for a bad value or annotation and from anno_info/3 (shown with
%% the annotation alone) when a lookup meets something that is not a
%% keyword list. The -file lines put the calls that can fail on
%% erl_anno.erl's lines, so the shell shows the same stack as erl.

-module(erl_anno).

-export([new/1, is_anno/1]).
-export([column/1, end_location/1, file/1, generated/1, line/1, location/1, record/1, text/1]).
-export([set_file/2, set_generated/2, set_line/2, set_location/2, set_record/2, set_text/2]).
-export([to_term/1, from_term/1]).

-export_type([anno/0, line/0, column/0, location/0, text/0, anno_term/0]).

-type annotation() :: {file, file:filename_all()} | {generated, boolean()}
                    | {location, location()} | {record, boolean()} | {text, string()}.
-opaque anno() :: location() | [annotation(), ...].
-type anno_term() :: term().
-type column() :: pos_integer().
-type line() :: non_neg_integer().
-type location() :: line() | {line(), column()}.
-type text() :: string().

-define(IS_LINE(L), (is_integer(L) andalso L >= 0)).
-define(IS_COLUMN(C), (is_integer(C) andalso C >= 1)).

%% The term form of an annotation is the annotation itself; a negative
%% line is how annotations said "generated" before OTP 19.
to_term(Anno) -> Anno.

from_term(Line) when is_integer(Line), Line < 0 -> set_generated(true, new(-Line));
from_term(Term) -> Term.

-file("erl_anno.erl", 110).
new(Line) when ?IS_LINE(Line) ->
    Line;
new({Line, Column} = Location) when ?IS_LINE(Line), ?IS_COLUMN(Column) ->
    Location;
new(Term) ->
    erlang:error(badarg, [Term]).

is_anno(Line) when ?IS_LINE(Line) -> true;
is_anno({Line, Column}) when ?IS_LINE(Line), ?IS_COLUMN(Column) -> true;
is_anno(Items) when is_list(Items), Items =/= [] ->
    all_items(Items) andalso lists:keymember(location, 1, Items);
is_anno(_) -> false.

all_items([]) -> true;
all_items([{Item, Value} | Rest]) -> valid_item(Item, Value) andalso all_items(Rest);
all_items(_) -> false.

valid_item(location, Location) -> is_location(Location);
valid_item(generated, Flag) -> Flag =:= true;
valid_item(record, Flag) -> Flag =:= true;
valid_item(file, File) -> is_list(File) orelse is_binary(File);
valid_item(text, Text) -> is_list(Text);
valid_item(_, _) -> false.

is_location(Line) when ?IS_LINE(Line) -> true;
is_location({Line, Column}) when ?IS_LINE(Line), ?IS_COLUMN(Column) -> true;
is_location(_) -> false.

-file("erl_anno.erl", 168).
column({Line, Column}) when ?IS_LINE(Line), ?IS_COLUMN(Column) -> Column;
column(Line) when ?IS_LINE(Line) -> undefined;
column(Anno) ->
    case location(Anno) of
        {_, Column} -> Column;
        _ -> undefined
    end.

%% Where the token's text ends: its location moved past each character
%% (a newline starts the next line at column 1). Only known with the text.
-file("erl_anno.erl", 181).
end_location(Anno) ->
    case text(Anno) of
        undefined -> undefined;
        Text ->
            case location(Anno) of
                {Line, Column} -> past(Text, Line, Column);
                Line -> past(Text, Line)
            end
    end.

past([], Line, Column) -> {Line, Column};
past([$\n | Rest], Line, _) -> past(Rest, Line + 1, 1);
past([_ | Rest], Line, Column) -> past(Rest, Line, Column + 1).

past([], Line) -> Line;
past([$\n | Rest], Line) -> past(Rest, Line + 1);
past([_ | Rest], Line) -> past(Rest, Line).

%% The items a bare location does not have: undefined, or false for flags.
file(Anno) -> item(Anno, file, undefined).

generated(Anno) -> item(Anno, generated, false).

record(Anno) -> item(Anno, record, false).

text(Anno) -> item(Anno, text, undefined).

item(Anno, Item, Default) ->
    case is_location(Anno) of
        true -> Default;
        false when Default =:= undefined -> anno_info(Anno, Item);
        false -> anno_info(Anno, Item, Default)
    end.

-file("erl_anno.erl", 217).
line(Anno) ->
    case location(Anno) of
        {Line, _} -> Line;
        Line -> Line
    end.

location(Anno) ->
    case is_location(Anno) of
        true -> Anno;
        false -> anno_info(Anno, location)
    end.

set_file(File, Anno) -> set(file, File, Anno).

set_generated(Generated, Anno) -> set(generated, Generated, Anno).

-file("erl_anno.erl", 273).
set_line(Line, Anno) ->
    case location(Anno) of
        {_, Column} -> set_location({Line, Column}, Anno);
        _ -> set_location(Line, Anno)
    end.

%% A bare location stays bare; a keyword list gets its location replaced.
set_location(Location, Anno) ->
    case is_location(Anno) andalso is_location(Location) of
        true -> Location;
        false -> set(location, Location, Anno)
    end.

set_record(Record, Anno) -> set(record, Record, Anno).

set_text(Text, Anno) -> set(text, Text, Anno).

-file("erl_anno.erl", 314).
set(Item, Value, Anno) ->
    Items = case is_location(Anno) of
                true -> [{location, Anno}];
                false -> Anno
            end,
    case settable(Item, Value) andalso is_list(Items) andalso Items =/= [] of
        true -> set_anno(Item, Value, Items);
        false -> erlang:error(badarg, [Item, Value, Anno])
    end.

-file("erl_anno.erl", 324).
set_anno(Item, Value, Items) ->
    case is_default(Item, Value) of
        true ->
            shrink(lists:keydelete(Item, 1, Items));
        false ->
            Set = case anno_info(Items, Item) of
                      undefined -> [{Item, Value} | Items];
                      _ -> lists:keyreplace(Item, 1, Items, {Item, Value})
                  end,
            shrink(Set)
    end.

shrink([{location, Location}]) -> Location;
shrink(Items) -> Items.

settable(location, Location) -> is_location(Location);
settable(file, File) -> is_list(File) orelse is_binary(File);
settable(text, Text) -> is_list(Text);
settable(generated, Flag) -> is_boolean(Flag);
settable(record, Flag) -> is_boolean(Flag);
settable(_, _) -> false.

is_default(generated, false) -> true;
is_default(record, false) -> true;
is_default(_, _) -> false.

%% The lookups: an annotation that is no keyword list is a bad argument.
%% (Two of them, as in erl, where a stack shows which one failed.)
-file("erl_anno.erl", 358).
anno_info(Anno, Item, Default) ->
    try lists:keyfind(Item, 1, Anno) of
        {Item, Value} -> Value;
        false -> Default
    catch
        _:_ -> erlang:error(badarg, [Anno])
    end.

-file("erl_anno.erl", 369).
anno_info(Anno, Item) ->
    try lists:keyfind(Item, 1, Anno) of
        {Item, Value} -> Value;
        false -> undefined
    catch
        _:_ -> erlang:error(badarg, [Anno])
    end.
