%% proplists: property lists, as OTP 25's stdlib module.
%%
%% A property list is a list of properties: {Key, Value} tuples (any
%% tuple whose first element is the key) and atoms, an atom A standing
%% for {A, true}. Keys compare exactly (=:=). Lookups take the first
%% entry for a key: later ones are shadowed, as options given first win.
%% Entries that are neither atoms nor tuples are skipped.
%%
%% normalize/2 runs the stages OTP defines (aliases, negations,
%% expansions) and compacts the result; to_map/1 builds a map in which,
%% like a lookup, the first entry for a key counts.
%%
%% A list that is not a list fails with function_clause in the function
%% OTP fails in. The -file lines put the functions on proplists.erl's
%% lines, so the shell reports them as erl does.

-module(proplists).

-export([property/1, property/2, unfold/1, compact/1, lookup/2,
         lookup_all/2, is_defined/2, get_value/2, get_value/3,
         get_all_values/2, append_values/2, get_bool/2, get_keys/1,
         delete/2, substitute_aliases/2, substitute_negations/2,
         expand/2, normalize/2, split/2, from_map/1, to_map/1,
         to_map/2]).

-export_type([property/0, proplist/0]).

-type property() :: atom() | tuple().
-type proplist() :: [property()].

%% Is P an entry for Key: Key itself (an atom), or a tuple led by Key?
-define(IS_ATOM_KEY(P, Key), is_atom(P), P =:= Key).
-define(IS_TUPLE_KEY(P, Key), tuple_size(P) >= 1, element(1, P) =:= Key).

%% The shortest form: {Key, true} as just Key, when Key is an atom.
-file("proplists.erl", 60).
property({Key, true}) when is_atom(Key) ->
    Key;
property(Property) ->
    Property.

-file("proplists.erl", 78).
property(Key, true) when is_atom(Key) ->
    Key;
property(Key, Value) ->
    {Key, Value}.

%% Every atom A as {A, true}.
-file("proplists.erl", 95).
unfold([P | Ps]) ->
    if is_atom(P) ->
            [{P, true} | unfold(Ps)];
       true ->
            [P | unfold(Ps)]
    end;
unfold([]) ->
    [].

-file("proplists.erl", 114).
compact(ListIn) ->
    [property(P) || P <- ListIn].

%% The first entry for Key ({Key, true} for an atom), or none.
-file("proplists.erl", 133).
lookup(Key, [P | Ps]) ->
    if ?IS_ATOM_KEY(P, Key) ->
            {Key, true};
       ?IS_TUPLE_KEY(P, Key) ->
            P;
       true ->
            lookup(Key, Ps)
    end;
lookup(_Key, []) ->
    none.

-file("proplists.erl", 155).
lookup_all(Key, [P | Ps]) ->
    if ?IS_ATOM_KEY(P, Key) ->
            [{Key, true} | lookup_all(Key, Ps)];
       ?IS_TUPLE_KEY(P, Key) ->
            [P | lookup_all(Key, Ps)];
       true ->
            lookup_all(Key, Ps)
    end;
lookup_all(_Key, []) ->
    [].

-file("proplists.erl", 177).
is_defined(Key, [P | Ps]) ->
    if ?IS_ATOM_KEY(P, Key) ->
            true;
       ?IS_TUPLE_KEY(P, Key) ->
            true;
       true ->
            is_defined(Key, Ps)
    end;
is_defined(_Key, []) ->
    false.

-file("proplists.erl", 197).
get_value(Key, List) ->
    get_value(Key, List, undefined).

%% The value of the first entry for Key; a tuple of another size than
%% two ends the search with Default.
-file("proplists.erl", 215).
get_value(Key, [P | Ps], Default) ->
    if ?IS_ATOM_KEY(P, Key) ->
            true;
       ?IS_TUPLE_KEY(P, Key) ->
            case P of
                {_, Value} -> Value;
                _ -> Default
            end;
       true ->
            get_value(Key, Ps, Default)
    end;
get_value(_Key, [], Default) ->
    Default.

%% The values of all entries {Key, Value} (true for the atom Key).
-file("proplists.erl", 243).
get_all_values(Key, [P | Ps]) ->
    if ?IS_ATOM_KEY(P, Key) ->
            [true | get_all_values(Key, Ps)];
       ?IS_TUPLE_KEY(P, Key) ->
            case P of
                {_, Value} -> [Value | get_all_values(Key, Ps)];
                _ -> get_all_values(Key, Ps)
            end;
       true ->
            get_all_values(Key, Ps)
    end;
get_all_values(_Key, []) ->
    [].

%% Like get_all_values/2, with list values joined into one list.
-file("proplists.erl", 273).
append_values(Key, [P | Ps]) ->
    if ?IS_ATOM_KEY(P, Key) ->
            [true | append_values(Key, Ps)];
       ?IS_TUPLE_KEY(P, Key) ->
            case P of
                {_, Value} when is_list(Value) -> Value ++ append_values(Key, Ps);
                {_, Value} -> [Value | append_values(Key, Ps)];
                _ -> append_values(Key, Ps)
            end;
       true ->
            append_values(Key, Ps)
    end;
append_values(_Key, []) ->
    [].

%% true only if the first entry for Key is Key or {Key, true}.
-file("proplists.erl", 306).
get_bool(Key, [P | Ps]) ->
    if ?IS_ATOM_KEY(P, Key) ->
            true;
       ?IS_TUPLE_KEY(P, Key) ->
            case P of
                {_, true} -> true;
                _ -> false
            end;
       true ->
            get_bool(Key, Ps)
    end;
get_bool(_Key, []) ->
    false.

%% The keys, each once, in the order OTP's gives them (a set's, version 1).
-file("proplists.erl", 332).
get_keys(Ps) ->
    sets:to_list(get_keys(Ps, sets:new())).

-file("proplists.erl", 335).
get_keys([P | Ps], Keys) ->
    if is_atom(P) ->
            get_keys(Ps, sets:add_element(P, Keys));
       tuple_size(P) >= 1 ->
            get_keys(Ps, sets:add_element(element(1, P), Keys));
       true ->
            get_keys(Ps, Keys)
    end;
get_keys([], Keys) ->
    Keys.

%% Every entry for Key goes.
-file("proplists.erl", 356).
delete(Key, [P | Ps]) ->
    if ?IS_ATOM_KEY(P, Key) ->
            delete(Key, Ps);
       ?IS_TUPLE_KEY(P, Key) ->
            delete(Key, Ps);
       true ->
            [P | delete(Key, Ps)]
    end;
delete(_, []) ->
    [].

%% Each entry for Key of an alias {Key, Key1} is renamed Key1 (the first
%% alias for a key counts).
-file("proplists.erl", 391).
substitute_aliases(As, Props) ->
    [substitute_aliases_1(As, P) || P <- Props].

-file("proplists.erl", 394).
substitute_aliases_1([{Key, Key1} | As], P) ->
    if ?IS_ATOM_KEY(P, Key) ->
            property(Key1, true);
       ?IS_TUPLE_KEY(P, Key) ->
            property(setelement(1, P, Key1));
       true ->
            substitute_aliases_1(As, P)
    end;
substitute_aliases_1([], P) ->
    P.

%% Each entry for Key of a negation {Key, Key1} becomes Key1 with the
%% opposite boolean value (a value other than true counts as false).
-file("proplists.erl", 435).
substitute_negations(As, Props) ->
    [substitute_negations_1(As, P) || P <- Props].

-file("proplists.erl", 438).
substitute_negations_1([{Key, Key1} | As], P) ->
    if ?IS_ATOM_KEY(P, Key) ->
            property(Key1, false);
       ?IS_TUPLE_KEY(P, Key) ->
            case P of
                {_, true} -> property(Key1, false);
                _ -> property(Key1, true)
            end;
       true ->
            substitute_negations_1(As, P)
    end;
substitute_negations_1([], P) ->
    P.

%% Expansions {Property, List}: the first entry for Property's key, when
%% it is that very property, is replaced by List and the key's other
%% entries go; the first expansion for a key counts.
-file("proplists.erl", 501).
expand(Es, Ps) when is_list(Ps) ->
    Es1 = [{property(P), V} || {P, V} <- Es],
    flatten(expand_0(key_uniq(Es1), Ps)).

expand_0([{P, L} | Es], Ps) ->
    expand_0(Es, expand_1(P, L, Ps));
expand_0([], Ps) ->
    Ps.

%% An expansion of something that is not a property changes nothing.
expand_1(P, L, Ps) ->
    if is_atom(P) ->
            expand_2(P, P, L, Ps);
       tuple_size(P) >= 1 ->
            expand_2(element(1, P), P, L, Ps);
       true ->
            Ps
    end.

%% Entries that are lists are expansions already made: passed over.
expand_2(Key, P1, L, [P | Ps]) ->
    if ?IS_ATOM_KEY(P, Key) ->
            expand_3(Key, P1, P, L, Ps);
       ?IS_TUPLE_KEY(P, Key) ->
            expand_3(Key, P1, property(P), L, Ps);
       true ->
            [P | expand_2(Key, P1, L, Ps)]
    end;
expand_2(_, _, _, []) ->
    [].

expand_3(Key, P1, P, L, Ps) ->
    if P1 =:= P -> [L | delete(Key, Ps)];
       true -> [P | Ps]
    end.

%% The expansions with the later ones for a key dropped.
key_uniq([{K, V} | Ps]) ->
    [{K, V} | key_uniq_1(K, Ps)];
key_uniq([]) ->
    [].

key_uniq_1(K, [{K1, V} | Ps]) ->
    if K =:= K1 -> key_uniq_1(K, Ps);
       true -> [{K1, V} | key_uniq_1(K1, Ps)]
    end;
key_uniq_1(_, []) ->
    [].

%% The expansions spliced in, one level.
flatten([E | Es]) when is_list(E) ->
    E ++ flatten(Es);
flatten([E | Es]) ->
    [E | flatten(Es)];
flatten([]) ->
    [].

-file("proplists.erl", 610).
normalize(L, Stages) ->
    compact(apply_stages(L, Stages)).

-file("proplists.erl", 613).
apply_stages(L, [{aliases, As} | Xs]) ->
    apply_stages(substitute_aliases(As, L), Xs);
apply_stages(L, [{expand, Es} | Xs]) ->
    apply_stages(expand(Es, L), Xs);
apply_stages(L, [{negations, Ns} | Xs]) ->
    apply_stages(substitute_negations(Ns, L), Xs);
apply_stages(L, []) ->
    L.

%% {[Entries for each key of Keys], Rest}, each list in the order given.
-file("proplists.erl", 644).
split(List, Keys) ->
    {Store, Rest} = split(List, maps:from_list([{K, []} || K <- Keys]), []),
    {[lists:reverse(map_get(K, Store)) || K <- Keys],
     lists:reverse(Rest)}.

-file("proplists.erl", 649).
split([P | Ps], Store, Rest) ->
    if is_atom(P) ->
            case is_map_key(P, Store) of
                true -> split(Ps, store_prepend(P, P, Store), Rest);
                false -> split(Ps, Store, [P | Rest])
            end;
       tuple_size(P) >= 1 ->
            Key = element(1, P),
            case is_map_key(Key, Store) of
                true -> split(Ps, store_prepend(Key, P, Store), Rest);
                false -> split(Ps, Store, [P | Rest])
            end;
       true ->
            split(Ps, Store, [P | Rest])
    end;
split([], Store, Rest) ->
    {Store, Rest}.

store_prepend(Key, Val, Store) ->
    Store#{Key := [Val | map_get(Key, Store)]}.

%% Folded from the end, so the first entry for a key counts; a tuple of
%% another size than two removes its key.
-file("proplists.erl", 703).
to_map(List) ->
    lists:foldr(
      fun({K, V}, M) ->
              M#{K => V};
         (T, M) when 1 =< tuple_size(T) ->
              maps:remove(element(1, T), M);
         (K, M) when is_atom(K) ->
              M#{K => true};
         (_, M) ->
              M
      end,
      #{},
      List).

-file("proplists.erl", 738).
to_map(List, Stages) ->
    to_map(apply_stages(List, Stages)).

-file("proplists.erl", 749).
from_map(Map) ->
    maps:to_list(Map).
