// Transcript tests for terl's library: test/lib/<app>/<name>.in is typed at a shell (piped, as a
// script would), and <name>.out is what real erl 25 printed for it, recorded by record.mjs. terl
// must print the same. Both sides are normalised alike (normalise.mjs).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ROOT, runTerl } from '../helpers/terl.js';
import { normalise } from './normalise.mjs';

export const LIB_TESTS = join(ROOT, 'test', 'lib');

/** The transcripts of one folder (test/lib/<app>), by name. */
export function transcripts(folder: string): string[] {
  return readdirSync(join(LIB_TESTS, folder))
    .filter((f) => f.endsWith('.in'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Run <folder>/<name>.in through terl and compare with erl's <name>.out. */
export async function checkTranscript(folder: string, name: string, args: string[] = []): Promise<void> {
  const input = readFileSync(join(LIB_TESTS, folder, `${name}.in`), 'utf8');
  const want = readFileSync(join(LIB_TESTS, folder, `${name}.out`), 'utf8');
  const r = await runTerl(args, input, { cwd: join(LIB_TESTS, folder), timeoutMs: 60000 });
  expect(normalise(r.stdout)).toBe(want);
}

/** One test per transcript in the folder. */
export function transcriptTests(folder: string, args: string[] = []): void {
  for (const name of transcripts(folder)) {
    it(`${folder}/${name}`, () => checkTranscript(folder, name, args), 60000);
  }
}

/** The transcripts of one module: <mod>.in and <mod>_<topic>.in in test/lib/<folder>, one test each. */
export function moduleTranscripts(folder: string, mod: string, args: string[] = []): void {
  describe(mod, () => {
    for (const name of transcripts(folder).filter((n) => n === mod || n.startsWith(mod + '_'))) {
      it(name, () => checkTranscript(folder, name, args), 60000);
    }
  });
}
