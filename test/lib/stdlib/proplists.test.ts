import { moduleTranscripts } from '../transcript.js';

// proplists as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('stdlib', 'proplists');
