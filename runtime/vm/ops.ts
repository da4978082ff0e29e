// Erlang's operators with their exact semantics, called by compiled code (and registered as the
// erlang:'+'/2 ... BIFs, so `fun erlang:'+'/2` and apply work too).
//
//   arithmetic   + - * / div rem bnot band bor bxor bsl bsr, unary - and +
//                integers are numbers while safe, bigints beyond (always normalised back);
//                floats are ErlFloat and must stay finite; any other operand is badarith
//   comparison   < =< > >= == /= =:= =/=   (term order; JS booleans, compiled code wraps them)
//   boolean      not and or xor            (badarg on a non-boolean)
//   lists        ++ --                     (badarg on an improper first operand)
//
// Every error carries the frame {erlang, Op, Args, ...} so the shell prints
// `in operator  +/2` / `called as 1 + foo`.

import {
  ErlFloat,
  List,
  NIL,
  Term,
  TRUE,
  FALSE,
  atom,
  compare,
  exactEqual,
  mapKey,
  normInt,
} from './term.js';
import { ErlangException, bifError } from './exception.js';
import { defineBif } from './bif_registry.js';
import { chargeElements } from './scheduler.js';

const MAX = Number.MAX_SAFE_INTEGER;
const BADARITH = atom('badarith');
const BADARG = atom('badarg');

function badarith(op: string, args: Term[]): ErlangException {
  // (erts names erl_erts_errors in the frame, with no text for any argument)
  return bifError(BADARITH, 'erlang', op, args, {});
}

/** A JS float result, which Erlang refuses when it is infinite or NaN. */
function floatResult(op: string, args: Term[], r: number): ErlFloat {
  if (!Number.isFinite(r)) throw badarith(op, args);
  return new ErlFloat(r);
}

/** An Erlang number as a JS float, or undefined when it is not a number or too big for a float. */
function asFloat(t: Term): number | undefined {
  if (typeof t === 'number') return t;
  if (t instanceof ErlFloat) return t.value;
  if (typeof t === 'bigint') {
    const f = Number(t);
    return Number.isFinite(f) ? f : undefined;
  }
  return undefined;
}

function isInt(t: Term): t is number | bigint {
  return typeof t === 'number' || typeof t === 'bigint';
}

function big(t: number | bigint): bigint {
  return typeof t === 'bigint' ? t : BigInt(t);
}

/** -0 is not an Erlang integer */
function z(r: number): number {
  return r === 0 ? 0 : r;
}

// ---------- arithmetic ----------

export function add(a: Term, b: Term): Term {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return addSlow(a, b);
}

function addSlow(a: Term, b: Term): Term {
  if (isInt(a) && isInt(b)) return normInt(big(a) + big(b));
  const x = asFloat(a);
  const y = asFloat(b);
  if (x === undefined || y === undefined) throw badarith('+', [a, b]);
  return floatResult('+', [a, b], x + y);
}

export function sub(a: Term, b: Term): Term {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return subSlow(a, b);
}

function subSlow(a: Term, b: Term): Term {
  if (isInt(a) && isInt(b)) return normInt(big(a) - big(b));
  const x = asFloat(a);
  const y = asFloat(b);
  if (x === undefined || y === undefined) throw badarith('-', [a, b]);
  return floatResult('-', [a, b], x - y);
}

export function mul(a: Term, b: Term): Term {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (r <= MAX && r >= -MAX) return z(r);
  }
  return mulSlow(a, b);
}

function mulSlow(a: Term, b: Term): Term {
  if (isInt(a) && isInt(b)) {
    const r = big(a) * big(b);
    chargeBignum(r);
    return normInt(r);
  }
  const x = asFloat(a);
  const y = asFloat(b);
  if (x === undefined || y === undefined) throw badarith('*', [a, b]);
  return floatResult('*', [a, b], x * y);
}

/** Bignums past this size take long enough to multiply or divide to be charged (and measured). */
const BIG_WORK = 1n << 4096n;

/** Charge a product or dividend of thousands of bits by its bits (sized only then: toString is linear). */
function chargeBignum(x: bigint): void {
  if (x > BIG_WORK || x < -BIG_WORK) chargeElements(x.toString(16).length << 2);
}

/** `/`: always a float; a zero divisor (0 or 0.0) is badarith. */
export function fdiv(a: Term, b: Term): Term {
  const x = asFloat(a);
  const y = asFloat(b);
  if (x === undefined || y === undefined || y === 0) throw badarith('/', [a, b]);
  return floatResult('/', [a, b], x / y);
}

/** `div`: integer division truncating toward zero. */
export function idiv(a: Term, b: Term): Term {
  if (typeof a === 'number' && typeof b === 'number' && b !== 0) {
    // a - a % b is an exact multiple of b, so this division is exact
    return z((a - (a % b)) / b);
  }
  if (!isInt(a) || !isInt(b) || b === 0) throw badarith('div', [a, b]);
  if (typeof a === 'bigint') chargeBignum(a);
  return normInt(big(a) / big(b));
}

/** `rem`: the remainder takes the sign of the dividend (JS % on integers). */
export function rem(a: Term, b: Term): Term {
  if (typeof a === 'number' && typeof b === 'number' && b !== 0) return z(a % b);
  if (!isInt(a) || !isInt(b) || b === 0) throw badarith('rem', [a, b]);
  if (typeof a === 'bigint') chargeBignum(a);
  return normInt(big(a) % big(b));
}

/** unary minus */
export function neg(a: Term): Term {
  if (typeof a === 'number') return z(-a);
  if (typeof a === 'bigint') return normInt(-a);
  if (a instanceof ErlFloat) return new ErlFloat(-a.value);
  throw badarith('-', [a]);
}

/** unary plus: the number itself */
export function pos(a: Term): Term {
  if (typeof a === 'number' || typeof a === 'bigint' || a instanceof ErlFloat) return a;
  throw badarith('+', [a]);
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

function isInt32(a: Term): a is number {
  return typeof a === 'number' && a >= INT32_MIN && a <= INT32_MAX;
}

export function band(a: Term, b: Term): Term {
  if (isInt32(a) && isInt32(b)) return a & b;
  if (!isInt(a) || !isInt(b)) throw badarith('band', [a, b]);
  return normInt(big(a) & big(b));
}

export function bor(a: Term, b: Term): Term {
  if (isInt32(a) && isInt32(b)) return a | b;
  if (!isInt(a) || !isInt(b)) throw badarith('bor', [a, b]);
  return normInt(big(a) | big(b));
}

export function bxor(a: Term, b: Term): Term {
  if (isInt32(a) && isInt32(b)) return a ^ b;
  if (!isInt(a) || !isInt(b)) throw badarith('bxor', [a, b]);
  return normInt(big(a) ^ big(b));
}

export function bnot(a: Term): Term {
  if (typeof a === 'number') return -a - 1;
  if (typeof a === 'bigint') return normInt(-a - 1n);
  throw badarith('bnot', [a]);
}

/** The largest shift we agree to compute (OTP answers system_limit for absurd sizes too). */
const MAX_SHIFT = 1 << 26;

/** BigInt shift amounts, made once: converting the amount was most of a shift's cost. */
const BIG_SHIFTS: bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));
const bigShift = (k: number): bigint => (k < 256 ? BIG_SHIFTS[k] : BigInt(k));

function shift(op: string, a: Term, b: Term, left: boolean): Term {
  if (!isInt(a) || !isInt(b)) throw badarith(op, [a, b]);
  if (a === 0) return 0;
  const negative = typeof a === 'number' ? a < 0 : a < 0n;
  if (typeof b === 'bigint') {
    // a shift by more than 2^53 bits: every bit goes, or the result could not be stored
    if ((b < 0n) === left) return negative ? -1 : 0;
    throw bifError(atom('system_limit'), 'erlang', op, [a, b]);
  }
  // n bits to the left (negative: to the right)
  const n = left ? b : -b;
  if (n <= 0) {
    const k = -n;
    if (k > MAX_SHIFT) return negative ? -1 : 0;
    if (typeof a === 'number') {
      if (k > 1000) return negative ? -1 : 0;
      return z(Math.floor(a / 2 ** k));
    }
    return normInt(a >> bigShift(k));
  }
  if (n > MAX_SHIFT) throw bifError(atom('system_limit'), 'erlang', op, [a, b]);
  if (typeof a === 'number' && n < 53) {
    const r = a * 2 ** n;
    if (r <= MAX && r >= -MAX) return r;
  }
  return normInt(big(a) << bigShift(n));
}

// the common case first: a small integer shifted by a few bits, exact in a double
export function bsl(a: Term, b: Term): Term {
  if (typeof a === 'number' && typeof b === 'number' && b >= 0 && b < 32 && Number.isInteger(a) && Math.abs(a) < 2 ** 21) return a * 2 ** b;
  return shift('bsl', a, b, true);
}

export function bsr(a: Term, b: Term): Term {
  if (typeof a === 'number' && typeof b === 'number' && b >= 0 && b < 32 && isInt32(a)) return a >> b;
  return shift('bsr', a, b, false);
}

// ---------- comparison (JS booleans) ----------

export function lt(a: Term, b: Term): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  return compare(a, b) < 0;
}

export function le(a: Term, b: Term): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a <= b;
  return compare(a, b) <= 0;
}

export function gt(a: Term, b: Term): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a > b;
  return compare(a, b) > 0;
}

export function ge(a: Term, b: Term): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a >= b;
  return compare(a, b) >= 0;
}

/** == : numbers by value */
export function eq(a: Term, b: Term): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return false;
  return compare(a, b) === 0;
}

export function ne(a: Term, b: Term): boolean {
  return !eq(a, b);
}

/** =:= */
export function exeq(a: Term, b: Term): boolean {
  return a === b || exactEqual(a, b);
}

export function exne(a: Term, b: Term): boolean {
  return !(a === b || exactEqual(a, b));
}

// ---------- boolean operators ----------

function isBool(t: Term): boolean {
  return t === TRUE || t === FALSE;
}

export function not(a: Term): Term {
  if (a === TRUE) return FALSE;
  if (a === FALSE) return TRUE;
  throw bifError(BADARG, 'erlang', 'not', [a]);
}

export function and(a: Term, b: Term): Term {
  if (!isBool(a) || !isBool(b)) throw bifError(BADARG, 'erlang', 'and', [a, b]);
  return a === TRUE && b === TRUE ? TRUE : FALSE;
}

export function or(a: Term, b: Term): Term {
  if (!isBool(a) || !isBool(b)) throw bifError(BADARG, 'erlang', 'or', [a, b]);
  return a === TRUE || b === TRUE ? TRUE : FALSE;
}

export function xor(a: Term, b: Term): Term {
  if (!isBool(a) || !isBool(b)) throw bifError(BADARG, 'erlang', 'xor', [a, b]);
  return (a === TRUE) !== (b === TRUE) ? TRUE : FALSE;
}

// ---------- list operators ----------

/** `++`: a copy of the proper list a ending in b (b may be anything). */
export function append(a: Term, b: Term): Term {
  if (a === NIL) return b;
  if (b === NIL && a instanceof List) {
    // still must be proper
    let t: Term = a;
    let n = 0;
    while (t instanceof List) {
      t = t.tail;
      n++;
    }
    chargeElements(n);
    if (t === NIL) return a;
    throw bifError(BADARG, 'erlang', '++', [a, b]);
  }
  if (!(a instanceof List)) throw bifError(BADARG, 'erlang', '++', [a, b]);
  const first = new List(a.head, NIL);
  let last = first;
  let t: Term = a.tail;
  let n = 1;
  while (t instanceof List) {
    const c = new List(t.head, NIL);
    last.tail = c;
    last = c;
    t = t.tail;
    n++;
  }
  chargeElements(n);
  if (t !== NIL) throw bifError(BADARG, 'erlang', '++', [a, b]);
  last.tail = b;
  return first;
}

function properArray(t: Term): Term[] | undefined {
  const out: Term[] = [];
  while (t instanceof List) {
    out.push(t.head);
    t = t.tail;
  }
  return t === NIL ? out : undefined;
}

/** `--`: a with the first occurrence (=:=) of each element of b removed. */
export function subtract(a: Term, b: Term): Term {
  const xs = properArray(a);
  const ys = properArray(b);
  if (xs === undefined || ys === undefined) throw bifError(BADARG, 'erlang', '--', [a, b]);
  // both walked, a rebuilt; a short b is looked for element by element, each search charged
  let work = xs.length + ys.length;
  if (ys.length === 0) {
    chargeElements(work);
    return a;
  }
  const keep: boolean[] = new Array(xs.length).fill(true);
  if (ys.length < 8) {
    for (const y of ys) {
      let i = 0;
      for (; i < xs.length; i++) {
        if (keep[i] && exeq(xs[i], y)) {
          keep[i] = false;
          break;
        }
      }
      work += i;
    }
  } else {
    const counts = new Map<unknown, number>();
    for (const y of ys) {
      const k = mapKey(y);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (let i = 0; i < xs.length; i++) {
      const k = mapKey(xs[i]);
      const c = counts.get(k);
      if (c) {
        keep[i] = false;
        counts.set(k, c - 1);
      }
    }
  }
  chargeElements(work + xs.length);
  let out: Term = NIL;
  for (let i = xs.length - 1; i >= 0; i--) if (keep[i]) out = new List(xs[i], out);
  return out;
}

// ---------- the operators as erlang BIFs ----------

const t = (b: boolean): Term => (b ? TRUE : FALSE);

defineBif('erlang', '+', 2, add, { guard: true });
defineBif('erlang', '-', 2, sub, { guard: true });
defineBif('erlang', '*', 2, mul, { guard: true });
defineBif('erlang', '/', 2, fdiv, { guard: true });
defineBif('erlang', 'div', 2, idiv, { guard: true });
defineBif('erlang', 'rem', 2, rem, { guard: true });
defineBif('erlang', '-', 1, neg, { guard: true });
defineBif('erlang', '+', 1, pos, { guard: true });
defineBif('erlang', 'band', 2, band, { guard: true });
defineBif('erlang', 'bor', 2, bor, { guard: true });
defineBif('erlang', 'bxor', 2, bxor, { guard: true });
defineBif('erlang', 'bnot', 1, bnot, { guard: true });
defineBif('erlang', 'bsl', 2, bsl, { guard: true });
defineBif('erlang', 'bsr', 2, bsr, { guard: true });
defineBif('erlang', '<', 2, (a, b) => t(lt(a, b)), { guard: true });
defineBif('erlang', '=<', 2, (a, b) => t(le(a, b)), { guard: true });
defineBif('erlang', '>', 2, (a, b) => t(gt(a, b)), { guard: true });
defineBif('erlang', '>=', 2, (a, b) => t(ge(a, b)), { guard: true });
defineBif('erlang', '==', 2, (a, b) => t(eq(a, b)), { guard: true });
defineBif('erlang', '/=', 2, (a, b) => t(ne(a, b)), { guard: true });
defineBif('erlang', '=:=', 2, (a, b) => t(exeq(a, b)), { guard: true });
defineBif('erlang', '=/=', 2, (a, b) => t(exne(a, b)), { guard: true });
defineBif('erlang', 'not', 1, not, { guard: true });
defineBif('erlang', 'and', 2, and, { guard: true });
defineBif('erlang', 'or', 2, or, { guard: true });
defineBif('erlang', 'xor', 2, xor, { guard: true });
defineBif('erlang', '++', 2, append);
defineBif('erlang', '--', 2, subtract);

