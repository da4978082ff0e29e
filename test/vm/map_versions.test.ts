import { describe, expect, it } from 'vitest';
import { ErlMap, Term, atom, canonical, exactEqual, tuple } from '../../runtime/vm/term.js';

// ErlMap's persistent form (runtime/vm/map_versions.ts): random puts and removes against a JS Map model,
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
  it('agree with a model when old versions are read, updated and iterated in any order', () => {
    const r = rand(7);
    type Model = Map<string, [Term, Term]>;
    const pool: [ErlMap, Model][] = [[new ErlMap(), new Map()]];
    const contents = (m: ErlMap) => [...m.entries.values()].map(([k, v]) => canonical(k) + '=' + canonical(v)).sort();
    const expected = (model: Model) => [...model.values()].map(([k, v]) => canonical(k) + '=' + canonical(v)).sort();
    for (let i = 0; i < 6000; i++) {
      // mostly the newest version, as a loop would; often an old one
      const at = r() < 0.6 ? pool.length - 1 : Math.floor(r() * pool.length);
      const [m, model] = pool[at];
      const k = Math.floor(r() * 60) % 3 === 0 ? atom('a' + Math.floor(r() * 60)) : Math.floor(r() * 200);
      const op = r();
      if (op < 0.45) {
        const next = new Map(model).set(canonical(k), [k, i]);
        pool.push([m.put(k, i), next]);
      } else if (op < 0.6) {
        const next = new Map(model);
        next.delete(canonical(k));
        pool.push([m.remove(k), next]);
      } else if (op < 0.97) {
        expect(m.get(k)).toBe(model.get(canonical(k))?.[1]);
      } else {
        expect(contents(m)).toEqual(expected(model));
      }
      expect(m.size).toBe(model.size);
      if (pool.length > 40) pool.splice(Math.floor(r() * 30), 1);
    }
    for (const [m, model] of pool) expect(contents(m)).toEqual(expected(model));
  });
  it('many maps made from one version, and reads of an old version between updates, stay fast', () => {
    // (each of these once copied the whole map per step: 100k entries × 20k steps does not finish)
    let base = new ErlMap();
    for (let i = 0; i < 100_000; i++) base = base.put(i, i);
    let sum = 0;
    for (let k = 0; k < 20_000; k++) sum += (base.put(k, 1).get(k) as number) + (base.put(k, k).get(7) as number);
    expect(sum).toBe(20_000 + 7 * 20_000);
    let latest = base;
    for (let k = 0; k < 20_000; k++) {
      latest = latest.put(-k, k);
      sum += base.get(5) as number;
    }
    expect(latest.size).toBe(100_000 + 19_999);
    expect(base.get(-1)).toBeUndefined();
    expect(latest.get(-19_999)).toBe(19_999);
  }, 15_000);
  it('two lines of versions from one map, updated by turns, stay fast', () => {
    // (as two processes that got the same map each update their own: once each turn walked back
    // through both lines' whole history, and these 400k updates took minutes)
    const base = ErlMap.from(Array.from({ length: 50_000 }, (_, i): [Term, Term] => [i, i]));
    let a = base;
    let b = base;
    for (let turn = 0; turn < 20_000; turn++) {
      for (let k = 0; k < 10; k++) a = a.put(50_000 + turn * 10 + k, 'a' as unknown as Term);
      for (let k = 0; k < 10; k++) b = b.put(turn * 10 + k, 'b' as unknown as Term);
    }
    expect([a.size, b.size, base.size]).toEqual([250_000, 200_000, 50_000]);
    expect([a.get(0), a.get(249_999), b.get(0), b.get(199_999), b.get(200_000), base.get(0)]).toEqual([0, 'a', 'b', 'b', undefined, 0]);
  }, 15_000);
  it('a Map handed out for iteration stays as it was while the map is updated', () => {
    let m = new ErlMap();
    for (let i = 0; i < 100; i++) m = m.put(i, i);
    const seen = m.entries;
    const later = m.put(1000, 0).remove(5).put(6, 'six' as unknown as Term);
    expect(seen.size).toBe(100);
    expect(seen.get(5)?.[1]).toBe(5);
    expect(seen.get(6)?.[1]).toBe(6);
    expect(later.size).toBe(100);
    expect(later.get(6)).toBe('six');
    expect(m.get(1000)).toBeUndefined();
  });
});
