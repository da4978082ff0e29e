import { moduleTranscripts } from '../transcript.js';

// Appending to binaries, which terl does in place when the binary ends where its buffer's used
// part does (runtime/vm/bitsyntax.ts): the results of long accumulator loops, of two appends to one
// binary, of appends to sub-binaries and of bitstrings, recorded from erl
moduleTranscripts('erts', 'binary_append');
