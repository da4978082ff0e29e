// -remsh: a shell here whose expressions run on another node (through rpc and erl_eval:exprs/2,
// which terl and real erl both answer); bindings stay with the shell.

import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { HAVE_ERL, HOST, startEpmd, startTerlNode, startErlNode, runTerlOnce, stopAll, uniq, type Epmd } from '../helpers/dist_nodes.js';

let epmd: Epmd;
beforeAll(async () => {
  epmd = await startEpmd('terl');
});
afterAll(stopAll);

const session = ['node().', 'X = 5.', 'lists:seq(1, X).', '1/0.', 'X.'].join('\n') + '\n';

function expectRemote(out: string, name: string): void {
  const server = `${name}@${HOST}`;
  expect(out).toContain(`(${server})1> ${server}\n`);
  expect(out).toContain(`(${server})2> 5\n`);
  expect(out).toContain(`(${server})3> [1,2,3,4,5]\n`);
  expect(out).toContain(`(${server})4> ** exception error: an error occurred when evaluating an arithmetic expression\n     in operator  '/'/2\n        called as 1 / 0\n`);
  expect(out).toContain(`(${server})5> 5\n`);
}

describe('terl -remsh', () => {
  it('evaluates on another terl node', async () => {
    const name = `r${uniq()}`; // a name that prints without quotes
    await startTerlNode({ name, cookie: 'abc', epmd });
    const r = await runTerlOnce(['-remsh', `${name}@${HOST}`, '-setcookie', 'abc'], epmd, session);
    expectRemote(r.out, name);
  });

  it.skipIf(!HAVE_ERL)('evaluates on a real erl node', async () => {
    const name = `r${uniq()}`; // a name that prints without quotes
    await startErlNode({ name, cookie: 'abc', epmd });
    const r = await runTerlOnce(['-remsh', name, '-setcookie', 'abc'], epmd, session);
    expectRemote(r.out, name);
  });
});
