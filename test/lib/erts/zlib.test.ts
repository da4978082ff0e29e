import { describe, it } from 'vitest';
import { checkTranscript, transcripts } from '../transcript.js';

describe('zlib', () => {
  for (const name of transcripts('erts').filter((n) => n.startsWith('zlib_'))) {
    it(name, () => checkTranscript('erts', name), 60000);
  }
});
