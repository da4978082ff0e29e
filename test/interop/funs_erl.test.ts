// Funs of compiled modules between terl and real OTP 25 nodes, both ways: the seed's dist_demo
// (each side compiles examples/dist_demo.erl with its own compiler), funs with free variables, a
// fun whose module the other node lacks (OTP's undef), and a module that differs (badfun).

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/terl.js';
import { HAVE_ERL, HOST, Shell, startEpmd, startErlNode, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';

const FREE = `-module(ffree).
-export([adder/2, nested/1, pair/1, named/1]).
adder(Zed, Alpha) -> fun(Mid) -> {Zed, Alpha, Mid} end.
nested(X) -> fun(Y) -> fun() -> {X, Y} end end.
pair({B, A}) -> fun() -> [A, B] end.
named(N) -> fun Loop(0) -> N; Loop(K) -> Loop(K - 1) + 1 end.
`;
const ONLY_ERL = '-module(onlyerl).\n-export([make/0]).\nmake() -> fun() -> ok end.\n';
const ONLY_TERL = '-module(onlyterl).\n-export([make/0]).\nmake() -> fun() -> ok end.\n';
const DIFFERS_ERL = '-module(differs).\n-export([make/0]).\nmake() -> fun() -> erl_version end.\n';
const DIFFERS_TERL = '-module(differs).\n-export([make/0, other/0]).\nmake() -> fun() -> terl_version end.\nother() -> fun(X) -> X end.\n';

/** Two folders: the erl node's .beam files (erlc) and the terl node's .erl files (terl compiles them). */
function sources(): { erlDir: string; terlDir: string } {
  const erlDir = mkdtempSync(join(tmpdir(), 'terl-funs-erl-'));
  const terlDir = mkdtempSync(join(tmpdir(), 'terl-funs-terl-'));
  const demo = join(ROOT, 'examples', 'dist_demo.erl');
  copyFileSync(demo, join(terlDir, 'dist_demo.erl'));
  writeFileSync(join(terlDir, 'ffree.erl'), FREE);
  writeFileSync(join(terlDir, 'onlyterl.erl'), ONLY_TERL);
  writeFileSync(join(terlDir, 'differs.erl'), DIFFERS_TERL);
  writeFileSync(join(erlDir, 'ffree.erl'), FREE);
  writeFileSync(join(erlDir, 'onlyerl.erl'), ONLY_ERL);
  writeFileSync(join(erlDir, 'differs.erl'), DIFFERS_ERL);
  execFileSync('erlc', ['-o', erlDir, demo, ...['ffree', 'onlyerl', 'differs'].map((m) => join(erlDir, `${m}.erl`))]);
  return { erlDir, terlDir };
}

afterAll(stopAll);

if (!HAVE_ERL) console.warn('test/interop/funs_erl.test.ts: skipped, `erl` is not installed (CI installs it)');

describe.skipIf(!HAVE_ERL)('funs of compiled modules between terl and erl', () => {
  let epmd: Epmd;
  let e: Shell;
  let t: Shell;
  const [E, T] = ['erlf', 'terlf'].map((n) => `${n}${uniq()}`);
  const [EN, TN] = [E, T].map((n) => `${n}@${HOST}`);

  beforeAll(async () => {
    epmd = await startEpmd('erl');
    const { erlDir, terlDir } = sources();
    [e, t] = await Promise.all([
      startErlNode({ name: E, cookie: 'funs', epmd, cwd: erlDir }),
      startTerlNode({ name: T, cookie: 'funs', epmd, cwd: terlDir }),
    ]);
    expect(await t.eval(`net_adm:ping(${EN}).`)).toBe('pong');
  });

  test("the seed's dist_demo from terl to erl: the fun of start/1 runs erl's own compile", async () => {
    await t.eval(`P = dist_demo:start(${EN}).`);
    expect(await t.eval('dist_demo:rpc(P, erlang, node, []).')).toBe(EN);
    expect(await t.eval('dist_demo:rpc(P, lists, reverse, [[1,2,3]]).')).toBe('[3,2,1]');
  });

  test("the seed's dist_demo from erl to terl", async () => {
    await e.eval(`P = dist_demo:start(${TN}).`);
    expect(await e.eval('dist_demo:rpc(P, erlang, node, []).')).toBe(TN);
    expect(await e.eval('dist_demo:rpc(P, lists, seq, [1,3]).')).toBe('[1,2,3]');
  });

  test('funs with free variables, in the order OTP passes them, both ways', async () => {
    for (const [sh, other] of [
      [t, EN],
      [e, TN],
    ] as const) {
      expect(await sh.eval(`rpc:call(${other}, erlang, apply, [ffree:adder(z, a), [m]]).`)).toBe('{z,a,m}');
      expect(await sh.eval(`rpc:call(${other}, erlang, apply, [(ffree:nested(x))(y), []]).`)).toBe('{x,y}');
      expect(await sh.eval(`rpc:call(${other}, erlang, apply, [ffree:pair({b, a}), []]).`)).toBe('[a,b]');
      expect(await sh.eval(`rpc:call(${other}, erlang, apply, [ffree:named(4), [3]]).`)).toBe('7');
      // and back: the other node's fun, called here
      expect(await sh.eval(`(rpc:call(${other}, ffree, adder, [1, 2]))(3).`)).toBe('{1,2,3}');
    }
    expect(await t.eval('erlang:fun_info(ffree:adder(z, a), env).')).toBe('{env,[z,a]}');
  });

  test("a fun whose module the other node lacks fails with OTP's undef, both ways", async () => {
    expect(await e.eval(`catch erpc:call(${TN}, onlyerl:make(), 5000).`)).toMatch(
      /^\{'EXIT',\{\{exception,undef,\s*\[\{#Fun<onlyerl\.0\.\d+>,\[\],\[\]\}/,
    );
    expect(await t.eval(`catch erpc:call(${EN}, onlyterl:make(), 5000).`)).toMatch(
      /^\{'EXIT',\{\{exception,undef,\s*\[\{#Fun<onlyterl\.0\.\d+>,\[\],\[\]\}/,
    );
    await e.eval(`spawn(${TN}, onlyerl:make()).`);
    await e.waitFor(new RegExp(`on node ${TN} with exit value:\\n\\{undef,\\[\\{#Fun<onlyerl\\.0\\.\\d+>,\\[\\],\\[\\]\\}`));
    expect(await e.eval(`lists:member(${TN}, nodes()).`)).toBe('true');
  });

  test('a fun of a module that differs on the other node gives badfun, both ways', async () => {
    expect(await e.eval(`catch erpc:call(${TN}, differs:make(), 5000).`)).toMatch(/^\{'EXIT',\{\{exception,\{badfun,#Fun<differs\.0\.\d+>\}/);
    expect(await t.eval(`catch erpc:call(${EN}, differs:make(), 5000).`)).toMatch(/^\{'EXIT',\{\{exception,\{badfun,#Fun<differs\.\d\.\d+>\}/);
  });
});
