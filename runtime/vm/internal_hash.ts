// BEAM's internal term hash (make_internal_hash, OTP 25), which places a key in an ETS set or bag
// table's buckets, and so decides the order first/next, tab2list and select see. It is phash2's
// Jenkins mix started from a salt, over the words BEAM stores: an immediate (small integer, [],
// an atom inside a compound key) is hashed as its tagged 64-bit word.
//
// An atom's word holds its index in BEAM's atom table, which terl cannot know: a key that
// contains atoms (other than as the whole key, hashed by its name) gets a stand-in, so its place
// differs from erl's. So do pids, ports, refs, maps and funs inside keys.

import { Atom, Bin, ErlFloat, ErlMap, Fun, List, NIL, Pid, Port, Ref, Tuple, type Term } from './term.js';
import { atomHash, bitstringHash, byteRun } from './phash.js';
import { H, HCONST, hash2 } from './jenkins.js';

/** Where the internal hash starts (a prime, so it differs from phash2). */
const SALT = 3432918353;

/** A type tag mixed in lightly (before a list's head, after an improper list's tail). */
function constHash(hash: number, k: number): number {
  const h = (hash ^ k) >>> 0;
  return ((h << 17) | (h >>> 15)) >>> 0;
}

/** A small integer's tagged word (N bsl 4 bor 15) as two 32-bit halves. */
function smallWord(n: number): [number, number] {
  const lo = Number(BigInt.asUintN(32, (BigInt(n) << 4n) | 15n));
  const hi = Number(BigInt.asUintN(32, BigInt.asIntN(64, BigInt(n) << 4n) >> 32n));
  return [lo, hi];
}

/** Small integers are those BEAM keeps in a word: 60 bits, signed. */
const SMALL_MIN = -(2n ** 59n);
const SMALL_MAX = 2n ** 59n - 1n;

function isSmall(t: number | bigint): boolean {
  const b = BigInt(t);
  return b >= SMALL_MIN && b <= SMALL_MAX;
}

/** The tagged word of []. */
const NIL_WORD: [number, number] = [0x3b, 0];

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

const CDR_END = Symbol('cdr end');


/** make_internal_hash(Term, 0). */
export function internalHash(term: Term): number {
  let hash = SALT;
  const stack: Array<Term | typeof CDR_END> = [];
  let t: Term | typeof CDR_END = term;
  for (;;) {
    if (t === CDR_END) hash = constHash(hash, H[18]);
    else if (typeof t === 'number' || typeof t === 'bigint') {
      if (isSmall(t)) {
        const [lo, hi] = smallWord(Number(t));
        hash = hash2(lo, hi, HCONST, hash);
      } else {
        // a bignum: its 64-bit digits of the magnitude, as two 32-bit words each
        const n = BigInt(t);
        const k = n < 0n ? H[10] : H[11];
        let m = n < 0n ? -n : n;
        do {
          hash = hash2(Number(m & 0xffffffffn), Number((m >> 32n) & 0xffffffffn), k, hash);
          m >>= 64n;
        } while (m > 0n);
      }
    } else if (t === NIL) hash = hash2(NIL_WORD[0], NIL_WORD[1], HCONST, hash);
    else if (t instanceof Atom) hash = hash2(atomHash(t), 0, HCONST, hash);
    else if (t instanceof List) {
      const run = byteRun(t, hash);
      // (the last partial word goes in with its length)
      hash = run.c > 0 ? hash2(run.sh, run.c, H[22], run.hash) : run.hash;
      if (run.rest !== undefined) {
        t = run.rest;
        continue;
      }
      const cell = run.cell;
      // a head that is not a byte: hash it, then the rest
      hash = constHash(hash, H[17]);
      stack.push(cell.tail);
      if (!(cell.tail instanceof List)) stack.push(CDR_END);
      t = cell.head;
      continue;
    } else if (t instanceof Tuple) {
      const es: Term[] = t.elements;
      hash = hash2(es.length, 0, H[9], hash);
      if (es.length > 0) {
        for (let i = es.length - 1; i >= 1; i--) stack.push(es[i]);
        t = es[0];
        continue;
      }
    } else if (t instanceof Bin) hash = bitstringHash(t, hash); else if (t instanceof ErlFloat) {
      f64[0] = t.value === 0 ? 0 : t.value;
      hash = hash2(u32[0], u32[1], H[12], hash);
    } else if (t instanceof Ref) {
      hash = hash2(t.ids[0] >>> 0, 0, H[7], hash);
      hash = hash2((t.ids[1] ?? 0) >>> 0, (t.ids[2] ?? 0) >>> 0, H[8], hash);
    } else if (t instanceof Pid || t instanceof Port) {
      hash = hash2(t.id, 0, HCONST, hash);
    } else if (t instanceof ErlMap) {
      hash = hash2(t.size, 0, H[16], hash);
      for (const [k, v] of t.sorted().reverse()) stack.push(v, k);
    } else if (t instanceof Fun) {
      hash = hash2(t.arity, 0, HCONST, hash);
    }
    if (stack.length === 0) return hash;
    t = stack.pop()!;
  }
}

/** The hash an ETS set or bag table files a key under (MAKE_HASH): an atom by its name's hash. */
export function etsKeyHash(key: Term): number {
  return (key instanceof Atom ? atomHash(key) : internalHash(key)) & 0x7fffffff;
}
