// erlang:halt: the host gets the status, and nothing runs afterwards (the calling process does not
// continue, other processes get no more slices), as with erl. (Its own file: it stops the scheduler.)

import { test, expect } from 'vitest';
import { run, call, callError, spawn, sleep, A } from './support.js';
import { node } from '../../runtime/vm/node.js';
import { charlist } from '../../runtime/vm/term.js';

test('halt/0,1 pass the status to the host; then no process runs', async () => {
  const statuses: (number | string)[] = [];
  node.onHalt = (s) => statuses.push(s);
  const bad = await run(function* () {
    return (yield* callError('halt', A('foo'))).reason;
  });
  expect(bad).toBe(A('badarg'));
  let ticks = 0;
  let after = false;
  void run(function* () {
    spawn(function* () {
      for (;;) {
        ticks++;
        yield* sleep(1);
      }
    });
    yield* sleep(10);
    yield* call('halt', charlist('crash dump slogan'));
    after = true;
    return A('ok');
  });
  await new Promise((r) => setTimeout(r, 40));
  const seen = ticks;
  await new Promise((r) => setTimeout(r, 40));
  expect(statuses).toEqual(['crash dump slogan']);
  expect(after).toBe(false);
  expect(ticks).toBe(seen);

});
