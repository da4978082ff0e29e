// Module code (kernel) over the code server (runtime/code_server.ts) and the code path
// (runtime/code_path.ts). terl's object code is the source: loading Mod compiles the Mod.erl found
// on the path, so code:which/1 and code:is_loaded/1 name .erl files where erl names .beam files.
// Modules written in TypeScript are preloaded (and sticky: they cannot be reloaded or deleted).
// No process is ever killed for running old code, so purge/1 answers false and soft_purge/1 true.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Atom, List, NIL, Term, atom, bool, list, tuple, OK, TRUE, FALSE } from '../term.js';
import { defineBif, defineGenBif } from '../bif_registry.js';
import { codeServer } from '../code_server.js';
import { isBuiltinModule } from '../bif_registry.js';
import { addPath, codePath, delPath, findInPath, setPath } from '../code_path.js';
import { logText } from '../error_logger.js';
import { legacyHeader } from '../../src/format/report.js';
import { fnClause, str } from './common.js';
import { flatChars } from './filename.js';

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
  const found = findInPath(mod.name + '.erl');
  if (found !== undefined) return str(found.shown);
  // terl's own library (gen_server, ...) is not on the path: the loader knows where it is
  const library = codeServer.locate(mod);
  return library === undefined ? A.non_existing : str(library);
});

/** Load Mod from the path (current becomes old): {module, Mod} or {error, nofile | badfile}. */
function loadFromPath(mod: Atom): Term {
  if (findInPath(mod.name + '.erl') === undefined) return tuple(A.error, A.nofile);
  return codeServer.reload(mod) ? tuple(A.module, mod) : tuple(A.error, A.badfile);
}

defineGenBif(MOD, 'ensure_loaded', 1, function* (m: Term) {
  const mod = moduleArg('ensure_loaded', m);
  if (codeServer.isLoaded(mod)) return tuple(A.module, mod);
  if (findInPath(mod.name + '.erl') === undefined && codeServer.ensureLoaded(mod)) return tuple(A.module, mod);
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
