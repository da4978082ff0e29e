// The code BIFs of erlang, over the code server (runtime/vm/code_server.ts). Module code itself is
// runtime/lib/kernel/code.ts. Modules written in TypeScript count as preloaded.

import { Atom, bool, list, TRUE, FALSE, UNDEFINED } from '../../vm/term.js';
import { badarg } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { codeServer } from '../../vm/code_server.js';

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
