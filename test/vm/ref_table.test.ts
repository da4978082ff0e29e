import { describe, expect, test } from 'vitest';
import { RefTable } from '../../runtime/vm/ref_table.js';

// The per-process tables of monitors and aliases: small ones are arrays, big ones a Map; both
// behave as a Map (insertion order, replace in place, delete answering whether the key was there).
describe('RefTable', () => {
  test.each([3, 8, 9, 40])('%i keys: set, get, delete and order as a Map', (n) => {
    const t = new RefTable<string>();
    const m = new Map<string | number, string>();
    for (let i = 0; i < n; i++) {
      const k = i % 2 ? 2 ** 40 + i : 'a@b/' + i;
      t.set(k, 'v' + i);
      m.set(k, 'v' + i);
    }
    t.set('a@b/0', 'again');
    m.set('a@b/0', 'again');
    for (const k of [...m.keys()].filter((_, i) => i % 3 === 1)) {
      expect(t.delete(k)).toBe(true);
      expect(t.delete(k)).toBe(false);
      m.delete(k);
    }
    expect(t.size).toBe(m.size);
    expect([...t]).toEqual([...m]);
    expect([...t.keys()]).toEqual([...m.keys()]);
    expect([...t.values()]).toEqual([...m.values()]);
    for (const k of m.keys()) expect(t.get(k)).toBe(m.get(k));
    expect(t.get('missing')).toBeUndefined();
    expect(t.has(2 ** 40 + 1)).toBe(m.has(2 ** 40 + 1));
  });
});
