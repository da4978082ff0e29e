// What erl does at boot after the kernel is up: -eval expressions, then -s and -run calls, in
// order, in one process. A failure stops the node the way init does ("init terminating in do_boot").

import { Term, atom, charlist, list } from '../runtime/term.js';
import { trampoline } from '../runtime/abi.js';
import { node } from '../runtime/node.js';
import { codeServer } from '../runtime/code_server.js';
import { asErlangException, exitReasonOf, type ProcessCode } from '../runtime/process.js';
import { parseExprs, ErlSyntaxError } from './parse.js';
import { compileShell, type ShellRun } from './compile/shell.js';
import { writeTerm } from './format/term.js';
import type { Flags } from './flags.js';

function crash(write: (s: string) => void, reason: Term): never {
  const r = writeTerm(reason);
  write(`{"init terminating in do_boot",${r}}\ninit terminating in do_boot (${r})\n\n`);
  node.onHalt(1);
  throw new Error('halted');
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
function* boot(flags: Flags, write: (s: string) => void, done: () => void): ProcessCode {
  try {
    for (const r of flags.boot) {
      if (r.kind === 'eval') {
        const run = compileEval(r.expr, write);
        if (run !== undefined) yield* run(new Map());
        continue;
      }
      const args: Term[] = r.kind === 's' ? r.args.map((a) => atom(a)) : r.args.map((a) => charlist(a));
      const fn = codeServer.fn(atom(r.module), atom(r.fn), r.args.length === 0 ? 0 : 1);
      // the call may end in a tail call (kvs:start() ends calling register/2): run it to its value
      yield* trampoline(r.args.length === 0 ? yield* fn() : yield* fn(list(args)));
    }
  } catch (e) {
    // any exception ends the boot as init does (a JS error is terl's bug, but the node still stops)
    crash(write, exitReasonOf(asErlangException(e)));
  } finally {
    done();
  }
  return atom('normal');
}

/** Run the boot commands in their own process; resolves when they are done (or at once if none). */
export function runBootCommands(flags: Flags, write: (s: string) => void): Promise<void> {
  if (flags.boot.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    node.spawn(boot, [flags, write, resolve]);
  });
}
