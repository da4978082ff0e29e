// ETS's storage against simple models: the ordered_set index (term order, == keys) and the hash
// index (insertion order, =:= keys, resumable walks), under many random operations.
import { describe, it, expect } from 'vitest';
import { OrderedIndex, termCompare } from '../runtime/lib/stdlib/ets_ordered.js';
import { HashIndex } from '../runtime/lib/stdlib/ets_hash.js';
import { atom, float, tuple, mapKey, type Term } from '../runtime/term.js';

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

  it('treats 1 and 1.0 as one key, keeping the newest', () => {
    const ix = new OrderedIndex<string>();
    ix.set(1, 'int');
    expect(ix.set(float(1), 'float')).toBe(false);
    expect(ix.size).toBe(1);
    expect(ix.get(1)).toBe('float');
  });
});

describe('HashIndex', () => {
  it('keeps insertion order under random inserts and deletes, and walks it with next()', () => {
    const r = rng(7);
    const ix = new HashIndex<number>();
    const model = new Map<unknown, [Term, number]>();
    for (let step = 0; step < 20000; step++) {
      const k = randomKey(r);
      if (r() < 0.6) {
        const isNew = ix.set(k, step);
        expect(isNew).toBe(!model.has(mapKey(k)));
        const old = model.get(mapKey(k));
        if (old) old[1] = step;
        else model.set(mapKey(k), [k, step]);
      } else {
        expect(ix.delete(k)).toBe(model.delete(mapKey(k)));
      }
      expect(ix.size).toBe(model.size);
    }
    const want = [...model.values()];
    expect([...ix.walk()].map(([v]) => v)).toEqual(want.map(([, v]) => v));
    // first/next, with the kept cursor and from a key asked out of the blue
    const seen: number[] = [];
    for (let v = ix.first(), i = 0; v !== undefined; i++) {
      seen.push(v as number);
      const n = ix.next(want[i][0]);
      v = n === null ? undefined : n;
    }
    expect(seen).toEqual(want.map(([, v]) => v));
    expect(ix.next(want[5][0])).toBe(want[6][1]);
    expect(ix.next(atom('not_there'))).toBe(null);
  });

  it('resumes a walk after deletions, live or by count', () => {
    const ix = new HashIndex<number>();
    for (let i = 0; i < 100; i++) ix.set(i, i);
    const w = ix.walk();
    let at;
    for (let i = 0; i < 10; i++) at = w.next().value![1];
    ix.delete(10);
    ix.delete(3);
    expect([...ix.walk(at)].map(([v]) => v)).toEqual([...Array(89).keys()].map((i) => i + 11));
    expect([...ix.walk({ n: 95 })].map(([v]) => v)).toEqual([97, 98, 99]);
  });
});
