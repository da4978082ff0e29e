import { moduleTranscripts } from '../transcript.js';

// reading Erlang terms and formatted input as erl does: io:read/1,2,3, io:fread/2,3,
// io:scan_erl_exprs and io:parse_erl_exprs from the shell's standard input and from files
// opened with file:open, io_lib:fread/2,3, and file:consult; with their errors and end of file
moduleTranscripts('stdlib', 'io_read');
