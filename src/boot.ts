// What erl does at boot after the kernel is up: -eval expressions, then -s and -run calls, in
// order, in one process. A failure stops the node the way init does ("init terminating in do_boot").

import { Term, Tuple, atom, charlist, list } from '../runtime/term.js';
import { trampoline } from '../runtime/abi.js';
import { node } from '../runtime/node.js';
import { codeServer } from '../runtime/code_server.js';
import { NORMAL, asErlangException, exitReasonOf, type ProcessCode } from '../runtime/process.js';
import { monitor } from '../runtime/signals.js';
import { receive } from '../runtime/receive.js';
import { parseExprs, ErlSyntaxError } from './parse.js';
import { compileShell, type ShellRun } from './compile/shell.js';
import { writeTerm } from './format/term.js';
import type { Flags } from './flags.js';

const EXIT = atom('exit');
const DOWN = atom('DOWN');

/** One run of the boot commands: where it writes, and what to call when it is over. */
interface BootRun {
  write: (s: string) => void;
  done: () => void;
  /** the node is already stopping (a crash was reported) */
  stopping: boolean;
  /** the watcher's monitor on the boot process */
  monitor?: Term;
}

function crash(run: BootRun, reason: Term): void {
  if (run.stopping) return;
  run.stopping = true;
  const r = writeTerm(reason);
  run.write(`{"init terminating in do_boot",${r}}\ninit terminating in do_boot (${r})\n\n`);
  node.onHalt(1);
}

/** An -eval's expressions compiled, ready to run; undefined when they do not parse or compile (said on write). */
function compileEval(text: string, write: (s: string) => void): ShellRun | undefined {
  let exprs;
  try {
    exprs = parseExprs(text.trim().endsWith('.') ? text : text + '.');
  } catch (e) {
    if (e instanceof ErlSyntaxError) {
      write(`{"init terminating in do_boot",{${e.line},erl_parse,${JSON.stringify(e.reason)}}}\n`);
      node.onHalt(1);
      return undefined;
    }
    throw e;
  }
  const c = compileShell(exprs, new Set(), {});
  if (!c.ok) {
    write(c.errors.map((d) => `* ${d.line}:${d.col}: ${d.message}\n`).join(''));
    node.onHalt(1);
    return undefined;
  }
  return c.run;
}

// (one generator between the process and the commands' code: every receive in that code yields
// and resumes through each generator above it)
function* boot(flags: Flags, run: BootRun): ProcessCode {
  const write = run.write;
  try {
    for (const r of flags.boot) {
      if (r.kind === 'eval') {
        const code = compileEval(r.expr, write);
        if (code !== undefined) yield* code(new Map());
        continue;
      }
      const args: Term[] = r.kind === 's' ? r.args.map((a) => atom(a)) : r.args.map((a) => charlist(a));
      const fn = codeServer.fn(atom(r.module), atom(r.fn), r.args.length === 0 ? 0 : 1);
      // the call may end in a tail call (kvs:start() ends calling register/2): run it to its value
      yield* trampoline(r.args.length === 0 ? yield* fn() : yield* fn(list(args)));
    }
  } catch (e) {
    // any exception ends the boot as init does (a JS error is terl's bug, but the node still stops);
    // exit(normal) is the boot process ending as it would anyway: the node goes on
    const exc = asErlangException(e);
    if (!(exc.cls === EXIT && exc.reason === NORMAL)) crash(run, exitReasonOf(exc));
  } finally {
    run.done();
  }
  return NORMAL;
}

/** As init watches do_boot: a boot process killed by an exit signal stops the node too. */
function* watchBoot(run: BootRun): ProcessCode {
  const reason = yield* receive((m) =>
    m instanceof Tuple && m.elements.length === 5 && m.elements[0] === DOWN && m.elements[1] === run.monitor ? m.elements[4] : undefined,
  );
  if (reason !== NORMAL) {
    crash(run, reason!);
    run.done();
  }
  return NORMAL;
}

/** Run the boot commands in their own process; resolves when they are done (or at once if none). */
export function runBootCommands(flags: Flags, write: (s: string) => void): Promise<void> {
  if (flags.boot.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const run: BootRun = { write, done: resolve, stopping: false };
    const watcher = node.spawn(watchBoot, [run]);
    const p = node.spawn(boot, [flags, run]);
    // erl's do_boot process traps exits: a linked process that dies is a message to it
    p.trapExit = true;
    // (watched from before it runs: it may be gone in its first slice)
    run.monitor = monitor(watcher, p.pid);
  });
}
