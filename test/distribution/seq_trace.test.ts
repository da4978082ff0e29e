// seq_trace between two terl nodes: the token travels in the _TT control messages, so each node's
// system tracer sees its side of one flow with one label and serials that go on counting: a
// registered send and its reply, and an rpc:call (a SPAWN_REQUEST of erpc:execute_call/4, counted
// as two steps, whose process receives the request, sends its spawn_reply and receives the
// argument list). A peer that sends a token that is not one loses its connection, with a report.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HOST, Shell, startEpmd, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';
import { expectEchoFlow, expectRpcFlow, flow, setUpTracing, traces } from '../helpers/seq_trace_nodes.js';
import { dialHidden } from '../harden/dist_raw.js';
import { frame4 } from '../../runtime/distribution/framing.js';
import { decodeControl, encodeControl } from '../../runtime/vm/etf.js';
import { Pid, Tuple, atom, tuple } from '../../runtime/vm/term.js';

afterAll(stopAll);

describe('seq_trace across two terl nodes', () => {
  let epmd: Epmd;
  let a: Shell;
  let b: Shell;
  const [A, B] = [`sta${uniq()}`, `stb${uniq()}`];
  const [AN, BN] = [A, B].map((n) => `${n}@${HOST}`);

  beforeAll(async () => {
    epmd = await startEpmd('terl');
    [a, b] = await Promise.all([startTerlNode({ name: A, cookie: 'seq', epmd }), startTerlNode({ name: B, cookie: 'seq', epmd })]);
    await setUpTracing(a);
    await setUpTracing(b);
    expect(await a.eval(`net_adm:ping(${BN}).`)).toBe('pong');
  });

  test('{echo, Node} ! Msg and the reply: each tracer sees its side, serials counting on', async () => {
    await expectEchoFlow(a, b, `{echo,${BN}}`, 'hello', 2);
  });

  test('Pid ! Msg to a remote pid (SEND_SENDER_TT): the echo kept its count from the first exchange, max(2, 1) + 1', async () => {
    const e = await a.eval(`rpc:call(${BN}, erlang, whereis, [echo]).`);
    await expectEchoFlow(a, b, e, 'there', 3, `list_to_pid("${e}")`);
  });

  test('rpc:call: the spawn request, its reply and the argument list, on both nodes', async () => {
    await expectRpcFlow(a, b, BN);
  });
});

describe('a trace token from a peer that speaks the protocol by hand', () => {
  let epmd: Epmd;
  let t: Shell;
  const T = `stt${uniq()}`;
  const peer = (): { ME: string; me: Pid } => {
    const ME = `tok${uniq()}@${HOST}`;
    return { ME, me: new Pid(atom(ME), 1, 0, 7) };
  };

  beforeAll(async () => {
    epmd = await startEpmd('terl');
    t = await startTerlNode({ name: T, cookie: 'tok', epmd });
    await setUpTracing(t);
  });

  test("REG_SEND_TT: the receiver takes the token on, the tracer sees the 'receive' with the token's serials", async () => {
    const { ME, me } = peer();
    const link = await dialHidden(epmd, T, ME, 'tok');
    // {Flags = send | 'receive', Label, Serial, From, LastCnt}, as OTP writes it
    link.socket.write(frame4(encodeControl(tuple(16, me, atom(''), atom('echo'), tuple(3, atom('demo'), 41, me, 40)), tuple(me, atom('hi')))));
    while (link.frames.length === 0) await new Promise((r) => setTimeout(r, 20));
    const back = decodeControl(link.frames[0]).control as Tuple;
    // the echo's reply: SEND_SENDER_TT with the token counted on from 41
    expect(back.elements.length).toBe(4);
    expect(back.elements[0]).toBe(23);
    const token = back.elements[3] as Tuple;
    expect([token.elements[0], token.elements[1], token.elements[2], token.elements[4]]).toEqual([3, atom('demo'), 42, 41]);
    expect(await traces(t)).toMatch(
      flow(`[{seq_trace,demo,{'receive',{40,41},$P,$LE,{$P,hi}}},{seq_trace,demo,{send,{41,42},$LE,$P,{echoed,hi}}}]\nok`),
    );
    link.socket.destroy();
  });

  for (const [what, token] of [
    ['an atom', atom('a_trace_token')],
    ['a 3-tuple', tuple(1, 2, 3)],
    ['a negative serial', tuple(3, 0, -1, atom('x'), 0)],
  ] as const) {
    test(`a token that is ${what}: the connection is closed with a report, the node goes on`, async () => {
      const { ME, me } = peer();
      const link = await dialHidden(epmd, T, ME, 'tok');
      link.socket.write(frame4(encodeControl(tuple(16, me, atom(''), atom('echo'), token), tuple(me, atom('hi')))));
      await link.closed;
      const out = await t.waitFor(`** Got invalid data on distribution channel from ${ME}: a malformed seq_trace token`);
      expect(out.slice(out.indexOf(ME))).toContain('** Connection closed **');
      expect(await t.eval('1 + 1.')).toBe('2');
    });
  }
});
