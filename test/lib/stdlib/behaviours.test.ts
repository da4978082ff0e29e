// The behaviours and their processes (proc_lib, gen_server, gen_statem, gen_event, supervisor, sys):
// transcripts recorded from real erl, each beside the test modules it compiles.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { checkTranscript, transcripts } from '../transcript.js';
import { ROOT, runTerl } from '../../helpers/terl.js';

const OURS = /^(proc_lib|gen_server|gen_statem|gen_event|supervisor|sys)_/;

describe('behaviours', () => {
  for (const name of transcripts('stdlib').filter((n) => OURS.test(n))) {
    it(name, () => checkTranscript('stdlib', name), 60000);
  }

  // erl names the .beam of a library module; terl's library is Erlang source in runtime/lib
  it('code:which and code:ensure_loaded find the library outside the code path', async () => {
    const r = await runTerl([], 'code:which(gen_server).\ncode:is_loaded(gen_server).\ncode:ensure_loaded(supervisor).\n');
    const file = JSON.stringify(join(ROOT, 'runtime', 'lib', 'stdlib', 'gen_server.erl'));
    expect(r.stdout).toContain(`1> ${file}\n2> false\n3> {module,supervisor}\n`);
  }, 60000);
});
