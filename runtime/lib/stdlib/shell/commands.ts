// The shell's own commands (erl's shell internal commands and module c's), run in the evaluator
// process when an expression calls a local function that is not a BIF: b(), f(), v(N), h(),
// help(), c(Mod), l(Mod), nl(Mod), flush(), regs(), i(), pid(A,B,C), cd/1, pwd(), ls/0,1, q().

import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Atom, Pid, Term, Tuple, atom, tuple, charlist, listToString, list, OK, TRUE, isInteger } from '../../../vm/term.js';
import { erlError } from '../../../vm/exception.js';
import { node } from '../../../vm/node.js';
import { S } from '../../../vm/scheduler.js';
import { codeServer } from '../../../vm/code_server.js';
import { getCwd, setCwd } from '../../../vm/cwd.js';
import { writeTerm } from '../format/term.js';
import { printTerm } from '../format/pretty.js';
import { language } from '../../language.js';
import { stopWhenSettled } from '../../erts/init.js';
import { loadEverywhere } from '../../kernel/code_binary.js';
import { HELP_TEXT } from './help_text.js';
import { wireCommand } from './wire.js';
import type { Process } from '../../../vm/process.js';
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
  history: { n: number; text: string; value: Term }[] = [];
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

  remember(text: string, value: Term): void {
    this.history.push({ n: this.n, text: text.trim().replace(/\.$/, ''), value });
    if (this.history.length > 20) this.history.shift();
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

function* put(text: string): Generator<unknown, void, unknown> {
  if (text) yield* codeServer.fn(atom('io'), atom('put_chars'), 1)(charlist(text));
}

function undefinedCommand(name: string, args: Term[]): never {
  // erl's shell raises {shell_undef, F, Args, Stack}: `undefined shell command f/1`
  throw erlError(tuple(atom('shell_undef'), atom(name), list(args), list([])), list([]));
}

function textArg(t: Term): string | undefined {
  if (t instanceof Atom) return t.name;
  return listToString(t);
}

function pad(s: string, w: number): string {
  return s.length >= w ? s.slice(0, w) : s + ' '.repeat(w - s.length);
}

function mfaText(t: Tuple): string {
  const [m, f, a] = t.elements;
  return `${writeTerm(m)}:${writeTerm(f)}/${writeTerm(a)}`;
}

function regsText(): string {
  const rows = node
    .registered()
    .map((name) => [name, node.whereis(name)!] as [Atom, Process])
    .sort((a, b) => (a[0].name < b[0].name ? -1 : 1));
  let s = `\n** Registered procs on node ${node.name.name} **\n`;
  s += 'Name                  Pid          Initial Call                      Reds Msgs\n';
  for (const [name, p] of rows) {
    s +=
      pad(name.name, 22) +
      pad(writeTerm(p.pid), 13) +
      pad(mfaText(p.initialCall), 30) +
      String(p.reductions).padStart(9) +
      String(p.mailbox.length).padStart(5) +
      '\n';
  }
  s += `\n** Registered ports on node ${node.name.name} **\nName                  Id              Command                                 \n`;
  return s;
}

function iText(): string {
  let s = 'Pid                   Initial Call                          Heap     Reds Msgs\n';
  s += 'Registered            Current Function                     Stack              \n';
  let reds = 0;
  let msgs = 0;
  for (const p of node.processes()) {
    reds += p.reductions;
    msgs += p.mailbox.length;
    s += pad(writeTerm(p.pid), 22) + pad(mfaText(p.initialCall), 37) + '233'.padStart(6) + String(p.reductions).padStart(9) + String(p.mailbox.length).padStart(5) + '\n';
    s += pad(p.registeredName?.name ?? '', 22) + pad(mfaText(p.initialCall), 37) + '1'.padStart(6) + '              \n';
  }
  s += 'Total' + ' '.repeat(54) + '0'.padStart(5) + String(reds).padStart(9) + String(msgs).padStart(5) + '\n';
  s += ' '.repeat(61) + '0' + '              \n';
  return s;
}

function lsText(dir: string): string {
  const names = readdirSync(dir).sort();
  // erl lays names out in columns 45 wide on an 80-column terminal, one per line when they are wide
  return names.map((n) => pad(n, 45) + '\n').join('');
}

/**
 * Run shell command `name(args...)`, or raise `undefined shell command name/arity` as erl does.
 * `bindings` are the variables bound so far in this expression (b() shows them).
 */
export function* shellCommand(st: ShellState, name: string, args: Term[], bindings?: Map<string, Term>): Gen {
  const arity = args.length;
  switch (`${name}/${arity}`) {
    case 'help/0':
      yield* put(HELP_TEXT);
      return TRUE;
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
      const n = args[0];
      if (!isInteger(n)) throw erlError(atom('badarg'));
      const k = Number(n);
      const entry = k < 0 ? st.history[st.history.length + k] : st.history.find((h) => h.n === k);
      if (entry === undefined) throw erlError(tuple(atom('bad_history'), n), list([]));
      return entry.value;
    }
    case 'h/0': {
      let s = '';
      for (const h of st.history) s += `${h.n}: ${h.text}\n-> ${printTerm(h.value, { column: 4, lineLength: 80 })}\n`;
      yield* put(s);
      return OK;
    }
    case 'c/1':
    case 'c/2': {
      const mod = textArg(args[0]);
      if (mod === undefined) throw erlError(atom('badarg'));
      const r = language().compileAndLoad(mod);
      yield* put(r.messages);
      if (r.missing) return tuple(atom('error'), atom('non_existing'));
      return r.ok ? tuple(atom('ok'), atom(r.module)) : atom('error');
    }
    case 'nl/1': {
      // the module's source goes to every connected terl node (runtime/lib/kernel/code_loading.ts)
      const mod = textArg(args[0]);
      const file = mod === undefined ? undefined : language().findSource(mod);
      if (mod === undefined || file === undefined) return atom('error');
      return (yield* loadEverywhere(atom(mod), file, readFileSync(file, 'utf8'))) ? atom('abcast') : atom('error');
    }
    case 'nc/1':
    case 'nc/2': {
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
      const mod = textArg(args[0]);
      if (mod === undefined) throw erlError(atom('badarg'));
      return language().loadModule(mod) ? tuple(atom('module'), atom(mod)) : tuple(atom('error'), atom('nofile'));
    }
    case 'flush/0': {
      const mb = (S.current as Process).mailbox;
      let s = '';
      let m: Term | undefined;
      while ((m = mb.next()) !== undefined) {
        mb.take();
        s += `Shell got ${printTerm(m, { column: 11, lineLength: 80 })}\n`;
      }
      yield* put(s);
      return OK;
    }
    case 'regs/0':
      yield* put(regsText());
      return OK;
    case 'i/0':
      yield* put(iText());
      return OK;
    case 'pid/3': {
      const [a, b, c] = args;
      if (!isInteger(a) || !isInteger(b) || !isInteger(c)) throw erlError(atom('badarg'));
      const text = `<${a}.${b}.${c}>`;
      return yield* codeServer.fn(atom('erlang'), atom('list_to_pid'), 1)(charlist(text));
    }
    case 'pwd/0':
      yield* put(getCwd() + '\n');
      return OK;
    case 'cd/1': {
      const dir = textArg(args[0]);
      if (dir !== undefined) {
        try {
          setCwd(dir);
        } catch {
          /* erl prints the directory it stayed in */
        }
      }
      yield* put(getCwd() + '\n');
      return OK;
    }
    case 'ls/0':
      yield* put(lsText(getCwd()));
      return OK;
    case 'ls/1': {
      const dir = textArg(args[0]);
      if (dir === undefined) throw erlError(atom('badarg'));
      try {
        yield* put(lsText(dir.startsWith('/') ? dir : getCwd() + '/' + dir));
      } catch {
        yield* put(`${basename(dir)}\n`);
      }
      return OK;
    }
    case 'wire/0':
    case 'wire/1':
      return wireCommand(args);
    case 'q/0':
      // init:stop(): the shell prints ok, and the node stops once it has
      stopWhenSettled(0);
      return OK;
    default:
      return undefinedCommand(name, args);
  }
}
