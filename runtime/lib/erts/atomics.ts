// Module atomics: arrays of 64-bit integers, signed or unsigned, that wrap around on overflow
// (BigInt64Array / BigUint64Array do exactly that). An array is a reference, as in OTP, that any
// process holding it can use. Module counters (counters.ts) is built on the same arrays.

import { ErlMap, Ref, Term, Tuple, atom, isInteger, listToArray, normInt, OK, TRUE, FALSE } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { badarg } from '../../vm/exception.js';
import { node } from '../../vm/node.js';

export interface AtomicArray {
  readonly cells: BigInt64Array | BigUint64Array;
  readonly signed: boolean;
}

const arrays = new WeakMap<Ref, AtomicArray>();

const MIN_SIGNED = -(1n << 63n);
const MAX_SIGNED = (1n << 63n) - 1n;
const MAX_UNSIGNED = (1n << 64n) - 1n;
/** The largest array OTP makes (its size in words must fit a machine word) */
const MAX_ARITY = 2 ** 56;

export function makeArray(arity: number, signed: boolean): Ref {
  const r = node.makeRef();
  arrays.set(r, { cells: signed ? new BigInt64Array(arity) : new BigUint64Array(arity), signed });
  return r;
}

export function arrayOf(t: Term): AtomicArray | undefined {
  return t instanceof Ref ? arrays.get(t) : undefined;
}

/** The errors of module m's function: badarg with erl_erts_errors' words for each argument. */
export type Fail = (why: Record<number, string>) => never;

export function failer(m: string, name: string, args: Term[]): Fail {
  return (why) => {
    throw badarg(m, name, args, why);
  };
}

/** The 0-based index of Ix in the array, or badarg. */
export function index(a: AtomicArray | undefined, ix: Term, fail: Fail): number {
  if (a === undefined) fail({ 1: 'invalid atomics reference' });
  if (!isInteger(ix)) fail({ 2: 'not an integer' });
  if (ix < 1 || ix > a.cells.length) fail({ 2: 'out of range' });
  return Number(ix) - 1;
}

/** An integer argument in the array's range (or, for an increment, any 64-bit one). */
export function value(a: AtomicArray, v: Term, argNo: number, fail: Fail, increment = false): bigint {
  if (!isInteger(v)) fail({ [argNo]: 'not an integer' });
  const b = BigInt(v);
  const lo = a.signed || increment ? MIN_SIGNED : 0n;
  const hi = a.signed && !increment ? MAX_SIGNED : MAX_UNSIGNED;
  if (b < lo || b > hi) fail({ [argNo]: 'out of range' });
  return b;
}

export function read(a: AtomicArray, i: number): Term {
  return normInt(a.cells[i]);
}

/** Store v wrapped to the array's 64 bits. */
export function write(a: AtomicArray, i: number, v: bigint): void {
  a.cells[i] = a.signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v);
}

export function info(a: AtomicArray): Term {
  return ErlMap.from([
    [atom('size'), a.cells.length],
    [atom('max'), normInt(a.signed ? MAX_SIGNED : MAX_UNSIGNED)],
    [atom('min'), normInt(a.signed ? MIN_SIGNED : 0n)],
    [atom('memory'), 40 + 8 * a.cells.length],
  ]);
}

/** new/2's arity, or badarg. */
export function arity(n: Term, fail: Fail): number {
  if (!isInteger(n)) fail({ 1: 'not an integer' });
  if (n < 1 || n > MAX_ARITY) fail({ 1: 'out of range' });
  return Number(n);
}

const SIGNED = atom('signed');

defineBif('atomics', 'new', 2, (n, opts) => {
  const fail: Fail = failer('atomics', 'new', [n, opts]);
  const size = arity(n, fail);
  const os = listToArray(opts);
  if (os === undefined) fail({ 2: 'not a list' });
  let signed = true;
  for (const o of os) {
    if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === SIGNED && (o.elements[1] === TRUE || o.elements[1] === FALSE)) {
      signed = o.elements[1] === TRUE;
    } else fail({ 2: 'invalid option in list' });
  }
  return makeArray(size, signed);
});

function op(name: string, arity: number, impl: (a: AtomicArray, i: number, args: Term[], fail: Fail) => Term): void {
  defineBif('atomics', name, arity, (...args: Term[]) => {
    const fail: Fail = failer('atomics', name, args);
    const a = arrayOf(args[0]);
    const i = index(a, args[1], fail);
    return impl(a!, i, args, fail);
  });
}

op('get', 2, (a, i) => read(a, i));
op('put', 3, (a, i, args, fail) => {
  write(a, i, value(a, args[2], 3, fail));
  return OK;
});
op('add', 3, (a, i, args, fail) => {
  write(a, i, a.cells[i] + value(a, args[2], 3, fail, true));
  return OK;
});
op('add_get', 3, (a, i, args, fail) => {
  write(a, i, a.cells[i] + value(a, args[2], 3, fail, true));
  return read(a, i);
});
op('sub', 3, (a, i, args, fail) => {
  write(a, i, a.cells[i] - value(a, args[2], 3, fail, true));
  return OK;
});
op('sub_get', 3, (a, i, args, fail) => {
  write(a, i, a.cells[i] - value(a, args[2], 3, fail, true));
  return read(a, i);
});
op('exchange', 3, (a, i, args, fail) => {
  const v = value(a, args[2], 3, fail);
  const old = read(a, i);
  write(a, i, v);
  return old;
});
op('compare_exchange', 4, (a, i, args, fail) => {
  const expected = value(a, args[2], 3, fail);
  const desired = value(a, args[3], 4, fail);
  if (a.cells[i] !== expected) return read(a, i);
  write(a, i, desired);
  return OK;
});

defineBif('atomics', 'info', 1, (r) => {
  const a = arrayOf(r);
  if (a === undefined) throw badarg('atomics', 'info', [r], { 1: 'invalid atomics reference' });
  return info(a);
});
