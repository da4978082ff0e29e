import { moduleTranscripts } from '../transcript.js';

// compile:file/1,2 and c:c/1,2,3 from a program, each recorded from erl's shell (record.mjs)
moduleTranscripts('compiler', 'compile');
