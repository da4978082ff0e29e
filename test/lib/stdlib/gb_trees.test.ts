import { moduleTranscripts } from '../transcript.js';

// gb_trees as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('stdlib', 'gb_trees');
