// The preprocessor, after OTP's epp: splits a file into forms, handles -define/-undef/-ifdef/-ifndef/
// -if/-elif/-else/-endif/-include/-include_lib/-file/-error/-warning, expands macros, and reports
// problems in epp's words ("undefined macro 'X'", "can't find include file \"x.hrl\"", ...).

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Expr } from './ast.js';
import { ErlSyntaxError, scanRecovering, type ScanResult, type Token } from './scan.js';
import { codePointsOf, formatFloat, writeAtom, writeChar, writeString } from './token_text.js';
import { ExprParser } from './parse/expr.js';
import { NotLiteral, normalise } from './parse/literal.js';
import {
  Atom, Bin, ErlFloat, ErlMap, List, NIL, Tuple, atom, bool, compare, equal, exactEqual, isInteger, listToArray, listToString,
  type Term,
} from '../runtime/vm/term.js';

export interface EppOptions {
  /** directories searched for -include files after the including file's own directory (erlc -I) */
  includePath?: string[];
  /** predefined macros (erlc -D): name → value as source text of a term; undefined means true */
  macros?: Record<string, string | undefined>;
  /** read a file; undefined when it does not exist (default: node:fs, UTF-8) */
  readFile?: (path: string) => string | undefined;
  /** the directory of an application for -include_lib("app/include/x.hrl") (code:lib_dir/1) */
  libDir?: (app: string) => string | undefined;
}

export interface EppDiagnostic {
  line: number;
  col: number;
  message: string;
  /** the file the position refers to (an included file's name as epp names it) */
  file: string;
}

export type EppItem =
  | { kind: 'form'; tokens: Token[]; file: string }
  | ({ kind: 'error' } & EppDiagnostic)
  | ({ kind: 'warning' } & EppDiagnostic);

class EppError {
  constructor(
    readonly line: number,
    readonly col: number,
    readonly message: string,
  ) {}
}

interface MacroDef {
  /** undefined for a macro without parentheses (?M) */
  params?: string[];
  body: Token[];
}

type Macro =
  /** a predefined macro without a value yet (MODULE before -module) */
  | { kind: 'undefined' }
  | { kind: 'predef'; body: Token[] }
  /** user macros can be overloaded on arity; 'none' is ?M without arguments */
  | { kind: 'user'; defs: Map<number | 'none', MacroDef> };

type MacroUse = [string, number | 'none'];

interface FileState {
  /** the name epp gives the file (Pname) and the name set by -file, for ?FILE */
  name: string;
  name2: string;
  scan: ScanResult;
  /** next token and next scan error to read */
  pos: number;
  errPos: number;
  /** lines added by -file */
  lineOffset: number;
  /** the conditionals open in this file, innermost first */
  istk: string[];
  /** while skipping a false branch: the conditionals being skipped, innermost first */
  skip?: string[];
  /** where the scanner stands after the form read last */
  location: { line: number; col: number };
}

type Read = { kind: 'form'; tokens: Token[] } | { kind: 'error'; line: number; col: number; message: string } | { kind: 'eof' };

function tok(kind: string, line: number, col: number, value?: unknown, text?: string): Token {
  const t: Token = { kind, text: text ?? kind, line, col };
  if (value !== undefined) t.value = value;
  return t;
}

function at(t: Token, line: number, col: number): Token {
  return { ...t, line, col };
}

const defaultRead = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

/** io_lib:format("~tp") for the terms -error/-warning carry (without line breaking). */
function printTerm(t: Term): string {
  if (typeof t === 'number' || typeof t === 'bigint') return String(t);
  if (t instanceof ErlFloat) return formatFloat(t.value);
  if (t instanceof Atom) return writeAtom(t.name);
  if (t instanceof Tuple) return '{' + t.elements.map(printTerm).join(',') + '}';
  if (t === NIL) return '[]';
  if (t instanceof List) {
    const s = listToString(t);
    if (s !== undefined && [...s].every((c) => { const x = c.codePointAt(0)!; return (x >= 0x20 && x < 0x7f) || x >= 0xa0 || (x >= 8 && x <= 13) || x === 27; })) {
      return writeString(codePointsOf(s));
    }
    const items = listToArray(t);
    if (items) return '[' + items.map(printTerm).join(',') + ']';
    let out = '[';
    let x: Term = t;
    const parts: string[] = [];
    while (x instanceof List) {
      parts.push(printTerm(x.head));
      x = x.tail;
    }
    return out + parts.join(',') + '|' + printTerm(x) + ']';
  }
  if (t instanceof Bin) return '<<' + Array.from(t.bytes).join(',') + '>>';
  if (t instanceof ErlMap) return '#{' + t.sorted().map(([k, v]) => printTerm(k) + ' => ' + printTerm(v)).join(',') + '}';
  return String(t);
}

/** How a token is written back when a macro argument is stringified (??Arg). */
function tokenSource(t: Token): string {
  switch (t.kind) {
    case 'dot':
      return '.';
    case 'var':
      return t.value as string;
    case 'char':
      return writeChar(t.value as number);
    case 'string':
      return writeString(codePointsOf(t.value as string));
    case 'atom':
      return writeAtom(t.value as string);
    case 'integer':
      return String(t.value);
    case 'float':
      return formatFloat(t.value as number);
    default:
      return t.kind;
  }
}

const OPENERS: Record<string, string> = { '(': ')', '<<': '>>', '[': ']', '{': '}', begin: 'end', if: 'end', case: 'end', receive: 'end', try: 'end', cond: 'end' };

/** Tokens read from the top of a reversed token stack (the next token is last). */
class Stack {
  constructor(readonly items: Token[]) {}
  peek(k = 0): Token | undefined {
    return this.items[this.items.length - 1 - k];
  }
  get size(): number {
    return this.items.length;
  }
  pop(): Token | undefined {
    return this.items.pop();
  }
  pushAll(ts: Token[]): void {
    for (let k = ts.length - 1; k >= 0; k--) this.items.push(ts[k]);
  }
}

const EXPANSION_BUDGET = 200000;

/** Forms that keep epp inside the prefix where -feature may still appear. */
const PREFIX_DIRECTIVES = new Set(['module', 'feature', 'if', 'else', 'elif', 'endif', 'ifdef', 'ifndef', 'define', 'undef', 'include', 'include_lib']);

export class Epp {
  private readonly macros = new Map<string, Macro>();
  private readonly uses = new Map<string, { arity: number | 'none'; uses: MacroUse[] }[]>();
  private readonly files: FileState[] = [];
  private readonly items: EppItem[] = [];
  private readonly includePath: string[];
  /** still before the first form that closes the prefix where -feature is allowed (exports, records, functions, ...) */
  private inPrefix = true;
  private readonly read: (p: string) => string | undefined;
  private expansions = 0;

  constructor(
    private readonly source: string,
    private readonly fileName: string,
    private readonly opts: EppOptions = {},
  ) {
    this.includePath = opts.includePath ?? [];
    this.read = opts.readFile ?? defaultRead;
    this.predefine();
  }

  private predefine(): void {
    const L = 1;
    const m = this.macros;
    m.set('FILE', { kind: 'predef', body: [tok('string', L, 1, this.fileName, JSON.stringify(this.fileName))] });
    for (const n of ['FUNCTION_NAME', 'FUNCTION_ARITY', 'MODULE', 'MODULE_STRING', 'BASE_MODULE', 'BASE_MODULE_STRING']) m.set(n, { kind: 'undefined' });
    m.set('LINE', { kind: 'predef', body: [tok('integer', L, 1, 1, '1')] });
    m.set('MACHINE', { kind: 'predef', body: [tok('atom', L, 1, 'BEAM', "'BEAM'")] });
    m.set('BEAM', { kind: 'predef', body: [tok('atom', L, 1, 'true', 'true')] });
    m.set('OTP_RELEASE', { kind: 'predef', body: [tok('integer', L, 1, 25, '25')] });
    // OTP 25: maybe_expr is available (experimental) but not enabled
    const x = (): Token => tok('var', L, 1, 'X', 'X');
    m.set('FEATURE_AVAILABLE', {
      kind: 'user',
      defs: new Map([[1, { params: ['X'], body: [tok('(', L, 1), tok('(', L, 1), x(), tok(')', L, 1), tok('==', L, 1), tok('atom', L, 1, 'maybe_expr', 'maybe_expr'), tok(')', L, 1)] }]]),
    });
    m.set('FEATURE_ENABLED', { kind: 'user', defs: new Map([[1, { params: ['X'], body: [tok('atom', L, 1, 'false', 'false')] }]]) });
    for (const [name, value] of Object.entries(this.opts.macros ?? {})) {
      let body: Token[];
      try {
        body = scanRecovering(value ?? 'true').tokens.map((t) => at(t, 1, 1));
      } catch {
        body = [tok('atom', 1, 1, 'true', 'true')];
      }
      this.macros.set(name, { kind: 'user', defs: new Map([['none', { body }]]) });
    }
  }

  run(): EppItem[] {
    this.enterFile(this.fileName, this.source);
    this.fileAttribute(this.fileName, 1, 1);
    for (;;) {
      const f = this.files[this.files.length - 1];
      const r = this.readForm(f);
      if (r.kind === 'eof') {
        if (!this.leaveFile()) break;
        continue;
      }
      if (r.kind === 'error') {
        this.error(r.line, r.col, r.message);
        continue;
      }
      try {
        this.form(f, r.tokens);
      } catch (e) {
        if (e instanceof EppError) this.error(e.line, e.col, e.message);
        else if (e instanceof ErlSyntaxError) this.error(e.line, e.col, e.reason);
        else throw e;
      }
    }
    return this.items;
  }

  // ---------- files ----------

  private get current(): FileState {
    return this.files[this.files.length - 1];
  }

  private error(line: number, col: number, message: string): void {
    this.items.push({ kind: 'error', line, col, message, file: this.current.name2 });
  }

  private enterFile(name: string, text: string): void {
    const scan = scanRecovering(text);
    this.files.push({ name, name2: name, scan, pos: 0, errPos: 0, lineOffset: 0, istk: [], location: { line: 1, col: 1 } });
    this.setFileMacro(name);
  }

  private setFileMacro(name: string): void {
    this.macros.set('FILE', { kind: 'predef', body: [tok('string', 1, 1, name, JSON.stringify(name))] });
  }

  /** The -file(Name, Line) form epp sends when it enters or leaves a file. */
  private fileAttribute(name: string, line: number, atLine: number): void {
    const L = atLine;
    this.items.push({
      kind: 'form',
      file: name,
      tokens: [tok('-', L, 1), tok('atom', L, 1, 'file', 'file'), tok('(', L, 1), tok('string', L, 1, name, JSON.stringify(name)), tok(',', L, 1), tok('integer', L, 1, line, String(line)), tok(')', L, 1), tok('dot', L, 1, undefined, '.')],
    });
  }

  /** End of the current file: report open conditionals, return to the includer. False at the end of the main file. */
  private leaveFile(): boolean {
    const f = this.current;
    const eof = this.eofLocation(f);
    // at the end of a skipped branch epp reports the skip stack in place of the open conditionals
    const open = f.skip !== undefined && f.skip.length > 0 ? f.skip : f.istk;
    for (const cond of open) this.error(eof.line, eof.col, `unterminated '-${cond}'`);
    f.istk = [];
    f.skip = undefined;
    if (this.files.length === 1) return false;
    this.files.pop();
    const outer = this.current;
    this.setFileMacro(outer.name2);
    // back in the includer: its real line, and (when a -file directive renamed it) the renamed line too
    const line = outer.location.line;
    const realLine = line - outer.lineOffset;
    this.fileAttribute(outer.name, realLine, realLine);
    if (outer.name2 !== outer.name) this.fileAttribute(outer.name2, line, realLine);
    return true;
  }

  private eofLocation(f: FileState): { line: number; col: number } {
    return { line: f.scan.endLine + f.lineOffset, col: f.scan.endCol };
  }

  /** The next form of the file (tokens through its dot), or the next scan error, or the end. */
  private readForm(f: FileState): Read {
    const { tokens, errors } = f.scan;
    const start = f.pos;
    let end = start;
    while (end < tokens.length && tokens[end].kind !== 'dot') end++;
    const off = f.lineOffset;
    const err = errors[f.errPos];
    // a scan error before this form's dot: the form's tokens so far are dropped, scanning goes on after the error
    if (err !== undefined && err.tokenIndex <= end) {
      f.errPos++;
      f.pos = err.tokenIndex;
      f.location = { line: err.line + off, col: err.col };
      return { kind: 'error', line: err.line + off, col: err.col, message: err.reason };
    }
    if (start >= tokens.length) return { kind: 'eof' };
    const stop = Math.min(end + 1, tokens.length);
    const form = off === 0 ? tokens.slice(start, stop) : tokens.slice(start, stop).map((t) => at(t, t.line + off, t.col));
    f.pos = stop;
    const after = f.scan.afterDot.get(end);
    const last = form[form.length - 1];
    f.location = after ? { line: after.line + off, col: after.col } : { line: last.line, col: last.col };
    return { kind: 'form', tokens: form };
  }

  // ---------- one form ----------

  private form(f: FileState, toks: Token[]): void {
    if (f.skip !== undefined && f.skip.length > 0) return this.skipForm(f, toks);
    const [t0, t1] = toks;
    if (t0?.kind === '-' && t1 !== undefined) {
      const rest = toks.slice(2);
      const name = t1.kind === 'atom' ? (t1.value as string) : t1.kind === 'if' ? 'if' : '';
      switch (name) {
        case 'define':
          return this.define(rest, t1);
        case 'undef':
          this.inPrefix = false;
          return this.undef(rest, t1);
        case 'include':
        case 'include_lib':
          return this.include(rest, t1, name);
        case 'ifdef':
        case 'ifndef':
          return this.ifdef(f, rest, t1, name);
        case 'else':
          return this.else_(f, rest, t1);
        case 'if':
          return this.if_(f, rest, t1);
        case 'elif':
          return this.elif(f, t1);
        case 'endif':
          return this.endif(f, rest, t1);
        case 'file':
          return this.fileDirective(f, this.expand(rest, undefined), t1);
        case 'error':
        case 'warning':
          this.inPrefix = false;
          return this.errorWarning(rest, t1, name);
        case 'feature':
          return this.feature(rest, t1);
      }
    }
    const expanded = this.expand(toks, toks);
    this.items.push({ kind: 'form', tokens: expanded, file: f.name2 });
    this.scanModule(expanded);
    if (this.inPrefix && expanded.length > 0) {
      const d = expanded[1];
      this.inPrefix = expanded[0].kind === '-' && d?.kind === 'atom' && PREFIX_DIRECTIVES.has(d.value as string);
    }
  }

  /** -feature(Feature, enable | disable): OTP 25 knows one (experimental) feature, maybe_expr. */
  private feature(toks: Token[], t: Token): void {
    const [open, ftr, comma, ind, close, dot] = toks;
    const shape =
      toks.length >= 6 && open.kind === '(' && ftr.kind === 'atom' && comma.kind === ',' && ind.kind === 'atom' && close.kind === ')' && dot.kind === 'dot';
    if (shape && toks.length === 6 && this.inPrefix && (ind.value === 'enable' || ind.value === 'disable')) {
      if (ftr.value !== 'maybe_expr') Epp.fail(t, `the feature '${ftr.value as string}' does not exist.`);
      return;
    }
    if (shape && !this.inPrefix) Epp.fail(t, 'feature directive not allowed after exports or record definitions');
    Epp.fail(Epp.noMatch(toks, t), "badly formed 'feature'");
  }

  private scanModule(ts: Token[]): void {
    if (ts[0]?.kind !== '-' || ts[1]?.kind !== 'atom' || ts[2]?.kind !== '(') return;
    const what = ts[1].value;
    const a = ts[3];
    const close = ts[4];
    if (a?.kind !== 'atom' || (close?.kind !== ')' && !(what === 'module' && close?.kind === ','))) return;
    const pre = what === 'module' ? 'MODULE' : what === 'extends' ? 'BASE_MODULE' : undefined;
    if (!pre) return;
    const name = a.value as string;
    this.macros.set(pre, { kind: 'predef', body: [a] });
    this.macros.set(pre + '_STRING', { kind: 'predef', body: [tok('string', a.line, a.col, name, JSON.stringify(name))] });
  }

  /** find_mismatch: the first token that does not fit the expected shape. */
  private static mismatch(shape: string[], toks: Token[], t0: Token): Token {
    let last = t0;
    let k = 0;
    for (const want of shape) {
      const t = toks[k];
      if (t === undefined) return last;
      const ok = want === 'var_or_atom' ? t.kind === 'var' || t.kind === 'atom' : t.kind === want;
      if (!ok) return t;
      last = t;
      k++;
    }
    return toks[k] ?? last;
  }

  private static noMatch(toks: Token[], t0: Token): Token {
    return toks[0] ?? t0;
  }

  private static fail(t: Token, message: string): never {
    throw new EppError(t.line, t.col, message);
  }

  // ---------- -define / -undef ----------

  private define(toks: Token[], def: Token): void {
    const mac = toks[1];
    if (toks[0]?.kind !== '(' || (mac?.kind !== 'atom' && mac?.kind !== 'var')) {
      Epp.fail(Epp.mismatch(['(', 'var_or_atom'], toks, def), "badly formed 'define'");
    }
    const name = mac.value as string;
    const after = toks.slice(2);
    let d: MacroDef;
    if (after[0]?.kind === ',') d = { body: Epp.expansion(after.slice(1), after[0]) };
    else if (after[0]?.kind === '(') {
      const params: string[] = [];
      let k = 1;
      let last = after[0];
      if (after[k]?.kind === 'var') {
        for (;;) {
          const v = after[k];
          if (params.includes(v.value as string)) Epp.fail(v, `argument '${v.value as string}' already used`);
          params.push(v.value as string);
          last = v;
          k++;
          if (after[k]?.kind === ',' && after[k + 1]?.kind === 'var') {
            k++;
            continue;
          }
          break;
        }
      }
      if (after[k]?.kind !== ')') Epp.fail(Epp.noMatch(after.slice(k), last), "badly formed 'define'");
      const close = after[k];
      k++;
      if (after[k]?.kind !== ',') Epp.fail(Epp.noMatch(after.slice(k), close), 'badly formed define: missing comma');
      d = { params, body: Epp.expansion(after.slice(k + 1), after[k]) };
    } else Epp.fail(Epp.noMatch(after, def), "badly formed 'define'");
    const arity: number | 'none' = d.params === undefined ? 'none' : d.params.length;
    const existing = this.macros.get(name);
    if (existing?.kind === 'user') {
      if (existing.defs.has(arity)) Epp.fail(mac, `redefining macro '${name}'`);
    } else if (existing !== undefined) Epp.fail(mac, `redefining predefined macro '${name}'`);
    const uses = this.macroUses(d.body);
    const defs = existing?.kind === 'user' ? existing.defs : new Map<number | 'none', MacroDef>();
    defs.set(arity, d);
    this.macros.set(name, { kind: 'user', defs });
    const list = this.uses.get(name) ?? [];
    list.unshift({ arity, uses });
    this.uses.set(name, list);
  }

  /** macro_expansion: the body runs to the ')' just before the dot. */
  private static expansion(toks: Token[], t0: Token): Token[] {
    const n = toks.length;
    if (n >= 2 && toks[n - 1].kind === 'dot' && toks[n - 2].kind === ')') return toks.slice(0, n - 2);
    if (n >= 1 && toks[n - 1].kind === 'dot') Epp.fail(toks[n - 1], 'badly formed define: missing closing right parenthesis');
    Epp.fail(n ? toks[n - 1] : t0, 'premature end');
  }

  private macroUses(body: Token[]): MacroUse[] {
    const out: MacroUse[] = [];
    for (let k = 0; k < body.length; k++) {
      if (body[k].kind !== '?') continue;
      const n = body[k + 1];
      if (n?.kind === '?') {
        k++;
        continue;
      }
      if (n?.kind === 'atom' || n?.kind === 'var') {
        const name = n.value as string;
        out.push([name, Epp.countArgs(new Stack(body.slice(k + 2).reverse()), n, name)]);
      }
    }
    const seen = new Set<string>();
    return out.filter(([n, a]) => (seen.has(n + '/' + a) ? false : (seen.add(n + '/' + a), true)));
  }

  private undef(toks: Token[], undef: Token): void {
    const m = toks[1];
    if (toks.length === 4 && toks[0].kind === '(' && (m.kind === 'atom' || m.kind === 'var') && toks[2].kind === ')' && toks[3].kind === 'dot') {
      this.macros.delete(m.value as string);
      this.uses.delete(m.value as string);
      return;
    }
    Epp.fail(Epp.mismatch(['(', 'var_or_atom', ')', 'dot'], toks, undef), "badly formed 'undef'");
  }

  // ---------- -include / -include_lib ----------

  private include(toks0: Token[], inc: Token, what: 'include' | 'include_lib'): void {
    const toks = coalesceStrings(toks0);
    if (!(toks.length === 4 && toks[0].kind === '(' && toks[1].kind === 'string' && toks[2].kind === ')' && toks[3].kind === 'dot')) {
      Epp.fail(Epp.mismatch(['(', 'string', ')', 'dot'], toks, inc), `badly formed '${what}'`);
    }
    const strTok = toks[1];
    if (this.files.length > 8) Epp.fail(what === 'include' ? strTok : inc, `${what} too deep`);
    const name = expandVar(strTok.value as string);
    const found = this.pathOpen(name);
    if (found) return this.enter(found.path, found.text);
    if (what === 'include_lib') {
      const parts = name.split('/');
      const dir = parts.length > 1 ? this.opts.libDir?.(parts[0]) : undefined;
      if (dir !== undefined) {
        const p = join(dir, ...parts.slice(1));
        const text = this.read(p);
        if (text !== undefined) return this.enter(p, text);
      }
      Epp.fail(strTok, `can't find include lib "${name}"`);
    }
    Epp.fail(strTok, `can't find include file "${name}"`);
  }

  private pathOpen(name: string): { path: string; text: string } | undefined {
    if (isAbsolute(name)) {
      const text = this.read(name);
      return text === undefined ? undefined : { path: name, text };
    }
    const here = dirname(this.current.name);
    for (const dir of [here, ...this.includePath]) {
      // joined as filename:join does, without resolving ".."
      const p = dir === '.' ? name : dir.replace(/\/+$/, '') + '/' + name;
      const text = this.read(p);
      if (text !== undefined) return { path: p, text };
    }
    return undefined;
  }

  private enter(path: string, text: string): void {
    this.enterFile(path, text);
    this.fileAttribute(path, 1, 1);
  }

  // ---------- conditionals ----------

  private isDefined(name: string): boolean {
    const m = this.macros.get(name);
    return m !== undefined && m.kind !== 'undefined';
  }

  private ifdef(f: FileState, toks: Token[], t: Token, what: 'ifdef' | 'ifndef'): void {
    const m = toks[1];
    if (toks.length === 4 && toks[0].kind === '(' && (m.kind === 'atom' || m.kind === 'var') && toks[2].kind === ')' && toks[3].kind === 'dot') {
      const take = this.isDefined(m.value as string) === (what === 'ifdef');
      if (take) f.istk.unshift(what);
      else f.skip = [what];
      return;
    }
    f.skip = [what];
    Epp.fail(Epp.mismatch(['(', 'var_or_atom', ')', 'dot'], toks, t), `badly formed '${what}'`);
  }

  private else_(f: FileState, toks: Token[], t: Token): void {
    if (!(toks.length === 1 && toks[0].kind === 'dot')) Epp.fail(Epp.noMatch(toks, t), "badly formed 'else'");
    const top = f.istk[0];
    if (top === 'else') {
      f.istk.shift();
      f.skip = ['else'];
      Epp.fail(t, "repeated '-else'");
    }
    if (top === undefined) Epp.fail(t, "unbalanced '-else'");
    f.istk.shift();
    f.skip = ['else'];
  }

  private if_(f: FileState, toks: Token[], t: Token): void {
    if (toks[0]?.kind !== '(') {
      f.skip = ['if'];
      Epp.fail(Epp.noMatch(toks, t), "badly formed 'if'");
    }
    let value: boolean;
    try {
      value = this.evalIf(toks, t);
    } catch (e) {
      f.skip = ['if'];
      throw e;
    }
    if (value) f.istk.unshift('if');
    else f.skip = ['if'];
  }

  private elif(f: FileState, t: Token): void {
    const top = f.istk[0];
    if (top === 'else') {
      f.istk.shift();
      f.skip = ['else'];
      Epp.fail(t, "unbalanced '-elif'");
    }
    if (top === undefined) Epp.fail(t, "unbalanced '-elif'");
    f.istk.shift();
    f.skip = ['elif'];
  }

  private endif(f: FileState, toks: Token[], t: Token): void {
    if (!(toks.length === 1 && toks[0].kind === 'dot')) Epp.fail(Epp.noMatch(toks, t), "badly formed 'endif'");
    if (f.istk.length === 0) Epp.fail(t, "unbalanced '-endif'");
    f.istk.shift();
  }

  /** A form while skipping a false branch: only nesting and the branch directives matter. */
  private skipForm(f: FileState, toks: Token[]): void {
    const skip = f.skip!;
    const [t0, t1] = toks;
    if (t0?.kind !== '-' || t1 === undefined) return;
    const name = t1.kind === 'if' ? 'if' : t1.kind === 'atom' ? (t1.value as string) : '';
    switch (name) {
      case 'ifdef':
      case 'ifndef':
      case 'if':
        skip.unshift(name);
        return;
      case 'else':
        if (skip[0] === 'else') Epp.fail(t1, "repeated '-else'");
        if (skip[0] === 'elif') {
          skip[0] = 'else';
          return;
        }
        if (skip.length === 1) {
          f.skip = [];
          f.istk.unshift('else');
        }
        return;
      case 'elif':
        if (skip[0] === 'else') Epp.fail(t1, "'elif' following 'else'");
        if (skip.length === 1) {
          f.skip = [];
          this.if_(f, toks.slice(2), t1);
        }
        return;
      case 'endif':
        skip.shift();
        return;
    }
  }

  /** -if(Expr) / -elif(Expr): a guard expression where defined(M) tests a macro. */
  private evalIf(toks: Token[], ifTok: Token): boolean {
    const expanded = this.expand(toks, undefined);
    const es = new ExprParser(expanded).exprsToDot();
    if (es.length !== 1) Epp.fail(ifTok, "badly formed 'if'");
    const e = this.rewriteDefined(es[0], ifTok);
    checkGuard(e, ifTok);
    try {
      return evalGuard(e) === atom('true');
    } catch (x) {
      if (x instanceof EvalFailure) return false;
      throw x;
    }
  }

  private rewriteDefined(e: Expr, ifTok: Token): Expr {
    return mapExpr(e, (x) => {
      if (x.type === 'call' && x.fn.type === 'atom' && x.fn.value === 'defined' && x.args.length === 1) {
        const a = x.args[0];
        if (a.type !== 'var' && a.type !== 'atom') Epp.fail(ifTok, "badly formed 'if'");
        return { type: 'atom', pos: { line: 0, col: 0 }, value: this.macros.has(a.type === 'var' ? a.name : a.value) ? 'true' : 'false' };
      }
      return undefined;
    });
  }

  // ---------- -file, -error, -warning ----------

  private fileDirective(f: FileState, toks0: Token[], tf: Token): void {
    const toks = coalesceStrings(toks0);
    const ok =
      toks.length === 6 && toks[0].kind === '(' && toks[1].kind === 'string' && toks[2].kind === ',' && toks[3].kind === 'integer' && toks[4].kind === ')' && toks[5].kind === 'dot';
    if (!ok) Epp.fail(Epp.mismatch(['(', 'string', ',', 'integer', ')', 'dot'], toks, tf), "badly formed 'file'");
    const name = toks[1].value as string;
    const ln = Number(toks[3].value);
    this.fileAttribute(name, ln, tf.line);
    // the generated attribute's place is the directive's own line
    const item = this.items[this.items.length - 1];
    if (item.kind === 'form') item.file = f.name2;
    this.setFileMacro(name);
    f.name2 = name;
    // lines after the directive count from ln (directive line + 1 → ln + 1)
    const rawLine = tf.line - f.lineOffset;
    f.lineOffset = ln - rawLine;
  }

  private errorWarning(toks: Token[], t: Token, what: 'error' | 'warning'): void {
    let term: Term | undefined;
    if (toks[0]?.kind === '(') {
      try {
        const expanded = this.expand(toks, undefined);
        const es = new ExprParser(expanded).exprsToDot();
        if (es.length === 1) term = normalise(es[0]);
      } catch (e) {
        if (!(e instanceof EppError || e instanceof ErlSyntaxError || e instanceof NotLiteral)) throw e;
      }
    }
    if (term === undefined) Epp.fail(toks[0]?.kind === '(' ? t : Epp.noMatch(toks, t), `badly formed '${what}'`);
    const message = `-${what}(${printTerm(term)}).`;
    if (what === 'error') this.error(t.line, t.col, message);
    else this.items.push({ kind: 'warning', line: t.line, col: t.col, message, file: this.current.name2 });
  }

  // ---------- macro expansion ----------

  /**
   * Expand every macro call in a token list. `form` is the whole form, for ?FUNCTION_NAME and
   * ?FUNCTION_ARITY (undefined where those are not expanded, as in -if and -file).
   */
  expand(tokens: Token[], form: Token[] | undefined): Token[] {
    const ctx = { form, fa: undefined as [string, number] | undefined };
    return this.expandWith(tokens, ctx);
  }

  private expandWith(tokens: Token[], ctx: { form: Token[] | undefined; fa: [string, number] | undefined }): Token[] {
    const work = new Stack(tokens.slice().reverse());
    const out: Token[] = [];
    for (;;) {
      const t = work.pop();
      if (t === undefined) return out;
      const n = work.peek();
      if (t.kind !== '?' || n === undefined) {
        out.push(t);
        continue;
      }
      if (n.kind !== 'atom' && n.kind !== 'var') {
        const shown = n.kind === 'dot' ? 'dot' : tokenSymbolText(n);
        Epp.fail(n, `illegal macro call '?${shown}'`);
      }
      work.pop();
      const name = n.value as string;
      if (n.kind === 'var' && (name === 'FUNCTION_NAME' || name === 'FUNCTION_ARITY')) {
        const fa = this.functionNameArity(n, ctx);
        if (fa === undefined) out.push(t, n);
        else if (name === 'FUNCTION_NAME') out.push(tok('atom', n.line, n.col, fa[0], writeAtom(fa[0])));
        else out.push(tok('integer', n.line, n.col, fa[1], String(fa[1])));
        continue;
      }
      if (n.kind === 'var' && name === 'LINE') {
        out.push(tok('integer', n.line, n.col, n.line, String(n.line)));
        continue;
      }
      if (++this.expansions > EXPANSION_BUDGET) Epp.fail(n, `circular macro '${name}'`);
      work.pushAll(this.expandCall(n, name, work, ctx));
    }
  }

  private expandCall(mac: Token, name: string, work: Stack, ctx: { form: Token[] | undefined; fa: [string, number] | undefined }): Token[] {
    const arity = Epp.countArgs(work, mac, name);
    const m = this.macros.get(name);
    const shown = arity === 'none' ? `'${name}'` : `'${name}/${arity}'`;
    if (m === undefined || m.kind === 'undefined') Epp.fail(mac, `undefined macro ${shown}`);
    let def: MacroDef;
    if (m.kind === 'predef') def = { body: m.body };
    else if (m.defs.size === 1 && m.defs.has('none')) def = m.defs.get('none')!;
    else {
      const d = m.defs.get(arity);
      if (d === undefined) Epp.fail(mac, `argument mismatch for macro '${name}'`);
      def = d;
    }
    this.checkUses([name, def.params === undefined ? 'none' : def.params.length], mac);
    if (def.params === undefined) return this.expandWith(substitute(def.body, mac, new Map()), ctx);
    return substitute(def.body, mac, Epp.bindArgs(work, mac, name, def.params));
  }

  /** check_uses: a macro that (through others) uses itself is circular. */
  private checkUses(start: MacroUse, mac: Token): void {
    const clean = new Set<string>();
    const visit = (m: MacroUse, ancestors: MacroUse[]): void => {
      const key = m[0] + '/' + m[1];
      if (ancestors.some(([n, a]) => n === m[0] && a === m[1])) {
        Epp.fail(mac, m[1] === 'none' ? `circular macro '${m[0]}'` : `circular macro '${m[0]}/${m[1]}'`);
      }
      if (clean.has(key)) return;
      const list = this.uses.get(m[0]) ?? [];
      const entry = list.find((e) => e.arity === m[1]) ?? list.find((e) => e.arity === 'none');
      for (const u of entry?.uses ?? []) visit(u, [...ancestors, m]);
      clean.add(key);
    };
    visit(start, []);
  }

  /** count_args: none when no '(' follows, else the number of arguments of the call. */
  private static countArgs(work: Stack, mac: Token, name: string): number | 'none' {
    if (work.peek()?.kind !== '(') return 'none';
    const argErr = (): never => Epp.fail(mac, `badly formed argument for macro '${name}'`);
    if (work.peek(1)?.kind === ')') return 0;
    if (work.peek(1)?.kind === ',') argErr();
    let k = Epp.macroArgEnd(work, 1);
    let n = 1;
    for (;;) {
      const t = work.peek(k);
      if (t === undefined) argErr();
      if (t!.kind === ')') return n;
      if (t!.kind === ',') {
        if (work.peek(k + 1)?.kind === ')') argErr();
        k = Epp.macroArgEnd(work, k + 1);
        n++;
        continue;
      }
      Epp.fail(mac, `argument mismatch for macro '${name}'`);
    }
  }

  /** macro_arg: from the k-th token, skip one argument (brackets and keyword blocks balanced); the index after it. */
  private static macroArgEnd(work: Stack, k: number): number {
    const closers: string[] = [];
    for (;;) {
      const t = work.peek(k);
      if (t === undefined) return k;
      if (closers.length === 0 && (t.kind === ',' || t.kind === ')')) return k;
      if (t.kind === 'fun' && work.peek(k + 1)?.kind === '(') closers.unshift('end');
      else if (t.kind === 'fun' && work.peek(k + 1)?.kind === 'var' && work.peek(k + 2)?.kind === '(') {
        closers.unshift('end');
        k++;
      } else if (Object.prototype.hasOwnProperty.call(OPENERS, t.kind)) closers.unshift(OPENERS[t.kind]);
      else if (closers.length > 0 && t.kind === closers[0]) closers.shift();
      k++;
    }
  }

  /** bind_args: take the call's arguments off the stack. */
  private static bindArgs(work: Stack, mac: Token, name: string, params: string[]): Map<string, Token[]> {
    const bs = new Map<string, Token[]>();
    const mismatch = (): never => Epp.fail(mac, `argument mismatch for macro '${name}'`);
    if (work.peek()?.kind !== '(') mismatch();
    work.pop();
    if (params.length === 0) {
      if (work.peek()?.kind !== ')') mismatch();
      work.pop();
      return bs;
    }
    for (let p = 0; p < params.length; p++) {
      const end = Epp.macroArgEnd(work, 0);
      const arg: Token[] = [];
      for (let k = 0; k < end; k++) arg.push(work.pop()!);
      if (arg.length === 0) mismatch();
      bs.set(params[p], arg);
      const sep = work.pop();
      if (sep === undefined) Epp.fail(mac, `badly formed argument for macro '${name}'`);
      if (p === params.length - 1 ? sep!.kind !== ')' : sep!.kind !== ',') mismatch();
    }
    return bs;
  }

  /** ?FUNCTION_NAME / ?FUNCTION_ARITY: the name and arity of the function this form defines. */
  private functionNameArity(t: Token, ctx: { form: Token[] | undefined; fa: [string, number] | undefined }): [string, number] | undefined {
    if (ctx.fa !== undefined || ctx.form === undefined) return ctx.fa;
    let toks: Token[] | undefined;
    try {
      toks = this.expand(ctx.form, undefined);
    } catch (e) {
      if (!(e instanceof EppError)) throw e;
      ctx.fa = ['_', 0];
      return ctx.fa;
    }
    if (toks[0]?.kind === 'atom' && toks[1]?.kind === '(') {
      let arity = 0;
      let depth = 1;
      for (let k = 2; k < toks.length; k++) {
        const c = toks[k].kind;
        if (c === ',') {
          if (depth === 1) arity++;
        } else if (c === '(' || c === '{' || c === '[' || c === '<<') depth++;
        else if (c === ')' || c === '}' || c === ']' || c === '>>') {
          if (depth === 1) break;
          depth--;
        } else if (arity === 0) arity = 1;
      }
      ctx.fa = [toks[0].value as string, arity];
      return ctx.fa;
    }
    const macro = t.value as string;
    if (toks[0]?.kind === '?') Epp.fail(t, `?${macro} must not begin a form`);
    Epp.fail(t, `?${macro} can only be used within a function`);
  }
}

/** How a token that cannot follow '?' is shown in "illegal macro call '?X'" (erl_scan:symbol printed ~tp). */
function tokenSymbolText(t: Token): string {
  switch (t.kind) {
    case 'integer':
      return String(t.value);
    case 'float':
      return formatFloat(t.value as number);
    case 'char':
      return String(t.value);
    case 'string':
      return writeString(codePointsOf(t.value as string));
    default:
      return writeAtom(t.kind);
  }
}

/** expand_macro: the body with parameters replaced; other tokens take the call's position. */
function substitute(body: Token[], mac: Token, bs: Map<string, Token[]>): Token[] {
  const out: Token[] = [];
  let line = mac.line;
  let col = mac.col;
  for (let k = 0; k < body.length; k++) {
    const t = body[k];
    if (t.kind === 'var' && bs.has(t.value as string)) {
      const arg = bs.get(t.value as string)!;
      out.push(...arg);
      const last = arg[arg.length - 1];
      line = last.line;
      col = last.col;
      continue;
    }
    if (t.kind === '?' && body[k + 1]?.kind === '?' && body[k + 2]?.kind === 'var') {
      const v = body[k + 2];
      k += 2;
      const arg = bs.get(v.value as string);
      if (arg) {
        const s = arg.map(tokenSource).join(' ');
        out.push(tok('string', line, col, s, JSON.stringify(s)));
      } else out.push(at(v, line, col));
      continue;
    }
    out.push(at(t, line, col));
  }
  return out;
}

function coalesceStrings(toks: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of toks) {
    const prev = out[out.length - 1];
    if (t.kind === 'string' && prev?.kind === 'string') out[out.length - 1] = { ...prev, value: (prev.value as string) + (t.value as string) };
    else out.push(t);
  }
  return out;
}

/** $VAR/rest in an include name is replaced by the environment variable. */
function expandVar(name: string): string {
  if (!name.startsWith('$')) return name;
  const [first, ...rest] = name.split('/');
  const value = process.env[first.slice(1)];
  return value === undefined ? name : [value, ...rest].join('/');
}

function mapExpr(e: Expr, f: (x: Expr) => Expr | undefined): Expr {
  const r = f(e);
  if (r !== undefined) return r;
  switch (e.type) {
    case 'op':
      return { ...e, args: e.args.map((a) => mapExpr(a, f)) };
    case 'call':
      return { ...e, fn: mapExpr(e.fn, f), args: e.args.map((a) => mapExpr(a, f)) };
    case 'tuple':
      return { ...e, elements: e.elements.map((a) => mapExpr(a, f)) };
    case 'cons':
      return { ...e, head: mapExpr(e.head, f), tail: mapExpr(e.tail, f) };
    default:
      return e;
  }
}

// ---------- evaluating -if conditions ----------

class EvalFailure {}

const GUARD_BIFS = new Set([
  'abs', 'element', 'float', 'hd', 'tl', 'length', 'map_size', 'node', 'round', 'self', 'size', 'tuple_size', 'trunc',
  'is_atom', 'is_binary', 'is_bitstring', 'is_boolean', 'is_float', 'is_function', 'is_integer', 'is_list', 'is_map',
  'is_number', 'is_pid', 'is_port', 'is_reference', 'is_tuple', 'is_map_key', 'map_get', 'bit_size', 'byte_size',
  'binary_part', 'ceil', 'floor', 'is_record',
]);
const NON_GUARD_BIFS = new Set([
  'atom_to_list', 'list_to_atom', 'integer_to_list', 'list_to_integer', 'float_to_list', 'list_to_float',
  'tuple_to_list', 'list_to_tuple', 'atom_to_binary', 'binary_to_atom', 'binary_to_list', 'list_to_binary',
  'term_to_binary', 'binary_to_term', 'apply', 'spawn', 'spawn_link', 'exit', 'throw', 'error', 'halt', 'put', 'get',
  'erase', 'send', 'register', 'whereis', 'make_ref', 'now', 'date', 'time', 'process_flag', 'link', 'unlink',
  'integer_to_binary', 'binary_to_integer', 'max', 'min', 'setelement', 'append_element', 'iolist_to_binary',
]);

/** assert_guard_expr: -if takes guard expressions only. */
function checkGuard(e: Expr, t: Token): void {
  const bad = (): never => {
    throw new EppError(t.line, t.col, "badly formed 'if'");
  };
  const walk = (x: Expr): void => {
    switch (x.type) {
      case 'integer': case 'float': case 'char': case 'atom': case 'string': case 'var': case 'nil':
        return;
      case 'op':
        if (x.op === '!') bad();
        return x.args.forEach(walk);
      case 'tuple':
        return x.elements.forEach(walk);
      case 'cons':
        walk(x.head);
        return walk(x.tail);
      case 'call':
        if (x.fn.type === 'atom' && NON_GUARD_BIFS.has(x.fn.value)) bad();
        if (x.fn.type !== 'atom' && x.fn.type !== 'remote') bad();
        return x.args.forEach(walk);
      case 'map':
        return x.assocs.forEach((a) => (walk(a.key), walk(a.value)));
      case 'bin':
        return x.elements.forEach((b) => walk(b.value));
      default:
        bad();
    }
  };
  walk(e);
}

function num(t: Term): number | bigint | ErlFloat {
  if (typeof t === 'number' || typeof t === 'bigint' || t instanceof ErlFloat) return t;
  throw new EvalFailure();
}

function arith(op: string, a: Term, b: Term): Term {
  const x = num(a);
  const y = num(b);
  if (x instanceof ErlFloat || y instanceof ErlFloat || op === '/') {
    const fx = x instanceof ErlFloat ? x.value : Number(x);
    const fy = y instanceof ErlFloat ? y.value : Number(y);
    switch (op) {
      case '+': return new ErlFloat(fx + fy);
      case '-': return new ErlFloat(fx - fy);
      case '*': return new ErlFloat(fx * fy);
      case '/':
        if (fy === 0) throw new EvalFailure();
        return new ErlFloat(fx / fy);
    }
    throw new EvalFailure();
  }
  const bx = BigInt(x);
  const by = BigInt(y);
  let r: bigint;
  switch (op) {
    case '+': r = bx + by; break;
    case '-': r = bx - by; break;
    case '*': r = bx * by; break;
    case 'div': if (by === 0n) throw new EvalFailure(); r = bx / by; break;
    case 'rem': if (by === 0n) throw new EvalFailure(); r = bx % by; break;
    case 'band': r = bx & by; break;
    case 'bor': r = bx | by; break;
    case 'bxor': r = bx ^ by; break;
    case 'bsl': r = bx << by; break;
    case 'bsr': r = bx >> by; break;
    default: throw new EvalFailure();
  }
  return r >= BigInt(Number.MIN_SAFE_INTEGER) && r <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r) : r;
}

function boolOf(t: Term): boolean {
  if (t === atom('true')) return true;
  if (t === atom('false')) return false;
  throw new EvalFailure();
}

/** Evaluate a constant guard expression (variables and unknown functions fail, which makes -if false). */
function evalGuard(e: Expr): Term {
  switch (e.type) {
    case 'op': {
      if (e.args.length === 1) {
        const a = evalGuard(e.args[0]);
        if (e.op === 'not') return bool(!boolOf(a));
        if (e.op === '-') return arith('-', 0, a);
        if (e.op === '+') return num(a);
        if (e.op === 'bnot') return arith('bxor', a, -1);
        throw new EvalFailure();
      }
      if (e.op === 'andalso') return boolOf(evalGuard(e.args[0])) ? evalGuard(e.args[1]) : atom('false');
      if (e.op === 'orelse') return boolOf(evalGuard(e.args[0])) ? atom('true') : evalGuard(e.args[1]);
      const a = evalGuard(e.args[0]);
      const b = evalGuard(e.args[1]);
      switch (e.op) {
        case '==': return bool(equal(a, b));
        case '/=': return bool(!equal(a, b));
        case '=:=': return bool(exactEqual(a, b));
        case '=/=': return bool(!exactEqual(a, b));
        case '<': return bool(compare(a, b) < 0);
        case '>': return bool(compare(a, b) > 0);
        case '=<': return bool(compare(a, b) <= 0);
        case '>=': return bool(compare(a, b) >= 0);
        case 'and': return bool(boolOf(a) && boolOf(b));
        case 'or': return bool(boolOf(a) || boolOf(b));
        case 'xor': return bool(boolOf(a) !== boolOf(b));
        default: return arith(e.op, a, b);
      }
    }
    case 'call': {
      if (e.fn.type !== 'atom' || !GUARD_BIFS.has(e.fn.value)) throw new EvalFailure();
      const args = e.args.map(evalGuard);
      const a = args[0];
      switch (e.fn.value + '/' + args.length) {
        case 'is_atom/1': return bool(a instanceof Atom);
        case 'is_integer/1': return bool(isInteger(a));
        case 'is_float/1': return bool(a instanceof ErlFloat);
        case 'is_number/1': return bool(isInteger(a) || a instanceof ErlFloat);
        case 'is_list/1': return bool(a === NIL || a instanceof List);
        case 'is_tuple/1': return bool(a instanceof Tuple);
        case 'is_binary/1': return bool(a instanceof Bin && a.bitSize % 8 === 0);
        case 'is_bitstring/1': return bool(a instanceof Bin);
        case 'is_map/1': return bool(a instanceof ErlMap);
        case 'is_boolean/1': return bool(a === atom('true') || a === atom('false'));
        case 'abs/1': { const x = num(a); return x instanceof ErlFloat ? new ErlFloat(Math.abs(x.value)) : typeof x === 'bigint' ? (x < 0n ? -x : x) : Math.abs(x); }
        case 'tuple_size/1': case 'size/1': if (a instanceof Tuple) return a.elements.length; throw new EvalFailure();
        case 'length/1': { const xs = listToArray(a); if (xs) return xs.length; throw new EvalFailure(); }
        case 'hd/1': if (a instanceof List) return a.head; throw new EvalFailure();
        case 'tl/1': if (a instanceof List) return a.tail; throw new EvalFailure();
        case 'element/2': {
          const t = args[1];
          if (typeof a === 'number' && t instanceof Tuple && a >= 1 && a <= t.elements.length) return t.elements[a - 1];
          throw new EvalFailure();
        }
        default: throw new EvalFailure();
      }
    }
    default:
      try {
        return normalise(e);
      } catch {
        throw new EvalFailure();
      }
  }
}

/** Preprocess one file: its forms' tokens (macros expanded), with errors and warnings in order. */
export function preprocess(source: string, file: string, opts?: EppOptions): EppItem[] {
  return new Epp(source, file, opts).run();
}
