// Literal expressions ↔ terms: erl_parse:normalise/1 (an expression that denotes a constant → the term)
// and erl_parse:abstract/2 (a term → the expression that denotes it).

import type { BinElement, Expr, Pos } from '../ast.js';
import {
  Atom, Bin, ErlFloat, ErlMap, Fun, List, NIL, Tuple, atom, charlist, list, normInt, type Term,
} from '../../runtime/vm/term.js';

export class NotLiteral extends Error {
  constructor(readonly expr: Expr) {
    super('not a literal');
  }
}

/**
 * The term an expression built of literals denotes (numbers, atoms, strings, [], lists, tuples, maps
 * with =>), or undefined. Other expressions go to `other`, which gives their term or undefined:
 * erl_parse:normalise/1 takes a signed number, a binary of literal segments and fun M:F/A there; the
 * compiler's constants (src/compile/literal.ts constValue) fold operators on constants.
 */
export function literalTerm(e: Expr, other: (e: Expr) => Term | undefined): Term | undefined {
  switch (e.type) {
    case 'char':
    case 'integer':
      return e.value;
    case 'float':
      return new ErlFloat(e.value);
    case 'atom':
      return atom(e.value);
    case 'string':
      return charlist(e.value);
    case 'nil':
      return NIL;
    case 'cons': {
      const items: Term[] = [];
      let x: Expr = e;
      while (x.type === 'cons') {
        const h = literalTerm(x.head, other);
        if (h === undefined) return undefined;
        items.push(h);
        x = x.tail;
      }
      const tail = literalTerm(x, other);
      return tail === undefined ? undefined : list(items, tail);
    }
    case 'tuple': {
      const els: Term[] = [];
      for (const x of e.elements) {
        const v = literalTerm(x, other);
        if (v === undefined) return undefined;
        els.push(v);
      }
      return new Tuple(els);
    }
    case 'map': {
      if (e.base !== undefined) return undefined;
      const pairs: [Term, Term][] = [];
      for (const a of e.assocs) {
        if (a.op !== '=>') return undefined;
        const k = literalTerm(a.key, other);
        const v = k === undefined ? undefined : literalTerm(a.value, other);
        if (v === undefined) return undefined;
        pairs.push([k!, v]);
      }
      return ErlMap.from(pairs);
    }
    default:
      return other(e);
  }
}

/** The term a literal expression denotes (erl_parse:normalise/1); throws NotLiteral otherwise. */
export function normalise(e: Expr): Term {
  const t = literalTerm(e, normaliseOther);
  if (t === undefined) throw new NotLiteral(e);
  return t;
}

/** What erl_parse:normalise/1 takes beyond plain literals. */
function normaliseOther(e: Expr): Term | undefined {
  switch (e.type) {
    case 'bin':
      return evalBits(e);
    case 'fun_ref':
      if (e.module?.type === 'atom' && e.name.type === 'atom' && e.arity.type === 'integer' && typeof e.arity.value === 'number') {
        const m = atom(e.module.value);
        const f = atom(e.name.value);
        return new Fun(e.arity.value, undefined, { kind: 'export', module: m, name: f, arity: e.arity.value });
      }
      return undefined;
    case 'op':
      if (e.args.length === 1 && (e.op === '+' || e.op === '-')) {
        const a = e.args[0];
        const neg = e.op === '-';
        if (a.type === 'integer' || a.type === 'char') {
          const v = a.value;
          return neg ? (typeof v === 'bigint' ? normInt(-v) : v === 0 ? 0 : -v) : v;
        }
        if (a.type === 'float') return new ErlFloat(neg ? -a.value : a.value);
      }
      return undefined;
    default:
      return undefined;
  }
}

// ---------- binaries of literal segments (eval_bits for constants) ----------

class BitWriter {
  private bytes: number[] = [];
  private bits = 0; // total bits written

  pushBits(value: bigint, size: number): void {
    for (let k = size - 1; k >= 0; k--) this.pushBit(Number((value >> BigInt(k)) & 1n));
  }
  private pushBit(b: number): void {
    const byte = this.bits >> 3;
    if (byte >= this.bytes.length) this.bytes.push(0);
    if (b) this.bytes[byte] |= 0x80 >> (this.bits & 7);
    this.bits++;
  }
  pushBytes(src: Uint8Array, bitSize: number): void {
    if ((this.bits & 7) === 0 && (bitSize & 7) === 0) {
      for (const x of src) this.bytes.push(x);
      this.bits += bitSize;
      return;
    }
    for (let k = 0; k < bitSize; k++) this.pushBit((src[k >> 3] >> (7 - (k & 7))) & 1);
  }
  result(): Bin {
    return new Bin(Uint8Array.from(this.bytes), this.bits);
  }
}

function segmentSpecs(b: BinElement): { type: string; little: boolean; unit?: number } {
  let type = 'integer';
  let little = false;
  let unit: number | undefined;
  for (const s of b.specs ?? []) {
    if (typeof s !== 'string') unit = s.unit;
    else if (s === 'little' || s === 'native') little = s === 'little' || new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    else if (s === 'big') little = false;
    else if (['integer', 'float', 'binary', 'bytes', 'bitstring', 'bits', 'utf8', 'utf16', 'utf32'].includes(s)) type = s;
    else if (s !== 'signed' && s !== 'unsigned') throw new NotLiteral(b.value);
  }
  return { type, little, unit };
}

/** Literal binaries larger than this are not built while parsing (erl would; nothing realistic needs it). */
const MAX_LITERAL_BITS = 1 << 24;

function evalBits(e: Expr & { type: 'bin' }): Bin {
  const w = new BitWriter();
  for (const seg of e.elements) {
    if (seg.size !== undefined && seg.size.type === 'integer' && Number(seg.size.value) * ((seg.specs ?? []).some((x) => typeof x !== 'string') ? 256 : 8) > MAX_LITERAL_BITS) {
      throw new NotLiteral(seg.size);
    }
    const { type, little, unit } = segmentSpecs(seg);
    const size = seg.size === undefined ? undefined : normalise(seg.size);
    if (size !== undefined && !(typeof size === 'number' && size >= 0) && !(size instanceof Atom && size.name === 'all')) {
      throw new NotLiteral(seg.size!);
    }
    const sizeN = typeof size === 'number' ? size : undefined;
    if (seg.value.type === 'string' && type !== 'binary' && type !== 'float') {
      for (const ch of seg.value.value) writeSegment(w, BigInt(ch.codePointAt(0)!), type, little, sizeN, unit);
      continue;
    }
    const v = normalise(seg.value);
    if (type === 'float') {
      const bitsz = (sizeN ?? 64) * (unit ?? 1);
      const x = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v instanceof ErlFloat ? v.value : NaN;
      if (Number.isNaN(x) || (bitsz !== 64 && bitsz !== 32)) throw new NotLiteral(seg.value);
      const buf = new DataView(new ArrayBuffer(bitsz / 8));
      if (bitsz === 64) buf.setFloat64(0, x, little);
      else buf.setFloat32(0, x, little);
      w.pushBytes(new Uint8Array(buf.buffer), bitsz);
    } else if (type === 'binary' || type === 'bytes' || type === 'bitstring' || type === 'bits') {
      if (!(v instanceof Bin)) throw new NotLiteral(seg.value);
      const bitsz = sizeN === undefined ? v.bitSize : sizeN * (unit ?? (type === 'bitstring' || type === 'bits' ? 1 : 8));
      if (bitsz > v.bitSize) throw new NotLiteral(seg.value);
      w.pushBytes(v.bytes, bitsz);
    } else {
      if (typeof v !== 'number' && typeof v !== 'bigint') throw new NotLiteral(seg.value);
      writeSegment(w, BigInt(v), type, little, sizeN, unit);
    }
  }
  return w.result();
}

function writeSegment(w: BitWriter, v: bigint, type: string, little: boolean, size: number | undefined, unit: number | undefined): void {
  if (type === 'utf8' || type === 'utf16' || type === 'utf32') {
    const cp = Number(v);
    if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new NotLiteral({ type: 'integer', pos: { line: 0, col: 0 }, value: cp });
    let bytes: number[];
    if (type === 'utf8') bytes = [...new TextEncoder().encode(String.fromCodePoint(cp))];
    else if (type === 'utf32') bytes = [(cp >>> 24) & 255, (cp >> 16) & 255, (cp >> 8) & 255, cp & 255];
    else {
      const units = cp > 0xffff ? [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)] : [cp];
      bytes = units.flatMap((u) => (little ? [u & 255, u >> 8] : [u >> 8, u & 255]));
    }
    if (type === 'utf32' && little) bytes.reverse();
    w.pushBytes(Uint8Array.from(bytes), bytes.length * 8);
    return;
  }
  const bitsz = (size ?? 8) * (unit ?? 1);
  const mask = (1n << BigInt(bitsz)) - 1n;
  let x = v & mask;
  if (little && bitsz % 8 === 0) {
    let r = 0n;
    for (let k = 0; k < bitsz / 8; k++) {
      r = (r << 8n) | (x & 255n);
      x >>= 8n;
    }
    x = r;
  }
  w.pushBits(x, bitsz);
}

// ---------- term → literal expression ----------

function isUnicodeChar(c: Term): c is number {
  return typeof c === 'number' && Number.isInteger(c) && c >= 0 && (c < 0xd800 || (c > 0xdfff && c < 0xfffe) || (c > 0xffff && c <= 0x10ffff));
}

/** erl_parse:abstract/2: the literal expression for a term, every node at `pos`. */
export function abstractTerm(t: Term, pos: Pos): Expr {
  if (typeof t === 'number' || typeof t === 'bigint') return { type: 'integer', pos, value: t };
  if (t instanceof ErlFloat) return { type: 'float', pos, value: t.value };
  if (t instanceof Atom) return { type: 'atom', pos, value: t.name };
  if (t === NIL) return { type: 'nil', pos };
  if (t instanceof List) return abstractList(t, pos);
  if (t instanceof Tuple) return { type: 'tuple', pos, elements: t.elements.map((x) => abstractTerm(x, pos)) };
  if (t instanceof ErlMap) {
    return { type: 'map', pos, assocs: [...t.entries.values()].map(([k, v]) => ({ pos, op: '=>' as const, key: abstractTerm(k, pos), value: abstractTerm(v, pos) })) };
  }
  if (t instanceof Bin) {
    const elements: BinElement[] = [];
    const whole = t.bitSize >> 3;
    for (let k = 0; k < whole; k++) elements.push({ pos, value: { type: 'integer', pos, value: t.bytes[k] } });
    const rest = t.bitSize & 7;
    if (rest) {
      elements.push({ pos, value: { type: 'integer', pos, value: t.bytes[whole] >> (8 - rest) }, size: { type: 'integer', pos, value: rest } });
    }
    return { type: 'bin', pos, elements };
  }
  if (t instanceof Fun && t.info.kind === 'export') {
    return {
      type: 'fun_ref',
      pos,
      module: { type: 'atom', pos, value: t.info.module.name },
      name: { type: 'atom', pos, value: t.info.name.name },
      arity: { type: 'integer', pos, value: t.info.arity },
    };
  }
  throw new Error('abstract: the term has no literal form');
}

function fromCodePoints(cps: number[]): string {
  let s = '';
  for (let k = 0; k < cps.length; k += 4096) s += String.fromCodePoint(...cps.slice(k, k + 4096));
  return s;
}

/** Lists become strings where they can (abstract_list/not_string), built without deep recursion. */
function abstractList(t: Term, pos: Pos): Expr {
  const frames: { ints: number[]; head: Term }[] = [];
  let x = t;
  let ints: number[];
  for (;;) {
    ints = [];
    while (x instanceof List && isUnicodeChar(x.head)) {
      ints.push(x.head);
      x = x.tail;
    }
    if (!(x instanceof List)) break;
    frames.push({ ints, head: x.head });
    x = x.tail;
  }
  const wrap = (cs: number[], tail: Expr): Expr => {
    for (let k = cs.length - 1; k >= 0; k--) tail = { type: 'cons', pos, head: { type: 'integer', pos, value: cs[k] }, tail };
    return tail;
  };
  let rest: Expr = x === NIL ? (ints.length ? { type: 'string', pos, value: fromCodePoints(ints) } : { type: 'nil', pos }) : wrap(ints, abstractTerm(x, pos));
  for (let k = frames.length - 1; k >= 0; k--) rest = wrap(frames[k].ints, { type: 'cons', pos, head: abstractTerm(frames[k].head, pos), tail: rest });
  return rest;
}
