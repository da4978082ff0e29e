// An ETS table: its options, its owner and heir, and its objects, kept by type:
//
//   set, bag, duplicate_bag   a HashIndex (ets_hash.ts) keyed by =:= on the key; bags keep each
//                             key's objects in insertion order (a bag no two identical ones)
//   ordered_set               an OrderedIndex (ets_ordered.ts) in term order, keys equal by ==
//
// A set or an ordered_set keeps each object in the compact form of ets_object.ts, and makes the
// tuple again when it is read; a bag keeps its tuples.
//
// The registry of tables (by tid and by name) and a dying owner's hand-over to its heir are
// here too: the owner's death runs tablesDie (a resource of the owner: runtime/vm/resources.ts).

import { Atom, List, NIL, Pid, Ref, type RefKey, Term, Tuple, atom, exactEqual, list, tuple } from '../../vm/term.js';
import type { Process } from '../../vm/process.js';
import { node } from '../../vm/node.js';
import { hold } from '../../vm/resources.js';
import { refKey } from '../../vm/signals.js';
import { HashIndex } from './ets_hash.js';
import { OrderedIndex, type Cursor } from './ets_ordered.js';
import { object, stored, type Stored } from './ets_object.js';
import { chargeElements } from '../../vm/scheduler.js';

export type TableType = 'set' | 'ordered_set' | 'bag' | 'duplicate_bag';
export type Protection = 'public' | 'protected' | 'private';

export interface Heir {
  pid: Pid;
  data: Term;
}

/**
 * A place in a walk over a table: a key of an ordered_set (a walk resumes after it), or a bucket
 * of a hashed table (a walk resumes at it).
 */
export type Resume = { kind: 'key'; key: Term } | { kind: 'bucket'; bucket: number };

const ETS_TRANSFER = atom('ETS-TRANSFER');

export class Table {
  readonly tid: Ref;
  name: Atom;
  named: boolean;
  readonly type: TableType;
  readonly keypos: number;
  protection: Protection;
  owner: Process;
  heir: Heir | undefined;
  readonly readConcurrency: boolean;
  readonly writeConcurrency: Term;
  readonly decentralizedCounters: boolean;
  readonly compressed: boolean;
  alive = true;
  /** safe_fixtable: the processes that fixed the table and how many times */
  fixes: Map<Process, number> | undefined = undefined;
  fixedAt: Term | undefined = undefined;

  /** a set's objects (as ets_object.ts keeps them), or a bag's tuples under each key */
  private readonly hash: HashIndex<Stored> | undefined;
  private readonly ordered: OrderedIndex<Stored> | undefined;
  /** the key's position, 0-based */
  private readonly kp: number;
  /** objects held (a bag's key may hold several) */
  private count = 0;

  constructor(
    opts: {
      name: Atom;
      named: boolean;
      type: TableType;
      keypos: number;
      protection: Protection;
      heir: Heir | undefined;
      readConcurrency: boolean;
      writeConcurrency: Term;
      decentralizedCounters: boolean;
      compressed: boolean;
    },
    owner: Process,
  ) {
    this.tid = node.makeRef();
    this.name = opts.name;
    this.named = opts.named;
    this.type = opts.type;
    this.keypos = opts.keypos;
    this.protection = opts.protection;
    this.heir = opts.heir;
    this.readConcurrency = opts.readConcurrency;
    this.writeConcurrency = opts.writeConcurrency;
    this.decentralizedCounters = opts.decentralizedCounters;
    this.compressed = opts.compressed;
    this.owner = owner;
    const kp = (this.kp = opts.keypos - 1);
    if (opts.type === 'ordered_set') this.ordered = new OrderedIndex();
    else if (opts.type === 'set') this.hash = new HashIndex((v, mk) => (Array.isArray(v) ? v[kp] : (mk as Term)));
    else this.hash = new HashIndex((v) => (v as Tuple[])[0].elements[kp]);
  }

  /** What ets:new returned and messages name the table by: its name when named, else its tid. */
  get id(): Term {
    return this.named ? this.name : this.tid;
  }

  get size(): number {
    return this.count;
  }

  get isBag(): boolean {
    return this.type === 'bag' || this.type === 'duplicate_bag';
  }

  keyOf(obj: Tuple): Term {
    return obj.elements[this.keypos - 1];
  }

  // ----- reading -----

  lookup(key: Term): Tuple[] {
    if (this.ordered !== undefined) {
      const o = this.ordered.get(key);
      return o === undefined ? [] : [object(this.ordered.foundKey, o, this.kp)];
    }
    const v = this.hash!.get(key);
    if (v === undefined) return [];
    return this.objectsOf(key, v);
  }

  /** The objects kept as v under key in a hashed table. */
  private objectsOf(key: Term, v: Stored): Tuple[] {
    return this.type === 'set' ? [object(key, v, this.kp)] : (v as Tuple[]);
  }

  /** A hashed table's objects kept as v under key, the list not shared with the table. */
  private objectsCopied(key: Term, v: Stored): Tuple[] {
    return this.type === 'set' ? [object(key, v, this.kp)] : (v as Tuple[]).slice();
  }

  /** The object to keep of obj in a set whose key is key (in a hashed set, the key must be its map key to go). */
  private keep(key: Term, obj: Tuple): Stored {
    return typeof key === 'number' || key instanceof Atom ? stored(obj, this.kp) : obj.elements;
  }

  /** lookup/2's answer: the objects as a list. */
  lookupList(key: Term): Term {
    if (this.ordered !== undefined) {
      const o = this.ordered.get(key);
      return o === undefined ? NIL : new List(object(this.ordered.foundKey, o, this.kp), NIL);
    }
    const v = this.hash!.get(key);
    if (v === undefined) return NIL;
    if (this.type === 'set') return new List(object(key, v, this.kp), NIL);
    // a bag's key may hold many objects
    chargeElements((v as Tuple[]).length);
    return list(v as Tuple[]);
  }

  member(key: Term): boolean {
    return this.ordered !== undefined ? this.ordered.get(key) !== undefined : this.hash!.get(key) !== undefined;
  }

  // ----- writing -----

  /** insert/2 of one object. */
  insert(obj: Tuple): void {
    const key = this.keyOf(obj);
    if (this.ordered !== undefined) {
      if (this.ordered.set(key, stored(obj, this.kp))) this.count++;
      return;
    }
    const h = this.hash!;
    if (this.type === 'set') {
      if (h.set(key, this.keep(key, obj))) h.resize(++this.count, this.fixed);
      return;
    }
    const objs = h.get(key) as Tuple[] | undefined;
    if (objs === undefined) h.set(key, [obj]);
    else {
      // a bag looks through the key's objects for this one
      if (this.type === 'bag') {
        chargeElements(objs.length);
        if (objs.some((o) => exactEqual(o, obj))) return;
      }
      objs.push(obj);
    }
    h.resize(++this.count, this.fixed);
  }

  /** Is the table fixed (safe_fixtable): its hashed layout then stays as it is. */
  get fixed(): boolean {
    return this.fixes !== undefined && this.fixes.size > 0;
  }

  /** The objects went down to this.count: a hashed table may give buckets back. */
  private shrunk(): void {
    this.hash?.resize(this.count, this.fixed);
  }

  /** Replace a stored object by one with the same key (update_counter, update_element, select_replace). */
  replace(old: Tuple, obj: Tuple): void {
    const key = this.keyOf(old);
    if (this.ordered !== undefined) {
      // (the new object's key may differ in type: it is kept as it comes)
      this.ordered.replace(this.keyOf(obj), stored(obj, this.kp));
      return;
    }
    const v = this.hash!.get(key);
    if (v === undefined) return;
    if (this.type === 'set') {
      this.hash!.set(key, this.keep(key, obj));
      return;
    }
    const objs = v as Tuple[];
    const i = objs.indexOf(old);
    if (i >= 0) objs[i] = obj;
  }

  deleteKey(key: Term): void {
    if (this.ordered !== undefined) {
      if (this.ordered.delete(key)) this.count--;
      return;
    }
    const v = this.hash!.get(key);
    if (v === undefined) return;
    this.hash!.delete(key);
    this.count -= this.type === 'set' ? 1 : (v as Tuple[]).length;
    this.shrunk();
  }

  /** delete_object/2: every object =:= obj (a duplicate_bag's duplicates too). */
  deleteObject(obj: Tuple): void {
    const key = this.keyOf(obj);
    if (this.ordered !== undefined) {
      const o = this.ordered.get(key);
      if (o !== undefined && exactEqual(object(this.ordered.foundKey, o, this.kp), obj)) {
        this.ordered.delete(key);
        this.count--;
      }
      return;
    }
    const v = this.hash!.get(key);
    if (v === undefined) return;
    if (this.type === 'set') {
      if (exactEqual(object(key, v, this.kp), obj)) {
        this.hash!.delete(key);
        this.count--;
        this.shrunk();
      }
      return;
    }
    const objs = v as Tuple[];
    chargeElements(objs.length);
    const keep = objs.filter((o) => !exactEqual(o, obj));
    this.count -= objs.length - keep.length;
    if (keep.length === 0) this.hash!.delete(key);
    else this.hash!.set(key, keep);
    this.shrunk();
  }

  /** Delete one stored object (select_delete): the very object, not every equal one. */
  deleteStored(obj: Tuple): void {
    const key = this.keyOf(obj);
    if (this.ordered !== undefined || this.type === 'set') {
      this.deleteKey(key);
      return;
    }
    const objs = this.hash!.get(key) as Tuple[] | undefined;
    if (objs === undefined) return;
    const i = objs.indexOf(obj);
    if (i < 0) return;
    objs.splice(i, 1);
    this.count--;
    if (objs.length === 0) this.hash!.delete(key);
    this.shrunk();
  }

  clear(): void {
    this.ordered?.clear();
    this.hash?.clear();
    this.count = 0;
  }

  /** The walk's order as select, match and tab2list give it: an ordered_set's in key order, a
   * hashed table's last key first (OTP builds the list as it walks), each key's objects as
   * lookup gives them. */
  listed(reverse = false): Tuple[] {
    if (this.ordered !== undefined) return this.orderedObjects(reverse);
    return this.hashedObjects(true);
  }

  /** A hashed table's objects in walking order (or its keys backwards), read in one pass. */
  private hashedObjects(backwards: boolean): Tuple[] {
    const kp = this.kp;
    if (this.type === 'set') return this.hash!.collect((k, v) => object(k, v, kp), backwards);
    const out: Tuple[] = [];
    for (const objs of this.hash!.collect((_, v) => v as Tuple[], backwards)) for (const o of objs) out.push(o);
    return out;
  }

  /** An ordered_set's objects in key order (or backwards), read in one pass over its leaves. */
  private orderedObjects(reverse: boolean): Tuple[] {
    const kp = this.kp;
    return this.ordered!.collect((k, v) => object(k, v, kp), reverse);
  }

  // ----- walking: first/next/last/prev -----

  firstKey(): Term | undefined {
    if (this.ordered !== undefined) {
      const c = this.ordered.firstCursor();
      return c && this.ordered.keyAt(c);
    }
    return this.hash!.first();
  }

  lastKey(): Term | undefined {
    if (this.ordered !== undefined) {
      const c = this.ordered.lastCursor();
      return c && this.ordered.keyAt(c);
    }
    // (last is first for a hashed table, as in OTP)
    return this.firstKey();
  }

  /**
   * The key after key: undefined at the end, null when key is not in a hashed table (badarg;
   * an ordered_set goes on from where key would be).
   */
  nextKey(key: Term): Term | undefined | null {
    if (this.ordered !== undefined) {
      const c = this.ordered.after(key, false);
      return c && this.ordered.keyAt(c);
    }
    return this.hash!.next(key, this.fixed);
  }

  prevKey(key: Term): Term | undefined | null {
    if (this.ordered !== undefined) {
      const c = this.ordered.before(key, false);
      return c && this.ordered.keyAt(c);
    }
    // (prev is next for a hashed table, as in OTP)
    return this.nextKey(key);
  }

  /**
   * ets:slot/2: an ordered_set's i-th object (0-based), a hashed table's i-th bucket; undefined
   * just past the end.
   */
  slot(i: number): Tuple[] | undefined {
    if (this.ordered !== undefined) {
      let n = 0;
      for (const [k, o] of this.ordered.entries()) if (n++ === i) return [object(k, o, this.kp)];
      return undefined;
    }
    if (i >= this.hash!.buckets) return undefined;
    return this.hash!.bucket(i).flatMap(([k, v]) => this.objectsOf(k, v));
  }

  /** ets:slot's range: the objects of an ordered_set, the buckets of a hashed table. */
  get slots(): number {
    return this.ordered !== undefined ? this.ordered.size : this.hash!.buckets;
  }

  /** Number of keys. */
  get keyCount(): number {
    return this.ordered !== undefined ? this.ordered.size : this.hash!.size;
  }

  /** A hashed table's bucket for key (the table must be hashed). */
  bucketOf(key: Term): number {
    return this.hash!.bucketFor(key);
  }

  /** The objects of each key in bucket b of a hashed table, in the order the keys came. */
  keysInBucket(b: number): Tuple[][] {
    return this.hash!.bucket(b).map(([k, v]) => this.objectsOf(k, v));
  }

  /** Words of a hashed table's buckets past its first 256 (ets:info's memory). */
  get extraWords(): number {
    return this.hash?.extraWords() ?? 0;
  }

  /**
   * The table key by key, in table order (backwards for an ordered_set when reverse): each key's
   * objects, with where a walk stopping after them resumes; from `from`, else from the start.
   */
  *walk(from?: Resume, reverse = false): Generator<[Tuple[], Resume]> {
    if (this.ordered !== undefined) {
      const o = this.ordered;
      let c: Cursor | undefined;
      if (from === undefined) c = reverse ? o.lastCursor() : o.firstCursor();
      else if (from.kind === 'key') c = reverse ? o.before(from.key, false) : o.after(from.key, false);
      while (c !== undefined) {
        const key = o.keyAt(c);
        const shape = o.shape;
        yield [[object(key, o.valAt(c), this.kp)], { kind: 'key', key }];
        // the caller may have changed the table meanwhile (select_delete): then find our place again
        if (o.shape === shape) c = reverse ? o.stepBack(c) : o.step(c);
        else c = reverse ? o.before(key, false) : o.after(key, false);
      }
      return;
    }
    if (from !== undefined && from.kind !== 'bucket') return;
    for (const [v, bucket, key] of this.hash!.walk(from?.bucket ?? 0)) {
      yield [this.objectsCopied(key, v), { kind: 'bucket', bucket }];
    }
  }

  /** Each key's objects, key by key in table order (backwards for an ordered_set when reverse), read in one pass. */
  groups(reverse = false): Tuple[][] {
    const kp = this.kp;
    if (this.ordered !== undefined) return this.ordered.collect((k, v) => [object(k, v, kp)], reverse);
    return this.hash!.collect((k, v) => this.objectsCopied(k, v), false);
  }

  /** Every object, in table order. */
  objects(reverse = false): Tuple[] {
    if (this.ordered !== undefined) return this.orderedObjects(reverse);
    return this.hashedObjects(false);
  }
}

// ---------- the registry ----------

const byTid = new Map<RefKey, Table>();
const byName = new Map<Atom, Table>();
const owned = new WeakMap<Process, Set<Table>>();

export function tableByTid(tid: Ref): Table | undefined {
  return byTid.get(refKey(tid));
}

export function tableByName(name: Atom): Table | undefined {
  return byName.get(name);
}

export function allTables(): Table[] {
  return [...byTid.values()];
}

export function register(t: Table): void {
  byTid.set(refKey(t.tid), t);
  if (t.named) byName.set(t.name, t);
  own(t, t.owner);
}

/** Rename a table; a named table moves in the name registry (false when the new name is taken). */
export function rename(t: Table, name: Atom): boolean {
  if (t.named) {
    const other = byName.get(name);
    if (other !== undefined && other !== t) return false;
    byName.delete(t.name);
    byName.set(name, t);
  }
  t.name = name;
  return true;
}

export function deleteTable(t: Table): void {
  if (!t.alive) return;
  t.alive = false;
  byTid.delete(refKey(t.tid));
  if (t.named && byName.get(t.name) === t) byName.delete(t.name);
  owned.get(t.owner)?.delete(t);
  t.clear();
}

function own(t: Table, p: Process): void {
  let set = owned.get(p);
  if (set === undefined) {
    owned.set(p, (set = new Set()));
    hold(p, { ownerDied: () => tablesDie(p) });
  }
  set.add(t);
}

/** Hand the table to `to`, who gets {'ETS-TRANSFER', Tab, From, Data}. */
export function transfer(t: Table, to: Process, from: Pid, data: Term): void {
  owned.get(t.owner)?.delete(t);
  t.owner = to;
  own(t, to);
  node.deliver(to, tuple(ETS_TRANSFER, t.id, from, data));
}

/** A process died: its tables go to their heirs, or away. */
function tablesDie(p: Process): void {
  const set = owned.get(p);
  if (set === undefined) return;
  owned.delete(p);
  for (const t of set) {
    const heir = t.heir !== undefined ? node.process(t.heir.pid) : undefined;
    if (heir !== undefined && heir !== p && heir.alive) {
      t.owner = heir;
      own(t, heir);
      node.deliver(heir, tuple(ETS_TRANSFER, t.id, p.pid, t.heir!.data));
    } else {
      t.owner = p; // (for deleteTable's bookkeeping)
      deleteTable(t);
    }
  }
}
