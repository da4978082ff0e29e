// io_lib:format against real erl 25 (test/fixtures/format/io_lib.json, made by gen_io_lib.escript
// from io_lib_cases.txt): the text, or badarg where erl raises it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErlangException } from '../../../../runtime/vm/exception.js';
import { List, NIL, atom, charlist, list, listToArray } from '../../../../runtime/vm/term.js';
import { format, formatDeep } from '../../../../runtime/lib/stdlib/format/io_lib.js';
import { deepToTerm } from '../../../../runtime/lib/stdlib/format/deep.js';
import { writeTerm } from '../../../../runtime/lib/stdlib/format/term.js';
import { decodeTerm, J } from '../../../fixtures/format/decode.js';

interface Case {
  src: string;
  fmt: J;
  args: J;
  out: string | null;
  deep: J | null;
}

const cases: Case[] = JSON.parse(readFileSync(new URL('../../../fixtures/format/io_lib.json', import.meta.url), 'utf8'));

describe('io_lib:format as erl', () => {
  it.each(cases.map((c) => [c.src, c] as const))('%s', (_src, c) => {
    const fmt = decodeTerm(c.fmt);
    const args = decodeTerm(c.args);
    if (c.out === null) {
      expect(() => format(fmt, args)).toThrow(ErlangException);
    } else {
      expect(format(fmt, args)).toBe(c.out);
      // the deep list itself, as the shell would show io_lib:format's result
      expect(writeTerm(deepToTerm(formatDeep(fmt, args)))).toBe(writeTerm(decodeTerm(c.deep!)));
    }
  });
});

describe('io_lib:format badarg', () => {
  it('names io_lib:format/2 and its arguments in the stack', () => {
    let caught: unknown;
    try {
      format('~p~p', [atom('a')]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ErlangException);
    const e = caught as ErlangException;
    expect(e.reason).toBe(atom('badarg'));
    const frame = listToArray(e.stack)![0];
    expect(writeTerm(frame)).toBe('{io_lib,format,[[126,112,126,112],[a]],[]}');
  });

  it('accepts Erlang lists as well as arrays for the arguments', () => {
    expect(format(charlist('~w/~w'), list([1, 2]))).toBe('1/2');
    expect(format('~w', new List(1, NIL))).toBe('1');
  });
});

describe('io_lib:format with the same format term again', () => {
  // a format term met again is read from its earlier scan: the arguments must still fit it
  it('formats each call with its own arguments, and still refuses too few or too many', () => {
    const fmt = charlist('<~p|~w>~n');
    for (let i = 0; i < 6; i++) expect(format(fmt, [i, atom('x' + i)])).toBe(`<${i}|x${i}>\n`);
    expect(format(fmt, [list([1, 2]), charlist('ab')])).toBe('<[1,2]|[97,98]>\n');
    expect(() => format(fmt, [1])).toThrow(ErlangException);
    expect(() => format(fmt, [1, 2, 3])).toThrow(ErlangException);
  });
  it('reads a * width from each call arguments', () => {
    const fmt = charlist('~*w|');
    for (let i = 0; i < 6; i++) expect(format(fmt, [3 + i, atom('a')])).toBe(`${' '.repeat(2 + i)}a|`);
  });
});
