import { moduleTranscripts } from './collections.js';

// queue as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('queue');
