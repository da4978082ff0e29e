import { describe } from 'vitest';
import { transcriptTests } from '../transcript.js';

describe('erts: erlang:fun_info and the names OTP gives funs', () => transcriptTests('erts'));
