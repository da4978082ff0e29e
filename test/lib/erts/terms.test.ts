import { describe, it } from 'vitest';
import { checkTranscript, transcripts } from '../transcript.js';

// phash/phash2 and the term stores (persistent_term, counters, atomics), recorded from real erl
const MINE = ['phash', 'persistent_term', 'counters', 'atomics'];

describe('erts: hashing and term stores', () => {
  for (const name of transcripts('erts').filter((n) => MINE.some((m) => n.startsWith(m)))) {
    it(name, () => checkTranscript('erts', name), 60000);
  }
});
