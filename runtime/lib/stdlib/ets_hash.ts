// The storage of set, bag and duplicate_bag tables: a JS Map from the key (exactly equal keys,
// =:=, are one key) to a slot, and the slots in the order their keys came, so first/next walk the
// table in a stable order and a select continuation can name where it stopped (a slot's sequence
// number) even after the slot itself is gone. Deleted slots leave holes in that order, swept
// away when they outnumber the live ones.

import { mapKey, type Term } from '../../term.js';

export interface Slot<V> {
  readonly key: Term;
  readonly seq: number;
  val: V;
  dead: boolean;
}

export class HashIndex<V> {
  private map = new Map<unknown, Slot<V>>();
  private order: Slot<V>[] = [];
  /** no live slot before this index of order */
  private start = 0;
  private dead = 0;
  private seq = 0;

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
    for (const s of this.order) s.dead = true;
    this.order = [];
    this.start = 0;
    this.dead = 0;
  }

  slot(key: Term): Slot<V> | undefined {
    return this.map.get(mapKey(key));
  }

  get(key: Term): V | undefined {
    return this.map.get(mapKey(key))?.val;
  }

  /** Set key's value; true when the key is new (a new key goes last in the order). */
  set(key: Term, val: V): boolean {
    const k = mapKey(key);
    const s = this.map.get(k);
    if (s !== undefined) {
      s.val = val;
      return false;
    }
    const slot: Slot<V> = { key, seq: this.seq++, val, dead: false };
    this.map.set(k, slot);
    this.order.push(slot);
    return true;
  }

  delete(key: Term): boolean {
    const k = mapKey(key);
    const s = this.map.get(k);
    if (s === undefined) return false;
    this.map.delete(k);
    s.dead = true;
    this.dead++;
    if (this.dead > 64 && this.dead > this.map.size) this.sweep();
    return true;
  }

  private sweep(): void {
    this.order = this.order.filter((s) => !s.dead);
    this.start = 0;
    this.dead = 0;
  }

  /** The index in order of the first slot with seq >= seq. */
  private indexOfSeq(seq: number): number {
    const o = this.order;
    let lo = this.start;
    let hi = o.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (o[mid].seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first live slot at or after index i of order. */
  private liveFrom(i: number): Slot<V> | undefined {
    const o = this.order;
    while (i < o.length && o[i].dead) i++;
    return i < o.length ? o[i] : undefined;
  }

  first(): Slot<V> | undefined {
    const o = this.order;
    while (this.start < o.length && o[this.start].dead) this.start++;
    return this.start < o.length ? o[this.start] : undefined;
  }

  /** The live slot after s in the order (s may be dead by now). */
  next(s: Slot<V>): Slot<V> | undefined {
    return this.liveFrom(this.indexOfSeq(s.seq + 1));
  }

  /** The first live slot whose sequence number is >= seq (where a continuation resumes). */
  fromSeq(seq: number): Slot<V> | undefined {
    return this.liveFrom(this.indexOfSeq(seq));
  }

  /** The n-th live slot (ets:slot/2), 0-based. */
  nth(n: number): Slot<V> | undefined {
    if (n >= this.map.size) return undefined;
    const o = this.order;
    for (let i = this.start; i < o.length; i++) if (!o[i].dead && n-- === 0) return o[i];
    return undefined;
  }

  /** The live slots in order, from slot `from` (the first by default); safe against deletion while walking. */
  *slots(from: Slot<V> | undefined = this.first()): Generator<Slot<V>> {
    if (from === undefined) return;
    let o = this.order;
    let i = this.indexOfSeq(from.seq);
    while (i < o.length) {
      const s = o[i];
      if (!s.dead) yield s;
      if (this.order !== o) {
        // swept while we were out: find our place again
        o = this.order;
        i = this.indexOfSeq(s.seq + 1);
      } else i++;
    }
  }
}
