// The Erlang shell, as OTP's shell.erl splits it: a shell process that reads expressions, keeps the
// bindings and the numbered history, and prints results; and an evaluator process that runs each
// expression. `self()` at the prompt is the evaluator. When an expression raises, the evaluator dies
// with it (its links see the reason, its mailbox is gone) and the shell starts a new one, as erl does.

import { putText } from '../io_protocol.js';
import { Atom, Pid, Term, Tuple, atom, tuple, charlist, list, listToArray, listToString, NIL } from '../../../vm/term.js';
import { ErlangException, erlExit } from '../../../vm/exception.js';
import { node } from '../../../vm/node.js';
import { S } from '../../../vm/scheduler.js';
import { codeServer } from '../../../vm/code_server.js';
import { receive } from '../../../vm/receive.js';
import { link, exitSignal } from '../../../vm/signals.js';
import { exitReasonOf, type Process, type ProcessCode } from '../../../vm/process.js';
import { language, ErlSyntaxError } from '../../language.js';
import type { ShellRun } from '../../../../src/compile/shell.js';
import { printShellValue } from '../format/pretty.js';
import { writeTerm } from '../format/term.js';
import { formatException } from '../format/exception.js';
import { shellCommand, type ShellState } from './commands.js';
import { rewriteShellForms, ShellSyntaxError } from './special.js';
import { expandHistory, NoCommand } from './history.js';
import { trampoline } from '../../../vm/abi.js';
import { failureSeq, failuresSince, onFailure } from '../../../distribution/failure.js';
import { explainFailure, explainValue } from './explain.js';
import type { Expr } from '../../../../src/ast.js';

const EXIT = atom('EXIT');
const SHELL_EVAL = atom('$shell_eval');
const SHELL_DONE = atom('$shell_done');

/** One expression handed to the evaluator: the compiled code in, the outcome out. */
interface Job {
  run: ShellRun;
  bindings: Map<string, Term>;
  /** catch_exception(true): the evaluator survives the exception */
  keep: boolean;
  value?: Term;
  newBindings?: Map<string, Term>;
  exception?: ErlangException;
  /** the evaluator's process dictionary when the expression raised: its successor starts with it, as in erl */
  dict?: Map<unknown, [Term, Term]>;
}

const jobs = new Map<number, Job>();
let jobCounter = 0;

function* ioCall(name: string, args: Term[]): Generator<unknown, Term, unknown> {
  return yield* codeServer.fn(atom('io'), atom(name), args.length)(...args);
}

/** Text to the shell's group leader (the terminal). */
export const put = putText;

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
function* evalRemote(st: ShellState, remote: Atom, exprs: Expr[]): Generator<unknown, void, unknown> {
  const call = codeServer.fn(atom('rpc'), atom('call'), 4);
  const args = list([list(exprs.map(language().exprToTerm)), language().bindingsToTerm(st.bindings)]);
  const r = yield* trampoline(yield* call(remote, atom('erl_eval'), atom('exprs'), args));
  const opts = st.printOptions();
  if (r instanceof Tuple && r.elements.length === 3 && r.elements[0] === atom('value')) {
    st.bindings = language().bindingsFromTerm(r.elements[2]) ?? st.bindings;
    st.history.add(st.n, exprs, r.elements[1]);
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
  const dot = language().firstDot(text);
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
    if (text !== '' && language().isCompleteInput(text)) {
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
    (S.current as Process).waitingIn = EVAL_LOOP;
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
      const dict = (S.current as Process).dict;
      if (dict !== undefined) job.dict = new Map(dict);
      node.send(shell, tuple(SHELL_DONE, id!));
      if (job.keep) continue;
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
function startEvaluator(shell: Process, dict?: Map<unknown, [Term, Term]>): Evaluator {
  const proc = node.spawn(evaluatorLoop, [shell.pid], { groupLeader: shell.groupLeader });
  if (dict !== undefined) proc.dict = dict;
  proc.waitingIn = EVAL_LOOP;
  shell.trapExit = true;
  link(shell, proc.pid);
  return { proc };
}

/**
 * The evaluator killed by an exit signal: erl's shell takes a {Reason, Stacktrace} reason apart, so
 * a linked process's crash reads as an exception with its stack (any other reason prints whole).
 */
function exitSignalText(reason: Term): string {
  if (reason instanceof Tuple && reason.elements.length === 2) return formatException(atom('exit'), reason.elements[0], reason.elements[1]);
  return formatException(atom('exit'), reason, NIL);
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
      yield* put(exitSignalText(gone) + '\n');
      ev = startEvaluator(me);
    }

    const text = yield* readExpression(st);
    if (text === null) {
      // the node name as ~p writes the atom: quoted when it must be ('a@127.0.0.1')
      yield* put(`*** Terminating erlang (${writeTerm(node.name)})\n`);
      node.onHalt(0);
      return atom('normal');
    }
    let exprs;
    try {
      exprs = rewriteShellForms(language().parseExprs(text), (r) => st.records.set(r.name, r));
      exprs = expandHistory(exprs, st.history, st.n);
    } catch (e) {
      if (e instanceof ErlSyntaxError) {
        yield* put(`* ${e.line}:${e.col}: ${e.reason}\n`);
        continue;
      }
      if (e instanceof NoCommand) {
        // erl says so and asks again under the same number
        yield* put(`* ${language().exprsText([e.arg], 0, st.encoding)}: command not found\n`);
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
      yield* evalRemote(st, st.remote, exprs);
      continue;
    }
    let compiled;
    try {
      compiled = language().compileShell(exprs, new Set(st.bindings.keys()), {
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
    const job: Job = { run: compiled.run, bindings: st.bindings, keep: st.catchException };
    jobs.set(id, job);
    const failuresBefore = failureSeq();
    node.deliver(ev.proc, tuple(SHELL_EVAL, id));
    const outcome = yield* receive((m) => {
      if (m instanceof Tuple && m.elements.length === 2 && m.elements[0] === SHELL_DONE && m.elements[1] === id) return 'done';
      const r = isExitOf(m, ev);
      return r === undefined ? undefined : { down: r };
    });
    jobs.delete(id);

    if (outcome === 'done' && job.exception === undefined) {
      st.bindings = st.applyForgets(job.newBindings ?? st.bindings);
      st.history.add(st.n, exprs, job.value!);
      yield* put(printShellValue(job.value!, st.printOptions()) + '\n');
      if (st.explain && st.note !== undefined) for (const l of explainValue(job.value!, failuresSince(failuresBefore))) st.note(l);
    } else {
      const e = job.exception;
      // with catch_exception(true) the evaluator lives on and the report has one star
      const kept = e !== undefined && job.keep;
      const opts = kept ? { ...st.printOptions(), severity: 'benign' as const } : st.printOptions();
      const reason = e !== undefined ? exitReasonOf(e) : (outcome as { down: Term }).down;
      const text = e !== undefined ? formatException(e.cls, e.reason, e.stack, opts) : exitSignalText(reason);
      // the evaluator is dead or dying: wait for its EXIT so it is not taken for a later one
      if (e !== undefined && !kept) yield* receive((m) => isExitOf(m, ev));
      st.forgetPending();
      // the command is kept with {'EXIT', Reason} as its value, as erl keeps it (with erl's whole trace)
      const exitValue = e === undefined ? reason : exitReasonOf(new ErlangException(e.cls, e.reason, language().shellExitStack(e)));
      st.history.add(st.n, exprs, tuple(EXIT, exitValue));
      yield* put(text + '\n');
      if (!kept) ev = startEvaluator(me, job.dict);
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
export function startShell(st: ShellState, groupLeader?: Pid): Process {
  // another node's attempt that we turned away: no expression waits for it, so say it as it happens,
  // after the error report erl prints for it (the logger process writes that a moment later)
  onFailure(({ failure }) => {
    if (failure.kind !== 'their_reply_rejected') return;
    setTimeout(() => {
      if (st.explain && st.note !== undefined) st.note(explainFailure(failure));
    }, 100);
  });
  const p = node.spawn(function* () {
    return yield* shellLoop(st);
  }, [], groupLeader === undefined ? {} : { groupLeader });
  p.waitingIn = SHELL_LOOP;
  return p;
}

// where the shell and its evaluator wait, named as process_info names erl's (shell.erl's loops)
const SHELL_LOOP = { module: atom('shell'), name: atom('shell_rep'), arity: 4 };
const EVAL_LOOP = { module: atom('shell'), name: atom('eval_loop'), arity: 3 };

/** Interrupt the running evaluation (Ctrl-C then i, Ctrl-G then i): the evaluator is killed. */
export function interruptEvaluator(st: ShellState): void {
  const pid = st.evaluator?.();
  const p = pid && node.process(pid);
  if (p) exitSignal(pid, p, atom('kill'), false);
}

export type { ShellState };
