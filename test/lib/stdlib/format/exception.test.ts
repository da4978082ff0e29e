// The shell's exception texts against real erl 25 (test/fixtures/format/exception.json, made by
// gen_exception.escript from exception_cases.txt with the shell's own call of erl_error).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Atom, NIL, atom, list, tuple } from '../../../../runtime/vm/term.js';
import { badarg } from '../../../../runtime/vm/exception.js';
import { formatException } from '../../../../runtime/lib/stdlib/format/exception.js';
import { decodeTerm, J } from '../../../fixtures/format/decode.js';

interface Case {
  src: string;
  class: J;
  reason: J;
  stack: J;
  text: string;
}

const cases: Case[] = JSON.parse(readFileSync(new URL('../../../fixtures/format/exception.json', import.meta.url), 'utf8'));
const recordDefs = (tag: Atom, size: number) =>
  tag.name === 'person' && size === 3 ? [atom('name'), atom('age'), atom('email')] : undefined;

describe('shell exception texts as erl', () => {
  it.each(cases.map((c) => [c.src, c] as const))('%s', (_src, c) => {
    const text = formatException(decodeTerm(c.class) as Atom, decodeTerm(c.reason), decodeTerm(c.stack), { recordDefs });
    expect(text).toBe(c.text);
  });
});

describe('exceptions raised by terl BIFs', () => {
  it('prints runtime/vm/exception.ts badarg explanations', () => {
    const e = badarg('erlang', 'hd', [NIL], { 1: 'not a nonempty list' });
    expect(formatException(e.cls, e.reason, e.stack)).toBe(
      '** exception error: bad argument\n' +
        '     in function  hd/1\n' +
        '        called as hd([])\n' +
        '        *** argument 1: not a nonempty list',
    );
  });

  it('marks caught exceptions with one star', () => {
    expect(formatException(atom('throw'), atom('ball'), NIL, { severity: 'benign' })).toBe('* exception throw: ball');
  });

  it('names operators with their quoting', () => {
    const stack = list([tuple(atom('erlang'), atom('/'), list([1, 0]), NIL)]);
    expect(formatException(atom('error'), atom('badarith'), stack)).toBe(
      '** exception error: an error occurred when evaluating an arithmetic expression\n' +
        "     in operator  '/'/2\n" +
        '        called as 1 / 0',
    );
  });
});
