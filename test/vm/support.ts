// Helpers for the runtime tests: processes written directly as TypeScript generators.

import '../helpers/library.js';
import { node } from '../../runtime/vm/node.js';
import { S } from '../../runtime/vm/scheduler.js';
import { codeServer } from '../../runtime/vm/code_server.js';
import { receive } from '../../runtime/vm/receive.js';
import { ErlangException, errorInfoExplanations } from '../../runtime/vm/exception.js';
import { Atom, Pid, Term, Tuple, atom, listToArray, listToString, tuple } from '../../runtime/vm/term.js';
import { TailCall } from '../../runtime/vm/abi.js';
import type { Process } from '../../runtime/vm/process.js';

export type Code = Generator<unknown, Term, unknown>;

/**
 * Run body in a new process and resolve with what it returns; reject with the ErlangException
 * that escapes it.
 */
export function run<T extends Term>(body: () => Generator<unknown, T, unknown>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    node.spawn(function* () {
      try {
        const r = yield* body();
        resolve(r);
        return r;
      } catch (e) {
        reject(e);
        throw e;
      }
    }, []);
  });
}

/** The process running now. */
export function self(): Process {
  return S.current;
}

/** Call erlang:Name(Args...) (or Module:Name) as compiled code would, resolving tail calls. */
export function* call(name: string, ...args: Term[]): Generator<unknown, Term, unknown> {
  const [m, f] = name.includes(':') ? name.split(':') : ['erlang', name];
  let r: Term | TailCall = yield* codeServer.fn(atom(m), atom(f), args.length)(...args);
  while (r instanceof TailCall) r = yield* r.fn(...r.args);
  return r;
}

/** The exception a call raises (fails the test when it returns). */
export function* callError(name: string, ...args: Term[]): Generator<unknown, ErlangException, unknown> {
  try {
    yield* call(name, ...args);
  } catch (e) {
    if (e instanceof ErlangException) return e;
    throw e;
  }
  throw new Error(`${name} did not raise`);
}

/** receive any message within ms, or undefined. */
export function* recv(ms = 1000): Generator<unknown, Term | undefined, unknown> {
  return yield* receive((m) => m, ms);
}

/** All messages that arrive within ms (like the shell's flush/0 after a short wait). */
export function* flush(ms = 20): Generator<unknown, Term[], unknown> {
  const out: Term[] = [];
  for (;;) {
    const m = yield* receive((x) => x, ms);
    if (m === undefined) return out;
    out.push(m);
  }
}

/** Sleep ms in the running process. */
export function* sleep(ms: number): Generator<unknown, void, unknown> {
  yield* receive(() => undefined, ms);
}

/** A process that waits for any message and then ends normally. */
export function* waiter(): Code {
  yield* receive((m) => m);
  return atom('ok');
}

/** spawn a TS process from inside a process (the spawner is its parent). */
export function spawn(body: () => Code): Pid {
  return node.spawn(body, []).pid;
}

/** A tuple shape check used by the tests: {Tag, ...} */
export function isTagged(m: Term, tag: string, size?: number): m is Tuple {
  return m instanceof Tuple && m.elements[0] === atom(tag) && (size === undefined || m.elements.length === size);
}

export const A = (name: string): Atom => atom(name);
export { tuple, atom };

/** Resolve when cond() holds (polling the event loop), reject after ms. */
export function until(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) resolve();
      else if (Date.now() - t0 > ms) reject(new Error('timed out waiting'));
      else setTimeout(tick, 1);
    };
    tick();
  });
}

/**
 * The function a BIF error names and its `*** argument N:` texts (keys: argument numbers, or
 * 'general'), from the error_info item of the exception's first frame.
 */
export function explain(e: ErlangException): { fn: string; why: Record<string, string> } {
  const frame = listToArray(e.stack)![0] as Tuple;
  const [m, f, args, info] = frame.elements;
  const why: Record<string, string> = {};
  for (const item of listToArray(info) ?? []) {
    for (const p of errorInfoExplanations(item) ?? []) {
      const [n, text] = (p as Tuple).elements;
      why[typeof n === 'number' ? String(n) : (n as Atom).name] = listToString(text)!;
    }
  }
  const arity = Array.isArray(listToArray(args)) ? listToArray(args)!.length : (args as number);
  return { fn: `${(m as Atom).name}:${(f as Atom).name}/${arity}`, why };
}
