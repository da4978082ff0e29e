import { moduleTranscripts } from '../transcript.js';

// orddict as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('stdlib', 'orddict');
