// The code path: the directories searched for Mod.erl (terl's object code is the source), in
// order. As erl's, it starts as the -pa directories, then ".", then the -pz directories; entries
// are kept as given (normalised as filename:join normalises them) and relative ones are relative
// to the node's working directory when a module is looked up, so file:set_cwd/1 moves ".".

import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolvePath } from './cwd.js';
import { joinText, splitText } from './path.js';

let path: string[] = ['.'];

/** A directory as the path keeps it: "lib/" and "lib//" are "lib". */
function normalise(dir: string): string {
  return joinText(dir, undefined);
}

function isDirectory(dir: string): boolean {
  try {
    return dir !== '' && statSync(resolvePath(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** The path at boot: -pa directories, the working directory, -pz directories. */
export function initCodePath(pa: readonly string[], pz: readonly string[]): void {
  path = [...pa.map(normalise), '.', ...pz.map(normalise)];
}

export function codePath(): readonly string[] {
  return path;
}

/** code:add_patha/add_pathz: false when dir is not a directory. A directory already there moves. */
export function addPath(dir: string, where: 'first' | 'last'): boolean {
  if (!isDirectory(dir)) return false;
  const d = normalise(dir);
  path = path.filter((p) => p !== d);
  if (where === 'first') path.unshift(d);
  else path.push(d);
  return true;
}

/** The name code:del_path knows a directory by: the last component, or the one before "ebin", up to a hyphen ("stdlib-4.2/ebin" is stdlib). */
function libName(dir: string): string {
  const parts = splitText(dir);
  const last = parts.length >= 2 && parts[parts.length - 1] === 'ebin' ? parts[parts.length - 2] : parts[parts.length - 1];
  return last === undefined ? '' : last.split('-')[0];
}

/** code:del_path: drop the first directory that is `name` or is named `name`; true when one was dropped. */
export function delPath(name: string): boolean {
  const n = normalise(name);
  const i = path.findIndex((p) => libName(p) === n || p === n);
  if (i < 0) return false;
  path = [...path.slice(0, i), ...path.slice(i + 1)];
  return true;
}

/** code:set_path: false (and no change) unless every entry is a directory. */
export function setPath(dirs: readonly string[]): boolean {
  if (!dirs.every(isDirectory)) return false;
  path = [...new Set(dirs.map(normalise))];
  return true;
}

/**
 * The first directory on the path holding `file`: the name as code:which shows it (the path entry
 * joined with the file, "./m.erl") and the file's absolute name.
 */
export function findInPath(file: string): { shown: string; abs: string } | undefined {
  for (const dir of path) {
    const abs = resolvePath(joinText(dir, file));
    if (existsSync(abs)) return { shown: joinText(dir, file), abs };
  }
  return undefined;
}

// terl's own library: OTP's modules written in Erlang are runtime/lib/<app>/<mod>.erl. They are found
// before the path, as OTP's library sits in sticky directories a user's module of the same name cannot
// replace. Boot sets the root (src/loader.ts).
let libraryRoot: string | undefined;
let libraryIndex: Map<string, string> | undefined;

export function setLibraryRoot(dir: string): void {
  libraryRoot = dir;
  libraryIndex = undefined;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** The absolute name of the library's Mod.erl, or undefined. */
export function findInLibrary(module: string): string | undefined {
  if (libraryRoot === undefined) return undefined;
  if (libraryIndex === undefined) {
    libraryIndex = new Map();
    for (const app of listDir(libraryRoot)) {
      for (const f of listDir(joinText(libraryRoot, app))) {
        if (f.endsWith('.erl')) libraryIndex.set(f.slice(0, -4), joinText(joinText(libraryRoot, app), f));
      }
    }
  }
  return libraryIndex.get(module);
}

/** An application's directory in the library (-include_lib("app/include/x.hrl"), as code:lib_dir/1 finds OTP's). */
export function libraryAppDir(app: string): string | undefined {
  if (libraryRoot === undefined) return undefined;
  const dir = joinText(libraryRoot, app);
  return isDirectory(dir) ? dir : undefined;
}
