import { moduleTranscripts } from '../transcript.js';

// zlib as erl prints it: transcripts recorded from erl 25 (test/lib/erts/zlib_*.in)
moduleTranscripts('erts', 'zlib');
