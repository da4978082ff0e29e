// Tab completion (shell/completion.ts): what is inserted and what is listed, checked against real
// erl's edlin_expand (OTP 25) where erl is installed, and against fixed tables everywhere.

import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { completionContext, expand, formatMatches, overWord, queryPrefix, type Context } from '../../shell/completion.js';

const LISTS_SE = ['search/2', 'seq/2', 'seq/3', 'sort/1', 'reverse/1', 'reverse/2'];

function ctx(before: string): Context {
  const c = completionContext(before);
  if (!c) throw new Error(`no completion context for ${JSON.stringify(before)}`);
  return c;
}

describe('what the word before the cursor is', () => {
  it.each([
    ['lis', { kind: 'module', word: 'lis', sep: ':' }],
    ['X = lis', { kind: 'module', word: 'lis', sep: ':' }],
    ['lists:rev', { kind: 'function', module: 'lists', word: 'rev', sep: '(' }],
    ['  lists : rev', { kind: 'function', module: 'lists', word: 'rev', sep: '(' }],
    ['lists:', { kind: 'function', module: 'lists', word: '', sep: '(' }],
    ["'lists':rev", { kind: 'function', module: "'lists'", word: 'rev', sep: '(' }],
    ['h(lis', { kind: 'module', word: 'lis', sep: ',' }],
    ['h(lists, rev', { kind: 'function', module: 'lists', word: 'rev', sep: ',' }],
    ['foo(a, lis', { kind: 'module', word: 'lis', sep: ',' }],
    ['Var', { kind: 'variable', word: 'Var' }],
    ['f(_Ab', { kind: 'variable', word: '_Ab' }],
  ])('%j', (before, expected) => {
    expect(completionContext(before)).toEqual(expected);
  });

  it('nothing to complete after nothing, or after a variable and a colon', () => {
    expect(completionContext('')).toBeNull();
    expect(completionContext('foo(')).toBeNull();
    expect(completionContext('X:')).toBeNull();
  });

  it('asks the node about `mod:prefix` or the bare word', () => {
    expect(queryPrefix(ctx('lists:rev'))).toBe('lists:rev');
    expect(queryPrefix(ctx('io_l'))).toBe('io_l');
  });

  it('a quoted atom is one word, from its quote', () => {
    expect(overWord("x 'ab c")).toEqual(['x ', "'ab c"]);
    expect(overWord("f('ab c'")).toEqual(['f(', "'ab c'"]);
  });
});

describe('what is inserted and listed', () => {
  it('a module: `lis` → `lists:`', () => {
    expect(expand(ctx('lis'), ['lists', 'io', 'lib'])).toEqual({ found: true, insert: 'ts:', matches: [] });
  });

  it('a function with several arities: `lists:rev` → `lists:reverse(`', () => {
    expect(expand(ctx('lists:rev'), LISTS_SE)).toEqual({ found: true, insert: 'erse(', matches: [] });
  });

  it('the only function, of arity 0, gets its parentheses: `erlang:sel` → `self()`', () => {
    expect(expand(ctx('erlang:sel'), ['self/0', 'spawn/1']).insert).toBe('f()');
  });

  it('ambiguous: `lists:se` lists the candidates as erl does', () => {
    const x = expand(ctx('lists:se'), LISTS_SE);
    expect(x.found).toBe(true);
    expect(x.insert).toBe('');
    expect(formatMatches(x.matches)).toBe('\nsearch/2  seq/2     seq/3     \n');
  });

  it('a common part longer than what was typed is inserted without a list', () => {
    expect(expand(ctx('lists:unz'), ['unzip/1', 'unzip3/1'])).toEqual({ found: true, insert: 'ip', matches: [] });
  });

  it('nothing in common (an empty word after `mod:`): a beep and the whole list', () => {
    const x = expand(ctx('lists:'), LISTS_SE);
    expect(x.found).toBe(false);
    expect(x.matches.map((m) => `${m.name}/${m.arity}`)).toEqual(['reverse/1', 'reverse/2', 'search/2', 'seq/2', 'seq/3', 'sort/1']);
  });

  it('no candidate: a beep, nothing else', () => {
    expect(expand(ctx('zzz'), ['lists'])).toEqual({ found: false, insert: '', matches: [] });
  });

  it('bound variables complete with nothing after them', () => {
    expect(expand(ctx('f(Lon'), ['LongName', 'Other'])).toEqual({ found: true, insert: 'gName', matches: [] });
    expect(formatMatches(expand(ctx('Ab'), ['Abc', 'Abd']).matches)).toBe('\nAbc    Abd    \n');
  });

  it('shell commands complete like functions beside module names', () => {
    expect(expand(ctx('hel'), ['help/0', 'lists']).insert).toBe('p()');
    expect(expand(ctx('flu'), ['flush/0']).insert).toBe('sh()');
  });

  it('candidates given with their module, or not matching, are taken sensibly', () => {
    expect(expand(ctx('lists:rev'), ['lists:reverse/1', 'lists:reverse/2', 'lists:sort/1']).insert).toBe('erse(');
  });

  it('long candidate lists wrap at 79 columns in columns as wide as the longest name plus 4', () => {
    const names = Array.from({ length: 12 }, (_, i) => ({ name: `${String.fromCharCode(97 + i)}_fun_${i % 10}`, arity: 1, kind: 'function' as const }));
    const text = formatMatches(names);
    const rows = text.split('\n').slice(1, -1);
    expect(rows).toHaveLength(2); // width 7 + 4 → 7 per row
    expect(rows[0]).toBe('a_fun_0/1  b_fun_1/1  c_fun_2/1  d_fun_3/1  e_fun_4/1  f_fun_5/1  g_fun_6/1  ');
    expect(rows.every((r) => r.length <= 79)).toBe(true);
  });

  it('a full last row is followed by an empty one, as erl prints it', () => {
    const names = Array.from({ length: 7 }, (_, i) => ({ name: `${String.fromCharCode(97 + i)}_fun_${i}`, arity: 1, kind: 'function' as const }));
    expect(formatMatches(names)).toMatch(/g_fun_6\/1  \n\n$/);
  });
});

// ---- against real erl ----

const erlHere = spawnSync('erl', ['-version'], { encoding: 'utf8' }).status === 0;

/** Inputs typed before Tab, as in erl's shell. */
const INPUTS = [
  'lis',
  'lists:rev',
  'lists:se',
  'lists:',
  'lists:unz',
  'lists:zip',
  'lists:subl',
  'foo(a, lis',
  'h(lists, rev',
  'io:form',
  'erlang:sel',
  'erlang:spaw',
  '  lists : rev',
  "'lists':rev",
  'string:',
  'gen_ser',
  'xyzzy',
];

const ORACLE = `
  B = fun(S) -> binary_to_list(base64:encode(unicode:characters_to_binary(S))) end,
  Mods = [M || {M, _, _} <- code:all_available()],
  io:format("modules ~s~n", [B(lists:join(" ", Mods))]),
  [io:format("exports ~s ~s~n", [M, B(lists:join(" ", [atom_to_list(F) ++ "/" ++ integer_to_list(A) || {F, A} <- M:module_info(exports)]))])
   || M <- [lists, io, erlang, string]],
  [begin
     {Found, Add, Ms} = edlin_expand:expand(lists:reverse(I)),
     Listed = case Ms of [] -> ""; _ -> edlin_expand:format_matches(Ms) end,
     io:format("case ~s ~s ~s ~s~n", [B(I), Found, B(Add), B(Listed)])
   end || I <- [binary_to_list(base64:decode(X)) || X <- string:split(os:getenv("INPUTS"), " ", all)]],
  halt().`;

describe.skipIf(!erlHere)(`the same as real erl’s edlin_expand${erlHere ? '' : ' (skipped: erl is not installed)'}`, () => {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const unb64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');
  const run = () => {
    const r = spawnSync('erl', ['-noshell', '-eval', ORACLE], {
      encoding: 'utf8',
      env: { ...process.env, INPUTS: INPUTS.map(b64).join(' ') },
      timeout: 20000,
    });
    const modules = new Set<string>();
    const exports = new Map<string, string[]>();
    const cases: { input: string; found: boolean; add: string; listed: string }[] = [];
    for (const line of r.stdout.split('\n')) {
      const f = line.split(' ');
      if (f[0] === 'modules') unb64(f[1]).split(' ').forEach((m) => modules.add(m));
      if (f[0] === 'exports') exports.set(f[1]!, unb64(f[2]).split(' '));
      if (f[0] === 'case') cases.push({ input: unb64(f[1]), found: f[2] === 'yes', add: unb64(f[3]), listed: unb64(f[4]) });
    }
    return { modules: [...modules], exports, cases };
  };
  const oracle = erlHere ? run() : { modules: [], exports: new Map<string, string[]>(), cases: [] };

  it('erl answered for every input', () => {
    expect(oracle.cases.map((c) => c.input)).toEqual(INPUTS);
  });

  it.each(INPUTS)('%j', (input) => {
    const want = oracle.cases.find((c) => c.input === input)!;
    const c = completionContext(input);
    if (c === null) {
      expect(want.found).toBe(false);
      expect(want.add).toBe('');
      expect(want.listed).toBe('');
      return;
    }
    // the candidates a node would give: every module, or the module's exports
    const candidates =
      c.kind === 'function' ? (oracle.exports.get(c.module.replace(/'/g, '')) ?? []) : c.kind === 'module' ? oracle.modules : [];
    const x = expand(c, candidates);
    expect({ found: x.found, add: x.insert, listed: x.matches.length ? formatMatches(x.matches) : '' }).toEqual({
      found: want.found,
      add: want.add,
      listed: want.listed,
    });
  });
});
