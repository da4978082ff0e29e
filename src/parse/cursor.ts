// A cursor over the tokens of one form or one shell input, with erl_parse's error texts.

import type { Pos } from '../ast.js';
import { ErlSyntaxError, type Token } from '../scan.js';
import { codePointsOf, formatFloat, writeAtom, writeChar, writeString } from '../token_text.js';

/** How yecc prints the token it stopped at (yecctoken2string). */
export function tokenToString(t: Token): string {
  switch (t.kind) {
    case 'atom':
      return writeAtom(t.value as string);
    case 'integer':
      return String(t.value);
    case 'float':
      return formatFloat(t.value as number);
    case 'char':
      return writeChar(t.value as number);
    case 'var':
      return t.value as string;
    case 'string':
      return writeString(codePointsOf(t.value as string));
    case 'dot':
      return "'.'";
    case '$end':
      return '';
    default:
      return writeAtom(t.kind);
  }
}

export function posOf(t: Token): Pos {
  return { line: t.line, col: t.col };
}

/** The end-of-tokens marker yecc reports errors at when the input stops early: the last token's place. */
function endToken(tokens: Token[]): Token {
  const last = tokens[tokens.length - 1];
  return last ? { kind: '$end', text: '', line: last.line, col: last.col } : { kind: '$end', text: '', line: 0, col: 0 };
}

export class Cursor {
  protected readonly toks: Token[];
  protected i = 0;

  constructor(tokens: Token[]) {
    this.toks = tokens.concat([endToken(tokens)]);
  }

  protected peek(k = 0): Token {
    const j = this.i + k;
    return j < this.toks.length ? this.toks[j] : this.toks[this.toks.length - 1];
  }

  /** The current token's kind (a method, so TypeScript does not narrow it across next()). */
  protected cur(): string {
    return this.toks[this.i].kind;
  }

  protected next(): Token {
    const t = this.toks[this.i];
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }

  protected expect(kind: string): Token {
    if (this.toks[this.i].kind !== kind) this.fail();
    return this.next();
  }

  /** "syntax error before: X" at the current token (or another). */
  protected fail(t: Token = this.toks[this.i]): never {
    throw new ErlSyntaxError(t.line, t.col, 'syntax error before: ' + tokenToString(t));
  }

  /** An error erl_parse raises while building a node (return_error). */
  protected failAt(pos: Pos, reason: string): never {
    throw new ErlSyntaxError(pos.line, pos.col, reason);
  }

  /** Run a parse; a JavaScript stack overflow (absurdly deep nesting) becomes a syntax error at the current token. */
  guarded<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof RangeError) {
        const t = this.toks[this.i];
        throw new ErlSyntaxError(t.line, t.col, 'syntax error before: ' + tokenToString(t) + ' (nested too deeply)');
      }
      throw e;
    }
  }

  get atEnd(): boolean {
    return this.toks[this.i].kind === '$end';
  }
}
