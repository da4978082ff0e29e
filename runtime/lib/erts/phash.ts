// erlang:phash/2's hash: BEAM's make_hash, the portable hash OTP's dict and sets (version 1) use to
// place keys in their buckets. A dict printed on terl, its to_list/1 order and a dict sent to an
// erl node all depend on the same value, so it follows BEAM's definition exactly: a hash
// H = H * C + X (mod 2^32) over the term's parts, with a prime C per kind of part.
//
// Numbers are hashed by the bytes of their absolute value (least significant first, whole 32-bit
// words), whatever their size; atoms by the hashpjw value of their name; lists of bytes one byte
// per step. Maps and shell funs, which BEAM hashes with other functions (make_hash2, erl_eval's
// fun entries), get a hash of their own here: they are seldom dict keys.

import { Atom, Bin, ErlFloat, ErlMap, Fun, List, NIL, Pid, Port, Ref, Term, Tuple } from '../../vm/term.js';

// primes just above 2^28
const P1 = 268440163;
const P2 = 268439161;
const P3 = 268435459;
const P4 = 268436141;
const P5 = 268438633;
const P6 = 268437017;
const P8 = 268437511;
const P9 = 268439627;
const P10 = 268440479;
const P11 = 268440577;
const P12 = 268440581;
const P13 = 268440593;
const P14 = 268440611;

const step = (h: number, prime: number, x: number): number => (Math.imul(h, prime) + x) >>> 0;

/** The four bytes of a 32-bit word, least significant first. */
function wordStep(h: number, prime: number, w: number): number {
  h = step(h, prime, w & 0xff);
  h = step(h, prime, (w >>> 8) & 0xff);
  h = step(h, prime, (w >>> 16) & 0xff);
  return step(h, prime, w >>> 24);
}

const atomHashes = new Map<string, number>();

/** hashpjw over the atom's UTF-8 name, with a two-byte sequence of a Latin-1 character taken as that character. */
export function atomHash(a: Atom): number {
  let h = atomHashes.get(a.name);
  if (h !== undefined) return h;
  const bytes = new TextEncoder().encode(a.name);
  h = 0;
  for (let i = 0; i < bytes.length; i++) {
    let v = bytes[i];
    if (i + 1 < bytes.length && (v & 0xfe) === 0xc2 && (bytes[i + 1] & 0xc0) === 0x80) {
      v = ((v << 6) | (bytes[i + 1] & 0x3f)) & 0xff;
      i++;
    }
    h = ((h << 4) + v) >>> 0;
    const g: number = h & 0xf0000000;
    if (g !== 0) {
      h = (h ^ (g >>> 24)) >>> 0;
      h = (h ^ g) >>> 0;
    }
  }
  atomHashes.set(a.name, h);
  return h;
}

function integerStep(h: number, n: number | bigint): number {
  const negative = n < 0;
  let m = typeof n === 'bigint' ? (negative ? -n : n) : BigInt(Math.abs(n));
  // whole 32-bit words of the absolute value, the lowest first (at least one)
  do {
    h = wordStep(h, P2, Number(m & 0xffffffffn));
    m >>= 32n;
  } while (m > 0n);
  return Math.imul(h, negative ? P4 : P3) >>> 0;
}

function smallIntegerStep(h: number, n: number): number {
  if (Math.abs(n) > 0xffffffff) return integerStep(h, n);
  h = wordStep(h, P2, Math.abs(n));
  return Math.imul(h, n < 0 ? P4 : P3) >>> 0;
}

const F64 = new Float64Array(1);
const F64_WORDS = new Uint32Array(F64.buffer);

function binaryStep(h: number, b: Bin): number {
  const whole = b.bitSize >>> 3;
  for (let i = 0; i < whole; i++) h = step(h, P1, b.bytes[i]);
  const extra = b.bitSize & 7;
  if (extra > 0) {
    const last = b.bytes[whole] >>> (8 - extra);
    h = (Math.imul(step(h, P1, last), P12) + extra) >>> 0;
  }
  return step(h, P4, whole);
}

/** make_hash(Term): a 32-bit unsigned value. */
export function makeHash(t: Term): number {
  return hashStep(0, t);
}

function hashStep(h: number, t: Term): number {
  if (typeof t === 'number') return smallIntegerStep(h, t);
  if (typeof t === 'bigint') return integerStep(h, t);
  if (t instanceof Atom) return step(h, P1, atomHash(t));
  if (t === NIL) return step(h, P3, 1);
  if (t instanceof List) return listStep(h, t);
  if (t instanceof Tuple) {
    for (const e of t.elements) h = hashStep(h, e);
    return step(h, P9, t.elements.length);
  }
  if (t instanceof ErlFloat) {
    F64[0] = t.value === 0 ? 0 : t.value;
    return step(h, P6, (F64_WORDS[0] ^ F64_WORDS[1]) >>> 0);
  }
  if (t instanceof Bin) return binaryStep(h, t);
  if (t instanceof Pid) return Math.imul(wordStep(h, P5, t.id), P6) >>> 0;
  if (t instanceof Port) return Math.imul(wordStep(h, P9, t.id), P10) >>> 0;
  if (t instanceof Ref) return Math.imul(wordStep(h, P9, t.ids[0] ?? 0), P10) >>> 0;
  if (t instanceof Fun) return funStep(h, t);
  if (t instanceof ErlMap) return (Math.imul(h, P13) + P14 + ownHash(t)) >>> 0;
  return h;
}

/** A list: runs of bytes one step each, other elements hashed whole; the final tail, then P8, once. */
function listStep(h: number, l: List): number {
  let t: Term = l;
  while (t instanceof List) {
    const x = t.head;
    h = typeof x === 'number' && x >= 0 && x <= 255 ? step(h, P2, x) : hashStep(h, x);
    t = t.tail;
  }
  h = hashStep(h, t);
  return Math.imul(h, P8) >>> 0;
}

function funStep(h: number, f: Fun): number {
  const i = f.info;
  if (i.kind === 'export') {
    h = step(h, P11, i.arity);
    h = step(h, P1, atomHash(i.module));
    return step(h, P1, atomHash(i.name));
  }
  if (i.kind === 'local' || i.kind === 'foreign') {
    h = step(h, P10, i.free.length);
    h = step(h, P1, atomHash(i.module));
    h = step(h, P2, i.index);
    h = step(h, P2, i.uniq);
    for (const v of i.free) h = hashStep(h, v);
    return h;
  }
  return (Math.imul(h, P10) + ownHash(f)) >>> 0;
}

/** Terms BEAM hashes with other functions: a stable hash of their printed identity. */
function ownHash(t: ErlMap | Fun): number {
  const text = t instanceof Fun ? t.identity() : t.sorted().map(([k, v]) => `${makeHash(k)}:${makeHash(v)}`).join(',');
  let h = 0;
  for (let i = 0; i < text.length; i++) h = step(h, P1, text.charCodeAt(i));
  return h;
}

/** erlang:phash(Term, Range): 1..Range (Range up to 2^32). */
export function phash(t: Term, range: number): number {
  return (makeHash(t) % range) + 1;
}
