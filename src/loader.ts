// Loading Erlang source into the code server: c(Mod) in the shell, and the code path search that
// makes a call to an unloaded module find Mod.erl on the code path (-pa, the current directory, -pz), as
// erl finds Mod.beam. terl's object code is the source itself.

import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { basename, relative, isAbsolute, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeStdout } from '../runtime/lib/kernel/user.js';
import { codeServer } from '../runtime/vm/code_server.js';
import { getCwd, resolvePath } from '../runtime/vm/cwd.js';
import { initCodePath, findInPath } from '../runtime/vm/code_path.js';
import { parseForms } from './parse.js';
import { compileModule } from './compile/module.js';
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

function display(file: string): string {
  const rel = relative(getCwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

// terl's own library: OTP's Erlang modules written in Erlang live in runtime/lib/<app>/Mod.erl (this
// file is src/loader.ts in the sources and dist/<chunk>.js when built: the root is one level up either way).
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LIB = join(ROOT, 'runtime', 'lib');
let libraryIndex: Map<string, string> | undefined;

/** Where the library's Mod.erl is, or undefined: the library's modules are found before the code path's, as OTP's stick. */
export function findLibrarySource(module: string): string | undefined {
  if (libraryIndex === undefined) {
    libraryIndex = new Map();
    let apps: string[] = [];
    try {
      apps = readdirSync(LIB);
    } catch {
      apps = [];
    }
    for (const app of apps.sort()) {
      let files: string[] = [];
      try {
        files = readdirSync(join(LIB, app));
      } catch {
        continue;
      }
      for (const f of files) if (f.endsWith('.erl')) libraryIndex.set(f.slice(0, -4), join(LIB, app, f));
    }
  }
  return libraryIndex.get(module);
}

/** Compile a source file and load it; a library module's frames name just its file, as OTP's do. */
export function compileFile(file: string): CompileResult {
  const shown = findLibrarySource(basename(file, '.erl')) === file ? basename(file) : display(file);
  const module = basename(file, '.erl');
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return { ok: false, module, messages: `${shown}: no such file or directory\n` };
  }
  // errors first, then warnings, each in source order and with the source line under it, as erlc
  const fmt = (ds: Diagnostic[]) =>
    [...sortDiagnostics(ds.filter((d) => d.severity === 'error')), ...sortDiagnostics(ds.filter((d) => d.severity !== 'error'))]
      .map((d) => formatDiagnostic(shown, d, source))
      .join('');
  const show = (d: Diagnostic) => formatDiagnostic(shown, d, source);
  const parsed = parseForms(source, shown);
  if (parsed.errors.length > 0) {
    // like erlc, the forms that did parse are still checked, so one typo does not hide other errors
    const syntax: Diagnostic[] = parsed.errors.map((e) => ({ ...e, severity: 'error' as const }));
    const rest = compileModule(parsed.forms, shown, source);
    const more = rest.ok ? [] : rest.errors;
    // syntax errors come before what the linter finds, as erlc reports them
    return { ok: false, module, messages: sortDiagnostics(syntax).map(show).join('') + fmt(more) };
  }
  const r = compileModule(parsed.forms, shown, source);
  if (!r.ok) return { ok: false, module, messages: fmt([...r.errors, ...r.warnings]) };
  // code:which/1 and code:is_loaded/1 name the file absolutely, as erl names the .beam it loaded
  codeServer.load({ ...r.module, file });
  return { ok: true, module: r.module.name.name, messages: fmt(r.warnings) };
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
  const file = findLibrarySource(module) ?? findSource(module);
  if (file === undefined) return false;
  return compileFile(file).ok;
}

/**
 * A call to a module not loaded: compile its source from the code path. erl would load a .beam
 * that erlc made, and erlc would have shown its warnings and errors: terl shows them now, once,
 * for the user's modules (terl's own library modules compile silently).
 */
function loadOnCall(module: string): boolean {
  const lib = findLibrarySource(module);
  if (lib !== undefined) return compileFile(lib).ok;
  const file = findSource(module);
  if (file === undefined) return false;
  const r = compileFile(file);
  if (r.messages) writeStdout(r.messages);
  return r.ok;
}

/** Make calls to unloaded modules search the code path. */
export function installLoader(): void {
  codeServer.setLoader(loadOnCall);
}

