// A message to another node is encoded (external term format) in one native step in the sender's
// turn: the sender pays for it as for term_to_binary, about a reduction per 64 bytes. A process
// sending a 200,000 element list to another node in a loop then lets its own node's processes
// run; charged one reduction a send, it held the node (three local round trips took over 30 s).

import { afterAll, expect, test } from 'vitest';
import { HOST, startEpmd, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';

afterAll(stopAll);

test('a process sending a big message to another node in a loop is charged and lets the others run', async () => {
  const epmd = await startEpmd('terl');
  const A = `sinka${uniq()}`;
  const [a, b] = await Promise.all([
    startTerlNode({ name: A, cookie: 'reds', epmd }),
    startTerlNode({ name: `hogb${uniq()}`, cookie: 'reds', epmd }),
  ]);
  const AN = `${A}@${HOST}`;
  expect(await a.eval('register(sink, spawn(fun Loop() -> receive _ -> Loop() end end)).')).toBe('true');
  expect(await b.eval(`net_adm:ping(${AN}).`)).toBe('pong');
  expect(await b.eval('L = lists:seq(1, 200000), ok.')).toBe('ok');
  // one send's reductions
  expect(await b.eval(`{reductions, R0} = process_info(self(), reductions), {sink, ${AN}} ! L, {reductions, R1} = process_info(self(), reductions), R1 - R0 > 5000.`)).toBe('true');
  expect(await b.eval(`Hog = spawn(fun Loop() -> {sink, ${AN}} ! L, Loop() end), ok.`)).toBe('ok');
  // 50 round trips to fresh processes while the hog sends
  const trips = 'Me = self(), [begin spawn(fun() -> Me ! I end), receive I -> ok end end || I <- lists:seq(1, 50)], exit(Hog, kill).';
  expect(await b.eval(trips, 20000)).toBe('true');
}, 60000);
