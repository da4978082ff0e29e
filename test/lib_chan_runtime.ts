// Running lib_chan inside the test's own node (no terl binary): processes driven by the real
// scheduler, terms printed with the real ~p, and io:format captured where no io module is loaded.

import '../runtime/signals.js';
import '../runtime/bifs/index.js';
import '../runtime/lib_chan/api.js';
import { lookupBif, defineGenBif } from '../runtime/bif_registry.js';
import { node } from '../runtime/node.js';
import { atom, listToString, type Term } from '../runtime/term.js';
import { S, awaitPromise } from '../runtime/scheduler.js';
import { decodeTerm } from '../runtime/etf.js';
import { execFile } from 'node:child_process';
import { trampoline } from '../runtime/abi.js';
import { format } from '../src/format/io_lib.js';
import { asErlangException, exitReasonOf } from '../runtime/process.js';
import { setFallbackSink } from '../runtime/error_logger.js';

/** Crash reports of processes that died (instead of cluttering the test output). */
export const logged: string[] = [];
setFallbackSink((text) => void logged.push(text));

/** What io:format printed (when the test defines io:format itself). */
export const printed: string[] = [];

if (lookupBif('io', 'format', 2) === undefined) {
  defineGenBif('io', 'format', 2, function* (fmt: Term, args: Term) {
    printed.push(format(fmt, args));
    return atom('ok');
  });
}

/**
 * file:consult/1, when no file module is loaded in this test: real Erlang reads and parses the
 * file (the oracle), so lib_chan sees exactly what file:consult returns.
 */
if (lookupBif('file', 'consult', 1) === undefined) {
  defineGenBif('file', 'consult', 1, function* (file: Term) {
    const name = listToString(file);
    if (name === undefined) throw new Error('test file:consult wants a string');
    const out = yield* awaitPromise(
      new Promise<string>((resolve, reject) =>
        execFile(
          'erl',
          ['-noshell', '-eval', `io:format("~s", [base64:encode(term_to_binary(file:consult(${JSON.stringify(name)})))]), halt().`],
          { cwd: cwd() },
          (err, stdout) => (err ? reject(err) : resolve(stdout)),
        ),
      ),
    );
    return decodeTerm(Buffer.from(out.trim(), 'base64'));
  });
}

/** The directory relative file names are read from (process.chdir in tests). */
export function cwd(): string {
  return process.cwd();
}

/** ~p of a term, as the shell would print a value. */
export function show(t: Term): string {
  return format('~p', [t]);
}

export type Outcome = { value: Term } | { exit: Term };

/** Run `body` as a process of its own; its value, or the reason it died with. */
export function inProcess(body: () => Generator<unknown, Term, unknown>): Promise<Outcome> {
  return new Promise((resolve) => {
    node.spawn(function* () {
      try {
        const v = yield* body();
        resolve({ value: v });
        return v;
      } catch (e) {
        resolve({ exit: exitReasonOf(asErlangException(e)) });
        throw e;
      }
    }, []);
  });
}

/** Mod:Fun(Args) of a built-in module, from the running process. */
export function* call(mod: string, fun: string, ...args: Term[]): Generator<unknown, Term, unknown> {
  const bif = lookupBif(mod, fun, args.length);
  if (bif === undefined) throw new Error(`no ${mod}:${fun}/${args.length}`);
  return yield* trampoline(yield* bif.fn(...args));
}

/** The running process's pid and mailbox. */
export function current() {
  return S.current;
}

/** Wait until `cond` holds (polling the event loop), or fail after `ms`. */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
