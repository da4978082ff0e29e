import { moduleTranscripts } from '../transcript.js';

// erl_eval as erl prints it: expressions parsed by erl_parse evaluated with bindings (orddicts
// and maps), local and non-local function handlers, the binding functions, and the errors
// ({unbound_var, Name}, badmatch, undefined local functions) as the shell shows them
moduleTranscripts('stdlib', 'erl_eval');
