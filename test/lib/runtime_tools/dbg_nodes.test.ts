// dbg:n/1 across nodes: the tracer on one node, trace messages of another node's processes
// relayed to it (dbg:do_relay/2 on the traced node, dbg:erlang_trace/3 there for the flags), trace
// patterns set on every traced node. Between two terl nodes, and with real erl on either side, so
// terl's dbg speaks the same functions as OTP's.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HAVE_ERL, HOST, Shell, startEpmd, startErlNode, startTerlNode, stopAll, uniq } from '../../helpers/dist_nodes.js';
import type { Epmd } from '../../helpers/dist_nodes.js';

afterAll(stopAll);

const ECHO = 'register(echo, spawn(fun Loop() -> receive {From, X} -> From ! {echo, lists:seq(1, X)}, Loop() end end)).';
const PID = '<\\d+\\.\\d+\\.\\d+>';

/** On `tracer`: trace `traced`'s echo server (m and c, lists:seq with return_trace), ask it, and see the lines. */
async function traceRemote(tracer: Shell, traced: Shell): Promise<void> {
  const node = traced.node;
  expect(await traced.eval(ECHO)).toBe('true');
  expect(await tracer.eval('dbg:tracer(), ok.')).toBe('ok');
  expect(await tracer.eval(`dbg:n('${node}').`)).toBe(`{ok,${node}}`);
  // the traced nodes, one a line (erl's order is its process dictionary's)
  expect((await tracer.eval('dbg:ln().')).split('\n').sort()).toEqual([tracer.node, node, 'ok'].sort());
  const echo = `rpc:call('${node}', erlang, whereis, [echo])`;
  expect(await tracer.eval(`dbg:p(${echo}, [m, c]).`)).toBe(`{ok,[{matched,${node},1}]}`);
  const tp = (await tracer.eval('dbg:tp(lists, seq, 2, [{\'_\', [], [{return_trace}]}]).')).replace(/\s+/g, '');
  expect([`{ok,[{matched,${tracer.node},1},{matched,${node},1},{saved,1}]}`, `{ok,[{matched,${node},1},{matched,${tracer.node},1},{saved,1}]}`]).toContain(tp);
  expect(await tracer.eval(`{echo, '${node}'} ! {self(), 2}, receive {echo, L} -> timer:sleep(300), L end.`)).toMatch(
    new RegExp(
      [
        `\\(${PID}\\) << \\{${PID},2\\}`,
        `\\(${PID}\\) call lists:seq\\(1,2\\)`,
        `\\(${PID}\\) returned from lists:seq/2 -> \\[1,2\\]`,
        `\\(${PID}\\) ${PID} ! \\{echo,\\[1,2\\]\\}`,
        `\\[1,2\\]$`,
      ].join('\n'),
    ),
  );
  expect(await tracer.eval('dbg:stop().')).toBe('ok');
}

describe('dbg on other nodes', () => {
  let epmd: Epmd;
  const shells: Shell[] = [];

  beforeAll(async () => {
    epmd = await startEpmd(HAVE_ERL ? 'erl' : 'terl');
  });

  test('a terl tracer, a traced terl node', async () => {
    const [a, b] = await Promise.all(['ta', 'tb'].map((n) => startTerlNode({ name: `${n}${uniq()}`, cookie: 'dbg', epmd })));
    shells.push(a, b);
    await traceRemote(a, b);
  }, 60000);

  test.skipIf(!HAVE_ERL)('a terl tracer, a traced erl node', async () => {
    const [a, b] = await Promise.all([startTerlNode({ name: `tc${uniq()}`, cookie: 'dbg', epmd }), startErlNode({ name: `ec${uniq()}`, cookie: 'dbg', epmd })]);
    shells.push(a, b);
    await traceRemote(a, b);
  }, 60000);

  test.skipIf(!HAVE_ERL)('an erl tracer, a traced terl node', async () => {
    const [a, b] = await Promise.all([startErlNode({ name: `ed${uniq()}`, cookie: 'dbg', epmd }), startTerlNode({ name: `td${uniq()}`, cookie: 'dbg', epmd })]);
    shells.push(a, b);
    await traceRemote(a, b);
  }, 60000);

  test('n/1 of this node or a node that is not there', async () => {
    const a = await startTerlNode({ name: `te${uniq()}`, cookie: 'dbg', epmd });
    shells.push(a);
    expect(await a.eval('dbg:tracer(), ok.')).toBe('ok');
    expect(await a.eval('dbg:n(node()).')).toBe('{error,cant_add_local_node}');
    expect(await a.eval(`dbg:n(nosuch@${HOST}).`)).toBe(`{error,{nodedown,nosuch@${HOST}}}`);
  }, 60000);
});
