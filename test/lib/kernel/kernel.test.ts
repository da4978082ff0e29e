import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

// gen_tcp, gen_udp, inet, ports and os:cmd on one node, against transcripts recorded from real erl
describe('kernel: sockets and ports', () => transcriptTests('kernel'));
