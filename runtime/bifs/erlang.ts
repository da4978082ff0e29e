// The sequential BIFs of module erlang: type tests, numbers, tuples, lists, atoms,
// conversions, binaries, maps, hashing, exceptions, time and system_info.
// Process-related BIFs live in processes.ts; operators in runtime/ops.ts; term_to_binary in etf.ts.

import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  Atom,
  Bin,
  ErlFloat,
  ErlMap,
  Fun,
  List,
  NIL,
  Pid,
  Port,
  Ref,
  Term,
  Tuple,
  atom,
  bool,
  existingAtom,
  float,
  isInteger,
  mapKey,
  normInt,
  tuple,
  TRUE,
  FALSE,
  compare,
} from '../term.js';
import { ErlangException, EXIT_CLASS, ERROR_CLASS, THROW_CLASS, badarg, bifError, erlError, erlExit, erlThrow } from '../exception.js';
import { defineBif } from '../bif_registry.js';
import { append, subtract } from '../ops.js';
import {
  A,
  bitstringListToBin,
  decodeUtf8,
  fromCodePoints,
  intList,
  iodataBytes,
  iodataSize,
  isProperList,
  items,
  str,
} from './common.js';
import { formatDecimals, formatFloat, formatScientific, FloatOptionError } from '../../src/format/float.js';

/** float_to_list/1's text: 20 significant digits in scientific notation. */
const formatFloatDefault = (x: number): string => formatScientific(x, 20);

const E = 'erlang';

function bif(name: string, arity: number, impl: (...args: Term[]) => Term, guard = false): void {
  defineBif(E, name, arity, impl, { guard });
}

function fail(name: string, args: Term[], why?: Record<number, string>): ErlangException {
  return badarg(E, name, args, why);
}

const NOT_ATOM = 'not an atom';
const NOT_INTEGER = 'not an integer';
const NOT_LIST = 'not a list';
const NOT_TUPLE = 'not a tuple';
const NOT_NUMBER = 'not a number';
const NOT_BINARY = 'not a binary';
const NOT_BITSTRING = 'not a bitstring';
const NOT_FLOAT = 'not a float';
const NOT_MAP = 'not a map';
const NOT_IODATA = 'not an iodata term';
const RANGE = 'out of range';
const BAD_BASE = 'not an integer in the range 2 through 36';
const BAD_OPTION = 'invalid option in list';
const BAD_TIME_UNIT = 'invalid time unit';

// ---------- type tests (guard BIFs) ----------

bif('is_atom', 1, (x) => bool(x instanceof Atom), true);
bif('is_integer', 1, (x) => bool(isInteger(x)), true);
bif('is_float', 1, (x) => bool(x instanceof ErlFloat), true);
bif('is_number', 1, (x) => bool(isInteger(x) || x instanceof ErlFloat), true);
bif('is_list', 1, (x) => bool(x instanceof List || x === NIL), true);
bif('is_tuple', 1, (x) => bool(x instanceof Tuple), true);
bif('is_binary', 1, (x) => bool(x instanceof Bin && x.isBinary), true);
bif('is_bitstring', 1, (x) => bool(x instanceof Bin), true);
bif('is_boolean', 1, (x) => bool(x === TRUE || x === FALSE), true);
bif('is_function', 1, (x) => bool(x instanceof Fun), true);
bif(
  'is_function',
  2,
  (f, n) => {
    if (!isInteger(n)) throw fail('is_function', [f, n], { 2: NOT_INTEGER });
    if (n < 0) throw fail('is_function', [f, n], { 2: RANGE });
    return bool(f instanceof Fun && f.arity === Number(n));
  },
  true,
);
bif('is_map', 1, (x) => bool(x instanceof ErlMap), true);
bif('is_pid', 1, (x) => bool(x instanceof Pid), true);
bif('is_reference', 1, (x) => bool(x instanceof Ref), true);
bif('is_port', 1, (x) => bool(x instanceof Port), true);
bif(
  'is_record',
  2,
  (t, tag) => {
    if (!(tag instanceof Atom)) throw fail('is_record', [t, tag], { 1: NOT_ATOM });
    return bool(t instanceof Tuple && t.elements.length > 0 && t.elements[0] === tag);
  },
  true,
);
bif(
  'is_record',
  3,
  (t, tag, size) => {
    if (!(tag instanceof Atom) || !isInteger(size)) {
      const why: Record<number, string> = {};
      if (!(tag instanceof Atom)) why[2] = NOT_ATOM;
      if (!isInteger(size)) why[3] = NOT_INTEGER;
      throw fail('is_record', [t, tag, size], why);
    }
    return bool(t instanceof Tuple && t.elements.length === Number(size) && t.elements.length > 0 && t.elements[0] === tag);
  },
  true,
);

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

// ---------- tuples ----------

function elementWhy(index: Term, t: Term): Record<number, string> {
  const why: Record<number, string> = {};
  if (!isInteger(index)) why[1] = NOT_INTEGER;
  else if (t instanceof Tuple && (index <= 0 || index > t.elements.length)) why[1] = RANGE;
  if (!(t instanceof Tuple)) why[2] = NOT_TUPLE;
  return why;
}

bif(
  'element',
  2,
  (n, t) => {
    if (typeof n === 'number' && t instanceof Tuple && n >= 1 && n <= t.elements.length) return t.elements[n - 1];
    throw fail('element', [n, t], elementWhy(n, t));
  },
  true,
);

bif('setelement', 3, (n, t, v) => {
  if (typeof n === 'number' && t instanceof Tuple && n >= 1 && n <= t.elements.length) {
    const es = t.elements.slice();
    es[n - 1] = v;
    return new Tuple(es);
  }
  throw fail('setelement', [n, t, v], elementWhy(n, t));
});

bif(
  'tuple_size',
  1,
  (t) => {
    if (t instanceof Tuple) return t.elements.length;
    throw fail('tuple_size', [t], { 1: NOT_TUPLE });
  },
  true,
);

bif(
  'size',
  1,
  (t) => {
    if (t instanceof Tuple) return t.elements.length;
    if (t instanceof Bin) return t.bitSize >> 3;
    throw fail('size', [t], { 1: 'not tuple or binary' });
  },
  true,
);

bif('append_element', 2, (t, v) => {
  if (t instanceof Tuple) return new Tuple([...t.elements, v]);
  throw fail('append_element', [t, v], { 1: NOT_TUPLE });
});

bif('make_tuple', 2, (n, v) => {
  if (typeof n === 'number' && n >= 0 && n < 2 ** 24) return new Tuple(new Array<Term>(n).fill(v));
  throw fail('make_tuple', [n, v], { 1: RANGE });
});

bif('make_tuple', 3, (n, v, init) => {
  const inits = items(init);
  const why: Record<number, string> = {};
  if (!(typeof n === 'number' && n >= 0)) why[1] = isInteger(n) ? RANGE : NOT_INTEGER;
  if (inits === undefined) why[3] = init instanceof List ? 'not a proper list' : NOT_LIST;
  if (Object.keys(why).length > 0) throw fail('make_tuple', [n, v, init], why);
  const es = new Array<Term>(n as number).fill(v);
  for (const it of inits!) {
    if (!(it instanceof Tuple) || it.elements.length !== 2 || typeof it.elements[0] !== 'number') {
      throw fail('make_tuple', [n, v, init], { 3: BAD_OPTION });
    }
    const p = it.elements[0] as number;
    if (p < 1 || p > es.length) throw fail('make_tuple', [n, v, init], { 3: BAD_OPTION });
    es[p - 1] = it.elements[1];
  }
  return new Tuple(es);
});

bif('insert_element', 3, (n, t, v) => {
  if (typeof n === 'number' && t instanceof Tuple && n >= 1 && n <= t.elements.length + 1) {
    const es = t.elements.slice();
    es.splice(n - 1, 0, v);
    return new Tuple(es);
  }
  throw fail('insert_element', [n, t, v], elementWhy(n, t));
});

bif('delete_element', 2, (n, t) => {
  if (typeof n === 'number' && t instanceof Tuple && n >= 1 && n <= t.elements.length) {
    const es = t.elements.slice();
    es.splice(n - 1, 1);
    return new Tuple(es);
  }
  throw fail('delete_element', [n, t], elementWhy(n, t));
});

bif('tuple_to_list', 1, (t) => {
  if (t instanceof Tuple) return listOf(t.elements);
  throw fail('tuple_to_list', [t], { 1: NOT_TUPLE });
});

bif('list_to_tuple', 1, (l) => {
  const xs = items(l);
  if (xs === undefined) throw fail('list_to_tuple', [l], { 1: NOT_LIST });
  return new Tuple(xs);
});

function listOf(xs: readonly Term[], tail: Term = NIL): Term {
  let l = tail;
  for (let i = xs.length - 1; i >= 0; i--) l = new List(xs[i], l);
  return l;
}

// ---------- lists ----------

bif(
  'hd',
  1,
  (l) => {
    if (l instanceof List) return l.head;
    throw fail('hd', [l], { 1: 'not a nonempty list' });
  },
  true,
);

bif(
  'tl',
  1,
  (l) => {
    if (l instanceof List) return l.tail;
    throw fail('tl', [l], { 1: 'not a nonempty list' });
  },
  true,
);

bif(
  'length',
  1,
  (l) => {
    let n = 0;
    let t = l;
    while (t instanceof List) {
      n++;
      t = t.tail;
    }
    if (t !== NIL) throw fail('length', [l], { 1: NOT_LIST });
    return n;
  },
  true,
);

bif('append', 2, (a, b) => {
  try {
    return append(a, b);
  } catch {
    throw fail('append', [a, b], { 1: NOT_LIST });
  }
});
bif('subtract', 2, (a, b) => {
  if (!isProperList(a) || !isProperList(b)) {
    const why: Record<number, string> = {};
    if (!isProperList(a)) why[1] = a instanceof List ? 'not a proper list' : NOT_LIST;
    if (!isProperList(b)) why[2] = b instanceof List ? 'not a proper list' : NOT_LIST;
    throw fail('subtract', [a, b], why);
  }
  return subtract(a, b);
});

// ---------- atoms ----------

const MAX_ATOM_CHARS = 255;

function atomFromChars(name: string, cps: number[], args: Term[]): Atom {
  if (cps.length > MAX_ATOM_CHARS) throw bifError(atom('system_limit'), E, name, args);
  return atom(fromCodePoints(cps));
}

/** The code points of a flat list of characters, or undefined. */
function flatChars(l: Term): number[] | undefined {
  const cps: number[] = [];
  while (l instanceof List) {
    const h = l.head;
    if (typeof h !== 'number' || h < 0 || h > 0x10ffff || !Number.isInteger(h) || (h >= 0xd800 && h <= 0xdfff)) return undefined;
    cps.push(h);
    l = l.tail;
  }
  return l === NIL ? cps : undefined;
}

function mustBeString(l: Term): string {
  return isProperList(l) ? 'not a list of characters' : l instanceof List ? 'not a proper list' : NOT_LIST;
}

bif('atom_to_list', 1, (a) => {
  if (a instanceof Atom) return str(a.name);
  throw fail('atom_to_list', [a], { 1: NOT_ATOM });
});

bif('list_to_atom', 1, (l) => {
  const cps = flatChars(l);
  if (cps === undefined) throw fail('list_to_atom', [l], { 1: mustBeString(l) });
  return atomFromChars('list_to_atom', cps, [l]);
});

bif('list_to_existing_atom', 1, (l) => {
  const cps = flatChars(l);
  if (cps === undefined) throw fail('list_to_existing_atom', [l], { 1: mustBeString(l) });
  const a = existingAtom(fromCodePoints(cps));
  if (a === undefined) throw fail('list_to_existing_atom', [l], { 1: 'not an already existing atom' });
  return a;
});

function encodingOf(t: Term): 'latin1' | 'unicode' | undefined {
  if (t === A.latin1) return 'latin1';
  if (t === A.unicode || t === A.utf8) return 'unicode';
  return undefined;
}

function atomToBinary(a: Term, enc: Term, args: Term[]): Bin {
  const e = encodingOf(enc);
  if (!(a instanceof Atom) || e === undefined) {
    const why: Record<number, string> = {};
    if (!(a instanceof Atom)) why[1] = NOT_ATOM;
    if (e === undefined) why[2] = 'is an invalid encoding option';
    throw fail('atom_to_binary', args, why);
  }
  if (e === 'unicode') return new Bin(new TextEncoder().encode(a.name));
  const bytes: number[] = [];
  for (const ch of a.name) {
    const c = ch.codePointAt(0)!;
    if (c > 255) throw fail('atom_to_binary', args, { 1: 'contains a character not expressible in latin1' });
    bytes.push(c);
  }
  return new Bin(Uint8Array.from(bytes));
}

bif('atom_to_binary', 1, (a) => {
  if (!(a instanceof Atom)) throw fail('atom_to_binary', [a], { 1: NOT_ATOM });
  return atomToBinary(a, A.utf8, [a]);
});
bif('atom_to_binary', 2, (a, enc) => atomToBinary(a, enc, [a, enc]));

function binaryToAtom(name: string, b: Term, enc: Term, args: Term[], existing: boolean): Atom {
  const e = encodingOf(enc);
  if (e === undefined) {
    const why: Record<number, string> = { 2: 'not one of the atoms: latin1, utf8, or unicode' };
    if (!(b instanceof Bin && b.isBinary)) why[1] = NOT_BINARY;
    throw fail(name, args, why);
  }
  if (!(b instanceof Bin) || !b.isBinary) throw fail(name, args, { 1: NOT_BINARY });
  let cps: number[];
  if (e === 'latin1') cps = Array.from(b.bytes);
  else {
    const d = decodeUtf8(b.bytes);
    if (d.bad >= 0) throw fail(name, args, { 1: 'invalid UTF8 encoding' });
    cps = d.chars;
  }
  if (existing) {
    const a = existingAtom(fromCodePoints(cps));
    if (a === undefined) throw fail(name, args, { 1: 'not an already existing atom' });
    return a;
  }
  return atomFromChars(name, cps, args);
}

bif('binary_to_atom', 1, (b) => binaryToAtom('binary_to_atom', b, A.utf8, [b], false));
bif('binary_to_atom', 2, (b, e) => binaryToAtom('binary_to_atom', b, e, [b, e], false));
bif('binary_to_existing_atom', 1, (b) => binaryToAtom('binary_to_existing_atom', b, A.utf8, [b], true));
bif('binary_to_existing_atom', 2, (b, e) => binaryToAtom('binary_to_existing_atom', b, e, [b, e], true));

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

function checkBase(base: Term): base is number {
  return typeof base === 'number' && base >= 2 && base <= 36;
}

bif('integer_to_list', 1, (i) => {
  if (isInteger(i)) return str(integerText(i));
  throw fail('integer_to_list', [i], { 1: NOT_INTEGER });
});
bif('integer_to_list', 2, (i, base) => {
  if (isInteger(i) && checkBase(base)) return str(integerText(i, base));
  const why: Record<number, string> = {};
  if (!isInteger(i)) why[1] = NOT_INTEGER;
  if (!checkBase(base)) why[2] = BAD_BASE;
  throw fail('integer_to_list', [i, base], why);
});
bif('integer_to_binary', 1, (i) => {
  if (isInteger(i)) return new Bin(new TextEncoder().encode(integerText(i)));
  throw fail('integer_to_binary', [i], { 1: NOT_INTEGER });
});
bif('integer_to_binary', 2, (i, base) => {
  if (isInteger(i) && checkBase(base)) return new Bin(new TextEncoder().encode(integerText(i, base)));
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
  const v = s === undefined ? undefined : parseInteger(s);
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
  const v = s === undefined ? undefined : parseInteger(s, base);
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
  const v = s === undefined ? undefined : parseInteger(s);
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
  const v = s === undefined ? undefined : parseInteger(s, base);
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

// ---------- binaries ----------

bif('binary_to_list', 1, (b) => {
  if (b instanceof Bin && b.isBinary) return intList(b.bytes);
  throw fail('binary_to_list', [b], { 1: NOT_BINARY });
});

bif('binary_to_list', 3, (b, start, stop) => {
  if (b instanceof Bin && b.isBinary && typeof start === 'number' && typeof stop === 'number') {
    if (start >= 1 && start <= stop && stop <= b.byteSize) return intList(b.bytes.subarray(start - 1, stop));
  }
  const why: Record<number, string> = {};
  if (!(b instanceof Bin && b.isBinary)) why[1] = NOT_BINARY;
  const posWhy = (p: Term): string | undefined => (!isInteger(p) ? NOT_INTEGER : p < 1 ? RANGE : undefined);
  const w2 = posWhy(start);
  const w3 = posWhy(stop);
  if (w2) why[2] = w2;
  if (w3) why[3] = w3;
  if (Object.keys(why).length === 0 && b instanceof Bin) {
    if ((start as number) > (stop as number)) why[2] = 'start position greater than stop position';
    else {
      if ((start as number) > b.byteSize) why[2] = RANGE;
      if ((stop as number) > b.byteSize) why[3] = RANGE;
    }
  }
  throw fail('binary_to_list', [b, start, stop], why);
});

bif('bitstring_to_list', 1, (b) => {
  if (!(b instanceof Bin)) throw fail('bitstring_to_list', [b], { 1: NOT_BITSTRING });
  const whole = b.bitSize >> 3;
  const rest = b.bitSize & 7;
  if (rest === 0) return intList(b.bytes);
  const last = new Bin(Uint8Array.of(b.bytes[whole] & (0xff << (8 - rest))), rest);
  return listOf(Array.from(b.bytes.subarray(0, whole)), new List(last, NIL));
});

bif('list_to_binary', 1, (l) => {
  if (l instanceof List || l === NIL) {
    const bytes = iodataBytes(l);
    if (bytes !== undefined) return new Bin(bytes.slice());
  }
  throw fail('list_to_binary', [l], { 1: 'not an iolist term' });
});

bif('iolist_to_binary', 1, (l) => {
  if (l instanceof Bin && l.isBinary) return l;
  const bytes = l instanceof List || l === NIL ? iodataBytes(l) : undefined;
  if (bytes === undefined) throw fail('iolist_to_binary', [l], { 1: NOT_IODATA });
  return new Bin(bytes.slice());
});

bif('iolist_size', 1, (l) => {
  const n = iodataSize(l);
  if (n === undefined) throw fail('iolist_size', [l], { 1: NOT_IODATA });
  return n;
});

bif('list_to_bitstring', 1, (l) => {
  const b = bitstringListToBin(l);
  if (b === undefined) throw fail('list_to_bitstring', [l], { 1: 'not a bitstring list' });
  return b;
});

bif(
  'byte_size',
  1,
  (b) => {
    if (b instanceof Bin) return b.byteSize;
    throw fail('byte_size', [b], { 1: NOT_BITSTRING });
  },
  true,
);
bif(
  'bit_size',
  1,
  (b) => {
    if (b instanceof Bin) return b.bitSize;
    throw fail('bit_size', [b], { 1: NOT_BITSTRING });
  },
  true,
);

function binaryPart(b: Term, pos: Term, len: Term): Bin | undefined {
  if (!(b instanceof Bin) || !b.isBinary || typeof pos !== 'number' || typeof len !== 'number') return undefined;
  let start = pos;
  let end = pos + len;
  if (len < 0) {
    start = pos + len;
    end = pos;
  }
  if (start < 0 || end > b.byteSize) return undefined;
  return new Bin(b.bytes.subarray(start, end));
}

function binaryPartWhy(b: Term, pos: Term, len: Term): Record<number, string> {
  const why: Record<number, string> = {};
  if (!(b instanceof Bin && b.isBinary)) why[1] = NOT_BINARY;
  if (!isInteger(pos)) why[2] = NOT_INTEGER;
  else if (pos < 0) why[2] = RANGE;
  if (!isInteger(len)) why[3] = NOT_INTEGER;
  if (Object.keys(why).length > 0) return why;
  if ((pos as number) > (b as Bin).byteSize) return { 2: RANGE };
  return { 3: RANGE };
}

bif(
  'binary_part',
  3,
  (b, pos, len) => {
    const r = binaryPart(b, pos, len);
    if (r === undefined) throw fail('binary_part', [b, pos, len], binaryPartWhy(b, pos, len));
    return r;
  },
  true,
);
bif(
  'binary_part',
  2,
  (b, pl) => {
    if (pl instanceof Tuple && pl.elements.length === 2 && isInteger(pl.elements[0]) && isInteger(pl.elements[1])) {
      const [pos, len] = pl.elements;
      const r = binaryPart(b, pos, len);
      if (r !== undefined) return r;
      const why = binaryPartWhy(b, pos, len);
      // OTP's explanation handles only a bad binary or a bad length here (a start beyond the
      // end makes its formatter give up), so print what it prints
      const out: Record<number, string> | undefined = why[1] ? { 1: why[1] } : why[3] ? { 2: RANGE } : undefined;
      throw fail('binary_part', [b, pl], out);
    }
    const why: Record<number, string> = { 2: 'not a valid {Pos,Length} tuple' };
    if (!(b instanceof Bin && b.isBinary)) why[1] = NOT_BINARY;
    throw fail('binary_part', [b, pl], why);
  },
  true,
);

bif('split_binary', 2, (b, pos) => {
  if (b instanceof Bin && b.isBinary && typeof pos === 'number' && pos >= 0 && pos <= b.byteSize) {
    return tuple(new Bin(b.bytes.subarray(0, pos)), new Bin(b.bytes.subarray(pos)));
  }
  const why: Record<number, string> = {};
  if (!(b instanceof Bin && b.isBinary)) why[1] = NOT_BINARY;
  if (!isInteger(pos)) why[2] = NOT_INTEGER;
  else if (pos < 0 || (b instanceof Bin && pos > b.byteSize)) why[2] = RANGE;
  throw fail('split_binary', [b, pos], why);
});

// ---------- maps ----------

bif(
  'map_size',
  1,
  (m) => {
    if (m instanceof ErlMap) return m.size;
    throw bifError(tuple(A.badmap, m), E, 'map_size', [m], { 1: NOT_MAP });
  },
  true,
);

bif(
  'map_get',
  2,
  (k, m) => {
    if (!(m instanceof ErlMap)) throw bifError(tuple(A.badmap, m), E, 'map_get', [k, m], { 2: NOT_MAP });
    const v = m.get(k);
    if (v === undefined) throw bifError(tuple(A.badkey, k), E, 'map_get', [k, m], { 1: 'not present in map' });
    return v;
  },
  true,
);

bif(
  'is_map_key',
  2,
  (k, m) => {
    if (!(m instanceof ErlMap)) throw bifError(tuple(A.badmap, m), E, 'is_map_key', [k, m], { 2: NOT_MAP });
    return bool(m.has(k));
  },
  true,
);

// ---------- hashing ----------

bif('md5', 1, (d) => {
  const bytes = iodataBytes(d);
  if (bytes === undefined) throw fail('md5', [d], { 1: NOT_IODATA });
  return new Bin(new Uint8Array(createHash('md5').update(bytes).digest()));
});

// phash2/1,2 and phash/2: runtime/lib/erts/erlang_phash.ts

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(prev: number, bytes: Uint8Array): number {
  let c = (prev ^ 0xffffffff) >>> 0;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(prev: number, bytes: Uint8Array): number {
  let a = prev & 0xffff;
  let b = (prev >>> 16) & 0xffff;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

for (const [name, fn, init] of [
  ['crc32', crc32, 0],
  ['adler32', adler32, 1],
] as const) {
  bif(name, 1, (d) => {
    const bytes = iodataBytes(d);
    if (bytes === undefined) throw fail(name, [d], { 1: NOT_IODATA });
    return fn(init, bytes);
  });
  bif(name, 2, (prev, d) => {
    const bytes = iodataBytes(d);
    const okPrev = typeof prev === 'number' && prev >= 0 && prev < 2 ** 32;
    if (bytes === undefined || !okPrev) {
      const why: Record<number, string> = {};
      if (!okPrev) why[1] = isInteger(prev) ? RANGE : NOT_INTEGER;
      if (bytes === undefined) why[2] = NOT_IODATA;
      throw fail(name, [prev, d], why);
    }
    return fn(prev as number, bytes);
  });
}

// ---------- exceptions ----------

bif('error', 1, (r) => {
  throw erlError(r);
});
bif('error', 2, (r, _args) => {
  throw erlError(r);
});
bif('error', 3, (r, _args, _opts) => {
  throw erlError(r);
});
bif('throw', 1, (r) => {
  throw erlThrow(r);
});
bif('exit', 1, (r) => {
  throw erlExit(r);
});
bif('raise', 3, (cls, reason, stack) => {
  if ((cls !== ERROR_CLASS && cls !== THROW_CLASS && cls !== EXIT_CLASS) || !isProperList(stack)) return A.badarg;
  throw new ErlangException(cls as Atom, reason, stack);
});
bif('nif_error', 1, (r) => {
  throw erlError(r);
});

// ---------- time ----------

/** native time unit: nanoseconds, as OTP on Linux. */
const NATIVE_PER_SEC = 1_000_000_000n;
/** monotonic time starts at an arbitrary (negative) point, as in OTP */
const MONO_OFFSET = process.hrtime.bigint() + 576460752303423488n;

function nowNs(): bigint {
  const ms = performance.timeOrigin + performance.now();
  return BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.floor((ms % 1) * 1e6));
}

/** Units per second of a time unit term, or undefined. */
export function unitsPerSecond(u: Term): bigint | undefined {
  if (typeof u === 'number' && Number.isInteger(u) && u > 0) return BigInt(u);
  if (typeof u === 'bigint' && u > 0n) return u;
  if (!(u instanceof Atom)) return undefined;
  switch (u.name) {
    case 'second':
    case 'seconds':
      return 1n;
    case 'millisecond':
    case 'milli_seconds':
      return 1000n;
    case 'microsecond':
    case 'micro_seconds':
      return 1_000_000n;
    case 'nanosecond':
    case 'nano_seconds':
    case 'native':
    case 'perf_counter':
      return NATIVE_PER_SEC;
    default:
      return undefined;
  }
}

/** Convert by flooring, as erlang:convert_time_unit/3 does. */
export function convertTime(t: bigint, from: bigint, to: bigint): bigint {
  const num = t * to;
  let q = num / from;
  if (num % from !== 0n && num < 0n) q -= 1n;
  return q;
}

function timeIn(name: string, ns: bigint, unit: Term): Term {
  const u = unitsPerSecond(unit);
  if (u === undefined) throw fail(name, [unit], { 1: BAD_TIME_UNIT });
  return normInt(convertTime(ns, NATIVE_PER_SEC, u));
}

export function monotonicNs(): bigint {
  return process.hrtime.bigint() - MONO_OFFSET;
}

bif('monotonic_time', 0, () => normInt(monotonicNs()));
bif('monotonic_time', 1, (u) => timeIn('monotonic_time', monotonicNs(), u));
bif('system_time', 0, () => normInt(nowNs()));
bif('system_time', 1, (u) => timeIn('system_time', nowNs(), u));
bif('time_offset', 0, () => normInt(nowNs() - monotonicNs()));
bif('time_offset', 1, (u) => timeIn('time_offset', nowNs() - monotonicNs(), u));
bif('convert_time_unit', 3, (t, from, to) => {
  const f = unitsPerSecond(from);
  const g = unitsPerSecond(to);
  if (!isInteger(t) || f === undefined || g === undefined) {
    const why: Record<number, string> = {};
    if (!isInteger(t)) why[1] = NOT_INTEGER;
    if (f === undefined) why[2] = BAD_TIME_UNIT;
    if (g === undefined) why[3] = BAD_TIME_UNIT;
    throw fail('convert_time_unit', [t, from, to], why);
  }
  return normInt(convertTime(BigInt(t), f, g));
});

/** {MegaSecs, Secs, MicroSecs} of a time in microseconds. */
export function timestampTuple(us: bigint): Tuple {
  const mega = us / 1_000_000_000_000n;
  const secs = (us / 1_000_000n) % 1_000_000n;
  const micro = us % 1_000_000n;
  return tuple(Number(mega), Number(secs), Number(micro));
}

bif('timestamp', 0, () => timestampTuple(nowNs() / 1000n));

let lastNow = 0n;
bif('now', 0, () => {
  let us = nowNs() / 1000n;
  if (us <= lastNow) us = lastNow + 1n;
  lastNow = us;
  return timestampTuple(us);
});

export function dateTuple(d: Date, utc: boolean): Tuple {
  return utc
    ? tuple(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
    : tuple(d.getFullYear(), d.getMonth() + 1, d.getDate());
}
export function timeTuple(d: Date, utc: boolean): Tuple {
  return utc
    ? tuple(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds())
    : tuple(d.getHours(), d.getMinutes(), d.getSeconds());
}

bif('date', 0, () => dateTuple(new Date(), false));
bif('time', 0, () => timeTuple(new Date(), false));
bif('localtime', 0, () => {
  const d = new Date();
  return tuple(dateTuple(d, false), timeTuple(d, false));
});
bif('universaltime', 0, () => {
  const d = new Date();
  return tuple(dateTuple(d, true), timeTuple(d, true));
});

/** {{Y,M,D},{H,Mi,S}} as numbers, or undefined when it is not a valid datetime. */
export function readDateTime(t: Term): [number, number, number, number, number, number] | undefined {
  if (!(t instanceof Tuple) || t.elements.length !== 2) return undefined;
  const [d, tm] = t.elements;
  if (!(d instanceof Tuple) || !(tm instanceof Tuple) || d.elements.length !== 3 || tm.elements.length !== 3) return undefined;
  const xs = [...d.elements, ...tm.elements];
  if (!xs.every((x) => typeof x === 'number' && Number.isInteger(x))) return undefined;
  const [y, mo, da, h, mi, s] = xs as number[];
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return undefined;
  const probe = new Date(Date.UTC(2000, mo - 1, da));
  if (probe.getUTCMonth() !== mo - 1 && !(mo === 2 && da === 29 && isLeap(y))) return undefined;
  if (mo === 2 && da === 29 && !isLeap(y)) return undefined;
  return [y, mo, da, h, mi, s];
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

bif('localtime_to_universaltime', 1, (t) => {
  const dt = readDateTime(t);
  if (dt === undefined) throw fail('localtime_to_universaltime', [t], { 1: 'not a valid local time' });
  const d = new Date(dt[0], dt[1] - 1, dt[2], dt[3], dt[4], dt[5]);
  if (dt[0] >= 0 && dt[0] < 100) d.setFullYear(dt[0]);
  return tuple(dateTuple(d, true), timeTuple(d, true));
});
bif('universaltime_to_localtime', 1, (t) => {
  const dt = readDateTime(t);
  if (dt === undefined) throw fail('universaltime_to_localtime', [t], { 1: 'not a valid universal time' });
  const d = new Date(Date.UTC(dt[0], dt[1] - 1, dt[2], dt[3], dt[4], dt[5]));
  if (dt[0] >= 0 && dt[0] < 100) d.setUTCFullYear(dt[0]);
  return tuple(dateTuple(d, false), timeTuple(d, false));
});

let uniqueCounter = 0;
bif('unique_integer', 0, () => ++uniqueCounter - 576460752303423487);
bif('unique_integer', 1, (mods) => {
  const ms = items(mods);
  if (ms === undefined || !ms.every((m) => m === atom('positive') || m === atom('monotonic'))) {
    throw fail('unique_integer', [mods], { 1: isProperList(mods) ? 'invalid modifier' : NOT_LIST });
  }
  const n = ++uniqueCounter;
  return ms.includes(atom('positive')) ? n : n - 576460752303423487;
});

// ---------- system_info ----------

export const OTP_RELEASE = '25';
export const ERTS_VERSION = '13.1.5';

bif('system_info', 1, (item) => {
  const name = item instanceof Atom ? item.name : undefined;
  switch (name) {
    case 'otp_release':
      return str(OTP_RELEASE);
    case 'version':
      return str(ERTS_VERSION);
    case 'system_version':
      return str(`Erlang/OTP ${OTP_RELEASE} [erts-${ERTS_VERSION}] [source] [64-bit] [smp:1:1] [ds:1:1:10] [async-threads:1]\n`);
    case 'machine':
      return str('BEAM');
    case 'wordsize':
      return 8;
    case 'schedulers':
    case 'schedulers_online':
    case 'dirty_cpu_schedulers':
    case 'dirty_cpu_schedulers_online':
      return 1;
    case 'logical_processors':
    case 'logical_processors_available':
    case 'logical_processors_online':
      return 1;
    case 'smp_support':
    case 'threads':
      return TRUE;
    case 'thread_pool_size':
      return 1;
    case 'atom_limit':
      return 1048576;
    case 'process_limit':
      return 262144;
    case 'port_limit':
      return 65536;
    case 'ets_limit':
      return 8192;
    case 'max_heap_size':
      return ErlMap.from([
        [atom('error_logger'), TRUE],
        [atom('kill'), TRUE],
        [atom('size'), 0],
      ]);
    case 'endian':
      return atom('little');
    case 'debug_compiled':
    case 'kernel_poll':
      return FALSE;
    case 'emu_type':
      return atom('opt');
    case 'emu_flavor':
      return atom('jit');
    case 'build_type':
      return atom('opt');
    case 'os_type':
      return tuple(atom('unix'), atom(process.platform === 'darwin' ? 'darwin' : 'linux'));
    case 'creation':
      return 0;
    case 'start_time':
      return normInt(-MONO_OFFSET);
    case 'time_correction':
      return TRUE;
    case 'time_warp_mode':
      return atom('no_time_warp');
    case 'os_monotonic_time_source':
    case 'os_system_time_source':
      return NIL;
    case 'compat_rel':
      return 25;
    default:
      if (item instanceof Tuple && item.elements.length === 2 && item.elements[0] === atom('wordsize')) return 8;
      throw fail('system_info', [item], { 1: 'invalid system info item' });
  }
});
