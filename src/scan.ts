// The scanner: source text → tokens, following erl_scan (OTP 25) character by character,
// including where it reports errors and where it resumes after one.

import { normInt } from '../runtime/vm/term.js';
import { isNameChar, isReservedWord, writeString } from './token_text.js';
import { ErlSyntaxError } from '../runtime/lib/language.js';

export interface Token {
  /** 'integer' | 'float' | 'char' | 'string' | 'atom' | 'var' | 'dot' | punctuation or keyword text like '(' '->' 'case' */
  kind: string;
  /** integer: number | bigint; float: number; char: code point; string: the characters; atom/var: the name */
  value?: unknown;
  /** the token's source text */
  text: string;
  line: number;
  col: number;
}

/**
 * A scan, parse or preprocessor error: erl prints it as `${line}:${col}: ${reason}`. The class lives
 * with the library's view of the language (runtime/lib/language.ts), which catches it.
 */
export { ErlSyntaxError };

/** What went wrong, as erl_scan's ErrorDescriptor says it ({illegal, What}, {string, Quote, Head}, char, {base, B}). */
export type ScanDesc =
  | { illegal: 'atom' | 'var' | 'float' | 'integer' | 'character' }
  | { unterminated: 'string' | 'atom'; head: number[] }
  | 'char'
  | { base: bigint };

/** erl_scan:format_error/1 of a descriptor. */
export function scanReason(d: ScanDesc): string {
  if (d === 'char') return 'unterminated character';
  if ('illegal' in d) return `illegal ${d.illegal}`;
  if ('base' in d) return `illegal base '${d.base}'`;
  return `unterminated ${d.unterminated} starting with ${writeString(d.head, d.unterminated === 'string' ? C.DQ : C.SQ)}`;
}

/** A scan error found while scanning in recovering mode (as epp does: report, then scan on from `resume`). */
export interface ScanError {
  line: number;
  col: number;
  reason: string;
  desc: ScanDesc;
  /** where scanning resumes after it (an index into the text, and its line and column) */
  resume: number;
  resumeLine: number;
  resumeCol: number;
  /** how many tokens had been produced when the error was found */
  tokenIndex: number;
  /** the error was only that the text ended (unterminated string, quoted atom or character) */
  atEnd: boolean;
}

export interface ScanResult {
  tokens: Token[];
  errors: ScanError[];
  /** where scanning stopped */
  endLine: number;
  endCol: number;
  /** for each dot token (by index): where the scanner stands after it (a dot takes the white space character after it along) */
  afterDot: Map<number, { line: number; col: number }>;
}

/** Where scanning starts, and whether white space and comments become tokens too (erl_scan's return_white_spaces, return_comments). */
export interface ScanOptions {
  line?: number;
  col?: number;
  whiteSpace?: boolean;
  comments?: boolean;
}

/** Scan the whole text; throws ErlSyntaxError at the first error, like erl_scan:string/2. */
export function scan(source: string, opts?: ScanOptions): Token[] {
  const r = new Scanner(source, opts ?? {}, false).run();
  return r.tokens;
}

/** Scan the whole text, collecting errors and resuming after each, like epp reading a file form by form. */
export function scanRecovering(source: string, opts?: ScanOptions): ScanResult {
  return new Scanner(source, opts ?? {}, true).run();
}

/**
 * True when the text typed so far is ready for the shell: a '.' token followed by white space, a
 * comment or the end (outside strings, quoted atoms and comments), or a scan error that more input
 * cannot repair (erl reports those at once).
 */
export function isCompleteInput(text: string): boolean {
  const r = scanRecovering(text);
  if (r.tokens.some((t) => t.kind === 'dot')) return true;
  return r.errors.some((e) => !e.atEnd);
}

const enum C {
  NL = 0x0a,
  DQ = 0x22,
  SQ = 0x27,
  BS = 0x5c,
}

function isWhite(c: number): boolean {
  return (c >= 0 && c <= 0x20) || (c >= 0x80 && c <= 0xa0);
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isOct(c: number): boolean {
  return c >= 0x30 && c <= 0x37;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
/** A code point erl_scan accepts in text (no surrogates, no U+FFFE/U+FFFF). */
function isUnicode(c: number): boolean {
  return (c >= 0 && c < 0xd800) || (c > 0xdfff && c < 0xfffe) || (c > 0xffff && c <= 0x10ffff);
}
function isLowerStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0xdf && c <= 0xff && c !== 0xf7);
}
function isUpperStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || c === 0x5f || (c >= 0xc0 && c <= 0xde && c !== 0xd7);
}
function digitValue(c: number): number {
  if (isDigit(c)) return c - 0x30;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 10;
  return 99;
}

const ESCAPES: Record<number, number> = {
  0x6e: 10, // \n
  0x72: 13, // \r
  0x74: 9, // \t
  0x76: 11, // \v
  0x62: 8, // \b
  0x66: 12, // \f
  0x65: 27, // \e
  0x73: 32, // \s
  0x64: 127, // \d
};

const PUNCT3 = ['=:=', '=/=', '...'];
const MULTI_START = new Set([0x3d, 0x3f, 0x3c, 0x3e, 0x2d, 0x2b, 0x2f, 0x7c, 0x3a, 0x2e]); // = ? < > - + / | : .
const PUNCT2 = new Set(['?=', '<<', '<-', '<=', '>>', '>=', '->', '--', '++', '=<', '=>', '==', '/=', '||', ':=', '::', '..']);

/** An error while scanning one token: where erl reports it and where scanning resumes. */
class TokenError {
  constructor(
    readonly line: number,
    readonly col: number,
    readonly desc: ScanDesc,
    /** index into the source where scanning resumes */
    readonly resume: number,
    readonly resumeLine: number,
    readonly resumeCol: number,
    readonly atEnd = false,
  ) {}
}

/** The outcome of reading an escape sequence after a backslash. */
type Escape =
  | { kind: 'ok'; value: number; end: number; newline: boolean }
  | { kind: 'error'; resume: number }
  | { kind: 'eof' };

class Scanner {
  private i = 0;
  private line: number;
  private col: number;
  private readonly n: number;
  private readonly tokens: Token[] = [];
  private readonly errors: ScanError[] = [];
  private readonly afterDot = new Map<number, { line: number; col: number }>();

  private readonly keep: { whiteSpace: boolean; comments: boolean };

  constructor(
    private readonly src: string,
    opts: ScanOptions,
    private readonly recover: boolean,
  ) {
    this.line = opts.line ?? 1;
    this.col = opts.col ?? 1;
    this.n = src.length;
    this.keep = { whiteSpace: opts.whiteSpace ?? false, comments: opts.comments ?? false };
  }

  run(): ScanResult {
    while (this.i < this.n) {
      const err = this.token();
      if (err) {
        const reason = scanReason(err.desc);
        if (!this.recover) throw new ErlSyntaxError(err.line, err.col, reason);
        this.errors.push({
          line: err.line, col: err.col, reason, desc: err.desc, resume: err.resume, resumeLine: err.resumeLine, resumeCol: err.resumeCol,
          tokenIndex: this.tokens.length, atEnd: err.atEnd,
        });
        this.i = err.resume;
        this.line = err.resumeLine;
        this.col = err.resumeCol;
      }
    }
    return { tokens: this.tokens, errors: this.errors, endLine: this.line, endCol: this.col, afterDot: this.afterDot };
  }

  private cp(at: number): number {
    return at < this.n ? this.src.codePointAt(at)! : -1;
  }
  private static width(c: number): number {
    return c > 0xffff ? 2 : 1;
  }

  private push(kind: string, start: number, line: number, col: number, value?: unknown): void {
    const t: Token = { kind, text: this.src.slice(start, this.i), line, col };
    if (value !== undefined) t.value = value;
    this.tokens.push(t);
  }

  /** Scan one token (or skip white space / a comment); returns an error instead of throwing. */
  private token(): TokenError | undefined {
    const c = this.cp(this.i);
    if (this.keep.whiteSpace && isWhite(c)) return this.whiteSpace(c);
    if (c === C.NL) {
      this.i++;
      this.line++;
      this.col = 1;
      return;
    }
    if (isWhite(c)) {
      this.i++;
      this.col++;
      return;
    }
    if (isLowerStart(c)) return this.name(false);
    if (isUpperStart(c)) return this.name(true);
    if (isDigit(c)) return this.number();
    if (c === 0x25) return this.comment();
    if (c === C.DQ || c === C.SQ) return this.quoted(c);
    if (c === 0x24) return this.char();
    if (c === 0x2e) return this.dotOrPeriod();
    return this.punctuation(c);
  }

  private name(isVar: boolean): TokenError | undefined {
    const start = this.i;
    const line = this.line;
    const col = this.col;
    let len = 0;
    while (this.i < this.n) {
      const c = this.src.charCodeAt(this.i);
      if (!isNameChar(c)) break;
      this.i++;
      len++;
    }
    this.col += len;
    const name = this.src.slice(start, this.i);
    if (len > 255) return new TokenError(line, col, { illegal: isVar ? 'var' : 'atom' }, this.i, this.line, this.col);
    if (isVar) this.push('var', start, line, col, name);
    else if (isReservedWord(name)) this.push(name, start, line, col);
    else this.push('atom', start, line, col, name);
    return;
  }

  /** White space as a token: a newline with the spaces (or the tabs) after it, or a run of other white space. */
  private whiteSpace(c: number): undefined {
    const start = this.i;
    const line = this.line;
    const col = this.col;
    if (c === C.NL) {
      this.i++;
      const indent = this.cp(this.i);
      if (indent === 0x20 || indent === 0x09) while (this.cp(this.i) === indent) this.i++;
      this.line++;
      this.col = 1 + (this.i - start - 1);
    } else {
      while (this.i < this.n && this.cp(this.i) !== C.NL && isWhite(this.cp(this.i))) this.i++;
      this.col += this.i - start;
    }
    this.push('white_space', start, line, col, this.src.slice(start, this.i));
    return;
  }

  private comment(): TokenError | undefined {
    const start = this.i;
    const line = this.line;
    const col = this.col;
    let k = 0;
    while (this.i < this.n) {
      const c = this.cp(this.i);
      if (c === C.NL) break;
      k++;
      if (!isUnicode(c)) {
        this.i += Scanner.width(c);
        return new TokenError(line, col, { illegal: 'character' }, this.i, line, col + k);
      }
      this.i += Scanner.width(c);
    }
    if (this.keep.comments) this.push('comment', start, line, col, this.src.slice(start, this.i));
    this.col += k;
    return;
  }

  /** Digits (with '_' only between two digits) from this.i; returns the digits without separators. */
  private digits(valid: (c: number) => boolean): string {
    let s = '';
    for (;;) {
      const c = this.src.charCodeAt(this.i);
      if (this.i < this.n && valid(c)) {
        s += this.src[this.i];
        this.i++;
      } else if (c === 0x5f && s !== '' && this.i + 1 < this.n && valid(this.src.charCodeAt(this.i + 1)) && valid(this.src.charCodeAt(this.i - 1))) {
        this.i++;
      } else return s;
    }
  }

  private number(): TokenError | undefined {
    const start = this.i;
    const line = this.line;
    const col = this.col;
    const ds = this.digits(isDigit);
    const c = this.cp(this.i);
    const endCol = (): number => col + (this.i - start);
    if (c === 0x2e && isDigit(this.cp(this.i + 1))) {
      // fraction, then an optional exponent
      this.i++;
      const frac = this.digits(isDigit);
      let text = ds + '.' + frac;
      let ok = true;
      const e = this.cp(this.i);
      if (e === 0x65 || e === 0x45) {
        this.i++;
        text += 'e';
        const s = this.cp(this.i);
        if (s === 0x2b || s === 0x2d) {
          this.i++;
          text += String.fromCharCode(s);
        }
        const exp = this.digits(isDigit);
        if (exp === '') ok = false;
        text += exp;
      }
      const v = ok ? Number(text) : NaN;
      if (!Number.isFinite(v)) {
        const ec = endCol();
        return new TokenError(line, col, { illegal: 'float' }, this.i, line, ec);
      }
      this.col = endCol();
      this.push('float', start, line, col, v);
      return;
    }
    if (c === 0x23) {
      const big = BigInt(ds);
      const base = Number(big);
      if (!(base >= 2 && base <= 36)) {
        return new TokenError(line, col, { base: big }, this.i, line, endCol());
      }
      this.i++;
      const bds = this.digits((d) => digitValue(d) < base);
      if (bds === '') return new TokenError(line, col, { illegal: 'integer' }, this.i, line, endCol());
      this.col = endCol();
      this.push('integer', start, line, col, parseInBase(bds, base));
      return;
    }
    this.col = endCol();
    this.push('integer', start, line, col, parseInBase(ds, 10));
    return;
  }

  private dotOrPeriod(): TokenError | undefined {
    const start = this.i;
    const line = this.line;
    const col = this.col;
    const next = this.cp(this.i + 1);
    if (next === 0x2e) {
      const three = this.cp(this.i + 2) === 0x2e;
      this.i += three ? 3 : 2;
      this.col += three ? 3 : 2;
      this.push(three ? '...' : '..', start, line, col);
      return;
    }
    if (next === -1 || next === 0x25 || isWhite(next)) {
      // the full stop ends a form; like erl_scan it takes the white space character after it along (and into its text)
      this.i++;
      if (next !== -1 && next !== 0x25) this.i++;
      this.push('dot', start, line, col);
      if (next === C.NL) {
        this.line++;
        this.col = 1;
      } else this.col += next !== -1 && next !== 0x25 ? 2 : 1;
      this.afterDot.set(this.tokens.length - 1, { line: this.line, col: this.col });
      return;
    }
    this.i++;
    this.col++;
    this.push('.', start, line, col);
    return;
  }

  private punctuation(c: number): TokenError | undefined {
    const start = this.i;
    const line = this.line;
    const col = this.col;
    // most symbols are one character; only these can start a longer one
    if (MULTI_START.has(c)) {
      const three = this.src.slice(this.i, this.i + 3);
      if (PUNCT3.includes(three)) {
        this.i += 3;
        this.col += 3;
        this.push(three, start, line, col);
        return;
      }
      const two = three.slice(0, 2);
      if (PUNCT2.has(two)) {
        this.i += 2;
        this.col += 2;
        this.push(two, start, line, col);
        return;
      }
    }
    if (c >= 0 && c <= 0xff) {
      // every other Latin-1 character is a one-character symbol the parser may reject
      this.i++;
      this.col++;
      this.push(String.fromCharCode(c), start, line, col);
      return;
    }
    this.i += Scanner.width(c);
    this.col++;
    return new TokenError(line, col, { illegal: 'character' }, this.i, line, this.col);
  }

  /** The escape sequence after a backslash at index `at`. */
  private escape(at: number): Escape {
    const c0 = this.cp(at);
    if (c0 === -1) return { kind: 'eof' };
    if (isOct(c0)) {
      let v = c0 - 0x30;
      let k = at + 1;
      for (let m = 0; m < 2 && isOct(this.cp(k)); m++, k++) v = v * 8 + (this.cp(k) - 0x30);
      return { kind: 'ok', value: v, end: k, newline: false };
    }
    if (c0 === 0x78) {
      // \xHH or \x{H...}
      const c1 = this.cp(at + 1);
      if (c1 === 0x7b) {
        let k = at + 2;
        let hex = '';
        while (isHex(this.cp(k))) hex += String.fromCharCode(this.cp(k++));
        const close = this.cp(k);
        if (close === 0x7d) {
          const v = hex === '' ? -1 : parseInt(hex.length > 8 ? 'ffffffff' : hex, 16);
          if (v >= 0 && isUnicode(v)) return { kind: 'ok', value: v, end: k + 1, newline: false };
          return { kind: 'error', resume: k + 1 };
        }
        if (close === -1) return { kind: 'eof' };
        return { kind: 'error', resume: k };
      }
      if (c1 === -1) return { kind: 'eof' };
      if (isHex(c1) && isHex(this.cp(at + 2))) {
        return { kind: 'ok', value: parseInt(this.src.slice(at + 1, at + 3), 16), end: at + 3, newline: false };
      }
      return { kind: 'error', resume: at + 1 };
    }
    if (c0 === 0x5e) {
      // \^X is control-X
      const c1 = this.cp(at + 1);
      if (c1 === -1) return { kind: 'eof' };
      if (c1 === C.NL) return { kind: 'ok', value: C.NL, end: at + 2, newline: true };
      return { kind: 'ok', value: c1 & 31, end: at + 1 + Scanner.width(c1), newline: false };
    }
    if (c0 === C.NL) return { kind: 'ok', value: C.NL, end: at + 1, newline: true };
    if (isUnicode(c0)) return { kind: 'ok', value: ESCAPES[c0] ?? c0, end: at + Scanner.width(c0), newline: false };
    return { kind: 'error', resume: at + Scanner.width(c0) };
  }

  /** Columns taken by the source between two indices on one line (code points). */
  private span(from: number, to: number): number {
    let k = 0;
    for (let j = from; j < to; j += Scanner.width(this.src.codePointAt(j)!)) k++;
    return k;
  }

  private quoted(q: number): TokenError | undefined {
    const start = this.i;
    const line0 = this.line;
    const col0 = this.col;
    const value: number[] = [];
    let j = this.i + 1;
    let line = this.line;
    let col = this.col + 1;
    const unterminated = (): TokenError => {
      return new TokenError(line0, col0, { unterminated: q === C.DQ ? 'string' : 'atom', head: value.slice(0, 16) }, this.n, line, col, true);
    };
    for (;;) {
      const c = this.cp(j);
      if (c === -1) return unterminated();
      if (c === q) {
        j++;
        col++;
        break;
      }
      if (c === C.NL) {
        value.push(c);
        j++;
        line++;
        col = 1;
        continue;
      }
      if (c === C.BS) {
        const e = this.escape(j + 1);
        if (e.kind === 'eof') return unterminated();
        if (e.kind === 'error') return new TokenError(line, col, { illegal: 'character' }, e.resume, line, col + 1 + this.span(j + 1, e.resume));
        value.push(e.value);
        if (e.newline) {
          line++;
          col = 1;
        } else col += 1 + this.span(j + 1, e.end);
        j = e.end;
        continue;
      }
      if (!isUnicode(c)) {
        j += Scanner.width(c);
        return new TokenError(line, col, { illegal: 'character' }, j, line, col + 1);
      }
      value.push(c);
      j += Scanner.width(c);
      col++;
    }
    this.i = j;
    this.line = line;
    this.col = col;
    const s = codePointsToString(value);
    if (q === C.SQ) {
      if (value.length > 255) return new TokenError(line0, col0, { illegal: 'atom' }, j, line, col);
      this.push('atom', start, line0, col0, s);
    } else this.push('string', start, line0, col0, s);
    return;
  }

  private char(): TokenError | undefined {
    const start = this.i;
    const line = this.line;
    const col = this.col;
    const c = this.cp(this.i + 1);
    if (c === -1) return new TokenError(line, col, 'char', this.n, line, col + 1, true);
    if (c === C.BS) {
      const e = this.escape(this.i + 2);
      if (e.kind === 'eof') return new TokenError(line, col, 'char', this.n, line, col + 2, true);
      if (e.kind === 'error') return new TokenError(line, col, { illegal: 'character' }, e.resume, line, col + 2 + this.span(this.i + 2, e.resume));
      this.i = e.end;
      if (e.newline) {
        this.line++;
        this.col = 1;
      } else this.col += 2 + this.span(start + 2, e.end);
      this.push('char', start, line, col, e.value);
      return;
    }
    if (c === C.NL) {
      this.i += 2;
      this.line++;
      this.col = 1;
      this.push('char', start, line, col, c);
      return;
    }
    if (!isUnicode(c)) return new TokenError(line, col, { illegal: 'character' }, this.n, line, col + 1);
    this.i += 1 + Scanner.width(c);
    this.col += 2;
    this.push('char', start, line, col, c);
    return;
  }
}

function codePointsToString(cps: number[]): string {
  let s = '';
  for (let k = 0; k < cps.length; k += 4096) s += String.fromCodePoint(...cps.slice(k, k + 4096));
  return s;
}

/** The integer written with `digits` in `base`, as a normalised number | bigint. */
function parseInBase(digits: string, base: number): number | bigint {
  if (digits.length * Math.log2(base) < 52) return parseInt(digits, base);
  let v = 0n;
  const b = BigInt(base);
  for (const ch of digits) v = v * b + BigInt(digitValue(ch.charCodeAt(0)));
  return normInt(v);
}
