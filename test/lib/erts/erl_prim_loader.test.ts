import { moduleTranscripts } from '../transcript.js';

// erl_prim_loader on the local file system (-loader efile), as erl prints it; the inet loader is
// test/interop/boot_server.test.ts
moduleTranscripts('erts', 'erl_prim_loader');
