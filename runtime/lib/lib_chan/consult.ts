// lib_chan reads lib_chan.conf with file:consult/1 (runtime/lib/kernel/file_consult.ts), so its errors are
// file:consult's: {error, enoent}, {error, {Line, erl_parse, ...}}, ... passed on in {eDaemonConfig, Why}.

export { consult, consultText, type Consulted } from '../kernel/file_consult.js';
export { fileName } from '../kernel/file.js';
