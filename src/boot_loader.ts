// `-loader inet`: a call to a user module that is not loaded fetches it from the boot server
// (runtime/lib/erts/erl_prim_loader.ts), looking along the code path as erl's code server does
// there: each directory's Mod.erl (a terl server has the source) then Mod.beam (a real server's
// compiled module, loaded from its debug info, or else from the source its compile info names,
// fetched from the same server). Relative directories are the server's: "." is its working directory.

import { atom } from '../runtime/vm/term.js';
import { codeServer } from '../runtime/vm/code_server.js';
import { codePath, libraryAppDir } from '../runtime/vm/code_path.js';
import { joinText } from '../runtime/vm/path.js';
import { fetchFirst, onMaster } from '../runtime/lib/erts/erl_prim_loader.js';
import { loadBeamForms, reportNoSource } from '../runtime/lib/kernel/code_binary.js';
import { writeStdout } from '../runtime/lib/kernel/user.js';
import { parseForms } from './parse.js';
import { compileModule } from './compile/module.js';
import { formatDiagnostic, sortDiagnostics } from './compile/diagnostic.js';

/** Compile fetched source and load it as from `file`; its errors and warnings shown as the loader shows a local module's. */
function loadFetchedSource(module: string, file: string, source: string): boolean {
  const parsed = parseForms(source, file, { libDir: libraryAppDir });
  const r = parsed.errors.length > 0 ? undefined : compileModule(parsed.forms, file, source);
  const diagnostics = r === undefined ? parsed.errors.map((e) => ({ ...e, severity: 'error' as const })) : r.ok ? r.warnings : [...r.errors, ...r.warnings];
  if (diagnostics.length > 0) writeStdout(sortDiagnostics(diagnostics).map((d) => formatDiagnostic(file, d, source)).join(''));
  if (r === undefined || !r.ok || r.module.name.name !== module) return false;
  codeServer.load({ ...r.module, file });
  return true;
}

/** Load `module` from the boot server; false when no directory of the path has it there. */
export function loadFromBootServer(module: string): boolean {
  const names = codePath().flatMap((dir) => [joinText(dir, `${module}.erl`), joinText(dir, `${module}.beam`)]);
  const got = fetchFirst(names);
  if (got === undefined) return false;
  const file = onMaster(got.file);
  if (file.endsWith('.erl')) return loadFetchedSource(module, file, new TextDecoder().decode(got.bytes));
  const mod = atom(module);
  const r = loadBeamForms(mod, file, got.bytes);
  if (r === 'loaded') return true;
  if (r === 'bad') return false;
  const src = r.source === undefined ? undefined : fetchFirst([r.source]);
  const text = src === undefined ? undefined : new TextDecoder().decode(src.bytes);
  if (r.source !== undefined && text !== undefined && loadFetchedSource(module, r.source, text)) return true;
  reportNoSource(mod, file, r.source, text);
  return false;
}
