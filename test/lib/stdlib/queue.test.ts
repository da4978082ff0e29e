import { describe, it } from 'vitest';
import { checkTranscript, transcripts } from '../transcript.js';

// queue: the original, extended and Okasaki APIs, their terms and their errors, as erl prints them
describe('queue', () => {
  for (const name of transcripts('stdlib').filter((n) => n === 'queue' || n.startsWith('queue_'))) {
    it(name, () => checkTranscript('stdlib', name), 60000);
  }
});
