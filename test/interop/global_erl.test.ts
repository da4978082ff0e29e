// global between terl and real OTP 25 nodes: the mesh that known-node exchange builds (x and y
// connected, z pings y: every node lists the other two, whichever of them are terl), -connect_all
// false, names and locks across, a name registered in two partitions resolved by random_exit_name
// when they meet, and a halting node dropped by the others.

import { afterAll, describe, expect, test } from 'vitest';
import { HAVE_ERL, HOST, Shell, startEpmd, startErlNode, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd, NodeOptions } from '../helpers/dist_nodes.js';

afterAll(stopAll);

if (!HAVE_ERL) console.warn('test/interop/global_erl.test.ts: skipped, `erl` is not installed (CI installs it)');

type Kind = 'erl' | 'terl';

function start(kind: Kind, o: NodeOptions): Promise<Shell> {
  return kind === 'erl' ? startErlNode(o) : startTerlNode(o);
}

/** Three nodes x, y, z of these kinds, named so that x < y < z. */
async function three(epmd: Epmd, kinds: [Kind, Kind, Kind], zArgs: string[] = []): Promise<{ sh: Shell[]; names: string[] }> {
  const u = uniq();
  const alive = ['gx', 'gy', 'gz'].map((n) => `${n}${u}`);
  const sh = await Promise.all(kinds.map((k, i) => start(k, { name: alive[i], cookie: 'glob', epmd, args: i === 2 ? zArgs : [] })));
  return { sh, names: alive.map((n) => `${n}@${HOST}`) };
}

const sorted = (ns: string[]): string => `[${[...ns].sort().join(',')}]`;

describe.skipIf(!HAVE_ERL)('the mesh: x and y connected, z pings y', () => {
  let epmd: Epmd;
  const combos: [Kind, Kind, Kind][] = [
    ['erl', 'terl', 'erl'],
    ['terl', 'erl', 'terl'],
    ['terl', 'terl', 'erl'],
    ['erl', 'erl', 'terl'],
  ];
  for (const kinds of combos) {
    test(`${kinds.join(', ')}: nodes() lists the other two everywhere`, async () => {
      epmd ??= await startEpmd('erl');
      const { sh, names } = await three(epmd, kinds);
      const [x, , z] = sh;
      expect(await x.eval(`net_adm:ping('${names[1]}').`)).toBe('pong');
      expect(await x.eval('global:sync().')).toBe('ok');
      expect(await z.eval(`net_adm:ping('${names[1]}').`)).toBe('pong');
      for (const n of sh) expect(await n.eval('global:sync().')).toBe('ok');
      for (let i = 0; i < 3; i++) {
        const others = sorted(names.filter((_, j) => j !== i));
        expect(await sh[i].evalUntil('lists:sort(nodes()).', others)).toBe(others);
      }
      await Promise.all(sh.map((n) => n.stop()));
    });
  }

  test('-connect_all false on z (terl): z knows only y', async () => {
    epmd ??= await startEpmd('erl');
    const { sh, names } = await three(epmd, ['erl', 'erl', 'terl'], ['-connect_all', 'false']);
    const [x, , z] = sh;
    expect(await x.eval(`net_adm:ping('${names[1]}').`)).toBe('pong');
    expect(await z.eval(`net_adm:ping('${names[1]}').`)).toBe('pong');
    expect(await x.eval('global:sync().')).toBe('ok');
    await new Promise((r) => setTimeout(r, 500));
    expect(await z.eval('nodes().')).toBe(`[${names[1]}]`);
    expect(await x.eval('nodes().')).toBe(`[${names[1]}]`);
    await Promise.all(sh.map((n) => n.stop()));
  });
});

describe.skipIf(!HAVE_ERL)('global names and locks between terl and erl', () => {
  test('names: register, whereis, send, registered_names, unregister, both ways', async () => {
    const epmd = await startEpmd('erl');
    const u = uniq();
    const [E, T] = [`gne${u}@${HOST}`, `gnt${u}@${HOST}`];
    const [e, t] = await Promise.all([startErlNode({ name: `gne${u}`, cookie: 'glob', epmd }), startTerlNode({ name: `gnt${u}`, cookie: 'glob', epmd })]);
    expect(await t.eval(`net_adm:ping('${E}').`)).toBe('pong');
    expect(await t.eval('global:sync().')).toBe('ok');
    expect(await t.eval('global:register_name(tn, self()).')).toBe('yes');
    expect(await e.eval('node(global:whereis_name(tn)).')).toBe(T);
    expect(await e.eval('global:register_name(tn, self()).')).toBe('no');
    expect(await e.eval('global:register_name(en, self()).')).toBe('yes');
    expect(await t.eval('node(global:whereis_name(en)).')).toBe(E);
    expect(await t.eval('global:register_name(en, self()).')).toBe('no');
    await e.eval('global:send(tn, {hi, from_erl}).');
    expect(await t.eval('receive {hi, W} -> W after 5000 -> none end.')).toBe('from_erl');
    await t.eval('global:send(en, {hi, from_terl}).');
    expect(await e.eval('receive {hi, W} -> W after 5000 -> none end.')).toBe('from_terl');
    expect(await t.eval('lists:sort(global:registered_names()).')).toBe('[en,tn]');
    expect(await e.eval('lists:sort(global:registered_names()).')).toBe('[en,tn]');
    expect(await t.eval('global:unregister_name(en).')).toBe('ok');
    expect(await e.eval('global:whereis_name(en).')).toBe('undefined');
    expect(await e.eval('global:unregister_name(tn).')).toBe('ok');
    expect(await t.eval('global:whereis_name(tn).')).toBe('undefined');
    await Promise.all([e.stop(), t.stop()]);
  });

  test('locks: set_lock, del_lock and trans across, both ways', async () => {
    const epmd = await startEpmd('erl');
    const u = uniq();
    const E = `gle${u}@${HOST}`;
    const [e, t] = await Promise.all([startErlNode({ name: `gle${u}`, cookie: 'glob', epmd }), startTerlNode({ name: `glt${u}`, cookie: 'glob', epmd })]);
    expect(await t.eval(`net_adm:ping('${E}').`)).toBe('pong');
    expect(await t.eval('global:sync().')).toBe('ok');
    expect(await t.eval('global:set_lock({res, terl}).')).toBe('true');
    expect(await e.eval('global:set_lock({res, erl}, [node() | nodes()], 0).')).toBe('false');
    expect(await e.eval('global:trans({res, erl}, fun() -> ran end, [node() | nodes()], 0).')).toBe('aborted');
    // the same requester may take it again
    expect(await t.eval('global:set_lock({res, terl}, [node() | nodes()], 0).')).toBe('true');
    expect(await t.eval('global:del_lock({res, terl}).')).toBe('true');
    expect(await e.eval('global:set_lock({res, erl}, [node() | nodes()], 0).')).toBe('true');
    expect(await t.eval('global:set_lock({res, terl}, [node() | nodes()], 0).')).toBe('false');
    expect(await t.eval('global:trans({res, terl}, fun() -> ran end, [node() | nodes()], 0).')).toBe('aborted');
    expect(await e.eval('global:del_lock({res, erl}).')).toBe('true');
    expect(await t.eval('global:trans({res, terl}, fun() -> ran end, [node() | nodes()], 0).')).toBe('ran');
    expect(await e.eval('global:trans({res, erl}, fun() -> ran end, [node() | nodes()], 0).')).toBe('ran');
    // a lock goes with the process holding it
    await e.eval('Holder = spawn(fun() -> global:set_lock({res2, h}), receive stop -> ok end end).');
    await new Promise((r) => setTimeout(r, 300));
    expect(await t.eval('global:set_lock({res2, t}, [node() | nodes()], 0).')).toBe('false');
    await e.eval('Holder ! stop.');
    await new Promise((r) => setTimeout(r, 300));
    expect(await t.eval('global:set_lock({res2, t}, [node() | nodes()], 0).')).toBe('true');
    // names still register while no lock is held
    expect(await t.eval('global:del_lock({res2, t}).')).toBe('true');
    expect(await e.eval('global:register_name(after_locks, self()).')).toBe('yes');
    expect(await t.eval('global:register_name(after_locks2, self()).')).toBe('yes');
    await Promise.all([e.stop(), t.stop()]);
  });

  for (const kinds of [
    ['erl', 'terl'],
    ['terl', 'erl'],
  ] as [Kind, Kind][]) {
    test(`a name in two partitions (${kinds.join(' < ')}): random_exit_name keeps the smaller node's process`, async () => {
      const epmd = await startEpmd('erl');
      const u = uniq();
      const [a, b] = await Promise.all([start(kinds[0], { name: `gca${u}`, cookie: 'glob', epmd }), start(kinds[1], { name: `gcb${u}`, cookie: 'glob', epmd })]);
      for (const n of [a, b]) {
        await n.eval('P = spawn(fun() -> receive stop -> ok end end).');
        expect(await n.eval('global:register_name(clash, P).')).toBe('yes');
      }
      expect(await b.eval(`net_adm:ping('gca${u}@${HOST}').`)).toBe('pong');
      for (const n of [a, b]) expect(await n.eval('global:sync().')).toBe('ok');
      await new Promise((r) => setTimeout(r, 500));
      expect(await a.eval('global:whereis_name(clash) =:= P.')).toBe('true');
      expect(await b.eval(`node(global:whereis_name(clash)).`)).toBe(`gca${u}@${HOST}`);
      expect(await a.eval('is_process_alive(P).')).toBe('true');
      expect(await b.eval('is_process_alive(P).')).toBe('false');
      await Promise.all([a.stop(), b.stop()]);
    });
  }

  test('a terl node that halts is dropped by both erl nodes of its partition', async () => {
    const epmd = await startEpmd('erl');
    const { sh, names } = await three(epmd, ['erl', 'erl', 'terl']);
    const [x, y, z] = sh;
    expect(await x.eval(`net_adm:ping('${names[1]}').`)).toBe('pong');
    expect(await z.eval(`net_adm:ping('${names[1]}').`)).toBe('pong');
    expect(await z.eval('global:sync().')).toBe('ok');
    // x hears of z from y's global, in the background
    expect(await x.evalUntil('lists:sort(nodes()).', sorted([names[1], names[2]]))).toBe(sorted([names[1], names[2]]));
    z.send('halt().');
    await z.exited;
    expect(await x.evalUntil('nodes().', `[${names[1]}]`)).toBe(`[${names[1]}]`);
    expect(await y.evalUntil('nodes().', `[${names[0]}]`)).toBe(`[${names[0]}]`);
    expect(await x.eval('global:sync().')).toBe('ok');
    await Promise.all(sh.map((n) => n.stop()));
  });
});
