// Table tests for the built-in modules against real Erlang/OTP.
// Each test/fixtures/bifs/<name>.cases file lists Erlang calls (one per line, literal arguments,
// nested M:F(...) calls allowed, funs bound by `%fun Name = ...` lines); gen.escript evaluated
// them in real erl and stored what it saw in <name>.expected. Here the same calls run through
// the BIF registry and are written the same way (~w, or the exception, its frame and the
// argument explanations), so a test compares terl's text with OTP's.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import {
  Atom,
  Bin,
  ErlFloat,
  ErlMap,
  Fun,
  List,
  NIL,
  Term,
  Tuple,
  atom,
  float,
  normInt,
} from '../../runtime/vm/term.js';
import { lookupBif } from '../../runtime/vm/bif_registry.js';
import { ErlangException, errorInfoExplanations } from '../../runtime/vm/exception.js';
import { formatFloat as formatShort } from '../../runtime/lib/stdlib/format/float.js';
import '../helpers/library.js';

const here = dirname(fileURLToPath(import.meta.url));
export const fixtures = join(here, '..', 'fixtures', 'bifs');

// ---------- running generators ----------

/** Drive an ErlFunction's generator to its result (yields to the scheduler are just resumed). */
export function run(g: Generator<unknown, Term, unknown>): Term {
  let r = g.next();
  while (!r.done) r = g.next(true);
  return r.value;
}

export function call(module: string, name: string, args: Term[]): Term {
  const b = lookupBif(module, name, args.length);
  if (!b) throw new Error(`no BIF ${module}:${name}/${args.length}`);
  return run(b.fn(...args));
}

/** A fun implemented in JS for tests (named like the Erlang variable bound to it). */
export function jsFun(name: string, arity: number, f: (...args: Term[]) => Term): Fun {
  return new Fun(
    arity,
    function* (...args: Term[]) {
      return f(...args);
    },
    { kind: 'export', module: atom('test'), name: atom(name), arity },
  );
}

// ---------- ~w ----------

const RESERVED = new Set(
  'after and andalso band begin bnot bor bsl bsr bxor case catch cond div end fun if let not of or orelse receive rem try when xor'.split(
    ' ',
  ),
);

export function writeAtom(name: string): string {
  if (/^[a-z][a-zA-Z0-9_@]*$/.test(name) && !RESERVED.has(name)) return name;
  let s = "'";
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (ch === "'") s += "\\'";
    else if (ch === '\\') s += '\\\\';
    else if (c === 10) s += '\\n';
    else if (c === 9) s += '\\t';
    else if (c < 32 || c === 127) s += '\\' + c.toString(8).padStart(3, '0');
    else if (c > 255) s += '\\x{' + c.toString(16).toUpperCase() + '}';
    else s += ch;
  }
  return s + "'";
}

export function w(t: Term): string {
  if (typeof t === 'number' || typeof t === 'bigint') return t.toString();
  if (t instanceof ErlFloat) return formatShort(t.value);
  if (t instanceof Atom) return writeAtom(t.name);
  if (t instanceof Tuple) return '{' + t.elements.map(w).join(',') + '}';
  if (t === NIL) return '[]';
  if (t instanceof List) {
    const parts: string[] = [];
    let l: Term = t;
    while (l instanceof List) {
      parts.push(w(l.head));
      l = l.tail;
    }
    return '[' + parts.join(',') + (l === NIL ? '' : '|' + w(l)) + ']';
  }
  if (t instanceof Bin) {
    const whole = t.bitSize >> 3;
    const rest = t.bitSize & 7;
    const parts = Array.from(t.bytes.subarray(0, whole), String);
    if (rest) parts.push(`${t.bytes[whole] >> (8 - rest)}:${rest}`);
    return '<<' + parts.join(',') + '>>';
  }
  if (t instanceof ErlMap) return '#{' + t.sorted().map(([k, v]) => w(k) + ' => ' + w(v)).join(',') + '}';
  if (t instanceof Fun) return '#Fun'; // erl_eval funs print their own ids: compared without them
  return String(t);
}

/** The result line as gen.escript writes it. */
export function outcome(f: () => Term): string {
  try {
    return 'ok ' + w(f());
  } catch (e) {
    if (!(e instanceof ErlangException)) throw e;
    return describe(e);
  }
}

function describe(e: ErlangException): string {
  if (e.cls.name === 'throw') return `exc throw ${w(e.reason)}`;
  const top = e.stack instanceof List ? e.stack.head : undefined;
  if (!(top instanceof Tuple) || top.elements.length !== 4) return `exc ${e.cls.name} ${w(e.reason)}`;
  const [m, f, as, info] = top.elements;
  let s = `exc ${e.cls.name} ${w(e.reason)} @ ${w(m)}:${w(f)}${isInt(as) ? '/' + as : w(as)}`;
  let why = '';
  let line = '';
  let l: Term = info;
  while (l instanceof List) {
    const it = l.head;
    const explained = errorInfoExplanations(it);
    if (explained !== undefined) {
      const parts: string[] = [];
      for (const x of explained) {
        const p = x as Tuple;
        parts.push(`${p.elements[0]}=${textOf(p.elements[1])}`);
      }
      parts.sort();
      if (parts.length) why = ' {' + parts.join(';') + '}';
    }
    if (it instanceof Tuple && it.elements[0] === atom('line')) line = ` line=${w(it.elements[1])}`;
    l = l.tail;
  }
  return s + why + line;
}

function isInt(t: Term): boolean {
  return typeof t === 'number' || typeof t === 'bigint';
}

function textOf(t: Term): string {
  let s = '';
  while (t instanceof List) {
    s += String.fromCodePoint(t.head as number);
    t = t.tail;
  }
  return s;
}

// ---------- a reader for literal Erlang call expressions ----------

type Env = Record<string, Term>;

class Reader {
  i = 0;
  constructor(
    readonly s: string,
    readonly env: Env,
  ) {}

  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  peek(): string {
    this.ws();
    return this.s[this.i];
  }
  eat(tok: string): void {
    this.ws();
    if (!this.s.startsWith(tok, this.i)) throw new Error(`expected ${tok} at ${this.i} in ${this.s}`);
    this.i += tok.length;
  }
  tryEat(tok: string): boolean {
    this.ws();
    if (this.s.startsWith(tok, this.i)) {
      this.i += tok.length;
      return true;
    }
    return false;
  }

  expr(): Term {
    this.ws();
    let t = this.primary();
    // binary list operators on literals
    for (;;) {
      if (this.tryEat('++')) t = call('erlang', '++', [t, this.primary()]);
      else if (this.tryEat('--')) t = call('erlang', '--', [t, this.primary()]);
      else return t;
    }
  }

  primary(): Term {
    this.ws();
    const c = this.s[this.i];
    if (c === '[') return this.list();
    if (c === '{') {
      this.i++;
      const es = this.seq('}');
      return new Tuple(es);
    }
    if (this.s.startsWith('#{', this.i)) {
      this.i += 2;
      const pairs: [Term, Term][] = [];
      if (!this.tryEat('}')) {
        do {
          const k = this.expr();
          this.eat('=>');
          pairs.push([k, this.expr()]);
        } while (this.tryEat(','));
        this.eat('}');
      }
      return ErlMap.from(pairs);
    }
    if (this.s.startsWith('<<', this.i)) return this.binary();
    if (c === '"') return this.string();
    if (c === '$') {
      this.i++;
      return this.char();
    }
    if (c === '-' || /[0-9]/.test(c)) return this.number();
    if (c === "'") return this.atomOrCall(this.quoted("'"));
    if (/[A-Z_]/.test(c)) {
      const name = /^[A-Za-z0-9_]+/.exec(this.s.slice(this.i))![0];
      this.i += name.length;
      if (!(name in this.env)) throw new Error(`unbound ${name}`);
      return this.env[name];
    }
    if (this.s.startsWith('fun ', this.i)) {
      this.i += 4;
      const m = this.name();
      this.eat(':');
      const f = this.name();
      this.eat('/');
      const a = Number(/^\d+/.exec(this.s.slice(this.i))![0]);
      this.i += String(a).length;
      const b = lookupBif(m, f, a);
      if (!b) throw new Error(`no BIF for fun ${m}:${f}/${a}`);
      return new Fun(a, b.fn, { kind: 'export', module: atom(m), name: atom(f), arity: a });
    }
    return this.atomOrCall(this.name());
  }

  name(): string {
    this.ws();
    if (this.s[this.i] === "'") return this.quoted("'");
    const m = /^[a-z][A-Za-z0-9_@]*/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`bad token at ${this.i} in ${this.s}`);
    this.i += m[0].length;
    return m[0];
  }

  atomOrCall(name: string): Term {
    if (this.tryEat(':')) {
      const f = this.name();
      this.eat('(');
      return call(name, f, this.seq(')'));
    }
    if (this.peek() === '(') {
      this.i++;
      return call('erlang', name, this.seq(')'));
    }
    return atom(name);
  }

  seq(close: string): Term[] {
    const es: Term[] = [];
    if (this.tryEat(close)) return es;
    do es.push(this.expr());
    while (this.tryEat(','));
    this.eat(close);
    return es;
  }

  list(): Term {
    this.eat('[');
    const es: Term[] = [];
    let tail: Term = NIL;
    if (!this.tryEat(']')) {
      do es.push(this.expr());
      while (this.tryEat(','));
      if (this.tryEat('|')) tail = this.expr();
      this.eat(']');
    }
    let l = tail;
    for (let k = es.length - 1; k >= 0; k--) l = new List(es[k], l);
    return l;
  }

  number(): Term {
    const m = /^-?\s*(\d+#[0-9a-zA-Z]+|\d+\.\d+(?:[eE][+-]?\d+)?|\d+)/.exec(this.s.slice(this.i));
    if (!m) {
      // unary minus on something else
      this.eat('-');
      const v = this.primary();
      return call('erlang', '-', [v]);
    }
    this.i += m[0].length;
    const text = m[0].replace(/\s/g, '');
    const neg = text.startsWith('-');
    const body = neg ? text.slice(1) : text;
    if (body.includes('#')) {
      const [base, digits] = body.split('#');
      let v = 0n;
      for (const d of digits.toLowerCase()) v = v * BigInt(base) + BigInt(parseInt(d, 36));
      return normInt(neg ? -v : v);
    }
    if (body.includes('.')) return float(Number(text));
    const v = BigInt(body);
    return normInt(neg ? -v : v);
  }

  escape(): number {
    const c = this.s[this.i++];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, s: 32, e: 27, b: 8, f: 12, v: 11, d: 127, '\\': 92, '"': 34, "'": 39 };
    if (c in simple) return simple[c];
    if (c === 'x') {
      if (this.s[this.i] === '{') {
        const end = this.s.indexOf('}', this.i);
        const v = parseInt(this.s.slice(this.i + 1, end), 16);
        this.i = end + 1;
        return v;
      }
      const v = parseInt(this.s.slice(this.i, this.i + 2), 16);
      this.i += 2;
      return v;
    }
    if (/[0-7]/.test(c)) {
      let o = c;
      while (o.length < 3 && /[0-7]/.test(this.s[this.i])) o += this.s[this.i++];
      return parseInt(o, 8);
    }
    return c.codePointAt(0)!;
  }

  char(): Term {
    if (this.s[this.i] === '\\') {
      this.i++;
      return this.escape();
    }
    const cp = this.s.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  stringCodes(q: string): number[] {
    this.eat(q);
    const out: number[] = [];
    while (this.s[this.i] !== q) {
      if (this.s[this.i] === '\\') {
        this.i++;
        out.push(this.escape());
      } else {
        const cp = this.s.codePointAt(this.i)!;
        out.push(cp);
        this.i += cp > 0xffff ? 2 : 1;
      }
    }
    this.i++;
    return out;
  }

  quoted(q: string): string {
    return String.fromCodePoint(...this.stringCodes(q));
  }

  string(): Term {
    let codes = this.stringCodes('"');
    // adjacent string literals concatenate
    while (this.peek() === '"') codes = codes.concat(this.stringCodes('"'));
    let l: Term = NIL;
    for (let k = codes.length - 1; k >= 0; k--) l = new List(codes[k], l);
    return l;
  }

  binary(): Term {
    this.eat('<<');
    const bits: number[] = [];
    const pushBits = (v: bigint, size: number): void => {
      for (let k = size - 1; k >= 0; k--) bits.push(Number((v >> BigInt(k)) & 1n));
    };
    if (!this.tryEat('>>')) {
      do {
        this.ws();
        if (this.s[this.i] === '"') {
          const codes = this.stringCodes('"');
          const utf8 = this.tryEat('/utf8');
          const bytes = utf8 ? Array.from(new TextEncoder().encode(String.fromCodePoint(...codes))) : codes.map((x) => x & 255);
          for (const b of bytes) pushBits(BigInt(b), 8);
          continue;
        }
        const v = this.primary();
        let size = 8;
        if (this.tryEat(':')) {
          const m = /^\d+/.exec(this.s.slice(this.i))!;
          size = Number(m[0]);
          this.i += m[0].length;
        }
        if (this.tryEat('/utf8')) {
          for (const b of new TextEncoder().encode(String.fromCodePoint(v as number))) pushBits(BigInt(b), 8);
          continue;
        }
        if (v instanceof Bin) {
          for (let k = 0; k < v.bitSize; k++) bits.push((v.bytes[k >> 3] >> (7 - (k & 7))) & 1);
          continue;
        }
        if (v instanceof ErlFloat) {
          const dv = new DataView(new ArrayBuffer(8));
          dv.setFloat64(0, v.value);
          for (let k = 0; k < 8; k++) pushBits(BigInt(dv.getUint8(k)), 8);
          continue;
        }
        pushBits(BigInt(v as number | bigint) & ((1n << BigInt(size)) - 1n), size);
      } while (this.tryEat(','));
      this.eat('>>');
    }
    const bytes = new Uint8Array(Math.ceil(bits.length / 8));
    bits.forEach((b, k) => {
      if (b) bytes[k >> 3] |= 0x80 >> (k & 7);
    });
    return new Bin(bytes, bits.length);
  }
}

export function evalExpr(text: string, env: Env): Term {
  const r = new Reader(text, env);
  const t = r.expr();
  r.ws();
  if (r.i !== text.length) throw new Error(`trailing text at ${r.i} in ${text}`);
  return t;
}

// ---------- the case tables ----------

export interface Case {
  expr: string;
  expected: string | undefined;
}

/** The cases of <name>.cases with what real erl gave for each, and the names of the funs they bind. */
export function loadCases(name: string): { cases: Case[]; funs: string[] } {
  const lines = readFileSync(join(fixtures, name + '.cases'), 'utf8').split('\n');
  const expected = new Map<string, string>();
  try {
    for (const l of readFileSync(join(fixtures, name + '.expected'), 'utf8').split('\n')) {
      const tab = l.indexOf('\t');
      if (tab > 0) expected.set(l.slice(0, tab), l.slice(tab + 1).replace(/#Fun<[^>]*>/g, '#Fun'));
    }
  } catch {
    // no expectations yet: every case fails with a hint to run gen.escript
  }
  const funs: string[] = [];
  const cases: Case[] = [];
  for (const l of lines) {
    if (l === '') continue;
    if (l.startsWith('%fun ')) {
      funs.push(/^%fun (\w+)/.exec(l)![1]);
      continue;
    }
    if (l.startsWith('%')) continue;
    cases.push({ expr: l, expected: expected.get(l) });
  }
  return { cases, funs };
}

// ---------- funs the case files bind (each .cases file gives the same funs in Erlang) ----------

const T = atom('true');
const F = atom('false');
const n = (t: Term): number => t as number;
const b = (x: boolean): Term => (x ? T : F);

export const stdFuns: Env = {
  // fun(X) -> X * 2 end
  Double: jsFun('Double', 1, (x) => n(x) * 2),
  // fun(X) -> X rem 2 =:= 0 end
  IsEven: jsFun('IsEven', 1, (x) => b(n(x) % 2 === 0)),
  // fun(X, Acc) -> X + Acc end
  Add: jsFun('Add', 2, (x, y) => n(x) + n(y)),
  // fun(X, Acc) -> [X | Acc] end
  Cons: jsFun('Cons', 2, (x, y) => new List(x, y)),
  // fun(A, B) -> A >= B end
  Ge: jsFun('Ge', 2, (x, y) => b(compareTerms(x, y) >= 0)),
  // fun(A, B) -> A =< B end
  Le: jsFun('Le', 2, (x, y) => b(compareTerms(x, y) <= 0)),
  // fun(X) -> {X} end
  Wrap: jsFun('Wrap', 1, (x) => new Tuple([x])),
  // fun(X) -> [X, X] end
  Twice: jsFun('Twice', 1, (x) => new List(x, new List(x, NIL))),
  // fun(X) -> X > 2 end
  Gt2: jsFun('Gt2', 1, (x) => b(compareTerms(x, 2) > 0)),
  // fun(X) -> if X > 2 -> {true, X * 10}; X =:= 1 -> true; true -> false end end
  FM: jsFun('FM', 1, (x) => (compareTerms(x, 2) > 0 ? new Tuple([T, n(x) * 10]) : x === 1 ? T : F)),
  // fun(X, Acc) -> {X * 2, Acc + X} end
  MapAcc: jsFun('MapAcc', 2, (x, acc) => new Tuple([n(x) * 2, n(acc) + n(x)])),
  // fun(X) -> X end
  Id: jsFun('Id', 1, (x) => x),
  // fun(X) -> X rem 3 end
  Rem3: jsFun('Rem3', 1, (x) => n(x) % 3),
  // fun(X) -> perhaps end
  NotBool: jsFun('NotBool', 1, () => atom('perhaps')),
  // fun(_) -> throw(oops) end
  Thrower: jsFun('Thrower', 1, () => {
    throw new ErlangException(atom('throw'), atom('oops'));
  }),
  // fun(K, V) -> V * 2 end
  KV2: jsFun('KV2', 2, (_k, v) => n(v) * 2),
  // fun(K, V) -> V > 1 end
  KVGt1: jsFun('KVGt1', 2, (_k, v) => b(compareTerms(v, 1) > 0)),
  // fun(K, V, Acc) -> [{K, V} | Acc] end
  KVAcc: jsFun('KVAcc', 3, (k, v, acc) => new List(new Tuple([k, v]), acc)),
  // fun(K, V) -> if V > 1 -> {true, V * 10}; true -> false end end
  KVFM: jsFun('KVFM', 2, (_k, v) => (compareTerms(v, 1) > 0 ? new Tuple([T, n(v) * 10]) : F)),
  // fun(V) -> V + 1 end
  Inc: jsFun('Inc', 1, (v) => n(v) + 1),
  // fun(C) -> C =:= $a end
  IsA: jsFun('IsA', 1, (c) => b(c === 97)),
};

import { compare as compareTerms } from '../../runtime/vm/term.js';

/** Cases of a .cases file as vitest table rows, checking that its funs exist here. */
export function tableFor(name: string): { cases: Case[]; env: Env } {
  const { cases, funs } = loadCases(name);
  for (const f of funs) if (!(f in stdFuns)) throw new Error(`${name}.cases binds ${f}, which bifs_harness.ts lacks`);
  return { cases, env: stdFuns };
}
