// Characters as Erlang writes them: quoted atoms, string literals, printable lists.
// The rules follow io_lib (write_atom, write_string, printable_*_list).

import { Atom, List, NIL, Term } from '../../../vm/term.js';

/** Output encoding of a print: latin1 (~p, ~w) escapes atom characters above 255. */
export type Encoding = 'unicode' | 'latin1';

/**
 * io_lib:chars_length/1: the number of characters when all are latin1 (an iolist), else the
 * number of grapheme clusters (string:length/1), so "e\u0301" counts once.
 */
export function charsLength(s: string): number {
  if (isLatin1(s)) return s.length;
  let n = 0;
  for (const _ of graphemes().segment(s)) n++;
  return n;
}

/** No character above 255? (a loop: it runs on every piece of text ~p measures) */
export function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

let segmenter: Intl.Segmenter | undefined;
function graphemes(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  return segmenter;
}

/** Number of characters (code points) in a JS string: Erlang's length/1 of the char list. */
export function charLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--; // the second half of a surrogate pair
  }
  return n;
}

const RESERVED = new Set([
  'after', 'begin', 'case', 'try', 'cond', 'catch', 'andalso', 'orelse', 'end', 'fun', 'if', 'let', 'of',
  'receive', 'when', 'bnot', 'not', 'div', 'rem', 'band', 'and', 'bor', 'bxor', 'bsl', 'bsr', 'or', 'xor',
]);

function isLowerStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0xdf && c <= 0xff && c !== 0xf7);
}

function isNameChar(c: number): boolean {
  return (
    isLowerStart(c) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0xc0 && c <= 0xde && c !== 0xd7) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x40
  );
}

/** Must this atom's text be written in single quotes? */
export function atomNeedsQuotes(name: string): boolean {
  // read by code units: half of a surrogate pair is no name character, as the whole pair is none
  if (name.length === 0 || !isLowerStart(name.charCodeAt(0))) return true;
  for (let i = 1; i < name.length; i++) if (!isNameChar(name.charCodeAt(i))) return true;
  return RESERVED.has(name);
}

/**
 * How a string-literal character is written. `latin1Out` escapes characters above 255 as \x{HEX}
 * (io_lib's "as latin1" writers); otherwise characters from 160 up are written as they are.
 */
function quotedChar(c: number, quote: number, latin1Out: boolean): string {
  if (c === quote) return '\\' + String.fromCodePoint(c);
  if (c === 0x5c) return '\\\\';
  if (c >= 0x20 && c <= 0x7e) return String.fromCodePoint(c);
  if (c >= 0xa0) {
    if (!latin1Out || c <= 0xff) return String.fromCodePoint(c);
    return '\\x{' + c.toString(16).toUpperCase() + '}';
  }
  switch (c) {
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x1b:
      return '\\e';
    case 0x7f:
      return '\\d';
  }
  // other control characters as three octal digits
  return '\\' + ((c >> 6) & 7) + ((c >> 3) & 7) + (c & 7);
}

/** A quoted literal of code points: "..." or '...'. */
export function quoteChars(cps: Iterable<number>, quote: '"' | "'", latin1Out = false): string {
  const q = quote.charCodeAt(0);
  // gathered as codes and made text a run at a time, not a string grown a character at a time
  let s = '';
  const codes: number[] = [q];
  for (const c of cps) {
    if ((c >= 0x20 && c <= 0x7e && c !== q && c !== 0x5c) || (c >= 0xa0 && c <= (latin1Out ? 0xff : 0xffff))) codes.push(c);
    else {
      const t = quotedChar(c, q, latin1Out);
      for (let i = 0; i < t.length; i++) codes.push(t.charCodeAt(i));
    }
    if (codes.length >= 8192) {
      s += String.fromCharCode.apply(null, codes);
      codes.length = 0;
    }
  }
  codes.push(q);
  return s + String.fromCharCode.apply(null, codes);
}

/** An atom as written by ~w/~p: quoted when needed ('hello-world', 'Cap', ''). */
export function writeAtom(a: Atom, enc: Encoding = 'unicode'): string {
  const name = a.name;
  if (!atomNeedsQuotes(name)) return name;
  return quoteChars(codePoints(name), "'", enc === 'latin1');
}

export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** io_lib:write_string/1: a string literal, characters from 160 up written as they are. */
export function writeString(cps: Iterable<number>): string {
  return quoteChars(cps, '"');
}

export function isPrintableLatin1Char(c: number): boolean {
  return (
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0xff) ||
    c === 0x0a ||
    c === 0x0d ||
    c === 0x09 ||
    c === 0x0b ||
    c === 0x08 ||
    c === 0x0c ||
    c === 0x1b
  );
}

export function isPrintableUnicodeChar(c: number): boolean {
  return (
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c < 0xd800) ||
    (c > 0xdfff && c < 0xfffe) ||
    (c > 0xffff && c <= 0x10ffff) ||
    c === 0x0a ||
    c === 0x0d ||
    c === 0x09 ||
    c === 0x0b ||
    c === 0x08 ||
    c === 0x0c ||
    c === 0x1b
  );
}

/**
 * The code points of a proper list of characters for which `ok` holds, or undefined.
 * The empty list is printable (io_lib:printable_list([]) is true).
 */
export function printableChars(t: Term, ok: (c: number) => boolean): number[] | undefined {
  const out: number[] = [];
  while (t instanceof List) {
    const h = t.head;
    if (typeof h !== 'number' || !ok(h)) return undefined;
    out.push(h);
    t = t.tail;
  }
  return t === NIL ? out : undefined;
}

/** io_lib:printable_list/1 under the given printable range (+pc). */
export function printableList(t: Term, range: Encoding): number[] | undefined {
  return printableChars(t, range === 'unicode' ? isPrintableUnicodeChar : isPrintableLatin1Char);
}

/** n spaces */
export function spaces(n: number): string {
  return n > 0 ? ' '.repeat(n) : '';
}
