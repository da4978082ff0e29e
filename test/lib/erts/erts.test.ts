import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

describe('erts transcripts (the erlang module)', () => transcriptTests('erts'));
