import { moduleTranscripts } from '../transcript.js';

// erl_scan as erl prints it: tokens with lines, columns and text, the re-entrant tokens/3, the
// token accessors, and the errors with erl_scan:format_error's words
moduleTranscripts('stdlib', 'erl_scan');
