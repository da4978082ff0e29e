// erlang:phash2/1,2 and erlang:phash/2 with the values BEAM gives, so terl and erl nodes shard
// terms alike. Both hash what a term is, not how it is stored:
//
//   phash2 (make_hash2)  Bob Jenkins' mix over 32-bit words: each kind of term mixes its parts in
//                        with its own constant (HCONST * n); strings go four bytes at a time; a
//                        map xors the hashes of its pairs, so their order does not matter
//   phash (make_hash)    the older byte-wise "hash * prime + byte" over the term's parts
//
// An atom's part is the hash its atom table keeps (hashpjw over its UTF-8 name, Latin-1 letters
// taken as one byte). Pids, ports and refs count by their numbers only, not their node. Funs count
// their module, index and uniq, which are terl's own for funs terl compiled.

import { Atom, Bin, ErlFloat, ErlMap, Fun, List, NIL, Pid, Port, Ref, Term, Tuple } from './term.js';
import { H, HCONST, blockHash, hash2 } from './jenkins.js';
import { chargeElements } from './scheduler.js';

// ---------- shared pieces ----------

const atomHashes = new Map<Atom, number>();

/** The atom table's hash of an atom (hashpjw, 64-bit as BEAM computes it, used as 32 bits). */
export function atomHash(a: Atom): number {
  let h = atomHashes.get(a);
  if (h !== undefined) return h;
  const bytes = new TextEncoder().encode(a.name);
  let x = 0n;
  for (let i = 0; i < bytes.length; i++) {
    let v = bytes[i];
    // a two-byte UTF-8 Latin-1 letter counts as its one Latin-1 byte
    if (i + 1 < bytes.length && (v & 0xfe) === 0xc2 && (bytes[i + 1] & 0xc0) === 0x80) {
      v = ((v << 6) | (bytes[i + 1] & 0x3f)) & 0xff;
      i++;
    }
    x = ((x << 4n) + BigInt(v)) & 0xffffffffffffffffn;
    const g = x & 0xf0000000n;
    if (g !== 0n) {
      x ^= g >> 24n;
      x ^= g;
    }
  }
  h = Number(x & 0xffffffffn);
  atomHashes.set(a, h);
  return h;
}

/** The magnitude of an integer as 32-bit words, least significant first (at least one). */
function words32(n: bigint): number[] {
  const out: number[] = [];
  do {
    out.push(Number(n & 0xffffffffn));
    n >>= 32n;
  } while (n > 0n);
  return out;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A float's two 32-bit halves [low, high] (0.0 and -0.0 alike). */
function floatWords(v: number): [number, number] {
  f64[0] = v === 0 ? 0 : v;
  return [u32[0], u32[1]];
}

function refNumber(r: Ref): number {
  return r.ids[0] >>> 0;
}

// ---------- phash2: make_hash2 ----------


/** BEAM's tag number for [] (tag_val_def), which phash2 mixes in for a list's end. */
const NIL_DEF = 2;

const MAP_TAIL = Symbol('map tail');
const MAP_PAIR = Symbol('map pair');
type Item = Term | typeof MAP_TAIL | typeof MAP_PAIR | number;

function isByte(t: Term): t is number {
  return typeof t === 'number' && t >= 0 && t <= 255 && Number.isInteger(t);
}

/** A bitstring mixed into hash: its whole bytes as a block, then its last bits (both term hashes do so). */
export function bitstringHash(b: Bin, hash: number): number {
  const con = (H[13] + hash) >>> 0;
  if (b.bitSize === 0) return con;
  const whole = b.bitSize >>> 3;
  const rest = b.bitSize & 7;
  const h = blockHash(b.bytes, whole, con);
  return rest > 0 ? hash2(rest, b.bytes[whole] >>> (8 - rest), H[15], h) : h;
}

/**
 * The bytes a list starts with, mixed in four to a word (both term hashes take strings so):
 * the hash after the whole words, the last partial word and its length; then either the cell
 * whose head is not a byte, or the tail that ended the list (rest).
 */
export function byteRun(list: List, hash: number): { hash: number; sh: number; c: number; cell: List; rest?: Term; cells: number } {
  let c = 0;
  let sh = 0;
  let cell = list;
  let cells = 0;
  for (;;) {
    const h = cell.head;
    if (!isByte(h)) return { hash, sh, c, cell, cells };
    cells++;
    sh = ((sh << 8) + h) >>> 0;
    if (c === 3) {
      hash = hash2(sh, 0, H[4], hash);
      c = sh = 0;
    } else c++;
    if (!(cell.tail instanceof List)) return { hash, sh, c, cell, rest: cell.tail, cells };
    cell = cell.tail;
  }
}

/** make_hash2: the 32-bit hash behind phash2. */
export function makeHash2(term: Term): number {
  if (term instanceof Atom) return atomHash(term);
  let hash = 0;
  if (typeof term === 'number' && Number.isInteger(term) && term >= -(2 ** 27) && term < 2 ** 27) return sint32(term, HCONST, hash);
  let xorPairs = 0;
  const stack: Item[] = [];
  let t: Term = term;
  // the terms and list cells walked (a binary's bytes go a word at a time: a quarter each), charged at the end
  let walked = 0;
  outer: for (;;) {
    walked++;
    // hash t into hash; `continue outer` goes on with the new t, `break inner` pops the next one
    inner: {
      if (t instanceof List) {
        const run = byteRun(t, hash);
        walked += run.cells;
        hash = run.c > 0 ? hash2(run.sh, 0, H[4], run.hash) : run.hash;
        if (run.rest !== undefined) {
          t = run.rest;
          continue outer;
        }
        stack.push(run.cell.tail);
        t = run.cell.head;
        continue;
      }
      if (t instanceof Tuple) {
        const es: Term[] = t.elements;
        hash = hash2(es.length, 0, H[9], hash);
        if (es.length === 0) break inner;
        for (let i = es.length - 1; i >= 1; i--) stack.push(es[i]);
        t = es[0];
        continue;
      }
      if (t === NIL) {
        hash = hash === 0 ? 3468870702 : hash2(NIL_DEF, 0, H[2], hash);
        break inner;
      }
      if (t instanceof Atom) {
        hash = hash === 0 ? atomHash(t) : hash2(atomHash(t), 0, H[3], hash);
        break inner;
      }
      if (typeof t === 'number' || typeof t === 'bigint') {
        if (typeof t === 'number' && t >= -(2 ** 27) && t < 2 ** 27) {
          hash = sint32(t, HCONST, hash);
          break inner;
        }
        // a bignum: its 64-bit digits, each as two 32-bit words
        const n = BigInt(t);
        const k = n < 0n ? H[10] : H[11];
        const ws = words32(n < 0n ? -n : n);
        for (let i = 0; i < ws.length; i += 2) hash = hash2(ws[i], ws[i + 1] ?? 0, k, hash);
        break inner;
      }
      if (t instanceof ErlFloat) {
        const [lo, hi] = floatWords(t.value);
        hash = hash2(hi, lo, H[12], hash);
        break inner;
      }
      if (t instanceof Bin) {
        hash = bitstringHash(t, hash);
        walked += t.byteSize >>> 2;
        break inner;
      }
      if (t instanceof ErlMap) {
        hash = hash2(t.size, 0, H[16], hash);
        if (t.size === 0) break inner;
        stack.push(xorPairs, hash, MAP_TAIL);
        hash = 0;
        xorPairs = 0;
        for (const [k, v] of t.entries.values()) stack.push(MAP_PAIR, v, k);
        break inner;
      }
      if (t instanceof Pid) {
        hash = hash2(t.id, 0, H[5], hash);
        break inner;
      }
      if (t instanceof Port) {
        hash = hash2(t.id, 0, H[6], hash);
        break inner;
      }
      if (t instanceof Ref) {
        hash = hash2(refNumber(t), 0, H[7], hash);
        break inner;
      }
      if (t instanceof Fun) {
        const i = t.info;
        if (i.kind === 'export') {
          hash = hash2(i.arity, atomHash(i.module), HCONST, hash);
          hash = hash2(atomHash(i.name), 0, H[14], hash);
          break inner;
        }
        const [module, index, uniq, free] = funParts(t);
        hash = hash2(free.length, atomHash(module), HCONST, hash);
        hash = hash2(index, uniq, HCONST, hash);
        if (free.length === 0) break inner;
        for (let j = free.length - 1; j >= 1; j--) stack.push(free[j]);
        t = free[0];
        continue;
      }
    }
    // the next term on the stack, closing maps as their pairs end
    for (;;) {
      if (stack.length === 0) {
        chargeElements(walked);
        return hash >>> 0;
      }
      const top = stack.pop()!;
      if (top === MAP_TAIL) {
        hash = stack.pop() as number;
        hash = hash2(xorPairs, 0, H[19], hash);
        xorPairs = stack.pop() as number;
      } else if (top === MAP_PAIR) {
        xorPairs = (xorPairs ^ hash) >>> 0;
        hash = 0;
      } else {
        t = top as Term;
        break;
      }
    }
  }
}

/** A small integer's words: a negative one is mixed twice, as BEAM does. */
function sint32(x: number, k: number, hash: number): number {
  if (x < 0) hash = hash2(-x, 0, k, hash);
  return hash2(x | 0, 0, k, hash);
}

/** A fun's module, index, uniq and free variables (an erl_eval fun's are erl_eval's). */
function funParts(f: Fun): [Atom, number, number, Term[]] {
  const i = f.info;
  if (i.kind === 'local' || i.kind === 'foreign') return [i.module, i.index, i.uniq, i.free];
  if (i.kind === 'eval') return [ERL_EVAL, 0, 0, [i.env]];
  return [i.module, 0, 0, []];
}

const ERL_EVAL = new Atom('erl_eval');

// ---------- phash: make_hash ----------

const F1 = 268440163;
const F2 = 268439161;
const F3 = 268435459;
const F4 = 268436141;
const F5 = 268438633;
const F6 = 268437017;
const F8 = 268437511;
const F9 = 268439627;
const F10 = 268440479;
const F11 = 268440577;
const F12 = 268440581;
const F13 = 268440593;
const F14 = 268440611;

/** hash * k + x, in 32 bits. */
function step(hash: number, k: number, x: number): number {
  return (Math.imul(hash, k) + x) >>> 0;
}

/** The four bytes of a 32-bit word, least significant first. */
function word(hash: number, w: number, k: number): number {
  hash = step(hash, k, w & 0xff);
  hash = step(hash, k, (w >>> 8) & 0xff);
  hash = step(hash, k, (w >>> 16) & 0xff);
  return step(hash, k, w >>> 24);
}

// what make_hash's stack holds besides terms: a list's rest (hashed as a list, or as its end),
// a list's end (one more step), a tuple's end (its arity)
class Rest {
  constructor(readonly tail: Term) {}
}
const LIST_END = Symbol('list end');
class TupleEnd {
  constructor(readonly arity: number) {}
}
type Op = Term | Rest | typeof LIST_END | TupleEnd;

/** make_hash: the 32-bit hash behind phash/2. */
export function makeHash(term: Term): number {
  let hash = 0;
  const stack: Op[] = [];
  let t: Op = term;
  // the terms, list cells and binary bytes walked, charged at the end
  let walked = 0;
  for (;;) {
    walked++;
    if (t instanceof Rest) {
      // the rest of a list after a head that is not a byte
      if (t.tail instanceof List) t = t.tail;
      else {
        stack.push(LIST_END);
        t = t.tail;
      }
    }
    if (t === LIST_END) hash = Math.imul(hash, F8) >>> 0;
    else if (t instanceof TupleEnd) hash = step(hash, F9, t.arity);
    else if (t === NIL) hash = step(hash, F3, 1);
    else if (t instanceof Atom) hash = step(hash, F1, atomHash(t));
    else if (typeof t === 'number' || typeof t === 'bigint') {
      const n = BigInt(t);
      for (const w of words32(n < 0n ? -n : n)) hash = word(hash, w, F2);
      hash = Math.imul(hash, n < 0n ? F4 : F3) >>> 0;
    } else if (t instanceof ErlFloat) {
      const [lo, hi] = floatWords(t.value);
      hash = step(hash, F6, (lo ^ hi) >>> 0);
    } else if (t instanceof Bin) {
      const whole = t.bitSize >>> 3;
      const rest = t.bitSize & 7;
      for (let i = 0; i < whole; i++) hash = step(hash, F1, t.bytes[i]);
      walked += whole;
      if (rest > 0) hash = step(step(hash, F1, t.bytes[whole] >>> (8 - rest)), F12, rest);
      hash = step(hash, F4, whole);
    } else if (t instanceof Tuple) {
      // the elements in order, then the arity
      stack.push(new TupleEnd(t.elements.length));
      for (let i = t.elements.length - 1; i >= 0; i--) stack.push(t.elements[i]);
    } else if (t instanceof List) {
      // byte heads go straight in; a list ends with its last tail's hash and one more step
      let cell: List = t;
      for (;;) {
        const h = cell.head;
        if (!isByte(h)) {
          stack.push(new Rest(cell.tail), h);
          break;
        }
        hash = step(hash, F2, h);
        walked++;
        if (!(cell.tail instanceof List)) {
          stack.push(LIST_END, cell.tail);
          break;
        }
        cell = cell.tail;
      }
    } else if (t instanceof ErlMap) hash = (Math.imul(hash, F13) + F14 + makeHash2(t)) >>> 0;
    else if (t instanceof Pid) hash = Math.imul(word(hash, t.id, F5), F6) >>> 0;
    else if (t instanceof Port) hash = Math.imul(word(hash, t.id, F9), F10) >>> 0;
    else if (t instanceof Ref) hash = Math.imul(word(hash, refNumber(t), F9), F10) >>> 0;
    else if (t instanceof Fun) {
      const i = t.info;
      if (i.kind === 'export') {
        hash = step(hash, F11, i.arity);
        hash = step(hash, F1, atomHash(i.module));
        hash = step(hash, F1, atomHash(i.name));
      } else {
        const [module, index, uniq, free] = funParts(t);
        hash = step(hash, F10, free.length);
        hash = step(hash, F1, atomHash(module));
        hash = step(hash, F2, index);
        hash = step(hash, F2, uniq);
        for (let j = free.length - 1; j >= 0; j--) stack.push(free[j]);
      }
    }
    if (stack.length === 0) {
      chargeElements(walked);
      return hash;
    }
    t = stack.pop()!;
  }
}
