import { moduleTranscripts } from './collections.js';

// dict as erl prints it: its terms, every function, the errors of wrong arguments
moduleTranscripts('dict');
