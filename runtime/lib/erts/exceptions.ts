// erlang's exception BIFs: error, exit, throw, raise.

import { Atom } from '../../vm/term.js';
import { ErlangException, EXIT_CLASS, ERROR_CLASS, THROW_CLASS, erlError, erlExit, erlThrow } from '../../vm/exception.js';
import { A, isProperList } from '../common.js';
import { bif } from './bif.js';

// ---------- exceptions ----------

bif('error', 1, (r) => {
  throw erlError(r);
});
bif('error', 2, (r, _args) => {
  throw erlError(r);
});
bif('error', 3, (r, _args, _opts) => {
  throw erlError(r);
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
