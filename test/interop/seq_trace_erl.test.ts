// seq_trace between terl and a real OTP 25 erl node, both ways: a process with a token sends to
// the other node's echo and gets the reply, and an rpc:call (a SPAWN_REQUEST of
// erpc:execute_call/4). Each node's system tracer sees its side of the flow with the same label
// and serials that go on counting across the wire, as between two erl nodes.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HAVE_ERL, HOST, Shell, startEpmd, startErlNode, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';
import { expectEchoFlow, expectRpcFlow, flow, setUpTracing, traced, traces } from '../helpers/seq_trace_nodes.js';

afterAll(stopAll);

if (!HAVE_ERL) console.warn('test/interop/seq_trace_erl.test.ts: skipped, `erl` is not installed (CI installs it)');

describe.skipIf(!HAVE_ERL)('seq_trace between terl and erl', () => {
  let epmd: Epmd;
  let t: Shell;
  let e: Shell;
  const [T, E] = [`stterl${uniq()}`, `sterl${uniq()}`];
  const [TN, EN] = [T, E].map((n) => `${n}@${HOST}`);

  beforeAll(async () => {
    epmd = await startEpmd('erl');
    [t, e] = await Promise.all([startTerlNode({ name: T, cookie: 'seq', epmd }), startErlNode({ name: E, cookie: 'seq', epmd })]);
    await setUpTracing(t);
    await setUpTracing(e);
    expect(await t.eval(`net_adm:ping(${EN}).`)).toBe('pong');
  });

  // the echo on each side keeps its token from one exchange to the next, so each test's flow goes
  // to the node that has not echoed yet, or counts on from what the echo had
  test("terl's token goes to erl's echo and comes back with its reply", async () => {
    await expectEchoFlow(t, e, `{echo,${EN}}`, 'hello', 2);
  });

  test("erl's token goes to terl's echo and comes back with its reply", async () => {
    await expectEchoFlow(e, t, `{echo,${TN}}`, 'hello', 2);
  });

  for (const dir of ['terl to erl', 'erl to terl'] as const) {
    test(`a reply to an alias from ${dir}'s echo: ALIAS_SEND_TT`, async () => {
      const [from, to, toName] = dir === 'terl to erl' ? [t, e, EN] : [e, t, TN];
      expect(await traced(from, `Al = alias(), {echo, ${toName}} ! {Al, hi}, receive {echoed, M} -> M end`)).toMatch(flow('{$LC,hi}\nok'));
      // the echo had counted to 2 in the test before
      expect(await traces(from)).toMatch(
        flow(`[{seq_trace,17,{send,{0,1},$LC,{echo,${toName}},{$RA,hi}}},{seq_trace,17,{'receive',{1,3},$E,$LC,{echoed,hi}}}]\nok`),
      );
      expect(await traces(to)).toMatch(
        flow(`[{seq_trace,17,{'receive',{0,1},$C,$LE,{$RA,hi}}},{seq_trace,17,{send,{1,3},$LE,$RA,{echoed,hi}}}]\nok`),
      );
    });
  }

  for (const dir of ['terl to erl', 'erl to terl'] as const) {
    test(`rpc:call from ${dir}: the spawn request in two steps, the new process's reply and arguments`, async () => {
      const [from, to, toName] = dir === 'terl to erl' ? [t, e, EN] : [e, t, TN];
      await expectRpcFlow(from, to, toName);
    });

    test(`spawn/4 from ${dir}: the spawn_reply it waits for carries the token back (SPAWN_REPLY_TT)`, async () => {
      const [from, to, toName] = dir === 'terl to erl' ? [t, e, EN] : [e, t, TN];
      expect(await traced(from, `is_pid(spawn(${toName}, erlang, node, []))`)).toMatch(flow('{$LC,true}\nok'));
      expect(await traces(from)).toMatch(
        flow(
          `[{seq_trace,17,{send,{0,1},$LC,${toName},{spawn_request,$R1,$LC,$LG,{erlang,node,0},[]}}},` +
            `{seq_trace,17,{send,{0,2},$LC,${toName},[]}},` +
            `{seq_trace,17,{'receive',{1,2},$P,$LC,{spawn_reply,$R1,ok,$P}}}]\nok`,
        ),
      );
      expect(await traces(to)).toMatch(
        flow(
          `[{seq_trace,17,{'receive',{0,1},$C,$LP,{spawn_request,$R1,$C,$G,{erlang,node,0},[]}}},` +
            `{seq_trace,17,{send,{1,2},$LP,$C,{spawn_reply,$R1,ok,$LP}}},` +
            `{seq_trace,17,{'receive',{0,2},$C,$LP,[]}}]\nok`,
        ),
      );
    });
  }
});
