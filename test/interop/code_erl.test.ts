// Code between terl and real OTP 25 nodes, both ways: nl/1 and nc/1 from terl (the real node
// compiles the forms terl sends with its own compiler), nl/1 and code:load_binary/3 from erl (terl
// compiles the .beam's debug info, or the source its compile info names, fetched from erl), and a
// one-line error when neither is there.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAVE_ERL, HOST, REPORT_HEADER, Shell, startEpmd, startErlNode, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';

afterAll(stopAll);

if (!HAVE_ERL) console.warn('test/interop/code_erl.test.ts: skipped, `erl` is not installed (CI installs it)');

/** A module with a fun and a record, so the forms carry more than plain functions. */
function mod(name: string, tag: string): string {
  return `-module(${name}).
-export([hi/0, twice/1, rec/0, adder/1]).
-record(r, {a = 1, b}).
hi() -> {${tag}, node()}.
twice(L) -> lists:map(fun(X) -> 2 * X end, L).
rec() -> #r{b = 2}.
adder(N) -> fun(X) -> X + N end.
`;
}

/** Poll until Mod is loaded on the node `other` (the loads answer nothing: nl/1 is a cast). */
async function loadedOn(sh: Shell, other: string, m: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await sh.eval(`rpc:call('${other}', code, is_loaded, [${m}]).`)).startsWith('{file,')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${m} never loaded on ${other}`);
}

describe.skipIf(!HAVE_ERL)('code between terl and erl', () => {
  let epmd: Epmd;
  let e: Shell;
  let t: Shell;
  let erlDir: string;
  let terlDir: string;
  const [E, T] = ['erlc', 'terlc'].map((n) => `${n}${uniq()}`);
  const [EN, TN] = [E, T].map((n) => `${n}@${HOST}`);

  beforeAll(async () => {
    epmd = await startEpmd('erl');
    erlDir = mkdtempSync(join(tmpdir(), 'terl-code-erl-'));
    terlDir = mkdtempSync(join(tmpdir(), 'terl-code-terl-'));
    writeFileSync(join(terlDir, 't_out.erl'), mod('t_out', 'from_terl'));
    writeFileSync(join(terlDir, 't_nc.erl'), mod('t_nc', 'nc_terl'));
    writeFileSync(join(erlDir, 't_in.erl'), mod('t_in', 'from_erl'));
    writeFileSync(join(erlDir, 't_dbg.erl'), mod('t_dbg', 'with_debug_info'));
    writeFileSync(join(erlDir, 't_gone.erl'), mod('t_gone', 'gone'));
    [e, t] = await Promise.all([startErlNode({ name: E, cookie: 'code', epmd, cwd: erlDir }), startTerlNode({ name: T, cookie: 'code', epmd, cwd: terlDir })]);
    expect(await t.eval(`net_adm:ping(${EN}).`)).toBe('pong');
  });

  test('nl/1 from terl: erl compiles the forms and runs the module', async () => {
    expect(await t.eval('nl(t_out).')).toBe('abcast');
    expect(await t.eval(`rpc:call(${EN}, t_out, hi, []).`)).toBe(`{from_terl,${EN}}`);
    expect(await t.eval(`rpc:call(${EN}, t_out, twice, [[1,2,3]]).`)).toBe('[2,4,6]');
    expect(await t.eval(`rpc:call(${EN}, t_out, rec, []).`)).toBe('{r,1,2}');
    // its funs cross both ways: erl has no file of it, so its numbers come from the .beam it made
    expect(await t.eval(`rpc:call(${EN}, erlang, apply, [t_out:adder(10), [5]]).`)).toBe('15');
    expect(await t.eval(`(rpc:call(${EN}, t_out, adder, [1]))(2).`)).toBe('3');
  });

  test('nc/1 from terl: compiled here, loaded everywhere', async () => {
    expect(await t.eval('nc("t_nc.erl").')).toBe('{ok,t_nc}');
    expect(await t.eval('t_nc:hi().')).toBe(`{nc_terl,${TN}}`);
    expect(await t.eval(`rpc:call(${EN}, t_nc, hi, []).`)).toBe(`{nc_terl,${EN}}`);
  });

  test('nl/1 from erl (a .beam without debug info): terl compiles its source, fetched from erl', async () => {
    await e.eval('c(t_in).');
    expect(await e.eval('nl(t_in).')).toBe('abcast');
    await loadedOn(e, TN, 't_in');
    expect(await e.eval(`rpc:call(${TN}, t_in, hi, []).`)).toBe(`{from_erl,${TN}}`);
    expect(await e.eval(`rpc:call(${TN}, t_in, rec, []).`)).toBe('{r,1,2}');
  });

  test('code:load_binary/3 of a .beam with debug info: terl compiles its abstract code', async () => {
    await e.eval('c(t_dbg, [debug_info]).');
    await e.eval('{ok, B} = file:read_file("t_dbg.beam").');
    // the source is gone: only the debug info can give the module
    await e.eval('file:delete("t_dbg.erl").');
    expect(await e.eval(`rpc:call(${TN}, code, load_binary, [t_dbg, "t_dbg.beam", B]).`)).toBe('{module,t_dbg}');
    expect(await e.eval(`rpc:call(${TN}, t_dbg, twice, [[1,2]]).`)).toBe('[2,4]');
    expect(await e.eval(`rpc:call(${TN}, t_dbg, rec, []).`)).toBe('{r,1,2}');
  });

  test('neither debug info nor source: {error,badfile} and one line on terl, no long report', async () => {
    await e.eval('c(t_gone).');
    rmSync(join(erlDir, 't_gone.erl'));
    const before = t.out.length;
    expect(await e.eval(`rpc:call(${TN}, code, load_binary, [t_gone, "t_gone.beam", element(2, file:read_file("t_gone.beam"))]).`)).toBe('{error,badfile}');
    await t.waitFor(/terl cannot load t_gone: .* has no debug_info and its source .*t_gone\.erl could not be read\n/);
    const said = t.out.slice(before);
    expect(said).toMatch(REPORT_HEADER);
    expect(said.trim().split('\n').length).toBe(2);
    expect(await e.eval('nl(t_gone).')).toBe('abcast');
    expect(await e.eval(`rpc:call(${TN}, t_gone, hi, []).`)).toBe(`{badrpc,{'EXIT',{undef,[{t_gone,hi,[],[]}]}}}`);
  });
});
