// The storage of set, bag and duplicate_bag tables: a JS Map from the key (exactly equal keys,
// =:=, are one key) to the key's object (a set) or objects (a bag), and the order OTP walks them.
//
// OTP keeps these tables as a linear hash table: a key goes to bucket (hash & mask), a bucket's
// keys in the order they came; the table starts with 256 buckets and adds one for every object
// past that (and gives them back as objects go); first/next and select walk the buckets upwards.
// Here the same layout is computed, not stored: the keys are sorted by bucket when a walk needs
// them (that order is kept until a new key or a change of size spoils it), so tab2list, first/next
// and select's chunks come out in erl's order for keys BEAM hashes alike (runtime/vm/internal_hash.ts).

import { mapKey, type Term } from '../../vm/term.js';
import { etsKeyHash } from '../../vm/internal_hash.js';
import { chargeElements } from '../../vm/scheduler.js';

const FIRST_BUCKETS = 256;
const EXT_SEGMENT = 2048;

export class HashIndex<V> {
  private map = new Map<unknown, V>();
  /** buckets in use, and the mask for a key's bucket */
  private nactive = FIRST_BUCKETS;
  private szm = FIRST_BUCKETS - 1;
  /** the keys (as map keys) in walking order and each one's bucket; undefined until needed */
  private order: unknown[] | undefined = undefined;
  private orderBuckets: Int32Array | undefined = undefined;

  /** keyOf: the key of a value kept under map key mk */
  constructor(private readonly keyOf: (v: V, mk: unknown) => Term) {}

  get size(): number {
    return this.map.size;
  }

  /** The number of buckets (ets:slot/2's range). */
  get buckets(): number {
    return this.nactive;
  }

  clear(): void {
    this.map.clear();
    this.nactive = FIRST_BUCKETS;
    this.szm = FIRST_BUCKETS - 1;
    this.order = undefined;
  }

  get(key: Term): V | undefined {
    return this.map.get(typeof key === 'number' ? key : mapKey(key));
  }

  /** Set key's value; true when the key is new (it then goes last in its bucket). */
  set(key: Term, val: V): boolean {
    const k = typeof key === 'number' ? key : mapKey(key);
    const m = this.map;
    const had = m.size;
    m.set(k, val);
    if (m.size === had) return false;
    this.order = undefined;
    return true;
  }

  /** (a walk taken before goes on over the remaining keys) */
  delete(key: Term): boolean {
    return this.map.delete(typeof key === 'number' ? key : mapKey(key));
  }

  /**
   * The table holds `objects` objects now: buckets are added or given back as OTP does (one per
   * object past the first 256, none while the table is fixed).
   */
  resize(objects: number, fixed: boolean): void {
    if (fixed) return;
    for (let n = 0; n < 5 && objects > this.nactive; n++) {
      if (this.nactive > this.szm) this.szm = (this.szm << 1) | 1;
      this.nactive++;
      this.order = undefined;
    }
    for (let n = 0; n < 5 && this.nactive > FIRST_BUCKETS && objects < this.nactive >> 1; n++) {
      const src = this.nactive - 1;
      const low = this.szm >> 1;
      if ((src & low) === 0) this.szm = low;
      this.nactive = src;
      this.order = undefined;
    }
  }

  /** Words OTP's bucket array takes beyond its first 256 buckets (ets:info's memory). */
  extraWords(): number {
    const more = this.nactive - FIRST_BUCKETS;
    return more <= 0 ? 0 : 262 + EXT_SEGMENT * Math.ceil(more / EXT_SEGMENT);
  }

  /** The bucket key goes to. */
  bucketFor(key: Term): number {
    return this.bucketOf(key);
  }

  private bucketOf(key: Term): number {
    const h = etsKeyHash(key);
    let ix = h & this.szm;
    if (ix >= this.nactive) ix &= this.szm >> 1;
    return ix;
  }

  /** The keys in walking order: by bucket, each bucket's keys in the order they came. */
  private walkingOrder(): { keys: unknown[]; buckets: Int32Array } {
    if (this.order !== undefined) return { keys: this.order, buckets: this.orderBuckets! };
    const n = this.map.size;
    // taken again after each change: a walk (first/next, slot) after an insert pays for it
    chargeElements(n);
    const keys = new Array<unknown>(n);
    const bucketOfKey = new Int32Array(n);
    const counts = new Int32Array(this.nactive + 1);
    let i = 0;
    for (const [mk, v] of this.map) {
      const b = this.bucketOf(this.keyOf(v, mk));
      keys[i] = mk;
      bucketOfKey[i++] = b;
      counts[b + 1]++;
    }
    // a counting sort: stable, so a bucket's keys stay in the order they came
    for (let b = 0; b < this.nactive; b++) counts[b + 1] += counts[b];
    const order = new Array<unknown>(n);
    const orderBuckets = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const at = counts[bucketOfKey[j]]++;
      order[at] = keys[j];
      orderBuckets[at] = bucketOfKey[j];
    }
    this.order = order;
    this.orderBuckets = orderBuckets;
    return { keys: order, buckets: orderBuckets };
  }

  /** The index in the walking order of the first key in a bucket at or after `bucket`. */
  private static fromBucket(buckets: Int32Array, bucket: number): number {
    let lo = 0;
    let hi = buckets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (buckets[mid] < bucket) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Where key stands in the walking order, or -1 (it may be a key deleted since). */
  private indexOf(key: Term): number {
    return this.indexIn(typeof key === 'number' ? key : mapKey(key), this.bucketOf(key));
  }

  private indexIn(mk: unknown, b: number): number {
    const { keys, buckets } = this.walkingOrder();
    for (let i = HashIndex.fromBucket(buckets, b); i < keys.length && buckets[i] === b; i++) if (keys[i] === mk) return i;
    return -1;
  }

  /** The first live key at or after index i of the walking order. */
  private liveFrom(i: number): Term | undefined {
    const { keys } = this.walkingOrder();
    for (; i < keys.length; i++) {
      const v = this.map.get(keys[i]);
      if (v !== undefined) return this.keyOf(v, keys[i]);
    }
    return undefined;
  }

  /** The first key in walking order. */
  first(): Term | undefined {
    return this.liveFrom(0);
  }

  /**
   * The key after key in walking order, undefined at the end; null when key is unknown (a fixed
   * table still knows the keys deleted since the walk began).
   */
  next(key: Term, fixed: boolean): Term | undefined | null {
    const mk = typeof key === 'number' ? key : mapKey(key);
    if (!this.map.has(mk) && !fixed) return null;
    const i = this.indexOf(key);
    if (i < 0) {
      // a key gone before this order was taken: go on from the next bucket
      return fixed ? this.liveFrom(HashIndex.fromBucket(this.walkingOrder().buckets, this.bucketOf(key) + 1)) : null;
    }
    return this.liveFrom(i + 1);
  }

  /** The keys and values in bucket i (ets:slot/2), in the order they came. */
  bucket(i: number): [Term, V][] {
    const { keys, buckets } = this.walkingOrder();
    const out: [Term, V][] = [];
    for (let j = HashIndex.fromBucket(buckets, i); j < keys.length && buckets[j] === i; j++) {
      const v = this.map.get(keys[j]);
      if (v !== undefined) out.push([this.keyOf(v, keys[j]), v]);
    }
    return out;
  }

  /** f of every live key and value in walking order (or backwards): a whole table read in one pass. */
  collect<T>(f: (key: Term, val: V) => T, reverse: boolean): T[] {
    const { keys } = this.walkingOrder();
    const m = this.map;
    const out: T[] = [];
    const n = keys.length;
    for (let j = 0; j < n; j++) {
      const mk = keys[reverse ? n - 1 - j : j];
      const v = m.get(mk);
      if (v !== undefined) out.push(f(this.keyOf(v, mk), v));
    }
    return out;
  }

  /** The live values in walking order from bucket `fromBucket` on, each with its bucket and key. */
  *walk(fromBucket = 0): Generator<[V, number, Term]> {
    let { keys, buckets } = this.walkingOrder();
    let i = HashIndex.fromBucket(buckets, fromBucket);
    while (i < keys.length) {
      const b = buckets[i];
      const v = this.map.get(keys[i]);
      if (v !== undefined) yield [v, b, this.keyOf(v, keys[i])];
      if (this.order !== keys) {
        // the order was retaken meanwhile (the walker's caller added keys): find our place again
        const mk = keys[i];
        ({ keys, buckets } = this.walkingOrder());
        const at = this.indexIn(mk, b);
        i = at >= 0 ? at + 1 : HashIndex.fromBucket(buckets, b + 1);
      } else i++;
    }
  }
}
