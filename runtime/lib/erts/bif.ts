// What the files of the erlang module share: the helpers that define an erlang BIF (`bif` for a
// function of its arguments, `processReader` and `processBif` for one that acts for the calling
// process), its badarg, and the texts of error_info's explanations.

import { Term, atom, float, tuple } from '../../vm/term.js';
import { ErlangException, badarg } from '../../vm/exception.js';
import { defineBif, defineDirectBif } from '../../vm/bif_registry.js';
import type { Process } from '../../vm/process.js';
import { S } from '../../vm/scheduler.js';
import { formatScientific } from '../stdlib/format/float.js';

/** float_to_list/1's text: 20 significant digits in scientific notation. */
export const formatFloatDefault = (x: number): string => formatScientific(x, 20);

export const E = 'erlang';

/** An erlang BIF that is a plain function of its arguments (compiled code calls it directly). */
export function bif(name: string, arity: number, impl: (...args: Term[]) => Term, guard = false): void {
  defineBif(E, name, arity, impl, { guard, definer: bif });
}

/**
 * An erlang BIF that only reads (the calling process, given first, or the node): a plain function
 * too, so compiled code and guards call it without a generator. It changes nothing, so running it
 * again (as plain code abandoned midway is run again) is harmless.
 */
export function processReader(name: string, arity: number, impl: (self: Process, ...args: Term[]) => Term, guard = false): void {
  defineBif(E, name, arity, withSelf(arity, impl), { guard, definer: processReader });
}

/**
 * An erlang BIF that acts for the calling process (given first), once: it runs to completion in
 * it, so compiled code calls it as a plain function, without a generator.
 */
export function processBif(name: string, arity: number, impl: (self: Process, ...args: Term[]) => Term): void {
  defineDirectBif(E, name, arity, withSelf(arity, impl), { definer: processBif });
}

/** impl with the running process first; no rest parameters for the common arities (monitor, send and demonitor are hot). */
function withSelf(arity: number, impl: (self: Process, ...args: Term[]) => Term): (...args: Term[]) => Term {
  switch (arity) {
    case 0:
      return () => impl(S.current);
    case 1:
      return (a: Term) => impl(S.current, a);
    case 2:
      return (a: Term, b: Term) => impl(S.current, a, b);
    case 3:
      return (a: Term, b: Term, c: Term) => impl(S.current, a, b, c);
    default:
      return (...args: Term[]) => impl(S.current, ...args);
  }
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
