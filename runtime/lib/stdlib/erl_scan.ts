// Module erl_scan (stdlib): the scanner as a library, on terl's own scanner (src/scan.ts, reached
// through the language hook). string/1,2,3 scan a whole text; tokens/3,4 are re-entrant, taking
// text as it comes until a form's dot (io:read and get_until feed it line by line); the token
// accessors read the tokens' annotations. Errors are {error, {Location, erl_scan, Descriptor},
// EndLocation}, formatted by format_error/1 as erl_scan's are.

import { Atom, Fun, List, NIL, Term, Tuple, atom, charlist, list, listToString, tuple, TRUE, FALSE } from '../../vm/term.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { callFun } from '../../vm/abi.js';
import { bumpReductions } from '../../vm/scheduler.js';
import type { ScanResult, Token } from '../../../src/scan.js';
import { language } from '../language.js';
import { fnClause, str } from '../common.js';
import { quoteChars } from './format/chars.js';
import { writeTerm } from './format/term.js';
import { annoParts, locationTerm, scanDescTerm, tokenTerm, type AnnoStyle } from './erl_tokens.js';

const M = 'erl_scan';
const A = {
  ok: atom('ok'),
  error: atom('error'),
  eof: atom('eof'),
  done: atom('done'),
  more: atom('more'),
  erl_scan: atom('erl_scan'),
  cont: atom('erl_scan_continuation'),
  string: atom('string'),
  illegal: atom('illegal'),
  base: atom('base'),
  char: atom('char'),
  undefined: atom('undefined'),
  text: atom('text'),
  return: atom('return'),
  return_white_spaces: atom('return_white_spaces'),
  return_comments: atom('return_comments'),
  reserved_word_fun: atom('reserved_word_fun'),
};

/** The words erl_scan:reserved_word/1 knows in OTP 25 (without the maybe feature). */
const RESERVED = new Set([
  'after', 'begin', 'case', 'try', 'cond', 'catch', 'andalso', 'orelse', 'end', 'fun', 'if', 'let', 'of',
  'receive', 'when', 'bnot', 'not', 'div', 'rem', 'band', 'and', 'bor', 'bxor', 'bsl', 'bsr', 'or', 'xor',
]);

interface Options {
  text: boolean;
  whiteSpace: boolean;
  comments: boolean;
  reservedFun?: Fun;
}

/** Options: one option or a list of them; undefined when one is not an option. */
function options(t: Term): Options | undefined {
  const o: Options = { text: false, whiteSpace: false, comments: false };
  const xs: Term[] = [];
  if (t instanceof Atom || t instanceof Tuple) xs.push(t);
  else {
    let l: Term = t;
    for (; l instanceof List; l = l.tail) xs.push(l.head);
    if (l !== NIL) return undefined;
  }
  for (const x of xs) {
    if (x === A.text) o.text = true;
    else if (x === A.return) o.whiteSpace = o.comments = true;
    else if (x === A.return_white_spaces) o.whiteSpace = true;
    else if (x === A.return_comments) o.comments = true;
    else if (x instanceof Tuple && x.elements.length === 2 && x.elements[0] === A.reserved_word_fun && x.elements[1] instanceof Fun) {
      o.reservedFun = x.elements[1];
    } else if (!(x instanceof Atom)) return undefined;
  }
  return o;
}

/** A start location: Line, or {Line, Col} (then every location has a column). */
function startOf(t: Term): { line: number; col: number; columns: boolean } | undefined {
  if (typeof t === 'number') return { line: t, col: 1, columns: false };
  if (t instanceof Tuple && t.elements.length === 2 && typeof t.elements[0] === 'number' && typeof t.elements[1] === 'number' && t.elements[1] >= 1) {
    return { line: t.elements[0], col: t.elements[1], columns: true };
  }
  return undefined;
}

/** The reserved-word test a reserved_word_fun makes: asked once for each name the tokens hold. */
function* reservedTest(fn: Fun | undefined, tokens: Token[]): Generator<unknown, ((name: string) => boolean) | undefined, unknown> {
  if (fn === undefined) return undefined;
  const answers = new Map<string, boolean>();
  for (const t of tokens) {
    const name = t.kind === 'atom' ? (t.text[0] === "'" ? undefined : t.text) : t.kind === t.text && /^[a-z]+$/.test(t.kind) ? t.kind : undefined;
    if (name === undefined || answers.has(name)) continue;
    answers.set(name, (yield* callFun(fn, [atom(name)])) === TRUE);
  }
  return (name) => answers.get(name) ?? false;
}

function* tokenList(tokens: Token[], style: AnnoStyle, opts: Options): Generator<unknown, Term, unknown> {
  const reserved = yield* reservedTest(opts.reservedFun, tokens);
  return list(tokens.map((t) => tokenTerm(t, style, reserved)));
}

/** The scan, charged to the caller a reduction a character and a token, as OTP's scanner (Erlang) costs about. */
function scanText(text: string, start: { line: number; col: number }, opts: Options): ScanResult {
  const r = language().scanText(text, { line: start.line, col: start.col, whiteSpace: opts.whiteSpace, comments: opts.comments });
  bumpReductions(text.length + r.tokens.length);
  return r;
}

// ---------- string/1,2,3 ----------

function* string(s: Term, loc: Term, opts: Term): Generator<unknown, Term, unknown> {
  const text = s === NIL ? '' : listToString(s);
  const start = startOf(loc);
  const o = options(opts);
  if (text === undefined || start === undefined || o === undefined) throw fnClause(M, 'string', [s, loc, opts], 156);
  const style = { columns: start.columns, text: o.text };
  const at = (line: number, col: number): Term => locationTerm(line, col, start.columns);
  const r = scanText(text, start, o);
  const e = r.errors[0];
  if (e !== undefined) return tuple(A.error, tuple(at(e.line, e.col), A.erl_scan, scanDescTerm(e.desc)), at(e.resumeLine, e.resumeCol));
  return tuple(A.ok, yield* tokenList(r.tokens, style, o), at(r.endLine, r.endCol));
}

defineGenBif(M, 'string', 1, function* (s: Term) {
  return yield* string(s, 1, NIL);
});
defineGenBif(M, 'string', 2, function* (s: Term, loc: Term) {
  return yield* string(s, loc, NIL);
});
defineGenBif(M, 'string', 3, function* (s: Term, loc: Term, opts: Term) {
  return yield* string(s, loc, opts);
});

// ---------- tokens/3,4: re-entrant scanning up to a dot ----------

/**
 * The continuation keeps the text taken so far (not yet ending in a form), as the pieces it came
 * in, the newest first, with the start location and the options: a call whose text cannot end the
 * form just adds its piece; one that can scans all of it again.
 */
function continuation(pieces: Term, loc: Term, opts: Term): Term {
  return tuple(A.cont, pieces, loc, opts);
}

/** The text of the pieces (newest first). */
function piecesText(pieces: Term): string {
  const parts: string[] = [];
  for (let l = pieces; l instanceof List; l = l.tail) parts.push(listToString(l.head) ?? '');
  return parts.reverse().join('');
}

/** Does the newest piece end with a dot (which the next character decides about)? */
function endsWithDot(pieces: Term): boolean {
  if (!(pieces instanceof List)) return false;
  let last: Term = NIL;
  for (let l = pieces.head; l instanceof List; l = l.tail) last = l.head;
  return last === 0x2e;
}

function* tokens(cont: Term, chars: Term, loc0: Term, opts0: Term): Generator<unknown, Term, unknown> {
  let pieces: Term = NIL;
  let loc = loc0;
  let opts = opts0;
  if (cont instanceof Tuple && cont.elements.length === 4 && cont.elements[0] === A.cont) {
    pieces = cont.elements[1];
    loc = cont.elements[2];
    opts = cont.elements[3];
  } else if (cont !== NIL) throw fnClause(M, 'tokens', [cont, chars, loc0, opts0], 235);
  const atEof = chars === A.eof;
  const more = atEof ? '' : chars === NIL ? '' : listToString(chars);
  const start = startOf(loc);
  const o = options(opts);
  if (more === undefined || start === undefined || o === undefined) throw fnClause(M, 'tokens', [cont, chars, loc0, opts0], 235);
  // no dot can end here and nothing new can be a scan error: wait for more without scanning it all again
  if (!atEof && pieces !== NIL && !endsWithDot(pieces) && cannotEndOrFail(more)) return tuple(A.more, continuation(new List(chars, pieces), loc, opts));
  const text = piecesText(pieces) + more;
  const style = { columns: start.columns, text: o.text };
  const at = (line: number, col: number): Term => locationTerm(line, col, start.columns);
  const r = scanText(text, start, o);
  const dotIndex = r.tokens.findIndex((t) => t.kind === 'dot');
  const e = r.errors[0];
  // an error before the first dot ends the form, unless more text could still make it right
  if (e !== undefined && (dotIndex < 0 || e.tokenIndex <= dotIndex)) {
    const mayGrow = e.atEnd || e.resume >= text.length;
    if (!mayGrow || atEof) {
      const rest = atEof ? A.eof : charlist(text.slice(e.resume));
      return tuple(A.done, tuple(A.error, tuple(at(e.line, e.col), A.erl_scan, scanDescTerm(e.desc)), at(e.resumeLine, e.resumeCol)), rest);
    }
    return tuple(A.more, continuation(list([charlist(text)]), loc, opts));
  }
  if (dotIndex >= 0) {
    const dot = r.tokens[dotIndex];
    const dotEnd = indexAfter(text, start, dot) + dot.text.length;
    // a dot at the very end may yet be the start of something longer ("1." then "5")
    if (dotEnd < text.length || dot.text.length > 1 || atEof) {
      const after = r.afterDot.get(dotIndex)!;
      const toks = yield* tokenList(r.tokens.slice(0, dotIndex + 1), style, o);
      const rest = dotEnd >= text.length && atEof ? A.eof : charlist(text.slice(dotEnd));
      return tuple(A.done, tuple(A.ok, toks, at(after.line, after.col)), rest);
    }
  }
  if (!atEof) return tuple(A.more, continuation(list([charlist(text)]), loc, opts));
  const end = at(r.endLine, r.endCol);
  if (r.tokens.length === 0) return tuple(A.done, tuple(A.eof, end), A.eof);
  return tuple(A.done, tuple(A.ok, yield* tokenList(r.tokens, style, o), end), A.eof);
}

/**
 * Text that holds no dot and nothing erl_scan could refuse (escapes, $, bases, quoted atoms'
 * ends, characters beyond Latin-1, names too long): appending it cannot finish a form or fail one.
 */
function cannotEndOrFail(chunk: string): boolean {
  if (chunk.length >= 200) return false;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c > 0xff || c === 0x2e || c === 0x5c || c === 0x24 || c === 0x23 || c === 0x27) return false;
  }
  return true;
}

/** The index in `text` where a token starts, found from its line and column. */
function indexAfter(text: string, start: { line: number; col: number }, t: Token): number {
  let i = 0;
  let line = start.line;
  let col = start.col;
  while (i < text.length && (line < t.line || (line === t.line && col < t.col))) {
    const c = text.codePointAt(i)!;
    i += c > 0xffff ? 2 : 1;
    if (c === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return i;
}

defineGenBif(M, 'tokens', 3, function* (cont: Term, chars: Term, loc: Term) {
  return yield* tokens(cont, chars, loc, NIL);
});
defineGenBif(M, 'tokens', 4, function* (cont: Term, chars: Term, loc: Term, opts: Term) {
  return yield* tokens(cont, chars, loc, opts);
});

// ---------- words and errors ----------

defineBif(M, 'reserved_word', 1, (a: Term) => {
  if (!(a instanceof Atom)) throw fnClause(M, 'reserved_word', [a], 1183);
  return RESERVED.has(a.name) ? TRUE : FALSE;
});

/** erl_scan:format_error/1: the text of an error descriptor. */
export function scanErrorText(d: Term): string {
  if (d === A.char) return 'unterminated character';
  if (d instanceof Tuple) {
    const [tag, a, b] = d.elements;
    if (tag === A.string && d.elements.length === 3 && typeof a === 'number') {
      return `unterminated ${a === 39 ? 'atom' : 'string'} starting with ${quoteChars(listChars(b), String.fromCodePoint(a) === "'" ? "'" : '"')}`;
    }
    if (tag === A.illegal && d.elements.length === 2) return `illegal ${writeTerm(a)}`;
    if (tag === A.base && d.elements.length === 2) return `illegal base '${writeTerm(a)}'`;
  }
  return writeTerm(d);
}

function listChars(t: Term): number[] {
  const out: number[] = [];
  for (let l = t; l instanceof List; l = l.tail) if (typeof l.head === 'number') out.push(l.head);
  return out;
}

defineBif(M, 'format_error', 1, (d: Term) => str(scanErrorText(d)));

// ---------- the token accessors ----------

function parts(t: Term, fn: string): { cat: Term; anno: NonNullable<ReturnType<typeof annoParts>>; sym: Term } {
  if (t instanceof Tuple && (t.elements.length === 2 || t.elements.length === 3)) {
    const anno = annoParts(t.elements[1]);
    if (anno !== undefined) return { cat: t.elements[0], anno, sym: t.elements.length === 3 ? t.elements[2] : t.elements[0] };
  }
  throw fnClause(M, fn, [t], 0);
}

defineBif(M, 'category', 1, (t: Term) => parts(t, 'category').cat);
defineBif(M, 'symbol', 1, (t: Term) => parts(t, 'symbol').sym);
defineBif(M, 'line', 1, (t: Term) => parts(t, 'line').anno.line);
defineBif(M, 'column', 1, (t: Term) => parts(t, 'column').anno.col ?? A.undefined);
defineBif(M, 'location', 1, (t: Term) => {
  const a = parts(t, 'location').anno;
  return a.col === undefined ? a.line : tuple(a.line, a.col);
});
defineBif(M, 'text', 1, (t: Term) => {
  const a = parts(t, 'text').anno;
  return a.text === undefined ? A.undefined : charlist(a.text);
});
/** Where the token's text ends: known only when the token carries its text. */
defineBif(M, 'end_location', 1, (t: Term) => {
  const a = parts(t, 'end_location').anno;
  if (a.text === undefined) return A.undefined;
  const lines = a.text.split('\n');
  const line = a.line + lines.length - 1;
  if (a.col === undefined) return line;
  const last = [...lines[lines.length - 1]].length;
  return tuple(line, lines.length === 1 ? a.col + last : last + 1);
});
