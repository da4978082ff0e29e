// erlang's type tests (the guard BIFs is_atom/1 and the rest).

import { Atom, Bin, ErlFloat, ErlMap, Fun, List, NIL, Pid, Port, Ref, Tuple, bool, isInteger, TRUE, FALSE } from '../../vm/term.js';
import { bif, fail, NOT_ATOM, NOT_INTEGER, RANGE } from './bif.js';

// ---------- type tests (guard BIFs) ----------

bif('is_atom', 1, (x) => bool(x instanceof Atom), true);
bif('is_integer', 1, (x) => bool(isInteger(x)), true);
bif('is_float', 1, (x) => bool(x instanceof ErlFloat), true);
bif('is_number', 1, (x) => bool(isInteger(x) || x instanceof ErlFloat), true);
bif('is_list', 1, (x) => bool(x instanceof List || x === NIL), true);
bif('is_tuple', 1, (x) => bool(x instanceof Tuple), true);
bif('is_binary', 1, (x) => bool(x instanceof Bin && x.isBinary), true);
bif('is_bitstring', 1, (x) => bool(x instanceof Bin), true);
bif('is_boolean', 1, (x) => bool(x === TRUE || x === FALSE), true);
bif('is_function', 1, (x) => bool(x instanceof Fun), true);
bif(
  'is_function',
  2,
  (f, n) => {
    if (!isInteger(n)) throw fail('is_function', [f, n], { 2: NOT_INTEGER });
    if (n < 0) throw fail('is_function', [f, n], { 2: RANGE });
    return bool(f instanceof Fun && f.arity === Number(n));
  },
  true,
);
bif('is_map', 1, (x) => bool(x instanceof ErlMap), true);
bif('is_pid', 1, (x) => bool(x instanceof Pid), true);
bif('is_reference', 1, (x) => bool(x instanceof Ref), true);
bif('is_port', 1, (x) => bool(x instanceof Port), true);
bif(
  'is_record',
  2,
  (t, tag) => {
    if (!(tag instanceof Atom)) throw fail('is_record', [t, tag], { 1: NOT_ATOM });
    return bool(t instanceof Tuple && t.elements.length > 0 && t.elements[0] === tag);
  },
  true,
);
bif(
  'is_record',
  3,
  (t, tag, size) => {
    if (!(tag instanceof Atom) || !isInteger(size)) {
      const why: Record<number, string> = {};
      if (!(tag instanceof Atom)) why[2] = NOT_ATOM;
      if (!isInteger(size)) why[3] = NOT_INTEGER;
      throw fail('is_record', [t, tag, size], why);
    }
    return bool(t instanceof Tuple && t.elements.length === Number(size) && t.elements.length > 0 && t.elements[0] === tag);
  },
  true,
);
