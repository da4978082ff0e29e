// Selective receive for processes written in TypeScript (the shell, lib_chan, net_kernel, ...):
// the same protocol compiled `receive` uses (runtime/abi.ts), with a match function instead of patterns.

import type { Term } from './term.js';
import { wait } from './abi.js';
import { S } from './scheduler.js';

/**
 * Wait for the first message `match` accepts (returns something other than undefined) and return
 * what match returned; other messages stay in the mailbox, in order. After `timeoutMs` (Infinity:
 * never) without a match, return undefined.
 */
export function* receive<T>(match: (msg: Term) => T | undefined, timeoutMs = Infinity): Generator<unknown, T | undefined, unknown> {
  const mb = S.current.mailbox;
  const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
  for (;;) {
    let m: Term | undefined;
    while ((m = mb.next()) !== undefined) {
      const r = match(m);
      if (r !== undefined) {
        mb.take();
        return r;
      }
    }
    if (timeoutMs === 0 || !(yield wait(deadline))) {
      mb.rewind();
      return undefined;
    }
  }
}
