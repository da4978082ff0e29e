// Syntax, scan and preprocessor errors against real OTP: the error rows of test/fixtures/parse/parse_exprs.otp.json
// (what erl_parse:parse_exprs said, which the shell prints as "* L:C: Reason") and the errors and
// warnings epp:parse_file reported for the modules of test/fixtures/parse/parse_forms.otp.json (what erlc prints
// as "file.erl:L:C: Reason"). Each path that raises an error in src/parse/ and src/epp.ts has a case.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErlSyntaxError, parseExprs, parseExprsSeq, parseForms, parseTerm, parseTerms } from '../../src/parse.js';

const exprRows: { input: string; expected: string }[] = JSON.parse(readFileSync(new URL('../fixtures/parse/parse_exprs.otp.json', import.meta.url), 'utf8'));
const formData: {
  includes: Record<string, string>;
  modules: { name: string; source: string; forms: string[]; errors: string[]; warnings: string[] }[];
} = JSON.parse(readFileSync(new URL('../fixtures/parse/parse_forms.otp.json', import.meta.url), 'utf8'));

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ErlSyntaxError) return `error ${e.line}:${e.col}: ${e.reason}`;
    throw e;
  }
  return 'no error';
}

describe('shell input errors (erl_scan / erl_parse)', () => {
  for (const row of exprRows.filter((r) => r.expected.startsWith('error'))) {
    it(JSON.stringify(row.input), () => {
      expect(errorOf(() => parseExprs(row.input))).toBe(row.expected);
    });
  }
});

describe('module errors and warnings (epp and erl_parse)', () => {
  const readFile = (p: string): string | undefined => formData.includes[p];
  for (const m of formData.modules) {
    describe(m.name, () => {
      const r = parseForms(m.source, m.name, { readFile });
      it('errors', () => {
        expect(r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual(m.errors);
      });
      it('warnings', () => {
        expect(r.warnings.map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual(m.warnings);
      });
    });
  }

  it('names the included file an error is in', () => {
    const r = parseForms('-module(a).\n-include("bad.hrl").\n', 'a.erl', { readFile });
    expect(r.errors).toEqual([{ line: 1, col: 11, message: "syntax error before: '->'", file: 'bad.hrl' }]);
  });

  it('reads include files from the include path and -include_lib through libDir', () => {
    const files: Record<string, string> = { 'inc/x.hrl': '-define(X, from_path).\n', '/otp/kernel/include/file.hrl': '-define(Y, from_lib).\n' };
    const src = '-module(a).\n-include("x.hrl").\n-include_lib("kernel/include/file.hrl").\nf() -> {?X, ?Y}.\n';
    const r = parseForms(src, 'a.erl', {
      includePath: ['inc'],
      readFile: (p) => files[p],
      libDir: (app) => (app === 'kernel' ? '/otp/kernel' : undefined),
    });
    expect(r.errors).toEqual([]);
    expect(r.forms.map((f) => f.type)).toContain('function');
  });

  it('takes predefined macros like erlc -D', () => {
    const r = parseForms('-module(a).\n-ifdef(DEBUG).\nf() -> ?LEVEL.\n-endif.\n', 'a.erl', { macros: { DEBUG: undefined, LEVEL: '3' } });
    expect(r.errors).toEqual([]);
    const f = r.forms.find((x) => x.type === 'function');
    expect(f?.type === 'function' && f.clauses[0].body[0]).toMatchObject({ type: 'integer', value: 3 });
  });
});

describe('other entry points', () => {
  it('parseExprsSeq stops at the first bad expression', () => {
    expect(parseExprsSeq('a. b, c. d.').map((es) => es.length)).toEqual([1, 2, 1]);
    expect(errorOf(() => parseExprsSeq('a. b c. d.'))).toBe('error 1:6: syntax error before: c');
  });

  it('parseTerm: "bad term" where erl_parse:parse_term says it', () => {
    // what erl_parse:parse_term answers for the same tokens
    expect(errorOf(() => parseTerm('a, b.'))).toBe('error 1:4: bad term');
    expect(errorOf(() => parseTerm('X.'))).toBe('error 1:1: bad term');
    expect(errorOf(() => parseTerm('{ok, f(1)}.'))).toBe('error 1:1: bad term');
    expect(errorOf(() => parseTerm('{ok'))).toBe('error 1:2: syntax error before: ');
  });

  it('parseTerms: file:consult reads every term', () => {
    expect(parseTerms('{a, 1}.\n"x".\n[].\n')).toHaveLength(3);
    expect(errorOf(() => parseTerms('{a, 1}.\n{b 2}.\n'))).toBe('error 2:4: syntax error before: 2');
  });

  it('a second function clause after the shell expressions is a head mismatch or a syntax error', () => {
    expect(errorOf(() => parseExprs('1; g() -> 2.'))).toBe('error 1:4: head mismatch');
    expect(errorOf(() => parseExprs('1; 2.'))).toBe('error 1:4: syntax error before: 2');
    // erl's own shell crashes on "1; f() -> 2."; terl reports the ';'
    expect(errorOf(() => parseExprs('1; f() -> 2.'))).toBe("error 1:2: syntax error before: ';'");
  });

  it('tokens after the dot of a single expression', () => {
    expect(errorOf(() => parseExprs('1. 2.'))).toBe('error 1:4: syntax error before: 2');
  });
});
