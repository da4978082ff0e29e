// erlang's exception BIFs: error, exit, throw, raise.

import { Atom, List, Tuple, atom } from '../../vm/term.js';
import { ErlangException, EXIT_CLASS, ERROR_CLASS, THROW_CLASS, erlError, erlExit, erlThrow } from '../../vm/exception.js';
import { A, isProperList } from '../common.js';
import { bif } from './bif.js';

// ---------- exceptions ----------

bif('error', 1, (r) => {
  throw erlError(r);
});
bif('error', 2, (r, args) => {
  const e = erlError(r);
  e.callArgs = args;
  throw e;
});
bif('error', 3, (r, args, opts) => {
  const e = erlError(r);
  e.callArgs = args;
  // the error_info option goes into the raising function's frame, after its file and line (as BEAM's)
  for (let l = opts; l instanceof List; l = l.tail) {
    if (l.head instanceof Tuple && l.head.elements.length === 2 && l.head.elements[0] === atom('error_info')) e.callInfo = [l.head];
  }
  throw e;
});
bif('throw', 1, (r) => {
  throw erlThrow(r);
});
bif('exit', 1, (r) => {
  throw erlExit(r);
});
bif('raise', 3, (cls, reason, stack) => {
  if ((cls !== ERROR_CLASS && cls !== THROW_CLASS && cls !== EXIT_CLASS) || !isProperList(stack)) return A.badarg;
  throw new ErlangException(cls as Atom, reason, stack);
});
bif('nif_error', 1, (r) => {
  throw erlError(r);
});
