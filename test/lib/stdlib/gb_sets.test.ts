import { moduleTranscripts } from './collections.js';

// gb_sets as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('gb_sets');
