// erlang:term_to_binary/1,2 and erlang:binary_to_term/1,2 over runtime/vm/etf.ts, with OTP 25's
// option checks and badarg texts (erl_erts_errors).

import { Bin, List, NIL, Tuple, atom, tuple, Atom } from '../../vm/term.js';
import type { Term } from '../../vm/term.js';
import { badarg } from '../../vm/exception.js';
import type { ErlangException } from '../../vm/exception.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { EtfError, decode, encode, decodeInSteps } from '../../vm/etf.js';
import type { EncodeOptions, Decoded } from '../../vm/etf.js';
import { codeServer } from '../../vm/code_server.js';
import { S, chargeElements } from '../../vm/scheduler.js';
import { PREEMPT } from '../../vm/abi.js';

const BAD_EXT = 'invalid external representation of a term';
const BAD_OR_UNSAFE_EXT = 'invalid or unsafe external representation of a term';
const NOT_BINARY = 'not a binary';
const BAD_OPTION = 'invalid option in list';

const COMPRESSED = atom('compressed');
const MINOR_VERSION = atom('minor_version');
const DETERMINISTIC = atom('deterministic');
const SAFE = atom('safe');
const USED = atom('used');

/** The elements of an option list, or the error text for argument 2 when it is not a proper list. */
function optionItems(opts: Term): Term[] | string {
  if (opts !== NIL && !(opts instanceof List)) return 'not a list';
  const out: Term[] = [];
  let t: Term = opts;
  while (t instanceof List) {
    out.push(t.head);
    t = t.tail;
  }
  return t === NIL ? out : 'not a proper list';
}

function binaryBytes(t: Term): Uint8Array | undefined {
  return t instanceof Bin && t.bitSize % 8 === 0 ? t.bytes.subarray(0, t.bitSize / 8) : undefined;
}

function encodeOptions(opts: Term[]): EncodeOptions | undefined {
  const o: EncodeOptions = {};
  for (const opt of opts) {
    if (opt === COMPRESSED) o.compressed = 6;
    else if (opt === DETERMINISTIC) continue; // OTP 25's output is already in a fixed order for the terms terl writes
    else if (opt instanceof Tuple && opt.size === 2 && opt.elements[0] === COMPRESSED) {
      const level = opt.elements[1];
      if (typeof level !== 'number' || level < 0 || level > 9) return undefined;
      o.compressed = level;
    } else if (opt instanceof Tuple && opt.size === 2 && opt.elements[0] === MINOR_VERSION) {
      const v = opt.elements[1];
      if (v !== 0 && v !== 1 && v !== 2) return undefined;
      o.minorVersion = v;
    } else return undefined;
  }
  return o;
}

function termToBinary(t: Term, optsTerm: Term): Term {
  const items = optionItems(optsTerm);
  if (typeof items === 'string') throw badarg('erlang', 'term_to_binary', [t, optsTerm], { 2: items });
  const o = encodeOptions(items);
  if (o === undefined) throw badarg('erlang', 'term_to_binary', [t, optsTerm], { 2: BAD_OPTION });
  return encoded(encode(t, o));
}

/**
 * term_to_binary's result, charged by its size: about one term written per four bytes; compressed,
 * also each byte zlib read (the size before compression, in the header after the tag 80).
 */
function encoded(bytes: Uint8Array): Bin {
  const raw = bytes[1] === 80 ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(2) : 0;
  chargeElements(((raw || bytes.length) >>> 2) + raw);
  return new Bin(bytes);
}

/** Terms decoded between two looks at the reduction budget: a huge binary does not hold up other processes. */
const SLICE_TERMS = 20_000;

/** A fun M:F/A that binary_to_term(_, [safe]) accepts: one loaded code (or a BIF) exports. */
function knownExport(module: Atom, name: Atom, arity: number): boolean {
  return codeServer.isLoaded(module) && codeServer.find(module, name, arity) !== undefined;
}

function* binaryToTerm(args: Term[], bin: Term, optsTerm: Term | undefined): Generator<unknown, Term, unknown> {
  const fail = (why: Record<number, string>): ErlangException => badarg('erlang', 'binary_to_term', args, why);
  const bytes = binaryBytes(bin);
  let safe = false;
  let used = false;
  if (optsTerm !== undefined) {
    const items = optionItems(optsTerm);
    let optError: string | undefined = typeof items === 'string' ? items : undefined;
    if (typeof items !== 'string') {
      for (const o of items) {
        if (o === SAFE) safe = true;
        else if (o === USED) used = true;
        else optError = BAD_OPTION;
      }
    }
    if (bytes === undefined || optError !== undefined) {
      const why: Record<number, string> = {};
      if (bytes === undefined) why[1] = NOT_BINARY;
      if (optError !== undefined) why[2] = optError;
      throw fail(why);
    }
  } else if (bytes === undefined) {
    throw fail({ 1: NOT_BINARY });
  }
  const steps = decodeInSteps(bytes!, { safe, knownExport }, SLICE_TERMS);
  for (;;) {
    let r: IteratorResult<void, Decoded>;
    try {
      r = steps.next();
    } catch (e) {
      if (e instanceof EtfError) throw fail({ 1: safe ? BAD_OR_UNSAFE_EXT : BAD_EXT });
      throw e;
    }
    if (r.done === true) return used ? tuple(r.value.term, r.value.used) : r.value.term;
    // a slice's worth of work: the rest of the budget is spent
    S.reds = 0;
    yield PREEMPT;
  }
}

defineBif('erlang', 'term_to_binary', 1, (t) => encoded(encode(t)));
defineBif('erlang', 'term_to_binary', 2, termToBinary);
defineGenBif('erlang', 'binary_to_term', 1, (b) => binaryToTerm([b], b, undefined));
defineGenBif('erlang', 'binary_to_term', 2, (b, o) => binaryToTerm([b, o], b, o));
