// Loading Erlang source into the code server: c(Mod) in the shell, and the code path search that
// makes a call to an unloaded module find Mod.erl on the code path (-pa, the current directory, -pz), as
// erl finds Mod.beam. terl's object code is the source itself.

import { installCallTraceInstrumenter } from './compile/trace_instrument.js';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { basename, relative, isAbsolute, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeStdout } from '../runtime/lib/kernel/user.js';
import { codeServer } from '../runtime/vm/code_server.js';
import { getCwd, resolvePath } from '../runtime/vm/cwd.js';
import { initCodePath, findInPath, findInLibrary, libraryAppDir, setLibraryRoot } from '../runtime/vm/code_path.js';
import { loadKept } from './compile/precompiled.js';
import { usingInet } from '../runtime/lib/erts/erl_prim_loader.js';
import { loadFromBootServer } from './boot_loader.js';
import { parseForms } from './parse.js';
import { compileModule, type CompiledModule } from './compile/module.js';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from './compile/diagnostic.js';

/** -pa and -pz directories: the code path is -pa, ".", -pz (runtime/vm/code_path.ts; code:add_patha & co. change it). */
export function setCodePath(pa: string[], pz: string[]): void {
  initCodePath(pa, pz);
}

/** Where Mod.erl is on the code path (an absolute file name), or undefined. */
export function findSource(module: string): string | undefined {
  return findInPath(module + '.erl')?.abs;
}

export interface CompileResult {
  ok: boolean;
  module: string;
  /** what c/1 prints before its result: errors and warnings, as erlc words them */
  messages: string;
  /** no such source file: c/1 answers {error,non_existing} */
  missing?: boolean;
}

/** A source file compiled: its errors and warnings too, each in source order, and the file named as erlc shows it. */
export interface SourceCompileResult extends CompileResult {
  compiled?: CompiledModule;
  shown: string;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

function display(file: string): string {
  const rel = relative(getCwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

// terl's own library (runtime/vm/code_path.ts findInLibrary): this file is src/loader.ts in the
// sources and dist/<chunk>.js when built, so the package's root is one level up either way. The build
// keeps each library module compiled in dist/lib/<mod>.json (scripts/precompile.ts).
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
setLibraryRoot(join(ROOT, 'runtime', 'lib'));
const KEPT = join(ROOT, 'dist', 'lib');

/** Load the build's compiled copy of a library module; false when there is none, or its source is newer. */
function loadKeptModule(module: string, file: string): boolean {
  const kept = join(KEPT, module + '.json');
  try {
    if (statSync(kept).mtimeMs < statSync(file).mtimeMs) return false;
    const m = loadKept(readFileSync(kept, 'utf8'), basename(file));
    if (m === undefined) return false;
    codeServer.load({ ...m, file });
    return true;
  } catch {
    return false;
  }
}

/** Compile a source file: the module, or what c/1 prints of its errors; a library module's frames name just its file, as OTP's do. */
export function compileSourceFile(file: string): SourceCompileResult {
  const shown = findInLibrary(basename(file, '.erl')) === file ? basename(file) : display(file);
  const module = basename(file, '.erl');
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return { ok: false, module, messages: `${shown}: no such file or directory\n`, missing: true, shown, errors: [], warnings: [] };
  }
  // errors first, then warnings, each in source order and with the source line under it, as erlc
  const fmt = (ds: Diagnostic[]) =>
    [...sortDiagnostics(ds.filter((d) => d.severity === 'error')), ...sortDiagnostics(ds.filter((d) => d.severity !== 'error'))]
      .map((d) => formatDiagnostic(shown, d, source))
      .join('');
  const show = (d: Diagnostic) => formatDiagnostic(shown, d, source);
  // a library module is shown by its file name alone: its own directory is searched for its includes
  const parsed = parseForms(source, shown, { libDir: libraryAppDir, includePath: [dirname(file)] });
  if (parsed.errors.length > 0) {
    // like erlc, the forms that did parse are still checked, so one typo does not hide other errors
    const syntax: Diagnostic[] = parsed.errors.map((e) => ({ ...e, severity: 'error' as const }));
    const rest = compileModule(parsed.forms, shown, source);
    const more = rest.ok ? [] : rest.errors;
    // syntax errors come before what the linter finds, as erlc reports them
    const errors = [...sortDiagnostics(syntax), ...sortDiagnostics(more.filter((d) => d.severity === 'error'))];
    return { ok: false, module, messages: sortDiagnostics(syntax).map(show).join('') + fmt(more), shown, errors, warnings: sortDiagnostics(more.filter((d) => d.severity !== 'error')) };
  }
  const r = compileModule(parsed.forms, shown, source);
  const all = r.ok ? r.warnings : [...r.errors, ...r.warnings];
  const errors = sortDiagnostics(all.filter((d) => d.severity === 'error'));
  const warnings = sortDiagnostics(all.filter((d) => d.severity !== 'error'));
  if (!r.ok) return { ok: false, module, messages: fmt(all), shown, errors, warnings };
  return { ok: true, module: r.module.name.name, messages: fmt(r.warnings), compiled: r.module, shown, errors, warnings };
}

/** Compile a source file and load it. */
export function compileFile(file: string): CompileResult {
  const { compiled, ok, module, messages } = compileSourceFile(file);
  const result: CompileResult = { ok, module, messages };
  // code:which/1 and code:is_loaded/1 name the file absolutely, as erl names the .beam it loaded
  if (compiled !== undefined) codeServer.load({ ...compiled, file });
  return result;
}

/** c(Mod): Mod may be a module name or a file name, with or without .erl. */
export function compileAndLoad(name: string): CompileResult {
  const withExt = name.endsWith('.erl') ? name : name + '.erl';
  const file = resolvePath(withExt);
  if (existsSync(file)) return compileFile(file);
  const found = name.includes('/') ? undefined : findSource(basename(name, '.erl'));
  if (found) return compileFile(found);
  return { ok: false, module: basename(name, '.erl'), messages: '', missing: true };
}

/** l(Mod) and the loader hook: load Mod from the code path; false when there is no Mod.erl or it does not compile. */
export function loadModule(module: string): boolean {
  const lib = findInLibrary(module);
  if (lib !== undefined && loadKeptModule(module, lib)) return true;
  const file = lib ?? findSource(module);
  if (file === undefined) return false;
  return compileFile(file).ok;
}

/**
 * A call to a module not loaded: compile its source from the code path. erl would load a .beam
 * that erlc made, and erlc would have shown its warnings and errors: terl shows them now, once,
 * for the user's modules (terl's own library modules compile silently).
 */
function loadOnCall(module: string): boolean {
  const lib = findInLibrary(module);
  if (lib !== undefined) return loadKeptModule(module, lib) || compileFile(lib).ok;
  // -loader inet: the user's modules are the boot server's, as erl's code path is the server's
  if (usingInet()) return loadFromBootServer(module);
  const file = findSource(module);
  if (file === undefined) return false;
  const r = compileFile(file);
  if (r.messages) writeStdout(r.messages);
  return r.ok;
}

/** Make calls to unloaded modules search the code path. */
export function installLoader(): void {
  codeServer.setLoader(loadOnCall);
  installCallTraceInstrumenter();
}

