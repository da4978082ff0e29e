// Modules code and init against real Erlang. code: the same calls in order, erl loading m.beam
// where terl compiles m.erl (so erl's ".beam" reads as ".erl"). init: the terl binary and erl started
// with the same flags; init:stop and q() as a user sees them (the result printed, then the node gone).

import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HAVE_ERL, erlOutcomes, enterTree, makeTree, reports, terlOutcome, type Tree } from './file_harness.js';
import { runTerl, TERL } from '../../helpers/terl.js';

const TREE: Tree = {
  files: {
    'm.erl': '-module(m).\n-export([f/0]).\nf() -> 1.\n',
    'lib/n.erl': '-module(n).\n-export([g/0]).\ng() -> 2.\n',
  },
  dirs: ['empty'],
};

const CODE_CASES = [
  // which does not load; is_loaded says whether it is
  'code:which(m)',
  'code:is_loaded(m)',
  'code:which(erlang)',
  'code:which(nope)',
  'code:is_loaded(nope)',
  'code:is_loaded(erlang)',
  'code:ensure_loaded(erlang)',
  'code:ensure_loaded(m)',
  'code:is_loaded(m)',
  'code:which(m)',
  'm:f()',
  // old code must be purged before loading again
  'code:load_file(m)',
  'code:load_file(m)',
  'code:purge(m)',
  'code:load_file(m)',
  'code:soft_purge(m)',
  'code:load_file(nope)',
  'code:ensure_loaded(nope)',
  'code:delete(m)',
  'code:delete(m)',
  'code:is_loaded(m)',
  'code:purge(m)',
  'code:purge(m)',
  'code:delete(nope)',
  'code:purge(nope)',
  'code:soft_purge(nope)',
  'code:ensure_loaded(m)',
  'code:load_file(m)',
  'code:delete(m)',
  // the code path
  'try n:g() catch error:undef -> undef end',
  'code:which(n)',
  'lists:member(".", code:get_path())',
  'code:add_patha("lib")',
  'hd(code:get_path())',
  'code:which(n)',
  'n:g()',
  'code:add_patha("nodir")',
  'code:add_patha("lib/")',
  'length([P || P <- code:get_path(), P =:= "lib"])',
  'code:add_pathz(element(2, file:get_cwd()) ++ "/empty")',
  'lists:last(code:get_path()) =:= element(2, file:get_cwd()) ++ "/empty"',
  'code:add_path("empty")',
  'lists:last(code:get_path())',
  'code:del_path("empty")',
  'code:del_path("nodir")',
  'code:del_path(empty)',
  'code:is_loaded(n)',
  'code:del_path("lib")',
  'code:which(n)',
  'code:delete(n), code:which(n)',
  'code:add_paths(["lib"]), code:which(n)',
  'code:set_path(["nodir"])',
  'lists:keyfind(m, 1, code:all_loaded())',
  'lists:keyfind(erlang, 1, code:all_loaded())',
  'code:ensure_loaded(m), lists:keyfind(m, 1, code:all_loaded())',
  'code:is_sticky(erlang)',
  'code:is_sticky(m)',
  // what is not a module or a directory
  'code:which("m")',
  'code:is_loaded(1)',
  'code:ensure_loaded("m")',
  'code:load_file(<<"m">>)',
  'code:purge(1)',
  'code:soft_purge(1)',
  'code:delete(1)',
  'code:add_patha(lib)',
  'code:add_pathz(<<"lib">>)',
  'code:del_path(1)',
  'code:set_path(1)',
  // init calls that do not stop this node
  'try init:stop(foo) catch error:R:St -> {R, hd(St)} end',
  'try init:stop(-1) catch error:R:St -> {R, hd(St)} end',
  'init:get_argument("x")',
  'init:get_argument(nope)',
];

// erl loads .beam files where terl loads .erl: ".beam" in ~w is 46,98,101,97,109
const beamAsErl = (s: string) => s.split('46,98,101,97,109').join('46,101,114,108');

describe.skipIf(!HAVE_ERL)('code, compared with real Erlang', () => {
  let expected: string[];
  let dir: string;

  beforeAll(async () => {
    const erlDir = makeTree('code-erl-', TREE);
    execFileSync('erlc', ['m.erl'], { cwd: erlDir });
    execFileSync('erlc', ['-o', 'lib', 'lib/n.erl'], { cwd: erlDir });
    expected = await erlOutcomes(erlDir, CODE_CASES, [], beamAsErl);
    dir = makeTree('code-terl-', TREE);
    enterTree(dir);
  });

  CODE_CASES.forEach((c, i) => {
    it(c, async () => {
      expect(await terlOutcome(c, dir)).toBe(expected[i]);
    });
  });

  it('logs what erl logs when old code is in the way', () => {
    const texts = reports.map((r) => r.replace(/^=ERROR REPORT==== \S+ ===\n/, ''));
    expect(texts).toContain(`Loading of ${dir}/m.erl failed: not_purged\n\n`);
    expect(texts).toContain('Module m must be purged before deleting\n\n\n');
  });
});

describe('code:root_dir', () => {
  it("is terl's own directory", async () => {
    const out = await terlOutcome('code:root_dir()', '/no such directory');
    const root = String.fromCodePoint(...JSON.parse(out.slice(3)));
    expect(existsSync(join(root, 'package.json'))).toBe(true);
    expect(existsSync(join(root, 'bin', 'terl.js'))).toBe(true);
  });
});

// ---------- init, in real nodes ----------

/** Run a node with `args`, typing `input` without ever closing its stdin: it has to stop by itself. */
function runNode(cmd: string, args: string[], input: string): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: '/tmp', env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} did not stop; it printed:\n${stdout}`));
    }, 15000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, code });
    });
    child.stdin.write(input);
  });
}

/** The shell's output from its first prompt on (the banners differ). */
const fromFirstPrompt = (s: string) => s.slice(s.indexOf('1> '));

describe.skipIf(!HAVE_ERL)('init, compared with real Erlang', () => {
  const FLAGS = ['-noshell', '-pa', '/tmp', '/var', '-pz', '/opt', '-hidden', '-connect_all', 'false', '-kernel', 'net_ticktime', '20'];
  const SHOW =
    'io:format("~p~n~p~n~p~n~p~n", [tl(tl(tl(tl(init:get_arguments())))), init:get_plain_arguments(), init:get_argument(pa), init:get_argument(noshell)]), halt().';

  it('get_arguments, get_argument and get_plain_arguments show the command line', async () => {
    const args = [...FLAGS, '-eval', SHOW, '-extra', 'a', 'b', '-c'];
    const erl = execFileSync('erl', args, { encoding: 'utf8' });
    const terl = await runTerl(args);
    expect(terl.stdout).toBe(erl);
  });

  it("the emulator's own arguments come first", async () => {
    const r = await runTerl(['-noshell', '-eval', 'io:format("~p~n", [[K || {K, _} <- init:get_arguments()]]), halt().']);
    expect(r.stdout).toBe('[root,bindir,progname,home,noshell]\n');
  });

  for (const [name, input] of [
    ['q()', '1 + 1.\nq().\n'],
    ['init:stop()', 'init:stop().\n'],
    ['init:stop(3)', 'X = 7.\ninit:stop(3).\n'],
  ] as const) {
    it(`${name} in the shell prints its result, the next prompt, and stops`, async () => {
      const erl = await runNode('erl', [], input);
      const terl = await runNode(process.execPath, [TERL], input);
      expect(fromFirstPrompt(terl.stdout)).toBe(fromFirstPrompt(erl.stdout));
      expect(terl.code).toBe(erl.code);
    });
  }

  it('init:stop(N) after -eval: what ran is printed, the status is N', async () => {
    const args = ['-noshell', '-eval', 'io:format("before~n"), init:stop(5), io:format("after~n").'];
    const erl = await runNode('erl', args, '');
    const terl = await runNode(process.execPath, [TERL, ...args], '');
    expect(terl.stdout).toBe(erl.stdout);
    expect(terl.code).toBe(5);
    expect(erl.code).toBe(5);
  });
});
