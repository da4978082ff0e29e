// lib_chan reads lib_chan.conf with file:consult/1 (runtime/bifs/file_consult.ts), so its errors are
// file:consult's: {error, enoent}, {error, {Line, erl_parse, ...}}, ... passed on in {eDaemonConfig, Why}.

export { consult, consultText, type Consulted } from '../bifs/file_consult.js';
export { fileName } from '../bifs/file.js';
