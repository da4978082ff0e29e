// stdlib's transcripts: test/lib/stdlib/<name>.in typed at terl, compared with what erl 25 printed
// (<name>.out, recorded by test/lib/record.mjs).

import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

describe('stdlib transcripts', () => transcriptTests('stdlib'));
