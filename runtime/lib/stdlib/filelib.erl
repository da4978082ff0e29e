%% filelib: file names matched by wildcards, directories made and walked,
%% files found, as OTP 25's stdlib module, on top of file and filename.
%%
%% A wildcard is split at "/" into parts. A part without wildcard
%% characters is a literal name; "**" alone is any number of directory
%% levels; any other part is a list of tokens matched against the names a
%% directory lists: star (any characters), question (one), {set, Ranges}
%% ([a-z,_]), {alt, [Tokens]} ({erl,hrl}) and plain characters. Only the
%% directories a pattern part needs are listed; a name made of literal
%% parts alone is looked up (a dangling symbolic link is found too). The
%% names found are sorted, relative to the directory the search started
%% in unless the pattern is absolute.
%%
%% Errors are OTP's: a wildcard that is not a string is a function_clause
%% of wildcard/1,2,3, an alternative without its "}" is
%% error({badpattern, missing_delimiter}) from wildcard. The -file lines
%% put the entry points on OTP's filelib.erl lines, so the shell's
%% reports name the same places.
%%
%% The Mod argument of wildcard/3, is_dir/2, ... is a module answering
%% list_dir/1 and read_file_info/1 (and read_link_info/1 if it has it):
%% file, or erl_prim_loader, which terl answers with file (it has no
%% boot archives to look into).

-module(filelib).

-export([wildcard/1, wildcard/2, wildcard/3, compile_wildcard/1]).
-export([is_dir/1, is_dir/2, is_file/1, is_file/2, is_regular/1, is_regular/2]).
-export([file_size/1, file_size/2, last_modified/1, last_modified/2]).
-export([ensure_dir/1, ensure_path/1]).
-export([fold_files/5, fold_files/6]).
-export([find_file/2, find_file/3, find_source/1, find_source/2, find_source/3]).
-export([safe_relative_path/2]).

-include_lib("kernel/include/file.hrl").

%% The result of a search, or the pattern's error raised from the entry point.
-define(FOUND(Search), case Search of {badpattern, _} = Bad -> erlang:error(Bad); Found -> Found end).

-file("filelib.erl", 53).
wildcard(Pattern) when is_list(Pattern) ->
    ?FOUND(search(Pattern, ".", file)).

-file("filelib.erl", 59).
wildcard(Pattern, Cwd) when is_list(Pattern), is_list(Cwd) ->
    ?FOUND(search(Pattern, Cwd, file));
wildcard(Pattern, Mod) when is_list(Pattern), is_atom(Mod) ->
    ?FOUND(search(Pattern, ".", Mod)).

-file("filelib.erl", 65).
wildcard(Pattern, Cwd, Mod) when is_list(Pattern), is_list(Cwd), is_atom(Mod) ->
    ?FOUND(search(Pattern, Cwd, Mod)).

-file("filelib.erl", 379).
%% The pattern compiled once, for several searches: wildcard/1,2,3 take it
%% in place of the string.
compile_wildcard(Pattern) when is_list(Pattern) ->
    case compile(Pattern) of
        {badpattern, _} = Bad -> erlang:error(Bad);
        Compiled -> {compiled_wildcard, Compiled}
    end.

%% ---------- the search ----------

search({compiled_wildcard, Compiled}, Cwd, Mod) ->
    walk_compiled(Compiled, Cwd, Mod);
search(Pattern, Cwd, Mod) ->
    case compile(Pattern) of
        {badpattern, _} = Bad -> Bad;
        Compiled -> walk_compiled(Compiled, Cwd, Mod)
    end.

walk_compiled({Root, Parts}, Cwd, Mod) ->
    lists:usort(walk(Parts, Root, Cwd, Mod)).

%% The names the parts match below Shown (the name found so far, as it
%% will be returned: "" at the start of a relative search).
walk([], Shown, _Cwd, _Mod) ->
    [Shown];
walk([{literal, Name}], Shown, Cwd, Mod) ->
    Next = below(Shown, Name),
    case exists(real(Next, Cwd), Mod) of
        true -> [Next];
        false -> []
    end;
walk([{literal, Name} | Parts], Shown, Cwd, Mod) ->
    walk(Parts, below(Shown, Name), Cwd, Mod);
walk([{match, Tokens} | Parts], Shown, Cwd, Mod) ->
    [Found || Name <- listing(real(Shown, Cwd), Mod),
              matches(Tokens, Name),
              Found <- walk(Parts, below(Shown, Name), Cwd, Mod)];
walk([any_depth], Shown, Cwd, Mod) ->
    descendants(Shown, Cwd, Mod);
walk([any_depth | Parts], Shown, Cwd, Mod) ->
    Dirs = [Shown | [D || D <- descendants(Shown, Cwd, Mod), is_dir(real(D, Cwd), Mod)]],
    [Found || Dir <- Dirs, Found <- walk(Parts, Dir, Cwd, Mod)].

%% Everything below a directory, at any depth.
descendants(Shown, Cwd, Mod) ->
    lists:append([begin
                      Next = below(Shown, Name),
                      case is_dir(real(Next, Cwd), Mod) of
                          true -> [Next | descendants(Next, Cwd, Mod)];
                          false -> [Next]
                      end
                  end || Name <- listing(real(Shown, Cwd), Mod)]).

below("", Name) -> Name;
below("/", Name) -> [$/ | Name];
below(Dir, Name) -> Dir ++ [$/ | Name].

%% The name of Shown for the file system: relative names are below Cwd.
real("", Cwd) -> Cwd;
real([$/ | _] = Abs, _Cwd) -> Abs;
real(Rel, ".") -> Rel;
real(Rel, Cwd) -> filename:join(Cwd, Rel).

listing(Dir, Mod) ->
    case list_dir(Dir, Mod) of
        {ok, Names} -> lists:sort(Names);
        _ -> []
    end.

%% ---------- compiling a pattern ----------

%% {Root, Parts}: Root is "/" for an absolute pattern, "" for a relative one.
compile(Pattern) ->
    Flat = filename:flatten(Pattern),
    {Root, Names} = case Flat of
                        [$/ | Rest] -> {"/", components(Rest)};
                        _ ->
                            %% an empty pattern names nothing: a badmatch, as in OTP
                            [_ | _] = Relative = drop_dot(components(Flat)),
                            {"", Relative}
                    end,
    try
        {Root, [part(Name) || Name <- Names]}
    catch
        throw:{badpattern, _} = Bad -> Bad
    end.

%% The names between slashes, empty ones ("a//b", "dir/") left out.
components(Path) ->
    [Name || Name <- string:split(Path, "/", all), Name =/= []].

%% "./x" is "x"
drop_dot(["." | [_ | _] = Names]) -> Names;
drop_dot(Names) -> Names.

part("**") ->
    any_depth;
part(Name) ->
    Tokens = tokens(Name),
    case lists:all(fun is_integer/1, Tokens) of
        true -> {literal, Tokens};
        false -> {match, Tokens}
    end.

tokens([]) ->
    [];
tokens([$\\, C | Rest]) ->
    [C | tokens(Rest)];
tokens([$* | Rest]) ->
    [star | tokens(Rest)];
tokens([$? | Rest]) ->
    [question | tokens(Rest)];
tokens([$[, $] | Rest] = Name) ->
    %% a "]" first is one of the set
    case charset(Rest, [{$], $]}]) of
        {Set, After} -> [Set | tokens(After)];
        unclosed -> literal(Name)
    end;
tokens([$[ | Rest] = Name) ->
    case charset(Rest, []) of
        {Set, After} -> [Set | tokens(After)];
        unclosed -> literal(Name)
    end;
tokens([${ | Rest]) ->
    {Alternatives, After} = alternatives(Rest, [], [], 0),
    [{alt, [tokens(A) || A <- Alternatives]} | tokens(After)];
tokens([C | Rest]) ->
    [C | tokens(Rest)].

%% A "[" without its "]" stands for itself, and so does what follows it.
literal(Name) -> Name.

%% [a-z,_]: ranges and single characters, separated by commas.
charset([$] | Rest], Ranges) ->
    {{set, lists:reverse(Ranges)}, Rest};
charset([$, | Rest], Ranges) ->
    charset(Rest, Ranges);
charset([$\\, C | Rest], Ranges) ->
    charset(Rest, [{C, C} | Ranges]);
charset([Lo, $-, Hi | Rest], Ranges) when Hi =/= $] ->
    charset(Rest, [{Lo, Hi} | Ranges]);
charset([C | Rest], Ranges) ->
    charset(Rest, [{C, C} | Ranges]);
charset([], _Ranges) ->
    unclosed.

%% {a,b}: the alternatives' texts (nested braces kept for tokens/1) and
%% what follows the closing brace.
alternatives([$} | Rest], Current, Done, 0) ->
    {lists:reverse(Done, [lists:reverse(Current)]), Rest};
alternatives([$, | Rest], Current, Done, 0) ->
    alternatives(Rest, [], [lists:reverse(Current) | Done], 0);
alternatives([$\\, C | Rest], Current, Done, Depth) ->
    alternatives(Rest, [C, $\\ | Current], Done, Depth);
alternatives([${ | Rest], Current, Done, Depth) ->
    alternatives(Rest, [${ | Current], Done, Depth + 1);
alternatives([$} | Rest], Current, Done, Depth) ->
    alternatives(Rest, [$} | Current], Done, Depth - 1);
alternatives([C | Rest], Current, Done, Depth) ->
    alternatives(Rest, [C | Current], Done, Depth);
alternatives([], _Current, _Done, _Depth) ->
    throw({badpattern, missing_delimiter}).

%% ---------- matching a name ----------

matches([], []) ->
    true;
matches([star | Tokens], Name) ->
    star(Tokens, Name);
matches([question | Tokens], [_ | Name]) ->
    matches(Tokens, Name);
matches([{set, Ranges} | Tokens], [C | Name]) ->
    lists:any(fun({Lo, Hi}) -> C >= Lo andalso C =< Hi end, Ranges)
        andalso matches(Tokens, Name);
matches([{alt, Alternatives} | Tokens], Name) ->
    lists:any(fun(A) -> matches(A ++ Tokens, Name) end, Alternatives);
matches([C | Tokens], [C | Name]) ->
    matches(Tokens, Name);
matches(_, _) ->
    false.

%% A star takes as few characters as it can, then one more each time the
%% rest fails to match.
star(Tokens, Name) ->
    matches(Tokens, Name) orelse
        case Name of
            [_ | Rest] -> star(Tokens, Rest);
            [] -> false
        end.

%% ---------- questions about one file ----------

-file("filelib.erl", 71).
is_dir(Dir) ->
    is_dir(Dir, file).

is_dir(Dir, Mod) when is_atom(Mod) ->
    type_of(Dir, Mod) =:= directory.

is_file(File) ->
    is_file(File, file).

is_file(File, Mod) when is_atom(Mod) ->
    lists:member(type_of(File, Mod), [regular, directory]).

is_regular(File) ->
    is_regular(File, file).

is_regular(File, Mod) when is_atom(Mod) ->
    type_of(File, Mod) =:= regular.

%% The size of a file, 0 if there is none.
file_size(File) ->
    file_size(File, file).

file_size(File, Mod) when is_atom(Mod) ->
    info_field(File, Mod, #file_info.size, 0).

%% When the file was last written (local time), 0 if there is none.
last_modified(File) ->
    last_modified(File, file).

last_modified(File, Mod) when is_atom(Mod) ->
    info_field(File, Mod, #file_info.mtime, 0).

type_of(File, Mod) ->
    info_field(File, Mod, #file_info.type, none).

%% One field of the file's #file_info{}, or Default when there is no file.
info_field(File, Mod, Field, Default) ->
    case file_info(File, Mod) of
        {ok, Info} -> element(Field, Info);
        _ -> Default
    end.

%% ---------- the module asked ----------

file_info(File, erl_prim_loader) -> file:read_file_info(File);
file_info(File, Mod) -> Mod:read_file_info(File).

list_dir(Dir, erl_prim_loader) -> file:list_dir(Dir);
list_dir(Dir, Mod) -> Mod:list_dir(Dir).

%% Is there a file of that name, even a link to nowhere?
exists(File, Mod) ->
    Info = case Mod =:= erl_prim_loader orelse not erlang:function_exported(Mod, read_link_info, 1) of
               true when Mod =:= erl_prim_loader -> file:read_link_info(File);
               true -> Mod:read_file_info(File);
               false -> Mod:read_link_info(File)
           end,
    element(1, Info) =:= ok.

%% ---------- making directories ----------

%% The directories File is in, made where missing.
ensure_dir(File) ->
    Dir = filename:dirname(File),
    case is_dir(Dir) of
        true -> ok;
        false when Dir =:= File -> {error, einval};
        false -> make_below(Dir)
    end.

%% Path itself made too, and the directories it is in.
ensure_path(Path) ->
    case is_dir(Path) of
        true -> ok;
        false ->
            case filename:dirname(Path) of
                Path -> {error, einval};
                _ -> make_below(Path)
            end
    end.

%% Make Dir after its parents; a directory that appeared meanwhile is fine.
make_below(Dir) ->
    _ = ensure_dir(Dir),
    case file:make_dir(Dir) of
        {error, eexist} = Exists ->
            case is_dir(Dir) of
                true -> ok;
                false -> Exists
            end;
        Made ->
            Made
    end.

%% ---------- walking a tree ----------

%% Fun(File, Acc) for every regular file in Dir (and below it when
%% Recursive) whose own name matches the regular expression.
fold_files(Dir, RegExp, Recursive, Fun, Acc) ->
    fold_files(Dir, RegExp, Recursive, Fun, Acc, file).

fold_files(Dir, RegExp, Recursive, Fun, Acc, Mod) ->
    do_fold_files(Dir, RegExp, Recursive, Fun, Acc, Mod).

%% A regular expression re refuses is a badmatch here, as in OTP.
-file("filelib.erl", 162).
do_fold_files(Dir, RegExp, Recursive, Fun, Acc, Mod) ->
    {ok, Re} = re:compile(RegExp, [unicode]),
    fold_dir(Dir, Re, Recursive, Fun, Acc, Mod).

fold_dir(Dir, Re, Recursive, Fun, Acc, Mod) ->
    case list_dir(Dir, Mod) of
        {ok, Names} -> fold_names(Names, Dir, Re, Recursive, Fun, Acc, Mod);
        {error, _} -> Acc
    end.

fold_names([], _Dir, _Re, _Recursive, _Fun, Acc, _Mod) ->
    Acc;
fold_names([Name | Names], Dir, Re, Recursive, Fun, Acc, Mod) ->
    File = filename:join(Dir, Name),
    Acc1 = case type_of(File, Mod) of
               regular ->
                   case re:run(Name, Re, [{capture, none}]) of
                       match -> Fun(File, Acc);
                       nomatch -> Acc
                   end;
               directory when Recursive ->
                   fold_dir(File, Re, Recursive, Fun, Acc, Mod);
               _ ->
                   Acc
           end,
    fold_names(Names, Dir, Re, Recursive, Fun, Acc1, Mod).

%% ---------- finding files ----------

%% Where OTP looks for a file beside a directory: in it, then in the
%% directories its suffix rules name (an "ebin" directory's source is in
%% the "src" beside it, or in a directory below that).
search_rules() ->
    [{"", ""}, {"ebin", "src"}, {"ebin", "esrc"},
     {"ebin", "src/*"}, {"ebin", "esrc/*"}].

%% Which source file an object file comes from.
source_rules() ->
    [{".beam", ".erl", search_rules()},
     {"", ".erl", search_rules()},
     {"", ".src", search_rules()},
     {".erl", ".yrl", []}, {"", ".yrl", []},
     {".erl", ".xrl", []}, {"", ".xrl", []},
     {".erl", ".asn1", []}, {"", ".asn1", []},
     {".erl", ".asn", []}, {"", ".asn", []},
     {".erl", ".py", []}, {"", ".py", []}].

find_file(File, Dir) ->
    find_file(File, Dir, []).

find_file(File, Dir, []) ->
    find_file(File, Dir, search_rules());
find_file(File, Dir, Rules) ->
    Candidates = [filename:join(Dir, File) |
                  [filename:join(D, File) || {From, To} <- Rules, D <- swap_suffix(Dir, From, To)]],
    first_regular(Candidates).

%% The directories Dir names under a rule: its suffix From replaced by To
%% (To may hold wildcards).
swap_suffix(Dir, From, To) ->
    Flat = filename:flatten(Dir),
    case lists:suffix(From, Flat) of
        true ->
            Base = lists:sublist(Flat, length(Flat) - length(From)),
            Target = Base ++ To,
            case lists:member($*, To) of
                true -> [D || D <- wildcard(Target), is_dir(D)];
                false -> [Target]
            end;
        false ->
            []
    end.

first_regular([]) -> {error, not_found};
first_regular([File | Files]) ->
    case is_regular(File) of
        true -> {ok, File};
        false -> first_regular(Files)
    end.

find_source(File) ->
    find_source(filename:basename(File), filename:dirname(File)).

find_source(File, Dir) ->
    find_source(File, Dir, []).

find_source(File, Dir, []) ->
    find_source(File, Dir, source_rules());
find_source(File, Dir, Rules) ->
    Ext = filename:extension(File),
    Root = filename:rootname(File, Ext),
    try_sources([Rule || Rule <- Rules, element(1, Rule) =:= Ext], Root, Dir).

try_sources([], _Root, _Dir) ->
    {error, not_found};
try_sources([Rule | Rules], Root, Dir) ->
    {ToExt, Search} = case Rule of
                          {_, To} -> {To, []};
                          {_, To, S} -> {To, S}
                      end,
    case find_file(Root ++ ToExt, Dir, Search) of
        {ok, _} = Found -> Found;
        {error, not_found} -> try_sources(Rules, Root, Dir)
    end.

%% ---------- relative paths kept inside their directory ----------

%% The path without "." and ".." (and with the links in it followed), or
%% unsafe when it is absolute or leads out of Cwd.
-file("filelib.erl", 772).
safe_relative_path(Path, Cwd) ->
    case filename:pathtype(Path) of
        relative ->
            case safe_walk(filename:split(Path), [], Cwd, 0) of
                unsafe -> unsafe;
                [] -> [];
                Kept when is_binary(Path) -> unicode:characters_to_binary(filename:join(Kept));
                Kept -> filename:join(Kept)
            end;
        _ ->
            unsafe
    end.

%% Kept is the path so far (reversed); a link is replaced by what it names.
%% Links that lead to links lead nowhere after a while.
safe_walk(_Names, _Kept, _Cwd, Links) when Links > 40 ->
    unsafe;
safe_walk([], Kept, _Cwd, _Links) ->
    lists:reverse(Kept);
safe_walk([Dot | Names], Kept, Cwd, Links) when Dot =:= "."; Dot =:= <<".">> ->
    safe_walk(Names, Kept, Cwd, Links);
safe_walk([Up | _], [], _Cwd, _Links) when Up =:= ".."; Up =:= <<"..">> ->
    unsafe;
safe_walk([Up | Names], [_ | Kept], Cwd, Links) when Up =:= ".."; Up =:= <<"..">> ->
    safe_walk(Names, Kept, Cwd, Links);
safe_walk([Name | Names], Kept, Cwd, Links) ->
    Here = filename:join([Cwd | lists:reverse(Kept, [Name])]),
    case file:read_link_all(Here) of
        {ok, Target} ->
            case filename:pathtype(Target) of
                relative -> safe_walk(filename:split(Target) ++ Names, Kept, Cwd, Links + 1);
                _ -> unsafe
            end;
        {error, _} ->
            safe_walk(Names, [Name | Kept], Cwd, Links)
    end.
