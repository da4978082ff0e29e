import { describe, it } from 'vitest';
import { checkTranscript, transcripts } from '../transcript.js';

describe('binary', () => {
  for (const name of transcripts('stdlib').filter((n) => n.startsWith('binary_'))) {
    it(name, () => checkTranscript('stdlib', name), 60000);
  }
});
