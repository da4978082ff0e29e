// Module code (kernel) and the code BIFs of erlang, over the code server (runtime/code_server.ts).
// terl's object code is the source: loading a module compiles Mod.erl found by the loader hook.
// Modules written in TypeScript count as preloaded.

import { Atom, Term, atom, bool, charlist, list, tuple, TRUE, FALSE, UNDEFINED } from '../term.js';
import { badarg, erlError } from '../exception.js';
import { defineBif, defineGenBif } from '../bif_registry.js';
import { codeServer } from '../code_server.js';

const A = {
  file: atom('file'),
  preloaded: atom('preloaded'),
  module: atom('module'),
  error: atom('error'),
  nofile: atom('nofile'),
  function_clause: atom('function_clause'),
};

function fileTerm(m: Atom): Term {
  const w = codeServer.which(m)!;
  return w === 'preloaded' ? A.preloaded : charlist(w);
}

/** code functions take module atoms; anything else fails the clause as in code.erl */
function moduleArg(name: string, m: Term): Atom {
  if (!(m instanceof Atom)) throw erlError(A.function_clause, list([tuple(atom('code'), atom(name), list([m]), list([]))]));
  return m;
}

defineBif('code', 'is_loaded', 1, (m) => {
  const mod = moduleArg('is_loaded', m);
  return codeServer.isLoaded(mod) ? tuple(A.file, fileTerm(mod)) : FALSE;
});

defineBif('code', 'which', 1, (m) => {
  const mod = moduleArg('which', m);
  codeServer.ensureLoaded(mod);
  return codeServer.whichTerm(mod);
});

defineGenBif('code', 'ensure_loaded', 1, function* (m: Term) {
  const mod = moduleArg('ensure_loaded', m);
  return codeServer.ensureLoaded(mod) ? tuple(A.module, mod) : tuple(A.error, A.nofile);
});

// load_file always (re)loads from the source, as erl reloads the .beam
defineGenBif('code', 'load_file', 1, function* (m: Term) {
  const mod = moduleArg('load_file', m);
  return codeServer.reload(mod) ? tuple(A.module, mod) : tuple(A.error, A.nofile);
});

defineBif('code', 'purge', 1, (m) => bool(codeServer.purge(moduleArg('purge', m))));
defineBif('code', 'soft_purge', 1, (m) => {
  codeServer.purge(moduleArg('soft_purge', m));
  return TRUE;
});
defineBif('code', 'delete', 1, (m) => bool(codeServer.delete(moduleArg('delete', m))));
defineBif('code', 'all_loaded', 0, () => list(codeServer.loaded().map((m) => tuple(m, fileTerm(m)))));
defineBif('code', 'is_sticky', 1, (m) => bool(codeServer.which(moduleArg('is_sticky', m)) === 'preloaded'));

// ---------- erlang's code BIFs ----------

defineBif('erlang', 'module_loaded', 1, (m) => {
  if (!(m instanceof Atom)) throw badarg('erlang', 'module_loaded', [m], { 1: 'not an atom' });
  return bool(codeServer.isLoaded(m));
});

defineBif('erlang', 'function_exported', 3, (m, f, a) => {
  const why: Record<number, string> = {};
  if (!(m instanceof Atom)) why[1] = 'not an atom';
  if (!(f instanceof Atom)) why[2] = 'not an atom';
  if (typeof a !== 'number' || !Number.isInteger(a)) why[3] = 'not an integer';
  if (Object.keys(why).length > 0) throw badarg('erlang', 'function_exported', [m, f, a], why);
  // only loaded modules count: function_exported does not load
  if (!codeServer.isLoaded(m as Atom)) return FALSE;
  return bool(codeServer.exports(m as Atom)?.some(([n, ar]) => n === f && ar === a) ?? false);
});

defineBif('erlang', 'loaded', 0, () => list(codeServer.loaded()));
defineBif('erlang', 'pre_loaded', 0, () => list(codeServer.loaded().filter((m) => codeServer.which(m) === 'preloaded')));
defineBif('erlang', 'delete_module', 1, (m) => {
  if (!(m instanceof Atom)) throw badarg('erlang', 'delete_module', [m], { 1: 'not an atom' });
  return codeServer.delete(m) ? TRUE : UNDEFINED;
});
defineBif('erlang', 'check_old_code', 1, (m) => {
  if (!(m instanceof Atom)) throw badarg('erlang', 'check_old_code', [m], { 1: 'not an atom' });
  return bool(codeServer.hasOld(m));
});

/** erlang:get_module_info/1,2: what Mod:module_info/0,1 answer for modules that have no code of their own for it. */
defineBif('erlang', 'get_module_info', 1, (m) => {
  if (!(m instanceof Atom)) throw badarg('erlang', 'get_module_info', [m]);
  const r = codeServer.moduleInfoAll(m);
  if (r === undefined) throw badarg('erlang', 'get_module_info', [m]);
  return r;
});
defineBif('erlang', 'get_module_info', 2, (m, item) => {
  if (!(m instanceof Atom) || !(item instanceof Atom)) throw badarg('erlang', 'get_module_info', [m, item]);
  const r = codeServer.moduleInfo(m, item);
  if (r === undefined) throw badarg('erlang', 'get_module_info', [m, item]);
  return r;
});
