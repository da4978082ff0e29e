// Module logger_config (kernel, internal): where Logger keeps its configuration, readable from any
// process without a message: the primary config, the module levels and the handlers' configs, each
// a term under an atom key. OTP keeps them in an ets table and persistent_term; the logger module
// (runtime/lib/kernel/logger.erl) gives them their meaning. The emulator's crash reports ask
// loggerAllows whether the primary level lets them through.

import { Atom, ErlMap, Term, atom } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { badarg } from '../../vm/exception.js';

const store = new Map<Atom, Term>();
const UNDEFINED = atom('undefined');

defineBif('logger_config', 'get', 1, (key) => {
  if (!(key instanceof Atom)) throw badarg('logger_config', 'get', [key]);
  return store.get(key) ?? UNDEFINED;
});

defineBif('logger_config', 'put', 2, (key, value) => {
  if (!(key instanceof Atom)) throw badarg('logger_config', 'put', [key, value]);
  store.set(key, value);
  return atom('ok');
});

const SEVERITY: Record<string, number> = {
  none: -1,
  emergency: 0,
  alert: 1,
  critical: 2,
  error: 3,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
  all: 10,
};

/** Does the primary level let an event of this level through (notice when none is set)? */
export function loggerAllows(level: string): boolean {
  const primary = store.get(atom('primary'));
  const l = primary instanceof ErlMap ? primary.get(atom('level')) : undefined;
  const threshold = l instanceof Atom && SEVERITY[l.name] !== undefined ? SEVERITY[l.name] : SEVERITY.notice;
  return SEVERITY[level] <= threshold;
}
