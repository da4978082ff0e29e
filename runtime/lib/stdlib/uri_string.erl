%% uri_string: URIs as RFC 3986 defines them, and form-urlencoded
%% queries as HTML 5 does, as OTP 25's stdlib module offers them.
%%
%% A URI string is a string or a binary; the functions answer in the
%% kind they were given (a string if any part given was a string).
%% Internally everything is a UTF-8 binary: strings are converted on the
%% way in and back on the way out. Errors are returned, not raised, as
%% {error, Reason, Term}.
%%
%%   parse/1            URI string -> map of its components
%%   recompose/1        map -> URI string, percent-encoding what must be
%%   normalize/1,2      case, percent-encoding, dot segments, default port
%%   resolve/2,3        a reference against a base URI (RFC 3986, 5.2)
%%   transcode/2        percent-encoded bytes from one encoding to another
%%   percent_decode/1   a URI string or map with %XX decoded
%%   quote/1,2, unquote/1          percent-encoding of data
%%   compose_query/1,2, dissect_query/1   form-urlencoded queries
%%   allowed_characters/0          the character classes used
%%
%% normalize/2, parse/1, resolve/3, transcode/2 and percent_decode/1 sit
%% on the lines of OTP's, so that a wrong argument reads as erl reports
%% it; helpers of the other sections fill the lines between them.

-module(uri_string).

-export([allowed_characters/0,
         compose_query/1, compose_query/2,
         dissect_query/1,
         normalize/1, normalize/2,
         percent_decode/1,
         parse/1,
         recompose/1,
         resolve/2, resolve/3,
         transcode/2,
         quote/1, quote/2,
         unquote/1]).

-export_type([error/0, uri_map/0, uri_string/0]).

-type uri_string() :: iodata().
-type error() :: {error, atom(), term()}.
-type uri_map() :: #{fragment => unicode:chardata(),
                     host => unicode:chardata(),
                     path => unicode:chardata(),
                     port => non_neg_integer() | undefined,
                     query => unicode:chardata(),
                     scheme => unicode:chardata(),
                     userinfo => unicode:chardata()}.

-define(IS_ALPHA(C), ((C >= $a andalso C =< $z) orelse (C >= $A andalso C =< $Z))).
-define(IS_DIGIT(C), (C >= $0 andalso C =< $9)).

%%%========================================================================
%%% Character classes (RFC 3986, appendix A)
%%%========================================================================

is_unreserved(C) ->
    ?IS_ALPHA(C) orelse ?IS_DIGIT(C) orelse C =:= $- orelse C =:= $.
        orelse C =:= $_ orelse C =:= $~.

is_sub_delim(C) ->
    lists:member(C, "!$&'()*+,;=").

is_hex(C) ->
    ?IS_DIGIT(C) orelse (C >= $a andalso C =< $f) orelse (C >= $A andalso C =< $F).

%% Which characters each component may hold as they are ($% for the
%% percent-encoded ones).
is_char(scheme, C) -> ?IS_ALPHA(C) orelse ?IS_DIGIT(C) orelse C =:= $+ orelse C =:= $- orelse C =:= $.;
is_char(userinfo, C) -> is_unreserved(C) orelse is_sub_delim(C) orelse C =:= $: orelse C =:= $%;
is_char(host, C) -> is_unreserved(C) orelse is_sub_delim(C) orelse C =:= $:;
is_char(ipv4, C) -> ?IS_DIGIT(C) orelse C =:= $.;
is_char(ipv6, C) -> is_hex(C) orelse C =:= $: orelse C =:= $.;
is_char(regname, C) -> is_unreserved(C) orelse is_sub_delim(C) orelse C =:= $%;
is_char(path, C) -> is_unreserved(C) orelse is_sub_delim(C) orelse lists:member(C, ":@%/");
is_char(query, C) -> is_char(path, C) orelse C =:= $?;
is_char(fragment, C) -> is_char(query, C);
is_char(reserved, C) -> lists:member(C, ":/?#[]@") orelse is_sub_delim(C);
is_char(unreserved, C) -> is_unreserved(C).

-spec allowed_characters() -> [{atom(), list()}].
allowed_characters() ->
    Classes = [scheme, userinfo, host, ipv4, ipv6, regname, path, query,
               fragment, reserved, unreserved],
    [{Class, [C || C <- lists:seq(0, 127), is_char(Class, C)]} || Class <- Classes].

%%%========================================================================
%%% Strings in and out
%%%========================================================================

%% A URI string as a UTF-8 binary.
to_binary(B) when is_binary(B) -> B;
to_binary(L) when is_list(L) ->
    case unicode:characters_to_binary(L) of
        B when is_binary(B) -> B;
        {_, _, Rest} -> throw({error, invalid_input, Rest})
    end.

%% A UTF-8 binary back as a string.
to_list(B) ->
    case unicode:characters_to_list(B) of
        L when is_list(L) -> L;
        {_, _, Rest} -> throw({error, invalid_input, Rest})
    end.

%% A result in the kind asked for.
as_kind(B, list) when is_binary(B) -> to_list(B);
as_kind(B, binary) -> B.

kind(X) when is_binary(X) -> binary;
kind(_) -> list.

map_kind(Map) ->
    case lists:any(fun is_list/1, maps:values(Map)) of
        true -> list;
        false -> binary
    end.

%% The string fields of a map, in the kind asked for.
map_as_kind(Map, Kind) ->
    maps:map(fun(port, P) -> P;
                (_, V) -> as_kind(V, Kind)
             end, Map).

map_to_binaries(Map) ->
    maps:map(fun(port, P) -> P;
                (_, V) -> to_binary(V)
             end, Map).

%% Run F, returning what it throws as {error, _, _}.
catching(F) ->
    try F()
    catch throw:{error, _, _} = Error -> Error
    end.

%% URI-reference = URI / relative-ref: a scheme first, or none.
parse_reference(B) ->
    case take_scheme(B, <<>>) of
        {Scheme, Rest} ->
            %% A URI whose rest is wrong is no relative reference either:
            %% a relative path's first segment cannot hold the ':'.
            try parse_hier(Rest, #{scheme => Scheme}, any)
            catch throw:{error, invalid_uri, _} -> throw({error, invalid_uri, ":"})
            end;
        none ->
            parse_hier(B, #{}, noscheme)
    end.

take_scheme(<<C/utf8, Rest/binary>>, <<>>) when ?IS_ALPHA(C) ->
    take_scheme(Rest, <<C>>);
take_scheme(<<$:, Rest/binary>>, Scheme) when Scheme =/= <<>> ->
    {Scheme, Rest};
take_scheme(<<C/utf8, Rest/binary>>, Scheme) when Scheme =/= <<>> ->
    case is_char(scheme, C) of
        true -> take_scheme(Rest, <<Scheme/binary, C>>);
        false -> none
    end;
take_scheme(_, _) ->
    none.

%% hier-part (or relative-part): an authority after "//", then the path,
%% query and fragment.
parse_hier(<<"//", Rest/binary>>, Map, _) ->
    {Authority, After} = split_at(Rest, "/?#"),
    parse_path(After, parse_authority(Authority, Map), any);
parse_hier(B, Map, PathKind) ->
    parse_path(B, Map, PathKind).

parse_path(B, Map, PathKind) ->
    {Path, Rest} = split_at(B, "?#"),
    check(path, Path),
    case PathKind of
        noscheme -> check_first_segment(Path);
        any -> ok
    end,
    parse_query(Rest, Map#{path => Path}).

check_first_segment(Path) ->
    {First, _} = split_at(Path, "/"),
    case binary:match(First, <<":">>) of
        nomatch -> ok;
        _ -> throw({error, invalid_uri, ":"})
    end.

parse_query(<<$?, Rest/binary>>, Map) ->
    {Query, After} = split_at(Rest, "#"),
    check(query, Query),
    parse_fragment(After, Map#{query => Query});
parse_query(B, Map) ->
    parse_fragment(B, Map).

parse_fragment(<<$#, Fragment/binary>>, Map) ->
    check(fragment, Fragment),
    Map#{fragment => Fragment};
parse_fragment(<<>>, Map) ->
    Map.

%% authority = [ userinfo "@" ] host [ ":" port ]
parse_authority(Authority, Map) ->
    case split_at(Authority, "@") of
        {UserInfo, <<$@, HostPort/binary>>} ->
            check(userinfo, UserInfo),
            parse_host(HostPort, Map#{userinfo => UserInfo});
        {_, <<>>} ->
            parse_host(Authority, Map)
    end.

parse_host(<<$[, Rest/binary>>, Map) ->
    case split_at(Rest, "]") of
        {Address, <<$], After/binary>>} ->
            check(ipv6, Address),
            valid_ipv6(Address) orelse throw({error, invalid_uri, to_list(Address)}),
            parse_port(After, Map#{host => Address});
        {_, <<>>} ->
            throw({error, invalid_uri, <<>>})
    end;
parse_host(HostPort, Map) ->
    {Host, After} = split_at(HostPort, ":"),
    check(regname, Host),
    parse_port(After, Map#{host => Host}).

parse_port(<<>>, Map) ->
    Map;
parse_port(<<$:>>, Map) ->
    Map#{port => undefined};
parse_port(<<$:, Digits/binary>>, Map) ->
    [throw({error, invalid_uri, [C]}) || <<C>> <= Digits, not ?IS_DIGIT(C)],
    Map#{port => binary_to_integer(Digits)};
parse_port(<<C/utf8, _/binary>>, _Map) ->
    throw({error, invalid_uri, [C]}).

%% The part of B before the first of the Stops, and the rest from there.
split_at(B, Stops) ->
    split_at(B, Stops, 0).

split_at(B, Stops, N) when N < byte_size(B) ->
    case lists:member(binary:at(B, N), Stops) of
        true -> {binary:part(B, 0, N), binary:part(B, N, byte_size(B) - N)};
        false -> split_at(B, Stops, N + 1)
    end;
split_at(B, _Stops, _N) ->
    {B, <<>>}.

%% Every character of a component must be one it may hold.
check(Class, B) ->
    check_chars(Class, B).

check_chars(_Class, <<>>) ->
    ok;
check_chars(Class, <<C/utf8, Rest/binary>>) ->
    case C < 128 andalso is_char(Class, C) of
        true -> check_chars(Class, Rest);
        false -> throw({error, invalid_uri, [C]})
    end;
check_chars(_Class, <<C, _/binary>>) ->
    throw({error, invalid_uri, [C]}).

%% IPv6address (RFC 3986): eight groups of up to four hex digits, "::"
%% standing for one or more zero groups, the last two may be an IPv4
%% address.
valid_ipv6(Address) ->
    case binary:split(Address, <<"::">>, [global]) of
        [All] -> ipv6_groups(All) =:= 8;
        [Head, Tail] ->
            H = ipv6_groups(Head),
            T = ipv6_groups(Tail),
            H >= 0 andalso T >= 0 andalso H + T =< 7
                andalso (Head =:= <<>> orelse not ends_ipv4(Head));
        _ -> false
    end.

%% How many 16-bit groups a colon-separated part holds (-1: malformed).
ipv6_groups(<<>>) ->
    0;
ipv6_groups(Part) ->
    Groups = binary:split(Part, <<":">>, [global]),
    {Init, [Last]} = lists:split(length(Groups) - 1, Groups),
    case lists:all(fun is_hex_group/1, Init) of
        false -> -1;
        true ->
            case {is_hex_group(Last), is_ipv4(Last)} of
                {true, _} -> length(Groups);
                {false, true} -> length(Groups) + 1;
                {false, false} -> -1
            end
    end.

ends_ipv4(Part) ->
    Groups = binary:split(Part, <<":">>, [global]),
    is_ipv4(lists:last(Groups)).

is_hex_group(G) ->
    byte_size(G) >= 1 andalso byte_size(G) =< 4 andalso
        lists:all(fun is_hex/1, binary_to_list(G)).

is_ipv4(B) ->
    Parts = binary:split(B, <<".">>, [global]),
    length(Parts) =:= 4 andalso
        lists:all(fun(P) ->
                          byte_size(P) >= 1 andalso byte_size(P) =< 3 andalso
                              lists:all(fun(C) -> ?IS_DIGIT(C) end, binary_to_list(P)) andalso
                              binary_to_integer(P) =< 255
                  end, Parts).

is_uri_map(Map) ->
    Keys = [scheme, userinfo, host, port, path, query, fragment],
    maps:is_key(path, Map) andalso lists:all(fun(K) -> lists:member(K, Keys) end, maps:keys(Map)).

%%%========================================================================
%%% normalize
%%%========================================================================

-spec normalize(URI) -> NormalizedURI | error() when
      URI :: uri_string() | uri_map(),
      NormalizedURI :: uri_string().
normalize(URI) ->
    normalize(URI, []).

-spec normalize(URI, Options) -> NormalizedURI | error() when
      URI :: uri_string() | uri_map(),
      Options :: [return_map],
      NormalizedURI :: uri_string() | uri_map().
normalize(URIMap, Options) when is_map(URIMap) ->
    Kind = map_kind(URIMap),
    catching(fun() ->
                     Normal = map_as_kind(normalize_map(map_to_binaries(URIMap)), Kind),
                     case Options of
                         [return_map] -> Normal;
                         [] -> recompose(Normal)
                     end
             end);
normalize(URIString, Options) ->
    case parse(URIString) of
        Map when is_map(Map) -> normalize(Map, Options);
        Error -> Error
    end.

userinfo_part(#{userinfo := U}) -> <<(encode(userinfo, U))/binary, $@>>;
userinfo_part(_) -> <<>>.

%% An IPv6 address goes in brackets.
host_part(Host) ->
    case binary:match(Host, <<":">>) of
        nomatch -> encode(regname, Host);
        _ -> <<$[, Host/binary, $]>>
    end.

port_part(#{port := undefined}) -> <<":">>;
port_part(#{port := Port}) when is_integer(Port) -> <<$:, (integer_to_binary(Port))/binary>>;
port_part(_) -> <<>>.



%%%========================================================================
%%% parse
%%%========================================================================

-spec parse(URIString) -> URIMap | error() when
      URIString :: uri_string(),
      URIMap :: uri_map().
parse(URIString) when is_binary(URIString); is_list(URIString) ->
    Kind = kind(URIString),
    catching(fun() ->
                     Map = parse_reference(to_binary(URIString)),
                     map_as_kind(Map, Kind)
             end).

%%%========================================================================
%%% recompose
%%%========================================================================

-spec recompose(URIMap) -> URIString | error() when
      URIMap :: uri_map(),
      URIString :: uri_string().
recompose(Map) when is_map(Map) ->
    case is_uri_map(Map) of
        false ->
            {error, invalid_map, Map};
        true ->
            Kind = map_kind(Map),
            catching(fun() -> as_kind(compose(map_to_binaries(Map)), Kind) end)
    end.

%% [scheme ":"] ["//" [userinfo "@"] host [":" port]] path ["?" query] ["#" fragment]
compose(M) ->
    Scheme = case M of
                 #{scheme := S} ->
                     lists:all(fun(C) -> is_char(scheme, C) end, binary_to_list(S))
                         orelse throw({error, invalid_scheme, to_list(S)}),
                     <<S/binary, ":">>;
                 _ -> <<>>
             end,
    Authority = case M of
                    #{host := Host} -> <<"//", (userinfo_part(M))/binary, (host_part(Host))/binary, (port_part(M))/binary>>;
                    _ -> <<>>
                end,
    Path = encode(path, maps:get(path, M)),
    Path1 = case {Authority, Path} of
                {<<>>, _} -> Path;
                {_, <<>>} -> Path;
                {_, <<$/, _/binary>>} -> Path;
                _ -> <<$/, Path/binary>>
            end,
    Query = case M of
                #{query := Q} -> <<$?, (encode(query, Q))/binary>>;
                _ -> <<>>
            end,
    Fragment = case M of
                   #{fragment := F} -> <<$#, (encode(fragment, F))/binary>>;
                   _ -> <<>>
               end,
    <<Scheme/binary, Authority/binary, Path1/binary, Query/binary, Fragment/binary>>.


%%%========================================================================
%%% resolve
%%%========================================================================

-spec resolve(RefURI, BaseURI) -> TargetURI | error() when
      RefURI :: uri_string() | uri_map(),
      BaseURI :: uri_string() | uri_map(),
      TargetURI :: uri_string().
resolve(Ref, Base) ->
    resolve(Ref, Base, []).

-spec resolve(RefURI, BaseURI, Options) -> TargetURI | error() when
      RefURI :: uri_string() | uri_map(),
      BaseURI :: uri_string() | uri_map(),
      Options :: [return_map],
      TargetURI :: uri_string() | uri_map().
resolve(Ref, Base, Options) ->
    Kind = case kind_of(Ref) =:= list orelse kind_of(Base) =:= list of true -> list; false -> binary end,
    RefMap = case is_map(Ref) of true -> Ref; false -> parse(Ref) end,
    BaseMap = case is_map(Base) of true -> Base; false -> parse(Base) end,
    resolve_maps(RefMap, BaseMap, Kind, Options).

%% Percent-encode what a component may not hold as it is.
encode(Class, B) ->
    << <<(encode_char(Class, C))/binary>> || <<C>> <= B >>.

%%%========================================================================
%%% transcode
%%%========================================================================

-spec transcode(URIString, Options) -> Result when
      URIString :: uri_string(),
      Options :: [{in_encoding, unicode:encoding()} | {out_encoding, unicode:encoding()}],
      Result :: uri_string() | error().
transcode(URIString, Options) when is_binary(URIString) ->
    In = proplists:get_value(in_encoding, Options, utf8),
    Out = proplists:get_value(out_encoding, Options, utf8),
    catching(fun() ->
                     Chars = case unicode:characters_to_list(URIString, In) of
                                 L when is_list(L) -> L;
                                 {_, _, Rest} -> throw({error, invalid_input, Rest})
                             end,
                     Result = transcode_chars(Chars, In, Out),
                     case unicode:characters_to_binary(Result, utf8, Out) of
                         B when is_binary(B) -> B;
                         {_, _, Rest2} -> throw({error, invalid_input, Rest2})
                     end
             end);
transcode(URIString, Options) when is_list(URIString) ->
    In = proplists:get_value(in_encoding, Options, utf8),
    Out = proplists:get_value(out_encoding, Options, utf8),
    catching(fun() -> transcode_chars(lists:flatten(URIString), In, Out) end).

%% Characters stay; a run of %XX bytes is taken in the one encoding,
%% put in the other and percent-encoded again.
transcode_chars([$%, _, _ | _] = Chars, In, Out) ->
    {Bytes, Rest} = pct_run(Chars, <<>>),
    Converted = case unicode:characters_to_binary(Bytes, In, Out) of
                    B when is_binary(B) -> B;
                    {_, _, Bad} -> throw({error, invalid_input, Bad})
                end,
    lists:append([[$%, hex_digit(X bsr 4), hex_digit(X band 15)] || <<X>> <= Converted])
        ++ transcode_chars(Rest, In, Out);
transcode_chars([C | Rest], In, Out) ->
    [C | transcode_chars(Rest, In, Out)];
transcode_chars([], _In, _Out) ->
    [].

pct_run([$%, H, L | Rest] = Chars, Acc) ->
    case is_hex(H) andalso is_hex(L) of
        true -> pct_run(Rest, <<Acc/binary, (hex_value(H) * 16 + hex_value(L))>>);
        false -> throw({error, invalid_percent_encoding, Chars})
    end;
pct_run(Rest, Acc) ->
    {Acc, Rest}.

pct(Byte) ->
    <<$%, (hex_digit(Byte bsr 4)), (hex_digit(Byte band 15))>>.



%%%========================================================================
%%% percent_decode, quote, unquote
%%%========================================================================

-spec percent_decode(URI) -> Result when
      URI :: uri_string() | uri_map(),
      Result :: uri_string() | uri_map() | {error, {invalid, {atom(), {term(), term()}}}}.
percent_decode(URIMap) when is_map(URIMap) ->
    try
        maps:map(fun(port, P) -> P;
                    (K, V) ->
                         case percent_decode(V) of
                             {error, Reason, Input} -> throw({invalid_field, K, Reason, Input});
                             Decoded -> Decoded
                         end
                 end, URIMap)
    catch throw:{invalid_field, K, Reason, Input} -> {error, {invalid, {K, {Reason, Input}}}}
    end;
percent_decode(URI) when is_binary(URI); is_list(URI) ->
    unquote(URI).

-spec quote(Data) -> QuotedData when
      Data :: unicode:chardata(),
      QuotedData :: unicode:chardata().
quote(Data) ->
    quote(Data, "").

%% Everything but the unreserved characters and the Safe ones is
%% percent-encoded (as the bytes of its UTF-8).
-spec quote(Data, Safe) -> QuotedData when
      Data :: unicode:chardata(),
      Safe :: string(),
      QuotedData :: unicode:chardata().
quote(Data, Safe) when is_binary(Data); is_list(Data) ->
    Quoted = << <<(case C < 128 andalso (is_unreserved(C) orelse lists:member(C, Safe)) of
                       true -> <<C>>;
                       false -> pct(C)
                   end)/binary>> || <<C>> <= to_binary(Data) >>,
    as_kind(Quoted, kind(Data)).

-spec unquote(QuotedData) -> Data when
      QuotedData :: unicode:chardata(),
      Data :: unicode:chardata() | error().
unquote(Data) when is_binary(Data); is_list(Data) ->
    catching(fun() ->
                     Bytes = pct_decode(to_binary(Data)),
                     case unicode:characters_to_binary(Bytes) of
                         Bytes -> as_kind(Bytes, kind(Data));
                         _ -> throw({error, invalid_utf8, Bytes})
                     end
             end).

pct_decode(<<$%, H, L, Rest/binary>>) ->
    case is_hex(H) andalso is_hex(L) of
        true -> <<(hex_value(H) * 16 + hex_value(L)), (pct_decode(Rest))/binary>>;
        false -> throw({error, invalid_percent_encoding, <<$%, H, L>>})
    end;
pct_decode(<<C, Rest/binary>>) ->
    <<C, (pct_decode(Rest))/binary>>;
pct_decode(<<>>) ->
    <<>>.

%%%========================================================================
%%% Form-urlencoded queries (HTML 5)
%%%========================================================================

-spec compose_query(QueryList) -> QueryString when
      QueryList :: [{unicode:chardata(), unicode:chardata() | true}],
      QueryString :: uri_string() | error().
compose_query(List) ->
    compose_query(List, [{encoding, utf8}]).

%% Pairs joined by "&", keys and values urlencoded in the encoding asked
%% for (utf8 by default; in latin1 a character above 255 is written as
%% the HTML reference &#N;).
-spec compose_query(QueryList, Options) -> QueryString when
      QueryList :: [{unicode:chardata(), unicode:chardata() | true}],
      Options :: [{encoding, atom()}],
      QueryString :: uri_string() | error().
compose_query([], _Options) ->
    [];
compose_query(List, Options) when is_list(List) ->
    catching(fun() ->
                     Pairs = [compose_pair(Pair, Options) || Pair <- List],
                     Query = iolist_to_binary(lists:join(<<"&">>, Pairs)),
                     IsList = lists:any(fun({K, V}) -> is_list(K) orelse is_list(V) end, List),
                     case IsList of
                         true -> to_list(Query);
                         false -> Query
                     end
             end).

compose_pair({Key, true}, Options) ->
    urlencode(Key, Options);
compose_pair({Key, Value}, Options) ->
    <<(urlencode(Key, Options))/binary, $=, (urlencode(Value, Options))/binary>>.

urlencode(Cs, [{encoding, Encoding}]) when is_list(Cs); is_binary(Cs) ->
    Bytes = case Encoding of
                latin1 -> latin1_with_references(to_binary(Cs));
                _ when Encoding =:= utf8; Encoding =:= unicode -> to_binary(Cs);
                _ -> throw({error, invalid_encoding, Encoding})
            end,
    << <<(form_byte(B))/binary>> || <<B>> <= Bytes >>;
urlencode(Cs, _Options) ->
    throw({error, invalid_input, Cs}).

latin1_with_references(Utf8) ->
    << <<(case C > 255 of
              true -> <<"&#", (integer_to_binary(C))/binary, $;>>;
              false -> <<C>>
          end)/binary>> || <<C/utf8>> <= Utf8 >>.

%% A space is "+"; *, -, ., _ and the alphanumerics stay; the rest is %XX.
form_byte($\s) -> <<$+>>;
form_byte(B) when ?IS_ALPHA(B); ?IS_DIGIT(B); B =:= $*; B =:= $-; B =:= $.; B =:= $_ -> <<B>>;
form_byte(B) -> pct(B).

-spec dissect_query(QueryString) -> QueryList when
      QueryString :: uri_string(),
      QueryList :: [{unicode:chardata(), unicode:chardata() | true}] | error().
dissect_query(<<>>) ->
    [];
dissect_query([]) ->
    [];
dissect_query(QueryString) when is_binary(QueryString); is_list(QueryString) ->
    Kind = kind(QueryString),
    catching(fun() ->
                     Pairs = split_pairs(to_binary(QueryString), <<>>, []),
                     [{urldecode(K, Kind), urldecode(V, Kind)} || {K, V} <- Pairs]
             end).

%% Pairs split at "&" (an "&#" in a key is a character reference, not a
%% split), key from value at the first "="; a key alone has the value true.
split_pairs(<<"&#", Rest/binary>>, Key, Acc) ->
    split_pairs(Rest, <<Key/binary, "&#">>, Acc);
split_pairs(<<$=, Rest/binary>>, Key, Acc) ->
    {Value, After} = split_at(Rest, "&"),
    next_pair(After, [{Key, Value} | Acc]);
split_pairs(<<$&, _/binary>> = Rest, Key, Acc) ->
    next_pair(Rest, [{Key, true} | Acc]);
split_pairs(<<C, Rest/binary>>, Key, Acc) ->
    split_pairs(Rest, <<Key/binary, C>>, Acc);
split_pairs(<<>>, Key, Acc) ->
    lists:reverse([{Key, true} | Acc]).

next_pair(<<$&, Rest/binary>>, Acc) -> split_pairs(Rest, <<>>, Acc);
next_pair(<<>>, Acc) -> lists:reverse(Acc).

urldecode(true, _Kind) ->
    true;
urldecode(B, Kind) ->
    Decoded = resolve_references(form_decode(B)),
    as_kind(Decoded, Kind).

form_decode(<<$+, Rest/binary>>) ->
    <<$\s, (form_decode(Rest))/binary>>;
form_decode(<<$%, H, L, Rest/binary>> = All) ->
    case is_hex(H) andalso is_hex(L) of
        true -> <<(hex_value(H) * 16 + hex_value(L)), (form_decode(Rest))/binary>>;
        false -> throw({error, invalid_percent_encoding, to_list(All)})
    end;
form_decode(<<C/utf8, Rest/binary>>) ->
    <<C/utf8, (form_decode(Rest))/binary>>;
form_decode(<<>>) ->
    <<>>;
form_decode(<<C, _/binary>>) ->
    throw({error, invalid_character, [C]}).

%% "&#N;" is the character N; what is decoded must be UTF-8.
resolve_references(<<"&#", Rest/binary>>) ->
    case digits(Rest, 0, 0) of
        {N, <<$;, After/binary>>} -> <<N/utf8, (resolve_references(After))/binary>>;
        _ -> <<"&#", (resolve_references(Rest))/binary>>
    end;
resolve_references(<<C/utf8, Rest/binary>>) ->
    <<C/utf8, (resolve_references(Rest))/binary>>;
resolve_references(<<>>) ->
    <<>>;
resolve_references(<<C, _/binary>>) ->
    throw({error, invalid_input, [C]}).

digits(<<D, Rest/binary>>, N, Count) when ?IS_DIGIT(D) ->
    digits(Rest, N * 10 + D - $0, Count + 1);
digits(Rest, N, Count) when Count > 0 ->
    {N, Rest};
digits(_, _, _) ->
    none.

%%%========================================================================
%%% Helpers of recompose, normalize and resolve
%%%========================================================================

encode_char(Class, C) ->
    case C < 128 andalso is_char(Class, C) of
        true -> <<C>>;
        false -> pct(C)
    end.

hex_digit(N) when N < 10 -> $0 + N;
hex_digit(N) -> $A + N - 10.

hex_value(C) when ?IS_DIGIT(C) -> C - $0;
hex_value(C) when C >= $a, C =< $f -> C - $a + 10;
hex_value(C) when C >= $A, C =< $F -> C - $A + 10.

%% RFC 3986, 6.2.2: case, percent-encoding and path segments; then the
%% scheme's default port goes (6.2.3), as does an empty one.
normalize_map(M0) ->
    M1 = maps:map(fun(port, P) -> P;
                     (scheme, S) -> lowercase(S);
                     (host, H) -> normalize_pct(lowercase(H));
                     (path, P) -> remove_dot_segments(normalize_pct(P));
                     (_, V) -> normalize_pct(V)
                  end, M0),
    M2 = case M1 of
             #{port := undefined} -> maps:remove(port, M1);
             #{scheme := Scheme, port := Port} ->
                 case default_port(Scheme) =:= Port of
                     true -> maps:remove(port, M1);
                     false -> M1
                 end;
             _ -> M1
         end,
    case M2 of
        #{host := _, path := <<>>} -> M2#{path => <<"/">>};
        _ -> M2
    end.

default_port(<<"http">>) -> 80;
default_port(<<"https">>) -> 443;
default_port(<<"ftp">>) -> 21;
default_port(<<"ssh">>) -> 22;
default_port(<<"sftp">>) -> 22;
default_port(<<"tftp">>) -> 69;
default_port(_) -> none.

lowercase(B) ->
    << <<(case C >= $A andalso C =< $Z of true -> C + 32; false -> C end)>> || <<C>> <= B >>.

%% %XX of an unreserved character becomes the character; the others keep
%% their encoding, in upper case hex.
normalize_pct(<<$%, H, L, Rest/binary>>) ->
    case is_hex(H) andalso is_hex(L) of
        true ->
            C = hex_value(H) * 16 + hex_value(L),
            Norm = case is_unreserved(C) of
                       true -> <<C>>;
                       false -> pct(C)
                   end,
            <<Norm/binary, (normalize_pct(Rest))/binary>>;
        false ->
            throw({error, invalid_percent_encoding, <<$%, H, L>>})
    end;
normalize_pct(<<C, Rest/binary>>) ->
    <<C, (normalize_pct(Rest))/binary>>;
normalize_pct(<<>>) ->
    <<>>.

%% RFC 3986, 5.2.4.
remove_dot_segments(Path) ->
    remove_dots(Path, []).

remove_dots(<<"../", Rest/binary>>, Out) -> remove_dots(Rest, Out);
remove_dots(<<"./", Rest/binary>>, Out) -> remove_dots(Rest, Out);
remove_dots(<<"/./", Rest/binary>>, Out) -> remove_dots(<<$/, Rest/binary>>, Out);
remove_dots(<<"/.">>, Out) -> remove_dots(<<"/">>, Out);
remove_dots(<<"/../", Rest/binary>>, Out) -> remove_dots(<<$/, Rest/binary>>, drop_last(Out));
remove_dots(<<"/..">>, Out) -> remove_dots(<<"/">>, drop_last(Out));
remove_dots(<<".">>, Out) -> remove_dots(<<>>, Out);
remove_dots(<<"..">>, Out) -> remove_dots(<<>>, Out);
remove_dots(<<>>, Out) -> iolist_to_binary(lists:reverse(Out));
remove_dots(<<$/, Rest/binary>>, Out) ->
    {Segment, After} = split_at(Rest, "/"),
    remove_dots(After, [<<$/, Segment/binary>> | Out]);
remove_dots(Path, Out) ->
    {Segment, After} = split_at(Path, "/"),
    remove_dots(After, [Segment | Out]).

drop_last([_ | Out]) -> Out;
drop_last([]) -> [].

resolve_maps({error, _, _} = Error, _Base, _Kind, _Options) ->
    Error;
resolve_maps(_Ref, {error, _, _} = Error, _Kind, _Options) ->
    Error;
resolve_maps(_Ref, Base, Kind, _Options) when not is_map_key(scheme, Base) ->
    {error, invalid_scheme, as_kind(<<>>, Kind)};
resolve_maps(Ref, Base, Kind, Options) ->
    Target = map_as_kind(resolve_maps(map_to_binaries(Ref), map_to_binaries(Base)), Kind),
    case Options of
        [return_map] -> Target;
        [] -> recompose(Target)
    end.

kind_of(M) when is_map(M) -> map_kind(M);
kind_of(S) -> kind(S).

%% RFC 3986, 5.2.2 (strict: a reference with a scheme is taken as it is).
resolve_maps(#{scheme := _} = R, _B) ->
    dot_free(R);
resolve_maps(#{host := _} = R, B) ->
    dot_free(copy(B, R, [scheme]));
resolve_maps(R, B) ->
    Target = case maps:get(path, R) of
                 <<>> ->
                     T0 = maps:with([scheme, userinfo, host, port, path, query], B),
                     maps:merge(T0, maps:with([query], R));
                 <<$/, _/binary>> ->
                     dot_free(copy(B, maps:with([path, query], R), [scheme, userinfo, host, port]));
                 Path ->
                     Merged = merge_paths(B, Path),
                     dot_free(copy(B, (maps:with([query], R))#{path => Merged}, [scheme, userinfo, host, port]))
             end,
    maps:merge(Target, maps:with([fragment], R)).

copy(From, To, Keys) ->
    maps:merge(To, maps:with(Keys, From)).

dot_free(M) ->
    M#{path => remove_dot_segments(maps:get(path, M, <<>>))}.

%% RFC 3986, 5.2.3.
merge_paths(#{host := _, path := <<>>}, Path) ->
    <<$/, Path/binary>>;
merge_paths(#{path := BasePath}, Path) ->
    case binary:matches(BasePath, <<"/">>) of
        [] -> Path;
        Slashes ->
            {Last, _} = lists:last(Slashes),
            <<(binary:part(BasePath, 0, Last + 1))/binary, Path/binary>>
    end.
