import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

// sockets, ports, os:cmd, logger, error_logger and application on one node, against transcripts recorded from real erl
describe('kernel', () => transcriptTests('kernel'));
