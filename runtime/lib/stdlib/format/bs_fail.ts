// What the shell says when building a binary fails (erl_erts_errors' format_bs_fail): the
// headline "construction of binary failed" and one line naming the segment and what was wrong,
//
//   *** segment 1 of type 'integer': expected an integer but got: foo
//   *** segment 1 of type 'integer': the size 1180591620717411303424 is too large
//
// from the error's cause {Segment, Type, What, Value}. Values are shown cut short when long.

import { Atom, Bin, Tuple, atom, charlist, tuple } from '../../../vm/term.js';
import type { Term } from '../../../vm/term.js';
import { format } from './io_lib.js';

/** An integer of 48 digits or more as its first 12, "...", its last 12; a long binary likewise. */
function shortened(v: Term): string {
  if (typeof v === 'number' || typeof v === 'bigint') {
    const s = v.toString();
    return s.length < 48 ? s : `${s.slice(0, 12)}...${s.slice(-12)}`;
  }
  if (v instanceof Bin) {
    const size = v.bytes.length;
    if (size < 16) return format('~p', [v]);
    const head = format('~w', [new Bin(v.bytes.slice(0, 8))]);
    const tailBits = v.bitSize - (size - 2) * 8;
    const tail = format('~w', [new Bin(v.bytes.slice(size - 2), tailBits)]);
    return `${head.slice(0, -2)}...,${tail.slice(2)}`;
  }
  return format('~P', [v, 20]);
}

function what(reason: Atom, type: string, kind: string, value: Term): string {
  if (reason.name === 'system_limit') {
    if (type === 'binary' && kind === 'binary') return `the size of the binary/bitstring is too large (exceeding ${2 ** 31 - 1} bits)`;
    if (kind === 'size') return `the size ${format('~p', [value])} is too large`;
  }
  switch (kind) {
    case 'invalid':
      if (type === 'float') return `expected one of the supported sizes 16, 32, or 64 but got: ${format('~p', [value])}`;
      break;
    case 'no_float':
      if (type === 'float') return `the value ${shortened(value)} is outside the range expressible as a float`;
      break;
    case 'unit':
      if (type === 'binary') return `the size of the value ${shortened(value)} is not a multiple of the unit for the segment`;
      break;
    case 'short':
      return `the value ${shortened(value)} is shorter than the size of the segment`;
    case 'size':
      return `expected a non-negative integer as size but got: ${shortened(value)}`;
  }
  const expected =
    type === 'binary' ? ' binary' : type === 'float' ? ' float or an integer' : type === 'integer' ? 'n integer' : ` non-negative integer encodable as ${type}`;
  return `expected a${expected} but got: ${shortened(value)}`;
}

/** The error_info explanations of a failed segment: [{general, Text}, {reason, Headline}]. */
export function bsFailExplanations(reason: Atom, cause: Tuple, segment?: number): Term[] {
  const [seg, type, kind, value] = cause.elements as [number, Atom, Atom, Term];
  const text = `segment ${segment ?? seg} of type '${type.name}': ${what(reason, type.name, kind.name, value)}`;
  return [tuple(atom('general'), charlist(text)), tuple(atom('reason'), charlist('construction of binary failed'))];
}
