import { moduleTranscripts } from '../transcript.js';

// ~p's text as io:format and io_lib:format give it: one line and broken lines, strings and
// binaries recognised, atoms quoted, the column a ~p starts at after text and tabs, and a piped
// (latin1) device's \x{...} for characters above 255
moduleTranscripts('stdlib', 'io_lib_pretty');
