// terl nodes and real OTP 25 `erl` nodes in one cluster on loopback, in both directions: ping,
// rpc into each other's kvs (errors as {badrpc, ...}), registered sends, remote spawns (a shell fun
// too), links and monitors broken with noconnection, monitor_node, nodes(), global, remote io,
// cookie mismatch reports, both port mappers, and ticks with a small net_ticktime.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/terl.js';
import { HAVE_ERL, HOST, REPORT_HEADER, Shell, startEpmd, startErlNode, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';

const EXAMPLES = join(ROOT, 'examples');

/** kvs.beam for the erl nodes, compiled from the same examples/kvs.erl terl loads, and funmod, which terl never has. */
function kvsBeamDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'terl-dist-erl-'));
  execFileSync('erlc', ['-o', dir, join(EXAMPLES, 'kvs.erl')]);
  writeFileSync(join(dir, 'funmod.erl'), '-module(funmod).\n-export([make/0]).\nmake() -> fun() -> ok end.\n');
  execFileSync('erlc', ['-o', dir, join(dir, 'funmod.erl')]);
  return dir;
}

afterAll(stopAll);

if (!HAVE_ERL) console.warn('test/interop/dist_erl.test.ts: skipped, `erl` is not installed (CI installs it)');

const PID = /<\d+\.\d+\.0>/;

describe.skipIf(!HAVE_ERL)('terl and erl, registered with real epmd', () => {
  let epmd: Epmd;
  let beams: string;
  let e: Shell; // erl, stays up
  let t: Shell; // terl, stays up
  let e2: Shell; // erl, dies during the test
  let t2: Shell; // terl, dies during the test
  const [E, T, E2, T2] = ['erl', 'terl', 'erlb', 'terlb'].map((n) => `${n}${uniq()}`);
  const [EN, TN, E2N, T2N] = [E, T, E2, T2].map((n) => `${n}@${HOST}`);

  beforeAll(async () => {
    epmd = await startEpmd('erl');
    beams = kvsBeamDir();
    [e, t, e2, t2] = await Promise.all([
      startErlNode({ name: E, cookie: 'kvs', epmd, cwd: beams }),
      startTerlNode({ name: T, cookie: 'kvs', epmd, cwd: EXAMPLES }),
      startErlNode({ name: E2, cookie: 'kvs', epmd, cwd: beams }),
      startTerlNode({ name: T2, cookie: 'kvs', epmd, cwd: EXAMPLES }),
    ]);
    expect(await e.eval('kvs:start().')).toBe('true');
    expect(await t.eval('kvs:start().')).toBe('true');
  });

  test('terl is registered with real epmd', () => {
    const names = execFileSync('epmd', ['-names'], { env: { ...process.env, ...epmd.env } }).toString();
    expect(names).toMatch(new RegExp(`^name ${T} at port \\d+$`, 'm'));
  });

  test('net_adm:ping both ways; nodes() on both sides', async () => {
    expect(await t.eval(`net_adm:ping(${EN}).`)).toBe('pong');
    expect(await e.eval(`net_adm:ping(${TN}).`)).toBe('pong');
    expect(await t.eval(`lists:member(${EN}, nodes()).`)).toBe('true');
    expect(await e.eval(`lists:member(${TN}, nodes()).`)).toBe('true');
  });

  test("rpc:call into each other's kvs", async () => {
    expect(await t.eval(`rpc:call(${EN}, kvs, store, [weather, fine]).`)).toBe('true');
    expect(await t.eval(`rpc:call(${EN}, kvs, lookup, [weather]).`)).toBe('{ok,fine}');
    expect(await e.eval('kvs:lookup(weather).')).toBe('{ok,fine}');
    expect(await e.eval(`rpc:call(${TN}, kvs, store, [sky, blue]).`)).toBe('true');
    expect(await e.eval(`rpc:call(${TN}, kvs, lookup, [sky]).`)).toBe('{ok,blue}');
    expect(await t.eval('kvs:lookup(sky).')).toBe('{ok,blue}');
  });

  test('{badrpc, ...} for an exception and for undef, both ways', async () => {
    for (const [sh, other] of [
      [t, EN],
      [e, TN],
    ] as const) {
      expect(await sh.eval(`rpc:call(${other}, erlang, error, [boom]).`)).toBe("{badrpc,{'EXIT',{boom,[{erlang,error,[boom],[]}]}}}");
      expect(await sh.eval(`rpc:call(${other}, nomod, nofun, [1]).`)).toBe("{badrpc,{'EXIT',{undef,[{nomod,nofun,[1],[]}]}}}");
      expect(await sh.eval(`rpc:call(${other}, erlang, exit, [bye]).`)).toBe("{badrpc,{'EXIT',bye}}");
    }
  });

  test('{kvs, Node} ! Msg both ways', async () => {
    await t.eval(`{kvs, ${EN}} ! {self(), {lookup, weather}}.`);
    expect(await t.eval('receive {kvs, R1} -> R1 after 5000 -> none end.')).toBe('{ok,fine}');
    await e.eval(`{kvs, ${TN}} ! {self(), {lookup, sky}}.`);
    expect(await e.eval('receive {kvs, R1} -> R1 after 5000 -> none end.')).toBe('{ok,blue}');
  });

  test('spawn/4 both ways', async () => {
    await t.eval('Me = self().');
    expect(await t.eval(`spawn(${EN}, erlang, send, [Me, {hello, from_erl}]).`)).toMatch(PID);
    expect(await t.eval('receive {hello, W1} -> W1 after 5000 -> none end.')).toBe('from_erl');
    await e.eval('Me = self().');
    expect(await e.eval(`spawn(${TN}, erlang, send, [Me, {hello, from_terl}]).`)).toMatch(PID);
    expect(await e.eval('receive {hello, W1} -> W1 after 5000 -> none end.')).toBe('from_terl');
  });

  test('aliases both ways (ALIAS_SEND)', async () => {
    await e.eval('Al = alias().');
    expect(await e.eval(`rpc:call(${TN}, erlang, send, [Al, via_alias]).`)).toBe('via_alias');
    expect(await e.eval('receive via_alias -> got after 5000 -> none end.')).toBe('got');
    await t.eval('Al = alias().');
    expect(await t.eval(`rpc:call(${EN}, erlang, send, [Al, via_alias]).`)).toBe('via_alias');
    expect(await t.eval('receive via_alias -> got after 5000 -> none end.')).toBe('got');
    // an alias no longer active drops the message
    expect(await t.eval('unalias(Al).')).toBe('true');
    expect(await t.eval(`rpc:call(${EN}, erlang, send, [Al, late]).`)).toBe('late');
    expect(await t.eval('receive late -> got after 300 -> none end.')).toBe('none');
  });

  test("remote io:format prints on the caller's side, both ways", async () => {
    expect(await t.eval(`rpc:call(${EN}, io, format, ["printed by erl ~p~n", [x]]).`)).toBe('printed by erl x\nok');
    expect(await e.eval(`rpc:call(${TN}, io, format, ["printed by terl ~p~n", [y]]).`)).toBe('printed by terl y\nok');
    expect(e.out).not.toContain('printed by erl');
    expect(t.out).not.toContain('printed by terl');
  });

  test("spawn(Node, M, F, A) where Node lacks M: the undef report prints on the caller's shell", async () => {
    // the report can print before the shell's answer: the pid is the line that is only a pid
    const [, n, id] = /^<(\d+)\.(\d+)\.0>$/m.exec(await e.eval(`spawn(${TN}, nomod, f, [1]).`))!;
    await e.waitFor(`Error in process <${n}.${id}.0> on node ${TN} with exit value:\n{undef,[{nomod,f,[1],[]}]}\n\n`);
    const [, n2, id2] = /^<(\d+)\.(\d+)\.0>$/m.exec(await t.eval(`spawn(${EN}, nomod, f, [2]).`))!;
    await t.waitFor(`Error in process <${n2}.${id2}.0> on node ${EN} with exit value:\n{undef,[{nomod,f,[2],[]}]}\n\n`);
    expect(t.out).toMatch(REPORT_HEADER);
  });

  test('shell funs travel as erl_eval closures and run on the other side, both ways', async () => {
    await e.eval('Y = 5.');
    expect(await e.eval(`erpc:call(${TN}, fun() -> {node(), Y} end).`)).toBe(`{${TN},5}`);
    expect(await e.eval(`rpc:call(${TN}, lists, map, [fun(Z) -> Z * Y end, [1,2,3]]).`)).toBe('[5,10,15]');
    expect(await e.eval(`rpc:call(${TN}, erlang, apply, [fun F(0) -> 1; F(K) -> K * F(K - 1) end, [5]]).`)).toBe('120');
    await e.eval('Me2 = self().');
    await e.eval(`spawn(${TN}, fun() -> Me2 ! {ran, node(), Y * 3} end).`);
    expect(await e.eval('receive {ran, _, _} = Ran -> Ran after 5000 -> none end.')).toBe(`{ran,${TN},15}`);
    await t.eval('X = 21.');
    expect(await t.eval(`erpc:call(${EN}, fun() -> {node(), X + 1} end).`)).toBe(`{${EN},22}`);
    expect(await t.eval(`rpc:call(${EN}, lists, map, [fun(A) -> A + X end, [1,2,3]]).`)).toBe('[22,23,24]');
    expect(await t.eval(`rpc:call(${EN}, erlang, apply, [fun G(0) -> 1; G(K) -> K * G(K - 1) end, [10]]).`)).toBe('3628800');
    await t.eval('Me2 = self().');
    await t.eval(`spawn(${EN}, fun() -> Me2 ! {ran, node(), X * 2} end).`);
    expect(await t.eval('receive {ran, _, _} = Ran -> Ran after 5000 -> none end.')).toBe(`{ran,${EN},42}`);
  });

  test("a fun of a module terl does not have fails cleanly with OTP's undef, no hang, the connection stays", async () => {
    await e.eval(`spawn(${TN}, funmod:make()).`);
    await e.waitFor(new RegExp(`on node ${TN} with exit value:\\n\\{undef,\\[\\{#Fun<funmod\\.0\\.\\d+>,\\[\\],\\[\\]\\}`));
    expect(await e.eval(`catch erpc:call(${TN}, funmod:make(), 5000).`)).toMatch(/^\{'EXIT',\{\{exception,undef,\s*\[\{#Fun<funmod\.0\./);
    expect(await e.eval(`lists:member(${TN}, nodes()).`)).toBe('true');
  });

  test('global:sync() returns on both sides; names registered on either side are seen on the other', async () => {
    expect(await e.eval('global:sync().')).toBe('ok');
    expect(await t.eval('global:sync().')).toBe('ok');
    expect(await t.eval(`global:register_name(tname${T}, self()).`)).toBe('yes');
    expect(await e.eval(`node(global:whereis_name(tname${T})).`)).toBe(TN);
    expect(await e.eval(`global:register_name(ename${E}, self()).`)).toBe('yes');
    expect(await t.eval(`node(global:whereis_name(ename${E})).`)).toBe(EN);
    await e.eval(`global:send(tname${T}, via_global).`);
    expect(await t.eval('receive via_global -> got after 5000 -> none end.')).toBe('got');
    await t.eval(`global:send(ename${E}, via_global).`);
    expect(await e.eval('receive via_global -> got after 5000 -> none end.')).toBe('got');
    expect(await t.eval(`lists:member(ename${E}, global:registered_names()).`)).toBe('true');
  });

  test('links, monitors and monitor_node across, broken with noconnection when the other side dies', async () => {
    expect(await t.eval(`net_adm:ping(${E2N}).`)).toBe('pong');
    expect(await e.eval(`net_adm:ping(${T2N}).`)).toBe('pong');
    // terl watches a process on the erl node that will die
    await t.eval('process_flag(trap_exit, true).');
    await t.eval(`L = spawn_link(${E2N}, timer, sleep, [infinity]).`);
    await t.eval('M = erlang:monitor(process, L).');
    await t.eval(`monitor_node(${E2N}, true).`);
    // erl watches a process on the terl node that will die
    await e.eval('process_flag(trap_exit, true).');
    await e.eval(`L = spawn_link(${T2N}, timer, sleep, [infinity]).`);
    await e.eval('M = erlang:monitor(process, L).');
    await e.eval(`monitor_node(${T2N}, true).`);
    await Promise.all([e2.stop(), t2.stop()]);
    expect(await t.eval("receive {'EXIT', L, X1} -> X1 after 10000 -> none end.")).toBe('noconnection');
    expect(await t.eval("receive {'DOWN', M, process, L, X2} -> X2 after 10000 -> none end.")).toBe('noconnection');
    expect(await t.eval('receive {nodedown, N1} -> N1 after 10000 -> none end.')).toBe(E2N);
    expect(await e.eval("receive {'EXIT', L, X1} -> X1 after 10000 -> none end.")).toBe('noconnection');
    expect(await e.eval("receive {'DOWN', M, process, L, X2} -> X2 after 10000 -> none end.")).toBe('noconnection');
    expect(await e.eval('receive {nodedown, N1} -> N1 after 10000 -> none end.')).toBe(T2N);
    expect(await t.eval(`lists:member(${E2N}, nodes()).`)).toBe('false');
  });

  test('a link from erl to terl: exit/2 and the linked process dying', async () => {
    await e.eval('process_flag(trap_exit, true).');
    await e.eval(`L3 = spawn_link(${TN}, timer, sleep, [100]).`);
    expect(await e.eval("receive {'EXIT', L3, X3} -> X3 after 5000 -> none end.")).toBe('normal');
    await e.eval(`L4 = spawn_link(${TN}, timer, sleep, [infinity]).`);
    await e.eval('exit(L4, stop_now).');
    expect(await e.eval("receive {'EXIT', L4, X4} -> X4 after 5000 -> none end.")).toBe('stop_now');
    await e.eval(`{P5, M5} = spawn_monitor(${TN}, erlang, exit, [gone]).`);
    expect(await e.eval("receive {'DOWN', M5, process, P5, X5} -> X5 after 5000 -> none end.")).toBe('gone');
  });

  test('a wrong cookie: pang and {badrpc,nodedown}; the accepting side prints the report, on each side', async () => {
    const W = `wrong${uniq()}`;
    const WN = `${W}@${HOST}`;
    const w = await startErlNode({ name: W, cookie: 'nope', epmd });
    // erl with the wrong cookie calls terl: terl reports
    expect(await w.eval(`net_adm:ping(${TN}).`)).toBe('pang');
    expect(await w.eval(`rpc:call(${TN}, erlang, node, []).`)).toBe('{badrpc,nodedown}');
    // one report for each attempt (the ping's and the call's), both printed before terl is asked anything
    const rejected = `${REPORT_HEADER.source}\\n\\*\\* Connection attempt from node ${WN} rejected\\. Invalid challenge reply\\. \\*\\*\\n\\n`;
    await t.waitFor(new RegExp(`${rejected}[\\s\\S]*${rejected}`));
    // terl calls erl with the wrong cookie: erl reports it in the same words
    expect(await t.eval(`net_adm:ping(${WN}).`)).toBe('pang');
    expect(await t.eval(`rpc:call(${WN}, erlang, node, []).`)).toBe('{badrpc,nodedown}');
    await w.waitFor(new RegExp(`${REPORT_HEADER.source}\\n\\*\\* Connection attempt from node ${TN} rejected\\. Invalid challenge reply\\. \\*\\*\\n\\n`));
    await w.stop();
  });
});

describe.skipIf(!HAVE_ERL)("real erl registered with terl's port mapper", () => {
  test('erl and terl find each other through it', async () => {
    const epmd = await startEpmd('terl');
    const [E, T] = [`erlp${uniq()}`, `terlp${uniq()}`];
    const [e, t] = await Promise.all([startErlNode({ name: E, cookie: 'p', epmd }), startTerlNode({ name: T, cookie: 'p', epmd })]);
    expect(await t.eval('net_adm:names().')).toMatch(new RegExp(`\\{"${E}",\\d+\\}`));
    expect(await e.eval('net_adm:names().')).toMatch(new RegExp(`\\{"${T}",\\d+\\}`));
    expect(await e.eval(`net_adm:ping(${T}@${HOST}).`)).toBe('pong');
    expect(await t.eval(`rpc:call(${E}@${HOST}, erlang, node, []).`)).toBe(`${E}@${HOST}`);
  });
});

describe.skipIf(!HAVE_ERL)('global across three nodes', () => {
  test('terl joins two connected erl nodes: the mesh forms, global:sync() returns everywhere, names are seen by all', async () => {
    const epmd = await startEpmd('erl');
    const [E1, E2, T] = [`erlm${uniq()}`, `erln${uniq()}`, `terlm${uniq()}`];
    const [e1, e2, t] = await Promise.all([
      startErlNode({ name: E1, cookie: 'g', epmd }),
      startErlNode({ name: E2, cookie: 'g', epmd }),
      startTerlNode({ name: T, cookie: 'g', epmd }),
    ]);
    const [E1N, E2N, TN] = [E1, E2, T].map((n) => `${n}@${HOST}`);
    expect(await e1.eval(`net_adm:ping(${E2N}).`)).toBe('pong');
    expect(await e1.eval('global:sync().')).toBe('ok');
    // terl meets only the first; global's connect_all mesh brings the second
    expect(await t.eval(`net_adm:ping(${E1N}).`)).toBe('pong');
    expect(await t.eval('global:sync().')).toBe('ok');
    // (global's mesh connects in the background: give it time on a loaded machine)
    let seen = '';
    for (const until = Date.now() + 15000; seen !== 'true' && Date.now() < until; ) {
      seen = await e2.eval(`lists:member(${TN}, nodes()).`);
      if (seen !== 'true') await new Promise((r) => setTimeout(r, 100));
    }
    if (seen !== 'true') {
      const why = await Promise.all([e1.eval('nodes().'), e2.eval('nodes().'), t.eval('nodes().')]);
      expect(seen, `nodes() on ${E1N}, ${E2N}, ${TN}: ${why.join(' ')}\n${E2N} said:\n${e2.out}\n${TN} said:\n${t.out}`).toBe('true');
    }
    expect(await e2.eval('global:sync().')).toBe('ok');
    expect(await t.eval('global:sync().')).toBe('ok');
    expect(await t.eval(`global:register_name(tm${T}, self()).`)).toBe('yes');
    expect(await e1.eval(`node(global:whereis_name(tm${T})).`)).toBe(TN);
    expect(await e2.eval(`node(global:whereis_name(tm${T})).`)).toBe(TN);
    expect(await e2.eval(`global:register_name(em${E2}, self()).`)).toBe('yes');
    expect(await t.eval(`node(global:whereis_name(em${E2})).`)).toBe(E2N);
    expect(await t.eval(`global:unregister_name(tm${T}).`)).toBe('ok');
    expect(await e2.eval(`global:whereis_name(tm${T}).`)).toBe('undefined');
  });
});

describe.skipIf(!HAVE_ERL)('a hidden terl node and rex', () => {
  test('erl sees it only in nodes(hidden), global:sync() on erl returns at once, rex answers rpc:block_call', async () => {
    const epmd = await startEpmd('erl');
    const [E, T] = [`erlh${uniq()}`, `terlh${uniq()}`];
    const [e, t] = await Promise.all([startErlNode({ name: E, cookie: 'h', epmd }), startTerlNode({ name: T, cookie: 'h', epmd, args: ['-hidden'] })]);
    const [EN, TN] = [`${E}@${HOST}`, `${T}@${HOST}`];
    expect(await t.eval(`net_adm:ping(${EN}).`)).toBe('pong');
    expect(await e.eval('nodes().')).toBe('[]');
    expect(await e.eval('nodes(hidden).')).toBe(`[${TN}]`);
    expect(await t.eval('nodes(hidden).')).toBe(`[${EN}]`);
    expect(await e.eval('global:sync().')).toBe('ok');
    expect(await e.eval(`rpc:block_call(${TN}, lists, reverse, [[1,2,3]]).`)).toBe('[3,2,1]');
    expect(await e.eval(`gen_server:call({rex, ${TN}}, {call, erlang, node, [], user}).`)).toBe(TN);
    expect(await t.eval(`rpc:call(${EN}, erlang, node, []).`)).toBe(EN);
  });
});

describe.skipIf(!HAVE_ERL)('ticks', () => {
  test('an idle connection outlives net_ticktime on both sides', async () => {
    const epmd = await startEpmd('erl');
    const [E, T] = [`erlt${uniq()}`, `terlt${uniq()}`];
    const tick = ['-kernel', 'net_ticktime', '3'];
    const [e, t] = await Promise.all([
      startErlNode({ name: E, cookie: 't', epmd, args: tick }),
      startTerlNode({ name: T, cookie: 't', epmd, args: tick }),
    ]);
    expect(await t.eval(`net_adm:ping(${E}@${HOST}).`)).toBe('pong');
    // nothing but ticks for twice net_ticktime
    await new Promise((r) => setTimeout(r, 6500));
    expect(await e.eval('nodes().')).toBe(`[${T}@${HOST}]`);
    expect(await t.eval('nodes().')).toBe(`[${E}@${HOST}]`);
    expect(e.out).not.toContain('not responding');
    expect(t.out).not.toContain('not responding');
    // and when the other side stops answering, the silent peer is dropped after about net_ticktime
    e.child.kill('SIGSTOP');
    try {
      await t.waitFor(`** Node ${E}@${HOST} not responding **\n** Removing (timedout) connection **\n`, 12000);
      expect(await t.eval('nodes().')).toBe('[]');
    } finally {
      e.child.kill('SIGCONT');
    }
  }, 40000);
});
