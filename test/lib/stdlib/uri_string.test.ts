import { describe, it } from 'vitest';
import { checkTranscript, transcripts } from '../transcript.js';

describe('uri_string', () => {
  for (const name of transcripts('stdlib').filter((n) => n.startsWith('uri_string_'))) {
    it(name, () => checkTranscript('stdlib', name), 60000);
  }
});
