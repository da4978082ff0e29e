import { moduleTranscripts } from './collections.js';

// array as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('array');
