import { moduleTranscripts } from '../transcript.js';

// array as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('stdlib', 'array');
