// ETS's storage against simple models: the ordered_set index (term order, == keys) and the hash
// index (insertion order, =:= keys, resumable walks), under many random operations.
import { describe, it, expect } from 'vitest';
import { OrderedIndex, termCompare } from '../../../runtime/lib/stdlib/ets_ordered.js';
import { HashIndex } from '../../../runtime/lib/stdlib/ets_hash.js';
import { atom, float, tuple, mapKey, type Term } from '../../../runtime/vm/term.js';

/** A deterministic pseudo-random generator (so a failure can be replayed). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomKey(r: () => number): Term {
  const n = Math.floor(r() * 300);
  switch (Math.floor(r() * 4)) {
    case 0:
      return n;
    case 1:
      return float(n / 2);
    case 2:
      return atom('k' + n);
    default:
      return tuple(n % 7, atom('x' + (n % 5)));
  }
}

describe('OrderedIndex', () => {
  it('agrees with a sorted array under random inserts and deletes', () => {
    const r = rng(42);
    const ix = new OrderedIndex<number>();
    let model: [Term, number][] = [];
    const find = (k: Term) => model.findIndex(([m]) => termCompare(m, k) === 0);
    for (let step = 0; step < 20000; step++) {
      const k = randomKey(r);
      const op = r();
      if (op < 0.6) {
        const isNew = ix.set(k, step);
        const i = find(k);
        expect(isNew).toBe(i < 0);
        if (i >= 0) model[i] = [k, step];
        else {
          model.push([k, step]);
          model.sort((a, b) => termCompare(a[0], b[0]));
        }
      } else if (op < 0.85) {
        const i = find(k);
        expect(ix.delete(k)).toBe(i >= 0);
        if (i >= 0) model.splice(i, 1);
      } else {
        const i = find(k);
        expect(ix.get(k)).toBe(i >= 0 ? model[i][1] : undefined);
        // the next and previous keys of any key, there or not
        const after = model.find(([m]) => termCompare(m, k) > 0);
        const c = ix.after(k, false);
        expect(c === undefined ? undefined : ix.keyAt(c)).toBe(after?.[0]);
        const before = [...model].reverse().find(([m]) => termCompare(m, k) < 0);
        const b = ix.before(k, false);
        expect(b === undefined ? undefined : ix.keyAt(b)).toBe(before?.[0]);
      }
      expect(ix.size).toBe(model.length);
    }
    expect([...ix.entries()].map(([k, v]) => [k, v])).toEqual(model);
    expect([...ix.reverseEntries()].map(([k]) => k)).toEqual(model.map(([k]) => k).reverse());
    model = [];
  });

  it('agrees with a sorted array when thousands of keys come and go in rising and falling runs', () => {
    const r = rng(11);
    const ix = new OrderedIndex<number>();
    const model = new Map<number, number>();
    for (let run = 0; run < 400; run++) {
      const start = Math.floor(r() * 6000);
      const len = 1 + Math.floor(r() * 150);
      const dir = r() < 0.5 ? 1 : -1;
      const del = r() < 0.3;
      for (let j = 0; j < len; j++) {
        const k = start + dir * j;
        if (del) expect(ix.delete(k)).toBe(model.delete(k));
        else {
          expect(ix.set(k, run)).toBe(!model.has(k));
          model.set(k, run);
        }
      }
      expect(ix.size).toBe(model.size);
      const probe = Math.floor(r() * 6000);
      expect(ix.get(probe)).toBe(model.get(probe));
      const sorted = [...model.keys()].sort((a, b) => a - b);
      const a = ix.after(probe, false);
      expect(a === undefined ? undefined : ix.keyAt(a)).toBe(sorted.find((k) => k > probe));
      const b = ix.before(probe, true);
      expect(b === undefined ? undefined : ix.keyAt(b)).toBe([...sorted].reverse().find((k) => k <= probe));
    }
    const sorted = [...model].sort((a, b) => a[0] - b[0]);
    expect([...ix.entries()]).toEqual(sorted);
    expect([...ix.reverseEntries()]).toEqual([...sorted].reverse());
    expect(ix.collect((k, v) => [k, v], false)).toEqual(sorted);
    expect(ix.collect((k, v) => [k, v], true)).toEqual([...sorted].reverse());
    // a walk by cursors, forwards and back, sees the same
    const walked: Term[] = [];
    for (let c = ix.firstCursor(); c !== undefined; c = ix.step(c)) walked.push(ix.keyAt(c));
    expect(walked).toEqual(sorted.map(([k]) => k));
    const back: Term[] = [];
    for (let c = ix.lastCursor(); c !== undefined; c = ix.stepBack(c)) back.push(ix.valAt(c));
    expect(back).toEqual(sorted.map(([, v]) => v).reverse());
  });

  it('keeps order when keys arrive rising, falling, or from both ends', () => {
    const ix = new OrderedIndex<number>();
    for (let k = 1000; k < 1500; k++) ix.set(k, k); // each a new greatest key
    for (let k = 999; k >= 500; k--) ix.set(k, k); // each a new least key
    for (let k = 0; k < 500; k++) ix.set(k % 2 === 0 ? 1500 + k : 499 - k, k); // alternating ends
    for (let k = 600; k < 700; k += 3) ix.set(k + 0.5, k); // inside the full leaves
    const keys = [...ix.entries()].map(([k]) => k as number);
    expect(keys.length).toBe(1500 + 34);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    expect(ix.get(1998)).toBe(498);
    expect(ix.get(2)).toBe(497);
    expect(ix.get(600.5)).toBe(600);
    const c = ix.after(1499, false);
    expect(c === undefined ? undefined : ix.keyAt(c)).toBe(1500);
    for (let k = 0; k < 2000; k++) ix.delete(k);
    expect([...ix.entries()].map(([k]) => k)).toEqual(Array.from({ length: 34 }, (_, i) => 600.5 + 3 * i));
  });

  it('treats 1 and 1.0 as one key, keeping the newest', () => {
    const ix = new OrderedIndex<string>();
    ix.set(1, 'int');
    expect(ix.set(float(1), 'float')).toBe(false);
    expect(ix.size).toBe(1);
    expect(ix.get(1)).toBe('float');
  });
});

describe('HashIndex', () => {
  const keyOf = (v: Term) => v;
  it('keeps each key once under random inserts and deletes', () => {
    const r = rng(7);
    const ix = new HashIndex<Term>(keyOf);
    const model = new Map<unknown, Term>();
    for (let step = 0; step < 20000; step++) {
      const k = randomKey(r);
      if (r() < 0.6) {
        expect(ix.set(k, k)).toBe(!model.has(mapKey(k)));
        model.set(mapKey(k), k);
      } else {
        expect(ix.delete(k)).toBe(model.delete(mapKey(k)));
      }
      ix.resize(model.size, false);
      expect(ix.size).toBe(model.size);
    }
    // a walk and a first/next loop see every key once, in the same order
    const walked = [...ix.walk()].map(([v]) => v);
    expect(walked.length).toBe(model.size);
    const stepped: Term[] = [];
    for (let v = ix.first(); v !== undefined; ) {
      stepped.push(v);
      const n = ix.next(v, false);
      v = n === null ? undefined : n;
    }
    expect(stepped).toEqual(walked);
    // a whole read in one pass sees the same, forwards and backwards
    expect(ix.collect((k) => k, false)).toEqual(walked);
    expect(ix.collect((k) => k, true)).toEqual([...walked].reverse());
    expect(ix.next(atom('not_there'), false)).toBe(null);
  });

  it('walks its buckets upwards, keys in a bucket in the order they came', () => {
    const ix = new HashIndex<Term>(keyOf);
    for (const k of [20, 3, 7, 1]) ix.set(k, k);
    const walked = [...ix.walk()];
    const buckets = walked.map(([, b]) => b);
    expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
    // (erl's order for these keys: ets:tab2list lists them last bucket first)
    expect(walked.map(([v]) => v)).toEqual([3, 7, 1, 20]);
  });

  it('grows past 256 objects as OTP does, a bucket per object', () => {
    const ix = new HashIndex<Term>(keyOf);
    for (let i = 0; i < 3000; i++) {
      ix.set(i, i);
      ix.resize(i + 1, false);
    }
    expect(ix.buckets).toBe(3000);
    expect(ix.extraWords()).toBe(262 + 2048 * 2);
    for (let i = 0; i < 3000; i++) {
      ix.delete(i);
      ix.resize(2999 - i, false);
    }
    expect(ix.buckets).toBe(256);
  });
});
