// cluster/0, terl's shell command that shows the cluster as this node sees it: three terl nodes on a
// port mapper of the test's own (-connect_all false, so each connection is one typed), the table read
// back as it prints, its ports checked against what the port mapper lists; a node that is not
// distributed; and the table on its own (the rows the port mapper's names add, the wrapping).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST, runTerlOnce, startEpmd, startTerlNode, stopAll, uniq, type Epmd, type Shell } from '../../../helpers/dist_nodes.js';
import { names } from '../../../../runtime/distribution/epmd_client.js';
import { glanceRows, glanceTable } from '../../../../runtime/lib/stdlib/shell/cluster_table.js';

const id = uniq();
let epmd: Epmd;
let a: Shell;
let b: Shell;
let c: Shell;
const [A, B, C] = ['a', 'b', 'c'].map((n) => `gl${n}_${id}@${HOST}`) as [string, string, string];

beforeAll(async () => {
  epmd = await startEpmd('terl');
  [a, b, c] = await Promise.all(
    ['a', 'b', 'c'].map((n) => startTerlNode({ name: `gl${n}_${id}`, cookie: 'c', epmd, args: ['-connect_all', 'false'] })),
  );
}, 60000);
afterAll(stopAll);

/** The port mapper's names and ports, as net_adm:names() would list them. */
async function ports(): Promise<Map<string, number>> {
  const r = await names({ port: epmd.port, host: '127.0.0.1' });
  return new Map(r.nodes.map((n) => [`${n.name}@${HOST}`, n.port]));
}

/** The table cluster() printed, row by row (its header first), and what it returned. */
async function cluster(sh: Shell): Promise<{ rows: string[][]; value: string }> {
  const lines = (await sh.eval('cluster().')).split('\n');
  const value = lines.pop()!;
  expect(lines[0]).toMatch(/^node +port +status +connected to$/);
  return { rows: lines.slice(1).map((l) => l.split(/ {2,}/)), value };
}

describe('cluster() on terl nodes', { timeout: 60000 }, () => {
  it('alone: this node and the others the port mapper lists, with their ports, none of them dialled', async () => {
    const p = await ports();
    const { rows, value } = await cluster(a);
    expect(value).toBe('ok');
    expect(rows).toEqual([
      [A, String(p.get(A)), 'this node', 'none'],
      [B, String(p.get(B)), 'not connected', 'not asked'],
      [C, String(p.get(C)), 'not connected', 'not asked'],
    ]);
    // asking dialled nobody
    expect(await a.eval('nodes(connected).')).toBe('[]');
  });

  it('connected: each connected node says whom it is connected to; a node met that way is shown, not dialled', async () => {
    expect(await a.eval(`net_adm:ping('${B}').`)).toBe('pong');
    expect(await b.eval(`net_adm:ping('${C}').`)).toBe('pong');
    const p = await ports();
    const { rows } = await cluster(a);
    expect(rows).toEqual([
      [A, String(p.get(A)), 'this node', B],
      [B, String(p.get(B)), 'connected', `${A}, ${C}`],
      [C, String(p.get(C)), 'not connected', `${B}; others not asked`],
    ]);
    expect(await a.eval('nodes(connected).')).toBe(`[${B}]`);
    // from c: the other way round
    const fromC = await cluster(c);
    expect(fromC.rows[0]).toEqual([C, String(p.get(C)), 'this node', B]);
    expect(fromC.rows[1]).toEqual([B, String(p.get(B)), 'connected', `${A}, ${C}`]);
  });

  it('after disconnect_node/1 and a node halting', async () => {
    expect(await b.eval(`erlang:disconnect_node('${C}').`)).toBe('true');
    c.send('q().');
    await c.exited;
    // the port mapper forgets c once its registration's connection has closed
    let p = await ports();
    for (let i = 0; i < 50 && p.has(C); i++) p = await new Promise((r) => setTimeout(() => void ports().then(r), 100));
    expect(p.has(C)).toBe(false);
    const { rows } = await cluster(b);
    expect(rows).toEqual([
      [B, String(p.get(B)), 'this node', A],
      [A, String(p.get(A)), 'connected', B],
    ]);
  });

  it('a node that is not distributed lists what the port mapper knows', async () => {
    const r = await runTerlOnce([], epmd, 'cluster().\n');
    const p = await ports();
    const lines = r.stdout.split('\n').map((l) => l.replace(/^\d+> /, ''));
    const at = lines.findIndex((l) => l.startsWith('node '));
    expect(lines.slice(at + 1, at + 4).map((l) => l.split(/ {2,}/))).toEqual([
      ['nonode@nohost', '-', 'this node', 'not distributed'],
      [A, String(p.get(A)), 'not connected', 'not asked'],
      [B, String(p.get(B)), 'not connected', 'not asked'],
    ]);
    expect(lines[at + 4]).toBe('ok');
  });

  it('is listed by help()', async () => {
    expect((await a.eval('help().')).split('\n')).toContain('cluster()  -- the nodes known, their ports and who is connected to whom');
  });
});

describe('the glance table', () => {
  it('puts a port mapper\'s name on a known node of this host, or adds it on this host; wraps a long list under its column', () => {
    const rows = glanceRows({
      known: [{ node: 'a@vm', port: 1000, status: 'this node', links: ['z@far', 'b@127.0.0.1', 'c@vm'] }],
      names: [
        { name: 'b', port: 2000 },
        { name: 'd', port: 4000 },
      ],
      host: 'vm',
      machine: 'vm.example.org',
      strangerStatus: 'not connected',
    });
    expect(glanceTable(rows, 56)).toEqual([
      'node         port  status         connected to',
      'a@vm         1000  this node      b@127.0.0.1, c@vm,',
      '                                  z@far',
      'b@127.0.0.1  2000  not connected  a@vm; others not asked',
      'c@vm            -  not connected  a@vm; others not asked',
      'd@vm         4000  not connected  not asked',
      'z@far           -  not connected  a@vm; others not asked',
    ]);
  });
});
