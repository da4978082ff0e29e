import { moduleTranscripts } from '../transcript.js';

// rand as erl prints it: transcripts recorded from erl 25 (test/lib/stdlib/rand*.in)
moduleTranscripts('stdlib', 'rand');
