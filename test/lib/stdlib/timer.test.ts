import { moduleTranscripts } from '../transcript.js';

// timer as erl prints it: send_after/apply_after/exit_after/kill_after and their intervals with the
// kinds of their references, cancel, sleep, tc, the units, now_diff and the errors of each
moduleTranscripts('stdlib', 'timer');
