import { describe, it } from 'vitest';
import { checkTranscript } from '../transcript.js';

describe('base64', () => {
  it('base64', () => checkTranscript('stdlib', 'base64'), 60000);
});
