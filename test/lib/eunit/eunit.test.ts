import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

describe('eunit: its header, the assertion macros and the test runner', () => transcriptTests('eunit'));
