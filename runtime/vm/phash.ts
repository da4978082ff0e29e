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

import { Atom, Bin, ErlFloat, ErlMap, Fun, List, NIL, Pid, Port, Ref, Term, Tuple } from '../term.js';

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

const HCONST = 0x9e3779b9;
const HC = (n: number) => Math.imul(HCONST, n) >>> 0;
const HCONST_2 = HC(2);
const HCONST_3 = HC(3);
const HCONST_4 = HC(4);
const HCONST_5 = HC(5);
const HCONST_6 = HC(6);
const HCONST_7 = HC(7);
const HCONST_9 = HC(9);
const HCONST_10 = HC(10);
const HCONST_11 = HC(11);
const HCONST_12 = HC(12);
const HCONST_13 = HC(13);
const HCONST_14 = HC(14);
const HCONST_15 = HC(15);
const HCONST_16 = HC(16);
const HCONST_19 = HC(19);

/** BEAM's tag number for [] (tag_val_def), which phash2 mixes in for a list's end. */
const NIL_DEF = 2;

// Jenkins' mix works on three words; it leaves them here
let ma = 0;
let mb = 0;
let mc = 0;

function mix(a: number, b: number, c: number): void {
  a = (a - b - c) ^ (c >>> 13);
  b = (b - c - a) ^ (a << 8);
  c = (c - a - b) ^ (b >>> 13);
  a = (a - b - c) ^ (c >>> 12);
  b = (b - c - a) ^ (a << 16);
  c = (c - a - b) ^ (b >>> 5);
  a = (a - b - c) ^ (c >>> 3);
  b = (b - c - a) ^ (a << 10);
  c = (c - a - b) ^ (b >>> 15);
  ma = a;
  mb = b;
  mc = c;
}

/** Two words mixed into hash with constant k (UINT32_HASH_2). */
function hash2(x: number, y: number, k: number, hash: number): number {
  mix((k + x) | 0, (k + y) | 0, hash | 0);
  return mc >>> 0;
}

/** Jenkins' hash of the first `length` bytes of k, from initval. */
function blockHash(k: Uint8Array, length: number, initval: number): number {
  let a = HCONST | 0;
  let b = HCONST | 0;
  let c = initval | 0;
  let i = 0;
  let len = length;
  const w = (j: number) => k[j] | (k[j + 1] << 8) | (k[j + 2] << 16) | (k[j + 3] << 24);
  while (len >= 12) {
    mix((a + w(i)) | 0, (b + w(i + 4)) | 0, (c + w(i + 8)) | 0);
    a = ma;
    b = mb;
    c = mc;
    i += 12;
    len -= 12;
  }
  c = (c + length) | 0;
  // the last bytes: c's low byte is the length's
  if (len >= 11) c = (c + (k[i + 10] << 24)) | 0;
  if (len >= 10) c = (c + (k[i + 9] << 16)) | 0;
  if (len >= 9) c = (c + (k[i + 8] << 8)) | 0;
  if (len >= 8) b = (b + (k[i + 7] << 24)) | 0;
  if (len >= 7) b = (b + (k[i + 6] << 16)) | 0;
  if (len >= 6) b = (b + (k[i + 5] << 8)) | 0;
  if (len >= 5) b = (b + k[i + 4]) | 0;
  if (len >= 4) a = (a + (k[i + 3] << 24)) | 0;
  if (len >= 3) a = (a + (k[i + 2] << 16)) | 0;
  if (len >= 2) a = (a + (k[i + 1] << 8)) | 0;
  if (len >= 1) a = (a + k[i]) | 0;
  mix(a, b, c);
  return mc >>> 0;
}

const MAP_TAIL = Symbol('map tail');
const MAP_PAIR = Symbol('map pair');
type Item = Term | typeof MAP_TAIL | typeof MAP_PAIR | number;

function isByte(t: Term): t is number {
  return typeof t === 'number' && t >= 0 && t <= 255 && Number.isInteger(t);
}

/** make_hash2: the 32-bit hash behind phash2. */
export function makeHash2(term: Term): number {
  if (term instanceof Atom) return atomHash(term);
  let hash = 0;
  if (typeof term === 'number' && Number.isInteger(term) && term >= -(2 ** 27) && term < 2 ** 27) return sint32(term, HCONST, hash);
  let xorPairs = 0;
  const stack: Item[] = [];
  let t: Term = term;
  outer: for (;;) {
    // hash t into hash; `continue outer` goes on with the new t, `break inner` pops the next one
    inner: {
      if (t instanceof List) {
        let c = 0;
        let sh = 0;
        let cell: List = t;
        for (;;) {
          const h = cell.head;
          if (!isByte(h)) break;
          sh = ((sh << 8) + h) >>> 0;
          if (c === 3) {
            hash = hash2(sh, 0, HCONST_4, hash);
            c = sh = 0;
          } else c++;
          const tail: Term = cell.tail;
          if (!(tail instanceof List)) {
            if (c > 0) hash = hash2(sh, 0, HCONST_4, hash);
            t = tail;
            continue outer;
          }
          cell = tail;
        }
        if (c > 0) hash = hash2(sh, 0, HCONST_4, hash);
        stack.push(cell.tail);
        t = cell.head;
        continue;
      }
      if (t instanceof Tuple) {
        const es: Term[] = t.elements;
        hash = hash2(es.length, 0, HCONST_9, hash);
        if (es.length === 0) break inner;
        for (let i = es.length - 1; i >= 1; i--) stack.push(es[i]);
        t = es[0];
        continue;
      }
      if (t === NIL) {
        hash = hash === 0 ? 3468870702 : hash2(NIL_DEF, 0, HCONST_2, hash);
        break inner;
      }
      if (t instanceof Atom) {
        hash = hash === 0 ? atomHash(t) : hash2(atomHash(t), 0, HCONST_3, hash);
        break inner;
      }
      if (typeof t === 'number' || typeof t === 'bigint') {
        if (typeof t === 'number' && t >= -(2 ** 27) && t < 2 ** 27) {
          hash = sint32(t, HCONST, hash);
          break inner;
        }
        // a bignum: its 64-bit digits, each as two 32-bit words
        const n = BigInt(t);
        const k = n < 0n ? HCONST_10 : HCONST_11;
        const ws = words32(n < 0n ? -n : n);
        for (let i = 0; i < ws.length; i += 2) hash = hash2(ws[i], ws[i + 1] ?? 0, k, hash);
        break inner;
      }
      if (t instanceof ErlFloat) {
        const [lo, hi] = floatWords(t.value);
        hash = hash2(hi, lo, HCONST_12, hash);
        break inner;
      }
      if (t instanceof Bin) {
        const whole = t.bitSize >>> 3;
        const rest = t.bitSize & 7;
        const con = (HCONST_13 + hash) >>> 0;
        if (t.bitSize === 0) hash = con;
        else {
          hash = blockHash(t.bytes, whole, con);
          if (rest > 0) hash = hash2(rest, t.bytes[whole] >>> (8 - rest), HCONST_15, hash);
        }
        break inner;
      }
      if (t instanceof ErlMap) {
        hash = hash2(t.size, 0, HCONST_16, hash);
        if (t.size === 0) break inner;
        stack.push(xorPairs, hash, MAP_TAIL);
        hash = 0;
        xorPairs = 0;
        for (const [k, v] of t.entries.values()) stack.push(MAP_PAIR, v, k);
        break inner;
      }
      if (t instanceof Pid) {
        hash = hash2(t.id, 0, HCONST_5, hash);
        break inner;
      }
      if (t instanceof Port) {
        hash = hash2(t.id, 0, HCONST_6, hash);
        break inner;
      }
      if (t instanceof Ref) {
        hash = hash2(refNumber(t), 0, HCONST_7, hash);
        break inner;
      }
      if (t instanceof Fun) {
        const i = t.info;
        if (i.kind === 'export') {
          hash = hash2(i.arity, atomHash(i.module), HCONST, hash);
          hash = hash2(atomHash(i.name), 0, HCONST_14, hash);
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
      if (stack.length === 0) return hash >>> 0;
      const top = stack.pop()!;
      if (top === MAP_TAIL) {
        hash = stack.pop() as number;
        hash = hash2(xorPairs, 0, HCONST_19, hash);
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
  for (;;) {
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
    if (stack.length === 0) return hash;
    t = stack.pop()!;
  }
}
