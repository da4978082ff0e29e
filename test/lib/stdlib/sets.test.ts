import { moduleTranscripts } from '../transcript.js';

// sets as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('stdlib', 'sets');
