// Issue 19, break 2: what a stranger sends before authenticating. The name in the first handshake
// message must not become an atom (49k made-up names once took a node from 64 MB to 3.1 GB), and a
// name over 255 characters kills the handshake as list_to_atom's system_limit does in erl.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST, REPORT_HEADER, startEpmd, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd, Shell } from '../helpers/dist_nodes.js';
import { distPort, sendName } from './dist_raw.js';

afterAll(stopAll);

const enc = new TextEncoder();

describe('names in the first handshake message', () => {
  let epmd: Epmd;
  let node: Shell;
  let port: number;
  const N = `names${uniq()}`;

  beforeAll(async () => {
    epmd = await startEpmd('terl');
    node = await startTerlNode({ name: N, cookie: 'secret', epmd });
    port = await distPort(epmd, N);
  });

  it('a stranger gets its challenge, and its name is no atom on the node', async () => {
    const tag = uniq();
    for (let i = 0; i < 50; i++) {
      const r = await sendName(port, enc.encode(`stranger${tag}x${i}@${HOST}`));
      // status ok, then the challenge: the handshake went as far as the cookie
      expect(new TextDecoder().decode(r.messages[0])).toBe('sok');
      expect(r.messages[1][0]).toBe(78);
    }
    for (const i of [0, 25, 49]) {
      expect(await node.eval(`catch list_to_existing_atom("stranger${tag}x${i}@${HOST}").`)).toMatch(/^\{'EXIT',\{badarg,/);
    }
  });

  it('two strangers with one name at once: the second gets nok, as a second pending attempt does', async () => {
    const name = enc.encode(`twice${uniq()}@${HOST}`);
    const [a, b] = await Promise.all([sendName(port, name), sendName(port, name, 1)]);
    const statuses = [a, b].map((r) => new TextDecoder().decode(r.messages[0])).sort();
    expect(statuses).toEqual(['snok', 'sok']);
  });

  it('a name over 255 characters: closed at once, and the crash erl logs', async () => {
    const name = `${'a'.repeat(300)}@${HOST}`;
    const r = await sendName(port, enc.encode(name));
    expect(r.closedByNode).toBe(true);
    expect(r.messages).toEqual([]);
    const out = await node.waitFor('recv_name_new');
    const report = out.slice(out.search(REPORT_HEADER)).replace(REPORT_HEADER, 'HEADER').replace(/<0\.\d+\.0>/, '<PID>');
    expect(report).toContain(
      [
        'HEADER',
        `Error in process <PID> on node ${N}@${HOST} with exit value:`,
        '{system_limit,[{erlang,list_to_atom,',
        `                       ["${name}"],`,
        '                       [{error_info,#{module => erl_erts_errors}}]},',
        '               {dist_util,recv_name_new,2,[{file,"dist_util.erl"},{line,748}]},',
        '               {dist_util,handshake_other_started,1,',
        '                          [{file,"dist_util.erl"},{line,208}]}]}',
      ].join('\n'),
    );
  });

  it('names of 255 characters still get their challenge, and the node goes on', async () => {
    const r = await sendName(port, enc.encode(`${'b'.repeat(255 - 1 - HOST.length)}@${HOST}`));
    expect(new TextDecoder().decode(r.messages[0])).toBe('sok');
    expect(await node.eval('1 + 1.')).toBe('2');
  });
});
