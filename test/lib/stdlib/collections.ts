// The transcripts of one library module: <mod>.in and <mod>_<topic>.in in test/lib/stdlib,
// each typed at terl and compared with what erl printed (see ../transcript.ts).
import { describe, it } from 'vitest';
import { checkTranscript, transcripts } from '../transcript.js';

export function moduleTranscripts(mod: string): void {
  describe(mod, () => {
    for (const name of transcripts('stdlib').filter((n) => n === mod || n.startsWith(mod + '_'))) {
      it(name, () => checkTranscript('stdlib', name), 60000);
    }
  });
}
