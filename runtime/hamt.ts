// A persistent hash array mapped trie: the representation behind ErlMap once a map is updated,
// so `M#{K => V}` in a loop costs O(log n) instead of copying the whole map each time.
//
// Keys are what term.ts's mapKey gives: numbers, interned Atom objects, or canonical strings,
// all comparable with ===. Each entry also carries the term it stands for (k) and its value (v).
//
// A node is one JS array, laid out as in CHAMP (Steindorfer and Vinju's compressed trie):
//
//   [datamap, nodemap, key0, k0, v0, key1, k1, v1, ..., subnodeN, ..., subnode1, subnode0]
//
// datamap has a bit for each 5-bit hash slice held here as an entry, nodemap one for each held
// by a subnode. Entries are inline (no object per entry), so a lookup follows one pointer per
// level, and an update copies one array per level. Nodes are never changed after they are made
// (updates copy a path). Keys whose whole 32-bit hashes are equal share a Collision.

type Node = unknown[];

/** Entries whose keys have the same hash: a flat [key, k, v, ...] list. */
class Collision {
  constructor(
    readonly hash: number,
    readonly entries: unknown[],
  ) {}
}

export type Trie = Node | undefined;

const BITS = 5;
const MASK = 31;
/** slots per inline entry: key, k, v */
const E = 3;
const EMPTY: Node = [0, 0];

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

/** The value of key, or undefined. */
export function trieGet(t: Trie, key: unknown, hash: number): unknown {
  let node = t;
  let shift = 0;
  while (node !== undefined) {
    const bit = 1 << ((hash >>> shift) & MASK);
    const datamap = node[0] as number;
    if ((datamap & bit) !== 0) {
      const i = 2 + E * popcount(datamap & (bit - 1));
      return node[i] === key ? node[i + 2] : undefined;
    }
    const nodemap = node[1] as number;
    if ((nodemap & bit) === 0) return undefined;
    const child = node[node.length - 1 - popcount(nodemap & (bit - 1))];
    if (child instanceof Collision) return collisionGet(child, key);
    node = child as Node;
    shift += BITS;
  }
  return undefined;
}

function collisionGet(c: Collision, key: unknown): unknown {
  const es = c.entries;
  for (let i = 0; i < es.length; i += E) if (es[i] === key) return es[i + 2];
  return undefined;
}

/** Whether the last trieSet added a key (rather than replacing a value): a flag, as puts are hot. */
export let trieSetAdded = false;

/** The trie with key set to k => v (a new key, or a new value for an old one). */
export function trieSet(t: Trie, key: unknown, hash: number, k: unknown, v: unknown): Node {
  trieSetAdded = false;
  return set(t ?? EMPTY, key, hash, k, v, 0);
}

function set(node: Node, key: unknown, hash: number, k: unknown, v: unknown, shift: number): Node {
  const bit = 1 << ((hash >>> shift) & MASK);
  const datamap = node[0] as number;
  const nodemap = node[1] as number;
  if ((datamap & bit) !== 0) {
    const i = 2 + E * popcount(datamap & (bit - 1));
    if (node[i] === key) {
      const copy = node.slice();
      copy[i + 1] = k;
      copy[i + 2] = v;
      return copy;
    }
    // two keys in one slot: they move down into a subnode together
    trieSetAdded = true;
    const sub = pair(node[i], keyHash(node[i]), node[i + 1], node[i + 2], key, hash, k, v, shift + BITS);
    return entryToSubnode(node, bit, i, sub);
  }
  if ((nodemap & bit) !== 0) {
    const j = node.length - 1 - popcount(nodemap & (bit - 1));
    const child = node[j];
    const copy = node.slice();
    copy[j] = child instanceof Collision ? collisionSet(child, key, k, v) : set(child as Node, key, hash, k, v, shift + BITS);
    return copy;
  }
  trieSetAdded = true;
  const i = 2 + E * popcount(datamap & (bit - 1));
  const n = node.length;
  const out = new Array<unknown>(n + E);
  out[0] = datamap | bit;
  out[1] = nodemap;
  for (let x = 2; x < i; x++) out[x] = node[x];
  out[i] = key;
  out[i + 1] = k;
  out[i + 2] = v;
  for (let x = i; x < n; x++) out[x + E] = node[x];
  return out;
}

/** The node with the entry at i (for bit) replaced by subnode sub. */
function entryToSubnode(node: Node, bit: number, i: number, sub: Node | Collision): Node {
  const datamap = node[0] as number;
  const nodemap = (node[1] as number) | bit;
  const n = node.length;
  const out = new Array<unknown>(n - E + 1);
  out[0] = datamap & ~bit;
  out[1] = nodemap;
  let o = 2;
  for (let x = 2; x < i; x++) out[o++] = node[x];
  // the entries after i, then the subnodes before sub's place (they are stored from the end)
  const subnodes = n - 2 - E * popcount(datamap);
  const at = subnodes - popcount(nodemap & (bit - 1)); // sub's position among the subnodes, from the front
  const firstSub = n - subnodes;
  for (let x = i + E; x < firstSub; x++) out[o++] = node[x];
  for (let s = 0; s < subnodes; s++) {
    if (s === at) out[o++] = sub;
    out[o++] = node[firstSub + s];
  }
  if (at === subnodes) out[o++] = sub;
  return out;
}

/** A node (or collision) holding two entries whose hashes agree below `shift`. */
function pair(key1: unknown, h1: number, k1: unknown, v1: unknown, key2: unknown, h2: number, k2: unknown, v2: unknown, shift: number): Node | Collision {
  if (shift >= 32) return new Collision(h1, [key1, k1, v1, key2, k2, v2]);
  const b1 = (h1 >>> shift) & MASK;
  const b2 = (h2 >>> shift) & MASK;
  if (b1 === b2) return [0, 1 << b1, pair(key1, h1, k1, v1, key2, h2, k2, v2, shift + BITS)];
  return b1 < b2 ? [(1 << b1) | (1 << b2), 0, key1, k1, v1, key2, k2, v2] : [(1 << b1) | (1 << b2), 0, key2, k2, v2, key1, k1, v1];
}

function collisionSet(c: Collision, key: unknown, k: unknown, v: unknown): Collision {
  const es = c.entries.slice();
  for (let i = 0; i < es.length; i += E) {
    if (es[i] === key) {
      es[i + 1] = k;
      es[i + 2] = v;
      return new Collision(c.hash, es);
    }
  }
  trieSetAdded = true;
  es.push(key, k, v);
  return new Collision(c.hash, es);
}

/** The trie without key (the same trie when it is not there). */
export function trieDelete(t: Trie, key: unknown, hash: number): Trie {
  if (t === undefined) return t;
  const r = del(t, key, hash, 0);
  return r === undefined ? EMPTY : r;
}

/**
 * node without key: the same node when key is absent, undefined when nothing is left. A subnode
 * left with a single entry is folded into its parent, so the trie stays as shallow as its keys need.
 */
function del(node: Node, key: unknown, hash: number, shift: number): Node | undefined {
  const bit = 1 << ((hash >>> shift) & MASK);
  const datamap = node[0] as number;
  const nodemap = node[1] as number;
  if ((datamap & bit) !== 0) {
    const i = 2 + E * popcount(datamap & (bit - 1));
    if (node[i] !== key) return node;
    if (node.length === 2 + E) return undefined;
    const out = node.slice();
    out.splice(i, E);
    out[0] = datamap & ~bit;
    return out;
  }
  if ((nodemap & bit) === 0) return node;
  const j = node.length - 1 - popcount(nodemap & (bit - 1));
  const child = node[j];
  let entry: unknown[] | undefined; // the one entry a shrunk child leaves, to fold in here
  let rest: Node | Collision | undefined;
  if (child instanceof Collision) {
    const es = child.entries;
    const at = es.findIndex((x, i) => i % E === 0 && x === key);
    if (at < 0) return node;
    const left = [...es.slice(0, at), ...es.slice(at + E)];
    if (left.length === E) entry = left;
    else rest = new Collision(child.hash, left);
  } else {
    const r = del(child as Node, key, hash, shift + BITS);
    if (r === child) return node;
    if (r !== undefined && (r[1] as number) === 0 && r.length === 2 + E) entry = r.slice(2);
    else rest = r;
  }
  if (rest !== undefined) {
    const out = node.slice();
    out[j] = rest;
    return out;
  }
  // the subnode goes; its last entry (if any) comes up as an entry of this node
  const out = node.slice();
  out.splice(j, 1);
  out[1] = nodemap & ~bit;
  if (entry !== undefined) {
    const i = 2 + E * popcount(datamap & (bit - 1));
    out.splice(i, 0, ...entry);
    out[0] = datamap | bit;
  }
  return out.length === 2 ? undefined : out;
}

/** Every entry as f(key, k, v), in trie order. */
export function trieForEach(t: Trie, f: (key: unknown, k: unknown, v: unknown) => void): void {
  if (t === undefined) return;
  const data = 2 + E * popcount(t[0] as number);
  for (let i = 2; i < data; i += E) f(t[i], t[i + 1], t[i + 2]);
  for (let j = t.length - 1; j >= data; j--) {
    const c = t[j];
    if (c instanceof Collision) for (let i = 0; i < c.entries.length; i += E) f(c.entries[i], c.entries[i + 1], c.entries[i + 2]);
    else trieForEach(c as Node, f);
  }
}

/** A trie holding the entries of a JS Map of key → [k, v]. */
export function trieFrom(m: Map<unknown, [unknown, unknown]>): Node {
  let t: Node = EMPTY;
  for (const [key, [k, v]] of m) t = trieSet(t, key, keyHash(key), k, v);
  return t;
}
