// The PCRE pattern language (as OTP 25's PCRE 8.44 reads it) parsed into a tree for re_match.ts.
// Errors carry PCRE's own texts and the offset in the pattern PCRE reports for them.

import { CharTest, ClassMode, POSIX_NAMES, escapeClass, foldCase, isHSpace, isVSpace, otherCases, posixClass, unicodeProperty } from './re_chars.js';

export interface Flags {
  caseless: boolean;
  multiline: boolean;
  dotall: boolean;
  extended: boolean;
  ungreedy: boolean;
  dupnames: boolean;
}

export type Newline = 'lf' | 'cr' | 'crlf' | 'anycrlf' | 'any';

export interface CompileOptions extends Flags {
  unicode: boolean;
  ucp: boolean;
  anchored: boolean;
  dollarEndonly: boolean;
  noAutoCapture: boolean;
  firstline: boolean;
  newline: Newline;
  bsrAnycrlf: boolean;
}

export type Node =
  | { t: 'empty' }
  | { t: 'char'; c: number; ci: boolean }
  | { t: 'any'; dotall: boolean }
  | { t: 'set'; test: CharTest }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'group'; index: number; body: Node }
  | { t: 'repeat'; body: Node; min: number; max: number; mode: 'greedy' | 'lazy' | 'possessive' }
  | { t: 'bol'; multiline: boolean }
  | { t: 'eol'; multiline: boolean }
  | { t: 'start' }
  | { t: 'end'; beforeNewline: boolean }
  | { t: 'startOffset' }
  | { t: 'wordb'; neg: boolean }
  | { t: 'look'; behind: boolean; neg: boolean; body: Node; lengths?: number[] }
  | { t: 'atomic'; body: Node }
  | { t: 'backref'; index: number; name?: string; ci: boolean }
  | { t: 'cond'; cond: Cond; yes: Node; no: Node }
  | { t: 'recurse'; index: number }
  | { t: 'keep' }
  | { t: 'newlineSeq' }
  | { t: 'fail' }
  | { t: 'accept' };

export type Cond =
  | { t: 'group'; index: number; name?: string }
  | { t: 'recursion'; index: number | undefined }
  | { t: 'define' }
  | { t: 'assert'; look: Node };

export interface Pattern {
  root: Node;
  /** number of capturing groups */
  groups: number;
  /** group names with their numbers, in name order (as inspect/2 lists them) */
  names: [string, number][];
  /** the bodies of the groups by number, for recursion */
  groupNodes: Node[];
  options: CompileOptions;
}

export class PatternError {
  constructor(
    readonly message: string,
    /** a code point index into the pattern (converted to bytes by the caller) */
    readonly at: number,
  ) {}
}

const MAX_REPEAT = 65535;

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 48 && c <= 57;
const isWordChar = (c: number | undefined): boolean =>
  c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95);
const ch = (s: string): number => s.charCodeAt(0);

/** Count the capturing groups ahead of parsing, as PCRE knows them when it meets a reference. */
function countGroups(p: number[], noAutoCapture: boolean): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === 92) {
      if (p[i + 1] === ch('Q')) {
        const e = findSeq(p, i + 2, [92, ch('E')]);
        i = e < 0 ? p.length : e + 1;
      } else i++;
      continue;
    }
    if (inClass) {
      if (c === ch(']')) inClass = false;
      continue;
    }
    if (c === ch('[')) {
      inClass = true;
      if (p[i + 1] === ch('^')) i++;
      if (p[i + 1] === ch(']')) i++;
      continue;
    }
    if (c !== ch('(')) continue;
    if (p[i + 1] === ch('?')) {
      const d = p[i + 2];
      if (d === ch('<') && p[i + 3] !== ch('=') && p[i + 3] !== ch('!')) n++;
      else if (d === ch("'")) n++;
      else if (d === ch('P') && p[i + 3] === ch('<')) n++;
      // the ( of a condition (?(...) opens no group
      i += d === ch('(') ? 2 : 1;
    } else if (p[i + 1] !== ch('*') && !noAutoCapture) n++;
  }
  return n;
}

function findSeq(p: number[], from: number, seq: number[]): number {
  for (let i = from; i + seq.length <= p.length; i++) if (seq.every((c, k) => p[i + k] === c)) return i;
  return -1;
}

interface PendingRef {
  name: string;
  at: number;
  resolve: (index: number) => void;
}

class Parser {
  i = 0;
  groups = 0;
  readonly names = new Map<string, number>();
  readonly groupNodes: Node[] = [];
  readonly pendingNames: PendingRef[] = [];
  readonly totalGroups: number;
  readonly mode: ClassMode;
  /** groups referenced by number (checked against the total as PCRE does) */
  constructor(
    readonly p: number[],
    readonly o: CompileOptions,
  ) {
    this.totalGroups = countGroups(p, o.noAutoCapture);
    this.mode = { ucp: o.ucp };
  }

  err(message: string, at = this.i): never {
    throw new PatternError(message, at);
  }

  peek(k = 0): number | undefined {
    return this.p[this.i + k];
  }

  eof(): boolean {
    return this.i >= this.p.length;
  }

  parse(): Node {
    const flags: Flags = { caseless: this.o.caseless, multiline: this.o.multiline, dotall: this.o.dotall, extended: this.o.extended, ungreedy: this.o.ungreedy, dupnames: this.o.dupnames };
    const node = this.alternation(flags);
    if (!this.eof()) this.err('unmatched parentheses');
    for (const r of this.pendingNames) {
      const n = this.names.get(r.name);
      if (n === undefined) this.err('reference to non-existent subpattern', r.at);
      r.resolve(n);
    }
    return node;
  }

  alternation(flags: Flags): Node {
    const alts: Node[] = [this.sequence(flags)];
    while (this.peek() === ch('|')) {
      this.i++;
      alts.push(this.sequence(flags));
    }
    return alts.length === 1 ? alts[0] : { t: 'alt', alts };
  }

  /** Items up to | or ) or the end; (?i) and the like change `flags` for the rest of the group. */
  sequence(flags: Flags): Node {
    const items: Node[] = [];
    for (;;) {
      if (flags.extended) this.skipExtended();
      const c = this.peek();
      if (c === undefined || c === ch('|') || c === ch(')')) break;
      const atomStart = this.i;
      const atom = this.atom(flags);
      if (atom === undefined) continue;
      items.push(this.quantified(atom, flags, atomStart));
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0] : { t: 'seq', items };
  }

  skipExtended(): void {
    for (;;) {
      const c = this.peek();
      if (c === 32 || c === 9 || c === 10 || c === 11 || c === 12 || c === 13) this.i++;
      else if (c === ch('#')) {
        while (!this.eof() && this.peek() !== 10) this.i++;
      } else return;
    }
  }

  quantified(atom: Node, flags: Flags, atomStart: number): Node {
    let node = atom;
    for (;;) {
      if (flags.extended) this.skipExtended();
      const q = this.quantifier();
      if (q === undefined) return node;
      if (!repeatable(node)) this.err('nothing to repeat', q.at);
      let mode: 'greedy' | 'lazy' | 'possessive' = flags.ungreedy ? 'lazy' : 'greedy';
      if (this.peek() === ch('?')) {
        mode = flags.ungreedy ? 'greedy' : 'lazy';
        this.i++;
      } else if (this.peek() === ch('+')) {
        mode = 'possessive';
        this.i++;
      }
      node = { t: 'repeat', body: node, min: q.min, max: q.max, mode };
      // a quantifier cannot follow a quantifier (but "a{2}{3}" names the error at the second)
      const next = this.quantifierAhead();
      if (next !== undefined) this.err('nothing to repeat', next);
      void atomStart;
      return node;
    }
  }

  /** The position of the last character of a quantifier starting here, if one does. */
  quantifierAhead(): number | undefined {
    const save = this.i;
    const q = this.quantifier();
    this.i = save;
    return q?.at;
  }

  quantifier(): { min: number; max: number; at: number } | undefined {
    const c = this.peek();
    if (c === ch('*')) return { min: 0, max: Infinity, at: this.i++ };
    if (c === ch('+')) return { min: 1, max: Infinity, at: this.i++ };
    if (c === ch('?')) return { min: 0, max: 1, at: this.i++ };
    if (c !== ch('{')) return undefined;
    // {n}, {n,}, {n,m}; anything else is a literal {
    let j = this.i + 1;
    const num = (): number | undefined => {
      const s = j;
      while (isDigit(this.p[j])) j++;
      if (j === s) return undefined;
      let v = 0;
      for (let k = s; k < j; k++) v = v * 10 + (this.p[k] - 48);
      return v;
    };
    const min = num();
    if (min === undefined) return undefined;
    let max = min;
    if (this.p[j] === ch(',')) {
      j++;
      const m = num();
      max = m === undefined ? Infinity : m;
    }
    if (this.p[j] !== ch('}')) return undefined;
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) this.err('number too big in {} quantifier', j);
    if (max < min) this.err('numbers out of order in {} quantifier', j);
    this.i = j + 1;
    return { min, max, at: j };
  }

  atom(flags: Flags): Node | undefined {
    const c = this.p[this.i];
    switch (c) {
      case ch('('):
        return this.group(flags);
      case ch('['):
        return this.charClass(flags);
      case ch('.'):
        this.i++;
        return { t: 'any', dotall: flags.dotall };
      case ch('^'):
        this.i++;
        return { t: 'bol', multiline: flags.multiline };
      case ch('$'):
        this.i++;
        return { t: 'eol', multiline: flags.multiline };
      case ch('\\'):
        return this.escape(flags);
      case ch('*'):
      case ch('+'):
      case ch('?'):
        this.err('nothing to repeat');
        break;
      case ch('{'):
        if (this.quantifierAhead() !== undefined) this.err('nothing to repeat', this.quantifierAhead());
        break;
    }
    this.i++;
    return this.literal(c, flags);
  }

  literal(c: number, flags: Flags): Node {
    return { t: 'char', c, ci: flags.caseless && otherCases(c, this.o.unicode).length > 1 };
  }

  // ---------- escapes ----------

  escape(flags: Flags): Node | undefined {
    const at = this.i;
    this.i++;
    const c = this.peek();
    if (c === undefined) this.err('\\ at end of pattern');
    this.i++;
    const cls = this.classEscape(c);
    if (cls !== undefined) return { t: 'set', test: cls };
    switch (String.fromCodePoint(c)) {
      case 'R':
        return { t: 'newlineSeq' };
      case 'N':
        return { t: 'any', dotall: false };
      case 'X':
        return { t: 'repeat', body: { t: 'any', dotall: true }, min: 1, max: 1, mode: 'greedy' };
      case 'C':
        return { t: 'any', dotall: true };
      case 'b':
        return { t: 'wordb', neg: false };
      case 'B':
        return { t: 'wordb', neg: true };
      case 'A':
        return { t: 'start' };
      case 'Z':
        return { t: 'end', beforeNewline: true };
      case 'z':
        return { t: 'end', beforeNewline: false };
      case 'G':
        return { t: 'startOffset' };
      case 'K':
        return { t: 'keep' };
      case 'Q': {
        const items: Node[] = [];
        while (!this.eof() && !(this.peek() === 92 && this.peek(1) === ch('E'))) items.push(this.literal(this.p[this.i++], flags));
        if (!this.eof()) this.i += 2;
        return items.length === 0 ? undefined : items.length === 1 ? items[0] : { t: 'seq', items };
      }
      case 'E':
        return undefined;
      case 'p':
      case 'P':
        return { t: 'set', test: this.property(c === ch('P')) };
      case 'g':
        return this.gReference(flags, at);
      case 'k':
        return this.namedReference(flags);
    }
    if (c >= ch('1') && c <= ch('9')) {
      // \1..\7 are back references, and higher numbers when that many groups exist (else octal, or 8 and 9 themselves)
      this.i--;
      const start = this.i;
      let n = 0;
      while (isDigit(this.peek())) n = n * 10 + (this.p[this.i++] - 48);
      if (n < 8 || n <= this.totalGroups) {
        if (n > this.totalGroups) this.err('reference to non-existent subpattern');
        return { t: 'backref', index: n, ci: flags.caseless };
      }
      this.i = start;
      if (c >= ch('8')) {
        this.i++;
        return this.literal(c, flags);
      }
      return this.literal(this.octal(3), flags);
    }
    const value = this.characterEscape(c);
    return this.literal(value, flags);
  }

  /** \d \D \w \W \s \S \h \H \v \V: the class the letter after \ stands for. */
  classEscape(c: number): CharTest | undefined {
    const letter = String.fromCodePoint(c);
    const lower = letter.toLowerCase();
    let t: CharTest;
    if (lower === 'd' || lower === 'w' || lower === 's') t = escapeClass(lower, this.mode);
    else if (lower === 'h') t = isHSpace;
    else if (lower === 'v') t = isVSpace;
    else return undefined;
    return letter === lower ? t : (x) => !t(x);
  }

  /** The value of an escape standing for one character (c is the letter after \, already read). */
  characterEscape(c: number): number {
    switch (String.fromCodePoint(c)) {
      case 'a':
        return 7;
      case 'e':
        return 27;
      case 'f':
        return 12;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 't':
        return 9;
      case '0':
        this.i--;
        return this.octal(3);
      case 'o': {
        if (this.peek() !== ch('{')) return c;
        this.i++;
        let v = 0;
        while (this.peek() !== undefined && this.peek()! >= 48 && this.peek()! <= 55) v = v * 8 + (this.p[this.i++] - 48);
        if (this.peek() !== ch('}')) this.err('missing opening brace after \\o');
        this.checkCharValue(v);
        this.i++;
        return v;
      }
      case 'x': {
        if (this.peek() === ch('{')) {
          let j = this.i + 1;
          let v = 0;
          while (isHex(this.p[j])) v = v * 16 + hexVal(this.p[j++]);
          if (this.p[j] === ch('}') && j > this.i + 1) {
            this.i = j;
            this.checkCharValue(v);
            this.i++;
            return v;
          }
          return 0;
        }
        let v = 0;
        for (let k = 0; k < 2 && isHex(this.peek()); k++) v = v * 16 + hexVal(this.p[this.i++]);
        return v;
      }
      case 'c': {
        const x = this.peek();
        if (x === undefined) this.err('\\c at end of pattern');
        if (x > 127) this.err('\\c must be followed by an ASCII character');
        this.i++;
        const up = x >= 97 && x <= 122 ? x - 32 : x;
        return up ^ 0x40;
      }
    }
    return c;
  }

  checkCharValue(v: number): void {
    const limit = this.o.unicode ? 0x10ffff : 255;
    if (v > limit || (this.o.unicode && v >= 0xd800 && v <= 0xdfff)) {
      this.err(v > limit ? 'character value in \\x{} or \\o{} is too large' : 'disallowed Unicode code point (>= 0xd800 && <= 0xdfff)');
    }
  }

  octal(maxDigits: number): number {
    let v = 0;
    for (let k = 0; k < maxDigits && this.peek() !== undefined && this.peek()! >= 48 && this.peek()! <= 55; k++) v = v * 8 + (this.p[this.i++] - 48);
    return this.o.unicode ? v : v & 255;
  }

  property(negated: boolean): CharTest {
    let name: string;
    let neg = negated;
    if (this.peek() === ch('{')) {
      const close = this.p.indexOf(ch('}'), this.i);
      if (close < 0) this.err('malformed \\P or \\p sequence');
      let s = this.i + 1;
      if (this.p[s] === ch('^')) {
        neg = !neg;
        s++;
      }
      name = String.fromCodePoint(...this.p.slice(s, close));
      this.i = close + 1;
      const t = unicodeProperty(name);
      if (t === undefined) this.err('unknown property name after \\P or \\p', close);
      return neg ? (c) => !t(c) : t;
    }
    const c = this.peek();
    if (c === undefined) this.err('malformed \\P or \\p sequence');
    this.i++;
    const t = unicodeProperty(String.fromCodePoint(c));
    if (t === undefined) this.err('unknown property name after \\P or \\p');
    return neg ? (x) => !t(x) : t;
  }

  /** \g{n} \gn \g{-n} \g{name} \g<name> (a call) ... */
  gReference(flags: Flags, at: number): Node {
    const c = this.peek();
    if (c === ch('<') || c === ch("'")) {
      const close = c === ch('<') ? ch('>') : c;
      this.i++;
      const target = this.nameOrNumber(close);
      return this.subroutine(target, at);
    }
    let braced = false;
    if (c === ch('{')) {
      braced = true;
      this.i++;
    }
    let sign = 0;
    if (this.peek() === ch('-')) {
      sign = -1;
      this.i++;
    } else if (this.peek() === ch('+')) {
      sign = 1;
      this.i++;
    }
    if (isDigit(this.peek())) {
      let n = 0;
      while (isDigit(this.peek())) n = n * 10 + (this.p[this.i++] - 48);
      if (braced) {
        if (this.peek() !== ch('}')) this.err('\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number');
        this.i++;
      }
      const index = sign < 0 ? this.groups - n + 1 : n;
      if (n === 0) this.err('a numbered reference must not be zero');
      if (index <= 0 || index > this.totalGroups) this.err('reference to non-existent subpattern');
      return { t: 'backref', index, ci: flags.caseless };
    }
    if (braced && isWordChar(this.peek())) {
      const s = this.i;
      while (isWordChar(this.peek())) this.i++;
      const name = String.fromCodePoint(...this.p.slice(s, this.i));
      if (this.peek() !== ch('}')) this.err('\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number');
      this.i++;
      return this.namedBackref(name, flags, this.i - 1);
    }
    if (!braced && sign === 0) this.err('a numbered reference must not be zero', at + 1);
    this.err('\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number');
  }

  namedReference(flags: Flags): Node {
    const open = this.peek();
    const close = open === ch('<') ? ch('>') : open === ch("'") ? open : open === ch('{') ? ch('}') : undefined;
    if (close === undefined) this.err('\\k is not followed by a braced, angle-bracketed, or quoted name');
    this.i++;
    const s = this.i;
    while (isWordChar(this.peek())) this.i++;
    const name = String.fromCodePoint(...this.p.slice(s, this.i));
    if (this.peek() !== close) this.err('syntax error in subpattern name (missing terminator)');
    this.i++;
    return this.namedBackref(name, flags, this.i - 1);
  }

  namedBackref(name: string, flags: Flags, at: number): Node {
    const node: { t: 'backref'; index: number; name?: string; ci: boolean } = { t: 'backref', index: 0, name, ci: flags.caseless };
    this.pendingNames.push({ name, at, resolve: (n) => (node.index = n) });
    return node;
  }

  /** A name or a (signed) number up to `close`: for calls and conditions. */
  nameOrNumber(close: number): { number?: number; relative?: number; name?: string; at: number } {
    const s = this.i;
    let sign = 0;
    if (this.peek() === ch('-') || this.peek() === ch('+')) {
      sign = this.peek() === ch('-') ? -1 : 1;
      this.i++;
    }
    if (isDigit(this.peek())) {
      let n = 0;
      while (isDigit(this.peek())) n = n * 10 + (this.p[this.i++] - 48);
      if (this.peek() !== close) this.err('syntax error in subpattern name (missing terminator)');
      this.i++;
      return sign === 0 ? { number: n, at: s } : { relative: sign * n, at: s };
    }
    while (isWordChar(this.peek())) this.i++;
    const name = String.fromCodePoint(...this.p.slice(s, this.i));
    if (this.peek() !== close) this.err('syntax error in subpattern name (missing terminator)');
    this.i++;
    return { name, at: this.i - 1 };
  }

  subroutine(target: { number?: number; relative?: number; name?: string; at: number }, _at: number): Node {
    if (target.name !== undefined) {
      const node: { t: 'recurse'; index: number } = { t: 'recurse', index: 0 };
      this.pendingNames.push({ name: target.name, at: target.at, resolve: (n) => (node.index = n) });
      return node;
    }
    const index = target.relative !== undefined ? (target.relative < 0 ? this.groups + target.relative + 1 : this.groups + target.relative) : target.number!;
    if (index < 0 || index > this.totalGroups) this.err('reference to non-existent subpattern', this.i - 1);
    return { t: 'recurse', index };
  }

  // ---------- groups ----------

  group(flags: Flags): Node | undefined {
    const open = this.i;
    this.i++;
    if (this.peek() === ch('*')) return this.verb();
    if (this.peek() !== ch('?')) {
      if (this.o.noAutoCapture) return this.groupBody(flags, (body) => body, open);
      return this.capture(flags, undefined, open);
    }
    this.i++;
    const c = this.peek();
    switch (c === undefined ? '' : String.fromCodePoint(c)) {
      case '#': {
        const close = this.p.indexOf(ch(')'), this.i);
        if (close < 0) this.err('missing ) after comment', this.p.length);
        this.i = close + 1;
        return undefined;
      }
      case ':':
        this.i++;
        return this.groupBody(flags, (body) => body, open);
      case '|':
        this.i++;
        return this.branchReset(flags, open);
      case '>':
        this.i++;
        return this.groupBody(flags, (body) => ({ t: 'atomic', body }), open);
      case '=':
      case '!':
        this.i++;
        return this.groupBody(flags, (body) => ({ t: 'look', behind: false, neg: c === ch('!'), body }), open);
      case '<': {
        const d = this.peek(1);
        if (d === ch('=') || d === ch('!')) {
          this.i += 2;
          return this.lookbehind(flags, d === ch('!'), open);
        }
        this.i++;
        return this.namedCapture(flags, ch('>'), open);
      }
      case "'":
        this.i++;
        return this.namedCapture(flags, ch("'"), open);
      case 'P': {
        this.i++;
        const d = this.peek();
        if (d === ch('<')) {
          this.i++;
          return this.namedCapture(flags, ch('>'), open);
        }
        if (d === ch('=')) {
          this.i++;
          const s = this.i;
          while (isWordChar(this.peek())) this.i++;
          const name = String.fromCodePoint(...this.p.slice(s, this.i));
          if (this.peek() !== ch(')')) this.err('syntax error in subpattern name (missing terminator)');
          const node = this.namedBackref(name, flags, this.i);
          this.i++;
          return node;
        }
        if (d === ch('>')) {
          this.i++;
          const target = this.nameOrNumber(ch(')'));
          return this.subroutine(target, open);
        }
        this.err('unrecognized character after (?P');
        break;
      }
      case '&': {
        this.i++;
        const target = this.nameOrNumber(ch(')'));
        return this.subroutine(target, open);
      }
      case 'R':
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
      case '+':
      case '-': {
        if (c === ch('-') && !isDigit(this.peek(1))) break;
        if (c === ch('R')) {
          this.i++;
          if (this.peek() !== ch(')')) this.err('(?R or (?[+-]digits must be followed by )');
          this.i++;
          return { t: 'recurse', index: 0 };
        }
        let sign = 0;
        if (c === ch('+') || c === ch('-')) {
          sign = c === ch('+') ? 1 : -1;
          this.i++;
        }
        let n = 0;
        while (isDigit(this.peek())) n = n * 10 + (this.p[this.i++] - 48);
        if (this.peek() !== ch(')')) this.err('(?R or (?[+-]digits must be followed by )');
        const index = sign < 0 ? this.groups - n + 1 : sign > 0 ? this.groups + n : n;
        if (index < 0 || index > this.totalGroups) this.err('reference to non-existent subpattern');
        this.i++;
        return { t: 'recurse', index };
      }
      case '(':
        return this.conditional(flags, open);
      case 'C': {
        // a callout: nothing to call here
        this.i++;
        while (isDigit(this.peek())) this.i++;
        if (this.peek() !== ch(')')) this.err('closing ) for (?C expected');
        this.i++;
        return undefined;
      }
    }
    return this.optionSetting(flags, open);
  }

  /** (?imsxJU-imsxJU) for the rest of the group, or (?imsx-imsx:...) for its own. */
  optionSetting(flags: Flags, open: number): Node | undefined {
    const local: Flags = { ...flags };
    let on = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.err('unrecognized character after (? or (?-');
      const k = String.fromCodePoint(c);
      if (k === ')' || k === ':') break;
      if (k === '-' && on) on = false;
      else if (k === 'i') local.caseless = on;
      else if (k === 'm') local.multiline = on;
      else if (k === 's') local.dotall = on;
      else if (k === 'x') local.extended = on;
      else if (k === 'U') local.ungreedy = on;
      else if (k === 'J') local.dupnames = on;
      else if (k === 'X') {
        /* extra: nothing to change here */
      } else this.err('unrecognized character after (? or (?-');
      this.i++;
    }
    if (this.peek() === ch(')')) {
      this.i++;
      Object.assign(flags, local);
      return undefined;
    }
    this.i++;
    return this.groupBody(local, (body) => body, open);
  }

  /** The alternatives up to the closing ), made into a node by `make`. */
  groupBody(flags: Flags, make: (body: Node) => Node, open: number): Node {
    const inner: Flags = { ...flags };
    const body = this.alternation(inner);
    if (this.peek() !== ch(')')) this.err('missing )', this.p.length);
    this.i++;
    void open;
    return make(body);
  }

  capture(flags: Flags, name: string | undefined, open: number): Node {
    const index = ++this.groups;
    const node: { t: 'group'; index: number; body: Node } = { t: 'group', index, body: { t: 'empty' } };
    this.groupNodes[index] = node;
    if (name !== undefined) this.names.set(name, index);
    return this.groupBody(flags, (body) => {
      node.body = body;
      return node;
    }, open);
  }

  namedCapture(flags: Flags, close: number, open: number): Node {
    const s = this.i;
    if (isDigit(this.peek())) this.err('group name must start with a non-digit');
    while (isWordChar(this.peek())) this.i++;
    if (this.i === s) {
      if (close === ch('>')) this.err('unrecognized character after (?<');
      this.err('unrecognized character after (?\'');
    }
    if (this.peek() !== close) this.err('syntax error in subpattern name (missing terminator)');
    const name = String.fromCodePoint(...this.p.slice(s, this.i));
    if (this.names.has(name) && !flags.dupnames) this.err('two named subpatterns have the same name');
    this.i++;
    return this.capture(flags, name, open);
  }

  branchReset(flags: Flags, open: number): Node {
    const base = this.groups;
    let most = base;
    const alts: Node[] = [];
    const inner: Flags = { ...flags };
    for (;;) {
      this.groups = base;
      alts.push(this.sequence(inner));
      most = Math.max(most, this.groups);
      if (this.peek() !== ch('|')) break;
      this.i++;
    }
    this.groups = most;
    if (this.peek() !== ch(')')) this.err('missing )', this.p.length);
    this.i++;
    void open;
    return alts.length === 1 ? alts[0] : { t: 'alt', alts };
  }

  lookbehind(flags: Flags, neg: boolean, open: number): Node {
    const inner: Flags = { ...flags };
    const alts: Node[] = [this.sequence(inner)];
    while (this.peek() === ch('|')) {
      this.i++;
      alts.push(this.sequence(inner));
    }
    if (this.peek() !== ch(')')) this.err('missing )', this.p.length);
    const lengths = alts.map((a) => fixedLength(a, this.groupNodes));
    if (lengths.some((l) => l === undefined)) this.err('lookbehind assertion is not fixed length');
    this.i++;
    void open;
    return { t: 'look', behind: true, neg, body: alts.length === 1 ? alts[0] : { t: 'alt', alts }, lengths: lengths as number[] };
  }

  conditional(flags: Flags, open: number): Node {
    // at "(" of the condition
    this.i++;
    let cond: Cond;
    const c = this.peek();
    if (c === ch('?') && (this.peek(1) === ch('=') || this.peek(1) === ch('!') || this.peek(1) === ch('<'))) {
      this.i--;
      const look = this.group(flags);
      if (look === undefined || look.t !== 'look') this.err('assertion expected after (?(');
      cond = { t: 'assert', look };
    } else if (c === ch('R')) {
      this.i++;
      if (this.peek() === ch('&')) {
        this.i++;
        const target = this.nameOrNumber(ch(')'));
        const rc: { t: 'recursion'; index: number | undefined } = { t: 'recursion', index: undefined };
        if (target.name !== undefined) this.pendingNames.push({ name: target.name, at: target.at, resolve: (n) => (rc.index = n) });
        cond = rc;
      } else {
        let n: number | undefined;
        if (isDigit(this.peek())) {
          n = 0;
          while (isDigit(this.peek())) n = n * 10 + (this.p[this.i++] - 48);
        }
        if (this.peek() !== ch(')')) this.err('malformed number or name after (?(');
        this.i++;
        cond = { t: 'recursion', index: n };
      }
    } else if (isDigit(c) || c === ch('+') || c === ch('-')) {
      const target = this.nameOrNumber(ch(')'));
      const index = target.relative !== undefined ? (target.relative < 0 ? this.groups + target.relative + 1 : this.groups + target.relative) : target.number!;
      if (index <= 0 || index > this.totalGroups) this.err('reference to non-existent subpattern');
      cond = { t: 'group', index };
    } else if (c === ch('<') || c === ch("'")) {
      this.i++;
      const target = this.nameOrNumber(c === ch('<') ? ch('>') : c);
      if (this.peek() !== ch(')')) this.err('malformed number or name after (?(');
      this.i++;
      const gc: { t: 'group'; index: number; name?: string } = { t: 'group', index: 0, name: target.name };
      this.pendingNames.push({ name: target.name!, at: target.at, resolve: (n) => (gc.index = n) });
      cond = gc;
    } else {
      const s = this.i;
      while (isWordChar(this.peek())) this.i++;
      const name = String.fromCodePoint(...this.p.slice(s, this.i));
      if (this.peek() !== ch(')') || name === '') this.err('malformed number or name after (?(');
      this.i++;
      if (name === 'DEFINE') cond = { t: 'define' };
      else {
        const gc: { t: 'group'; index: number; name?: string } = { t: 'group', index: 0, name };
        this.pendingNames.push({ name, at: this.i - 1, resolve: (n) => (gc.index = n) });
        cond = gc;
      }
    }
    const inner: Flags = { ...flags };
    const yes = this.sequence(inner);
    let no: Node = { t: 'empty' };
    if (this.peek() === ch('|')) {
      this.i++;
      no = this.sequence(inner);
      if (this.peek() === ch('|')) this.err('conditional group contains more than two branches');
    }
    if (this.peek() !== ch(')')) this.err('missing )', this.p.length);
    this.i++;
    void open;
    return { t: 'cond', cond, yes, no };
  }

  verb(): Node | undefined {
    // at "*" after "("
    this.i++;
    const s = this.i;
    while (this.peek() !== undefined && this.peek() !== ch(')') && this.peek() !== ch(':')) this.i++;
    const name = String.fromCodePoint(...this.p.slice(s, this.i));
    if (this.peek() === ch(':')) while (this.peek() !== undefined && this.peek() !== ch(')')) this.i++;
    if (this.peek() !== ch(')')) this.err('(*VERB) not recognized or malformed');
    if (name === '') this.err('nothing to repeat', s - 1);
    let node: Node | undefined;
    if (name === 'FAIL' || name === 'F') node = { t: 'fail' };
    else if (name === 'ACCEPT') node = { t: 'accept' };
    else if (['COMMIT', 'PRUNE', 'SKIP', 'THEN', 'MARK', ''].includes(name) || name.startsWith('MARK')) node = undefined;
    else this.err('(*VERB) not recognized or malformed');
    this.i++;
    return node;
  }

  // ---------- character classes ----------

  charClass(flags: Flags): Node {
    // [:alpha:] outside a class is a mistake PCRE names
    const kind = this.peek(1);
    if (kind === ch(':') || kind === ch('.') || kind === ch('=')) {
      for (let j = this.i + 2; j < this.p.length && this.p[j] !== ch(']'); j++) {
        if (this.p[j] === kind && this.p[j + 1] === ch(']')) {
          this.err(kind === ch(':') ? 'POSIX named classes are supported only within a class' : 'POSIX collating elements are not supported');
        }
      }
    }
    this.i++;
    let neg = false;
    if (this.peek() === ch('^')) {
      neg = true;
      this.i++;
    }
    const tests: CharTest[] = [];
    const singles: number[] = [];
    const ranges: number[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.err('missing terminating ] for character class');
      if (c === ch(']') && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === ch('[') && (this.peek(1) === ch(':') || this.peek(1) === ch('.') || this.peek(1) === ch('='))) {
        const posix = this.posix();
        if (posix !== undefined) {
          tests.push(posix);
          continue;
        }
      }
      const lo = this.classAtom(tests);
      if (lo === undefined) continue;
      if (this.peek() === ch('-') && this.peek(1) !== undefined && this.peek(1) !== ch(']')) {
        const dash = this.i;
        this.i++;
        const hiAt = this.i;
        const before = tests.length;
        const hi = this.classAtom(tests);
        if (hi === undefined) {
          if (tests.length > before && this.p[hiAt] === 92) this.err('invalid range in character class', this.i - 1);
          singles.push(lo, ch('-'));
          void dash;
          continue;
        }
        if (hi < lo) this.err('range out of order in character class', this.i - 1);
        ranges.push(lo, hi);
        continue;
      }
      singles.push(lo);
    }
    const unicode = this.o.unicode;
    const ci = flags.caseless;
    const singleSet = new Set<number>();
    for (const s of singles) for (const x of ci ? otherCases(s, unicode) : [s]) singleSet.add(x);
    const inRange = (x: number): boolean => {
      for (let k = 0; k < ranges.length; k += 2) if (x >= ranges[k] && x <= ranges[k + 1]) return true;
      return false;
    };
    const member = (x: number): boolean => {
      if (singleSet.has(x) || inRange(x)) return true;
      if (ci && ranges.length > 0) for (const y of otherCases(x, unicode)) if (y !== x && inRange(y)) return true;
      for (const t of tests) if (t(x)) return true;
      return false;
    };
    return { t: 'set', test: neg ? (x) => !member(x) : member };
  }

  /** [:name:] (or [:^name:]); undefined when what follows [ is no POSIX class after all. */
  posix(): CharTest | undefined {
    const kind = this.peek(1)!;
    let j = this.i + 2;
    let neg = false;
    if (this.p[j] === ch('^')) {
      neg = true;
      j++;
    }
    const s = j;
    while (this.p[j] !== undefined && this.p[j] >= 97 && this.p[j] <= 122) j++;
    if (!(this.p[j] === kind && this.p[j + 1] === ch(']'))) return undefined;
    const name = String.fromCodePoint(...this.p.slice(s, j));
    if (kind !== ch(':')) this.err('POSIX collating elements are not supported', this.i);
    const t = POSIX_NAMES.includes(name) ? posixClass(name, this.mode) : undefined;
    if (t === undefined) this.err('unknown POSIX class name', s);
    this.i = j + 2;
    return neg ? (c) => !t(c) : t;
  }

  /** One character of a class (its value), or a class escape (pushed to tests, undefined). */
  classAtom(tests: CharTest[]): number | undefined {
    const c = this.p[this.i++];
    if (c !== 92) return c;
    const e = this.peek();
    if (e === undefined) this.err('\\ at end of pattern');
    this.i++;
    const cls = this.classEscape(e);
    if (cls !== undefined) {
      tests.push(cls);
      return undefined;
    }
    switch (String.fromCodePoint(e)) {
      case 'p':
      case 'P':
        tests.push(this.property(e === ch('P')));
        return undefined;
      case 'b':
        return 8;
      case 'E':
      case 'Q':
        return undefined;
    }
    if (e >= ch('1') && e <= ch('7')) {
      this.i--;
      return this.octal(3);
    }
    return this.characterEscape(e);
  }
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102));
}

function hexVal(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

function repeatable(n: Node): boolean {
  switch (n.t) {
    case 'bol':
    case 'eol':
    case 'wordb':
    case 'start':
    case 'end':
    case 'startOffset':
    case 'keep':
    case 'empty':
      return false;
  }
  return true;
}

/** The number of characters a node always matches, or undefined when that varies. */
export function fixedLength(n: Node, groups: Node[]): number | undefined {
  switch (n.t) {
    case 'empty':
    case 'bol':
    case 'eol':
    case 'start':
    case 'end':
    case 'startOffset':
    case 'wordb':
    case 'look':
    case 'keep':
    case 'fail':
    case 'accept':
      return 0;
    case 'char':
    case 'any':
    case 'set':
      return 1;
    case 'seq': {
      let total = 0;
      for (const it of n.items) {
        const l = fixedLength(it, groups);
        if (l === undefined) return undefined;
        total += l;
      }
      return total;
    }
    case 'alt': {
      const ls = n.alts.map((a) => fixedLength(a, groups));
      if (ls.some((l) => l === undefined || l !== ls[0])) return undefined;
      return ls[0];
    }
    case 'group':
    case 'atomic':
      return fixedLength(n.body, groups);
    case 'repeat': {
      if (n.min !== n.max) return undefined;
      const l = fixedLength(n.body, groups);
      return l === undefined ? undefined : l * n.min;
    }
    case 'cond': {
      const a = fixedLength(n.yes, groups);
      const b = fixedLength(n.no, groups);
      return a !== undefined && a === b ? a : undefined;
    }
    default:
      return undefined;
  }
}

/** Parse a pattern given as code points. */
export function parsePattern(p: number[], options: CompileOptions): Pattern {
  const o = { ...options };
  // leading (*UTF8), (*UCP), newline and other start-of-pattern settings
  let start = 0;
  for (;;) {
    const m = /^\(\*(UTF8|UTF|UCP|CR|LF|CRLF|ANYCRLF|ANY|BSR_ANYCRLF|BSR_UNICODE|NO_START_OPT|LIMIT_MATCH=\d+|LIMIT_RECURSION=\d+)\)/.exec(
      String.fromCodePoint(...p.slice(start, start + 40)),
    );
    if (!m) break;
    const v = m[1];
    if (v === 'UTF8' || v === 'UTF') o.unicode = true;
    else if (v === 'UCP') o.ucp = true;
    else if (v === 'CR' || v === 'LF' || v === 'CRLF' || v === 'ANYCRLF' || v === 'ANY') o.newline = v.toLowerCase() as Newline;
    else if (v === 'BSR_ANYCRLF') o.bsrAnycrlf = true;
    else if (v === 'BSR_UNICODE') o.bsrAnycrlf = false;
    start += m[0].length;
  }
  const parser = new Parser(p, o);
  parser.i = start;
  const root = parser.parse();
  const names = [...parser.names.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { root, groups: parser.groups, names, groupNodes: parser.groupNodes, options: o };
}

export { foldCase };
