import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

// sockets, ports, files (file_*: file info, links, scripts, open files, copy), os (os_*), logger,
// error_logger and application on one node, against transcripts recorded from real erl
describe('kernel', () => transcriptTests('kernel'));
