// A persistent hash array mapped trie: the representation behind ErlMap once a map is updated,
// so `M#{K => V}` in a loop costs O(log n) instead of copying the whole map each time.
//
// Keys are what term.ts's mapKey gives: numbers, interned Atom objects, or canonical strings,
// all comparable with ===. Nodes are never changed after they are made (updates copy a path).

export interface Leaf<V> {
  readonly key: unknown;
  readonly hash: number;
  readonly value: V;
}

type Slot<V> = Leaf<V> | Branch<V> | Collision<V>;

class Branch<V> {
  constructor(
    readonly bitmap: number,
    readonly slots: Slot<V>[],
  ) {}
}

class Collision<V> {
  constructor(
    readonly hash: number,
    readonly leaves: Leaf<V>[],
  ) {}
}

export type Trie<V> = Branch<V> | undefined;

const BITS = 5;
const MASK = 31;

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The hash of a map key (number, atom-like object with a name, or string). */
export function keyHash(k: unknown): number {
  if (typeof k === 'number') {
    const lo = k | 0;
    const hi = (k / 4294967296) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    return Math.imul(h, 0xc2b2ae35) >>> 0;
  }
  if (typeof k === 'string') return strHash(k);
  return strHash('\u0001' + (k as { name: string }).name);
}

export function trieGet<V>(t: Trie<V>, key: unknown, hash: number): V | undefined {
  let node: Slot<V> | undefined = t;
  let shift = 0;
  while (node !== undefined) {
    if (node instanceof Branch) {
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.slots[popcount(node.bitmap & (bit - 1))];
      shift += BITS;
    } else if (node instanceof Collision) {
      for (const l of node.leaves) if (l.key === key) return l.value;
      return undefined;
    } else {
      return node.key === key ? node.value : undefined;
    }
  }
  return undefined;
}

/** Two leaves that share a slot: a sub-branch (or a collision node when the hashes are equal). */
function join<V>(a: Leaf<V>, b: Leaf<V>, shift: number): Slot<V> {
  if (shift >= 32 || a.hash === b.hash) return new Collision(a.hash, [a, b]);
  const ia = (a.hash >>> shift) & MASK;
  const ib = (b.hash >>> shift) & MASK;
  if (ia === ib) return new Branch(1 << ia, [join(a, b, shift + BITS)]);
  return new Branch((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a]);
}

/** The trie with key set to value; `grew` tells whether the key was new. */
export function trieSet<V>(t: Trie<V>, key: unknown, hash: number, value: V): { trie: Branch<V>; grew: boolean } {
  const leaf: Leaf<V> = { key, hash, value };
  const out = { grew: false };
  const root = set(t ?? new Branch<V>(0, []), leaf, 0, out) as Branch<V>;
  return { trie: root, grew: out.grew };
}

function set<V>(node: Slot<V>, leaf: Leaf<V>, shift: number, out: { grew: boolean }): Slot<V> {
  if (node instanceof Branch) {
    const bit = 1 << ((leaf.hash >>> shift) & MASK);
    const i = popcount(node.bitmap & (bit - 1));
    const slots = node.slots.slice();
    if ((node.bitmap & bit) === 0) {
      slots.splice(i, 0, leaf);
      out.grew = true;
      return new Branch(node.bitmap | bit, slots);
    }
    slots[i] = set(node.slots[i], leaf, shift + BITS, out);
    return new Branch(node.bitmap, slots);
  }
  if (node instanceof Collision) {
    if (leaf.hash !== node.hash) {
      // a different hash under a collision node: push the collision one level down
      const b = new Branch<V>(1 << ((node.hash >>> shift) & MASK), [node]);
      return set(b, leaf, shift, out);
    }
    const leaves = node.leaves.slice();
    const j = leaves.findIndex((l) => l.key === leaf.key);
    if (j >= 0) leaves[j] = leaf;
    else {
      leaves.push(leaf);
      out.grew = true;
    }
    return new Collision(node.hash, leaves);
  }
  if (node.key === leaf.key) return leaf;
  out.grew = true;
  return join(node, leaf, shift);
}

/** The trie without key; `shrank` tells whether it was there. */
export function trieDelete<V>(t: Trie<V>, key: unknown, hash: number): { trie: Trie<V>; shrank: boolean } {
  if (t === undefined) return { trie: t, shrank: false };
  const r = del(t, key, hash, 0);
  if (r === t) return { trie: t, shrank: false };
  // the root stays a branch (del collapses single children below the root only)
  return { trie: r === undefined ? new Branch<V>(0, []) : (r as Branch<V>), shrank: true };
}

function del<V>(node: Slot<V>, key: unknown, hash: number, shift: number): Slot<V> | undefined {
  if (node instanceof Branch) {
    const bit = 1 << ((hash >>> shift) & MASK);
    if ((node.bitmap & bit) === 0) return node;
    const i = popcount(node.bitmap & (bit - 1));
    const child = node.slots[i];
    const r = del(child, key, hash, shift + BITS);
    if (r === child) return node;
    const slots = node.slots.slice();
    if (r === undefined) {
      slots.splice(i, 1);
      if (slots.length === 0) return undefined;
      // a single leaf left can move up (not at the root: the caller keeps the root a branch)
      if (slots.length === 1 && shift > 0 && !(slots[0] instanceof Branch)) return slots[0];
      return new Branch(node.bitmap & ~bit, slots);
    }
    if (shift > 0 && slots.length === 1 && !(r instanceof Branch)) return r;
    slots[i] = r;
    return new Branch(node.bitmap, slots);
  }
  if (node instanceof Collision) {
    const leaves = node.leaves.filter((l) => l.key !== key);
    if (leaves.length === node.leaves.length) return node;
    return leaves.length === 1 ? leaves[0] : new Collision(node.hash, leaves);
  }
  return node.key === key ? undefined : node;
}

/** Every leaf, in trie order. */
export function* trieLeaves<V>(t: Slot<V> | undefined): Generator<Leaf<V>> {
  if (t === undefined) return;
  if (t instanceof Branch) for (const s of t.slots) yield* trieLeaves(s);
  else if (t instanceof Collision) yield* t.leaves;
  else yield t;
}

/** A trie holding the entries of a JS Map. */
export function trieFrom<V>(m: Map<unknown, V>): Branch<V> {
  let t: Trie<V> = undefined;
  for (const [k, v] of m) t = trieSet(t, k, keyHash(k), v).trie;
  return t ?? new Branch<V>(0, []);
}

