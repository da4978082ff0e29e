import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

describe('the transcript harness', () => transcriptTests('demo'));
