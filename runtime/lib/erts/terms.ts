// erlang's term BIFs: tuples, lists, atoms (with their text and binary forms), binaries, maps and
// hashing (phash2, crc32, adler32, md5).

import { createHash } from 'node:crypto';
import { Atom, Bin, ErlMap, List, NIL, Term, Tuple, atom, bool, canonical, existingAtom, isInteger, tuple } from '../../vm/term.js';
import { bifError } from '../../vm/exception.js';
import { chargeElements } from '../../vm/scheduler.js';
import { append, subtract } from '../../vm/ops.js';
import { A, bitstringListToBin, decodeUtf8, fromCodePoints, intList, iodataBytes, iodataSize, isProperList, items, str } from '../common.js';
import { E, bif, fail, NOT_ATOM, NOT_INTEGER, NOT_LIST, NOT_TUPLE, NOT_BINARY, NOT_BITSTRING, NOT_MAP, NOT_IODATA, RANGE, BAD_OPTION } from './bif.js';

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
    copied(t.elements.length);
    const es = t.elements.slice();
    es[n - 1] = v;
    return new Tuple(es);
  }
  throw fail('setelement', [n, t, v], elementWhy(n, t));
});

/** A tuple of n elements copied whole (an array copy, about four times as fast as walking list cells). */
function copied(n: number): void {
  chargeElements(n >>> 2);
}

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
  if (t instanceof Tuple) {
    copied(t.elements.length);
    return new Tuple([...t.elements, v]);
  }
  throw fail('append_element', [t, v], { 1: NOT_TUPLE });
});

bif('make_tuple', 2, (n, v) => {
  if (typeof n === 'number' && n >= 0 && n < 2 ** 24) {
    copied(n);
    return new Tuple(new Array<Term>(n).fill(v));
  }
  throw fail('make_tuple', [n, v], { 1: RANGE });
});

bif('make_tuple', 3, (n, v, init) => {
  const inits = items(init);
  const why: Record<number, string> = {};
  if (!(typeof n === 'number' && n >= 0)) why[1] = isInteger(n) ? RANGE : NOT_INTEGER;
  if (inits === undefined) why[3] = init instanceof List ? 'not a proper list' : NOT_LIST;
  if (Object.keys(why).length > 0) throw fail('make_tuple', [n, v, init], why);
  const es = new Array<Term>(n as number).fill(v);
  copied(es.length);
  chargeElements(inits!.length);
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
    copied(t.elements.length);
    const es = t.elements.slice();
    es.splice(n - 1, 0, v);
    return new Tuple(es);
  }
  throw fail('insert_element', [n, t, v], elementWhy(n, t));
});

bif('delete_element', 2, (n, t) => {
  if (typeof n === 'number' && t instanceof Tuple && n >= 1 && n <= t.elements.length) {
    copied(t.elements.length);
    const es = t.elements.slice();
    es.splice(n - 1, 1);
    return new Tuple(es);
  }
  throw fail('delete_element', [n, t], elementWhy(n, t));
});

bif('tuple_to_list', 1, (t) => {
  if (t instanceof Tuple) {
    chargeElements(t.elements.length);
    return listOf(t.elements);
  }
  throw fail('tuple_to_list', [t], { 1: NOT_TUPLE });
});

bif('list_to_tuple', 1, (l) => {
  const xs = items(l);
  if (xs === undefined) throw fail('list_to_tuple', [l], { 1: NOT_LIST });
  chargeElements(xs.length);
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
    chargeElements(n);
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
  chargeElements(cps.length);
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
  chargeElements(b.byteSize);
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

// ---------- binaries ----------

/** A list of bytes, charged as the cells it builds. */
function byteList(bytes: Uint8Array): Term {
  chargeElements(bytes.length);
  return intList(bytes);
}

bif('binary_to_list', 1, (b) => {
  if (b instanceof Bin && b.isBinary) return byteList(b.bytes);
  throw fail('binary_to_list', [b], { 1: NOT_BINARY });
});

bif('binary_to_list', 3, (b, start, stop) => {
  if (b instanceof Bin && b.isBinary && typeof start === 'number' && typeof stop === 'number') {
    if (start >= 1 && start <= stop && stop <= b.byteSize) return byteList(b.bytes.subarray(start - 1, stop));
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
  if (rest === 0) return byteList(b.bytes);
  chargeElements(whole);
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
  chargeElements(bytes.length >>> 4);
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

// crc32 and adler32 walk the bytes one by one in JS: each is charged as an element
function crc32(prev: number, bytes: Uint8Array): number {
  chargeElements(bytes.length);
  let c = (prev ^ 0xffffffff) >>> 0;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(prev: number, bytes: Uint8Array): number {
  chargeElements(bytes.length);
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
