// erlang's BIFs, ++ and --, bignum arithmetic and text, and the native binary and crypto functions
// are charged as the work they do (scheduler.chargeElements): one call over a long input adds
// thousands of reductions to the caller, and a process calling one in a loop over a 200,000
// element list (or a 200 KB binary, a 60,000 digit integer) lets the others run. Uncharged, each
// call counted one reduction, so such a loop held the node for seconds to minutes per slice.

import { expect, it } from 'vitest';
import { runTerl } from '../../helpers/terl.js';

/** Name, floor for one call's reductions, and the call (L, T, Bin, S, Big, BigS, Bm bound below). */
const CASES: [string, number, string][] = [
  ['++', 1000, 'L ++ [x]'],
  ['--', 1000, 'L -- [1, 2, 3]'],
  ['length', 1000, 'length(L)'],
  ['term_to_binary', 1000, 'term_to_binary(L)'],
  ['term_to_binary compressed', 1000, 'term_to_binary(L, [compressed])'],
  ['binary_to_term', 1000, 'binary_to_term(B)'],
  ['list_to_tuple', 1000, 'list_to_tuple(L)'],
  ['tuple_to_list', 1000, 'tuple_to_list(T)'],
  ['setelement', 1000, 'setelement(1, T, x)'],
  ['make_tuple', 1000, 'erlang:make_tuple(200000, a)'],
  ['list_to_binary', 1000, 'list_to_binary(S)'],
  ['iolist_size', 1000, 'iolist_size(S)'],
  ['binary_to_list', 1000, 'binary_to_list(Bin)'],
  ['phash2', 1000, 'erlang:phash2(L)'],
  ['crc32', 1000, 'erlang:crc32(Bin)'],
  ['md5', 500, 'erlang:md5(Bin)'],
  ['integer_to_list', 1000, 'integer_to_list(Big)'],
  ['list_to_integer', 1000, 'list_to_integer(BigS)'],
  ['bignum *', 1000, 'Bm * Bm'],
  ['bignum div', 1000, 'Big div (Bm + 1)'],
  ['binary:split', 1000, 'binary:split(Bin, <<1,2,3,4,5,6,7>>, [global])'],
  ['binary:matches', 1000, 'binary:matches(Bin, <<7>>)'],
  ['binary:replace', 1000, 'binary:replace(Bin, <<1>>, <<2>>, [global])'],
  ['binary:copy', 1000, 'binary:copy(Bin, 10)'],
  ['binary:bin_to_list', 1000, 'binary:bin_to_list(Bin)'],
  ['crypto:hash', 500, 'crypto:hash(sha256, Bin)'],
  ['binary construction', 500, '<<Bin/binary, Bin/binary>>'],
];

/** Each case's call, bound by `bindings`, charges at least its floor and does not hold the node. */
async function expectCharged(bindings: string, cases: [string, number, string][]): Promise<void> {
  const funs = cases.map(([name, floor, call]) => `{"${name}", ${floor}, fun() -> ${call} end}`).join(', ');
  const eval_ = [
    bindings,
    `[begin`,
    '   {reductions, R0} = process_info(self(), reductions), F(),',
    '   {reductions, R1} = process_info(self(), reductions),',
    '   Hog = spawn(fun Loop() -> F(), Loop() end),',
    '   receive after 10 -> ok end,',
    // 50 round trips to fresh processes while the hog loops
    '   [begin Me = self(), spawn(fun() -> Me ! I end), receive I -> ok end end || I <- lists:seq(1, 50)],',
    '   exit(Hog, kill),',
    '   io:format("~s: ~p~n", [Name, R1 - R0 >= Floor orelse R1 - R0])',
    ` end || {Name, Floor, F} <- [${funs}]],`,
    'halt().',
  ].join(' ');
  const r = await runTerl(['-noshell', '-eval', eval_], '', { timeoutMs: 110000 });
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe(cases.map(([name]) => `${name}: true\n`).join(''));
}

it('a process looping on a long BIF is charged for it and does not keep the others from running', async () => {
  await expectCharged(
    [
      'L = lists:seq(1, 200000), T = list_to_tuple(L), B = term_to_binary(L),',
      'Bin = list_to_binary([X rem 256 || X <- L]), S = lists:duplicate(100000, $a),',
      'Bm = 1 bsl 100000, Big = 1 bsl 200000, BigS = integer_to_list(Bm),',
    ].join(' '),
    CASES,
  );
}, 120000);

// Two equal terms built apart are compared element by element in one native step (term.ts
// exactEqual and order), and a long map or table key is made a hash key whole (canonical): the
// walk is charged, so a loop comparing them or looking one up lets the others run.
it('comparing two long equal terms built apart is charged by the elements walked', async () => {
  await expectCharged(
    [
      'L = lists:seq(1, 200000), L2 = lists:seq(1, 200000), T = list_to_tuple(L), T2 = list_to_tuple(L2),',
      'M = maps:from_list([{X, X} || X <- lists:seq(1, 50000)]), M2 = maps:from_list([{X, X} || X <- lists:seq(1, 50000)]),',
      'Bin = list_to_binary([X rem 256 || X <- L]), Bin2 = list_to_binary([X rem 256 || X <- L2]),',
      'E = ets:new(t, [public]), ets:insert(E, {L, 1}),',
    ].join(' '),
    [
      ['list =:=', 1000, 'L =:= L2'],
      ['list =/=', 1000, 'L =/= L2'],
      ['list ==', 1000, 'L == L2'],
      ['list <', 1000, 'L < L2'],
      ['tuple =:=', 1000, 'T =:= T2'],
      ['tuple >=', 1000, 'T >= T2'],
      ['map =:=', 1000, 'M =:= M2'],
      ['map <', 1000, 'M < M2'],
      ['binary =:=', 500, 'Bin =:= Bin2'],
      ['binary <', 500, 'Bin < Bin2'],
      ['ets:lookup by a long key', 1000, 'ets:lookup(E, L2)'],
      ['maps:get by a long key', 1000, 'maps:get(L2, #{L => 1}, 0)'],
    ],
  );
}, 120000);

// re's matcher, io_lib's writers and erl_scan work over the whole subject, term or text in one
// native call: re charges the subject's bytes and what the matcher examined, io_lib the characters
// it wrote or read, erl_scan a reduction a character, erl_parse four a token.
it('re over a long subject and io_lib over a long term are charged by their work', async () => {
  await expectCharged(
    'L = lists:seq(1, 200000), S = lists:duplicate(100000, $a), Big = list_to_binary(lists:duplicate(1000000, $a)),' +
      ' Src = lists:flatten(lists:duplicate(10000, "foo(X) -> X. ")),' +
      ' {ok, Toks, _} = erl_scan:string(lists:flatten(["[", lists:join(",", lists:duplicate(20000, "x")), "]."])),',
    [
      ['re:run global', 10000, 're:run(Big, "b", [global])'],
      ['re:run', 10000, 're:run(Big, "a$")'],
      ['re:replace', 10000, 're:replace(Big, "b", "c", [global])'],
      ['re:split', 10000, 're:split(Big, "b")'],
      ['io_lib:format ~p', 10000, 'io_lib:format("~p", [L])'],
      ['io_lib:format ~w', 10000, 'io_lib:format("~w", [L])'],
      ['io_lib:write', 10000, 'io_lib:write(L)'],
      ['io_lib:print', 10000, 'io_lib:print(L)'],
      ['io_lib:printable_list', 5000, 'io_lib:printable_list(S)'],
      ['io_lib:deep_char_list', 5000, 'io_lib:deep_char_list(S)'],
      ['io_lib:chars_length', 5000, 'io_lib:chars_length(S)'],
      ['io_lib:write_string', 5000, 'io_lib:write_string(S)'],
      ['erl_scan:string', 10000, 'erl_scan:string(Src)'],
      ['erl_parse:parse_exprs', 10000, 'erl_parse:parse_exprs(Toks)'],
    ],
  );
}, 120000);

// filename's functions read a name in one native step, zlib (de)compresses a whole input in one
it('filename over a long name and zlib over a long input are charged by their bytes', async () => {
  await expectCharged(
    'S = lists:duplicate(100000, $a), Bin = list_to_binary([X rem 256 || X <- lists:seq(1, 200000)]), Z = zlib:compress(Bin),',
    [
      ['filename:join', 5000, 'filename:join(S, S)'],
      ['filename:basename', 5000, 'filename:basename(S)'],
      ['zlib:compress', 5000, 'zlib:compress(Bin)'],
      ['zlib:uncompress', 5000, 'zlib:uncompress(Z)'],
      ['zlib:gzip', 5000, 'zlib:gzip(Bin)'],
    ],
  );
}, 120000);
