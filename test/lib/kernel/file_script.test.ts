import { moduleTranscripts } from '../transcript.js';

// file:script, file:eval and the path_ versions as erl runs them: each form evaluated with the
// bindings before it, the value of the last, the first error (a syntax error, or what a form raised)
moduleTranscripts('kernel', 'file_script');
