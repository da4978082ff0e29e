// The scanner against real erl_scan: every input in test/fixtures/parse/scan.otp.json was scanned by
// erl_scan:string(S, {1,1}, [text]) (see test/fixtures/parse/gen_parse_tables.mjs); terl must give the same
// categories, positions, values and texts, the same end position, and the same errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErlSyntaxError, isCompleteInput, scan, scanRecovering, type Token } from '../../src/scan.js';
import { ErlFloat, atom, charlist, tuple, type Term } from '../../runtime/vm/term.js';
import { writeW } from './support.js';

const rows: { input: string; expected: string }[] = JSON.parse(readFileSync(new URL('../fixtures/parse/scan.otp.json', import.meta.url), 'utf8'));

function symbol(t: Token): Term {
  switch (t.kind) {
    case 'integer':
    case 'char':
      return t.value as number;
    case 'float':
      return new ErlFloat(t.value as number);
    case 'string':
      return charlist(t.value as string);
    case 'atom':
    case 'var':
      return atom(t.value as string);
    default:
      return atom(t.kind);
  }
}

function scanResult(input: string): string {
  try {
    const r = scanRecovering(input);
    if (r.errors.length) {
      const e = r.errors[0];
      return `error ${e.line}:${e.col}: ${e.reason}`;
    }
    const ts = r.tokens.map((t) => tuple(atom(t.kind), t.line, t.col, symbol(t), charlist(t.text)));
    return `ok [${ts.map(writeW).join(',')}] ${r.endLine}:${r.endCol}`;
  } catch (e) {
    if (e instanceof ErlSyntaxError) return `error ${e.line}:${e.col}: ${e.reason}`;
    throw e;
  }
}

describe('tokens as erl_scan:string/3 gives them', () => {
  for (const row of rows) {
    it(JSON.stringify(row.input), () => {
      expect(scanResult(row.input)).toBe(row.expected);
    });
  }
});

describe('scan/2', () => {
  it('throws the first error as an ErlSyntaxError with erl_scan:format_error text', () => {
    expect(() => scan('ok. 2#3.')).toThrow(ErlSyntaxError);
    try {
      scan('x\n  "abc');
    } catch (e) {
      expect(e).toBeInstanceOf(ErlSyntaxError);
      const err = e as ErlSyntaxError;
      expect([err.line, err.col, err.reason]).toEqual([2, 3, 'unterminated string starting with "abc"']);
      expect(err.message).toBe('2:3: unterminated string starting with "abc"');
    }
  });

  it('starts counting at the given line', () => {
    const ts = scan('a\nb', { line: 10 });
    expect(ts.map((t) => [t.line, t.col])).toEqual([
      [10, 1],
      [11, 1],
    ]);
  });

  it('keeps big integers exact and small ones as numbers', () => {
    expect(scan('123456789012345678901234567890')[0].value).toBe(123456789012345678901234567890n);
    expect(scan('9007199254740991')[0].value).toBe(9007199254740991);
    expect(scan('9007199254740993')[0].value).toBe(9007199254740993n);
    expect(scan('16#FFFFFFFFFFFFFFFFFF')[0].value).toBe(0xffffffffffffffffffn);
  });

  it('counts columns in characters, not UTF-16 units', () => {
    const ts = scan('"😀" x');
    expect(ts[0].value).toBe('😀');
    expect(ts[1].col).toBe(5);
  });
});

describe('scanRecovering: epp goes on after an error', () => {
  it('reports every error and where tokens resume', () => {
    const r = scanRecovering('a 2#3 b 37#1 c');
    expect(r.errors.map((e) => `${e.line}:${e.col}: ${e.reason}`)).toEqual(["1:3: illegal integer", "1:9: illegal base '37'"]);
    // after 2# the scan resumes at the 3; after 37 at the #
    expect(r.tokens.map((t) => t.text)).toEqual(['a', '3', 'b', '#', '1', 'c']);
  });
});

describe('isCompleteInput (the shell submits the text when erl would stop reading)', () => {
  const cases: [string, boolean][] = [
    ['foo(.\n', true],
    ['1 + 2.\n', true],
    ['1 + 2.', true],
    ['1 +\n', false],
    ['', false],
    ['   \n', false],
    ['"abc.\n', false],
    ['"abc\ndef".\n', true],
    ["'a.\n", false],
    ['% just a comment.\n', false],
    ['x. % comment\n', true],
    ['x.%c\n', true],
    ['a.b\n', false],
    ['$.\n', false],
    ['$\n', false],
    ['2#3\n', true],
    ['f(X) ->\n  X.\n', true],
    ['#r.a\n', false],
    ['1.5\n', false],
    ['[1,2|\n', false],
  ];
  for (const [text, complete] of cases) {
    it(JSON.stringify(text), () => {
      expect(isCompleteInput(text)).toBe(complete);
    });
  }
});
