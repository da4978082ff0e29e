import { describe, it } from 'vitest';
import { checkTranscript, transcripts } from '../transcript.js';

// ets's transcripts (test/lib/stdlib/ets_*.in), recorded from real erl
describe('ets', () => {
  for (const name of transcripts('stdlib').filter((n) => n.startsWith('ets_'))) {
    it(name, () => checkTranscript('stdlib', name), 60000);
  }
});
