// ~w, ~p, ~P, ~W and the shell's printing, against what real erl 25 printed for the same terms
// (test/fixtures/format/pretty.json, made by gen_pretty.escript from terms.txt plus random terms).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Atom, atom } from '../../../../runtime/vm/term.js';
import { writeDeep, writeTerm } from '../../../../runtime/lib/stdlib/format/term.js';
import { printShellValue, printTerm } from '../../../../runtime/lib/stdlib/format/pretty.js';
import { prettyPrintDeep } from '../../../../runtime/lib/stdlib/format/pretty.js';
import { formatDeep } from '../../../../runtime/lib/stdlib/format/io_lib.js';
import { Deep, deepToTerm } from '../../../../runtime/lib/stdlib/format/deep.js';
import { decodeTerm, J } from '../../../fixtures/format/decode.js';

interface Case {
  term: J;
  w: string;
  tw: string;
  p: string;
  tp: string;
  lp: string;
  shell: string;
  shellu: string;
  rec: string;
  depth: number;
  P: string;
  W: string;
  col: number;
  ll: number;
  at: string;
  wd?: J;
  pd?: J;
  Pd?: J;
  atd?: J;
}

const cases: Case[] = JSON.parse(readFileSync(new URL('../../../fixtures/format/pretty.json', import.meta.url), 'utf8'));

const RECORDS: Record<string, string[]> = { 'person/3': ['name', 'age', 'email'], 'point/2': ['x', 'y'], 'Rec-q/1': ['Field'] };
const recordDefs = (tag: Atom, size: number) => RECORDS[`${tag.name}/${size}`]?.map((f) => atom(f));

const shell = { column: 1, lineLength: 80, depth: 30, lineMaxChars: 60 };

describe.each(cases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
  const t = decodeTerm(c.term);
  it('~w', () => {
    expect(writeTerm(t)).toBe(c.w);
    expect(writeTerm(t, { encoding: 'unicode' })).toBe(c.tw);
  });
  it('~p', () => {
    expect(printTerm(t)).toBe(c.p);
    expect(printTerm(t, { encoding: 'unicode' })).toBe(c.tp);
    expect(printTerm(t, { strings: false })).toBe(c.lp);
  });
  it('shell', () => {
    expect(printTerm(t, { ...shell, encoding: 'latin1' })).toBe(c.shell);
    expect(printTerm(t, { ...shell, encoding: 'unicode' })).toBe(c.shellu);
    expect(printTerm(t, { ...shell, encoding: 'latin1', recordDefs })).toBe(c.rec);
  });
  it('depth', () => {
    expect(printTerm(t, { depth: c.depth })).toBe(c.P);
    expect(writeTerm(t, { depth: c.depth })).toBe(c.W);
  });
  it.runIf(c.wd !== undefined)('deep lists as io_lib returns them', () => {
    const shape = (d: Deep) => writeTerm(deepToTerm(d));
    expect(shape(writeDeep(t))).toBe(writeTerm(decodeTerm(c.wd!)));
    expect(shape(formatDeep('~p', [t]))).toBe(writeTerm(decodeTerm(c.pd!)));
    expect(shape(formatDeep('~P', [t, c.depth]))).toBe(writeTerm(decodeTerm(c.Pd!)));
    if (c.atd !== undefined) {
      const d = prettyPrintDeep(t, { column: c.col, lineLength: c.ll, encoding: 'unicode' });
      expect(shape(d)).toBe(writeTerm(decodeTerm(c.atd)));
    }
  });
  it('column and line length', () => {
    // io_lib_pretty:print/2 defaults to the source encoding, utf8
    expect(printTerm(t, { column: c.col, lineLength: c.ll, encoding: 'unicode' })).toBe(c.at);
  });
});

describe('printShellValue', () => {
  it('prints as the shell prints results (depth 30, 60 characters a line)', () => {
    const shellCase = cases.find((c) => c.shell !== c.p)!;
    const t = decodeTerm(shellCase.term);
    expect(printShellValue(t)).toBe(shellCase.shell);
    expect(printShellValue(t, { encoding: 'unicode' })).toBe(shellCase.shellu);
  });
});
