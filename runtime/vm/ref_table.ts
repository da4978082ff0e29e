// A table keyed by ref keys for what a process holds per ref: its monitors, the monitors on it, its
// aliases. Most processes hold none or one at a time, and a gen_server call adds and removes one of
// each: a JS Map that goes from one entry to none reallocates its storage both ways, so up to SMALL
// entries live in two small arrays (insertion order kept, as a Map's), and a Map takes over beyond.

import type { RefKey } from './term.js';

const SMALL = 8;

export class RefTable<V> {
  private keys_: RefKey[] = [];
  private vals: V[] = [];
  private map: Map<RefKey, V> | undefined = undefined;

  get size(): number {
    return this.map !== undefined ? this.map.size : this.keys_.length;
  }

  get(key: RefKey): V | undefined {
    if (this.map !== undefined) return this.map.get(key);
    const i = this.keys_.indexOf(key);
    return i < 0 ? undefined : this.vals[i];
  }

  has(key: RefKey): boolean {
    return this.map !== undefined ? this.map.has(key) : this.keys_.includes(key);
  }

  set(key: RefKey, value: V): this {
    if (this.map !== undefined) {
      this.map.set(key, value);
      return this;
    }
    const i = this.keys_.indexOf(key);
    if (i >= 0) {
      this.vals[i] = value;
    } else if (this.keys_.length < SMALL) {
      this.keys_.push(key);
      this.vals.push(value);
    } else {
      this.map = new Map();
      for (let j = 0; j < this.keys_.length; j++) this.map.set(this.keys_[j], this.vals[j]);
      this.map.set(key, value);
      this.keys_ = [];
      this.vals = [];
    }
    return this;
  }

  delete(key: RefKey): boolean {
    if (this.map !== undefined) return this.map.delete(key);
    const i = this.keys_.indexOf(key);
    if (i < 0) return false;
    const last = this.keys_.length - 1;
    if (i === last) {
      this.keys_.pop();
      this.vals.pop();
    } else {
      this.keys_.splice(i, 1);
      this.vals.splice(i, 1);
    }
    return true;
  }

  *entries(): IterableIterator<[RefKey, V]> {
    if (this.map !== undefined) {
      yield* this.map.entries();
      return;
    }
    for (let i = 0; i < this.keys_.length; i++) yield [this.keys_[i], this.vals[i]];
  }

  [Symbol.iterator](): IterableIterator<[RefKey, V]> {
    return this.entries();
  }

  *keys(): IterableIterator<RefKey> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }
}
