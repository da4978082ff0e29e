// A persistent hash array mapped trie: the representation behind ErlMap once a map is updated,
// so `M#{K => V}` in a loop costs O(log n) instead of copying the whole map each time.
//
// Keys are what term.ts's mapKey gives: numbers, interned Atom objects, or canonical strings,
// all comparable with ===. Nodes are never changed after they are made (updates copy a path).

/** One entry: its comparable key and hash, and the key and value it stands for. */
export class Leaf<K, V> {
  constructor(
    readonly key: unknown,
    readonly hash: number,
    readonly k: K,
    readonly v: V,
  ) {}
}

type Slot<K, V> = Leaf<K, V> | Branch<K, V> | Collision<K, V>;

class Branch<K, V> {
  constructor(
    readonly bitmap: number,
    readonly slots: Slot<K, V>[],
  ) {}
}

class Collision<K, V> {
  constructor(
    readonly hash: number,
    readonly leaves: Leaf<K, V>[],
  ) {}
}

export type Trie<K, V> = Branch<K, V> | undefined;

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

/** The leaf of key, if the trie has it. */
export function trieGet<K, V>(t: Trie<K, V>, key: unknown, hash: number): Leaf<K, V> | undefined {
  let node: Slot<K, V> | undefined = t;
  let shift = 0;
  while (node !== undefined) {
    if (node instanceof Branch) {
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.slots[popcount(node.bitmap & (bit - 1))];
      shift += BITS;
    } else if (node instanceof Collision) {
      for (const l of node.leaves) if (l.key === key) return l;
      return undefined;
    } else {
      return node.key === key ? node : undefined;
    }
  }
  return undefined;
}

/** Two leaves that share a slot: a sub-branch (or a collision node when the hashes are equal). */
function join<K, V>(a: Leaf<K, V>, b: Leaf<K, V>, shift: number): Slot<K, V> {
  if (shift >= 32 || a.hash === b.hash) return new Collision(a.hash, [a, b]);
  const ia = (a.hash >>> shift) & MASK;
  const ib = (b.hash >>> shift) & MASK;
  if (ia === ib) return new Branch(1 << ia, [join(a, b, shift + BITS)]);
  return new Branch((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a]);
}

/** Whether the last trieSet added a key (rather than replacing a value): a flag, not a result object, as puts are hot. */
export let trieSetAdded = false;

/** The trie with the leaf's key set to the leaf (a new key or a new value for an old one). */
export function trieSet<K, V>(t: Trie<K, V>, leaf: Leaf<K, V>): Branch<K, V> {
  trieSetAdded = false;
  return set(t ?? new Branch<K, V>(0, []), leaf, 0) as Branch<K, V>;
}

function set<K, V>(node: Slot<K, V>, leaf: Leaf<K, V>, shift: number): Slot<K, V> {
  if (node instanceof Branch) {
    const bit = 1 << ((leaf.hash >>> shift) & MASK);
    const i = popcount(node.bitmap & (bit - 1));
    const old = node.slots;
    if ((node.bitmap & bit) === 0) {
      // a copy one longer, the leaf in its place (no splice: that is slower and allocates twice)
      const n = old.length;
      const slots = new Array<Slot<K, V>>(n + 1);
      for (let j = 0; j < i; j++) slots[j] = old[j];
      slots[i] = leaf;
      for (let j = i; j < n; j++) slots[j + 1] = old[j];
      trieSetAdded = true;
      return new Branch(node.bitmap | bit, slots);
    }
    const slots = old.slice();
    slots[i] = set(old[i], leaf, shift + BITS);
    return new Branch(node.bitmap, slots);
  }
  if (node instanceof Collision) {
    if (leaf.hash !== node.hash) {
      // a different hash under a collision node: push the collision one level down
      const b = new Branch<K, V>(1 << ((node.hash >>> shift) & MASK), [node]);
      return set(b, leaf, shift);
    }
    const leaves = node.leaves.slice();
    const j = leaves.findIndex((l) => l.key === leaf.key);
    if (j >= 0) leaves[j] = leaf;
    else {
      leaves.push(leaf);
      trieSetAdded = true;
    }
    return new Collision(node.hash, leaves);
  }
  if (node.key === leaf.key) return leaf;
  trieSetAdded = true;
  return join(node, leaf, shift);
}

/** The trie without key; `shrank` tells whether it was there. */
export function trieDelete<K, V>(t: Trie<K, V>, key: unknown, hash: number): { trie: Trie<K, V>; shrank: boolean } {
  if (t === undefined) return { trie: t, shrank: false };
  const r = del(t, key, hash, 0);
  if (r === t) return { trie: t, shrank: false };
  // the root stays a branch (del collapses single children below the root only)
  return { trie: r === undefined ? new Branch<K, V>(0, []) : (r as Branch<K, V>), shrank: true };
}

function del<K, V>(node: Slot<K, V>, key: unknown, hash: number, shift: number): Slot<K, V> | undefined {
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
export function* trieLeaves<K, V>(t: Slot<K, V> | undefined): Generator<Leaf<K, V>> {
  if (t === undefined) return;
  if (t instanceof Branch) for (const s of t.slots) yield* trieLeaves(s);
  else if (t instanceof Collision) yield* t.leaves;
  else yield t;
}

/** A trie holding the entries of a JS Map of key → [K, V]. */
export function trieFrom<K, V>(m: Map<unknown, [K, V]>): Branch<K, V> {
  let t: Trie<K, V> = undefined;
  for (const [key, [k, v]] of m) t = trieSet(t, new Leaf(key, keyHash(key), k, v));
  return t ?? new Branch<K, V>(0, []);
}

