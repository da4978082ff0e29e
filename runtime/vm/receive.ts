// Selective receive for code written in TypeScript (built-in modules, the shell, tests), following
// the protocol compiled code uses (runtime/vm/abi.ts): scan from the save position, take the first
// message `match` accepts, otherwise park until a new message or the timeout.

import type { Term } from './term.js';
import { wait, Wait } from './abi.js';
import { S } from './scheduler.js';

const FOREVER = wait(Infinity);

/**
 * `receive` the first message for which match returns a value (not undefined), and return that
 * value; after `timeoutMs` milliseconds without one (0: just look), return undefined.
 */
export function* receive<T>(match: (m: Term) => T | undefined, timeoutMs: number = Infinity): Generator<unknown, T | undefined, unknown> {
  const mb = S.current.mailbox;
  const w: Wait = timeoutMs === Infinity ? FOREVER : wait(performance.now() + timeoutMs);
  for (;;) {
    let m: Term | undefined;
    while ((m = mb.next()) !== undefined) {
      const r = match(m);
      if (r !== undefined) {
        mb.take();
        return r;
      }
    }
    if (!(yield w)) {
      mb.rewind();
      return undefined;
    }
  }
}

/** The next message, whatever it is. */
export function* receiveAny(): Generator<unknown, Term, unknown> {
  return (yield* receive((m) => m))!;
}
