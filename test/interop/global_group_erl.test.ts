// global_group on terl against real OTP 25: a node alone prints what erl prints (no groups, groups
// from -kernel global_groups, groups from a -config file), and in a cluster of a terl node and two
// erl nodes in two groups the names cross: terl finds and sends to a name in erl's other group,
// erl finds a name on the terl node, and terl and erl in the same group see each other synced.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAVE_ERL, HOST, Shell, runNode, startEpmd, startErlNode, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';

afterAll(stopAll);

if (!HAVE_ERL) console.warn('test/interop/global_group_erl.test.ts: skipped, `erl` is not installed (CI installs it)');

const show = (...exprs: string[]) => `io:format("${exprs.map(() => '~p~n').join('')}", [${exprs.join(', ')}]), halt().`;

describe.skipIf(!HAVE_ERL)('global_group on one node, as erl', () => {
  let epmd: Epmd;
  let dir: string;
  const [A, B, C] = ['gga', 'ggb', 'ggc'].map((n) => `${n}${uniq()}@${HOST}`);
  const groups = `[{g1,[${A},${B}]},{g2,hidden,[${C}]}]`;

  beforeAll(async () => {
    epmd = await startEpmd('erl');
    dir = mkdtempSync(join(tmpdir(), 'terl-gg-'));
    writeFileSync(join(dir, 'sys.config'), `[{kernel, [{global_groups, ${groups}}]}].\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const same = async (args: string[]) => {
    const erl = await runNode('erl', args, dir, epmd.env);
    const terl = await runNode('terl', args, dir, epmd.env);
    expect(terl).toBe(erl);
    return erl;
  };

  test('no groups configured', async () => {
    const out = await same([
      '-noshell',
      '-eval',
      show(
        'global_group:global_groups()',
        'global_group:own_nodes()',
        'global_group:info()',
        'global_group:sync()',
        'global_group:registered_names({node, node()})',
        'global_group:whereis_name(nope)',
        'global_group:send(nope, hi)',
        'global_group:monitor_nodes(maybe)',
      ),
    ]);
    expect(out).toMatch(/^undefined\n\[nonode@nohost\]\n\[\{state,no_conf\},/);
  }, 60000);

  test('groups from -kernel global_groups', async () => {
    const out = await same([
      '-sname', A.split('@')[0]!, '-kernel', 'global_groups', groups, '-noshell', '-eval',
      'global:register_name(me, self()), ' +
        show(
          'global_group:global_groups()',
          'global_group:own_nodes()',
          'global_group:info()',
          'global_group:registered_names({group, g1})',
          'global_group:whereis_name({group, g1}, me) =:= self()',
          'global_group:send(me, hi) =:= self()',
          'receive hi -> got_hi after 1000 -> none end',
          'global_group:whereis_name({node, node()}, me) =:= self()',
          'global_group:whereis_name({group, no_such_group}, me)',
        ),
    ]);
    expect(out).toContain('{g1,[g2]}\n');
  }, 60000);

  test('groups configured on a node that is not alive: none', async () => {
    const out = await same(['-kernel', 'global_groups', groups, '-noshell', '-eval', show('global_group:global_groups()', 'global_group:info()')]);
    expect(out).toMatch(/^undefined\n/);
  }, 60000);

  test('groups from a -config file', async () => {
    const out = await same(['-sname', C.split('@')[0]!, '-config', 'sys', '-noshell', '-eval', show('global_group:global_groups()', 'global_group:info()')]);
    expect(out).toContain('{g2,[g1]}\n');
  }, 60000);
});

describe.skipIf(!HAVE_ERL)('global_group across terl and erl', () => {
  let epmd: Epmd;
  let a: Shell;
  let b: Shell;
  let c: Shell;
  const [AN, BN, CN] = ['gxa', 'gxb', 'gxc'].map((n) => `${n}${uniq()}`);
  const [A, B, C] = [AN, BN, CN].map((n) => `${n}@${HOST}`);
  const groups = `[{g1,[${A},${B}]},{g2,[${C}]}]`;
  const args = ['-kernel', 'global_groups', groups];

  beforeAll(async () => {
    epmd = await startEpmd('erl');
    [a, b, c] = await Promise.all([
      startTerlNode({ name: AN, cookie: 'gg', epmd, args }),
      startErlNode({ name: BN, cookie: 'gg', epmd, args }),
      startErlNode({ name: CN, cookie: 'gg', epmd, args }),
    ]);
    expect(await c.eval('global:register_name(c_srv, self()).')).toBe('yes');
    expect(await a.eval('global:register_name(a_srv, self()).')).toBe('yes');
  }, 60000);

  test("terl finds, lists and sends to a name in erl's group", async () => {
    expect(await a.eval(`node(global_group:whereis_name({group, g2}, c_srv)).`)).toBe(C);
    expect(await a.eval(`global_group:registered_names({node, ${C}}).`)).toBe('[c_srv]');
    expect(await a.eval(`node(global_group:whereis_name(c_srv)).`)).toBe(C);
    expect(await a.eval(`node(global_group:send({group, g2}, c_srv, hello_from_terl)).`)).toBe(C);
    expect(await c.eval('receive M -> M after 5000 -> none end.')).toBe('hello_from_terl');
    expect(await a.eval(`global_group:send({node, ${C}}, nobody, hi).`)).toBe('{badarg,{nobody,hi}}');
    // connected by the searches, the two groups still keep their global names apart
    expect(await a.eval('global:registered_names().')).toBe('[a_srv]');
    expect(await c.eval('global:registered_names().')).toBe('[c_srv]');
  });

  test('erl finds a name on the terl node', async () => {
    expect(await c.eval(`node(global_group:whereis_name({node, ${A}}, a_srv)).`)).toBe(A);
    expect(await c.eval(`node(global_group:whereis_name({group, g1}, a_srv)).`)).toBe(A);
    expect(await c.eval(`global_group:registered_names({node, ${A}}).`)).toBe('[a_srv]');
    expect(await c.eval(`node(global_group:send({node, ${A}}, a_srv, hello_from_erl)).`)).toBe(A);
    expect(await a.eval('receive M -> M after 5000 -> none end.')).toBe('hello_from_erl');
  });

  test('terl and erl in one group see each other synced', async () => {
    expect(await a.eval(`net_adm:ping(${B}).`)).toBe('pong');
    const synced = async (sh: Shell, other: string) => {
      for (let i = 0; i < 50; i++) {
        if ((await sh.eval('lists:keyfind(synced_nodes, 1, global_group:info()).')) === `{synced_nodes,[${other}]}`) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await sh.eval('global_group:info().')).toBe(`synced with ${other}`);
    };
    await synced(a, B);
    await synced(b, A);
    expect(await a.eval('global_group:sync().')).toBe('ok');
    await synced(a, B);
    await synced(b, A);
    expect(await b.eval('global_group:own_nodes().')).toBe(await a.eval('global_group:own_nodes().'));
  });
});
