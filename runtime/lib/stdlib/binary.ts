// Module binary: searching, splitting and replacing in binaries, parts, copies, and
// unsigned integer encoding. Patterns are a binary or a list of binaries (or a compiled pattern),
// searched leftmost-longest as OTP does.

import { Bin, List, NIL, Ref, Term, Tuple, atom, charlist, isInteger, normInt, tuple } from '../../vm/term.js';
import { erlError } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { chargeElements } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import { A, infoError, intList, iodataBytes, items } from '../common.js';

const B = 'binary';
/** compile_pattern's result is {bm, Ref} (one pattern) or {ac, Ref} (several), as OTP's; the ref keys the patterns. */
const compiled = new WeakMap<Ref, Uint8Array[]>();

function listOf(xs: readonly Term[], tail: Term = NIL): Term {
  let l = tail;
  for (let i = xs.length - 1; i >= 0; i--) l = new List(xs[i], l);
  return l;
}

function isBin(t: Term): t is Bin {
  return t instanceof Bin && t.isBinary;
}

function binWhy(t: Term): string | undefined {
  if (isBin(t)) return undefined;
  return t instanceof Bin ? 'is a bitstring (expected a binary)' : 'not a binary';
}

/** binary.erl's lines for the functions it writes in Erlang (the others are BIFs, no location). */
const ERLANG_WRITTEN: Record<string, number> = { bin_to_list: 497, replace: 497, encode_hex: 494, decode_hex: 494 };

function fail(name: string, args: Term[], why?: Record<number, string>, line = ERLANG_WRITTEN[name]): never {
  throw infoError(A.badarg, B, name, args, why, line);
}

/** The patterns of a pattern argument, or undefined when it is not one (no empty binaries). */
function patterns(p: Term): Uint8Array[] | undefined {
  if (p instanceof Tuple && p.elements.length === 2 && (p.elements[0] === atom('bm') || p.elements[0] === atom('ac'))) {
    return p.elements[1] instanceof Ref ? compiled.get(p.elements[1]) : undefined;
  }
  if (isBin(p)) return p.byteSize > 0 ? [p.bytes] : undefined;
  const xs = items(p);
  if (xs === undefined || xs.length === 0) return undefined;
  const out: Uint8Array[] = [];
  for (const x of xs) {
    if (!isBin(x) || x.byteSize === 0) return undefined;
    out.push(x.bytes);
  }
  return out;
}

/** The longest pattern matching at each position, scanning left to right from `from` to `to`. */
function findAt(bytes: Uint8Array, pats: Uint8Array[], from: number, to: number): [number, number] | undefined {
  for (let i = from; i < to; i++) {
    let best = 0;
    for (const p of pats) {
      if (p.length <= best || i + p.length > to) continue;
      let ok = true;
      for (let j = 0; j < p.length; j++) if (bytes[i + j] !== p[j]) {
        ok = false;
        break;
      }
      if (ok) best = p.length;
    }
    if (best > 0) return [i, best];
  }
  return undefined;
}

interface Opts {
  global: boolean;
  scope: [number, number] | undefined;
  trim: boolean;
  trimAll: boolean;
  insert: number[] | undefined;
}

function options(t: Term, size: number): Opts | undefined {
  const xs = items(t);
  if (xs === undefined) return undefined;
  const o: Opts = { global: false, scope: undefined, trim: false, trimAll: false, insert: undefined };
  for (const x of xs) {
    if (x === atom('global')) o.global = true;
    else if (x === atom('trim')) o.trim = true;
    else if (x === atom('trim_all')) o.trimAll = true;
    else if (x instanceof Tuple && x.elements.length === 2 && x.elements[0] === atom('scope')) {
      const s = x.elements[1];
      if (!(s instanceof Tuple) || s.elements.length !== 2 || typeof s.elements[0] !== 'number' || typeof s.elements[1] !== 'number') return undefined;
      let [start, len] = s.elements as [number, number];
      if (len < 0) {
        start += len;
        len = -len;
      }
      if (start < 0 || start + len > size) return undefined;
      o.scope = [start, start + len];
    } else if (x instanceof Tuple && x.elements.length === 2 && x.elements[0] === atom('insert_replaced')) {
      const v = x.elements[1];
      const ns = typeof v === 'number' ? [v] : items(v);
      if (ns === undefined || !ns.every((n) => typeof n === 'number' && n >= 0)) return undefined;
      o.insert = ns as number[];
    } else return undefined;
  }
  return o;
}

/** match/3's options being just [{scope, {Start, Len}}] (with integers) make a bad scope its error. */
function isScopeOnly(opts: Term): boolean {
  const xs = items(opts);
  if (xs?.length !== 1) return false;
  const x = xs[0];
  if (!(x instanceof Tuple) || x.elements.length !== 2 || x.elements[0] !== atom('scope')) return false;
  const s = x.elements[1];
  return s instanceof Tuple && s.elements.length === 2 && isInteger(s.elements[0]) && isInteger(s.elements[1]);
}

function matchesOf(bytes: Uint8Array, pats: Uint8Array[], o: Opts, all: boolean): [number, number][] {
  const [from, to] = o.scope ?? [0, bytes.length];
  const out: [number, number][] = [];
  let i = from;
  for (;;) {
    const m = findAt(bytes, pats, i, to);
    if (m === undefined) break;
    out.push(m);
    if (!all) break;
    i = m[0] + m[1];
  }
  // the bytes looked at (one by one, in JS) and the matches found
  chargeElements((out.length > 0 && !all ? out[0][0] : to) - from + out.length);
  return out;
}

function searchArgs(name: string, subj: Term, pat: Term, opts: Term, args: Term[]): { bytes: Uint8Array; pats: Uint8Array[]; o: Opts } {
  const pats = patterns(pat);
  const bw = binWhy(subj);
  if (bw || pats === undefined) {
    const why: Record<number, string> = {};
    if (bw) why[1] = bw;
    if (pats === undefined) why[2] = 'not a valid pattern';
    fail(name, args, why);
  }
  const o = options(opts, (subj as Bin).byteSize);
  if (o === undefined) fail(name, args, { 3: (name === 'match' || name === 'matches') && isScopeOnly(opts) ? 'specified part is not wholly inside binary' : 'invalid options' });
  return { bytes: (subj as Bin).bytes, pats, o };
}

const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(B, name, arity, impl);

def('compile_pattern', 1, (p) => {
  const pats = p instanceof Tuple ? undefined : patterns(p);
  if (pats === undefined) fail('compile_pattern', [p], { 1: 'not a valid pattern' });
  const ref = node.makeRef();
  compiled.set(ref, pats);
  return tuple(atom(pats.length === 1 ? 'bm' : 'ac'), ref);
});

function match(s: Term, p: Term, opts: Term, args: Term[]): Term {
  const { bytes, pats, o } = searchArgs('match', s, p, opts, args);
  const m = matchesOf(bytes, pats, o, false)[0];
  return m === undefined ? A.nomatch : tuple(m[0], m[1]);
}
def('match', 2, (s, p) => match(s, p, NIL, [s, p]));
def('match', 3, (s, p, o) => match(s, p, o, [s, p, o]));

function matches(s: Term, p: Term, opts: Term, args: Term[]): Term {
  const { bytes, pats, o } = searchArgs('matches', s, p, opts, args);
  return listOf(matchesOf(bytes, pats, o, true).map(([a, b]) => tuple(a, b)));
}
def('matches', 2, (s, p) => matches(s, p, NIL, [s, p]));
def('matches', 3, (s, p, o) => matches(s, p, o, [s, p, o]));

function split(s: Term, p: Term, opts: Term, args: Term[]): Term {
  const { bytes, pats, o } = searchArgs('split', s, p, opts, args);
  const ms = matchesOf(bytes, pats, o, o.global);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const [at, len] of ms) {
    parts.push(bytes.subarray(from, at));
    from = at + len;
  }
  parts.push(bytes.subarray(from));
  let result = parts;
  if (o.trimAll) result = parts.filter((x) => x.length > 0);
  else if (o.trim) {
    let n = parts.length;
    while (n > 0 && parts[n - 1].length === 0) n--;
    result = parts.slice(0, n);
  }
  return listOf(result.map((x) => new Bin(x)));
}
def('split', 2, (s, p) => split(s, p, NIL, [s, p]));
def('split', 3, (s, p, o) => split(s, p, o, [s, p, o]));

function replace(s: Term, p: Term, r: Term, opts: Term, args: Term[]): Term {
  const { bytes, pats, o } = searchArgs('replace', s, p, opts, args);
  if (!isBin(r)) fail('replace', args, { 3: binWhy(r)! });
  const ms = matchesOf(bytes, pats, o, o.global);
  const out: number[] = [];
  let from = 0;
  for (const [at, len] of ms) {
    for (let i = from; i < at; i++) out.push(bytes[i]);
    const matched = bytes.subarray(at, at + len);
    if (o.insert) {
      // the matched part goes in at each insert position of the replacement
      const rb = r.bytes;
      const positions = [...o.insert].sort((a, b) => a - b);
      if (positions.some((x) => x > rb.length)) fail('replace', args, { 4: 'invalid options' });
      let k = 0;
      for (const pos of positions) {
        for (; k < pos; k++) out.push(rb[k]);
        out.push(...matched);
      }
      for (; k < rb.length; k++) out.push(rb[k]);
    } else out.push(...r.bytes);
    from = at + len;
  }
  for (let i = from; i < bytes.length; i++) out.push(bytes[i]);
  chargeElements(out.length);
  return new Bin(Uint8Array.from(out));
}
def('replace', 3, (s, p, r) => replace(s, p, r, NIL, [s, p, r]));
def('replace', 4, (s, p, r, o) => replace(s, p, r, o, [s, p, r, o]));

/** part/3's checks; `name` is the function reported (bin_to_list/2,3 report themselves, at binary.erl's line). */
function part(s: Term, pos: Term, len: Term, args: Term[], name = 'part'): Term {
  if (isBin(s) && typeof pos === 'number' && typeof len === 'number') {
    let a = pos;
    let b = pos + len;
    if (len < 0) [a, b] = [b, a];
    if (a >= 0 && b <= s.byteSize) return new Bin(s.bytes.subarray(a, b));
  }
  const why: Record<number, string> = {};
  const bw = binWhy(s);
  if (bw) why[1] = bw;
  if (!isInteger(pos)) why[2] = 'not an integer';
  else if (pos < 0) why[2] = 'out of range';
  if (!isInteger(len)) why[3] = 'not an integer';
  const beyond = Object.keys(why).length === 0 && (pos as number) > (s as Bin).byteSize;
  if (Object.keys(why).length === 0) {
    if (beyond) why[2] = 'out of range';
    else why[3] = 'out of range';
  }
  if (args.length === 2) {
    // erl_stdlib_errors explains {Pos,Len} only when Pos is inside the binary (its case has no clause otherwise)
    const w: Record<number, string> = {};
    if (!beyond) {
      if (why[1]) w[1] = why[1];
      if (why[2] || why[3]) w[2] = 'out of range';
    }
    fail(name, args, w);
  }
  fail(name, args, why);
}

def('part', 3, (s, p, l) => part(s, p, l, [s, p, l]));
def('part', 2, (s, pl) => {
  if (pl instanceof Tuple && pl.elements.length === 2 && isInteger(pl.elements[0]) && isInteger(pl.elements[1])) {
    return part(s, pl.elements[0], pl.elements[1], [s, pl]);
  }
  const why: Record<number, string> = { 2: 'not a valid {Pos,Length} tuple' };
  const bw = binWhy(s);
  if (bw) why[1] = bw;
  fail('part', [s, pl], why);
});

def('at', 2, (s, pos) => {
  if (isBin(s) && typeof pos === 'number' && pos >= 0 && pos < s.byteSize) return s.bytes[pos];
  const why: Record<number, string> = {};
  const bw = binWhy(s);
  if (bw) why[1] = bw;
  if (!isInteger(pos)) why[2] = 'not an integer';
  else if (pos < 0) why[2] = 'out of range';
  fail('at', [s, pos], why);
});

def('first', 1, (s) => {
  if (isBin(s) && s.byteSize > 0) return s.bytes[0];
  fail('first', [s], { 1: isBin(s) ? 'a zero-sized binary is not allowed' : binWhy(s)! });
});
def('last', 1, (s) => {
  if (isBin(s) && s.byteSize > 0) return s.bytes[s.byteSize - 1];
  fail('last', [s], { 1: isBin(s) ? 'a zero-sized binary is not allowed' : binWhy(s)! });
});

def('copy', 1, (s) => {
  if (!isBin(s)) fail('copy', [s], { 1: binWhy(s)! });
  chargeElements(s.byteSize >>> 4);
  return new Bin(s.bytes.slice());
});
def('copy', 2, (s, n) => {
  if (!isBin(s) || typeof n !== 'number' || n < 0) {
    const why: Record<number, string> = {};
    const bw = binWhy(s);
    if (bw) why[1] = bw;
    if (!isInteger(n)) why[2] = 'not an integer';
    else if (n < 0) why[2] = 'out of range';
    fail('copy', [s, n], why);
  }
  const out = new Uint8Array(s.byteSize * n);
  // n copies: the bytes a sixteenth each, and the copies themselves (of an empty binary too)
  chargeElements((out.length >>> 4) + n);
  for (let i = 0; i < n; i++) out.set(s.bytes, i * s.byteSize);
  return new Bin(out);
});

def('list_to_bin', 1, (l) => {
  const bytes = l instanceof List || l === NIL ? iodataBytes(l) : undefined;
  if (bytes === undefined) fail('list_to_bin', [l], { 1: 'not an iodata term' });
  return new Bin(bytes.slice());
});

def('bin_to_list', 1, (s) => {
  if (!isBin(s)) fail('bin_to_list', [s], { 1: binWhy(s)! });
  return byteList(s.bytes);
});
def('bin_to_list', 2, (s, pl) => {
  if (pl instanceof Tuple && pl.elements.length === 2 && isInteger(pl.elements[0]) && isInteger(pl.elements[1])) {
    const r = part(s, pl.elements[0], pl.elements[1], [s, pl], 'bin_to_list') as Bin;
    return byteList(r.bytes);
  }
  const why: Record<number, string> = { 2: 'not a valid {Pos,Length} tuple' };
  const bw = binWhy(s);
  if (bw) why[1] = bw;
  fail('bin_to_list', [s, pl], why);
});
def('bin_to_list', 3, (s, p, l) => byteList((part(s, p, l, [s, p, l], 'bin_to_list') as Bin).bytes));

function endian(t: Term): 'big' | 'little' | undefined {
  return t === A.big ? 'big' : t === A.little ? 'little' : undefined;
}

/** n bytes shifted into or out of a bignum one at a time: each shift copies it, so the work is quadratic. */
function chargeShifts(n: number): void {
  chargeElements(Math.min(n * (1 + (n >>> 8)), 2 ** 31));
}

function decodeUnsigned(s: Term, e: Term, args: Term[]): Term {
  const en = endian(e);
  if (!isBin(s) || en === undefined) {
    const why: Record<number, string> = {};
    const bw = binWhy(s);
    if (bw) why[1] = bw;
    if (en === undefined) why[2] = "must be 'big' or 'little'";
    fail('decode_unsigned', args, why);
  }
  chargeShifts(s.byteSize);
  let v = 0n;
  const bytes = en === 'big' ? s.bytes : s.bytes.slice().reverse();
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return normInt(v);
}
def('decode_unsigned', 1, (s) => decodeUnsigned(s, A.big, [s]));
def('decode_unsigned', 2, (s, e) => decodeUnsigned(s, e, [s, e]));

function encodeUnsigned(n: Term, e: Term, args: Term[]): Term {
  const en = endian(e);
  if (!isInteger(n) || n < 0 || en === undefined) {
    const why: Record<number, string> = {};
    if (!isInteger(n)) why[1] = 'not an integer';
    else if (n < 0) why[1] = 'out of range';
    if (en === undefined) why[2] = "must be 'big' or 'little'";
    fail('encode_unsigned', args, why);
  }
  let v = BigInt(n);
  const out: number[] = [];
  do {
    out.push(Number(v & 255n));
    v >>= 8n;
  } while (v > 0n);
  chargeShifts(out.length);
  if (en === 'big') out.reverse();
  return new Bin(Uint8Array.from(out));
}
def('encode_unsigned', 1, (n) => encodeUnsigned(n, A.big, [n]));
def('encode_unsigned', 2, (n, e) => encodeUnsigned(n, e, [n, e]));

/** A list of a binary's bytes, charged as the cells it builds. */
function byteList(bytes: Uint8Array): Term {
  chargeElements(bytes.length);
  return intList(bytes);
}

function binList(l: Term, name: string): Uint8Array[] {
  const xs = items(l);
  if (xs === undefined || xs.length === 0 || !xs.every(isBin)) fail(name, [l], { 1: 'not a flat list of binaries' });
  return (xs as Bin[]).map((b) => b.bytes);
}

def('longest_common_prefix', 1, (l) => {
  const bs = binList(l, 'longest_common_prefix');
  let n = Math.min(...bs.map((b) => b.length));
  for (let i = 0; i < n; i++) if (bs.some((b) => b[i] !== bs[0][i])) n = i;
  chargeElements(n * bs.length);
  return n;
});
def('longest_common_suffix', 1, (l) => {
  const bs = binList(l, 'longest_common_suffix');
  let n = Math.min(...bs.map((b) => b.length));
  for (let i = 0; i < n; i++) if (bs.some((b) => b[b.length - 1 - i] !== bs[0][bs[0].length - 1 - i])) n = i;
  chargeElements(n * bs.length);
  return n;
});

def('encode_hex', 1, (s) => {
  if (!isBin(s)) fail('encode_hex', [s], { 1: binWhy(s)! });
  chargeElements(s.byteSize);
  let hex = '';
  for (const b of s.bytes) hex += b.toString(16).toUpperCase().padStart(2, '0');
  return new Bin(new TextEncoder().encode(hex));
});
def('decode_hex', 1, (s) => {
  if (!isBin(s) || s.byteSize % 2 === 1) fail('decode_hex', [s], { 1: isBin(s) ? 'must contain an even number of bytes' : binWhy(s)! });
  const out = new Uint8Array(s.byteSize / 2);
  chargeElements(s.byteSize);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(s.bytes[2 * i]);
    const lo = hexDigit(s.bytes[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      // binary.erl decodes pair by pair in a comprehension: unhex/1 fails on the first bad pair
      const pair = new Bin(s.bytes.slice(2 * i, 2 * i + 2));
      const e = infoError(A.badarg, B, 'unhex', [pair], { 1: `${new TextDecoder('latin1').decode(pair.bytes)} is not a valid hex` }, 494);
      const lbc = tuple(atom(B), atom("-decode_hex/1-lbc$^0/2-0-"), 2, listOf([tuple(A.file, charlist('binary.erl')), tuple(A.line, 415)]));
      throw erlError(A.badarg, listOf([(e.stack as List).head, lbc]));
    }
    out[i] = hi * 16 + lo;
  }
  return new Bin(out);
});

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

def('referenced_byte_size', 1, (s) => {
  if (!isBin(s)) fail('referenced_byte_size', [s], { 1: binWhy(s)! });
  return s.byteSize;
});
