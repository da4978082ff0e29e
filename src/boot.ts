// What erl does at boot after the kernel is up: -eval expressions, then -s and -run calls, in
// order, in one process. A failure stops the node the way init does ("init terminating in do_boot").

import { List, NIL, Term, Tuple, atom, charlist, list, listToArray, tuple } from '../runtime/vm/term.js';
import { ErlangException } from '../runtime/vm/exception.js';
import { displayTerm } from '../runtime/lib/erts/display.js';
import { trampoline } from '../runtime/vm/abi.js';
import { node } from '../runtime/vm/node.js';
import { codeServer } from '../runtime/vm/code_server.js';
import { NORMAL, asErlangException, exitReasonOf, type ProcessCode } from '../runtime/vm/process.js';
import { link, monitor } from '../runtime/vm/signals.js';
import { receive } from '../runtime/vm/receive.js';
import { parseExprs, ErlSyntaxError } from './parse.js';
import { compileShell, type ShellRun } from './compile/shell.js';
import { doApplyFrame, erlEvalRaiseFrame, erlFrame, escapedAt, placeFrames, evalFrames, evalFunFrameUnder } from '../runtime/lib/stdlib/erl_eval_frames.js';
import { initText } from '../runtime/lib/stdlib/format/init_text.js';
import type { Flags } from './flags.js';

const EXIT = atom('exit');
const DOWN = atom('DOWN');

/** One run of the boot commands: where it writes, and what to call when it is over. */
interface BootRun {
  write: (s: string) => void;
  writeError: (s: string) => void;
  done: () => void;
  /** the node is already stopping (a crash was reported) */
  stopping: boolean;
  /** the watcher's monitor on the boot process */
  monitor?: Term;
}

/** As init halts over a failed boot: the term by erlang:display, then init's own text on stderr. */
function crash(run: BootRun, reason: Term): void {
  if (run.stopping) return;
  run.stopping = true;
  run.write(`{"init terminating in do_boot",${displayTerm(reason)}}\n`);
  run.writeError(`init terminating in do_boot (${initText(reason)})\n\n`);
  node.onHalt(1);
}

// The frames under the boot commands' own in erl: init runs each command (start_it, from start_em,
// from do_boot); -eval text goes through erl_eval, which applies calls and raises match failures.
const [START_IT, ...INIT_FRAMES] = placeFrames('init');
const DO_APPLY = doApplyFrame('init');
const EXPRS = erlFrame('erl_eval', 'exprs', 2, 'erl_eval.erl', 96);
const LOCAL_FUNC = erlFrame('erl_eval', 'local_func', 8, 'erl_eval.erl', 660);
const SHELL = atom('shell');
const UNDEF = atom('undef');

function isShellLocal(f: Term): boolean {
  return f instanceof Tuple && f.elements.length === 4 && f.elements[0] === SHELL && (f.elements[2] === NIL || f.elements[2] instanceof List);
}

/** The reason init reports for an exception out of a boot command, with erl's frames under its own. */
function bootReason(exc: ErlangException, fromEval: boolean): Term {
  const frames = listToArray(exc.stack) ?? [];
  if (fromEval) {
    const raisedByEval = frames.length === 0 ? erlEvalRaiseFrame(exc) : undefined;
    const last = frames[frames.length - 1];
    if (exc.reason === UNDEF && frames.length === 1 && isShellLocal(last)) {
      // a local call with no function behind it: erl_eval (with no shell around) says undef for itself
      const [, name, args] = (last as Tuple).elements;
      frames[0] = tuple(atom('erl_eval'), name, listToArray(args)!.length, NIL);
      frames.push(LOCAL_FUNC);
    } else if (raisedByEval !== undefined) frames.push(raisedByEval);
    else {
      const under = evalFunFrameUnder(last);
      // erl_eval's frames over the call it came from (exprs/6 for one before the last, ...)
      frames.push(...(under !== undefined ? [under] : [DO_APPLY, ...evalFrames(escapedAt(exc))]));
    }
    frames.push(START_IT);
  }
  frames.push(...INIT_FRAMES);
  return exitReasonOf(new ErlangException(exc.cls, exc.reason, list(frames)));
}

/** An -eval's expressions compiled, ready to run; undefined when they do not parse or compile (reported). */
function compileEval(text: string, run: BootRun): ShellRun | undefined {
  let exprs;
  try {
    exprs = parseExprs(text.trim().endsWith('.') ? text : text + '.');
  } catch (e) {
    if (!(e instanceof ErlSyntaxError)) throw e;
    // init's `{ok, Expr} = erl_parse:parse_exprs(Tokens)` fails to match
    const before = /^syntax error before: (.*)$/s.exec(e.reason);
    const info = before ? list([charlist('syntax error before: '), charlist(before[1])]) : charlist(e.reason);
    const error = tuple(atom('error'), tuple(e.line, atom('erl_parse'), info));
    crash(run, tuple(tuple(atom('badmatch'), error), list([START_IT, ...INIT_FRAMES])));
    return undefined;
  }
  const c = compileShell(exprs, new Set(), { place: 'init' });
  if (!c.ok) {
    // erl_eval finds these when it gets there (terl's compiler finds them first)
    const message = c.errors[0].message;
    const unbound = /^variable '(.*)' is unbound$/.exec(message);
    const reason = unbound ? tuple(atom('unbound_var'), atom(unbound[1])) : message === 'illegal pattern' ? atom('illegal_pattern') : undefined;
    if (reason !== undefined) {
      crash(run, tuple(reason, list([EXPRS, START_IT, ...INIT_FRAMES])));
      return undefined;
    }
    run.write(c.errors.map((d) => `* ${d.line}:${d.col}: ${d.message}\n`).join(''));
    node.onHalt(1);
    return undefined;
  }
  return c.run;
}

// (one generator between the process and the commands' code: every receive in that code yields
// and resumes through each generator above it)
function* boot(flags: Flags, run: BootRun): ProcessCode {
  let fromEval = false;
  try {
    for (const r of flags.boot) {
      fromEval = r.kind === 'eval';
      if (r.kind === 'eval') {
        const code = compileEval(r.expr, run);
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
    if (!(exc.cls === EXIT && exc.reason === NORMAL)) crash(run, bootReason(exc, fromEval));
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
export function runBootCommands(flags: Flags, write: (s: string) => void, writeError: (s: string) => void): Promise<void> {
  if (flags.boot.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const run: BootRun = { write, writeError, done: resolve, stopping: false };
    // the boot process is <0.9.0>, as erl's do_boot is, and linked to init
    const next = node.nextPidNumber;
    node.setNextPidNumber(8);
    const watcher = node.spawn(watchBoot, [run]);
    const p = node.spawn(boot, [flags, run]);
    node.setNextPidNumber(next);
    const init = node.whereis(atom('init'));
    if (init !== undefined) link(p, init.pid);
    // erl's do_boot process traps exits: a linked process that dies is a message to it
    p.trapExit = true;
    // (watched from before it runs: it may be gone in its first slice)
    run.monitor = monitor(watcher, p.pid);
  });
}
