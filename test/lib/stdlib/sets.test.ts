import { moduleTranscripts } from './collections.js';

// sets as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('sets');
