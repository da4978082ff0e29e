import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

describe('crypto', () => transcriptTests('crypto'));
