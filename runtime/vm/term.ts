// Erlang terms as JavaScript values.
//
//   integer    number (safe integer) | bigint (only outside the safe range: always normalised)
//   float      ErlFloat (boxed, so 1 and 1.0 stay different terms)
//   atom       Atom (interned: compare with ===)
//   tuple      Tuple (wraps a JS array)
//   list       List cons cell | NIL; strings are lists of integers
//   binary     Bin (bytes + bit length, so bitstrings fit too)
//   map        ErlMap
//   pid/ref/port  Pid, Ref, Port (node, numbers and creation, so they survive the wire)
//   fun        Fun
//
// Term order: number < atom < reference < fun < port < pid < tuple < map < nil < list < bitstring.

import { MapVersion } from './map_versions.js';

export type Int = number | bigint;
export type Term =
  | number
  | bigint
  | ErlFloat
  | Atom
  | Tuple
  | List
  | Nil
  | Bin
  | ErlMap
  | Pid
  | Ref
  | Port
  | Fun;

// ---------- atoms ----------

export class Atom {
  /** its external format (runtime/vm/etf.ts): UTF-8 as on the wire, Latin-1 as term_to_binary writes it */
  ext: Uint8Array | undefined = undefined;
  extLatin1: Uint8Array | undefined = undefined;
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

const atomTable = new Map<string, Atom>();

export function atom(name: string): Atom {
  let a = atomTable.get(name);
  if (a === undefined) {
    a = new Atom(name);
    atomTable.set(name, a);
  }
  return a;
}

/** How many atoms exist (system_info(atom_count)). */
export function atomCount(): number {
  return atomTable.size;
}

/** The names of every atom (erlang:memory's atom figure). */
export function atomNames(): IterableIterator<string> {
  return atomTable.keys();
}

/** The atom if it exists already (list_to_existing_atom, safe decoding of strangers' input). */
export function existingAtom(name: string): Atom | undefined {
  return atomTable.get(name);
}

export const TRUE = atom('true');
export const FALSE = atom('false');
export const OK = atom('ok');
export const UNDEFINED = atom('undefined');
export const ERROR = atom('error');

export function bool(b: boolean): Atom {
  return b ? TRUE : FALSE;
}

// ---------- floats ----------

export class ErlFloat {
  constructor(readonly value: number) {}
}

export function float(v: number): ErlFloat {
  return new ErlFloat(v);
}

// ---------- integers ----------

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** Bring a bigint back to a number when it fits, so every integer has one representation. */
export function normInt(b: bigint): Int {
  return b <= MAX_SAFE && b >= MIN_SAFE ? Number(b) : b;
}

export function isInteger(t: Term): t is number | bigint {
  return typeof t === 'number' || typeof t === 'bigint';
}

export function isNumber(t: Term): t is number | bigint | ErlFloat {
  return typeof t === 'number' || typeof t === 'bigint' || t instanceof ErlFloat;
}

/** The JS number of any Erlang number (may lose precision for bignums). */
export function toJsNumber(t: number | bigint | ErlFloat): number {
  if (typeof t === 'number') return t;
  if (typeof t === 'bigint') return Number(t);
  return t.value;
}

export function toBigInt(t: number | bigint): bigint {
  return typeof t === 'bigint' ? t : BigInt(t);
}

// ---------- tuples ----------

export class Tuple {
  constructor(readonly elements: Term[]) {}
  get size(): number {
    return this.elements.length;
  }
}

export function tuple(...elements: Term[]): Tuple {
  return new Tuple(elements);
}

// ---------- lists ----------

export class Nil {
  readonly __nil = true;
}
export const NIL = new Nil();

export class List {
  constructor(
    public head: Term,
    public tail: Term,
  ) {}
}

export function cons(head: Term, tail: Term): List {
  return new List(head, tail);
}

export function isList(t: Term): t is List | Nil {
  return t === NIL || t instanceof List;
}

/** A proper list from an array (tail defaults to []). */
export function list(items: readonly Term[], tail: Term = NIL): Term {
  let l: Term = tail;
  for (let i = items.length - 1; i >= 0; i--) l = new List(items[i], l);
  return l;
}

/** The elements of a proper list, or undefined for an improper one. */
export function listToArray(t: Term): Term[] | undefined {
  const out: Term[] = [];
  while (t instanceof List) {
    out.push(t.head);
    t = t.tail;
  }
  return t === NIL ? out : undefined;
}

/** A string (code points) as an Erlang list of integers. */
export function charlist(s: string): Term {
  const cps: number[] = [];
  for (const ch of s) cps.push(ch.codePointAt(0)!);
  return list(cps);
}

/** A list of integers as a JS string, or undefined when it is not one. */
export function listToString(t: Term): string | undefined {
  let s = '';
  while (t instanceof List) {
    const h = t.head;
    if (typeof h !== 'number' || h < 0 || h > 0x10ffff || !Number.isInteger(h)) return undefined;
    s += String.fromCodePoint(h);
    t = t.tail;
  }
  return t === NIL ? s : undefined;
}

// ---------- binaries ----------

export class Bin {
  /** bitSize defaults to bytes.length * 8; a bitstring has a last byte only partly used (high bits). */
  readonly bitSize: number;
  constructor(
    readonly bytes: Uint8Array,
    bitSize?: number,
  ) {
    this.bitSize = bitSize ?? bytes.length * 8;
  }
  get isBinary(): boolean {
    return this.bitSize % 8 === 0;
  }
  get byteSize(): number {
    return this.bytes.length;
  }
}

export function binary(bytes: Uint8Array | number[]): Bin {
  return new Bin(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
}

export function binaryFromString(s: string): Bin {
  return new Bin(new TextEncoder().encode(s));
}

// ---------- maps ----------

const NO_ENTRIES = new Map<unknown, [Term, Term]>();
/** What a map holds for a key: [key, value], or in a store just the value when the key is its own term. */
type MapEntry = [Term, Term] | Term;
/** Maps smaller than this are copied on update. */
const SMALL = 8;

export class ErlMap extends MapVersion<MapEntry> {
  // A map is a JS Map that never changes (as made by `new ErlMap(entries)`), or a version in a
  // store of the maps made from it by put and remove (runtime/vm/map_versions.ts), which then cost
  // O(1) instead of a copy of the whole map. A store keeps just the value for a key that is its
  // own term (a number or an atom): 64 bytes less per entry than a [key, value] pair.

  /** key → [key, value]; see mapKey for how keys become JS Map keys. */
  constructor(entries: Map<unknown, [Term, Term]> = new Map()) {
    super(entries);
  }

  protected override blank(): this {
    const m = new ErlMap(NO_ENTRIES);
    m.snap = undefined;
    return m as this;
  }

  protected override asContentsEntry(key: unknown, e: MapEntry): MapEntry {
    return Array.isArray(e) ? e : [key as Term, e];
  }

  /** key → [key, value] (read only). */
  get entries(): Map<unknown, [Term, Term]> {
    return this.contents() as Map<unknown, [Term, Term]>;
  }

  get(k: Term): Term | undefined {
    const e = this.lookup(mapKey(k));
    return Array.isArray(e) ? e[1] : e;
  }
  has(k: Term): boolean {
    return this.lookup(mapKey(k)) !== undefined;
  }
  /** A new map with k => v. */
  put(k: Term, v: Term): ErlMap {
    const key = mapKey(k);
    if (this.size < SMALL) {
      // small maps: a copy is cheaper than keeping versions
      const m = new Map(this.entries);
      m.set(key, [k, v]);
      return new ErlMap(m);
    }
    return this.change(key, key === k ? v : [k, v]);
  }
  remove(k: Term): ErlMap {
    const key = mapKey(k);
    if (this.lookup(key) === undefined) return this;
    if (this.size <= SMALL) {
      const m = new Map(this.entries);
      m.delete(key);
      return new ErlMap(m);
    }
    return this.change(key, undefined);
  }
  /** Entries in term order of keys (how OTP prints small maps and lists keys). */
  sorted(): [Term, Term][] {
    return [...this.entries.values()].sort((a, b) => compare(a[0], b[0]));
  }
  /** Entries in map key order (mapKeyOrder: integers before floats): how term_to_binary writes them. */
  keyOrdered(): [Term, Term][] {
    return [...this.entries.values()].sort((a, b) => mapKeyOrder(a[0], b[0]));
  }
  static from(pairs: Iterable<[Term, Term]>): ErlMap {
    const m = new Map<unknown, [Term, Term]>();
    for (const [k, v] of pairs) m.set(mapKey(k), [k, v]);
    return new ErlMap(m);
  }
}

// Comparing two long, equal but separately built terms walks them whole in one native step, and
// so does making a long term a map or table key (canonical): the walk charges the caller by the
// elements it passed (a compared byte a sixteenth of one; a key's byte, written out as text, a
// quarter), through the hook the scheduler sets, so a process comparing them in a loop does not
// hold the node. Only a walk past WALK_CHARGED elements calls it: receive patterns, map keys and
// guards stay as fast.
const WALK_CHARGED = 64;
let chargeWalk: (elements: number) => void = () => {};
export function setWalkCharge(charge: (elements: number) => void): void {
  chargeWalk = charge;
}

/**
 * The JS Map key for a term: numbers and atoms stand for themselves (atoms are interned),
 * everything else becomes a canonical string, so exactly equal terms (=:=) share a key.
 */
export function mapKey(t: Term): unknown {
  if (typeof t === 'number' || t instanceof Atom) return t;
  return canonical(t);
}

/** A string that is equal for two terms exactly when they are =:=. */
export function canonical(t: Term): string {
  if (typeof t === 'number') return 'i' + t;
  if (typeof t === 'bigint') return 'i' + t.toString();
  if (t instanceof Atom) return 'a' + t.name.length + ':' + t.name;
  if (t instanceof ErlFloat) return 'f' + String(t.value);
  // (a long key is charged as a comparison's walk: a map or table keyed by one hashes it whole)
  if (t instanceof Tuple) {
    if (t.elements.length >= WALK_CHARGED) chargeWalk(t.elements.length);
    return '{' + t.elements.map(canonical).join(',') + '}';
  }
  if (t === NIL) return '[]';
  if (t instanceof List) {
    let s = '[';
    let l: Term = t;
    let n = 0;
    for (; l instanceof List; l = l.tail, n++) s += canonical(l.head) + ',';
    if (n >= WALK_CHARGED) chargeWalk(n);
    return s + '|' + canonical(l) + ']';
  }
  if (t instanceof Bin) {
    if (t.bytes.length >= WALK_CHARGED) chargeWalk(t.bytes.length >>> 2);
    return 'b' + t.bitSize + ':' + Array.from(t.bytes).join('.');
  }
  if (t instanceof ErlMap)
    return '#{' + t.sorted().map(([k, v]) => canonical(k) + '=>' + canonical(v)).join(',') + '}';
  if (t instanceof Pid) return 'p' + t.node.name + '.' + t.id + '.' + t.serial + '.' + t.creation;
  if (t instanceof Ref) return 'r' + t.node.name + '.' + t.ids.join('.') + '.' + t.creation;
  if (t instanceof Port) return 'o' + t.node.name + '.' + t.id + '.' + t.creation;
  if (t instanceof Fun) return 'F' + t.identity();
  throw new Error('canonical: not a term');
}

// ---------- pids, refs, ports ----------

export class Pid {
  constructor(
    readonly node: Atom,
    readonly id: number,
    readonly serial: number,
    readonly creation: number,
  ) {}
}

/** A ref's key in tables: its counter for this node's own refs (a number key is the cheap one), text for others. */
export type RefKey = string | number;

export class Ref {
  /** its key in the tables of monitors, spawn requests and aliases (runtime/vm/signals.ts refKey), once made */
  key: RefKey | undefined = undefined;
  constructor(
    readonly node: Atom,
    readonly ids: number[],
    readonly creation: number,
  ) {}
}

export class Port {
  constructor(
    readonly node: Atom,
    readonly id: number,
    readonly creation: number,
  ) {}
}

// ---------- funs ----------

/** A compiled function body: a generator run by the scheduler (see runtime/process). */
export type ErlFunction = (...args: Term[]) => Generator<unknown, Term, unknown>;

export type FunKind =
  /** fun m:f/a */
  | { kind: 'export'; module: Atom; name: Atom; arity: number }
  /** a fun from a compiled module: module, index, uniq (module hash), free variables and its name ('-f/0-fun-0-') */
  | { kind: 'local'; module: Atom; index: number; uniq: number; md5: Uint8Array; free: Term[]; pid?: Pid; name?: Atom }
  /** a shell fun: erl_eval's closure, carrying its bindings and abstract clauses */
  | { kind: 'eval'; env: Term; pid?: Pid; place?: 'shell' | 'init' }
  /** a fun received from the wire that this node cannot run: its original bytes */
  | { kind: 'foreign'; module: Atom; index: number; uniq: number; md5: Uint8Array; free: Term[]; pid: Pid };

export class Fun {
  constructor(
    readonly arity: number,
    /** undefined for funs this node cannot run (they fail with badfun/undef when called) */
    readonly fn: ErlFunction | undefined,
    readonly info: FunKind,
  ) {}
  /** A stable identity for equality and map keys. */
  identity(): string {
    const i = this.info;
    switch (i.kind) {
      case 'export':
        return `e:${i.module.name}:${i.name.name}/${i.arity}`;
      case 'local':
      case 'foreign':
        return `l:${i.module.name}:${i.index}:${i.uniq}:${i.free.map(canonical).join(',')}`;
      case 'eval':
        return `v:${canonical(i.env)}`;
    }
  }
}

// ---------- type order, comparison, equality ----------

function typeRank(t: Term): number {
  if (typeof t === 'number' || typeof t === 'bigint' || t instanceof ErlFloat) return 0;
  if (t instanceof Atom) return 1;
  if (t instanceof Ref) return 2;
  if (t instanceof Fun) return 3;
  if (t instanceof Port) return 4;
  if (t instanceof Pid) return 5;
  if (t instanceof Tuple) return 6;
  if (t instanceof ErlMap) return 7;
  if (t === NIL) return 8;
  if (t instanceof List) return 9;
  return 10; // Bin
}

function compareNumbers(a: number | bigint | ErlFloat, b: number | bigint | ErlFloat): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = a instanceof ErlFloat ? a.value : a;
  const y = b instanceof ErlFloat ? b.value : b;
  if (typeof x === 'bigint' && typeof y === 'number' && !Number.isInteger(y)) {
    return Number(x) < y ? -1 : Number(x) > y ? 1 : 0;
  }
  if (typeof y === 'bigint' && typeof x === 'number' && !Number.isInteger(x)) {
    return x < Number(y) ? -1 : x > Number(y) ? 1 : 0;
  }
  // number vs bigint with integral values: JS compares these exactly
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Erlang term order: -1, 0 or 1. Numbers compare by value (1 == 1.0 compares equal). */
export function compare(a: Term, b: Term): number {
  return order(a, b, false);
}

/**
 * The order OTP lays out a map's keys in (term_to_binary writes them so): term order, except that
 * every integer comes before every float, at any depth.
 */
export function mapKeyOrder(a: Term, b: Term): number {
  return order(a, b, true);
}

/** Term order; `exact`: integers before floats (the map key order) instead of by value. */
function order(a: Term, b: Term, exact: boolean): number {
  if (a === b) return 0;
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      if (exact && a instanceof ErlFloat !== b instanceof ErlFloat) return a instanceof ErlFloat ? 1 : -1;
      return compareNumbers(a as number, b as number);
    case 1:
      return compareStrings((a as Atom).name, (b as Atom).name);
    case 2: {
      const x = a as Ref;
      const y = b as Ref;
      if (x.node !== y.node) return compareStrings(x.node.name, y.node.name);
      for (let i = Math.max(x.ids.length, y.ids.length) - 1; i >= 0; i--) {
        const p = x.ids[i] ?? 0;
        const q = y.ids[i] ?? 0;
        if (p !== q) return p < q ? -1 : 1;
      }
      return 0;
    }
    case 3:
      return compareStrings((a as Fun).identity(), (b as Fun).identity());
    case 4: {
      const x = a as Port;
      const y = b as Port;
      if (x.node !== y.node) return compareStrings(x.node.name, y.node.name);
      return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
    }
    case 5: {
      const x = a as Pid;
      const y = b as Pid;
      if (x.node !== y.node) return compareStrings(x.node.name, y.node.name);
      if (x.serial !== y.serial) return x.serial < y.serial ? -1 : 1;
      if (x.id !== y.id) return x.id < y.id ? -1 : 1;
      return 0;
    }
    case 6: {
      const x = (a as Tuple).elements;
      const y = (b as Tuple).elements;
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      let c = 0;
      let i = 0;
      while (i < x.length && (c = order(x[i], y[i], exact)) === 0) i++;
      if (i >= WALK_CHARGED) chargeWalk(i);
      return c;
    }
    case 7: {
      const x = a as ErlMap;
      const y = b as ErlMap;
      if (x.size !== y.size) return x.size < y.size ? -1 : 1;
      if (x.size >= WALK_CHARGED) chargeWalk(2 * x.size); // both sorted, then walked
      const xs = exact ? x.keyOrdered() : x.sorted();
      const ys = exact ? y.keyOrdered() : y.sorted();
      for (let i = 0; i < xs.length; i++) {
        const c = order(xs[i][0], ys[i][0], exact);
        if (c !== 0) return c;
      }
      for (let i = 0; i < xs.length; i++) {
        const c = order(xs[i][1], ys[i][1], exact);
        if (c !== 0) return c;
      }
      return 0;
    }
    case 8:
      return 0;
    case 9: {
      let x: Term = a;
      let y: Term = b;
      let c = 0;
      let n = 0;
      while (x instanceof List && y instanceof List && (c = order(x.head, y.head, exact)) === 0) {
        x = x.tail;
        y = y.tail;
        n++;
      }
      if (n >= WALK_CHARGED) chargeWalk(n);
      return c !== 0 ? c : order(x, y, exact);
    }
    default: {
      const x = a as Bin;
      const y = b as Bin;
      const n = Math.min(x.bytes.length, y.bytes.length);
      let i = 0;
      while (i < n && x.bytes[i] === y.bytes[i]) i++;
      if (i >= 16 * WALK_CHARGED) chargeWalk(i >>> 4);
      if (i < n) return x.bytes[i] < y.bytes[i] ? -1 : 1;
      return x.bitSize === y.bitSize ? 0 : x.bitSize < y.bitSize ? -1 : 1;
    }
  }
}

/** == (numbers compare by value). */
export function equal(a: Term, b: Term): boolean {
  return compare(a, b) === 0;
}

/** =:= (exact: 1 =/= 1.0). */
export function exactEqual(a: Term, b: Term): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return false; // numbers are === or different
  if (a instanceof Atom || b instanceof Atom) return false;
  if (typeof a === 'bigint' || typeof b === 'bigint') return a === b;
  // (pids early: gen:call's Process =/= self() compares two on every call)
  if (a instanceof Pid)
    return b instanceof Pid && a.node === b.node && a.id === b.id && a.serial === b.serial && a.creation === b.creation;
  // OTP 25: 0.0 =:= -0.0
  if (a instanceof ErlFloat) return b instanceof ErlFloat && a.value === b.value;
  if (a instanceof Tuple) {
    if (!(b instanceof Tuple) || a.elements.length !== b.elements.length) return false;
    const x = a.elements;
    const y = b.elements;
    let i = 0;
    while (i < x.length && exactEqual(x[i], y[i])) i++;
    if (i >= WALK_CHARGED) chargeWalk(i);
    return i === x.length;
  }
  if (a instanceof List) {
    let x: Term = a;
    let y: Term = b;
    let n = 0;
    while (x instanceof List && y instanceof List && exactEqual(x.head, y.head)) {
      x = x.tail;
      y = y.tail;
      n++;
    }
    if (n >= WALK_CHARGED) chargeWalk(n);
    return !(x instanceof List) && exactEqual(x, y);
  }
  if (a instanceof Bin) {
    if (!(b instanceof Bin) || a.bitSize !== b.bitSize) return false;
    const n = a.bytes.length;
    let i = 0;
    while (i < n && a.bytes[i] === b.bytes[i]) i++;
    if (i >= 16 * WALK_CHARGED) chargeWalk(i >>> 4);
    return i === n;
  }
  if (a instanceof Ref)
    return b instanceof Ref && a.node === b.node && a.creation === b.creation && a.ids.length === b.ids.length && a.ids.every((v, i) => v === b.ids[i]);
  if (a instanceof Port) return b instanceof Port && a.node === b.node && a.id === b.id && a.creation === b.creation;
  if (a instanceof ErlMap) {
    if (!(b instanceof ErlMap) || a.size !== b.size) return false;
    if (a.size >= WALK_CHARGED) chargeWalk(a.size);
    for (const [key, [, v]] of a.entries) {
      const e = b.entries.get(key);
      if (e === undefined || !exactEqual(v, e[1])) return false;
    }
    return true;
  }
  if (a instanceof Fun) return b instanceof Fun && a.identity() === b.identity();
  return false;
}

// ---------- type tests ----------

export function isAtom(t: Term): t is Atom {
  return t instanceof Atom;
}
export function isTuple(t: Term): t is Tuple {
  return t instanceof Tuple;
}
export function isBinary(t: Term): t is Bin {
  return t instanceof Bin && t.bitSize % 8 === 0;
}
