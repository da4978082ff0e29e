import { transcriptTests } from '../transcript.js';

// dbg's tracer, p/2, tp/tpl/ctp with fun2ms and stop/0, printing send, receive and call traces as
// erl's dbg prints them (shapes.erl is the traced module)
transcriptTests('runtime_tools');
