// The shell's commands as erl 25 prints them: test/lib/stdlib/shell_*.in typed at terl, compared with
// what erl printed (shell_*.out). help() lists terl's own commands after erl's list: that section is
// the one difference, checked on its own.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { LIB_TESTS, checkTranscript, transcripts } from '../transcript.js';
import { normalise } from '../normalise.mjs';
import { runTerl } from '../../helpers/terl.js';

const TERL_SECTION = /\*\* terl's commands \*\*\n(?:.*\n)*?(?=true\n)/;

describe('shell commands', () => {
  for (const name of transcripts('stdlib').filter((n) => n.startsWith('shell_') && n !== 'shell_help')) {
    it(name, () => checkTranscript('stdlib', name), 60000);
  }

  it('shell_help: erl\'s list, then terl\'s commands', async () => {
    const dir = join(LIB_TESTS, 'stdlib');
    const r = await runTerl([], readFileSync(join(dir, 'shell_help.in'), 'utf8'), { cwd: dir });
    const got = normalise(r.stdout);
    expect(got).toMatch(/\*\* terl's commands \*\*\nwire\(\)     -- show this node's distribution traffic live/);
    expect(got.replace(TERL_SECTION, '')).toBe(readFileSync(join(dir, 'shell_help.out'), 'utf8'));
  }, 60000);
});
