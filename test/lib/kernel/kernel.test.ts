import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

describe('kernel', () => transcriptTests('kernel'));
