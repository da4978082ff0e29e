import { describe, it } from 'vitest';
import { checkTranscript, transcripts } from '../transcript.js';

describe('re', () => {
  for (const name of transcripts('stdlib').filter((n) => n.startsWith('re_'))) {
    it(name, () => checkTranscript('stdlib', name), 60000);
  }
});
