// How a set or an ordered_set table keeps an object. OTP copies an object into the table and a copy
// out on every lookup; terl's terms are immutable, so the table could keep the very tuple, but
// every object kept is then three JavaScript objects that outlive the young generation, and
// copying them out of it is most of what inserting costs. So the table keeps less, beside the key
// it already holds:
//
//   a 2-tuple        its other element alone (a small integer or an atom is then nothing at all)
//   any other tuple  its elements (shared with the tuple inserted: nothing changes them)
//
// and a lookup makes the tuple again, which dies young (cheap) when the caller drops it. An
// element alone is never a JavaScript array (no term is), so the two are told apart.

import { Tuple, type Term } from '../../vm/term.js';

export type Stored = Term | Term[];

/** What a table keeps of obj, whose key is at kp (0-based). */
export function stored(obj: Tuple, kp: number): Stored {
  const es = obj.elements;
  return es.length === 2 ? es[1 - kp] : es;
}

/** The object kept as s under key. */
export function object(key: Term, s: Stored, kp: number): Tuple {
  if (Array.isArray(s)) return new Tuple(s);
  return new Tuple(kp === 0 ? [key, s] : [s, key]);
}
