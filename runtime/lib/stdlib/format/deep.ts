// Deep character lists, shaped as OTP's io_lib builds them.
//
// io_lib:format("a~wb", [1]) returns [97,"1",98], not "a1b"; the shell shows that shape, so the
// printers build the same nesting: a Deep is a JS string (a flat list of characters) or an
// array of elements, each a character code or a Deep sublist. Erlang's [H | T] with a list
// tail T is the array [H, ...T]: T's elements are spliced in (see tail()).

import { List, NIL, Term } from '../../../vm/term.js';

export type Deep = string | DeepList;
export type DeepList = Array<number | Deep>;

/** The elements of a list used as the tail of a cons: [a, b | T]. */
export function tail(t: Deep): Array<number | Deep> {
  if (typeof t !== 'string') return t;
  const out: number[] = [];
  for (const ch of t) out.push(ch.codePointAt(0)!);
  return out;
}

/** The characters of a deep list as a JS string. */
export function flatten(d: Deep): string {
  if (typeof d === 'string') return d;
  // characters gather as codes and become text a run at a time (adding one character at a time
  // to a string makes a piece of memory for each); a short text's codes go in an array of its size
  const n = unitCount(d);
  if (n <= RUN) {
    const codes = new Array<number>(n);
    fillCodes(d, codes, 0);
    return String.fromCharCode.apply(null, codes);
  }
  const parts: string[] = [];
  const codes: number[] = [];
  flattenInto(d, parts, codes);
  if (codes.length > 0) parts.push(String.fromCharCode.apply(null, codes));
  return parts.length === 1 ? parts[0] : parts.join('');
}

/** The UTF-16 code units of a deep list's text. */
function unitCount(x: DeepList): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const e = x[i]!;
    if (typeof e === 'number') n += e < 0x10000 ? 1 : 2;
    else if (typeof e === 'string') n += e.length;
    else n += unitCount(e);
  }
  return n;
}

function fillCodes(x: DeepList, codes: number[], at: number): number {
  for (let i = 0; i < x.length; i++) {
    const e = x[i]!;
    if (typeof e === 'number') {
      if (e < 0x10000) codes[at++] = e;
      else if (e <= 0x10ffff) {
        codes[at++] = 0xd7c0 + (e >> 10);
        codes[at++] = 0xdc00 + (e & 0x3ff);
      } else String.fromCodePoint(e); // not a character: the RangeError the callers turn into badarg
    } else if (typeof e === 'string') for (let j = 0; j < e.length; j++) codes[at++] = e.charCodeAt(j);
    else at = fillCodes(e, codes, at);
  }
  return at;
}

/** A string this long or longer joins the text as it is; shorter ones are copied as codes. */
const LONG = 64;
/** Codes become text at most this many at a time (the arguments of one call). */
const RUN = 8192;

function flattenInto(x: DeepList, parts: string[], codes: number[]): void {
  for (let i = 0; i < x.length; i++) {
    const e = x[i]!;
    if (typeof e === 'number') {
      if (e < 0x10000) codes.push(e);
      else if (e <= 0x10ffff) codes.push(0xd7c0 + (e >> 10), 0xdc00 + (e & 0x3ff));
      else String.fromCodePoint(e); // not a character: the RangeError the callers turn into badarg
    } else if (typeof e === 'string') {
      if (e.length >= LONG) {
        if (codes.length > 0) takeCodes(parts, codes);
        parts.push(e);
        continue;
      }
      for (let j = 0; j < e.length; j++) codes.push(e.charCodeAt(j));
    } else {
      flattenInto(e, parts, codes);
      continue;
    }
    if (codes.length >= RUN) takeCodes(parts, codes);
  }
}

function takeCodes(parts: string[], codes: number[]): void {
  parts.push(String.fromCharCode.apply(null, codes));
  codes.length = 0;
}

/** The Erlang term of a deep list. */
export function deepToTerm(d: Deep): Term {
  if (typeof d === 'string') {
    const cps: number[] = [];
    for (const ch of d) cps.push(ch.codePointAt(0)!);
    let l: Term = NIL;
    for (let i = cps.length - 1; i >= 0; i--) l = new List(cps[i], l);
    return l;
  }
  let l: Term = NIL;
  for (let i = d.length - 1; i >= 0; i--) {
    const e = d[i];
    l = new List(typeof e === 'number' ? e : deepToTerm(e), l);
  }
  return l;
}

/** Code point of a one-character string. */
export function cp(c: string): number {
  return c.codePointAt(0)!;
}

/** io_lib_pretty's chars/2: N copies of C, built by halving (no clause for 1). */
export function prettyChars(c: number, n: number): DeepList {
  if (n === 0) return [];
  if (n === 2) return [c, c];
  if (n === 3) return [c, c, c];
  const s = prettyChars(c, n >> 1);
  return n % 2 === 0 ? [s, ...s] : [c, s, ...s];
}

/** io_lib_format's chars/2: as prettyChars, with [C] for one. */
export function formatChars(c: number, n: number): DeepList {
  if (n <= 0) return [];
  if (n === 1) return [c];
  if (n === 2) return [c, c];
  if (n === 3) return [c, c, c];
  const s = formatChars(c, n >> 1);
  return n % 2 === 0 ? [s, ...s] : [c, s, ...s];
}
