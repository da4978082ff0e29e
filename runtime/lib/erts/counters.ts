// Module counters: arrays of 64-bit signed counters that wrap around, as {atomics, Ref} or
// {write_concurrency, Ref} (both kept in atomics.ts's arrays: one thread here, so they are alike).

import { Term, Tuple, atom, listToArray, tuple, OK } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { badarg } from '../../vm/exception.js';
import { type AtomicArray, type Fail, arity, arrayOf, failer, index, info, makeArray, read, value, write } from './atomics.js';

const ATOMICS = atom('atomics');
const WRITE_CONCURRENCY = atom('write_concurrency');

function arrayIn(t: Term): AtomicArray | undefined {
  if (!(t instanceof Tuple) || t.elements.length !== 2) return undefined;
  const [kind, ref] = t.elements;
  return kind === ATOMICS || kind === WRITE_CONCURRENCY ? arrayOf(ref) : undefined;
}

defineBif('counters', 'new', 2, (n, opts) => {
  const fail: Fail = failer('counters', 'new', [n, opts]);
  const size = arity(n, fail);
  const os = listToArray(opts);
  if (os === undefined) fail({ 2: 'not a list' });
  let kind = ATOMICS;
  for (const o of os) {
    if (o === ATOMICS || o === WRITE_CONCURRENCY) kind = o;
    else fail({ 2: 'invalid option in list' });
  }
  return tuple(kind, makeArray(size, true));
});

function op(name: string, n: number, impl: (a: AtomicArray, i: number, args: Term[], fail: Fail) => Term): void {
  defineBif('counters', name, n, (...args: Term[]) => {
    const fail: Fail = failer('counters', name, args);
    const a = arrayIn(args[0]);
    const i = index(a, args[1], fail);
    return impl(a!, i, args, fail);
  });
}

op('get', 2, (a, i) => read(a, i));
op('add', 3, (a, i, args, fail) => {
  write(a, i, a.cells[i] + value(a, args[2], 3, fail));
  return OK;
});
op('sub', 3, (a, i, args, fail) => {
  write(a, i, a.cells[i] - value(a, args[2], 3, fail));
  return OK;
});
op('put', 3, (a, i, args, fail) => {
  write(a, i, value(a, args[2], 3, fail));
  return OK;
});

defineBif('counters', 'info', 1, (c) => {
  const a = arrayIn(c);
  if (a === undefined) throw badarg('counters', 'info', [c], { 1: 'invalid atomics reference' });
  return info(a);
});
