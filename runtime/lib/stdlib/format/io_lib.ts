// io_lib:format/2: the control sequences of io:format, with OTP's field, precision, pad and
// modifier rules. Any argument that does not fit its directive, or a bad format, raises
// error:badarg in io_lib:format/2 — as erl does, since io_lib catches every failure.
//
// The text is built in two passes like io_lib_format: first every directive but ~p/~P is
// expanded, then ~p/~P are laid out knowing the column where they start (tabs count to the
// next multiple of 8, a newline starts over).

import {
  Atom,
  Bin,
  ErlFloat,
  List,
  NIL,
  Term,
  charlist,
  isInteger,
  listToArray,
  toBigInt,
} from '../../../vm/term.js';
import { badarg, ErlangException } from '../../../vm/exception.js';
import { Encoding, charsLength, codePoints } from './chars.js';
import { floatData } from './float.js';
import { PrintOptions, writeDeep } from './term.js';
import { prettyPrintDeep } from './pretty.js';
import { Deep, DeepList, flatten, formatChars, tail } from './deep.js';

/** A failure inside the formatter; format() turns it into error:badarg. */
class Bad extends Error {}
const bad = (): never => {
  throw new Bad();
};

type Adjust = 'left' | 'right';

export interface Directive {
  control: string;
  args: Term[];
  width: number | undefined;
  adjust: Adjust;
  precision: number | undefined;
  pad: number;
  encoding: Encoding;
  strings: boolean;
}

/** The parsed format: characters (code points) and directives with their arguments. */
export type FormatItem = number | Directive;

/** The characters of a format: a char list, a binary (its bytes) or an atom. */
function formatCodePoints(fmt: Term | string): number[] {
  if (typeof fmt === 'string') return codePoints(fmt);
  if (fmt instanceof Atom) return codePoints(fmt.name);
  if (fmt instanceof Bin) {
    if (!fmt.isBinary) bad();
    return Array.from(fmt.bytes);
  }
  const items = listToArray(fmt);
  if (items === undefined) bad();
  return items!.map((c) => (typeof c === 'number' ? c : bad()));
}

const TILDE = 0x7e;

/**
 * Formats already scanned, by the term they are (terms never change): their directives with the
 * number of arguments each takes. A format's text is read once, not at each io:format of a loop.
 * Only a format met again is kept (one made afresh for each call would only fill the table), and
 * none with a `*`: what it stands for depends on the arguments.
 */
const scanned = new WeakMap<object, Array<number | { d: Directive; n: number }>>();
/** The formats scanned most recently and not kept: one of them met again is kept. */
const recent: object[] = [];
const RECENT = 4;
let recentAt = 0;

/** Is this format met again (it was among the recent ones)? Else it becomes one of them. */
function metAgain(fmt: object): boolean {
  for (let i = 0; i < recent.length; i++) if (recent[i] === fmt) return true;
  recent[recentAt] = fmt;
  recentAt = (recentAt + 1) % RECENT;
  return false;
}

/** io_lib_format:scan: pair each control sequence with its arguments. */
export function scanFormat(fmt: Term | string, args: Term[]): FormatItem[] {
  if (typeof fmt !== 'object') return scanText(formatCodePoints(fmt), args);
  const known = scanned.get(fmt);
  if (known !== undefined) {
    const out: FormatItem[] = new Array(known.length);
    let a = 0;
    for (let i = 0; i < known.length; i++) {
      const it = known[i];
      if (typeof it === 'number') out[i] = it;
      else {
        if (a + it.n > args.length) bad();
        const d = it.d;
        const dargs = it.n === 1 ? [args[a]] : args.slice(a, a + it.n);
        out[i] = { control: d.control, args: dargs, width: d.width, adjust: d.adjust, precision: d.precision, pad: d.pad, encoding: d.encoding, strings: d.strings };
        a += it.n;
      }
    }
    if (a !== args.length) bad();
    return out;
  }
  const cs = formatCodePoints(fmt);
  const items = scanText(cs, args);
  if (!cs.includes(0x2a) && metAgain(fmt)) scanned.set(fmt, items.map((it) => (typeof it === 'number' ? it : { d: { ...it, args: [] }, n: it.args.length })));
  return items;
}

function scanText(cs: number[], args: Term[]): FormatItem[] {
  const out: FormatItem[] = [];
  let i = 0;
  let a = 0;
  const next = (): Term => (a < args.length ? args[a++] : bad());
  while (i < cs.length) {
    const c = cs[i++];
    if (c !== TILDE) {
      out.push(c);
      continue;
    }
    // field width: [-](*|digits)
    let adjust: Adjust = 'right';
    let width: number | undefined;
    let neg = false;
    if (cs[i] === 0x2d) {
      neg = true;
      i++;
    }
    const fieldValue = (): number | undefined => {
      if (cs[i] === 0x2a && a < args.length && isInteger(args[a])) {
        i++;
        return Number(next());
      }
      if (cs[i] >= 0x30 && cs[i] <= 0x39) {
        let v = 0;
        while (cs[i] >= 0x30 && cs[i] <= 0x39) v = v * 10 + (cs[i++] - 0x30);
        return v;
      }
      return undefined;
    };
    width = fieldValue();
    if (neg) {
      if (width === undefined) bad(); // -none is badarith in OTP
      width = -width!;
    }
    if (width !== undefined && width < 0) {
      width = -width;
      adjust = 'left';
    }
    // precision: .(*|digits)
    let precision: number | undefined;
    if (cs[i] === 0x2e) {
      i++;
      precision = fieldValue();
      // OTP loops or crashes on a negative precision; either way the call fails
      if (precision !== undefined && precision < 0) bad();
    }
    // pad character: .* or .C
    let pad = 0x20;
    if (cs[i] === 0x2e && cs[i + 1] === 0x2a && a < args.length) {
      i += 2;
      const p = next();
      pad = typeof p === 'number' ? p : bad();
    } else if (cs[i] === 0x2e && i + 1 < cs.length) {
      pad = cs[i + 1];
      i += 2;
    }
    // modifiers
    let encoding: Encoding = 'latin1';
    let strings = true;
    for (;;) {
      if (cs[i] === 0x74) encoding = 'unicode';
      else if (cs[i] === 0x6c) strings = false;
      else break;
      i++;
    }
    if (i >= cs.length) bad();
    const control = String.fromCodePoint(cs[i++]);
    let dargs: Term[];
    switch (control) {
      case 'w':
      case 'p':
      case 's':
      case 'e':
      case 'f':
      case 'g':
      case 'b':
      case 'B':
      case '+':
      case '#':
      case 'c':
      case 'i':
        dargs = [next()];
        break;
      case 'W':
      case 'P':
      case 'x':
      case 'X':
        dargs = [next(), next()];
        break;
      case '~':
      case 'n':
        dargs = [];
        break;
      default:
        return bad();
    }
    out.push({ control, args: dargs, width, adjust, precision, pad, encoding, strings });
  }
  if (a !== args.length) bad();
  return out;
}

// ---------- helpers ----------

function chars(c: number, n: number): string {
  return n > 0 ? String.fromCodePoint(c).repeat(n) : '';
}

// The field functions return deep lists shaped as io_lib_format's (see deep.ts): ~w, ~p and ~s
// results keep that shape in io_lib:format's result, the other directives are flattened.

/** adjust/3: [Data|Pad] or [Pad|Data]; no padding leaves Data as it is. */
function adjust(data: Deep, pad: DeepList, adj: Adjust): Deep {
  if (pad.length === 0) return data;
  return adj === 'left' ? [data, ...pad] : [pad, ...tail(data)];
}

function padChars(c: number, n: number): DeepList {
  if (c < 0 || c > 0x10ffff) bad();
  return formatChars(c, n);
}

/** A term's text in a field: too long a text becomes a row of '*'. */
function term(t: Deep, f: number | undefined, adj: Adjust, p0: number | undefined, pad: number): Deep {
  if (f === undefined && p0 === undefined) return t;
  if (f === undefined) return term(t, p0, adj, p0, pad);
  const l = charsLength(flatten(t));
  const p = Math.min(l, p0 === undefined ? f : Math.min(p0, f));
  if (l > p) return adjust(formatChars(0x2a, p), padChars(pad, f - p), adj);
  return adjust(t, padChars(pad, f - l), adj);
}

/** The first n characters: latin1 counts code points, unicode counts grapheme clusters. */
function truncate(s: string, n: number, enc: Encoding): string {
  if (enc === 'latin1') return [...s].slice(0, n).join('');
  let out = '';
  let k = 0;
  for (const g of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)) {
    if (k++ >= n) break;
    out += g.segment;
  }
  return out;
}

function stringField(s: Deep, f: number, adj: Adjust, n: number, pad: number, enc: Encoding): Deep {
  if (n > f) return truncate(flatten(s), f, enc);
  if (n < f) return adjust(s, padChars(pad, f - n), adj);
  return s;
}

/** ~s in its field: width pads or cuts, precision cuts first. */
function string(s: Deep, f: number | undefined, adj: Adjust, p: number | undefined, pad: number, enc: Encoding): Deep {
  if (f === undefined && p === undefined) return s;
  const n = charsLength(flatten(s));
  if (p === undefined) return stringField(s, f!, adj, n, pad, enc);
  if (f === undefined) return stringField(s, p, 'left', n, pad, enc);
  if (f < p) bad();
  if (f > p) {
    if (n > p) return adjust(truncate(flatten(s), p, enc), padChars(pad, f - p), adj);
    if (n < p) return adjust([s, ...padChars(pad, p - n)], padChars(pad, f - p), adj);
    return adjust(s, padChars(pad, f - p), adj);
  }
  return stringField(s, f, adj, n, pad, enc);
}

/**
 * ~s's argument as characters, nested as the argument is (iolist_to_chars/cdata_to_chars):
 * an iolist (bytes) for latin1, chardata for unicode. An atom is its name.
 */
function stringArg(t: Term, enc: Encoding): Deep {
  if (t instanceof Atom) {
    if (enc === 'latin1' && [...t.name].some((c) => c.codePointAt(0)! > 255)) bad();
    return t.name;
  }
  const bin = (x: Bin): string => {
    if (!x.isBinary) bad();
    return enc === 'latin1' ? String.fromCharCode(...x.bytes) : decodeChardataBinary(x.bytes);
  };
  const walk = (x: Term): Deep => {
    if (x instanceof Bin) return bin(x);
    const out: DeepList = [];
    while (x instanceof List) {
      const h = x.head;
      if (typeof h === 'number') {
        if (!Number.isInteger(h) || h < 0 || (enc === 'latin1' ? h > 255 : h > 0x10ffff)) bad();
        out.push(h);
      } else if (h instanceof List || h === NIL || h instanceof Bin) out.push(walk(h));
      else bad();
      x = x.tail;
    }
    if (x instanceof Bin) out.push(...tail(bin(x)));
    else if (x !== NIL) bad();
    return out;
  };
  if (!(t instanceof List || t === NIL || t instanceof Bin)) bad();
  return walk(t);
}

/** A binary inside ~ts: UTF-8 when it is valid, else its bytes as latin1. */
function decodeChardataBinary(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return String.fromCharCode(...bytes);
  }
}

function base(p: number | undefined): number {
  if (p === undefined) return 10;
  if (p < 2 || p > 36) bad();
  return p;
}

function intText(i: Term, b: number, lower: boolean): [string, string] {
  const v = toBigInt(i as number | bigint);
  const digits = (v < 0n ? -v : v).toString(b);
  return [v < 0n ? '-' : '', lower ? digits : digits.toUpperCase()];
}

/** A deep list of characters, as ~x accepts for its prefix. */
function deepCharList(t: Term): string {
  let out = '';
  const walk = (x: Term): void => {
    while (x instanceof List) {
      const h = x.head;
      if (typeof h === 'number' && ((h >= 0 && h < 0xd800) || (h > 0xdfff && h < 0xfffe) || (h > 0xffff && h <= 0x10ffff))) {
        out += String.fromCodePoint(h);
      } else if (h instanceof List || h === NIL) walk(h);
      else bad();
      x = x.tail;
    }
    if (x !== NIL) bad();
  };
  walk(t);
  return out;
}

// ---------- floats: ~e ~f ~g work from float_to_list/1's digits ----------

function signBit(v: number): string {
  return v < 0 || Object.is(v, -0) ? '-' : '';
}

/** Digits with `icount` before the point and `dcount` after, rounded half up; returns [text, carry]. */
function floatMantissa(ds: string, icount: number, dcount: number): [string, boolean] {
  // take icount + dcount digits (padding with zeros), round on the next one
  const need = icount + dcount;
  let digits = ds.length >= need ? ds.slice(0, need) : ds + '0'.repeat(need - ds.length);
  let carry = ds.length > need && ds.charCodeAt(need) >= 0x35;
  if (carry) {
    const arr = digits.split('');
    let k = arr.length - 1;
    while (k >= 0 && carry) {
      if (arr[k] === '9') arr[k] = '0';
      else {
        arr[k] = String.fromCharCode(arr[k].charCodeAt(0) + 1);
        carry = false;
      }
      k--;
    }
    digits = arr.join('');
  }
  return [digits.slice(0, icount) + '.' + digits.slice(icount), carry];
}

function floatExp(e: number): string {
  return e >= 0 ? 'e+' + e : 'e' + e;
}

function floatE(v: number, p: number): string {
  const { digits, exp } = floatData(v);
  const [fs, carry] = floatMantissa(digits, 1, p - 1);
  if (carry) return signBit(v) + '1' + fs.slice(1) + floatExp(exp);
  return signBit(v) + fs + floatExp(exp - 1);
}

function floatF(v: number, p: number): string {
  let { digits, exp } = floatData(v);
  if (exp <= 0) {
    digits = '0'.repeat(-exp + 1) + digits;
    exp = 1;
  }
  const [fs, carry] = floatMantissa(digits, exp, p);
  return signBit(v) + (carry ? '1' + fs : fs);
}

function fwriteE(v: number, f: number | undefined, adj: Adjust, p: number | undefined, pad: number): string {
  const prec = p ?? 6;
  if (prec < 2) bad();
  const s = floatE(v, prec);
  return f === undefined ? s : flatten(term(s, f, adj, f, pad));
}

function fwriteF(v: number, f: number | undefined, adj: Adjust, p: number | undefined, pad: number): string {
  const prec = p ?? 6;
  if (prec < 1) bad();
  const s = floatF(v, prec);
  return f === undefined ? s : flatten(term(s, f, adj, f, pad));
}

function fwriteG(v: number, f: number | undefined, adj: Adjust, p: number | undefined, pad: number): string {
  const prec = p ?? 6;
  if (prec < 1) bad();
  const a = Math.abs(v);
  // the exponent class; from 1.0e4 up always the e form
  const e = a < 0.1 ? -2 : a < 1 ? -1 : a < 10 ? 0 : a < 100 ? 1 : a < 1000 ? 2 : a < 10000 ? 3 : undefined;
  if (e !== undefined && ((prec <= 1 && e === -1) || (prec - 1 > e && e >= -1))) return fwriteF(v, f, adj, prec - 1 - e, pad);
  if (prec <= 1) return fwriteE(v, f, adj, 2, pad);
  return fwriteE(v, f, adj, prec, pad);
}

// ---------- directives ----------

function isFloat(t: Term): t is ErlFloat {
  return t instanceof ErlFloat;
}

function char(c: number, f: number | undefined, adj: Adjust, p: number | undefined, pad: number): string {
  if (c < 0 || c > 0x10ffff) bad();
  if (f === undefined && p === undefined) return String.fromCodePoint(c);
  if (p === undefined) return chars(c, f!);
  if (f === undefined) return chars(c, p);
  if (f < p) bad();
  return flatten(adjust(chars(c, p), padChars(pad, f - p), adj));
}

function expand(d: Directive, column: number, opts: PrintOptions | undefined): Deep {
  const { control, args, width: f, adjust: adj, precision: p, pad, encoding: enc } = d;
  const [a, b] = args;
  switch (control) {
    case 'w':
      return term(writeDeep(a, { ...opts, encoding: enc }), f, adj, p, pad);
    case 'W':
      if (!isInteger(b)) bad();
      return term(writeDeep(a, { ...opts, encoding: enc, depth: Number(b) }), f, adj, p, pad);
    case 'p':
    case 'P': {
      const depth = control === 'P' ? (isInteger(b) ? Number(b) : bad()) : -1;
      if (adj === 'left') bad();
      return prettyPrintDeep(a, { ...opts, encoding: enc, strings: d.strings, depth, lineLength: f ?? 80, column: p ?? column + 1 });
    }
    case 's':
      return string(stringArg(a, enc), f, adj, p, pad, enc);
    case 'e':
      return isFloat(a) ? fwriteE(a.value, f, adj, p, pad) : bad();
    case 'f':
      return isFloat(a) ? fwriteF(a.value, f, adj, p, pad) : bad();
    case 'g':
      return isFloat(a) ? fwriteG(a.value, f, adj, p, pad) : bad();
    case 'b':
    case 'B': {
      if (!isInteger(a)) bad();
      const [sign, digits] = intText(a, base(p), control === 'b');
      return term(sign + digits, f, adj, undefined, pad);
    }
    case 'x':
    case 'X': {
      if (!isInteger(a)) bad();
      const prefix = b instanceof Atom ? b.name : deepCharList(b);
      const [sign, digits] = intText(a, base(p), control === 'x');
      return term(sign + prefix + digits, f, adj, undefined, pad);
    }
    case '+':
    case '#': {
      if (!isInteger(a)) bad();
      const bs = base(p);
      const [sign, digits] = intText(a, bs, control === '+');
      return term(sign + bs + '#' + digits, f, adj, undefined, pad);
    }
    case 'c': {
      if (!isInteger(a)) bad();
      const c = enc === 'unicode' ? Number(a) : Number(toBigInt(a as number | bigint) & 255n);
      return char(c, f, adj, p, pad);
    }
    case '~':
      return char(TILDE, f, adj, p, pad);
    case 'n':
      if (f === undefined) return '\n';
      if (adj === 'left') bad();
      return '\n'.repeat(f);
    case 'i':
      return '';
  }
  return bad();
}

/** The column after writing d from column i (tabs stop every 8 columns), read in place. */
function indentation(d: Deep, i: number): number {
  if (typeof d === 'string') {
    for (let k = 0; k < d.length; k++) {
      const c = d.charCodeAt(k);
      // the second half of a surrogate pair is the same character as the first
      if (c >= 0xdc00 && c <= 0xdfff && k > 0 && (d.charCodeAt(k - 1) & 0xfc00) === 0xd800) continue;
      i = c === 10 ? 0 : c === 9 ? Math.floor((i + 8) / 8) * 8 : i + 1;
    }
    return i;
  }
  for (let k = 0; k < d.length; k++) {
    const e = d[k]!;
    if (typeof e === 'number') i = e === 10 ? 0 : e === 9 ? Math.floor((i + 8) / 8) * 8 : i + 1;
    else i = indentation(e, i);
  }
  return i;
}

/** Directives io_lib_format leaves for its second pass; their results keep their shape. */
function isLimited(d: Directive): boolean {
  return 'wWpP'.includes(d.control) || (d.control === 's' && !(d.args[0] instanceof Atom));
}

/**
 * The deep list io_lib:format returns for a scanned format: characters as codes, and one
 * sublist for each ~w ~W ~p ~P ~s (other directives are spliced in as characters).
 */
export function buildDeep(items: FormatItem[], opts?: PrintOptions): Deep {
  // ~p and ~P need the column they start at; everything else is expanded first
  const small: Array<number | Directive> = [];
  for (const it of items) {
    if (typeof it === 'number') {
      if (it < 0 || it > 0x10ffff) bad();
      small.push(it);
    } else if (isLimited(it)) small.push(it);
    else for (const ch of flatten(expand(it, 0, opts))) small.push(ch.codePointAt(0)!);
  }
  // the column matters only to a ~p or ~P still to come: after the last, it is not counted
  let last = -1;
  for (let i = 0; i < small.length; i++) {
    const it = small[i];
    if (typeof it !== 'number' && (it.control === 'p' || it.control === 'P')) last = i;
  }
  const out: DeepList = [];
  let col = 0;
  for (let i = 0; i < small.length; i++) {
    const it = small[i];
    if (typeof it === 'number') {
      out.push(it);
      col = it === 10 ? 0 : it === 9 ? Math.floor((col + 8) / 8) * 8 : col + 1;
    } else {
      const s = expand(it, col, opts);
      out.push(s);
      if (i < last) col = indentation(s, col);
    }
  }
  return out;
}

/** Text of a scanned format. Throws the formatter's own error when an argument does not fit. */
export function buildText(items: FormatItem[], opts?: PrintOptions): string {
  return flatten(buildDeep(items, opts));
}

/** The argument list as an array, or undefined when it is not a proper list. */
function argArray(args: Term[] | Term): Term[] | undefined {
  return Array.isArray(args) ? args : listToArray(args as Term);
}

/**
 * io_lib:format(Format, Args). Format is a JS string, a char list, a binary or an atom;
 * Args a JS array or an Erlang list. Throws error:badarg (in io_lib:format/2) when they do not fit.
 */
export function format(fmt: string | Term, args: Term[] | Term, opts?: PrintOptions): string {
  return flatten(formatDeep(fmt, args, opts));
}

/**
 * io_lib:format(Format, Args) as the deep list OTP returns: io_lib:format("a~wb", [1]) is
 * [97,"1",98]. Convert with deepToTerm (deep.ts) for an Erlang term.
 */
export function formatDeep(fmt: string | Term, args: Term[] | Term, opts?: PrintOptions): Deep {
  try {
    const arr = argArray(args);
    if (arr === undefined) bad();
    return buildDeep(scanFormat(fmt, arr!), opts);
  } catch (e) {
    if (e instanceof Bad || e instanceof RangeError) {
      throw formatBadarg(fmt, args);
    }
    throw e;
  }
}

function formatBadarg(fmt: string | Term, args: Term[] | Term): ErlangException {
  const fmtTerm = typeof fmt === 'string' ? charlist(fmt) : fmt;
  const argsTerm = Array.isArray(args) ? listOf(args) : args;
  return badarg('io_lib', 'format', [fmtTerm, argsTerm]);
}

function listOf(items: Term[]): Term {
  let l: Term = NIL;
  for (let i = items.length - 1; i >= 0; i--) l = new List(items[i], l);
  return l;
}

/** Whether format would succeed (for callers that report errors their own way, as io:format does). */
export function tryFormat(fmt: string | Term, args: Term[] | Term, opts?: PrintOptions): string | undefined {
  try {
    const arr = argArray(args);
    if (arr === undefined) return undefined;
    return buildText(scanFormat(fmt, arr), opts);
  } catch (e) {
    if (e instanceof Bad || e instanceof RangeError) return undefined;
    throw e;
  }
}
