// Module string: the grapheme-aware API of OTP 20+ (length, slice, pad, trim, split, lexemes,
// find, replace, case, equal, next_grapheme, to_integer, ...) on lists, binaries and chardata,
// and the old list-only API (len, str, substr, tokens, strip, left, sub_word, ...).
// Results keep the input's kind: a binary in gives binaries out, a list gives lists; results built
// from pieces (pad, replace) have OTP's shapes.

import { Atom, Bin, List, NIL, Term, Tuple, atom, bool, float, tuple, TRUE, FALSE } from '../../vm/term.js';
import { ErlangException } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { A, chardata, encodeUtf8, fnClause, fromCodePoints, intList, isChar, items } from '../common.js';
import { parseInteger } from '../erts/numbers.js';
import { caseFold, normalize, type NormalForm } from './unicode_norm.js';
import { bumpReductions } from '../../vm/scheduler.js';

const S = 'string';

function listOf(xs: readonly Term[], tail: Term = NIL): Term {
  let l = tail;
  for (let i = xs.length - 1; i >= 0; i--) l = new List(xs[i], l);
  return l;
}

/** A string argument: its code points and whether it came as a binary. */
interface Text {
  cps: number[];
  bin: boolean;
}

function text(t: Term, name: string, args: Term[]): Text {
  const r = chardata(t);
  if (r === undefined || !r.ok) throw clauseOf(name, args);
  // every function reads its string whole, and builds about as much: charge the characters read,
  // a reduction each, as OTP's string (Erlang code) costs at least
  bumpReductions(r.chars.length);
  return { cps: r.chars, bin: t instanceof Bin };
}

/** OTP's string functions fail inside unicode_util/string on bad input: report the call. */
function clauseOf(name: string, args: Term[]): ErlangException {
  return fnClause(S, name, args, 0);
}

/** Code points back to the argument's kind. */
function out(cps: number[], bin: boolean): Term {
  return bin ? new Bin(encodeUtf8(cps)) : intList(cps);
}

// ---------- grapheme clusters ----------

// made on first use: an Intl object loads ICU's locale data, some 0.9 MB of every node otherwise
let segmenter: Intl.Segmenter | undefined;

/** Grapheme clusters as arrays of code points. */
function graphemes(cps: number[]): number[][] {
  if (cps.every((c) => c < 0x300 && c !== 13)) return cps.map((c) => [c]);
  const s = fromCodePoints(cps);
  const out: number[][] = [];
  for (const seg of (segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(s)) {
    const g: number[] = [];
    for (const ch of seg.segment) g.push(ch.codePointAt(0)!);
    out.push(g);
  }
  return out;
}

function flat(gs: number[][]): number[] {
  const out: number[] = [];
  for (const g of gs) for (const c of g) out.push(c);
  return out;
}

function sameGrapheme(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

/** A grapheme argument (a char or a list of chars) as code points. */
function graphemeArg(t: Term): number[] | undefined {
  if (typeof t === 'number') return [t];
  const xs = items(t);
  if (xs === undefined || !xs.every((x) => typeof x === 'number')) return undefined;
  return xs as number[];
}

const WHITESPACE: number[][] = [[13, 10], [9], [10], [11], [12], [13], [32], [133], [8206], [8207], [8232], [8233]];

function inSet(g: number[], set: number[][]): boolean {
  return set.some((s) => sameGrapheme(s, g));
}

/** A separator set argument (a list of graphemes). */
function graphemeSet(t: Term): number[][] | undefined {
  const xs = items(t);
  if (xs === undefined) return undefined;
  bumpReductions(xs.length);
  const out: number[][] = [];
  for (const x of xs) {
    const g = graphemeArg(x);
    if (g === undefined) return undefined;
    out.push(g);
  }
  return out;
}

const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(S, name, arity, impl);

// ---------- new API ----------

def('length', 1, (s) => graphemes(text(s, 'length', [s]).cps).length);

def('is_empty', 1, (s) => {
  // (a string starting with a character, or a binary, is told at once: not read whole)
  if (s instanceof List && typeof s.head === 'number') return FALSE;
  if (s instanceof Bin && s.isBinary) return bool(s.byteSize === 0);
  return bool(text(s, 'is_empty', [s]).cps.length === 0);
});

def('equal', 2, (a, b) => {
  const x = text(a, 'equal', [a, b]).cps;
  const y = text(b, 'equal', [a, b]).cps;
  return bool(x.length === y.length && x.every((c, i) => c === y[i]));
});

def('equal', 3, (a, b, ignoreCase) => equal(a, b, ignoreCase, atom('none'), [a, b, ignoreCase]));
def('equal', 4, (a, b, ignoreCase, norm) => equal(a, b, ignoreCase, norm, [a, b, ignoreCase, norm]));

const NORMS: Record<string, NormalForm> = { nfc: 'NFC', nfd: 'NFD', nfkc: 'NFKC', nfkd: 'NFKD' };

/** equal/3,4: after normalising both (nfc, nfd, nfkc, nfkd or none), and case folding when asked. */
function equal(a: Term, b: Term, ignoreCase: Term, norm: Term, args: Term[]): Term {
  const form = norm instanceof Atom ? NORMS[norm.name] : undefined;
  // (OTP looks at a form it does not know only when the strings differ)
  if (ignoreCase !== TRUE && ignoreCase !== FALSE) {
    throw fnClause(S, 'equal', args, args.length === 3 ? 152 : 164);
  }
  const prepare = (t: Term): number[] => {
    let cps = text(t, 'equal', args).cps;
    if (ignoreCase === TRUE) cps = caseFold(cps);
    return form === undefined ? cps : normalize(cps, form);
  };
  const x = prepare(a);
  const y = prepare(b);
  return bool(x.length === y.length && x.every((c, i) => c === y[i]));
}

def('slice', 2, (s, start) => slice(s, start, atom('infinity'), [s, start]));
def('slice', 3, (s, start, len) => slice(s, start, len, [s, start, len]));

function slice(s: Term, start: Term, len: Term, args: Term[]): Term {
  const t = text(s, 'slice', args);
  if (typeof start !== 'number' || start < 0) throw clauseOf('slice', args);
  if (!(len === atom('infinity') || (typeof len === 'number' && len >= 0))) throw clauseOf('slice', args);
  const gs = graphemes(t.cps);
  const end = len === atom('infinity') ? gs.length : start + (len as number);
  const part = flat(gs.slice(start, end));
  if (!t.bin && part.length === 0) return NIL;
  return out(part, t.bin);
}

def('reverse', 1, (s) => {
  const gs = graphemes(text(s, 'reverse', [s]).cps).reverse();
  return listOf(gs.map((g) => (g.length === 1 ? g[0] : intList(g))));
});

def('to_graphemes', 1, (s) => {
  const gs = graphemes(text(s, 'to_graphemes', [s]).cps);
  return listOf(gs.map((g) => (g.length === 1 ? g[0] : intList(g))));
});

// next_grapheme and next_codepoint are how Erlang code walks a string: on a flat list or a binary
// they answer from its first few code points without reading the rest, as OTP's do, so a walk is
// linear; anything else (a deep list) goes the whole way.

/** A character below U+0300 other than CR: a grapheme cluster of its own when the next one is too. */
const plainChar = (c: Term): boolean => typeof c === 'number' && c >= 0 && c < 0x300 && c !== 13;

/** The code point well-formed UTF-8 starts with at byte i, and its length; undefined if none is. */
function utf8At(b: Uint8Array, i: number): [number, number] | undefined {
  const b0 = b[i];
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number): number => (i + k < b.length && (b[i + k] & 0xc0) === 0x80 ? b[i + k] & 0x3f : -1);
  if (b0 >= 0xc2 && b0 < 0xe0) {
    const c1 = cont(1);
    return c1 < 0 ? undefined : [((b0 & 0x1f) << 6) | c1, 2];
  }
  if (b0 >= 0xe0 && b0 < 0xf0) {
    const [c1, c2] = [cont(1), cont(2)];
    const cp = ((b0 & 0x0f) << 12) | (c1 << 6) | c2;
    return c1 < 0 || c2 < 0 || cp < 0x800 || (cp >= 0xd800 && cp < 0xe000) ? undefined : [cp, 3];
  }
  if (b0 >= 0xf0 && b0 < 0xf5) {
    const [c1, c2, c3] = [cont(1), cont(2), cont(3)];
    const cp = ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    return c1 < 0 || c2 < 0 || c3 < 0 || cp < 0x10000 || cp > 0x10ffff ? undefined : [cp, 4];
  }
  return undefined;
}

/**
 * Code points read ahead for the first grapheme cluster: a boundary is decided by what comes before
 * it and the one code point after, so a cluster ending before the last one read is the cluster.
 */
const LOOKAHEAD = 32;

/** next_grapheme of a flat list or a binary from its first code points, or undefined to read it whole. */
function firstGrapheme(s: Term): Term | undefined {
  const cps: number[] = [];
  // after each code point read: the list's rest, or the binary's byte offset
  const after: (Term | number)[] = [];
  let whole: boolean;
  if (s instanceof List) {
    let t: Term = s;
    while (t instanceof List && isChar(t.head) && cps.length < LOOKAHEAD) {
      cps.push(t.head as number);
      t = t.tail;
      after.push(t);
    }
    whole = t === NIL;
  } else if (s instanceof Bin && s.isBinary) {
    let i = 0;
    for (let u = utf8At(s.bytes, 0); u !== undefined && cps.length < LOOKAHEAD; u = utf8At(s.bytes, i)) {
      cps.push(u[0]);
      i += u[1];
      after.push(i);
      if (i === s.byteSize) break;
    }
    whole = i === s.byteSize;
  } else return undefined;
  if (cps.length === 0) return undefined;
  const g = graphemes(cps)[0];
  if (g.length === cps.length && !whole) return undefined;
  const rest = after[g.length - 1];
  return new List(g.length === 1 ? g[0] : intList(g), typeof rest === 'number' ? new Bin((s as Bin).bytes.subarray(rest)) : rest);
}

def('next_grapheme', 1, (s) => {
  // (the common case, a plain character and another: the list itself)
  if (s instanceof List && plainChar(s.head) && (s.tail === NIL || (s.tail instanceof List && plainChar(s.tail.head)))) return s;
  const fast = firstGrapheme(s);
  if (fast !== undefined) return fast;
  const t = text(s, 'next_grapheme', [s]);
  if (t.cps.length === 0) return NIL;
  const gs = graphemes(t.cps);
  const g = gs[0];
  const head = g.length === 1 ? g[0] : intList(g);
  return new List(head, out(t.cps.slice(g.length), t.bin));
});

def('next_codepoint', 1, (s) => {
  if (s instanceof List && typeof s.head === 'number') return s;
  if (s instanceof Bin && s.isBinary && s.byteSize > 0) {
    const first = utf8At(s.bytes, 0);
    if (first !== undefined) return new List(first[0], new Bin(s.bytes.subarray(first[1])));
  }
  const t = text(s, 'next_codepoint', [s]);
  if (t.cps.length === 0) return NIL;
  return new List(t.cps[0], out(t.cps.slice(1), t.bin));
});

function padArgs(s: Term, len: Term, dir: Term, ch: Term, args: Term[]): Term {
  if (typeof len !== 'number') throw clauseOf('pad', args);
  const n = graphemes(text(s, 'pad', args).cps).length;
  const size = Math.max(0, len - n);
  bumpReductions(size);
  const dup = (k: number): Term => listOf(new Array<Term>(k).fill(ch));
  if (dir === atom('leading')) return listOf([dup(size), s]);
  if (dir === atom('trailing')) return new List(s, dup(size));
  if (dir === atom('both')) {
    const pre = dup(Math.floor(size / 2));
    return listOf([pre, s, pre], size % 2 === 1 ? listOf([ch]) : NIL);
  }
  throw clauseOf('pad', args);
}

def('pad', 2, (s, len) => padArgs(s, len, atom('trailing'), 32, [s, len]));
def('pad', 3, (s, len, dir) => padArgs(s, len, dir, 32, [s, len, dir]));
def('pad', 4, (s, len, dir, ch) => padArgs(s, len, dir, ch, [s, len, dir, ch]));

function trim(s: Term, dir: Term, set: number[][], args: Term[]): Term {
  if (dir === atom('leading')) {
    // (read up to the first character kept: see takeLeading)
    const fast = takeLeading(s, (g) => inSet(g, set));
    if (fast instanceof Tuple) return fast.elements[1];
  }
  const t = text(s, 'trim', args);
  const gs = graphemes(t.cps);
  let a = 0;
  let b = gs.length;
  const lead = dir === atom('leading') || dir === atom('both');
  const trail = dir === atom('trailing') || dir === atom('both');
  if (!lead && !trail) throw clauseOf('trim', args);
  if (lead) while (a < b && inSet(gs[a], set)) a++;
  if (trail) while (b > a && inSet(gs[b - 1], set)) b--;
  return out(flat(gs.slice(a, b)), t.bin);
}

def('trim', 1, (s) => trim(s, atom('both'), WHITESPACE, [s]));
def('trim', 2, (s, dir) => trim(s, dir, WHITESPACE, [s, dir]));
def('trim', 3, (s, dir, chars) => {
  const set = graphemeSet(chars);
  if (set === undefined) throw clauseOf('trim', [s, dir, chars]);
  return trim(s, dir, set, [s, dir, chars]);
});

def('chomp', 1, (s) => {
  const t = text(s, 'chomp', [s]);
  let cps = t.cps;
  const n = cps.length;
  if (n >= 2 && cps[n - 2] === 13 && cps[n - 1] === 10) cps = cps.slice(0, -2);
  else if (n >= 1 && cps[n - 1] === 10) cps = cps.slice(0, -1);
  return out(cps, t.bin);
});

/** Indexes (in code points) where `pat` occurs, not overlapping, left to right. */
function occurrences(cps: number[], pat: number[]): number[] {
  const at: number[] = [];
  if (pat.length === 0) return at;
  for (let i = 0; i + pat.length <= cps.length; ) {
    let ok = true;
    for (let j = 0; j < pat.length; j++) if (cps[i + j] !== pat[j]) {
      ok = false;
      break;
    }
    if (ok) {
      at.push(i);
      i += pat.length;
    } else i++;
  }
  return at;
}

/** The parts of s around the chosen occurrences of sep. */
function splitParts(t: Text, sep: number[], where: Term, args: Term[]): number[][] {
  const at = occurrences(t.cps, sep);
  if (at.length === 0) return [t.cps];
  let cuts: number[];
  if (where === atom('leading')) cuts = [at[0]];
  else if (where === atom('trailing')) cuts = [lastOccurrence(t.cps, sep)];
  else if (where === atom('all')) cuts = at;
  else throw clauseOf('split', args);
  const parts: number[][] = [];
  let from = 0;
  for (const c of cuts) {
    parts.push(t.cps.slice(from, c));
    from = c + sep.length;
  }
  parts.push(t.cps.slice(from));
  return parts;
}

function lastOccurrence(cps: number[], pat: number[]): number {
  for (let i = cps.length - pat.length; i >= 0; i--) {
    let ok = true;
    for (let j = 0; j < pat.length; j++) if (cps[i + j] !== pat[j]) {
      ok = false;
      break;
    }
    if (ok) return i;
  }
  return -1;
}

function split(s: Term, sep: Term, where: Term, args: Term[]): number[][] | undefined {
  const t = text(s, 'split', args);
  const p = chardata(sep);
  if (p === undefined || !p.ok) throw clauseOf('split', args);
  if (p.chars.length === 0) return undefined;
  return splitParts(t, p.chars, where, args);
}

def('split', 2, (s, sep) => splitResult(s, sep, atom('leading'), [s, sep]));
def('split', 3, (s, sep, where) => splitResult(s, sep, where, [s, sep, where]));

function splitResult(s: Term, sep: Term, where: Term, args: Term[]): Term {
  if (where === atom('leading')) {
    const p = chardata(sep);
    const fast = p !== undefined && p.ok && p.chars.length > 0 ? splitLeading(s, p.chars) : undefined;
    if (fast !== undefined) return fast;
  }
  const parts = split(s, sep, where, args);
  if (parts === undefined) return listOf([s]);
  const bin = s instanceof Bin;
  return listOf(parts.map((p) => out(p, bin)));
}

// split at the first separator is how Erlang code takes a long string apart piece by piece: on a
// flat list or a binary it reads up to the separator only and keeps the rest as it is, so taking it
// all apart is linear. As OTP's, a match is the separator's code points where its last one is a
// grapheme cluster of its own there (not followed by a combining mark, nor CR by LF).

/**
 * Is `last`, followed by `after` (the code points read after it, `whole` when they end the string),
 * a grapheme cluster of its own? undefined when what was read cannot tell.
 */
function clusterOfItsOwn(last: number, after: number[], whole: boolean): boolean | undefined {
  if (after.length === 0) return whole ? true : undefined;
  if (last < 0x300 && last !== 13 && after[0] < 0x300) return true;
  const window = [last, ...after];
  const n = graphemes(window)[0].length;
  if (n === window.length && !whole) return undefined;
  return n === 1;
}

/** Code points read after byte k of a binary, for clusterOfItsOwn: them, and whether they end it. */
function binAfter(b: Uint8Array, k: number): [number[], boolean] {
  const after: number[] = [];
  for (let u = utf8At(b, k); u !== undefined && after.length < LOOKAHEAD; u = utf8At(b, k)) {
    after.push(u[0]);
    k += u[1];
  }
  // (a byte that starts no character ends what is read: a cluster ends there)
  return [after, k === b.length || utf8At(b, k) === undefined];
}

/** Code points at the start of a flat list, for clusterOfItsOwn: them, and whether they end it. */
function listAfter(t: Term): [number[], boolean] {
  const after: number[] = [];
  while (t instanceof List && typeof t.head === 'number' && after.length < LOOKAHEAD) {
    after.push(t.head);
    t = t.tail;
  }
  return [after, t === NIL];
}

/**
 * Where sep first matches in a flat list or a binary: the code points before it (a list's) or its
 * byte offset (a binary's), where it starts and where the rest after it starts (list cells or byte
 * offsets); null when it does not; undefined where the whole way must be gone (a deep string).
 */
function firstMatch(s: Term, sep: number[]): { before: number[] | number; at: Term | number; rest: Term | number } | null | undefined {
  const last = sep[sep.length - 1];
  if (s instanceof Bin && s.isBinary) {
    const b = s.bytes;
    const pat = encodeUtf8(sep);
    for (let i = b.indexOf(pat[0]); i >= 0; i = b.indexOf(pat[0], i + 1)) {
      let j = 1;
      while (j < pat.length && b[i + j] === pat[j]) j++;
      if (j < pat.length) continue;
      const end = i + pat.length;
      const own = clusterOfItsOwn(last, ...binAfter(b, end));
      if (own === undefined) return undefined;
      if (!own) continue;
      bumpReductions(end);
      return { before: i, at: i, rest: end };
    }
    bumpReductions(b.length);
    return null;
  }
  if (!(s instanceof List)) return undefined;
  const before: number[] = [];
  for (let t: Term = s; ; ) {
    if (t === NIL) {
      bumpReductions(before.length);
      return null;
    }
    if (!(t instanceof List) || typeof t.head !== 'number') return undefined;
    if (t.head === sep[0]) {
      let u: Term = t.tail;
      let j = 1;
      while (j < sep.length && u instanceof List && u.head === sep[j]) {
        u = u.tail;
        j++;
      }
      if (j === sep.length) {
        const own = clusterOfItsOwn(last, ...listAfter(u));
        if (own === undefined) return undefined;
        if (own) {
          bumpReductions(before.length + j);
          return { before, at: t, rest: u };
        }
      }
    }
    before.push(t.head);
    t = t.tail;
  }
}

/** split(S, Sep) (leading) of a flat list or a binary, or undefined where the whole way must be gone. */
function splitLeading(s: Term, sep: number[]): Term | undefined {
  const m = firstMatch(s, sep);
  if (m === undefined) return undefined;
  if (m === null) return listOf([s]);
  if (s instanceof Bin) return listOf([new Bin(s.bytes.slice(0, m.before as number)), new Bin(s.bytes.subarray(m.rest as number))]);
  return listOf([intList(m.before as number[]), m.rest as Term]);
}

def('replace', 3, (s, p, r) => replace(s, p, r, atom('leading'), [s, p, r]));
def('replace', 4, (s, p, r, where) => replace(s, p, r, where, [s, p, r, where]));

function replace(s: Term, p: Term, r: Term, where: Term, args: Term[]): Term {
  const parts = split(s, p, where, args);
  if (parts === undefined) return listOf([s]);
  const bin = s instanceof Bin;
  const xs: Term[] = [];
  parts.forEach((part, i) => {
    if (i > 0) xs.push(r);
    xs.push(out(part, bin));
  });
  return listOf(xs);
}

def('lexemes', 2, (s, seps) => {
  const t = text(s, 'lexemes', [s, seps]);
  const set = graphemeSet(seps);
  if (set === undefined) throw clauseOf('lexemes', [s, seps]);
  const gs = graphemes(t.cps);
  const lex: Term[] = [];
  let cur: number[][] = [];
  for (const g of gs) {
    if (inSet(g, set)) {
      if (cur.length) lex.push(out(flat(cur), t.bin));
      cur = [];
    } else cur.push(g);
  }
  if (cur.length) lex.push(out(flat(cur), t.bin));
  return listOf(lex);
});

function find(s: Term, p: Term, dir: Term, args: Term[]): Term {
  if (dir === atom('leading')) {
    // (the string from the first match, read up to it: see firstMatch)
    const pr = chardata(p);
    const m = pr !== undefined && pr.ok && pr.chars.length > 0 ? firstMatch(s, pr.chars) : undefined;
    if (m === null) return A.nomatch;
    if (m !== undefined) return s instanceof Bin ? new Bin(s.bytes.subarray(m.at as number)) : (m.at as Term);
  }
  const t = text(s, 'find', args);
  const pr = chardata(p);
  if (pr === undefined || !pr.ok) throw clauseOf('find', args);
  if (pr.chars.length === 0) return s;
  let i: number;
  if (dir === atom('leading')) i = occurrences(t.cps, pr.chars)[0] ?? -1;
  else if (dir === atom('trailing')) i = lastOccurrence(t.cps, pr.chars);
  else throw clauseOf('find', args);
  if (i < 0) return A.nomatch;
  return out(t.cps.slice(i), t.bin);
}

def('find', 2, (s, p) => find(s, p, atom('leading'), [s, p]));
def('find', 3, (s, p, dir) => find(s, p, dir, [s, p, dir]));

/**
 * prefix/2 of a flat list or a binary, reading the prefix's length only (and the rest as it is, as
 * OTP's); its last code point must be a grapheme cluster of its own there. undefined: the whole way.
 */
function prefixOf(s: Term, q: number[]): Term | undefined {
  const last = q[q.length - 1];
  bumpReductions(q.length);
  if (s instanceof Bin && s.isBinary) {
    const pat = encodeUtf8(q);
    if (pat.length > s.byteSize) return A.nomatch;
    for (let i = 0; i < pat.length; i++) if (s.bytes[i] !== pat[i]) return A.nomatch;
    const own = clusterOfItsOwn(last, ...binAfter(s.bytes, pat.length));
    return own === undefined ? undefined : own ? new Bin(s.bytes.subarray(pat.length)) : A.nomatch;
  }
  let t: Term = s;
  for (const c of q) {
    if (!(t instanceof List) || typeof t.head !== 'number') return t === NIL ? A.nomatch : undefined;
    if (t.head !== c) return A.nomatch;
    t = t.tail;
  }
  const own = clusterOfItsOwn(last, ...listAfter(t));
  return own === undefined ? undefined : own ? t : A.nomatch;
}

def('prefix', 2, (s, p) => {
  const q0 = chardata(p);
  if (q0 !== undefined && q0.ok) {
    if (q0.chars.length === 0) return s;
    const fast = prefixOf(s, q0.chars);
    if (fast !== undefined) return fast;
  }
  const t = text(s, 'prefix', [s, p]);
  const pr = chardata(p);
  if (pr === undefined || !pr.ok) throw clauseOf('prefix', [s, p]);
  const q = pr.chars;
  if (q.length > t.cps.length || !q.every((c, i) => c === t.cps[i])) return A.nomatch;
  return out(t.cps.slice(q.length), t.bin);
});

/**
 * take (leading) of a flat list or a binary, read up to the first character not wanted and the
 * rest kept as it is, as OTP's; undefined (the whole way) unless each character read is a plain one
 * followed by another (a cluster of its own).
 */
function takeLeading(s: Term, want: (g: number[]) => boolean): Term | undefined {
  if (s instanceof Bin && s.isBinary) {
    const b = s.bytes;
    let i = 0;
    while (i < b.length) {
      const u = utf8At(b, i);
      if (u === undefined || !plainChar(u[0])) return undefined;
      const next = i + u[1] < b.length ? utf8At(b, i + u[1]) : [0, 0];
      if (next === undefined || !plainChar(next[0])) return undefined;
      if (!want([u[0]])) break;
      i += u[1];
    }
    bumpReductions(i);
    return tuple(new Bin(b.slice(0, i)), new Bin(b.subarray(i)));
  }
  const taken: number[] = [];
  let t: Term = s;
  while (t instanceof List) {
    const rest: Term = t.tail;
    if (!plainChar(t.head) || !(rest === NIL || (rest instanceof List && plainChar(rest.head)))) return undefined;
    if (!want([t.head as number])) break;
    taken.push(t.head as number);
    t = rest;
  }
  if (!(t instanceof List) && t !== NIL) return undefined;
  bumpReductions(taken.length);
  return tuple(intList(taken), t);
}

function take(s: Term, chars: Term, complement: boolean, dir: Term, args: Term[]): Term {
  if (dir === atom('leading')) {
    const set0 = graphemeSet(chars);
    const fast = set0 === undefined ? undefined : takeLeading(s, (g) => inSet(g, set0) !== complement);
    if (fast !== undefined) return fast;
  }
  const t = text(s, 'take', args);
  const set = graphemeSet(chars);
  if (set === undefined) throw clauseOf('take', args);
  const gs = graphemes(t.cps);
  const want = (g: number[]): boolean => inSet(g, set) !== complement;
  if (dir === atom('leading')) {
    let i = 0;
    while (i < gs.length && want(gs[i])) i++;
    return tuple(out(flat(gs.slice(0, i)), t.bin), out(flat(gs.slice(i)), t.bin));
  }
  if (dir === atom('trailing')) {
    let i = gs.length;
    while (i > 0 && want(gs[i - 1])) i--;
    return tuple(out(flat(gs.slice(0, i)), t.bin), out(flat(gs.slice(i)), t.bin));
  }
  throw clauseOf('take', args);
}

def('take', 2, (s, c) => take(s, c, false, atom('leading'), [s, c]));
def('take', 3, (s, c, comp) => take(s, c, comp === TRUE, atom('leading'), [s, c, comp]));
def('take', 4, (s, c, comp, dir) => take(s, c, comp === TRUE, dir, [s, c, comp, dir]));

/** Map code points through JS case conversion, one code point at a time (as OTP's tables do). */
function caseMap(cps: number[], how: 'upper' | 'lower' | 'fold'): number[] {
  if (how === 'fold') return caseFold(cps);
  const out: number[] = [];
  for (const c of cps) {
    const ch = String.fromCodePoint(c);
    const m = how === 'upper' ? ch.toUpperCase() : ch.toLowerCase();
    for (const x of m) out.push(x.codePointAt(0)!);
  }
  return out;
}

def('uppercase', 1, (s) => {
  const t = text(s, 'uppercase', [s]);
  return out(caseMap(t.cps, 'upper'), t.bin);
});
def('lowercase', 1, (s) => {
  const t = text(s, 'lowercase', [s]);
  return out(caseMap(t.cps, 'lower'), t.bin);
});
def('casefold', 1, (s) => {
  const t = text(s, 'casefold', [s]);
  return out(caseMap(t.cps, 'fold'), t.bin);
});
def('titlecase', 1, (s) => {
  const t = text(s, 'titlecase', [s]);
  if (t.cps.length === 0) return s;
  const first = caseMap([t.cps[0]], 'upper');
  if (t.bin) return new Bin(encodeUtf8([...first, ...t.cps.slice(1)]));
  // a list keeps its tail as it was
  return listOf(first, tailAfterFirst(s));
});

function tailAfterFirst(s: Term): Term {
  return s instanceof List && typeof s.head === 'number' ? s.tail : intList(text(s, 'titlecase', [s]).cps.slice(1));
}

const INT_CHARS = [...'+-0123456789'].map((c) => [c.charCodeAt(0)]);
const FLOAT_CHARS = [...'+-0123456789eE.,'].map((c) => [c.charCodeAt(0)]);

/**
 * The text a number is read from, and the string after its first n characters: of a flat list or a
 * binary only the leading characters that may make one (as OTP's take of them), else all of it.
 */
function numberSource(s: Term, chars: number[][], name: string): { txt: string; after: (n: number) => Term } {
  const lead = takeLeading(s, (g) => inSet(g, chars));
  if (lead instanceof Tuple) {
    const head = lead.elements[0];
    const cps = head instanceof Bin ? Array.from(head.bytes) : (items(head) as number[]);
    const after = (n: number): Term => {
      if (s instanceof Bin) return new Bin(s.bytes.subarray(n));
      let t: Term = s;
      for (let i = 0; i < n; i++) t = (t as List).tail;
      return t;
    };
    return { txt: fromCodePoints(cps), after };
  }
  const t = text(s, name, [s]);
  return { txt: fromCodePoints(t.cps), after: (n) => out(t.cps.slice(n), t.bin) };
}

/** {Value, Rest} for the longest numeric prefix, as string:to_integer / to_float. */
def('to_integer', 1, (s) => {
  const src = numberSource(s, INT_CHARS, 'to_integer');
  const m = /^[+-]?[0-9]+/.exec(src.txt);
  if (!m) return tuple(atom('error'), atom('no_integer'));
  const v = parseInteger(m[0])!;
  return tuple(v, src.after(m[0].length));
});

def('to_float', 1, (s) => {
  const src = numberSource(s, FLOAT_CHARS, 'to_float');
  // (a decimal comma reads as a point, as OTP's list_to_float takes it)
  const m = /^[+-]?[0-9]+[.,][0-9]+(?:[eE][+-]?[0-9]+)?/.exec(src.txt);
  if (!m) return tuple(atom('error'), atom('no_float'));
  const v = Number(m[0].replace(',', '.'));
  if (!Number.isFinite(v)) return tuple(atom('error'), atom('badarg'));
  return tuple(float(v), src.after(m[0].length));
});

// ---------- the old API (flat lists of characters) ----------

/** A flat string argument (the old API works on lists only). */
function chars(t: Term, name: string, args: Term[]): number[] {
  const xs = items(t);
  if (xs === undefined || !xs.every((x) => typeof x === 'number')) throw clauseOf(name, args);
  bumpReductions(xs.length);
  return xs as number[];
}

def('len', 1, (s) => chars(s, 'len', [s]).length);

def('concat', 2, (a, b) => {
  const xs = items(a);
  if (xs === undefined) throw clauseOf('concat', [a, b]);
  bumpReductions(xs.length);
  return listOf(xs, b);
});

def('chr', 2, (s, c) => chars(s, 'chr', [s, c]).indexOf(c as number) + 1);
def('rchr', 2, (s, c) => chars(s, 'rchr', [s, c]).lastIndexOf(c as number) + 1);
def('str', 2, (s, sub) => {
  const i = occurrences(chars(s, 'str', [s, sub]), chars(sub, 'str', [s, sub]))[0];
  return i === undefined ? 0 : i + 1;
});
def('rstr', 2, (s, sub) => lastOccurrence(chars(s, 'rstr', [s, sub]), chars(sub, 'rstr', [s, sub])) + 1);

def('substr', 2, (s, start) => {
  const cs = chars(s, 'substr', [s, start]);
  if (typeof start !== 'number' || start < 1 || start > cs.length + 1) throw clauseOf('substr', [s, start]);
  return intList(cs.slice(start - 1));
});
def('substr', 3, (s, start, len) => {
  const cs = chars(s, 'substr', [s, start, len]);
  if (typeof start !== 'number' || start < 1 || start > cs.length + 1 || typeof len !== 'number' || len < 0) {
    throw clauseOf('substr', [s, start, len]);
  }
  return intList(cs.slice(start - 1, start - 1 + len));
});
def('sub_string', 2, (s, start) => intList(chars(s, 'sub_string', [s, start]).slice((start as number) - 1)));
def('sub_string', 3, (s, start, stop) => intList(chars(s, 'sub_string', [s, start, stop]).slice((start as number) - 1, stop as number)));

function tokens(cs: number[], seps: number[]): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  for (const c of cs) {
    if (seps.includes(c)) {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push(c);
  }
  if (cur.length) out.push(cur);
  return out;
}

def('tokens', 2, (s, seps) => listOf(tokens(chars(s, 'tokens', [s, seps]), chars(seps, 'tokens', [s, seps])).map(intList)));

def('join', 2, (l, sep) => {
  const xs = items(l);
  if (xs === undefined) throw clauseOf('join', [l, sep]);
  // (each string's characters are charged as read)
  bumpReductions(xs.length);
  const sepCs = chars(sep, 'join', [l, sep]);
  const out: number[] = [];
  xs.forEach((x, i) => {
    if (i > 0) out.push(...sepCs);
    out.push(...chars(x, 'join', [l, sep]));
  });
  return intList(out);
});

function caseOld(t: Term, name: string, how: 'upper' | 'lower'): Term {
  const conv = (c: number): number => {
    // the old API converts latin-1 letters only
    if (how === 'upper') return (c >= 97 && c <= 122) || (c >= 224 && c <= 254 && c !== 247) ? c - 32 : c;
    return (c >= 65 && c <= 90) || (c >= 192 && c <= 222 && c !== 215) ? c + 32 : c;
  };
  if (typeof t === 'number') return conv(t);
  return intList(chars(t, name, [t]).map(conv));
}

def('to_upper', 1, (s) => caseOld(s, 'to_upper', 'upper'));
def('to_lower', 1, (s) => caseOld(s, 'to_lower', 'lower'));

function strip(s: Term, dir: Term, ch: Term, args: Term[]): Term {
  const cs = chars(s, 'strip', args);
  let a = 0;
  let b = cs.length;
  const lead = dir === atom('left') || dir === atom('both');
  const trail = dir === atom('right') || dir === atom('both');
  if (!lead && !trail) throw clauseOf('strip', args);
  if (lead) while (a < b && cs[a] === ch) a++;
  if (trail) while (b > a && cs[b - 1] === ch) b--;
  return intList(cs.slice(a, b));
}

def('strip', 1, (s) => strip(s, atom('both'), 32, [s]));
def('strip', 2, (s, dir) => strip(s, dir, 32, [s, dir]));
def('strip', 3, (s, dir, c) => strip(s, dir, c, [s, dir, c]));

function field(s: Term, n: Term, c: Term, where: 'left' | 'right' | 'centre', args: Term[]): Term {
  const cs = chars(s, where, args);
  if (typeof n !== 'number' || n < 0) throw clauseOf(where, args);
  const ch = c as number;
  bumpReductions(n);
  if (where === 'left') return intList(cs.length >= n ? cs.slice(0, n) : [...cs, ...new Array<number>(n - cs.length).fill(ch)]);
  if (where === 'right') return intList(cs.length >= n ? cs.slice(cs.length - n) : [...new Array<number>(n - cs.length).fill(ch), ...cs]);
  if (cs.length >= n) {
    const skip = Math.floor((cs.length - n) / 2);
    return intList(cs.slice(skip, skip + n));
  }
  const total = n - cs.length;
  const left = Math.floor(total / 2);
  return intList([...new Array<number>(left).fill(ch), ...cs, ...new Array<number>(total - left).fill(ch)]);
}

def('left', 2, (s, n) => field(s, n, 32, 'left', [s, n]));
def('left', 3, (s, n, c) => field(s, n, c, 'left', [s, n, c]));
def('right', 2, (s, n) => field(s, n, 32, 'right', [s, n]));
def('right', 3, (s, n, c) => field(s, n, c, 'right', [s, n, c]));
def('centre', 2, (s, n) => field(s, n, 32, 'centre', [s, n]));
def('centre', 3, (s, n, c) => field(s, n, c, 'centre', [s, n, c]));

def('words', 1, (s) => tokens(chars(s, 'words', [s]), [32]).length);
def('words', 2, (s, c) => tokens(chars(s, 'words', [s, c]), [c as number]).length);
def('sub_word', 2, (s, n) => subWord(s, n, 32, [s, n]));
def('sub_word', 3, (s, n, c) => subWord(s, n, c, [s, n, c]));

function subWord(s: Term, n: Term, c: Term, args: Term[]): Term {
  const ws = tokens(chars(s, 'sub_word', args), [c as number]);
  if (typeof n !== 'number' || n < 1) throw clauseOf('sub_word', args);
  return n <= ws.length ? intList(ws[n - 1]) : NIL;
}

def('copies', 2, (s, n) => {
  const cs = chars(s, 'copies', [s, n]);
  if (typeof n !== 'number' || n < 0) throw clauseOf('copies', [s, n]);
  bumpReductions(n * cs.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(...cs);
  return intList(out);
});

def('chars', 2, (c, n) => {
  if (typeof n !== 'number' || n < 0) throw clauseOf('chars', [c, n]);
  bumpReductions(n);
  return listOf(new Array<Term>(n).fill(c));
});
def('chars', 3, (c, n, tail) => {
  if (typeof n !== 'number' || n < 0) throw clauseOf('chars', [c, n, tail]);
  bumpReductions(n);
  return listOf(new Array<Term>(n).fill(c), tail);
});

def('span', 2, (s, cs) => {
  const xs = chars(s, 'span', [s, cs]);
  const set = chars(cs, 'span', [s, cs]);
  let i = 0;
  while (i < xs.length && set.includes(xs[i])) i++;
  return i;
});
def('cspan', 2, (s, cs) => {
  const xs = chars(s, 'cspan', [s, cs]);
  const set = chars(cs, 'cspan', [s, cs]);
  let i = 0;
  while (i < xs.length && !set.includes(xs[i])) i++;
  return i;
});

