// The storage of an ordered_set table: keys in Erlang term order (== equal keys are one key, so
// 1 and 1.0 are the same), each with its value. A two-level sorted structure: a list of leaves,
// each a short sorted array, found by binary search over the leaves' last keys. Inserting costs a
// binary search and a splice of a short array; a full leaf splits in two. Iteration from any key
// (ets:next/prev of a key that is not there, select continuations) is a search and a walk.

import { compare, type Term } from '../../vm/term.js';

const LEAF_MAX = 64;

interface Leaf<V> {
  keys: Term[];
  vals: V[];
}

/** compare() with the common cases (small integers, atoms, identical terms) first. */
export function termCompare(a: Term, b: Term): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return compare(a, b);
}

/** A position: leaf index and index within the leaf. */
export interface Cursor {
  leaf: number;
  i: number;
}

export class OrderedIndex<V> {
  private leaves: Leaf<V>[] = [];
  size = 0;
  /** changes whenever a key comes or goes (cursors taken before are then stale) */
  shape = 0;

  clear(): void {
    this.leaves = [];
    this.size = 0;
    this.shape++;
  }

  /** The index of the first leaf whose last key is >= key (leaves.length when none is). */
  private leafFor(key: Term): number {
    const ls = this.leaves;
    let lo = 0;
    let hi = ls.length;
    const num = typeof key === 'number';
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = ls[mid].keys;
      const last = k[k.length - 1];
      // (integers compared here: the common keys, without a call)
      if (num && typeof last === 'number' ? last < key : compare(last, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index in keys whose key is >= key. */
  private static within(keys: Term[], key: Term): number {
    let lo = 0;
    let hi = keys.length;
    const num = typeof key === 'number';
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid];
      if (num && typeof k === 'number' ? k < key : compare(k, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The key get found last: the stored one, which may differ in type from the one asked (1 and 1.0). */
  foundKey: Term = 0;

  /** key's value (and the stored key in foundKey), or undefined. */
  get(key: Term): V | undefined {
    const li = this.leafFor(key);
    if (li === this.leaves.length) return undefined;
    const leaf = this.leaves[li];
    const i = OrderedIndex.within(leaf.keys, key);
    if (i === leaf.keys.length || termCompare(leaf.keys[i], key) !== 0) return undefined;
    this.foundKey = leaf.keys[i];
    return leaf.vals[i];
  }

  /** The key stored for key (it may differ in type: 1 stored, 1.0 asked). */
  storedKey(key: Term): Term | undefined {
    const li = this.leafFor(key);
    if (li === this.leaves.length) return undefined;
    const leaf = this.leaves[li];
    const i = OrderedIndex.within(leaf.keys, key);
    return i < leaf.keys.length && termCompare(leaf.keys[i], key) === 0 ? leaf.keys[i] : undefined;
  }

  /** Set key's value; true when the key is new. The key stored is the new one. */
  set(key: Term, val: V): boolean {
    const ls = this.leaves;
    if (ls.length === 0) {
      ls.push({ keys: [key], vals: [val] });
      this.size = 1;
      this.shape++;
      return true;
    }
    let li = this.leafFor(key);
    if (li === ls.length) li--; // beyond every key: append to the last leaf
    const leaf = ls[li];
    const keys = leaf.keys;
    const i = OrderedIndex.within(keys, key);
    if (i < keys.length && termCompare(keys[i], key) === 0) {
      keys[i] = key;
      leaf.vals[i] = val;
      return false;
    }
    const vals = leaf.vals;
    if (keys.length >= LEAF_MAX && (i === 0 ? li === 0 : i === keys.length && li === ls.length - 1)) {
      // a new least or greatest key of a full table end: a leaf of its own, the full one left as
      // it is (keys arriving in order then fill whole leaves, and shift nothing already there)
      ls.splice(i === 0 ? 0 : ls.length, 0, { keys: [key], vals: [val] });
      this.size++;
      this.shape++;
      return true;
    }
    // (shifting by hand: splice would allocate the array of what it removes, every time)
    for (let j = keys.length; j > i; j--) {
      keys[j] = keys[j - 1];
      vals[j] = vals[j - 1];
    }
    keys[i] = key;
    vals[i] = val;
    this.size++;
    this.shape++;
    if (keys.length > LEAF_MAX) {
      const half = keys.length >>> 1;
      ls.splice(li + 1, 0, { keys: keys.splice(half), vals: leaf.vals.splice(half) });
    }
    return true;
  }

  /** Replace the key (by one == to it) and the value of an existing key (no-op when absent). */
  replace(key: Term, val: V): void {
    const c = this.find(key);
    if (c === undefined) return;
    this.leaves[c.leaf].keys[c.i] = key;
    this.leaves[c.leaf].vals[c.i] = val;
  }

  delete(key: Term): boolean {
    const c = this.find(key);
    if (c === undefined) return false;
    const { keys, vals } = this.leaves[c.leaf];
    const last = keys.length - 1;
    for (let j = c.i; j < last; j++) {
      keys[j] = keys[j + 1];
      vals[j] = vals[j + 1];
    }
    keys.length = last;
    vals.length = last;
    if (last === 0) this.leaves.splice(c.leaf, 1);
    this.size--;
    this.shape++;
    return true;
  }

  /** Where key is, or undefined. */
  find(key: Term): Cursor | undefined {
    const li = this.leafFor(key);
    if (li === this.leaves.length) return undefined;
    const keys = this.leaves[li].keys;
    const i = OrderedIndex.within(keys, key);
    return i < keys.length && termCompare(keys[i], key) === 0 ? { leaf: li, i } : undefined;
  }

  /** The first position whose key is > key (or >= key when inclusive). */
  after(key: Term, inclusive: boolean): Cursor | undefined {
    const li = this.leafFor(key);
    if (li === this.leaves.length) return undefined;
    const keys = this.leaves[li].keys;
    let i = OrderedIndex.within(keys, key);
    if (!inclusive && i < keys.length && termCompare(keys[i], key) === 0) i++;
    return this.normalise({ leaf: li, i });
  }

  /** The last position whose key is < key (or <= key when inclusive). */
  before(key: Term, inclusive: boolean): Cursor | undefined {
    const li = this.leafFor(key);
    if (li === this.leaves.length) return this.lastCursor();
    const keys = this.leaves[li].keys;
    let i = OrderedIndex.within(keys, key); // keys[i] >= key
    if (inclusive && i < keys.length && termCompare(keys[i], key) === 0) return { leaf: li, i };
    i--;
    if (i >= 0) return { leaf: li, i };
    return li > 0 ? { leaf: li - 1, i: this.leaves[li - 1].keys.length - 1 } : undefined;
  }

  firstCursor(): Cursor | undefined {
    return this.leaves.length === 0 ? undefined : { leaf: 0, i: 0 };
  }

  lastCursor(): Cursor | undefined {
    const n = this.leaves.length;
    return n === 0 ? undefined : { leaf: n - 1, i: this.leaves[n - 1].keys.length - 1 };
  }

  private normalise(c: Cursor): Cursor | undefined {
    if (c.i < this.leaves[c.leaf].keys.length) return c;
    return c.leaf + 1 < this.leaves.length ? { leaf: c.leaf + 1, i: 0 } : undefined;
  }

  keyAt(c: Cursor): Term {
    return this.leaves[c.leaf].keys[c.i];
  }

  valAt(c: Cursor): V {
    return this.leaves[c.leaf].vals[c.i];
  }

  /** The next position (mutates nothing; undefined at the end). */
  step(c: Cursor): Cursor | undefined {
    return this.normalise({ leaf: c.leaf, i: c.i + 1 });
  }

  stepBack(c: Cursor): Cursor | undefined {
    if (c.i > 0) return { leaf: c.leaf, i: c.i - 1 };
    return c.leaf > 0 ? { leaf: c.leaf - 1, i: this.leaves[c.leaf - 1].keys.length - 1 } : undefined;
  }

  /** Keys and values in order from position c (the whole index by default). */
  *entries(from: Cursor | undefined = this.firstCursor()): Generator<[Term, V]> {
    if (from === undefined) return;
    const ls = this.leaves;
    for (let li = from.leaf, i = from.i; li < ls.length; li++, i = 0) {
      const { keys, vals } = ls[li];
      for (; i < keys.length; i++) yield [keys[i], vals[i]];
    }
  }

  /** Keys and values in reverse order from position c (the whole index by default). */
  *reverseEntries(from: Cursor | undefined = this.lastCursor()): Generator<[Term, V]> {
    if (from === undefined) return;
    const ls = this.leaves;
    for (let li = from.leaf, i = from.i; li >= 0; li--, i = li >= 0 ? ls[li].keys.length - 1 : 0) {
      const { keys, vals } = ls[li];
      for (; i >= 0; i--) yield [keys[i], vals[i]];
    }
  }
}
