import { moduleTranscripts } from '../transcript.js';

// dict as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('stdlib', 'dict');
