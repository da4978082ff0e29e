// Fuzzing the scanner, preprocessor and parser: random token soups, mutated valid programs and
// truncations must each end in a result or an ErlSyntaxError (never another exception, never a
// hang), and whatever parses must survive the abstract-format round trip.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exprToTerm, formToTerm, termToExpr, termToForm } from '../../src/abstract.js';
import { ErlSyntaxError, isCompleteInput, parseExprs, parseForms, parseTerm } from '../../src/parse.js';
import { writeW } from './support.js';
import { VOCAB, mutate, rng } from '../fuzz/gen.js';

const exprRows: { input: string; expected: string }[] = JSON.parse(readFileSync(new URL('../fixtures/parse/parse_exprs.otp.json', import.meta.url), 'utf8'));
const formData: { includes: Record<string, string>; modules: { name: string; source: string }[] } = JSON.parse(
  readFileSync(new URL('../fixtures/parse/parse_forms.otp.json', import.meta.url), 'utf8'),
);
const validExprs = exprRows.filter((r) => r.expected.startsWith('ok')).map((r) => r.input);
const modules = formData.modules.map((m) => m.source);


type Outcome = 'ok' | 'error';

/** Run a parse; anything but an ErlSyntaxError is a bug. */
function attempt(f: () => void): Outcome {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof ErlSyntaxError) return 'error';
    throw e;
  }
}

function checkShell(text: string): Outcome {
  isCompleteInput(text);
  attempt(() => parseTerm(text));
  return attempt(() => {
    for (const e of parseExprs(text)) {
      const t = exprToTerm(e);
      expect(writeW(exprToTerm(termToExpr(t)))).toBe(writeW(t));
    }
  });
}

function checkModule(text: string): void {
  const r = parseForms(text, 'fuzz.erl', { readFile: (p) => formData.includes[p] });
  for (const f of r.forms) {
    const t = formToTerm(f);
    expect(writeW(formToTerm(termToForm(t)))).toBe(writeW(t));
  }
  for (const e of r.errors) expect(typeof e.message).toBe('string');
}

describe('fuzz', () => {
  it('random token soups', () => {
    const rand = rng(0x5eed);
    const outcomes = { ok: 0, error: 0 };
    for (let c = 0; c < 1500; c++) {
      const n = 1 + Math.floor(rand() * 25);
      const parts: string[] = [];
      for (let k = 0; k < n; k++) parts.push(VOCAB[Math.floor(rand() * VOCAB.length)]);
      const text = parts.join(rand() < 0.5 ? ' ' : '') + (rand() < 0.8 ? '. ' : '');
      outcomes[checkShell(text)]++;
      if (c % 5 === 0) checkModule(text);
    }
    expect(outcomes.error).toBeGreaterThan(0);
  });

  it('mutated valid expressions', () => {
    const rand = rng(42);
    const outcomes = { ok: 0, error: 0 };
    for (let c = 0; c < 2000; c++) {
      const base = validExprs[Math.floor(rand() * validExprs.length)];
      outcomes[checkShell(mutate(base, rand))]++;
    }
    // mutations keep some programs valid and break others
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(outcomes.error).toBeGreaterThan(100);
  });

  it('mutated modules', () => {
    const rand = rng(7);
    for (let c = 0; c < 80; c++) checkModule(mutate(modules[Math.floor(rand() * modules.length)], rand));
  });

  it('every truncation of valid programs', () => {
    for (const m of modules.slice(0, 3)) for (let k = 0; k <= m.length; k += 17) checkModule(m.slice(0, k));
    for (const e of validExprs.slice(0, 300)) for (let k = 0; k <= e.length; k++) checkShell(e.slice(0, k));
  });

  it('random characters', () => {
    const rand = rng(99);
    for (let c = 0; c < 500; c++) {
      let s = '';
      const n = Math.floor(rand() * 30);
      for (let k = 0; k < n; k++) {
        const r = rand();
        s += r < 0.7 ? String.fromCharCode(32 + Math.floor(rand() * 95)) : r < 0.9 ? String.fromCharCode(Math.floor(rand() * 0x100)) : String.fromCharCode(0xd800 + Math.floor(rand() * 0x800));
      }
      checkShell(s + '.');
      checkModule(s);
    }
  });

  it('deep nesting parses (no stack overflow for realistic depths)', () => {
    const depth = 300;
    expect(checkShell('['.repeat(depth) + ']'.repeat(depth) + '.')).toBe('ok');
    expect(checkShell('('.repeat(depth) + '1' + ')'.repeat(depth) + '.')).toBe('ok');
    expect(checkShell('1' + ' + 1'.repeat(500) + '.')).toBe('ok');
    expect(checkShell('[' + Array.from({ length: 20000 }, (_, k) => String(k)).join(',') + '].')).toBe('ok');
  });

  it('absurd nesting is a syntax error, not a crash', () => {
    expect(attempt(() => parseExprs('('.repeat(200000) + '1' + ')'.repeat(200000) + '.'))).toBe('error');
  });
});
