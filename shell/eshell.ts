// The Erlang shell, as OTP's shell.erl splits it: a shell process that reads expressions, keeps the
// bindings and the numbered history, and prints results; and an evaluator process that runs each
// expression. `self()` at the prompt is the evaluator. When an expression raises, the evaluator dies
// with it (its links see the reason, its mailbox is gone) and the shell starts a new one, as erl does.

import { Atom, Pid, Term, Tuple, atom, tuple, charlist, list, listToArray, listToString, NIL } from '../runtime/term.js';
import { ErlangException, erlExit } from '../runtime/exception.js';
import { node } from '../runtime/node.js';
import { S } from '../runtime/scheduler.js';
import { codeServer } from '../runtime/code_server.js';
import { receive } from '../runtime/receive.js';
import { link, exitSignal } from '../runtime/signals.js';
import { exitReasonOf, type Process, type ProcessCode } from '../runtime/process.js';
import { parseExprs, isCompleteInput, ErlSyntaxError } from '../src/parse.js';
import { scanRecovering } from '../src/scan.js';
import { compileShell, type ShellRun } from '../src/compile/shell.js';
import { printShellValue } from '../src/format/term.js';
import { formatException } from '../src/format/exception.js';
import { shellCommand, type ShellState } from './commands.js';
import { rewriteShellForms, ShellSyntaxError } from './special.js';
import { exprToTerm } from '../src/abstract.js';
import { bindingsFromTerm, bindingsToTerm } from '../src/erl_eval.js';
import { trampoline } from '../runtime/abi.js';
import type { Expr } from '../src/ast.js';

const EXIT = atom('EXIT');
const SHELL_EVAL = atom('$shell_eval');
const SHELL_DONE = atom('$shell_done');

/** One expression handed to the evaluator: the compiled code in, the outcome out. */
interface Job {
  run: ShellRun;
  bindings: Map<string, Term>;
  value?: Term;
  newBindings?: Map<string, Term>;
  exception?: ErlangException;
}

const jobs = new Map<number, Job>();
let jobCounter = 0;

function* ioCall(name: string, args: Term[]): Generator<unknown, Term, unknown> {
  return yield* codeServer.fn(atom('io'), atom(name), args.length)(...args);
}

/** Text to the shell's group leader (the terminal). */
export function* put(text: string): Generator<unknown, void, unknown> {
  if (text.length > 0) yield* ioCall('put_chars', [charlist(text)]);
}

function* getLine(prompt: string): Generator<unknown, string | null, unknown> {
  const r = yield* ioCall('get_line', [charlist(prompt)]);
  if (r instanceof Atom) return null; // eof or {error, _}
  return listToString(r) ?? null;
}

function promptText(st: ShellState): string {
  // a remote shell shows the node it evaluates on, as erl -remsh does
  const name = st.remote?.name ?? node.name.name;
  return name === 'nonode@nohost' ? `${st.n}> ` : `(${name})${st.n}> `;
}

/**
 * -remsh: the expressions run on `remote` through rpc:call(Remote, erl_eval, exprs, [Abstract, Bindings]),
 * which real erl and terl both answer; the bindings stay here between prompts.
 */
function* evalRemote(st: ShellState, remote: Atom, exprs: Expr[], text: string): Generator<unknown, void, unknown> {
  const call = codeServer.fn(atom('rpc'), atom('call'), 4);
  const args = list([list(exprs.map(exprToTerm)), bindingsToTerm(st.bindings)]);
  const r = yield* trampoline(yield* call(remote, atom('erl_eval'), atom('exprs'), args));
  const opts = st.printOptions();
  if (r instanceof Tuple && r.elements.length === 3 && r.elements[0] === atom('value')) {
    st.bindings = bindingsFromTerm(r.elements[2]) ?? st.bindings;
    st.remember(text, r.elements[1]);
    yield* put(printShellValue(r.elements[1], opts) + '\n');
  } else if (r instanceof Tuple && r.elements.length === 2 && r.elements[0] === atom('badrpc')) {
    const why = r.elements[1];
    const exit = why instanceof Tuple && why.elements.length === 2 && why.elements[0] === atom('EXIT') ? why.elements[1] : undefined;
    if (exit instanceof Tuple && exit.elements.length === 2 && listToArray(exit.elements[1]) !== undefined) {
      yield* put(formatException(atom('error'), exit.elements[0], exit.elements[1], opts) + '\n');
    } else {
      yield* put(formatException(atom('exit'), exit ?? why, NIL, opts) + '\n');
    }
  } else {
    yield* put(formatException(atom('throw'), r, NIL, opts) + '\n');
  }
  st.n++;
}

/**
 * Split text after its first expression's terminating dot: erl evaluates `1. 2.` typed on one line
 * as two expressions, each under its own prompt. Returns [text, ''] when there is nothing after it.
 */
function splitFirst(text: string): [string, string] {
  const dot = scanRecovering(text).tokens.find((t) => t.kind === 'dot');
  if (dot === undefined) return [text, ''];
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < dot.line - 1; i++) offset += lines[i].length + 1;
  offset += [...lines[dot.line - 1]].slice(0, dot.col - 1).join('').length + 1;
  const rest = text.slice(offset);
  return rest.trim() === '' ? [text, ''] : [text.slice(0, offset) + '\n', rest.replace(/^[ \t]*\n?/, '')];
}

/** Lines until they end an expression (`... .` then a newline); null at end of input. */
function* readExpression(st: ShellState): Generator<unknown, string | null, unknown> {
  let text = st.pending;
  st.pending = '';
  let prompt = promptText(st);
  if (text !== '') {
    // input typed ahead on the same line: erl shows the prompt, then reads what is already there
    yield* put(prompt);
    prompt = '';
  }
  for (;;) {
    if (text !== '' && isCompleteInput(text)) {
      const [first, rest] = splitFirst(text);
      st.pending = rest;
      return first;
    }
    const line = yield* getLine(prompt);
    if (line === null) return text.trim() === '' ? null : text;
    text += line.endsWith('\n') ? line : line + '\n';
    // on a terminal erl 25 shows the prompt again on continuation lines; piped, it shows none
    prompt = st.terminal ? promptText(st) : '';
  }
}

// ---------- the evaluator ----------

function* evaluatorLoop(shell: Pid): ProcessCode {
  for (;;) {
    const id = yield* receive((m) =>
      m instanceof Tuple && m.elements.length === 2 && m.elements[0] === SHELL_EVAL ? (m.elements[1] as number) : undefined,
    );
    const job = jobs.get(id!)!;
    try {
      const r = yield* job.run(job.bindings);
      job.value = r.value;
      job.newBindings = r.bindings;
    } catch (e) {
      if (!(e instanceof ErlangException)) throw e;
      job.exception = e;
      node.send(shell, tuple(SHELL_DONE, id!));
      // die of it, as erl's evaluator does, but as an exit: the shell prints it, no error report
      throw erlExit(exitReasonOf(e));
    }
    node.send(shell, tuple(SHELL_DONE, id!));
  }
}

interface Evaluator {
  proc: Process;
}

/** The evaluator is linked to the shell, which traps exits, as in erl (so it shows in its links). */
function startEvaluator(shell: Process): Evaluator {
  const proc = node.spawn(evaluatorLoop, [shell.pid], { groupLeader: shell.groupLeader });
  shell.trapExit = true;
  link(shell, proc.pid);
  return { proc };
}

/** The exit reason, when m is the evaluator's {'EXIT', Pid, Reason}. */
function isExitOf(m: Term, ev: Evaluator): Term | undefined {
  if (m instanceof Tuple && m.elements.length === 3 && m.elements[0] === EXIT && m.elements[1] === ev.proc.pid) {
    return m.elements[2];
  }
  return undefined;
}

// ---------- the shell ----------

function* shellLoop(st: ShellState): ProcessCode {
  const me = S.current as Process;
  let ev = startEvaluator(me);
  st.evaluator = () => ev.proc.pid;
  for (;;) {
    // an evaluator killed between expressions (a linked process died): say so, start another
    const gone = yield* receive((m) => isExitOf(m, ev), 0);
    if (gone !== undefined) {
      yield* put(formatException(atom('exit'), gone, NIL) + '\n');
      ev = startEvaluator(me);
    }

    const text = yield* readExpression(st);
    if (text === null) {
      yield* put(`*** Terminating erlang (${node.name.name})\n`);
      node.onHalt(0);
      return atom('normal');
    }
    let exprs;
    try {
      exprs = rewriteShellForms(parseExprs(text), (r) => st.records.set(r.name, r));
    } catch (e) {
      if (e instanceof ErlSyntaxError) {
        yield* put(`* ${e.line}:${e.col}: ${e.reason}\n`);
        continue;
      }
      if (e instanceof ShellSyntaxError) {
        // erl's shell raises these as exit exceptions, and counts the prompt
        yield* put(formatException(atom('exit'), charlist(e.message), NIL, st.printOptions()) + '\n');
        st.n++;
        continue;
      }
      yield* put(internalError(text, e));
      st.n++;
      continue;
    }
    if (st.remote !== undefined) {
      yield* evalRemote(st, st.remote, exprs, text);
      continue;
    }
    let compiled;
    try {
      compiled = compileShell(exprs, new Set(st.bindings.keys()), {
        shellCommand: (name, args, bindings) => shellCommand(st, name, args, bindings),
        records: st.records,
      });
    } catch (e) {
      // a fault of terl's compiler, not of the expression: say so, and read the next one
      yield* put(internalError(text, e));
      st.n++;
      continue;
    }
    if (!compiled.ok) {
      for (const d of compiled.errors) yield* put(`* ${d.line}:${d.col}: ${d.message}\n`);
      st.n++;
      continue;
    }

    const id = ++jobCounter;
    const job: Job = { run: compiled.run, bindings: st.bindings };
    jobs.set(id, job);
    node.deliver(ev.proc, tuple(SHELL_EVAL, id));
    const outcome = yield* receive((m) => {
      if (m instanceof Tuple && m.elements.length === 2 && m.elements[0] === SHELL_DONE && m.elements[1] === id) return 'done';
      const r = isExitOf(m, ev);
      return r === undefined ? undefined : { down: r };
    });
    jobs.delete(id);

    if (outcome === 'done' && job.exception === undefined) {
      st.bindings = st.applyForgets(job.newBindings ?? st.bindings);
      st.remember(text, job.value!);
      yield* put(printShellValue(job.value!, st.printOptions()) + '\n');
    } else {
      const e = job.exception;
      const text =
        e !== undefined
          ? formatException(e.cls, e.reason, e.stack, st.printOptions())
          : formatException(atom('exit'), (outcome as { down: Term }).down, NIL);
      // the evaluator is dead or dying: wait for its EXIT so it is not taken for a later one
      if (e !== undefined) yield* receive((m) => isExitOf(m, ev));
      st.forgetPending();
      yield* put(text + '\n');
      ev = startEvaluator(me);
    }
    st.n++;
  }
}

/**
 * The report of an expression terl could not parse or compile because of a fault of its own (a JS
 * error where erl would have evaluated it): the expression, shortened, and the fault.
 */
function internalError(text: string, e: unknown): string {
  const expr = text.trim().replace(/\s+/g, ' ');
  const shown = expr.length > 60 ? `${expr.slice(0, 57)}...` : expr;
  const fault = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return `*** terl internal error: could not compile ${shown} (${fault})\n`;
}

/** Start the shell; returns the shell process. */
export function startShell(st: ShellState): Process {
  return node.spawn(function* () {
    return yield* shellLoop(st);
  }, []);
}

/** Interrupt the running evaluation (Ctrl-C then i, Ctrl-G then i): the evaluator is killed. */
export function interruptEvaluator(st: ShellState): void {
  const pid = st.evaluator?.();
  const p = pid && node.process(pid);
  if (p) exitSignal(pid, p, atom('kill'), false);
}

export type { ShellState };
