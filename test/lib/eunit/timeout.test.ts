// A test past its time limit: erl prints "*timed out*" and the test process's stack at that moment,
// which terl cannot read (process_info(P, current_stacktrace) knows no frames), so this is checked
// here and not as a transcript: the rest of what erl prints, the group cancelled with it, the summary.
import { it, expect } from 'vitest';
import { join } from 'node:path';
import { runTerl } from '../../helpers/terl.js';
import { LIB_TESTS } from '../transcript.js';

it('eunit: a test that times out is cancelled with the rest of its group', async () => {
  const r = await runTerl([], 'c(slow).\nslow:test().\n', { cwd: join(LIB_TESTS, 'eunit', 'timeout'), timeoutMs: 30000 });
  expect(r.stdout).toContain(
    [
      '2> slow:5: -slow_test_/0-fun-0-...*timed out*',
      'undefined',
      '=======================================================',
      '  Failed: 0.  Skipped: 0.  Passed: 1.',
      'One or more tests were cancelled.',
      'error',
      '3> ',
    ].join('\n'),
  );
}, 30000);
