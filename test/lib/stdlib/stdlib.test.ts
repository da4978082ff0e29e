import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

describe('stdlib', () => transcriptTests('stdlib'));
