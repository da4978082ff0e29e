// The storage of set, bag and duplicate_bag tables: a JS Map from the key (exactly equal keys,
// =:=, are one key) to the key's object (a set) or objects (a bag), walked in the order the keys
// came. A walk is a live Map iterator: it survives inserts and deletes, so first/next and select
// continuations go on from where they were (the last iterator ets:next used is kept, so a
// first/next loop costs O(1) a step; a key asked for out of the blue is found by a scan).

import { mapKey, type Term } from '../../term.js';

/** A walk in progress: its live iterator and how many keys it has passed. */
export interface HashWalk<V> {
  it: Iterator<[unknown, V]>;
  n: number;
}

export class HashIndex<V> {
  private map = new Map<unknown, V>();
  /** where the last next() left off: the map key it returned and the iterator just past it */
  private cursor: { mk: unknown; it: Iterator<[unknown, V]> } | undefined = undefined;

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
    this.cursor = undefined;
  }

  get(key: Term): V | undefined {
    return this.map.get(typeof key === 'number' ? key : mapKey(key));
  }

  /** Set key's value; true when the key is new (a new key goes last in the order). */
  set(key: Term, val: V): boolean {
    const k = typeof key === 'number' ? key : mapKey(key);
    const m = this.map;
    const had = m.size;
    m.set(k, val);
    return m.size !== had;
  }

  delete(key: Term): boolean {
    return this.map.delete(typeof key === 'number' ? key : mapKey(key));
  }

  /** The first key's value. */
  first(): V | undefined {
    const it = this.map.entries();
    const r = it.next();
    if (r.done) return undefined;
    this.cursor = { mk: r.value[0], it };
    return r.value[1];
  }

  /** The value of the key after key, undefined at the end; null when key is not in the table. */
  next(key: Term): V | undefined | null {
    const mk = mapKey(key);
    let it: Iterator<[unknown, V]>;
    if (this.cursor !== undefined && this.cursor.mk === mk) it = this.cursor.it;
    else {
      if (!this.map.has(mk)) return null;
      it = this.map.entries();
      for (let r = it.next(); !r.done && r.value[0] !== mk; r = it.next());
    }
    const r = it.next();
    if (r.done) {
      this.cursor = undefined;
      return undefined;
    }
    this.cursor = { mk: r.value[0], it };
    return r.value[1];
  }

  /** The n-th key's value (ets:slot/2), 0-based. */
  nth(n: number): V | undefined {
    if (n >= this.map.size) return undefined;
    for (const v of this.map.values()) if (n-- === 0) return v;
    return undefined;
  }

  /**
   * The values in order, each with the walk positioned just past it; from a walk stopped before
   * (its iterator, or when that is gone, its count of keys passed), else from the start.
   */
  *walk(from?: { it?: Iterator<[unknown, V]>; n: number }): Generator<[V, HashWalk<V>]> {
    let it = from?.it;
    let n = from?.n ?? 0;
    if (it === undefined) {
      it = this.map.entries();
      for (let i = 0; i < n && !it.next().done; i++);
    }
    for (let r = it.next(); !r.done; r = it.next()) yield [r.value[1], { it, n: ++n }];
  }
}
