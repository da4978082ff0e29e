// Errors typed at the shell, printed and as terms (`catch`): process BIFs (with the `cause` OTP's
// error_info carries), a monitor on oneself, the shell's link to its evaluator, arithmetic, shell funs.
// fixtures/shell/*.out is what erl 25 printed for the *.in beside it, with pids written as <PID>
// (their numbers differ between nodes).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ROOT, runTerl } from '../../../helpers/terl.js';

const dir = join(ROOT, 'test', 'fixtures', 'shell');

async function transcript(name: string): Promise<[string, string]> {
  const r = await runTerl([], readFileSync(join(dir, `${name}.in`), 'utf8'));
  // (the banner line names the system: left out)
  const got = r.stdout.split('\n').slice(1).join('\n').replace(/<0\.\d+\.0>/g, '<PID>');
  return [got, readFileSync(join(dir, `${name}.out`), 'utf8')];
}

const transcripts: [string, string][] = [
  ['process_errors', 'register, link, monitor, send_after, process_flag and ! errors; self-monitors; the shell link'],
  ['arith_errors', 'arithmetic errors name erl_erts_errors in their frame'],
  ['eval_frames', "match and clause failures are raised by erl_eval (its frame, no call's), in shell code and in shell funs"],
  ['fun_clause', "a shell fun's clauses that do not match: the message, and the frames of catch and try"],
  ['eval_paths', "erl_eval's frames for where a call is in shell code: a list's head, a tuple's element, a match, a body"],
];

describe('errors at the shell, as erl prints them', () => {
  for (const [name, what] of transcripts) {
    it(what, async () => {
      const [got, want] = await transcript(name);
      expect(got).toBe(want);
    });
  }
});
