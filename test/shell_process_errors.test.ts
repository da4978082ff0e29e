// Process BIFs typed at the shell: the errors (with the `cause` OTP's error_info carries), a monitor
// on oneself, and the shell's link to its evaluator. fixtures/shell/process_errors.out is what erl 25
// printed for process_errors.in, with pids written as <PID> (their numbers differ between nodes).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ROOT, runTerl } from './helpers/terl.js';

const dir = join(ROOT, 'test', 'fixtures', 'shell');

describe('process BIFs at the shell, as erl prints them', () => {
  it('register, link, monitor, send_after, process_flag and ! errors; self-monitors; the shell link', async () => {
    const input = readFileSync(join(dir, 'process_errors.in'), 'utf8');
    const r = await runTerl([], input);
    const got = r.stdout.split('\n').slice(1).join('\n').replace(/<0\.\d+\.0>/g, '<PID>');
    expect(got).toBe(readFileSync(join(dir, 'process_errors.out'), 'utf8'));
  });
});
