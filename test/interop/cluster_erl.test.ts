// cluster/0 with real erl nodes on real epmd (own ERL_EPMD_PORT): terl asks a connected erl node
// whom it is connected to, shows the erl node met that way without dialling it, and gives each node
// the port erl's own net_adm:names() lists. (-connect_all false everywhere: no connection is made
// but those typed.)

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_ERL, HOST, startEpmd, startErlNode, startTerlNode, stopAll, uniq, type Epmd, type Shell } from '../helpers/dist_nodes.js';

const id = uniq();
const [EN, E2N, TN] = [`cerla${id}@${HOST}`, `cerlb${id}@${HOST}`, `cterl${id}@${HOST}`];
let epmd: Epmd;
/** two erl nodes and a terl node */
let [e, e2, t]: Shell[] = [];

afterAll(stopAll);

describe.skipIf(!HAVE_ERL)(`cluster() with real erl nodes${HAVE_ERL ? '' : ' (skipped: erl is not installed)'}`, { timeout: 60000 }, () => {
  beforeAll(async () => {
    epmd = await startEpmd('erl');
    const args = ['-connect_all', 'false'];
    [e, e2, t] = await Promise.all([
      startErlNode({ name: `cerla${id}`, cookie: 'c', epmd, args }),
      startErlNode({ name: `cerlb${id}`, cookie: 'c', epmd, args }),
      startTerlNode({ name: `cterl${id}`, cookie: 'c', epmd, args }),
    ]);
  }, 60000);

  /** The ports erl's net_adm:names() gives, by node name. */
  async function erlPorts(): Promise<Map<string, string>> {
    const out = await e.eval('{ok, Names} = net_adm:names(), [io:format("~s ~w~n", [N, P]) || {N, P} <- Names], ok.');
    return new Map([...out.matchAll(/^(\S+) (\d+)$/gm)].map((m) => [`${m[1]}@${HOST}`, m[2]!]));
  }

  it('names the erl nodes with the ports erl lists, a connected one with its own connections, the one met through it undialled', async () => {
    expect(await e.eval(`net_adm:ping('${E2N}').`)).toBe('pong');
    expect(await t.eval(`net_adm:ping('${EN}').`)).toBe('pong');
    const p = await erlPorts();
    expect(p.size).toBe(3);
    const lines = (await t.eval('cluster().')).split('\n');
    expect(lines.pop()).toBe('ok');
    expect(lines[0]).toMatch(/^node +port +status +connected to$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/))).toEqual([
      [TN, p.get(TN), 'this node', EN],
      [EN, p.get(EN), 'connected', `${E2N}, ${TN}`],
      [E2N, p.get(E2N), 'not connected', `${EN}; others not asked`],
    ]);
    // nobody was dialled: erl's second node still knows only the first
    expect(await e2.eval('nodes().')).toBe(`[${EN}]`);
    expect(await t.eval('nodes().')).toBe(`[${EN}]`);
  });

  it('an erl node that is only registered shows as not connected; a disconnected one too', async () => {
    expect(await t.eval(`erlang:disconnect_node('${EN}').`)).toBe('true');
    const p = await erlPorts();
    const rows = (await t.eval('cluster().')).split('\n').slice(1, -1).map((l) => l.split(/ {2,}/));
    expect(rows).toEqual([
      [TN, p.get(TN), 'this node', 'none'],
      [EN, p.get(EN), 'not connected', 'not asked'],
      [E2N, p.get(E2N), 'not connected', 'not asked'],
    ]);
  });
});
