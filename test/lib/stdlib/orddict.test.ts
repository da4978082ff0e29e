import { moduleTranscripts } from './collections.js';

// orddict as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('orddict');
