import { moduleTranscripts } from '../transcript.js';

// queue as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('stdlib', 'queue');
