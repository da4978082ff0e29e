// Module persistent_term: terms stored for the node's whole life under a key (any term, =:=),
// read by every process. In OTP a put or erase makes every process copy what it read; here
// terms are shared anyway, so a store is a Map.

import { ErlMap, Term, atom, list, mapKey, tuple, OK, TRUE, FALSE } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { badarg } from '../../vm/exception.js';
import { termWords } from '../stdlib/ets.js';

const terms = new Map<unknown, [Term, Term]>();

defineBif('persistent_term', 'put', 2, (k, v) => {
  terms.set(mapKey(k), [k, v]);
  return OK;
});

defineBif('persistent_term', 'get', 1, (k) => {
  const e = terms.get(mapKey(k));
  if (e === undefined) throw badarg('persistent_term', 'get', [k], { 1: 'no persistent term stored with this key' });
  return e[1];
});

defineBif('persistent_term', 'get', 2, (k, dflt) => terms.get(mapKey(k))?.[1] ?? dflt);

defineBif('persistent_term', 'get', 0, () => list([...terms.values()].map(([k, v]) => tuple(k, v))));

defineBif('persistent_term', 'erase', 1, (k) => (terms.delete(mapKey(k)) ? TRUE : FALSE));

defineBif('persistent_term', 'info', 0, () => {
  let words = 0;
  for (const [k, v] of terms.values()) words += 2 + termWords(k) + termWords(v);
  return ErlMap.from([
    [atom('count'), terms.size],
    [atom('memory'), words * 8],
  ]);
});
