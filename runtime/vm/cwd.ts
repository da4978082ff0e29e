// The node's working directory. A worker thread cannot chdir, so cd/1 and every relative file name
// (c(kvs), file:consult, lib_chan's config) go through this instead of process.cwd().

import { resolve } from 'node:path';

let cwd = process.cwd();

export function getCwd(): string {
  return cwd;
}

export function setCwd(dir: string): void {
  cwd = resolve(cwd, dir);
}

/** A file name as the node sees it: relative names are relative to the node's working directory. */
export function resolvePath(name: string): string {
  return resolve(cwd, name);
}
