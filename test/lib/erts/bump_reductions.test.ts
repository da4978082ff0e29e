import { moduleTranscripts } from '../transcript.js';

// erlang:bump_reductions/1: true for a non-negative small integer, charging the caller at most
// what is left of its slice (as BEAM); badarg with erl_erts_errors' words otherwise
moduleTranscripts('erts', 'bump_reductions');
