// The behaviours and their processes (proc_lib, gen_server, gen_statem, gen_event, supervisor, sys):
// transcripts recorded from real erl, each beside the test modules it compiles.
import { describe, it } from 'vitest';
import { checkTranscript, transcripts } from '../transcript.js';

const OURS = /^(proc_lib|gen_server|gen_statem|gen_event|supervisor|sys)_/;

describe('behaviours', () => {
  for (const name of transcripts('stdlib').filter((n) => OURS.test(n))) {
    it(name, () => checkTranscript('stdlib', name), 60000);
  }
});
