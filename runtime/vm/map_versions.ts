// The persistent form behind ErlMap once a map is updated: every version of a map made by put and
// remove shares one mutable JS Map (a Store), which holds the contents of one version, its head.
// Each other version holds a single change: the key and entry that turn the version it points to
// (its `next`, one step nearer the head) back into itself. This is Baker's trick for persistent
// arrays ("shallow binding").
//
// Erlang code mostly uses a map linearly: `loop(M#{K => V})` drops the old map. Then every update
// is made to the head, and costs one Map.set, not a path copy. An older version that is still held
// reads through its chain of changes; when the chain is long, it becomes the head instead (reroot),
// and the changes on the way are turned around. Either way no version's contents ever change.
//
// Rerooting costs one step per change on the way, so two lines of versions updated by turns (two
// processes that each got the same map, say) could pay for each other's whole history on every
// turn. A store therefore has a budget of reroot steps, about its size: a change that would go
// over it moves its version to a store of its own instead (a copy, paid for by the steps saved),
// through a twin that stands for it there. Reads far from the head go over to a snapshot the
// same way. And a store that has taken many changes hands its head's contents to a fresh store,
// so an old version that a program keeps forever holds on to a bounded chain, not every update.

/** The Map and the version whose contents it holds. */
interface Store<E> {
  map: Map<unknown, E>;
  head: MapVersion<E>;
  /** changes made since this store was made: when to start a fresh one */
  changes: number;
  /** reroot steps taken since this store was made or last copied from */
  rerooted: number;
}

/** Chains longer than this are not walked: the version reroots instead. */
const WALK = 8;
/** A store takes at least this many changes (and at least its size) before it hands over. */
const HANDOVER = 1024;
/** Reroot steps a store may take (or its size, if larger) before it copies instead. */
const REROOT_BUDGET = 1024;

export class MapVersion<E> {
  /** the contents as a Map that never changes: for maps built whole, and once iterated */
  protected snap: Map<unknown, E> | undefined;
  private store: Store<E> | undefined = undefined;
  private next: MapVersion<E> | undefined = undefined;
  private changedKey: unknown = undefined;
  /** this version's entry at changedKey (undefined: absent) */
  private changedEntry: E | undefined = undefined;
  /** the same contents in a store of its own, where this version's reads and changes now go */
  private twin: this | undefined = undefined;
  private count = 0;

  constructor(snap: Map<unknown, E> | undefined) {
    this.snap = snap;
  }

  /** A new, empty version object of the same class (put and remove fill it in). */
  protected blank(): this {
    return new MapVersion<E>(undefined) as this;
  }

  /** How an entry held in a store appears in the contents (a subclass may keep a shorter form there). */
  protected asContentsEntry(_key: unknown, e: E): E {
    return e;
  }

  get size(): number {
    // (a Map handed to the constructor may still be being filled by its maker)
    return this.store === undefined ? this.snap!.size : this.count;
  }

  protected lookup(key: unknown): E | undefined {
    if (this.snap !== undefined) return this.snap.get(key);
    if (this.twin !== undefined) return this.twin.lookup(key);
    const s = this.store!;
    let v: MapVersion<E> = this;
    for (let steps = 0; v !== s.head; steps++) {
      if (steps === WALK) {
        const path = this.pathToHead();
        if (!affordable(s, path.length)) return this.contents().get(key);
        MapVersion.reroot(s, path);
        break;
      }
      if (v.changedKey === key) return v.changedEntry;
      v = v.next!;
    }
    return s.map.get(key);
  }

  /** This version with key set to entry, or removed when entry is undefined. */
  protected change(key: unknown, entry: E | undefined): this {
    if (this.twin !== undefined) return this.twin.change(key, entry);
    let s = this.store;
    if (s === undefined) {
      // a map built whole: its contents go into a store of their own, with it as head
      s = this.store = { map: new Map(this.snap), head: this, changes: 0, rerooted: 0 };
      this.count = this.snap!.size;
    } else if (s.head !== this) {
      const path = this.pathToHead();
      if (!affordable(s, path.length)) {
        this.twin = this.blank();
        this.twin.count = this.count;
        this.twin.store = { map: this.storedContents(path), head: this.twin, changes: 0, rerooted: 0 };
        return this.twin.change(key, entry);
      }
      MapVersion.reroot(s, path);
    }
    const old = s.map.get(key);
    if (entry === undefined && old === undefined) return this;
    const v = this.blank();
    v.count = this.count + (old === undefined ? 1 : 0) - (entry === undefined ? 1 : 0);
    if (++s.changes > HANDOVER && s.changes > s.map.size) {
      // leave this version as the old store's head, unchanged; the new one starts a fresh store
      // (and the old store counts afresh: more changes to it start further stores, not a copy each)
      s.changes = 0;
      s = { map: new Map(s.map), head: v, changes: 0, rerooted: 0 };
    } else {
      this.next = v;
      this.changedKey = key;
      this.changedEntry = old;
    }
    v.store = s;
    s.head = v;
    if (entry === undefined) s.map.delete(key);
    else s.map.set(key, entry);
    return v;
  }

  /** The contents, as a Map that is never changed (made once, on first need). */
  protected contents(): Map<unknown, E> {
    if (this.snap !== undefined) return this.snap;
    if (this.twin !== undefined) return (this.snap = this.twin.contents());
    const m = new Map<unknown, E>();
    for (const [key, e] of this.storedContents(this.pathToHead())) m.set(key, this.asContentsEntry(key, e));
    return (this.snap = m);
  }

  /** A copy of this version's contents as its store holds them; path is its way to the head. */
  private storedContents(path: MapVersion<E>[]): Map<unknown, E> {
    const s = this.store!;
    const m = new Map(s.map);
    // undo the changes between the head and this version, nearest the head first
    for (let i = path.length - 1; i >= 0; i--) {
      const v = path[i];
      if (v.changedEntry === undefined) m.delete(v.changedKey);
      else m.set(v.changedKey, v.changedEntry);
    }
    // a copy pays for as many reroot steps as it copied entries
    s.rerooted = 0;
    return m;
  }

  private pathToHead(): MapVersion<E>[] {
    const head = this.store!.head;
    const path: MapVersion<E>[] = [];
    for (let v: MapVersion<E> = this; v !== head; v = v.next!) path.push(v);
    return path;
  }

  /** Make path's first version (path runs from it to the head) the head, turning each change around. */
  private static reroot<E>(s: Store<E>, path: MapVersion<E>[]): void {
    for (let i = path.length - 1; i >= 0; i--) {
      const v = path[i];
      const head = s.head;
      const key = v.changedKey;
      head.next = v;
      head.changedKey = key;
      head.changedEntry = s.map.get(key);
      if (v.changedEntry === undefined) s.map.delete(key);
      else s.map.set(key, v.changedEntry);
      v.next = undefined;
      v.changedKey = undefined;
      v.changedEntry = undefined;
      s.head = v;
    }
    s.rerooted += path.length;
  }
}

/** Can the store reroot this many steps within its budget? */
function affordable<E>(s: Store<E>, steps: number): boolean {
  return s.rerooted + steps <= Math.max(REROOT_BUDGET, s.map.size);
}

