import { moduleTranscripts } from '../transcript.js';

// erlang:trace/3's send, 'receive' and procs events, their trace messages as erl delivers them
moduleTranscripts('erts', 'trace');
