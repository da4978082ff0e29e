import { moduleTranscripts } from '../transcript.js';

// gen_fsm as erl runs it: events, sync and all-state events, timeouts and timers, sys, a crash's report
moduleTranscripts('stdlib', 'gen_fsm');
