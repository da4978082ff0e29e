// io:format's badarg explanations against real erl 25 (test/fixtures/format/io_errors.json,
// made by gen_io_errors.escript from erl_stdlib_errors and erl_lint:check_format_string).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { atom, charlist, list } from '../../../../runtime/vm/term.js';
import { formatException } from '../../../../runtime/lib/stdlib/format/exception.js';
import { checkFormatString, explainFormatError, ioFormatBadarg } from '../../../../runtime/lib/stdlib/format/io_errors.js';
import { decodeTerm, J } from '../../../fixtures/format/decode.js';

interface Case {
  src: string;
  fmt: J;
  args: J;
  why: Record<string, string>;
  lint: { ok: string[] } | { error: string } | null;
}

const cases: Case[] = JSON.parse(readFileSync(new URL('../../../fixtures/format/io_errors.json', import.meta.url), 'utf8'));

describe('io:format explanations as erl', () => {
  it.each(cases.map((c) => [c.src, c] as const))('%s', (_src, c) => {
    const fmt = decodeTerm(c.fmt);
    const args = decodeTerm(c.args);
    const why = explainFormatError(fmt, args);
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(why.args)) flat[k] = v;
    if (why.general !== undefined) flat.general = why.general;
    expect(flat).toEqual(c.why);
    if (c.lint !== null) {
      const lint = checkFormatString(fmt);
      expect('ok' in lint ? { ok: lint.ok } : { error: lint.error }).toEqual(c.lint);
    }
  });
});

describe('io:format badarg as the shell prints it', () => {
  it('explains a wrong number of arguments', () => {
    const e = ioFormatBadarg('format', [charlist('~p'), list([])]);
    expect(formatException(e.cls, e.reason, e.stack)).toBe(
      '** exception error: bad argument\n' +
        '     in function  io:format/2\n' +
        '        called as io:format("~p",[])\n' +
        '        *** argument 1: wrong number of arguments',
    );
  });

  it('counts the device as argument 1 in io:format/3', () => {
    const e = ioFormatBadarg('format', [atom('standard_io'), charlist('~s~n'), list([list([1, 2], atom('x'))])]);
    expect(formatException(e.cls, e.reason, e.stack)).toBe(
      '** exception error: bad argument\n' +
        '     in function  io:format/3\n' +
        '        called as io:format(standard_io,"~s~n",[[1,2|x]])\n' +
        '        *** argument 3: element 1 must be of type string',
    );
  });
});
