// Errors typed at the shell, printed and as terms (`catch`): process BIFs (with the `cause` OTP's
// error_info carries), a monitor on oneself, the shell's link to its evaluator, arithmetic, shell funs.
// fixtures/shell/*.out is what erl 25 printed for the *.in beside it, with pids written as <PID>
// (their numbers differ between nodes).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ROOT, runTerl } from './helpers/terl.js';

const dir = join(ROOT, 'test', 'fixtures', 'shell');

async function transcript(name: string): Promise<[string, string]> {
  const r = await runTerl([], readFileSync(join(dir, `${name}.in`), 'utf8'));
  // (the banner line names the system: left out)
  const got = r.stdout.split('\n').slice(1).join('\n').replace(/<0\.\d+\.0>/g, '<PID>');
  return [got, readFileSync(join(dir, `${name}.out`), 'utf8')];
}

describe('errors at the shell, as erl prints them', () => {
  it('register, link, monitor, send_after, process_flag and ! errors; self-monitors; the shell link', async () => {
    const [got, want] = await transcript('process_errors');
    expect(got).toBe(want);
  });
  it('arithmetic errors name erl_erts_errors in their frame', async () => {
    const [got, want] = await transcript('arith_errors');
    expect(got).toBe(want);
  });
  it("a shell fun's clauses that do not match: the message, and the frames of catch and try", async () => {
    const [got, want] = await transcript('fun_clause');
    expect(got).toBe(want);
  });
});
