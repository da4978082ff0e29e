import { moduleTranscripts } from '../transcript.js';

// binary_to_term(B, [safe]) and max_heap_size as erl prints them: transcripts recorded from erl 25
moduleTranscripts('erts', 'binary_to_term_safe');
moduleTranscripts('erts', 'max_heap_size');
