import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, lintText } from './harness.js';

// Each test/fixtures/compile/lint/<m>.erl was compiled by real erlc; <m>.expected holds what it
// printed (without the source excerpts). terl's linter must print the same lines, in the same order.
const dir = join(fixtures, 'lint');
const files = readdirSync(dir).filter((f) => f.endsWith('.erl'));

describe('lint diagnostics as erlc prints them', () => {
  it.each(files)('%s', (file) => {
    const src = readFileSync(join(dir, file), 'utf8');
    const expected = readFileSync(join(dir, file.replace(/\.erl$/, '.expected')), 'utf8').split('\n').filter(Boolean);
    expect(lintText(src, file)).toEqual(expected);
  });
});
