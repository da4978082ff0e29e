import { moduleTranscripts } from '../transcript.js';

// erlang:trace/3's send, 'receive', procs and call events (call with erlang:trace_pattern/3), their
// trace messages as erl delivers them
moduleTranscripts('erts', 'trace');
