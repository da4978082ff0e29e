import { moduleTranscripts } from '../transcript.js';

// re as erl prints it: transcripts recorded from erl 25 (test/lib/stdlib/re*.in)
moduleTranscripts('stdlib', 're');
