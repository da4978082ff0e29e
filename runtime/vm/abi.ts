// The contract between compiled Erlang code (src/compile) and the VM (runtime/).
//
// Every Erlang function, compiled or built in, is an ErlFunction: a generator function taking the
// arguments and returning the result. Calls are `yield*`, so a process is one generator chain that
// the scheduler drives. The generator yields only to the scheduler:
//
//   yield PREEMPT            the reduction budget is used up: requeue me (resumed with undefined)
//   yield wait(deadline)     park me until a message arrives or `deadline` (a performance.now() time,
//                            Infinity for `after infinity`) passes; resumed with true when a message
//                            may have arrived, false when the deadline passed
//
// Reductions: every function entry (and every loop turn of a self tail call) runs
//   if (--S.reds <= 0) yield PREEMPT;
// where S is the scheduler's state object (SchedState below).
//
// Tail calls: a self tail call is a loop inside the function. Any other call in tail position
// returns a TailCall instead of calling; a caller that needs the value (non-tail position) resolves
// it: `let r = yield* f(a); while (r instanceof TailCall) r = yield* r.fn(...r.args);` (the
// trampoline, written inline so it is no generator of its own). So a result seen
// by ordinary code is never a TailCall; a process's top function is run through trampoline too.
//
// Receive (selective, with a save position so nothing is rescanned):
//   const mb = S.current.mailbox;
//   recv: for (;;) {
//     let m;
//     while ((m = mb.next()) !== undefined) {     // next message after the save position
//       if (<clause 1 matches m>) { mb.take(); <bind, run body>; break recv; }   // take(): remove the
//       ...                                         // message just returned by next(), rewind save position
//     }
//     if (!(yield wait(deadline))) { mb.rewind(); <after body>; break recv; }
//   }
//
// Exceptions are ErlangException (runtime/vm/exception.ts), thrown and caught as JS exceptions.

import { Fun, atom, list, tuple } from './term.js';
import type { Term, Pid, Atom, ErlFunction } from './term.js';
import { erlError } from './exception.js';

export const PREEMPT = undefined;

/** The function a process waits in, as process_info(P, current_function) names it. */
export interface WaitingIn {
  readonly module: Atom;
  readonly name: Atom;
  readonly arity: number;
}

export class Wait {
  constructor(
    readonly deadline: number,
    /** the function whose receive waits (compiled code passes its frame; undefined: not known) */
    readonly where?: WaitingIn,
  ) {}
}

export function wait(deadline: number, where?: WaitingIn): Wait {
  return new Wait(deadline, where);
}

export class TailCall {
  constructor(
    readonly fn: ErlFunction,
    readonly args: Term[],
  ) {}
}

/**
 * The code of `fun M:F/A`: the current M:F/A, looked up at each call (so reloading is seen).
 * Funs share this one generator (each through an arrow passing its M, F, A): a generator closure
 * made per fun would cost some 2 µs on its first call in V8.
 */
export function* callExport(code: CodeLookup, m: Atom, f: Atom, arity: number, args: Term[]): Generator<unknown, Term, unknown> {
  return new TailCall(code.fn(m, f, arity), args) as unknown as Term;
}

export function* trampoline(r: Term | TailCall): Generator<unknown, Term, unknown> {
  while (r instanceof TailCall) r = yield* r.fn(...r.args);
  return r;
}

/** Selective-receive view of a process's message queue. */
export interface Mailbox {
  /** the next message after the save position (and advance it), or undefined at the end */
  next(): Term | undefined;
  /** remove the message next() returned last; the save position goes back to the start */
  take(): void;
  /** back to the start without removing anything (after a timeout) */
  rewind(): void;
  readonly length: number;
}

export interface ProcessLike {
  readonly pid: Pid;
  readonly mailbox: Mailbox;
}

/** The scheduler's hot state, read by compiled code on every call. */
export interface SchedState {
  /** reductions left in this slice */
  reds: number;
  /** reductions plain code was let run past the slice's end (added back when the slice is counted) */
  borrowed: number;
  /** the process being run */
  current: ProcessLike;
}

/** The code server as compiled code sees it. */
export interface CodeLookup {
  /** the exported function Mod:Name/Arity, loading Mod on first use; throws error:undef when absent */
  fn(module: Atom, name: Atom, arity: number): ErlFunction;
  /** the function when it exists (undefined otherwise), for callers that cache it */
  find?(module: Atom, name: Atom, arity: number): ErlFunction | undefined;
  /** changes whenever a lookup's answer may change (a load, a delete, a purge): caches compare it */
  readonly version?: number;
}

/**
 * Call a fun value with arguments from non-compiled code (built-in modules such as lists:map):
 * raises error:{badfun, F} for a non-fun and error:{badarity, {F, Args}} for a wrong arity,
 * and resolves tail calls, so the result is a plain term.
 */
export function* callFun(f: Term, args: Term[]): Generator<unknown, Term, unknown> {
  if (!(f instanceof Fun) || f.fn === undefined) {
    throw erlError(tuple(atom('badfun'), f));
  }
  if (f.arity !== args.length) {
    throw erlError(tuple(atom('badarity'), tuple(f, list(args))));
  }
  let r: Term | TailCall = yield* f.fn(...args);
  while (r instanceof TailCall) r = yield* r.fn(...r.args);
  return r;
}
