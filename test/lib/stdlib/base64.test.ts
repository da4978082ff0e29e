import { moduleTranscripts } from '../transcript.js';

// base64 as erl prints it: transcripts recorded from erl 25 (test/lib/stdlib/base64*.in)
moduleTranscripts('stdlib', 'base64');
