// Loading a module from source text that came from another node (nl/1): the same compile and load
// as c/1, without a file on this node's disk.

import { codeServer } from '../runtime/vm/code_server.js';
import { parseForms } from './parse.js';
import { compileModule } from './compile/module.js';
import { libraryAppDir } from '../runtime/vm/code_path.js';
import './loader.js';

/** Compile `source` (module `module`, from `file` on the sending node) and load it; false when it does not compile. */
export function loadSourceText(module: string, file: string, source: string): boolean {
  const parsed = parseForms(source, file, { libDir: libraryAppDir });
  if (parsed.errors.length > 0) return false;
  const r = compileModule(parsed.forms, file, source);
  if (!r.ok || r.module.name.name !== module) return false;
  codeServer.load(r.module);
  return true;
}
