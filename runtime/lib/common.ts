// Helpers shared by the built-in modules: list walking, iodata and chardata, and the
// error shapes OTP's library code raises (function_clause with a file/line frame, ...).

import {
  Atom,
  Bin,
  ErlFloat,
  List,
  NIL,
  Term,
  Tuple,
  atom,
  list,
  tuple,
  isInteger,
} from '../vm/term.js';
import { ErlangException, bifError as bifErrorFn, erlError, errorInfoItem, frame } from '../vm/exception.js';
export { isByte, isChar, iodataBytes, iodataSize, bitstringListToBin, concatBits } from '../vm/iodata.js';
import { isByte, isChar, iodataBytes, iodataSize, bitstringListToBin, concatBits } from '../vm/iodata.js';

export const A = {
  badarg: atom('badarg'),
  badarith: atom('badarith'),
  function_clause: atom('function_clause'),
  case_clause: atom('case_clause'),
  if_clause: atom('if_clause'),
  none: atom('none'),
  nomatch: atom('nomatch'),
  latin1: atom('latin1'),
  unicode: atom('unicode'),
  utf8: atom('utf8'),
  big: atom('big'),
  little: atom('little'),
  value: atom('value'),
  file: atom('file'),
  line: atom('line'),
  badkey: atom('badkey'),
  badmap: atom('badmap'),
  iter: atom('iter'),
  incomplete: atom('incomplete'),
} as const;

/** The elements of a proper list, or undefined. */
export function items(t: Term): Term[] | undefined {
  const out: Term[] = [];
  while (t instanceof List) {
    out.push(t.head);
    t = t.tail;
  }
  return t === NIL ? out : undefined;
}

export function isProperList(t: Term): boolean {
  while (t instanceof List) t = t.tail;
  return t === NIL;
}

/** A list of integers from JS code points or bytes. */
export function intList(xs: ArrayLike<number>): Term {
  let l: Term = NIL;
  for (let i = xs.length - 1; i >= 0; i--) l = new List(xs[i], l);
  return l;
}

/** A charlist from a JS string (code point by code point). */
export function str(s: string): Term {
  const cps: number[] = [];
  for (const ch of s) cps.push(ch.codePointAt(0)!);
  return intList(cps);
}

/** A binary holding the UTF-8 of a JS string. */
export function utf8Bin(s: string): Bin {
  return new Bin(new TextEncoder().encode(s));
}

/** The location frame of a call into an Erlang-written library function (as OTP reports it). */
export function libFrame(module: string, name: string, arityOrArgs: number | Term[], line: number): Tuple {
  const args = typeof arityOrArgs === 'number' ? arityOrArgs : list(arityOrArgs);
  return tuple(
    atom(module),
    atom(name),
    args,
    list([tuple(A.file, str(module + '.erl')), tuple(A.line, line)]),
  );
}

/** error:function_clause raised by an Erlang-written library function (no clause matched its arguments). */
export function fnClause(module: string, name: string, args: Term[], line: number): ErlangException {
  return erlError(A.function_clause, list([libFrame(module, name, args, line)]));
}

/** An error raised inside library code: `frames` are the stack (innermost first). */
export function errorAt(reason: Term, ...frames: Tuple[]): ErlangException {
  return erlError(reason, list(frames));
}

/** A frame for an erlang operator (e.g. '+'/2) that failed inside library code. */
export function opFrame(name: string, args: Term[]): Tuple {
  return frame('erlang', name, args);
}


// ---------- chardata (unicode) ----------

export type CharsResult =
  | { ok: true; chars: number[] }
  /** a bad element: the chars converted before it and the rest (OTP's {error, Converted, Rest}) */
  | { ok: false; kind: 'error' | 'incomplete'; chars: number[]; rest: Term; restBytes?: Uint8Array };

/** Decode UTF-8 bytes to code points; stops at the first invalid or incomplete sequence. */
export function decodeUtf8(bytes: Uint8Array): { chars: number[]; bad: number; incomplete: boolean } {
  const chars: number[] = [];
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      chars.push(b);
      i++;
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0x0f;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x07;
      min = 0x10000;
    } else return { chars, bad: i, incomplete: false };
    let j = 1;
    for (; j <= need; j++) {
      if (i + j >= n) break;
      const c = bytes[i + j];
      if ((c & 0xc0) !== 0x80) return { chars, bad: i, incomplete: false };
      cp = (cp << 6) | (c & 0x3f);
    }
    if (j <= need) {
      // ran out of bytes: incomplete if what we saw is a valid prefix
      return { chars, bad: i, incomplete: true };
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { chars, bad: i, incomplete: false };
    chars.push(cp);
    i += need + 1;
  }
  return { chars, bad: -1, incomplete: false };
}

export function encodeUtf8(cps: ArrayLike<number>): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/**
 * The code points of unicode chardata: a binary (in `inEnc`) or a possibly deep list of
 * code points and binaries. Returns undefined when the term is not chardata at all (badarg).
 */
export function chardata(t: Term, inEnc: 'unicode' | 'latin1' = 'unicode'): CharsResult | undefined {
  const chars: number[] = [];
  /** decode a binary into chars; the offset of the first bad byte, -1 when all fine, -2 when incomplete at offset in `badAt` */
  let badAt = -1;
  let incomplete = false;
  const decodeBin = (b: Bin): boolean => {
    if (inEnc === 'latin1') {
      for (const x of b.bytes) chars.push(x);
      return true;
    }
    const d = decodeUtf8(b.bytes);
    for (const c of d.chars) chars.push(c);
    badAt = d.bad;
    incomplete = d.incomplete;
    return d.bad < 0;
  };
  const failure = (b: Bin, rest: (restBin: Bin) => Term): CharsResult => {
    const restBin = new Bin(b.bytes.slice(badAt));
    return { ok: false, kind: incomplete ? 'incomplete' : 'error', chars, rest: rest(restBin) };
  };
  if (t instanceof Bin) {
    if (!t.isBinary) return undefined;
    if (!decodeBin(t)) return failure(t, (r) => r);
    return { ok: true, chars };
  }
  if (!(t instanceof List) && t !== NIL) return undefined;
  // explicit stack of list tails still to walk
  const stack: Term[] = [];
  let l: Term = t;
  for (;;) {
    while (l instanceof List) {
      const h = l.head;
      if (typeof h === 'number') {
        if (!isChar(h) || (inEnc === 'latin1' && h > 255)) {
          // an integer that is no character stops the conversion; anything else is not chardata
          if (Number.isInteger(h)) return { ok: false, kind: 'error', chars, rest: restOf(l, stack) };
          return undefined;
        }
        chars.push(h);
      } else if (h instanceof Bin) {
        if (!h.isBinary) return undefined;
        const tail = l.tail;
        if (!decodeBin(h)) return failure(h, (r) => restOf(new List(r, tail), stack));
      } else if (h instanceof List || h === NIL) {
        stack.push(l.tail);
        l = h;
        continue;
      } else return undefined;
      l = l.tail;
    }
    if (l instanceof Bin) {
      if (!l.isBinary) return undefined;
      if (!decodeBin(l)) return failure(l, (r) => restOf(r, stack));
    } else if (l !== NIL) return undefined;
    if (stack.length === 0) break;
    l = stack.pop()!;
  }
  return { ok: true, chars };
}

/** The unconverted rest: the current tail followed by the pending outer tails (as OTP builds it). */
function restOf(cur: Term, stack: Term[]): Term {
  let r: Term = cur;
  for (let i = stack.length - 1; i >= 0; i--) {
    const outer = stack[i];
    if (outer === NIL) continue;
    r = r === NIL ? outer : list([r], outer);
  }
  return r;
}

/** The code points of chardata as a JS string, or undefined when invalid. */
export function chardataString(t: Term): string | undefined {
  const r = chardata(t);
  if (r === undefined || !r.ok) return undefined;
  return fromCodePoints(r.chars);
}

/** A JS number for an Erlang number (for float arithmetic). */
export function num(t: Term): number | undefined {
  if (typeof t === 'number') return t;
  if (typeof t === 'bigint') return Number(t);
  if (t instanceof ErlFloat) return t.value;
  return undefined;
}

export function isAtomT(t: Term): t is Atom {
  return t instanceof Atom;
}

export function isInt(t: Term): t is number | bigint {
  return isInteger(t);
}

export function truthy(t: Term): boolean | undefined {
  if (t === atom('true')) return true;
  if (t === atom('false')) return false;
  return undefined;
}

/**
 * An error raised by a library function written in Erlang with erlang:error(Reason, Args, [error_info])
 * at `line` of module.erl: the frame has the explanations and the location (or just the explanations
 * for a BIF, when line is undefined).
 */
export function infoError(
  reason: Term,
  module: string,
  name: string,
  args: Term[],
  why: Record<number, string> | undefined,
  line: number | undefined,
  cause?: string,
): ErlangException {
  // stdlib's error_info names erl_stdlib_errors; the location comes before it, as erlang:error/3 leaves them
  const extra: Term[] = line === undefined ? [] : [tuple(A.file, str(module + '.erl')), tuple(A.line, line)];
  if (why !== undefined) {
    const texts = Object.entries(why).map(([n, text]) => tuple(Number(n), str(text)));
    extra.push(errorInfoItem(texts, 'erl_stdlib_errors', cause));
  }
  return erlError(reason, list([tuple(atom(module), atom(name), list(args), list(extra))]));
}

/** A JS string from code points (in chunks: spreading a long array would overflow the stack). */
export function fromCodePoints(cps: readonly number[]): string {
  if (cps.length < 4096) return String.fromCodePoint(...cps);
  let s = '';
  for (let i = 0; i < cps.length; i += 4096) s += String.fromCodePoint(...cps.slice(i, i + 4096));
  return s;
}
