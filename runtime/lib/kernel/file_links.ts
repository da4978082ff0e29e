// Module file (kernel): hard and symbolic links, made with make_link/2 and make_symlink/2 (read with
// read_link/1 and read_link_info/1,2 in file.ts).
//
// A symbolic link holds the name it was given, as it was given: a relative target stays relative
// to the link's own directory. The link's name is relative to the node's working directory.

import { linkSync, symlinkSync } from 'node:fs';
import { Term, atom, tuple, OK } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { fileName, pathOf, withName } from './file.js';

const BADARG = tuple(atom('error'), atom('badarg'));

defineBif('file', 'make_link', 2, (existing: Term, link: Term) => {
  const from = fileName(existing);
  if (from === undefined || fileName(link) === undefined) return BADARG;
  return withName(link, (path) => {
    linkSync(pathOf(from), path);
    return OK;
  });
});

defineBif('file', 'make_symlink', 2, (existing: Term, link: Term) => {
  const target = fileName(existing);
  if (target === undefined || fileName(link) === undefined) return BADARG;
  return withName(link, (path) => {
    symlinkSync(target, path);
    return OK;
  });
});
