// Module code (kernel) over the code server (runtime/vm/code_server.ts) and the code path
// (runtime/vm/code_path.ts). terl's object code is the source: loading Mod compiles the Mod.erl found
// on the path, so code:which/1 and code:is_loaded/1 name .erl files where erl names .beam files.
// Modules written in TypeScript are preloaded (and sticky: they cannot be reloaded or deleted).
// No process is ever killed for running old code, so purge/1 answers false and soft_purge/1 true.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Atom, List, NIL, Term, atom, bool, list, listToArray, tuple, OK, TRUE, FALSE } from '../../vm/term.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { codeServer } from '../../vm/code_server.js';
import { isBuiltinModule } from '../../vm/bif_registry.js';
import { usingInet } from '../erts/erl_prim_loader.js';
import { addPath, codePath, delPath, findInLibrary, findInPath, setPath } from '../../vm/code_path.js';
import { logText } from './error_logger.js';
import { legacyHeader } from '../stdlib/format/report.js';
import { fnClause, str } from '../common.js';
import { flatChars } from '../stdlib/filename.js';

const MOD = 'code';

const A = {
  file: atom('file'),
  preloaded: atom('preloaded'),
  non_existing: atom('non_existing'),
  module: atom('module'),
  error: atom('error'),
  nofile: atom('nofile'),
  badfile: atom('badfile'),
  not_purged: atom('not_purged'),
  sticky_directory: atom('sticky_directory'),
  bad_directory: atom('bad_directory'),
  bad_name: atom('bad_name'),
  loaded: atom('loaded'),
  not_loaded: atom('not_loaded'),
  modified: atom('modified'),
  removed: atom('removed'),
  missing: atom('missing'),
};

/** Lines of code.erl's clauses (the location a function_clause names). */
const LINE: Record<string, number> = {
  load_file: 185,
  ensure_loaded: 191,
  delete: 232,
  purge: 236,
  soft_purge: 240,
  is_loaded: 245,
  is_sticky: 310,
  set_path: 353,
  add_path: 362,
  add_pathz: 366,
  add_patha: 370,
  add_paths: 374,
  add_pathsz: 378,
  add_pathsa: 382,
  del_path: 389,
  which: 810,
};

/** code functions take module atoms; anything else fails the clause, as in code.erl */
function moduleArg(name: string, m: Term): Atom {
  if (!(m instanceof Atom)) throw fnClause(MOD, name, [m], LINE[name] ?? 0);
  return m;
}

/** A directory argument: a string (deep lists of characters allowed), not an atom or binary. */
function dirArg(name: string, d: Term): string {
  const s = d instanceof List || d === NIL ? flatChars(d) : undefined;
  if (s === undefined) throw fnClause(MOD, name, [d], LINE[name] ?? 0);
  return s;
}

function dirsArg(name: string, ds: Term): string[] {
  const out: string[] = [];
  let l = ds;
  for (; l instanceof List; l = l.tail) {
    const s = l.head instanceof List || l.head === NIL ? flatChars(l.head) : undefined;
    if (s === undefined) throw fnClause(MOD, name, [ds], LINE[name] ?? 0);
    out.push(s);
  }
  if (l !== NIL) throw fnClause(MOD, name, [ds], LINE[name] ?? 0);
  return out;
}

/** Where a loaded module came from: its file, or preloaded. */
function fileTerm(m: Atom): Term {
  const w = codeServer.which(m);
  return w === undefined || w === 'preloaded' ? A.preloaded : str(w);
}

/** A report the code server logs, as erl's default logger prints it. */
function report(message: string): void {
  logText(legacyHeader('ERROR REPORT') + '\n' + message + '\n');
}

const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(MOD, name, arity, impl);

// ---------- modules ----------

def('is_loaded', 1, (m) => {
  const mod = moduleArg('is_loaded', m);
  return codeServer.isLoaded(mod) ? tuple(A.file, fileTerm(mod)) : FALSE;
});

// which/1 does not load: a module not loaded is looked for on the path
def('which', 1, (m) => {
  const mod = moduleArg('which', m);
  if (codeServer.isLoaded(mod)) return fileTerm(mod);
  const lib = findInLibrary(mod.name);
  if (lib !== undefined) return str(lib);
  const found = findInPath(mod.name + '.erl');
  return found === undefined ? A.non_existing : str(found.shown);
});

/** Load Mod from the path (current becomes old): {module, Mod} or {error, nofile | badfile}. */
function loadFromPath(mod: Atom): Term {
  // with -loader inet the path is the boot server's: the loader asks it
  if (usingInet()) return codeServer.reload(mod) ? tuple(A.module, mod) : tuple(A.error, A.nofile);
  if (findInLibrary(mod.name) === undefined && findInPath(mod.name + '.erl') === undefined) return tuple(A.error, A.nofile);
  return codeServer.reload(mod) ? tuple(A.module, mod) : tuple(A.error, A.badfile);
}

defineGenBif(MOD, 'ensure_loaded', 1, function* (m: Term) {
  const mod = moduleArg('ensure_loaded', m);
  if (codeServer.isLoaded(mod)) return tuple(A.module, mod);
  return loadFromPath(mod);
});

// load_file always loads again, as erl reloads the .beam; old code must be purged first
defineGenBif(MOD, 'load_file', 1, function* (m: Term) {
  const mod = moduleArg('load_file', m);
  if (isBuiltinModule(mod.name) && codeServer.module(mod) === undefined) {
    report(`Can't load module '${mod.name}' that resides in sticky dir\n`);
    return tuple(A.error, A.sticky_directory);
  }
  if (codeServer.hasOld(mod)) {
    report(`Loading of ${codeServer.which(mod) ?? mod.name + '.erl'} failed: not_purged\n`);
    return tuple(A.error, A.not_purged);
  }
  return loadFromPath(mod);
});

def('purge', 1, (m) => {
  codeServer.purge(moduleArg('purge', m));
  return FALSE;
});

def('soft_purge', 1, (m) => {
  codeServer.purge(moduleArg('soft_purge', m));
  return TRUE;
});

def('delete', 1, (m) => {
  const mod = moduleArg('delete', m);
  if (codeServer.module(mod) === undefined) return FALSE;
  if (codeServer.hasOld(mod)) {
    report(`Module ${mod.name} must be purged before deleting\n\n`);
    return FALSE;
  }
  return bool(codeServer.delete(mod));
});

def('all_loaded', 0, () => list(codeServer.loaded().map((m) => tuple(m, fileTerm(m)))));

/**
 * A module's status against its file: `modified` when the source on disk is not what was loaded
 * (terl's object code is the source, so the source's md5 is compared with the module's),
 * `removed` when the file is gone, `loaded` otherwise; preloaded modules are always `loaded`.
 */
function moduleStatus(mod: Atom): Atom {
  const code = codeServer.module(mod);
  if (code === undefined) return isBuiltinModule(mod.name) ? A.loaded : A.not_loaded;
  const file = code.file;
  if (file === undefined || code.md5 === undefined || !isAbsolute(file)) return A.loaded;
  let now: Buffer;
  try {
    now = createHash('md5').update(readFileSync(file, 'utf8')).digest();
  } catch {
    return A.removed;
  }
  return Buffer.compare(now, Buffer.from(code.md5)) === 0 ? A.loaded : A.modified;
}

def('module_status', 1, (m) => {
  if (m instanceof List || m === NIL) return list(listToArray(m)!.map((x) => tuple(x, moduleStatus(moduleArg('module_status', x)))));
  return moduleStatus(moduleArg('module_status', m));
});

def('module_status', 0, () => list(codeServer.loaded().map((m) => tuple(m, moduleStatus(m)))));

def('modified_modules', 0, () => list(codeServer.loaded().filter((m) => moduleStatus(m) === A.modified)));

// terl's modules carry no EEP 48 documentation (no "Docs" chunk, no doc/chunks beside them), and
// it keeps no abstract code for code:get_doc to make skeleton docs from: every module, built in or
// compiled, answers missing, as erl answers for a module compiled without docs or debug_info
def('get_doc', 1, (m) => {
  const mod = moduleArg('get_doc', m);
  const known = codeServer.isLoaded(mod) || isBuiltinModule(mod.name) || findInPath(mod.name + '.erl') !== undefined;
  return tuple(A.error, known ? A.missing : A.non_existing);
});

def('is_sticky', 1, (m) => {
  const mod = moduleArg('is_sticky', m);
  return bool(isBuiltinModule(mod.name) && codeServer.module(mod) === undefined);
});

// ---------- the code path ----------

/** After the path changes, modules that were not found may be found. */
function pathChanged<T extends Term>(r: T): T {
  codeServer.forgetMissing();
  return r;
}

const badDirectory = tuple(A.error, A.bad_directory);

def('get_path', 0, () => list(codePath().map(str)));

def('add_patha', 1, (d) => pathChanged(addPath(dirArg('add_patha', d), 'first') ? TRUE : badDirectory));
def('add_pathz', 1, (d) => pathChanged(addPath(dirArg('add_pathz', d), 'last') ? TRUE : badDirectory));
def('add_path', 1, (d) => pathChanged(addPath(dirArg('add_path', d), 'last') ? TRUE : badDirectory));

// add_pathsa puts the directories first in the order given; directories that are not there are skipped
def('add_pathsa', 1, (ds) => {
  for (const d of dirsArg('add_pathsa', ds).reverse()) addPath(d, 'first');
  return pathChanged(OK);
});
def('add_pathsz', 1, (ds) => {
  for (const d of dirsArg('add_pathsz', ds)) addPath(d, 'last');
  return pathChanged(OK);
});
def('add_paths', 1, (ds) => {
  for (const d of dirsArg('add_paths', ds)) addPath(d, 'last');
  return pathChanged(OK);
});

def('del_path', 1, (d) => {
  const s = d instanceof Atom ? d.name : d instanceof List || d === NIL ? flatChars(d) : undefined;
  if (s === undefined) throw fnClause(MOD, 'del_path', [d], LINE.del_path);
  return bool(delPath(s));
});

def('set_path', 1, (ds) => pathChanged(setPath(dirsArg('set_path', ds)) ? TRUE : badDirectory));

/** terl's own directory (where package.json is): erl's root is its installation. */
function rootDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return dirname(fileURLToPath(import.meta.url));
}

let root: string | undefined;
export function terlRoot(): string {
  return (root ??= rootDir());
}

def('root_dir', 0, () => str(terlRoot()));

def('lib_dir', 1, (name) => {
  if (!(name instanceof Atom) && flatChars(name) === undefined) throw fnClause(MOD, 'lib_dir', [name], 0);
  return tuple(A.error, A.bad_name);
});
def('priv_dir', 1, (name) => {
  if (!(name instanceof Atom) && flatChars(name) === undefined) throw fnClause(MOD, 'priv_dir', [name], 0);
  return tuple(A.error, A.bad_name);
});
