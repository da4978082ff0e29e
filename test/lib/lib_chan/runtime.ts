// Running lib_chan inside the test's own node (no terl binary): processes driven by the real
// scheduler, terms printed with the real ~p, and what the node prints captured by its `user` io server.

import '../../../runtime/vm/signals.js';
import '../../helpers/library.js';
import '../../../runtime/lib/lib_chan/api.js';
import { lookupBif } from '../../../runtime/vm/bif_registry.js';
import { startUserServer } from '../../../runtime/lib/kernel/user.js';
import { node } from '../../../runtime/vm/node.js';
import { atom, type Term } from '../../../runtime/vm/term.js';
import { S } from '../../../runtime/vm/scheduler.js';
import { trampoline } from '../../../runtime/vm/abi.js';
import { format } from '../../../runtime/lib/stdlib/format/io_lib.js';
import { asErlangException, exitReasonOf } from '../../../runtime/vm/process.js';
import { setFallbackSink } from '../../../runtime/lib/kernel/error_logger.js';

/** Crash reports of processes that died (instead of cluttering the test output). */
export const logged: string[] = [];
setFallbackSink((text) => void logged.push(text));

/** What the node printed (each io request's text). */
export const printed: string[] = [];

// the node's `user` io server writes here: io:format of lib_chan's processes, and crash reports
startUserServer({
  write: (text) => void (text.startsWith('=ERROR REPORT') || text.startsWith('\n=ERROR REPORT') ? logged : printed).push(text),
});

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
