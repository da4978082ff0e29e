import { transcriptTests } from '../transcript.js';

// dbg's tracer, p/2 and stop/0, printing send and receive traces as erl's dbg prints them
transcriptTests('runtime_tools');
