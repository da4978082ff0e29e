// Small helpers for lib_chan's processes, which are written in TypeScript as generators
// (runtime/vm/abi.ts): selective receive with a deadline, and printing through the io system.

import { trampoline, PREEMPT } from '../../vm/abi.js';
import { receive as receiveWithin } from '../../vm/receive.js';
import { Term, atom, charlist, list } from '../../vm/term.js';
import { S } from '../../vm/scheduler.js';
import { codeServer } from '../../vm/code_server.js';

/** A deadline `ms` milliseconds from now (Infinity for infinity), in the scheduler's clock. */
export function deadlineIn(ms: number): number {
  return ms === Infinity ? Infinity : performance.now() + ms;
}

/**
 * receive with a deadline instead of a timeout (several waits can share one deadline): the first
 * message `match` accepts, or undefined once the deadline has passed.
 */
export function receive<T>(match: (m: Term) => T | undefined, deadline = Infinity): Generator<unknown, T | undefined, unknown> {
  return receiveWithin(match, deadline === Infinity ? Infinity : Math.max(0, deadline - performance.now()));
}

/** Count a reduction, giving the scheduler its turn when the budget is spent. */
export function* reduce(): Generator<unknown, void, unknown> {
  if (--S.reds <= 0) yield PREEMPT;
}

/** io:format(Format, Args) from the current process (to its group leader, like any Erlang code). */
export function* ioFormat(format: string, args: Term[]): Generator<unknown, void, unknown> {
  const f = codeServer.fn(atom('io'), atom('format'), 2);
  yield* trampoline(yield* f(charlist(format), list(args)));
}
