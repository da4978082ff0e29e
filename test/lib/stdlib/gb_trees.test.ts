import { describe, it } from 'vitest';
import { checkTranscript, transcripts } from '../transcript.js';

// gb_trees: trees, shapes and their errors, as erl prints them
describe('gb_trees', () => {
  for (const name of transcripts('stdlib').filter((n) => n === 'gb_trees' || n.startsWith('gb_trees_'))) {
    it(name, () => checkTranscript('stdlib', name), 60000);
  }
});
