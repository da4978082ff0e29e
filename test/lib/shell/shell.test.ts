import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

describe('shell transcripts', () => transcriptTests('shell'));
