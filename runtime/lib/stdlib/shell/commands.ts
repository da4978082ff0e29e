// The shell's own commands, run in the evaluator process when an expression calls a local function
// that is not a BIF: shell.erl's internal commands (b, e, f, h, history, results, catch_exception,
// v, rd, rf, rl, rp, rr), the ones that need terl's compiler (c/1,2,3, l, nl, lc, nc/1), and then, as erl
// does, user_default and shell_default (runtime/lib/stdlib/shell_default.erl, which has help/0 and
// module c's commands: runtime/lib/stdlib/c.erl).

import { readFileSync } from 'node:fs';
import { Atom, Pid, Term, Tuple, atom, tuple, listToString, list, OK, TRUE, FALSE, NIL, isInteger, listToArray, List } from '../../../vm/term.js';
import { erlError } from '../../../vm/exception.js';
import { codeServer } from '../../../vm/code_server.js';
import { trampoline } from '../../../vm/abi.js';
import { printTerm, printShellValue } from '../format/pretty.js';
import { language } from '../../language.js';
import { loadEverywhere } from '../../kernel/code_binary.js';
import { wireCommand } from './wire.js';
import { putText } from '../io_protocol.js';
import { clusterCommand } from './cluster.js';
import { CommandHistory } from './history.js';
import { rr, rlText, rf, badShellArg } from './records.js';
import type { RecordDef } from '../../../../src/compile/shell.js';

type Gen = Generator<unknown, Term, unknown>;

/** What the shell remembers between prompts. */
export class ShellState {
  n = 1;
  /** text typed after the last expression's dot, on the same line: the next expression(s) */
  pending = '';
  /** -remsh: the node the shell evaluates on, when not this one */
  remote: Atom | undefined;
  /** reading from a terminal (the Ink UI) rather than a pipe */
  terminal = false;
  /** how results print: unicode on a terminal, latin1 when piped (as erl's shell) */
  encoding: 'unicode' | 'latin1' = 'latin1';
  /** the terminal's width (io:columns()), 80 when not a terminal */
  columns = 80;
  bindings = new Map<string, Term>();
  records = new Map<string, RecordDef>();
  readonly history = new CommandHistory();
  /** catch_exception(true): an exception does not end the evaluator, and prints with one star */
  catchException = false;
  evaluator: (() => Pid) | undefined;
  /** explain pang and {badrpc,...} under the result (interactive only: see explain.ts) */
  explain = false;
  /** where an explanation line goes: the terminal, styled apart from erl's own output */
  note: ((line: string) => void) | undefined;
  private forgetAll = false;
  private forget = new Set<string>();

  /** How the shell prints terms: its encoding, the terminal width, and records defined with rd/2. */
  printOptions(): { encoding: 'unicode' | 'latin1'; lineLength: number; recordDefs: (tag: Atom, size: number) => Atom[] | undefined } {
    return {
      encoding: this.encoding,
      lineLength: this.columns,
      recordDefs: (tag, size) => {
        const r = this.records.get(tag.name);
        return r && r.fields.length === size ? r.fields.map((f) => atom(f.name)) : undefined;
      },
    };
  }

  /** The bindings b() shows: those of the expression so far, less what f/0,1 forgot in it. */
  visible(b: Map<string, Term>): Map<string, Term> {
    if (this.forgetAll) return new Map();
    return new Map([...b].filter(([k]) => !this.forget.has(k)));
  }

  /** f() and f(X) take effect on the bindings the expression ends with. */
  applyForgets(b: Map<string, Term>): Map<string, Term> {
    if (this.forgetAll) b = new Map();
    else if (this.forget.size > 0) {
      b = new Map(b);
      for (const v of this.forget) b.delete(v);
    }
    this.forgetPending();
    return b;
  }

  forgetPending(): void {
    this.forgetAll = false;
    this.forget.clear();
  }

  markForgetAll(): void {
    this.forgetAll = true;
  }

  markForget(name: string): void {
    this.forget.add(name);
  }
}

const put = putText;

function undefinedCommand(name: string, args: Term[]): never {
  // erl's shell raises {shell_undef, F, Args, Stack}: `undefined shell command f/1`
  throw erlError(tuple(atom('shell_undef'), atom(name), list(args), list([])), list([]));
}

function textArg(t: Term): string | undefined {
  if (t instanceof Atom) return t.name;
  return listToString(t);
}

/** A module's function, when the module is loaded (user_default) or can be (shell_default). */
function exported(module: string, name: string, arity: number, load: boolean): boolean {
  const m = atom(module);
  if (load) codeServer.ensureLoaded(m);
  else if (!codeServer.isLoaded(m)) return false;
  return (codeServer.exports(m) ?? []).some(([n, a]) => n.name === name && a === arity);
}

/** h(): the kept commands as erl_pp prints them, each with its value when that is kept. */
function historyText(st: ShellState): string {
  let s = '';
  for (const [n, c] of st.history.entries()) {
    const head = `${n}: `;
    s += head + language().exprsText(c.exprs, head.length, st.encoding) + '\n';
    if (c.hasValue) s += '-> ' + printTerm(c.value!, { ...st.printOptions(), column: 4, depth: 30 }) + '\n';
  }
  return s;
}

/** compile and load: c(Mod) and lc's files, with erlc's messages */
function* compile(what: Term): Gen {
  const mod = textArg(what);
  if (mod === undefined) throw erlError(atom('badarg'));
  const r = language().compileAndLoad(mod);
  yield* put(r.messages);
  if (r.missing) return tuple(atom('error'), atom('non_existing'));
  return r.ok ? tuple(atom('ok'), atom(r.module)) : atom('error');
}

/**
 * Run shell command `name(args...)`, or raise `undefined shell command name/arity` as erl does.
 * `bindings` are the variables bound so far in this expression (b() shows them).
 */
export function* shellCommand(st: ShellState, name: string, args: Term[], bindings?: Map<string, Term>): Gen {
  const arity = args.length;
  switch (`${name}/${arity}`) {
    case 'b/0': {
      const b = st.visible(bindings ?? st.bindings);
      let s = '';
      for (const k of [...b.keys()].sort()) s += `${k} = ${printTerm(b.get(k)!, { ...st.printOptions(), column: k.length + 4 })}\n`;
      yield* put(s);
      return OK;
    }
    case 'f/0':
      st.markForgetAll();
      return OK;
    case 'f/1': {
      const v = args[0];
      if (v instanceof Atom) st.markForget(v.name);
      return OK;
    }
    case 'v/1': {
      // the number was checked and made absolute before the expression ran (history.ts)
      const n = args[0];
      if (!isInteger(n)) throw erlError(atom('badarg'));
      const c = st.history.get(Number(n), st.n);
      if (!c.hasValue) throw erlError(tuple(atom('bad_history'), n), list([]));
      return c.value!;
    }
    case 'h/0':
      yield* put(historyText(st));
      return OK;
    case 'history/1':
    case 'results/1': {
      const n = args[0];
      if (!isInteger(n) || Number(n) < 0) return badShellArg(name, 1);
      const old = name === 'history' ? st.history.historyLength : st.history.resultsLength;
      if (name === 'history') st.history.historyLength = Number(n);
      else st.history.resultsLength = Number(n);
      return old;
    }
    case 'catch_exception/1': {
      const b = args[0];
      if (b !== TRUE && b !== FALSE) return badShellArg(name, 1);
      const old = st.catchException;
      st.catchException = b === TRUE;
      return old ? TRUE : FALSE;
    }
    case 'rf/0':
      return rf(st.records);
    case 'rf/1':
      return rf(st.records, args[0]);
    case 'rl/0':
      yield* put(rlText(st.records, undefined, st.encoding));
      return OK;
    case 'rl/1':
      yield* put(rlText(st.records, args[0], st.encoding));
      return OK;
    case 'rp/1':
      yield* put(printShellValue(args[0]!, { ...st.printOptions(), depth: -1 }) + '\n');
      return OK;
    case 'rr/1':
      return rr(st.records, args[0]!);
    case 'rr/2':
      return rr(st.records, args[0]!, args[1]);
    case 'rr/3':
      return rr(st.records, args[0]!, args[1], args[2]);
    case 'c/1':
    case 'c/2':
    case 'c/3':
      return yield* compile(args[0]!);
    case 'lc/1': {
      // lc([File]): each compiled, with erlc's messages, and ok whatever they say (as c:lc/1);
      // terl's object code is the source, so compiling it is loading it
      const files = args[0] instanceof List || args[0] === NIL ? listToArray(args[0]) ?? [] : [args[0]!];
      for (const f of files) {
        const r = yield* compile(f);
        if (r instanceof Tuple && r.elements[1] === atom('non_existing')) yield* put(`${textArg(f)}.erl: no such file or directory\n`);
      }
      return OK;
    }
    case 'nl/1': {
      // the module's source goes to every connected terl node (runtime/lib/kernel/code_loading.ts)
      const mod = textArg(args[0]!);
      const file = mod === undefined ? undefined : language().findSource(mod);
      if (mod === undefined || file === undefined) return atom('error');
      return (yield* loadEverywhere(atom(mod), file, readFileSync(file, 'utf8'))) ? atom('abcast') : atom('error');
    }
    case 'nc/1': {
      // compiled here as c/1 does (its messages printed), then loaded on every node as nl/1
      const name = textArg(args[0]);
      if (name === undefined) throw erlError(atom('badarg'));
      const r = language().compileAndLoad(name);
      yield* put(r.messages);
      const file = r.ok ? language().findSource(r.module) ?? (name.endsWith('.erl') ? name : `${name}.erl`) : undefined;
      if (!r.ok || file === undefined) return atom('error');
      yield* loadEverywhere(atom(r.module), file, readFileSync(file, 'utf8'), false);
      return tuple(atom('ok'), atom(r.module));
    }
    case 'l/1': {
      const mod = textArg(args[0]!);
      if (mod === undefined) throw erlError(atom('badarg'));
      return language().loadModule(mod) ? tuple(atom('module'), atom(mod)) : tuple(atom('error'), atom('nofile'));
    }
    case 'wire/0':
    case 'wire/1':
      return wireCommand(args);
    case 'cluster/0':
      return yield* clusterCommand(args, st.columns, put);
  }
  // as erl: user_default when it is loaded, then shell_default
  for (const [module, load] of [['user_default', false], ['shell_default', true]] as const) {
    if (exported(module, name, arity, load)) {
      return yield* trampoline(yield* codeServer.fn(atom(module), atom(name), arity)(...args));
    }
  }
  return undefinedCommand(name, args);
}
