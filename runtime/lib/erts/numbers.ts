// erlang's numbers: arithmetic BIFs (abs, trunc, round, ...), integers and floats as text
// (integer_to_list, list_to_float, float_to_list with its options, ...).

import { Bin, ErlFloat, List, NIL, Term, Tuple, atom, float, isInteger, normInt, compare } from '../../vm/term.js';
import { badarg } from '../../vm/exception.js';
import { chargeElements } from '../../vm/scheduler.js';
import { A, isProperList, items, str } from '../common.js';
import { formatDecimals, formatFloat, formatScientific, FloatOptionError } from '../stdlib/format/float.js';
import { formatFloatDefault, bif, fail, NOT_INTEGER, NOT_LIST, NOT_NUMBER, NOT_BINARY, NOT_FLOAT, BAD_BASE, BAD_OPTION } from './bif.js';

// ---------- numbers ----------

function isNum(x: Term): x is number | bigint | ErlFloat {
  return typeof x === 'number' || typeof x === 'bigint' || x instanceof ErlFloat;
}

/** A float's integral value as an Erlang integer (exact for large floats). */
export function floatToInt(x: number): number | bigint {
  if (Number.isSafeInteger(x)) return x === 0 ? 0 : x;
  return normInt(BigInt(x));
}

bif(
  'abs',
  1,
  (x) => {
    if (typeof x === 'number') return Math.abs(x);
    if (typeof x === 'bigint') return x < 0n ? normInt(-x) : x;
    if (x instanceof ErlFloat) return float(Math.abs(x.value));
    throw fail('abs', [x], { 1: NOT_NUMBER });
  },
  true,
);

function roundHalfAway(v: number): number {
  const t = Math.trunc(v);
  const d = v - t;
  if (d >= 0.5) return t + 1;
  if (d <= -0.5) return t - 1;
  return t;
}

function toIntBif(name: string, op: (v: number) => number): void {
  bif(
    name,
    1,
    (x) => {
      if (isInteger(x)) return x;
      if (x instanceof ErlFloat) return floatToInt(op(x.value));
      throw fail(name, [x], { 1: NOT_NUMBER });
    },
    true,
  );
}
toIntBif('round', roundHalfAway);
toIntBif('trunc', Math.trunc);
toIntBif('ceil', Math.ceil);
toIntBif('floor', Math.floor);

/** An Erlang integer as a float value, or undefined when it is too large for a float. */
export function intToFloat(x: number | bigint): number | undefined {
  const v = Number(x);
  return Number.isFinite(v) ? v : undefined;
}

bif(
  'float',
  1,
  (x) => {
    if (x instanceof ErlFloat) return x;
    if (isInteger(x)) {
      const v = intToFloat(x);
      if (v !== undefined) return float(v);
    }
    throw fail('float', [x], { 1: NOT_NUMBER });
  },
  true,
);

// min/max: the first argument wins when they compare equal
bif('max', 2, (a, b) => (compare(a, b) < 0 ? b : a));
bif('min', 2, (a, b) => (compare(a, b) > 0 ? b : a));

// ---------- integers as text ----------

/** integer_to_list(I, Base): upper-case digits, a leading minus. */
export function integerText(i: number | bigint, base = 10): string {
  return i.toString(base).toUpperCase();
}

/** Parse an optionally signed integer in `base`; undefined when the text is not exactly one. */
export function parseInteger(s: string, base = 10): number | bigint | undefined {
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  if (i >= s.length) return undefined;
  let v = 0n;
  const b = BigInt(base);
  let small = 0;
  let useBig = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 65 && c <= 90) d = c - 55;
    else if (c >= 97 && c <= 122) d = c - 87;
    else return undefined;
    if (d >= base) return undefined;
    if (!useBig) {
      const next = small * base + d;
      if (next > Number.MAX_SAFE_INTEGER / 64) {
        useBig = true;
        v = BigInt(small) * b + BigInt(d);
      } else small = next;
    } else v = v * b + BigInt(d);
  }
  if (!useBig) return neg ? (small === 0 ? 0 : -small) : small;
  return normInt(neg ? -v : v);
}

/**
 * Converting a bignum to or from text takes time superlinear in its digits (V8's toString, the
 * digit-by-digit parse): n digits are charged as n × (1 + n/2048) elements, so a process looping
 * on a huge one ends its slice at every call.
 */
function chargeDigits(n: number): void {
  chargeElements(Math.min(n * (1 + (n >>> 11)), 2 ** 31));
}

/** integer_to_list/binary's text, charged by its digits. */
function digitsOf(i: number | bigint, base?: number): string {
  const s = integerText(i, base);
  chargeDigits(s.length);
  return s;
}

/** list_to_integer/binary_to_integer's parse, charged by the digits read. */
function parsed(s: string, base?: number): number | bigint | undefined {
  chargeDigits(s.length);
  return parseInteger(s, base);
}

function checkBase(base: Term): base is number {
  return typeof base === 'number' && base >= 2 && base <= 36;
}

bif('integer_to_list', 1, (i) => {
  if (isInteger(i)) return str(digitsOf(i));
  throw fail('integer_to_list', [i], { 1: NOT_INTEGER });
});
bif('integer_to_list', 2, (i, base) => {
  if (isInteger(i) && checkBase(base)) return str(digitsOf(i, base));
  const why: Record<number, string> = {};
  if (!isInteger(i)) why[1] = NOT_INTEGER;
  if (!checkBase(base)) why[2] = BAD_BASE;
  throw fail('integer_to_list', [i, base], why);
});
bif('integer_to_binary', 1, (i) => {
  if (isInteger(i)) return new Bin(new TextEncoder().encode(digitsOf(i)));
  throw fail('integer_to_binary', [i], { 1: NOT_INTEGER });
});
bif('integer_to_binary', 2, (i, base) => {
  if (isInteger(i) && checkBase(base)) return new Bin(new TextEncoder().encode(digitsOf(i, base)));
  const why: Record<number, string> = {};
  if (!isInteger(i)) why[1] = NOT_INTEGER;
  if (!checkBase(base)) why[2] = BAD_BASE;
  throw fail('integer_to_binary', [i, base], why);
});

/** The text of a flat list of bytes/chars for parsing, or undefined. */
function listText(l: Term): string | undefined {
  let s = '';
  while (l instanceof List) {
    const h = l.head;
    if (typeof h !== 'number' || h < 0 || h > 0x10ffff || !Number.isInteger(h)) return undefined;
    s += String.fromCodePoint(h);
    l = l.tail;
  }
  return l === NIL ? s : undefined;
}

function notTextual(l: Term, what: string): string {
  return isProperList(l) ? 'not a textual representation of ' + what : NOT_LIST;
}

bif('list_to_integer', 1, (l) => {
  const s = listText(l);
  const v = s === undefined ? undefined : parsed(s);
  if (v === undefined) throw fail('list_to_integer', [l], { 1: notTextual(l, 'an integer') });
  return v;
});
bif('list_to_integer', 2, (l, base) => {
  if (!checkBase(base)) {
    const why: Record<number, string> = { 2: BAD_BASE };
    if (!isProperList(l)) why[1] = l instanceof List ? 'not a proper list' : NOT_LIST;
    throw fail('list_to_integer', [l, base], why);
  }
  const s = listText(l);
  const v = s === undefined ? undefined : parsed(s, base);
  if (v === undefined) {
    const why = isProperList(l) ? 'not a textual representation of an integer' : l instanceof List ? 'not a proper list' : NOT_LIST;
    throw fail('list_to_integer', [l, base], { 1: why });
  }
  return v;
});

function binText(b: Term): string | undefined {
  if (!(b instanceof Bin) || !b.isBinary) return undefined;
  let s = '';
  for (const x of b.bytes) s += String.fromCharCode(x);
  return s;
}

bif('binary_to_integer', 1, (b) => {
  const s = binText(b);
  const v = s === undefined ? undefined : parsed(s);
  if (v === undefined) throw fail('binary_to_integer', [b], { 1: s === undefined ? NOT_BINARY : 'not a textual representation of an integer' });
  return v;
});
bif('binary_to_integer', 2, (b, base) => {
  const s = binText(b);
  if (!checkBase(base)) {
    const why: Record<number, string> = { 2: BAD_BASE };
    if (s === undefined) why[1] = NOT_BINARY;
    throw fail('binary_to_integer', [b, base], why);
  }
  const v = s === undefined ? undefined : parsed(s, base);
  if (v === undefined) throw fail('binary_to_integer', [b, base], { 1: s === undefined ? NOT_BINARY : 'not a textual representation of an integer' });
  return v;
});

// ---------- floats as text ----------

const FLOAT_TEXT = /^[+-]?[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?$/;

/** Parse Erlang float text (digits '.' digits, optional exponent); undefined when invalid or out of range. */
export function parseFloatText(s: string): number | undefined {
  if (!FLOAT_TEXT.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

bif('list_to_float', 1, (l) => {
  const s = listText(l);
  const v = s === undefined ? undefined : parseFloatText(s);
  if (v === undefined) throw fail('list_to_float', [l], { 1: notTextual(l, 'a float') });
  return float(v);
});
bif('binary_to_float', 1, (b) => {
  const s = binText(b);
  const v = s === undefined ? undefined : parseFloatText(s);
  if (v === undefined) throw fail('binary_to_float', [b], { 1: s === undefined ? NOT_BINARY : 'not a textual representation of a float' });
  return float(v);
});

/** float_to_list/2 options to text; undefined for a bad option list. */
export function floatText(x: number, opts: Term): string | undefined {
  const os = items(opts);
  if (os === undefined) return undefined;
  let mode: { kind: 'default' } | { kind: 'decimals'; n: number } | { kind: 'scientific'; n: number } | { kind: 'short' } = {
    kind: 'default',
  };
  let compact = false;
  for (const o of os) {
    if (o === atom('compact')) compact = true;
    else if (o === atom('short')) mode = { kind: 'short' };
    else if (o instanceof Tuple && o.elements.length === 2 && typeof o.elements[1] === 'number') {
      const [k, n] = o.elements as [Term, number];
      if (k === atom('decimals') && n >= 0 && n <= 253) mode = { kind: 'decimals', n };
      else if (k === atom('scientific') && n >= 0 && n <= 249) mode = { kind: 'scientific', n };
      else return undefined;
    } else return undefined;
  }
  try {
    switch (mode.kind) {
      case 'default':
        return formatFloatDefault(x);
      case 'short':
        return formatFloat(x);
      case 'decimals':
        return formatDecimals(x, mode.n, compact);
      case 'scientific':
        return formatScientific(x, mode.n);
    }
  } catch (e) {
    // erts formats into a 256-byte buffer: a longer text is badarg
    if (e instanceof FloatOptionError) return undefined;
    throw e;
  }
}

function floatOptsWhy(f: Term, opts: Term): Record<number, string> {
  const why: Record<number, string> = {};
  if (!(f instanceof ErlFloat)) why[1] = NOT_FLOAT;
  if (!isProperList(opts)) why[2] = opts instanceof List ? 'not a proper list' : NOT_LIST;
  else if (f instanceof ErlFloat) why[2] = BAD_OPTION;
  return why;
}

bif('float_to_list', 1, (f) => {
  if (f instanceof ErlFloat) return str(formatFloatDefault(f.value));
  throw fail('float_to_list', [f], { 1: NOT_FLOAT });
});
bif('float_to_list', 2, (f, opts) => {
  const s = f instanceof ErlFloat ? floatText(f.value, opts) : undefined;
  if (s === undefined) throw fail('float_to_list', [f, opts], floatOptsWhy(f, opts));
  return str(s);
});
bif('float_to_binary', 1, (f) => {
  if (f instanceof ErlFloat) return new Bin(new TextEncoder().encode(formatFloatDefault(f.value)));
  throw fail('float_to_binary', [f], { 1: NOT_FLOAT });
});
bif('float_to_binary', 2, (f, opts) => {
  const s = f instanceof ErlFloat ? floatText(f.value, opts) : undefined;
  if (s === undefined) throw fail('float_to_binary', [f, opts], floatOptsWhy(f, opts));
  return new Bin(new TextEncoder().encode(s));
});
