import { describe, it } from 'vitest';
import { checkTranscript, transcripts } from '../transcript.js';

// digraph and digraph_utils (runtime/lib/stdlib/*.erl), recorded from real erl
describe('digraph', () => {
  for (const name of transcripts('stdlib').filter((n) => n.startsWith('digraph_'))) {
    it(name, () => checkTranscript('stdlib', name), 60000);
  }
});
