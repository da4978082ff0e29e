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
// A store that has taken many changes hands its head's contents to a fresh store on the next
// change, so an old version that a program keeps forever holds on to a bounded chain, not to every
// update made since.

/** The Map and the version whose contents it holds. */
interface Store<E> {
  map: Map<unknown, E>;
  head: MapVersion<E>;
  /** changes made since this store was made: when to start a fresh one */
  changes: number;
}

/** Chains longer than this are not walked: the version reroots instead. */
const WALK = 8;
/** A store takes at least this many changes (and at least its size) before it hands over. */
const HANDOVER = 1024;

export class MapVersion<E> {
  /** the contents as a Map that never changes: for maps built whole, and once iterated */
  protected snap: Map<unknown, E> | undefined;
  private store: Store<E> | undefined = undefined;
  private next: MapVersion<E> | undefined = undefined;
  private changedKey: unknown = undefined;
  /** this version's entry at changedKey (undefined: absent) */
  private changedEntry: E | undefined = undefined;
  private count = 0;
  /** made the head by a read once already (see farContents) */
  private rerooted = false;

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
    const s = this.store!;
    let v: MapVersion<E> = this;
    for (let steps = 0; v !== s.head; steps++) {
      if (steps === WALK) return this.farContents().get(key);
      if (v.changedKey === key) return v.changedEntry;
      v = v.next!;
    }
    return s.map.get(key);
  }

  /**
   * The contents of a version far from its store's head. The first time, it becomes the head. If
   * it is far again (the program keeps updating another version while reading this one), it takes
   * a snapshot, so that reads on both sides do not keep turning the chain between them around.
   */
  private farContents(): Map<unknown, E> {
    if (this.rerooted) return this.contents();
    this.rerooted = true;
    this.reroot();
    return this.store!.map;
  }

  /** This version with key set to entry, or removed when entry is undefined. */
  protected change(key: unknown, entry: E | undefined): this {
    let s = this.store;
    if (s === undefined) {
      // a map built whole: its contents go into a store of their own, with it as head
      s = this.store = { map: new Map(this.snap), head: this, changes: 0 };
      this.count = this.snap!.size;
    } else if (s.head !== this) {
      this.reroot();
    }
    const old = s.map.get(key);
    if (entry === undefined && old === undefined) return this;
    const v = this.blank();
    v.count = this.count + (old === undefined ? 1 : 0) - (entry === undefined ? 1 : 0);
    if (++s.changes > HANDOVER && s.changes > s.map.size) {
      // leave this version as the old store's head, unchanged; the new one starts a fresh store
      // (and the old store counts afresh: more changes to it start further stores, not a copy each)
      s.changes = 0;
      s = { map: new Map(s.map), head: v, changes: 0 };
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
    const s = this.store!;
    const m = new Map<unknown, E>();
    for (const [key, e] of s.map) m.set(key, this.asContentsEntry(key, e));
    // undo the changes between the head and this version, nearest the head first
    const path = this.pathToHead();
    for (let i = path.length - 1; i >= 0; i--) {
      const v = path[i];
      if (v.changedEntry === undefined) m.delete(v.changedKey);
      else m.set(v.changedKey, this.asContentsEntry(v.changedKey, v.changedEntry));
    }
    return (this.snap = m);
  }

  private pathToHead(): MapVersion<E>[] {
    const head = this.store!.head;
    const path: MapVersion<E>[] = [];
    for (let v: MapVersion<E> = this; v !== head; v = v.next!) path.push(v);
    return path;
  }

  /** Make this version the head of its store, turning each change on the way around. */
  private reroot(): void {
    const s = this.store!;
    const path = this.pathToHead();
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
  }
}
