// erlang:phash2/1,2 and erlang:phash/2 (runtime/vm/phash.ts computes BEAM's hashes).

import { Term, isInteger } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { badarg } from '../../vm/exception.js';
import { makeHash, makeHash2 } from '../../vm/phash.js';

const TWO_32 = 2 ** 32;

/** A range up to 2^32 (which stands for "all 32 bits"); badarg (explained as OTP does) otherwise. */
function range(name: string, args: Term[]): number {
  const r = args[1];
  // (OTP's explanation names argument 1 for a bad range, and none for one past 2^32)
  if (!isInteger(r)) throw badarg('erlang', name, args, { 1: 'not an integer' });
  if (r < 1) throw badarg('erlang', name, args, { 1: 'out of range' });
  if (r > TWO_32) throw badarg('erlang', name, args);
  return Number(r);
}

defineBif('erlang', 'phash2', 1, (t) => makeHash2(t) & (2 ** 27 - 1));

defineBif('erlang', 'phash2', 2, (t, r) => {
  const n = range('phash2', [t, r]);
  const h = makeHash2(t);
  if (n === TWO_32) return h;
  // a power of two takes the low bits, anything else the remainder
  return (n & (n - 1)) === 0 ? (h & (n - 1)) >>> 0 : h % n;
});

defineBif('erlang', 'phash', 2, (t, r) => {
  const n = range('phash', [t, r]);
  const h = makeHash(t);
  if (n === TWO_32) return h + 1 === TWO_32 ? h : h + 1;
  return (h % n) + 1;
});
