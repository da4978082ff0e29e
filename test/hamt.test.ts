import { describe, expect, it } from 'vitest';
import { ErlMap, Term, atom, canonical, exactEqual, tuple } from '../runtime/term.js';

// ErlMap's persistent form (runtime/hamt.ts): random puts and removes against a JS Map model,
// with every earlier version still intact.

function rand(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

function keyOf(r: () => number): Term {
  const n = Math.floor(r() * 3000);
  switch (n % 4) {
    case 0:
      return n;
    case 1:
      return atom('k' + n);
    case 2:
      return tuple(n, atom('x'));
    default:
      return 2 ** 60 + n * 2 ** 20;
  }
}

describe('persistent maps', () => {
  it('agree with a JS Map model through 20000 random updates, old versions unchanged', () => {
    const r = rand(42);
    let m = new ErlMap();
    const model = new Map<string, [Term, Term]>();
    const versions: [ErlMap, string[]][] = [];
    for (let i = 0; i < 20000; i++) {
      const k = keyOf(r);
      if (r() < 0.7) {
        m = m.put(k, i);
        model.set(canonical(k), [k, i]);
      } else {
        m = m.remove(k);
        model.delete(canonical(k));
      }
      expect(m.size).toBe(model.size);
      if (i % 997 === 0) versions.push([m, [...model.keys()].sort()]);
    }
    for (const [k, [key, v]] of model) expect(m.get(key), k).toBe(v);
    expect([...m.entries.values()].map(([k]) => canonical(k)).sort()).toEqual([...model.keys()].sort());
    for (const [v, keys] of versions) expect([...v.entries.values()].map(([k]) => canonical(k)).sort()).toEqual(keys);
    const rebuilt = ErlMap.from([...model.values()]);
    expect(exactEqual(m, rebuilt)).toBe(true);
    expect(canonical(m)).toBe(canonical(rebuilt));
  });
  it('a million inserts one at a time stay fast (no copy per insert)', () => {
    let m = new ErlMap();
    for (let i = 0; i < 200_000; i++) m = m.put(i, i * 2);
    expect(m.size).toBe(200_000);
    expect(m.get(123_456)).toBe(246_912);
    expect(m.has(200_000)).toBe(false);
  });
  it('keys whose hashes are equal live side by side, and come apart again on removal', () => {
    // 'k861157' and 'k1001800' (and 'k861156' and 'k1001801') have the same 32-bit key hash
    const names = ['k861157', 'k1001800', 'k861156', 'k1001801'];
    let m = new ErlMap();
    for (let i = 0; i < 20; i++) m = m.put(i, i);
    const before = m;
    names.forEach((n, i) => (m = m.put(atom(n), i)));
    expect(m.size).toBe(24);
    names.forEach((n, i) => expect(m.get(atom(n))).toBe(i));
    m = m.put(atom('k1001800'), 'again' as unknown as Term);
    expect(m.size).toBe(24);
    expect(m.get(atom('k1001800'))).toBe('again');
    expect(m.get(atom('k861157'))).toBe(0);
    m = m.remove(atom('k861157')).remove(atom('k1001801'));
    expect(m.size).toBe(22);
    expect(m.has(atom('k861157'))).toBe(false);
    expect(m.get(atom('k1001800'))).toBe('again');
    expect(m.get(atom('k861156'))).toBe(2);
    m = m.remove(atom('k1001800')).remove(atom('k861156'));
    expect(exactEqual(m, before)).toBe(true);
    expect(before.has(atom('k861157'))).toBe(false);
  });
});
