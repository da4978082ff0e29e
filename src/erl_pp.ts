// Erlang source text from the syntax tree, laid out as OTP's erl_pp lays it out: the shell's h()
// lists commands with it and rl() prints record definitions with it.
//
// Two steps, as in erl_pp: an expression becomes a tree of layout items (leaves, sequences with a
// separator, "step" pairs whose second part goes on the next line, indented, when the pair does not
// fit), and the layout places them within 72 columns: a sequence goes on one line when it fits,
// otherwise one item per line; clauses and comprehension qualifiers always take a line each.

import type { BinElement, Clause, Expr, MapAssoc, Qualifier, RecordFieldDef, RecordFieldInit } from './ast.js';
import { Atom, Term, Tuple, atom, float, isInteger, listToArray } from '../runtime/vm/term.js';
import { writeAtom, quoteChars, codePoints, charsLength } from '../runtime/lib/stdlib/format/chars.js';
import { writeTerm } from '../runtime/lib/stdlib/format/term.js';
import { isAutoImported } from './compile/bifs.js';
import { constValue } from './compile/literal.js';

export type Encoding = 'unicode' | 'latin1';

/** erl_pp's defaults for its linewidth and indent options */
const LINE_WIDTH = 72;
const INDENT = 4;

// ---------- layout items ----------

/** a piece of text on one line; `atomic` pieces may share a line when a sequence is broken */
interface Leaf {
  k: 'leaf';
  s: string;
  atomic: boolean;
}
interface Seq {
  k: 'seq';
  before: Item;
  after: Item;
  /** between items: `sep` after each but the last, which gets `last` */
  sep: Item;
  last: Item;
  /** whether a space separates items that share a line */
  spaced: boolean;
  items: CItem[];
}
/** items one per line (unless there is nothing to break) */
interface PreferNl {
  k: 'prefer_nl';
  sep: Item;
  items: CItem[];
}
/** a string literal, cut into pieces that fit the line */
interface Str {
  k: 'string';
  cps: number[];
}
export type Item = Leaf | Seq | PreferNl | Str | Item[];
/** `step`: b after a, or on the next line indented; `cstep`: the same, but b stays beside a short a */
export type CItem = Item | { k: 'step' | 'cstep'; a: Item; b: Item };

export const NIL_ITEM: Item = [];
export const leaf = (s: string, atomic = true): Leaf => ({ k: 'leaf', s, atomic });
/** a punctuation character (erl_pp's bare characters, which never count as atomic) */
export const ch = (s: string): Leaf => ({ k: 'leaf', s, atomic: false });
export const step = (a: Item, b: Item): CItem => ({ k: 'step', a, b });
export const cstep = (a: Item, b: Item): CItem => ({ k: 'cstep', a, b });
export const seq = (before: Item, after: Item, sep: Item, items: CItem[], spaced = true, last: Item = sep): Seq => ({
  k: 'seq',
  before,
  after,
  sep,
  last,
  spaced,
  items,
});
/** items on one line separated by spaces, or one per line */
export const lst = (items: CItem[]): Seq => seq(NIL_ITEM, NIL_ITEM, NIL_ITEM, items);
/** e, then the item indented past e */
export const first = (e: Item, item: CItem): Seq => seq(e, NIL_ITEM, NIL_ITEM, [item]);
export const preferNl = (sep: Item, items: CItem[]): PreferNl => ({ k: 'prefer_nl', sep, items });

// ---------- laying out ----------

/** A width on the current line, or {line: column} once the text spans lines (the column it ends at). */
type Size = number | { line: number };

export interface Laid {
  s: string;
  n: Size;
}

/** erl_pp's linewidth, indent and quote_singleton_atom_types options, when not the defaults */
export interface LayoutOptions {
  width?: number;
  indent?: number;
  /** atoms in types always quoted: 'ok' */
  quoteAtomTypes?: boolean;
}

export interface Ctx extends LayoutOptions {
  enc: Encoding;
}

const widthOf = (cx: Ctx): number => cx.width ?? LINE_WIDTH;
const indentOf = (cx: Ctx): number => cx.indent ?? INDENT;

const isLine = (n: Size): n is { line: number } => typeof n !== 'number';

function spaces(n: number): string {
  return ' '.repeat(Math.max(0, n));
}

function nlIndent(i: number): string {
  return '\n' + spaces(i);
}

/** The column after text laid out from column i. */
function indentAfter(x: Laid, i: number): number {
  return isLine(x.n) ? x.n.line : i + x.n;
}

function lineSize(sizes: Size[]): Size {
  let size = 0;
  let lf = false;
  for (const sz of sizes) {
    if (isLine(sz)) {
      size = sz.line;
      lf = true;
    } else size += sz;
  }
  return lf ? { line: size } : size;
}

function nsz(n: Size, i: number): Size {
  return isLine(n) ? n : { line: n + i };
}

function isEmpty(x: Laid): boolean {
  return x.n === 0;
}

export function layout(item: Item, i: number, cx: Ctx): Laid {
  if (Array.isArray(item)) {
    if (item.length === 0) return { s: '', n: 0 };
    return consecutive(item.slice(1), layout(item[0]!, i, cx), i, cx);
  }
  switch (item.k) {
    case 'leaf':
      return { s: item.s, n: charsLength(item.s) };
    case 'string':
      return layout(stringPieces(item.cps, i, cx), i, cx);
    case 'prefer_nl': {
      const pairs = laidItems(item.items, item.sep, item.sep, i, NIL_ITEM, cx);
      const sizes = pairs.flat().filter((x) => !isEmpty(x));
      if (sizes.length === 0) return { s: '', n: 0 };
      const lines = handleStep(pairs, i, cx).filter((x) => !isEmpty(x));
      return { s: lines.map((x) => x.s).join(nlIndent(i)), n: nsz(sizes[sizes.length - 1]!.n, i) };
    }
    case 'seq': {
      const b = layout(item.before, i, cx);
      const ii = indentAfter(b, i);
      const pairs = laidItems(item.items, item.sep, item.last, ii, item.after, cx);
      const flat = pairs.flat().filter((x) => !isEmpty(x));
      const nSep = item.spaced ? Math.max(0, flat.length - 1) : 0;
      const all = [b, ...flat].filter((x) => !isEmpty(x));
      const sum = all.every((x) => !isLine(x.n)) ? all.reduce((a, x) => a + (x.n as number), 0) + nSep : undefined;
      if (sum !== undefined && i + sum <= widthOf(cx)) {
        return { s: (isEmpty(b) ? '' : b.s) + flat.map((x) => x.s).join(nSep > 0 ? ' ' : ''), n: sum };
      }
      const stepped = handleStep(pairs, ii, cx);
      const body = maybeNewlines(stepped, item.items, ii, nSep > 0, cx);
      return { s: (isEmpty(b) ? '' : b.s) + body.s, n: nsz(body.n, i) };
    }
  }
}

function consecutive(items: Item[], firstLaid: Laid, i: number, cx: Ctx): Laid {
  let col = indentAfter(firstLaid, i);
  const laid = [firstLaid];
  for (const it of items) {
    const x = layout(it, col, cx);
    laid.push(x);
    col = indentAfter(x, col);
  }
  const kept = laid.filter((x) => !isEmpty(x));
  return { s: kept.map((x) => x.s).join(''), n: lineSize(kept.map((x) => x.n)) };
}

/** Each item with its separator laid out: [item, ''] or, for a step, [head, body]. */
function laidItems(items: CItem[], sep: Item, last: Item, i: number, after: Item, cx: Ctx): [Laid, Laid][] {
  const none: Laid = { s: '', n: 0 };
  if (items.length === 0) return [[layout(after, i, cx), none]];
  return items.map((it, k) => {
    const s = k === items.length - 1 ? after : k === items.length - 2 ? last : sep;
    if (!Array.isArray(it) && (it.k === 'step' || it.k === 'cstep')) {
      const a = layout(it.a, i, cx);
      if (it.k === 'cstep' && !isLine(a.n) && a.n < indentOf(cx)) return [consecutive([leaf(' '), it.b, s], a, i, cx), none];
      return [a, layout([it.b, s], i + indentOf(cx), cx)];
    }
    return [layout([it as Item, s], i, cx), none];
  });
}

function handleStep(pairs: [Laid, Laid][], i: number, cx: Ctx): Laid[] {
  return pairs.map(([a, b]) => {
    if (isEmpty(a) && isEmpty(b)) return { s: '', n: 0 };
    if (isEmpty(b)) return a;
    return { s: a.s + nlIndent(i + indentOf(cx)) + b.s, n: lineSize([a.n, b.n]) };
  });
}

function isAtomic(it: CItem): boolean {
  return !Array.isArray(it) && it.k === 'leaf' && it.atomic;
}

/** A broken sequence: atomic items share lines while they fit, anything else takes a line. */
function maybeNewlines(laid: Laid[], items: CItem[], i: number, spaced: boolean, cx: Ctx): Laid {
  const width = widthOf(cx);
  if (laid.length === 1 && items.length === 0) return laid[0]!;
  const [x0, ...rest] = laid;
  let col = isAtomic(items[0]!) && !isLine(x0!.n) ? i + x0!.n : width + 1;
  let s = x0!.s;
  let sz: number = isLine(x0!.n) ? 0 : x0!.n;
  rest.forEach((x, k) => {
    const it = items[k + 1];
    if (it !== undefined && isAtomic(it) && !isLine(x.n)) {
      if (col + x.n + 1 <= width) {
        s += (spaced ? ' ' : '') + x.s;
        col += x.n + 1;
        sz += x.n + 1;
      } else {
        s += nlIndent(i) + x.s;
        col = i + x.n;
        sz = x.n + 1;
      }
    } else {
      s += nlIndent(i) + x.s;
      col = width + 1;
      sz = 0;
    }
  });
  return { s, n: sz };
}

/** A string literal in pieces that fit what is left of the line (at least 5 characters each). */
function stringPieces(cps: number[], i: number, cx: Ctx): Item {
  if (cps.length === 0) return leaf(writeStr(cps, cx));
  const len = Math.max(widthOf(cx) - i, 5);
  const pieces: Item[] = [];
  let rest = cps;
  while (rest.length > 0) {
    let n = len;
    let text = writeStr(rest.slice(0, n), cx);
    while (charsLength(text) > len && n > 5) text = writeStr(rest.slice(0, --n), cx);
    pieces.push(leaf(text));
    rest = rest.slice(Math.min(n, rest.length));
  }
  return lst(pieces);
}

function writeStr(cps: number[], cx: Ctx): string {
  return quoteChars(cps, '"', cx.enc === 'latin1');
}

// ---------- expressions ----------

export const INOP: Record<string, [number, number, number]> = {
  '=': [150, 100, 100],
  '!': [150, 100, 100],
  orelse: [160, 150, 150],
  andalso: [200, 160, 160],
  '==': [300, 200, 300],
  '/=': [300, 200, 300],
  '=<': [300, 200, 300],
  '<': [300, 200, 300],
  '>=': [300, 200, 300],
  '>': [300, 200, 300],
  '=:=': [300, 200, 300],
  '=/=': [300, 200, 300],
  '++': [400, 300, 300],
  '--': [400, 300, 300],
  '+': [400, 400, 500],
  '-': [400, 400, 500],
  bor: [400, 400, 500],
  bxor: [400, 400, 500],
  bsl: [400, 400, 500],
  bsr: [400, 400, 500],
  or: [400, 400, 500],
  xor: [400, 400, 500],
  '*': [500, 500, 600],
  '/': [500, 500, 600],
  div: [500, 500, 600],
  rem: [500, 500, 600],
  band: [500, 500, 600],
  and: [500, 500, 600],
  '#': [800, 700, 800],
  ':': [900, 800, 900],
};
const PREOP: Record<string, [number, number]> = {
  catch: [700, 100],
  '+': [600, 700],
  '-': [600, 700],
  bnot: [600, 700],
  not: [600, 700],
  '#': [700, 800],
};
const FUNC_PREC: [number, number] = [800, 700];
const MAX_PREC = 900;

export function paren(p: number, prec: number, item: Item): Item {
  return p < prec ? [ch('('), item, ch(')')] : item;
}

export class Printer {
  constructor(readonly cx: Ctx) {}

  /** io_lib:write_char (write_char_as_latin1 in latin1): no quote to escape, and $\s spelled out in unicode only */
  char(c: number): string {
    if (c === 0x27) return "$'";
    if (c === 0x20 && this.cx.enc === 'unicode') return '$\\s';
    return '$' + quoteChars([c], "'", this.cx.enc === 'latin1').slice(1, -1);
  }

  atom(name: string): Leaf {
    return leaf(writeAtom(atom(name), this.cx.enc));
  }

  expr(e: Expr, prec = 0): Item {
    switch (e.type) {
      case 'var':
        return leaf(e.name);
      case 'integer':
        return leaf(String(e.value));
      case 'float':
        return leaf(writeTerm(float(e.value)));
      case 'char':
        return leaf(this.char(e.value));
      case 'atom':
        return this.atom(e.value);
      case 'string':
        return { k: 'string', cps: codePoints(e.value) };
      case 'nil':
        return leaf('[]');
      case 'cons': {
        const es: Expr[] = [];
        let t: Expr = e;
        while (t.type === 'cons') {
          es.push(t.head);
          t = t.tail;
        }
        if (t.type === 'nil') return seq(ch('['), ch(']'), ch(','), es.map((x) => this.expr(x)));
        return seq(ch('['), ch(']'), ch(','), [...es, t].map((x) => this.expr(x)), true, leaf(' |'));
      }
      case 'lc':
      case 'bc': {
        const [open, close] = e.type === 'lc' ? ['[', ']'] : ['<<', '>>'];
        const body = lst([step([this.expr(e.expr, e.type === 'bc' ? MAX_PREC : 0), leaf(' ||')], this.quals(e.quals))]);
        // erl_pp puts the comprehension on lines of its own, after a blank
        return lst([seq(e.type === 'lc' ? ch(open) : leaf(open), NIL_ITEM, NIL_ITEM, [preferNl(NIL_ITEM, [leaf(' '), body])]), ch(close)]);
      }
      case 'tuple':
        return this.tuple(e.elements.map((x) => this.expr(x)));
      case 'record_index': {
        const [p] = PREOP['#']!;
        return paren(p, prec, [this.recordName(e.name), ch('.'), this.atom(e.field)]);
      }
      case 'record': {
        const [p] = PREOP['#']!;
        const fields = this.tuple(e.fields.map((f) => this.recordFieldInit(f)));
        if (e.base === undefined) return paren(p, prec, first(this.recordName(e.name), fields));
        const [l, pp] = INOP['#']!;
        return paren(pp, prec, [this.expr(e.base, l), first(this.recordName(e.name), fields)]);
      }
      case 'record_field': {
        const [l, p] = INOP['#']!;
        return paren(p, prec, [this.expr(e.expr, l), this.recordName(e.name), ch('.'), this.atom(e.field)]);
      }
      case 'map': {
        const fields = this.tuple(e.assocs.map((a) => this.mapAssoc(a)));
        if (e.base === undefined) {
          const [p] = PREOP['#']!;
          return paren(p, prec, first(ch('#'), fields));
        }
        const [l, p] = INOP['#']!;
        const sep = e.base.type === 'integer' ? [leaf(' '), ch('#')] : [ch('#')];
        return paren(p, prec, [this.expr(e.base, l), first(sep, fields)]);
      }
      case 'block':
        return lst([step(leaf('begin'), this.body(e.body)), leaf('end')]);
      case 'if':
        return lst([step(leaf('if'), this.clauses(e.clauses, (c) => this.ifClause(c))), leaf('end')]);
      case 'case':
        return lst([step(lst([step(leaf('case'), this.expr(e.expr)), leaf('of')]), this.crClauses(e.clauses)), leaf('end')]);
      case 'receive': {
        const items: CItem[] = [step(leaf('receive'), this.crClauses(e.clauses))];
        if (e.after) items.push(step(leaf('after'), lst([step([this.expr(e.after.timeout), leaf(' ->')], this.body(e.after.body))])));
        items.push(leaf('end'));
        return lst(items);
      }
      case 'fun_ref': {
        if (e.module === undefined && e.name.type === 'atom' && e.arity.type === 'integer') {
          return [leaf('fun '), this.atom(e.name.value), leaf(`/${e.arity.value}`)];
        }
        return [leaf('fun '), ...(e.module ? [this.expr(e.module), ch(':')] : []), this.expr(e.name), ch('/'), this.expr(e.arity)];
      }
      case 'fun': {
        const named = e.name;
        const cs = e.clauses.map((c): CItem => {
          const st = this.funClause(c);
          return named === undefined ? st : step([leaf(named), (st as { a: Item }).a], (st as { b: Item }).b);
        });
        const head: Item = named === undefined ? leaf('fun') : [leaf('fun'), leaf(' ')];
        return lst([first(head, preferNl(ch(';'), cs)), leaf('end')]);
      }
      case 'call': {
        let fn = e.fn;
        if (
          fn.type === 'remote' &&
          fn.module.type === 'atom' &&
          fn.module.value === 'erlang' &&
          fn.name.type === 'atom' &&
          fn.name.value !== 'float' &&
          isAutoImported(fn.name.value, e.args.length)
        ) {
          fn = fn.name;
        }
        const [f, p] = FUNC_PREC;
        return paren(p, prec, first(this.expr(fn, f), this.args(e.args)));
      }
      case 'remote': {
        const [l, p, r] = INOP[':']!;
        return paren(p, prec, [this.expr(e.module, l), ch(':'), this.expr(e.name, r)]);
      }
      case 'try': {
        const items: CItem[] = [];
        if (e.clauses.length === 0) items.push(step(leaf('try'), this.body(e.body)));
        else items.push(step(lst([step(leaf('try'), this.body(e.body)), leaf('of')]), this.crClauses(e.clauses)));
        if (e.catchClauses.length > 0) items.push(step(leaf('catch'), this.clauses(e.catchClauses, (c) => this.tryClause(c))));
        if (e.after.length > 0) items.push(step(leaf('after'), this.body(e.after)));
        items.push(leaf('end'));
        return lst(items);
      }
      case 'catch': {
        const [p, r] = PREOP.catch!;
        return paren(p, prec, lst([step(leaf('catch'), this.expr(e.expr, r))]));
      }
      case 'match': {
        const [l, p, r] = INOP['=']!;
        return paren(p, prec, lst([cstep([this.expr(e.left, l), leaf(' =')], this.expr(e.right, r))]));
      }
      case 'op': {
        if (e.args.length === 1) {
          const [p, r] = PREOP[e.op] ?? [600, 700];
          const o = e.op === '+' || e.op === '-' ? leaf(e.op) : leaf(`${e.op} `);
          return paren(p, prec, [o, this.expr(e.args[0]!, r)]);
        }
        const [l, p, r] = INOP[e.op] ?? [400, 400, 500];
        const left = this.expr(e.args[0]!, l);
        const right = this.expr(e.args[1]!, r);
        if (e.op === 'orelse' || e.op === 'andalso') return paren(p, prec, preferNl(NIL_ITEM, [left, leaf(e.op), right]));
        return paren(p, prec, lst([left, leaf(e.op), right]));
      }
      case 'bin':
        if (e.elements.length === 0) return leaf('<<>>');
        return [leaf('<<'), seq(NIL_ITEM, NIL_ITEM, ch(','), e.elements.map((b) => this.binElement(b)), false), leaf('>>')];
    }
  }

  recordName(name: string): Item {
    return [ch('#'), this.atom(name)];
  }

  tuple(items: CItem[]): Item {
    return items.length === 0 ? leaf('{}') : seq(ch('{'), ch('}'), ch(','), items);
  }

  args(as: Expr[]): Item {
    return seq(ch('('), ch(')'), ch(','), as.map((a) => this.expr(a)));
  }

  body(es: Expr[]): Item {
    return es.length === 1 ? this.expr(es[0]!) : preferNl(ch(','), es.map((x) => this.expr(x)));
  }

  clauses(cs: Clause[], f: (c: Clause) => CItem): Item {
    return preferNl(ch(';'), cs.map(f));
  }

  crClauses(cs: Clause[]): Item {
    return this.clauses(cs, (c) => step(this.guardWhen(this.expr(c.patterns[0]!), c.guards), this.body(c.body)));
  }

  ifClause(c: Clause): CItem {
    return step([this.guardSeq(c.guards), leaf(' ->')], this.body(c.body));
  }

  tryClause(c: Clause): CItem {
    const p = c.patterns[0]!;
    let head: Item;
    if (p.type === 'tuple' && p.elements.length === 3) {
      const [cls, v, st] = p.elements as [Expr, Expr, Expr];
      head = [this.expr(cls), ch(':'), this.expr(v)];
      if (!(st.type === 'var' && st.name === '_')) head = [...head, ch(':'), this.expr(st)];
    } else head = this.expr(p);
    return step(this.guardWhen(head, c.guards), this.body(c.body));
  }

  funClause(c: Clause): CItem {
    return step(this.guardWhen(this.args(c.patterns), c.guards), this.body(c.body));
  }

  guardWhen(before: Item, guards: Expr[][]): Item {
    const g: Item = guards.length === 0 ? NIL_ITEM : lst([step(leaf('when'), this.guardSeq(guards))]);
    return [lst([step(before, g)]), leaf(' ->')];
  }

  guardSeq(guards: Expr[][]): Item {
    return seq(NIL_ITEM, NIL_ITEM, ch(';'), guards.map((g) => seq(NIL_ITEM, NIL_ITEM, ch(','), g.map((x) => this.expr(x)))));
  }

  quals(qs: Qualifier[]): Item {
    return preferNl(
      ch(','),
      qs.map((q) => {
        if (q.type === 'filter') return this.expr(q.expr);
        return lst([step([this.expr(q.pattern), leaf(q.type === 'generate' ? ' <-' : ' <=')], this.expr(q.expr))]);
      }),
    );
  }

  recordFieldInit(f: RecordFieldInit): CItem {
    const [, , r] = INOP['=']!;
    const name = f.field === '_' ? leaf('_') : this.atom(f.field);
    return lst([cstep([name, leaf(' =')], this.expr(f.value, r))]);
  }

  mapAssoc(a: MapAssoc): CItem {
    return lst([step([this.expr(a.key), leaf(a.op === '=>' ? ' =>' : ' :=')], this.expr(a.value))]);
  }

  binElement(b: BinElement): Item {
    const v = this.expr(b.value, MAX_PREC);
    const sized: Item = b.size !== undefined ? [v, ch(':'), this.expr(b.size, MAX_PREC)] : v;
    if (b.specs === undefined || b.specs.length === 0) return sized;
    const specs: Item[] = [];
    b.specs.forEach((s, k) => {
      if (k > 0) specs.push(ch('-'));
      specs.push(leaf(typeof s === 'string' ? s : `unit:${s.unit}`));
    });
    return [sized, ch('/'), ...specs];
  }

  // ---------- record definitions ----------

  recordField(f: RecordFieldDef): CItem {
    const name = this.atom(f.name);
    const typeTerm = f.type === undefined ? undefined : constValue(f.type);
    const typed = (b: Item): Item => (typeTerm === undefined ? b : lst([cstep([b, leaf(' ::')], this.type(typeTerm))]));
    if (f.default === undefined) return typed(name);
    const [, , r] = INOP['=']!;
    if (typeTerm === undefined) return lst([cstep([name, leaf(' =')], this.expr(f.default, r))]);
    return lst([cstep([name, leaf(' =')], typed(this.expr(f.default, r)))]);
  }

  // ---------- types (abstract format terms) ----------

  type(t: Term, prec = 0): Item {
    if (!(t instanceof Tuple)) return leaf(writeTerm(t));
    const [tag, , a, b] = t.elements;
    const tagName = tag instanceof Atom ? tag.name : '';
    const nameOf = (x: Term | undefined) => (x instanceof Atom ? x.name : '');
    switch (tagName) {
      case 'ann_type': {
        const [v, ty] = listToArray(a!) ?? [];
        return paren(150, prec, lst([cstep([this.type(v!, 150), leaf(' ::')], this.type(ty!, 160))]));
      }
      case 'paren_type':
        return this.type((listToArray(a!) ?? [])[0]!, prec);
      case 'atom':
        if (this.cx.quoteAtomTypes) return leaf(quoteChars(codePoints(nameOf(a)), "'", this.cx.enc === 'latin1'));
        return this.atom(nameOf(a));
      case 'integer':
        return leaf(writeTerm(a!));
      case 'char':
        return leaf(this.char(Number(a)));
      case 'var':
        return leaf(nameOf(a));
      case 'op': {
        const op = nameOf(a);
        if (t.elements.length === 4) return [leaf(op === '-' || op === '+' ? op : op + ' '), this.type(b!, 700)];
        const [l, p, r] = INOP[op] ?? [400, 400, 500];
        return paren(p, prec, lst([this.type(b!, l), leaf(op), this.type(t.elements[4]!, r)]));
      }
      case 'remote_type': {
        const [m, f, as] = listToArray(a!) ?? [];
        return first([this.type(m!), ch(':'), this.type(f!)], this.typeArgs(listToArray(as!) ?? []));
      }
      case 'user_type':
        return first(this.atom(nameOf(a)), this.typeArgs(listToArray(b!) ?? []));
      case 'type':
        return this.builtinType(nameOf(a), b!, prec);
      default:
        return leaf(writeTerm(t));
    }
  }

  typeArgs(ts: Term[]): Item {
    return seq(ch('('), ch(')'), ch(','), ts.map((x) => this.type(x)));
  }

  builtinType(name: string, args: Term, prec: number): Item {
    const ts = listToArray(args);
    if (ts === undefined) {
      // map() and tuple() as `any`
      return [this.atom(name), leaf('()')];
    }
    switch (name) {
      case 'union':
        return paren(180, prec, seq(NIL_ITEM, NIL_ITEM, leaf(' |'), ts.map((x) => this.type(x, 170))));
      case 'list':
        if (ts.length === 1) return seq(ch('['), ch(']'), ch(','), [this.type(ts[0]!)], false);
        break;
      case 'nonempty_list':
        if (ts.length === 1) return seq(ch('['), ch(']'), ch(','), [this.type(ts[0]!), leaf('...')]);
        break;
      case 'nil':
        return leaf('[]');
      case 'tuple':
        return this.tuple(ts.map((x) => this.type(x)));
      case 'map':
        return paren(700, prec, first(ch('#'), this.tuple(ts.map((x) => this.mapFieldType(x)))));
      case 'range':
        return paren(300, prec, seq(NIL_ITEM, NIL_ITEM, leaf('..'), ts.map((x) => this.type(x, 300)), false));
      case 'record': {
        const [n, ...fs] = ts;
        return paren(700, prec, first(this.recordName(n instanceof Tuple ? (n.elements[2] as Atom).name : ''), this.tuple(fs.map((f) => this.fieldType(f)))));
      }
      case 'binary':
        if (ts.length === 2) return this.binaryType(ts[0]!, ts[1]!);
        break;
      case 'fun':
        if (ts.length === 0) return leaf('fun()');
        return [this.funType([leaf('fun'), ch('(')], ts), ch(')')];
    }
    return first(this.atom(name), this.typeArgs(ts));
  }

  mapFieldType(t: Term): CItem {
    const [, , kind, kv] = (t as Tuple).elements;
    const [k, v] = listToArray(kv!) ?? [];
    const op = kind instanceof Atom && kind.name === 'map_field_exact' ? ' :=' : ' =>';
    return lst([cstep([this.type(k!), leaf(op)], this.type(v!))]);
  }

  fieldType(t: Term): CItem {
    const [n, ty] = listToArray((t as Tuple).elements[3]!) ?? [];
    return lst([cstep([this.type(n!), leaf(' ::')], this.type(ty!))]);
  }

  binaryType(m: Term, n: Term): Item {
    const size = (x: Term) => (x instanceof Tuple && isInteger(x.elements[2]!) ? Number(x.elements[2]) : 1);
    const items: Item[] = [];
    if (size(m) !== 0) items.push([leaf('_:'), this.type(m, MAX_PREC)]);
    if (size(n) !== 0) items.push([leaf('_:_*'), this.type(n, MAX_PREC)]);
    return items.length === 0 ? leaf('<<>>') : seq(leaf('<<'), leaf('>>'), ch(','), items);
  }

  funType(before: Item, ts: Term[]): Item {
    const [params, ret] = ts;
    const p = params as Tuple;
    const args: Item =
      p.elements[2] instanceof Atom && p.elements[2].name === 'any' ? leaf('(...)') : this.typeArgs(listToArray(p.elements[3]!) ?? []);
    return first(before, step([args, leaf(' ->')], this.type(ret!)));
  }
}

// ---------- entry points ----------

/** erl_pp:exprs(Exprs, Indent, [{encoding, Enc}]): expressions separated by commas. */
export function exprsText(exprs: Expr[], indent: number, enc: Encoding, opts: LayoutOptions = {}): string {
  const cx = { enc, ...opts };
  const p = new Printer(cx);
  return layout(seq(NIL_ITEM, NIL_ITEM, ch(','), exprs.map((e) => p.expr(e))), indent, cx).s;
}

/** erl_pp:expr(Expr, Indent, Precedence, Options): one expression, in parentheses when it binds less tightly than `prec`. */
export function exprText(e: Expr, indent: number, prec: number, enc: Encoding, opts: LayoutOptions = {}): string {
  const cx = { enc, ...opts };
  return layout(new Printer(cx).expr(e, prec), indent, cx).s;
}

/** erl_pp:attribute of -record(Name, {Fields}), with its ".\n". */
export function recordText(name: string, fields: RecordFieldDef[], enc: Encoding): string {
  const p = new Printer({ enc });
  const head: Item = [leaf('-record('), p.atom(name), ch(',')];
  return layout([first(head, p.tuple(fields.map((f) => p.recordField(f)))), ch(')'), leaf('.\n')], 0, { enc }).s;
}
