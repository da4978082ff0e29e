// What the files of the erlang module share: the one helper that defines an erlang BIF (`bif`),
// its badarg, and the texts of error_info's explanations.

import { Term, atom, float, tuple } from '../../vm/term.js';
import { ErlangException, badarg } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { formatScientific } from '../stdlib/format/float.js';

/** float_to_list/1's text: 20 significant digits in scientific notation. */
export const formatFloatDefault = (x: number): string => formatScientific(x, 20);

export const E = 'erlang';

export function bif(name: string, arity: number, impl: (...args: Term[]) => Term, guard = false): void {
  defineBif(E, name, arity, impl, { guard });
}

export function fail(name: string, args: Term[], why?: Record<number, string>): ErlangException {
  return badarg(E, name, args, why);
}

export const NOT_ATOM = 'not an atom';
export const NOT_INTEGER = 'not an integer';
export const NOT_LIST = 'not a list';
export const NOT_TUPLE = 'not a tuple';
export const NOT_NUMBER = 'not a number';
export const NOT_BINARY = 'not a binary';
export const NOT_BITSTRING = 'not a bitstring';
export const NOT_FLOAT = 'not a float';
export const NOT_MAP = 'not a map';
export const NOT_IODATA = 'not an iodata term';
export const RANGE = 'out of range';
export const BAD_BASE = 'not an integer in the range 2 through 36';
export const BAD_OPTION = 'invalid option in list';
export const BAD_TIME_UNIT = 'invalid time unit';
