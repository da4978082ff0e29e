// wire/0,1 with a real erl peer on real epmd (own ERL_EPMD_PORT): terl's view of erl's ping and of
// an rpc:call to erl, both ways of the handshake (we dial; erl dials us), the terms decoded.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_ERL, HOST, Shell, startEpmd, startErlNode, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';
import { PID, REF, esc, rejectedPing } from '../helpers/wire.js';

afterAll(stopAll);

if (!HAVE_ERL) console.warn('test/interop/wire_erl.test.ts: skipped, `erl` is not installed');


describe.skipIf(!HAVE_ERL)('the wire view with a real erl peer', { timeout: 60000 }, () => {
  let epmd: Epmd;
  let e: Shell;
  let t: Shell;
  const id = uniq();
  const EN = `werl${id}@${HOST}`;
  const TN = `wterl${id}@${HOST}`;

  beforeAll(async () => {
    epmd = await startEpmd('erl');
    [e, t] = await Promise.all([startErlNode({ name: `werl${id}`, cookie: 'c', epmd }), startTerlNode({ name: `wterl${id}`, cookie: 'c', epmd })]);
  }, 60000);

  it('shows erl dialling us: the acceptor steps, its ping (a $gen_call to net_kernel) and our answer', async () => {
    expect(await t.eval('wire().')).toBe('ok');
    expect(await e.eval(`net_adm:ping('${TN}').`)).toBe('pong');
    await t.waitFor(`${TN} → ${EN}  SEND_SENDER`);
    const lines = t.out.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        // (after the prompt: in plain mode the line comes while the shell waits for input)
        expect.stringMatching(new RegExp(`${esc(EN)} → ${esc(TN)}  recv_name  ${esc(EN)} version 6$`)),
        `${TN} → ${EN}  send_status  ok`,
        expect.stringMatching(new RegExp(`^${esc(TN)} → ${esc(EN)}  send_challenge  challenge \\d+$`)),
        `${EN} → ${TN}  recv_challenge_reply  digest ok`,
        `${TN} → ${EN}  send_challenge_ack  digest`,
        // net_adm:ping is gen:call({net_kernel, Node}, '$gen_call', {is_auth, Node}) in erl's own terms
        expect.stringMatching(new RegExp(`^${esc(EN)} → ${esc(TN)}  REG_SEND net_kernel  \\{'\\$gen_call',\\{${PID},\\[alias\\|${REF}\\]\\},\\{is_auth,${esc(EN)}\\}\\}$`)),
        expect.stringMatching(new RegExp(`^${esc(TN)} → ${esc(EN)}  (SEND_SENDER|ALIAS_SEND) (${PID}|${REF})  \\{\\[alias\\|${REF}\\],yes\\}$`)),
      ]),
    );
  });

  it('decodes our rpc:call to erl and erl\'s reply', async () => {
    const out = await t.eval(`rpc:call('${EN}', erlang, node, []).`);
    expect(out).toMatch(new RegExp(`^${esc(TN)} → ${esc(EN)}  SPAWN_REQUEST ${REF} ${PID} ${PID} \\{erpc,execute_call,4\\} \\[monitor\\]  \\[${REF},erlang,node,\\[\\]\\]$`, 'm'));
    expect(out).toMatch(new RegExp(`^${esc(EN)} → ${esc(TN)}  SPAWN_REPLY ${REF} ${PID} \\d+ ${PID}$`, 'm'));
    expect(out).toMatch(new RegExp(`^${esc(EN)} → ${esc(TN)}  PAYLOAD_MONITOR_P_EXIT ${PID} ${PID} ${REF}  \\{${REF},return,${esc(EN)}\\}$`, 'm'));
    expect(out.split('\n').at(-1)).toBe(EN);
  });

  it('shows where our handshake with erl failed when the cookies differ', async () => {
    expect(await t.eval('wire([{kind,handshake}]).')).toBe('ok');
    const out = await t.eval(`erlang:disconnect_node('${EN}'), erlang:set_cookie('${EN}', other), net_adm:ping('${EN}').`);
    expect(out.split('\n')).toEqual(rejectedPing(TN, EN));
    expect(await t.eval('wire(off).')).toBe('ok');
  });
});
