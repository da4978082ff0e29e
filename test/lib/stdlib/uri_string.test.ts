import { moduleTranscripts } from '../transcript.js';

// uri_string as erl prints it: transcripts recorded from erl 25 (test/lib/stdlib/uri_string*.in)
moduleTranscripts('stdlib', 'uri_string');
