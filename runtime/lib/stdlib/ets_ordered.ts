// The storage of an ordered_set table: keys in Erlang term order (== equal keys are one key, so
// 1 and 1.0 are the same), each with its value. A two-level sorted structure: a list of leaves,
// each a short sorted array, found by binary search over the leaves' last keys (kept apart, in one
// array, so the search reads one array). Inserting costs a binary search and a shift within a
// short array; a full leaf splits in two. A leaf may have room before its first key, so keys
// arriving in falling order go in front without shifting the others. Iteration from any key
// (ets:next/prev of a key that is not there, select continuations) is a search and a walk.

import { compare, type Term } from '../../vm/term.js';

const LEAF_MAX = 64;

/**
 * A leaf: its keys and values at [lo, keys.length) of its arrays (the slots before lo are room
 * for keys that come before its first).
 */
interface Leaf<V> {
  keys: Term[];
  vals: V[];
  lo: number;
}

/** compare() with the common cases (small integers, atoms, identical terms) first. */
export function termCompare(a: Term, b: Term): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return compare(a, b);
}

/** A position: leaf index and index within the leaf (from its first key). */
export interface Cursor {
  leaf: number;
  i: number;
}

function leafOf<V>(key: Term, val: V): Leaf<V> {
  return { keys: [key], vals: [val], lo: 0 };
}

/** LEAF_MAX zeros: a packed array of small integers, as [key] is for an integer key, so the searches see one kind of array. */
const ROOM: number[] = [];
for (let i = 0; i < LEAF_MAX; i++) ROOM.push(0);

/** A leaf for keys that will come in falling order: room for them before key. */
function leafGrowingDown<V>(key: Term, val: V): Leaf<V> {
  const keys: Term[] = ROOM.slice();
  const vals = ROOM.slice() as V[];
  keys[LEAF_MAX - 1] = key;
  vals[LEAF_MAX - 1] = val;
  return { keys, vals, lo: LEAF_MAX - 1 };
}

export class OrderedIndex<V> {
  private leaves: Leaf<V>[] = [];
  /** each leaf's last key, in one array for the search */
  private lasts: Term[] = [];
  size = 0;
  /** changes whenever a key comes or goes (cursors taken before are then stale) */
  shape = 0;

  clear(): void {
    // (emptied, not replaced: a new [] would change the fields' kind of array, and V8 would throw
    // away the code compiled for them)
    this.leaves.length = 0;
    this.lasts.length = 0;
    this.size = 0;
    this.shape++;
  }

  /** The index of the first leaf whose last key is >= key (leaves.length when none is). */
  private leafFor(key: Term): number {
    const ls = this.lasts;
    let lo = 0;
    let hi = ls.length;
    // (integers compared here: the common keys, without a call, which counts before the code is compiled)
    const num = typeof key === 'number';
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = ls[mid];
      // (mid + 1 computed on both ways: keys arriving in falling order never go right, and code
      // optimised before any did would be thrown away at the first that does)
      const right = mid + 1;
      if (num && typeof k === 'number' ? k < key : compare(k, key) < 0) lo = right;
      else hi = mid;
    }
    return lo;
  }

  /** The first index in the leaf (from its first key) whose key is >= key. */
  private static within(leaf: Leaf<unknown>, key: Term): number {
    const keys = leaf.keys;
    const base = leaf.lo;
    let lo = base;
    let hi = keys.length;
    const num = typeof key === 'number';
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid];
      const right = mid + 1;
      if (num && typeof k === 'number' ? k < key : compare(k, key) < 0) lo = right;
      else hi = mid;
    }
    return lo - base;
  }

  /** The key get found last: the stored one, which may differ in type from the one asked (1 and 1.0). */
  foundKey: Term = 0;

  /** key's value (and the stored key in foundKey), or undefined. */
  get(key: Term): V | undefined {
    const li = this.leafFor(key);
    if (li === this.leaves.length) return undefined;
    const leaf = this.leaves[li];
    const at = leaf.lo + OrderedIndex.within(leaf, key);
    if (at === leaf.keys.length || termCompare(leaf.keys[at], key) !== 0) return undefined;
    this.foundKey = leaf.keys[at];
    return leaf.vals[at];
  }

  /** The key stored for key (it may differ in type: 1 stored, 1.0 asked). */
  storedKey(key: Term): Term | undefined {
    return this.get(key) === undefined ? undefined : this.foundKey;
  }

  /** Set key's value; true when the key is new. The key stored is the new one. */
  set(key: Term, val: V): boolean {
    const ls = this.leaves;
    if (ls.length === 0) {
      ls.push(leafOf(key, val));
      this.lasts.push(key);
      this.size = 1;
      this.shape++;
      return true;
    }
    let li = this.leafFor(key);
    if (li === ls.length) li--; // beyond every key: append to the last leaf
    const leaf = ls[li];
    const { keys, vals } = leaf;
    const n = keys.length - leaf.lo;
    const i = OrderedIndex.within(leaf, key);
    const at = leaf.lo + i;
    if (i < n && termCompare(keys[at], key) === 0) {
      keys[at] = key;
      vals[at] = val;
      if (i === n - 1) this.lasts[li] = key;
      return false;
    }
    this.size++;
    this.shape++;
    if (n >= LEAF_MAX && (i === 0 ? li === 0 : i === n && li === ls.length - 1)) {
      // a new least or greatest key of a full table end: a leaf of its own, the full one left as
      // it is (keys arriving in order then fill whole leaves, and shift nothing already there)
      if (i === 0) {
        ls.unshift(leafGrowingDown(key, val));
        this.lasts.unshift(key);
      } else {
        ls.push(leafOf(key, val));
        this.lasts.push(key);
      }
      return true;
    }
    if (i === 0 && leaf.lo > 0) {
      // room in front
      leaf.lo--;
      keys[leaf.lo] = key;
      vals[leaf.lo] = val;
    } else if (i === n) {
      keys.push(key);
      vals.push(val);
      this.lasts[li] = key;
    } else {
      keys.splice(at, 0, key);
      vals.splice(at, 0, val);
    }
    if (n + 1 > LEAF_MAX) {
      // split in two halves, each without room in front
      const from = leaf.lo;
      const half = from + ((n + 1) >>> 1);
      const right: Leaf<V> = { keys: keys.slice(half), vals: vals.slice(half), lo: 0 };
      leaf.keys = keys.slice(from, half);
      leaf.vals = vals.slice(from, half);
      leaf.lo = 0;
      ls.splice(li + 1, 0, right);
      this.lasts.splice(li, 0, leaf.keys[leaf.keys.length - 1]);
    }
    return true;
  }

  /** Replace the key (by one == to it) and the value of an existing key (no-op when absent). */
  replace(key: Term, val: V): void {
    const c = this.find(key);
    if (c === undefined) return;
    const leaf = this.leaves[c.leaf];
    const at = leaf.lo + c.i;
    leaf.keys[at] = key;
    leaf.vals[at] = val;
    if (at === leaf.keys.length - 1) this.lasts[c.leaf] = key;
  }

  delete(key: Term): boolean {
    const c = this.find(key);
    if (c === undefined) return false;
    const leaf = this.leaves[c.leaf];
    const { keys, vals } = leaf;
    const n = keys.length - leaf.lo;
    if (n === 1) {
      this.leaves.splice(c.leaf, 1);
      this.lasts.splice(c.leaf, 1);
    } else if (c.i < n >>> 1) {
      // close the gap from the front: the room in front grows by one
      for (let j = leaf.lo + c.i; j > leaf.lo; j--) {
        keys[j] = keys[j - 1];
        vals[j] = vals[j - 1];
      }
      keys[leaf.lo] = 0;
      vals[leaf.lo] = 0 as V;
      leaf.lo++;
    } else {
      const last = keys.length - 1;
      for (let j = leaf.lo + c.i; j < last; j++) {
        keys[j] = keys[j + 1];
        vals[j] = vals[j + 1];
      }
      keys.length = last;
      vals.length = last;
      this.lasts[c.leaf] = keys[last - 1];
    }
    this.size--;
    this.shape++;
    return true;
  }

  /** Where key is, or undefined. */
  find(key: Term): Cursor | undefined {
    const li = this.leafFor(key);
    if (li === this.leaves.length) return undefined;
    const leaf = this.leaves[li];
    const i = OrderedIndex.within(leaf, key);
    const at = leaf.lo + i;
    return at < leaf.keys.length && termCompare(leaf.keys[at], key) === 0 ? { leaf: li, i } : undefined;
  }

  /** The number of keys in leaf li. */
  private count(li: number): number {
    const leaf = this.leaves[li];
    return leaf.keys.length - leaf.lo;
  }

  /** The first position whose key is > key (or >= key when inclusive). */
  after(key: Term, inclusive: boolean): Cursor | undefined {
    const li = this.leafFor(key);
    if (li === this.leaves.length) return undefined;
    const leaf = this.leaves[li];
    let i = OrderedIndex.within(leaf, key);
    if (!inclusive && leaf.lo + i < leaf.keys.length && termCompare(leaf.keys[leaf.lo + i], key) === 0) i++;
    return this.normalise({ leaf: li, i });
  }

  /** The last position whose key is < key (or <= key when inclusive). */
  before(key: Term, inclusive: boolean): Cursor | undefined {
    const li = this.leafFor(key);
    if (li === this.leaves.length) return this.lastCursor();
    const leaf = this.leaves[li];
    let i = OrderedIndex.within(leaf, key); // its key >= key
    if (inclusive && leaf.lo + i < leaf.keys.length && termCompare(leaf.keys[leaf.lo + i], key) === 0) return { leaf: li, i };
    i--;
    if (i >= 0) return { leaf: li, i };
    return li > 0 ? { leaf: li - 1, i: this.count(li - 1) - 1 } : undefined;
  }

  firstCursor(): Cursor | undefined {
    return this.leaves.length === 0 ? undefined : { leaf: 0, i: 0 };
  }

  lastCursor(): Cursor | undefined {
    const n = this.leaves.length;
    return n === 0 ? undefined : { leaf: n - 1, i: this.count(n - 1) - 1 };
  }

  private normalise(c: Cursor): Cursor | undefined {
    if (c.i < this.count(c.leaf)) return c;
    return c.leaf + 1 < this.leaves.length ? { leaf: c.leaf + 1, i: 0 } : undefined;
  }

  keyAt(c: Cursor): Term {
    const leaf = this.leaves[c.leaf];
    return leaf.keys[leaf.lo + c.i];
  }

  valAt(c: Cursor): V {
    const leaf = this.leaves[c.leaf];
    return leaf.vals[leaf.lo + c.i];
  }

  /** The next position (mutates nothing; undefined at the end). */
  step(c: Cursor): Cursor | undefined {
    return this.normalise({ leaf: c.leaf, i: c.i + 1 });
  }

  stepBack(c: Cursor): Cursor | undefined {
    if (c.i > 0) return { leaf: c.leaf, i: c.i - 1 };
    return c.leaf > 0 ? { leaf: c.leaf - 1, i: this.count(c.leaf - 1) - 1 } : undefined;
  }

  /** f of every key and value, in order (or backwards): a whole index read without cursors. */
  collect<T>(f: (key: Term, val: V) => T, reverse: boolean): T[] {
    const out: T[] = [];
    const ls = this.leaves;
    if (!reverse) {
      for (const { keys, vals, lo } of ls) for (let at = lo; at < keys.length; at++) out.push(f(keys[at], vals[at]));
    } else {
      for (let li = ls.length - 1; li >= 0; li--) {
        const { keys, vals, lo } = ls[li];
        for (let at = keys.length - 1; at >= lo; at--) out.push(f(keys[at], vals[at]));
      }
    }
    return out;
  }

  /** Keys and values in order from position c (the whole index by default). */
  *entries(from: Cursor | undefined = this.firstCursor()): Generator<[Term, V]> {
    if (from === undefined) return;
    const ls = this.leaves;
    for (let li = from.leaf, i = from.i; li < ls.length; li++, i = 0) {
      const { keys, vals, lo } = ls[li];
      for (let at = lo + i; at < keys.length; at++) yield [keys[at], vals[at]];
    }
  }

  /** Keys and values in reverse order from position c (the whole index by default). */
  *reverseEntries(from: Cursor | undefined = this.lastCursor()): Generator<[Term, V]> {
    if (from === undefined) return;
    const ls = this.leaves;
    for (let li = from.leaf, i = from.i; li >= 0; li--, i = li >= 0 ? this.count(li) - 1 : 0) {
      const { keys, vals, lo } = ls[li];
      for (let at = lo + i; at >= lo; at--) yield [keys[at], vals[at]];
    }
  }
}
