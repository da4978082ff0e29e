import { moduleTranscripts } from '../transcript.js';

// ordsets as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('stdlib', 'ordsets');
