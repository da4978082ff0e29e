import { moduleTranscripts } from '../transcript.js';

// erlang:fun_info and the names OTP's compiler gives funs, as erl prints them
moduleTranscripts('erts', 'fun_info');
