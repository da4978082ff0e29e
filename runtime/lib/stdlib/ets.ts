// Module ets: tables of tuples owned by a process (native in OTP, so TypeScript here). This file
// holds the tables' life (new, delete, rename, give_away, setopts, info, whereis, all) and the
// operations on keys and objects; ets_select.ts the match-spec ones (match, select, fold, ...).
// Errors are OTP 25's badargs with their explanations (ets_errors.ts).

import { Atom, ErlFloat, ErlMap, Fun, List, NIL, Pid, Port, Ref, Term, Tuple, atom, bool, isInteger, list, listToArray, normInt, toBigInt, tuple, TRUE, FALSE, UNDEFINED, Bin } from '../../vm/term.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { S, bumpReductions, chargeElements } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import type { Process } from '../../vm/process.js';
import { codeServer } from '../../vm/code_server.js';
import { trampoline } from '../../vm/abi.js';
import { Table, allTables, deleteTable, register, rename, tableByName, tableByTid, transfer, type Heir, type Protection, type TableType } from './ets_table.js';
import { etsBadarg, etsFrame, type Cause } from './ets_errors.js';
import { formatPid } from './format/term.js';

export const A = {
  set: atom('set'),
  ordered_set: atom('ordered_set'),
  bag: atom('bag'),
  duplicate_bag: atom('duplicate_bag'),
  public: atom('public'),
  protected: atom('protected'),
  private: atom('private'),
  named_table: atom('named_table'),
  keypos: atom('keypos'),
  heir: atom('heir'),
  none: atom('none'),
  write_concurrency: atom('write_concurrency'),
  read_concurrency: atom('read_concurrency'),
  decentralized_counters: atom('decentralized_counters'),
  compressed: atom('compressed'),
  auto: atom('auto'),
  protection: atom('protection'),
  end_of_table: atom('$end_of_table'),
  id: atom('id'),
  memory: atom('memory'),
  owner: atom('owner'),
  name: atom('name'),
  size: atom('size'),
  node: atom('node'),
  type: atom('type'),
  fixed: atom('fixed'),
  safe_fixed: atom('safe_fixed'),
  safe_fixed_monotonic_time: atom('safe_fixed_monotonic_time'),
  stats: atom('stats'),
  binary: atom('binary'),
};

/** Identifiers of every table made, so a deleted table's tid is told from any other ref. */
const madeTids = new WeakSet<Ref>();

function self(): Process {
  return S.current;
}

export type Access = 'read' | 'write' | 'any';

/**
 * The table `args[0]` names, checked for what the call does with it: badarg with cause type
 * (not a table identifier), id (no such table) or access (protection).
 */
export function tableArg(fn: string, args: Term[], access: Access, callers?: Tuple[]): Table {
  const t = args[0];
  let tab: Table | undefined;
  if (t instanceof Atom) tab = tableByName(t);
  else if (t instanceof Ref) {
    tab = tableByTid(t);
    if (tab === undefined && !madeTids.has(t)) throw etsBadarg(fn, args, 'type', callers);
  } else throw etsBadarg(fn, args, 'type', callers);
  if (tab === undefined) throw etsBadarg(fn, args, 'id', callers);
  if (access !== 'any' && tab.owner !== self()) {
    if (tab.protection === 'private' || (access === 'write' && tab.protection === 'protected')) {
      throw etsBadarg(fn, args, 'access', callers);
    }
  }
  return tab;
}

/** The table last found by its tid (a loop over one table then skips the registry's lookup). */
let lastTid: Ref | undefined;
let lastTable: Table | undefined;

function byTid(tid: Ref): Table | undefined {
  const t = tableByTid(tid);
  if (t !== undefined) {
    lastTid = tid;
    lastTable = t;
  }
  return t;
}

/**
 * The table `tab` names when the call may use it as `access` says, else undefined (the caller
 * then goes the slow way, through tableArg, for the error): the fast path of the common calls.
 */
function usable(tab: Term, access: Access): Table | undefined {
  const t = tab === lastTid && lastTable!.alive ? lastTable : tab instanceof Ref ? byTid(tab) : tab instanceof Atom ? tableByName(tab) : undefined;
  if (t === undefined || t.protection === 'public' || t.owner === S.current) return t;
  return t.protection === 'protected' && access === 'read' ? t : undefined;
}

/** badarg from ets:fn with the given cause. */
export function fail(fn: string, args: Term[], cause: Cause = 'none', callers?: Tuple[]): never {
  throw etsBadarg(fn, args, cause, callers);
}

function ets(name: string, arity: number, impl: (...args: Term[]) => Term): void {
  defineBif('ets', name, arity, impl);
}

// ---------- new ----------

function parseOptions(args: Term[]): ConstructorParameters<typeof Table>[0] {
  const [name, optsT] = args;
  if (!(name instanceof Atom)) fail('new', args);
  const opts = listToArray(optsT);
  if (opts === undefined) fail('new', args);
  const o: ConstructorParameters<typeof Table>[0] = {
    name,
    named: false,
    type: 'set',
    keypos: 1,
    protection: 'protected',
    heir: undefined,
    readConcurrency: false,
    writeConcurrency: FALSE,
    decentralizedCounters: false,
    compressed: false,
  };
  let dcSet = false;
  for (const opt of opts) {
    if (opt === A.set || opt === A.ordered_set || opt === A.bag || opt === A.duplicate_bag) o.type = opt.name as TableType;
    else if (opt === A.public || opt === A.protected || opt === A.private) o.protection = opt.name as Protection;
    else if (opt === A.named_table) o.named = true;
    else if (opt === A.compressed) o.compressed = true;
    else if (opt instanceof Tuple && opt.elements.length === 2) {
      const [k, v] = opt.elements;
      if (k === A.keypos && typeof v === 'number' && v >= 1) o.keypos = v;
      else if (k === A.heir && v === A.none) o.heir = undefined;
      else if (k === A.write_concurrency && (v === TRUE || v === FALSE || v === A.auto)) o.writeConcurrency = v;
      else if (k === A.read_concurrency && (v === TRUE || v === FALSE)) o.readConcurrency = v === TRUE;
      else if (k === A.decentralized_counters && (v === TRUE || v === FALSE)) {
        o.decentralizedCounters = v === TRUE;
        dcSet = true;
      } else fail('new', args);
    } else if (opt instanceof Tuple && opt.elements.length === 3 && opt.elements[0] === A.heir && opt.elements[1] instanceof Pid && node.isLocal(opt.elements[1])) {
      o.heir = { pid: opt.elements[1], data: opt.elements[2] };
    } else fail('new', args);
  }
  // an ordered_set with write_concurrency counts its size in a decentralized way unless told not to
  if (!dcSet && o.type === 'ordered_set' && o.writeConcurrency !== FALSE) o.decentralizedCounters = true;
  if (!dcSet && o.writeConcurrency === A.auto) o.decentralizedCounters = true;
  return o;
}

ets('new', 2, (name, opts) => {
  const o = parseOptions([name, opts]);
  if (o.named && tableByName(o.name) !== undefined) fail('new', [name, opts], 'already_exists');
  const t = new Table(o, self());
  madeTids.add(t.tid);
  register(t);
  return t.id;
});

// ---------- deleting tables and objects ----------

ets('delete', 1, (tab) => {
  const t = tableArg('delete', [tab], 'write');
  deleteTable(t);
  return TRUE;
});

ets('delete', 2, (tab, key) => {
  tableArg('delete', [tab, key], 'write').deleteKey(key);
  return TRUE;
});

ets('internal_delete_all', 2, (tab, u) => {
  const t = tableArg('internal_delete_all', [tab, u], 'write');
  const n = t.size;
  chargeElements(n);
  t.clear();
  return n;
});

ets('delete_all_objects', 1, (tab) => {
  const t = tableArg('internal_delete_all', [tab, UNDEFINED], 'write', [etsFrame('delete_all_objects', 1, 126)]);
  chargeElements(t.size);
  t.clear();
  return TRUE;
});

ets('delete_object', 2, (tab, obj) => {
  const args = [tab, obj];
  const t = tableArg('delete_object', args, 'write');
  if (!(obj instanceof Tuple) || obj.elements.length < t.keypos) fail('delete_object', args);
  t.deleteObject(obj);
  return TRUE;
});

// ---------- inserting ----------

/** The objects of insert's second argument, or undefined when it is not a tuple or list of them. */
function objectsOf(t: Table, objs: Term): Tuple[] | undefined {
  if (objs instanceof Tuple) return objs.elements.length >= t.keypos ? [objs] : undefined;
  const xs = listToArray(objs);
  if (xs === undefined) return undefined;
  for (const x of xs) if (!(x instanceof Tuple) || x.elements.length < t.keypos) return undefined;
  return xs as Tuple[];
}

ets('insert', 2, (tab, objs) => {
  const t = usable(tab, 'write') ?? tableArg('insert', [tab, objs], 'write');
  if (objs instanceof Tuple && objs.elements.length >= t.keypos) {
    t.insert(objs);
    return TRUE;
  }
  const xs = objectsOf(t, objs);
  if (xs === undefined) fail('insert', [tab, objs]);
  bumpReductions(xs.length);
  insertAll(t, xs);
  return TRUE;
});

ets('insert_new', 2, (tab, objs) => {
  const t = tableArg('insert_new', [tab, objs], 'write');
  const xs = objectsOf(t, objs);
  if (xs === undefined) fail('insert_new', [tab, objs]);
  bumpReductions(xs.length);
  for (const x of xs) if (t.member(t.keyOf(x))) return FALSE;
  insertAll(t, xs);
  return TRUE;
});

/** Insert a list of objects: in order, but a bag takes them last first (as OTP's does). */
function insertAll(t: Table, xs: Tuple[]): void {
  if (t.type === 'bag') for (let i = xs.length - 1; i >= 0; i--) t.insert(xs[i]);
  else for (const x of xs) t.insert(x);
}

// ---------- reading ----------

ets('lookup', 2, (tab, key) => (usable(tab, 'read') ?? tableArg('lookup', [tab, key], 'read')).lookupList(key));

ets('member', 2, (tab, key) => bool((usable(tab, 'read') ?? tableArg('member', [tab, key], 'read')).member(key)));

ets('lookup_element', 3, (tab, key, pos) => {
  const args = [tab, key, pos];
  const t = tableArg('lookup_element', args, 'read');
  if (typeof pos !== 'number' || pos < 1) fail('lookup_element', args);
  const objs = t.lookup(key);
  chargeElements(objs.length);
  if (objs.length === 0) fail('lookup_element', args, 'badkey');
  for (const o of objs) if (o.elements.length < pos) fail('lookup_element', args);
  if (!t.isBag) return objs[0].elements[pos - 1];
  return list(objs.map((o) => o.elements[pos - 1]));
});

ets('take', 2, (tab, key) => {
  const t = tableArg('take', [tab, key], 'write');
  const objs = t.lookup(key);
  chargeElements(objs.length);
  if (objs.length > 0) t.deleteKey(key);
  return list(objs);
});

function keyOrEnd(k: Term | undefined): Term {
  return k === undefined ? A.end_of_table : k;
}

ets('first', 1, (tab) => keyOrEnd(tableArg('first', [tab], 'read').firstKey()));
ets('last', 1, (tab) => keyOrEnd(tableArg('last', [tab], 'read').lastKey()));

ets('next', 2, (tab, key) => {
  const k = tableArg('next', [tab, key], 'read').nextKey(key);
  if (k === null) fail('next', [tab, key]);
  return keyOrEnd(k);
});

ets('prev', 2, (tab, key) => {
  const k = tableArg('prev', [tab, key], 'read').prevKey(key);
  if (k === null) fail('prev', [tab, key]);
  return keyOrEnd(k);
});

ets('slot', 2, (tab, i) => {
  const t = tableArg('slot', [tab, i], 'read');
  if (typeof i !== 'number' || i < 0 || i > t.slots) fail('slot', [tab, i]);
  // an ordered_set's i-th object is found by walking to it
  if (t.type === 'ordered_set') chargeElements(i);
  const objs = t.slot(i);
  return objs === undefined ? A.end_of_table : list(objs);
});

// ---------- counters and elements ----------

interface CounterOp {
  pos: number;
  incr: bigint;
  threshold?: bigint;
  setValue?: bigint;
}

/** One update operation, or undefined when it is not one. */
function counterOp(t: Table, op: Term): CounterOp | undefined {
  if (isInteger(op)) return { pos: t.keypos + 1, incr: toBigInt(op) };
  if (!(op instanceof Tuple)) return undefined;
  const e = op.elements;
  if ((e.length !== 2 && e.length !== 4) || !e.every(isInteger)) return undefined;
  const pos = e[0];
  if (typeof pos !== 'number') return { pos: -1, incr: 0n };
  if (e.length === 2) return { pos, incr: toBigInt(e[1] as number | bigint) };
  return { pos, incr: toBigInt(e[1] as number | bigint), threshold: toBigInt(e[2] as number | bigint), setValue: toBigInt(e[3] as number | bigint) };
}

function updateCounter(fn: string, args: Term[], dflt: Term | undefined): Term {
  const [tab, key, opT] = args;
  const t = tableArg(fn, args, 'write');
  if (t.isBag) fail(fn, args, 'table_type');
  const many = opT === NIL || opT instanceof List;
  const opTerms = many ? listToArray(opT) : [opT];
  if (opTerms === undefined) fail(fn, args);
  const ops: CounterOp[] = [];
  for (const o of opTerms) {
    const op = counterOp(t, o);
    if (op === undefined) fail(fn, args);
    ops.push(op);
  }
  let objs = t.lookup(key);
  let inserted: Tuple | undefined;
  if (objs.length === 0) {
    if (dflt === undefined) fail(fn, args, 'badkey');
    if (!(dflt instanceof Tuple) || dflt.elements.length < t.keypos) fail(fn, args);
    const es = dflt.elements.slice();
    es[t.keypos - 1] = key;
    inserted = new Tuple(es);
    objs = [inserted];
  }
  const old = objs[0];
  const es = old.elements.slice();
  const results: Term[] = [];
  for (const op of ops) {
    if (op.pos === t.keypos) fail(fn, args, 'keypos');
    if (op.pos < 1 || op.pos > es.length) fail(fn, args, 'position');
    const cur = es[op.pos - 1];
    if (!isInteger(cur)) fail(fn, args);
    let v = toBigInt(cur) + op.incr;
    if (op.threshold !== undefined) {
      if ((op.incr >= 0n && v > op.threshold) || (op.incr < 0n && v < op.threshold)) v = op.setValue!;
    }
    const r = normInt(v);
    es[op.pos - 1] = r;
    results.push(r);
  }
  const updated = new Tuple(es);
  if (inserted !== undefined) t.insert(updated);
  else t.replace(old, updated);
  return many ? list(results) : results[0];
}

ets('update_counter', 3, (tab, key, op) => updateCounter('update_counter', [tab, key, op], undefined));
ets('update_counter', 4, (tab, key, op, dflt) => updateCounter('update_counter', [tab, key, op, dflt], dflt));

ets('update_element', 3, (tab, key, spec) => {
  const args = [tab, key, spec];
  const t = tableArg('update_element', args, 'write');
  if (t.isBag) fail('update_element', args, 'table_type');
  const specs = spec instanceof Tuple ? [spec] : listToArray(spec);
  if (specs === undefined) fail('update_element', args);
  const changes: [number, Term][] = [];
  for (const s of specs) {
    if (!(s instanceof Tuple) || s.elements.length !== 2 || typeof s.elements[0] !== 'number' || s.elements[0] < 1) fail('update_element', args);
    changes.push([s.elements[0], s.elements[1]]);
  }
  const objs = t.lookup(key);
  if (objs.length === 0) return FALSE;
  const old = objs[0];
  const es = old.elements.slice();
  for (const [pos, v] of changes) {
    if (pos === t.keypos) fail('update_element', args, 'keypos');
    if (pos > es.length) fail('update_element', args);
    es[pos - 1] = v;
  }
  t.replace(old, new Tuple(es));
  return TRUE;
});

// ---------- the table itself ----------

ets('rename', 2, (tab, name) => {
  const args = [tab, name];
  const t = tableArg('rename', args, 'write');
  if (!(name instanceof Atom)) fail('rename', args);
  if (!rename(t, name)) fail('rename', args);
  return t.id;
});

ets('whereis', 1, (name) => {
  if (!(name instanceof Atom)) fail('whereis', [name]);
  return tableByName(name)?.tid ?? UNDEFINED;
});

ets('all', 0, () => list(allTables().map((t) => t.id)));

ets('give_away', 3, (tab, pid, gift) => {
  const args = [tab, pid, gift];
  const t = tableArg('give_away', args, 'write');
  if (t.owner !== self()) fail('give_away', args, 'not_owner');
  if (!(pid instanceof Pid)) fail('give_away', args);
  const to = node.isLocal(pid) ? node.process(pid) : undefined;
  if (to === undefined || !to.alive) fail('give_away', args);
  if (to === t.owner) fail('give_away', args, 'owner');
  transfer(t, to, self().pid, gift);
  return TRUE;
});

function heirOption(o: Term): Heir | undefined | null {
  if (!(o instanceof Tuple) || o.elements[0] !== A.heir) return null;
  if (o.elements.length === 2 && o.elements[1] === A.none) return undefined;
  if (o.elements.length === 3 && o.elements[1] instanceof Pid && node.isLocal(o.elements[1])) return { pid: o.elements[1], data: o.elements[2] };
  return null;
}

ets('setopts', 2, (tab, opts) => {
  const args = [tab, opts];
  const t = tableArg('setopts', args, 'write');
  if (t.owner !== self()) fail('setopts', args, 'not_owner');
  const list_ = opts instanceof Tuple ? [opts] : listToArray(opts);
  if (list_ === undefined) fail('setopts', args);
  const changes: Array<(t: Table) => void> = [];
  for (const o of list_) {
    const heir = heirOption(o);
    if (heir !== null) changes.push((t) => (t.heir = heir));
    else if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === A.protection) {
      const p = o.elements[1];
      if (p !== A.public && p !== A.protected && p !== A.private) fail('setopts', args);
      changes.push((t) => (t.protection = p.name as Protection));
    } else fail('setopts', args);
  }
  for (const c of changes) c(t);
  return TRUE;
});

ets('safe_fixtable', 2, (tab, flag) => {
  const args = [tab, flag];
  const t = tableArg('safe_fixtable', args, 'read');
  if (flag !== TRUE && flag !== FALSE) fail('safe_fixtable', args);
  fix(t, self(), flag === TRUE);
  return TRUE;
});

/** safe_fixtable: count the process's fixations (the table keeps no order promise beyond what it has). */
export function fix(t: Table, p: Process, on: boolean): void {
  const n = t.fixes?.get(p) ?? 0;
  if (on) {
    if (t.fixes === undefined || t.fixes.size === 0) t.fixedAt = fixationTime();
    (t.fixes ??= new Map()).set(p, n + 1);
  } else if (n > 1) t.fixes!.set(p, n - 1);
  else t.fixes?.delete(p);
}

function fixationTime(): Term {
  const us = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
  return tuple(normInt(us / 1000000000000n), normInt((us / 1000000n) % 1000000n), normInt(us % 1000000n));
}

// ---------- info ----------

/** Words a term takes in a table, as OTP counts them (64-bit). */
export function termWords(t: Term): number {
  if (typeof t === 'number') return Math.abs(t) < 2 ** 59 ? 0 : 2;
  if (typeof t === 'bigint') return 1 + Math.ceil((t < 0n ? -t : t).toString(16).length / 16);
  if (t instanceof Atom || t === NIL) return 0;
  if (t instanceof ErlFloat) return 2;
  if (t instanceof Tuple) {
    let n = 1 + t.elements.length;
    for (const e of t.elements) n += termWords(e);
    return n;
  }
  if (t instanceof List) {
    let n = 0;
    let l: Term = t;
    while (l instanceof List) {
      n += 2 + termWords(l.head);
      l = l.tail;
    }
    return n + termWords(l);
  }
  if (t instanceof Bin) return 6;
  if (t instanceof ErlMap) {
    // a flatmap: header, size, keys tuple and the values
    let n = 4 + 2 * t.size;
    for (const [k, v] of t.entries.values()) n += termWords(k) + termWords(v);
    return n;
  }
  if (t instanceof Pid || t instanceof Port) return node.isLocal(t as Pid) ? 0 : 5;
  if (t instanceof Ref) return 4;
  if (t instanceof Fun) {
    const i = t.info;
    if (i.kind === 'export') return 2;
    let n = 5;
    if (i.kind === 'local') for (const f of i.free) n += 1 + termWords(f);
    return n;
  }
  return 1;
}

function memoryWords(t: Table): number {
  let n = t.type === 'ordered_set' ? 139 : 305;
  const perObject = t.type === 'ordered_set' ? 5 : 4;
  // (BEAM keeps the count; here every object is measured, a reduction's work each)
  bumpReductions(t.size);
  for (const obj of t.objects()) n += perObject + termWords(obj);
  return n + t.extraWords;
}

const INFO_ITEMS = [
  'id', 'decentralized_counters', 'read_concurrency', 'write_concurrency', 'compressed', 'memory', 'owner', 'heir',
  'name', 'size', 'node', 'named_table', 'type', 'keypos', 'protection',
];

function infoItem(t: Table, item: string): Term | undefined {
  switch (item) {
    case 'id':
      return t.tid;
    case 'decentralized_counters':
      return bool(t.decentralizedCounters);
    case 'read_concurrency':
      return bool(t.readConcurrency);
    case 'write_concurrency':
      return t.writeConcurrency;
    case 'compressed':
      return bool(t.compressed);
    case 'memory':
      return memoryWords(t);
    case 'owner':
      return t.owner.pid;
    case 'heir':
      return t.heir?.pid ?? A.none;
    case 'name':
      return t.name;
    case 'size':
      return t.size;
    case 'node':
      return node.name;
    case 'named_table':
      return bool(t.named);
    case 'type':
      return atom(t.type);
    case 'keypos':
      return t.keypos;
    case 'protection':
      return atom(t.protection);
    case 'fixed':
      return bool(t.fixes !== undefined && t.fixes.size > 0);
    case 'safe_fixed':
    case 'safe_fixed_monotonic_time': {
      if (t.fixes === undefined || t.fixes.size === 0) return FALSE;
      const time = item === 'safe_fixed' ? t.fixedAt! : normInt(BigInt(Math.round(performance.now() * 1e6)));
      return tuple(time, list([...t.fixes].map(([p, n]) => tuple(p.pid, n))));
    }
    case 'stats':
      return tuple(t.keyCount, t.keyCount, 0, 0, 0, 0, t.size);
    case 'binary':
      return NIL;
    default:
      return undefined;
  }
}

/** The table info/1,2 is about, or undefined when there is none. */
function infoTable(fn: string, args: Term[]): Table | undefined {
  const t = args[0];
  if (t instanceof Atom) return tableByName(t);
  if (t instanceof Ref) {
    const tab = tableByTid(t);
    if (tab === undefined && !madeTids.has(t)) fail(fn, args, 'type');
    return tab;
  }
  fail(fn, args, 'type');
}

ets('info', 1, (tab) => {
  const t = infoTable('info', [tab]);
  if (t === undefined) return UNDEFINED;
  return list(INFO_ITEMS.map((i) => tuple(atom(i), infoItem(t, i)!)));
});

ets('info', 2, (tab, item) => {
  const t = infoTable('info', [tab, item]);
  // (OTP answers undefined for an item that is not even an atom)
  if (t === undefined || !(item instanceof Atom)) return UNDEFINED;
  const v = infoItem(t, item.name);
  if (v === undefined) fail('info', [tab, item]);
  return v;
});

// ---------- i/0 ----------

function toText(t: Term): string {
  if (t instanceof Atom) return t.name;
  if (t instanceof Pid) return formatPid(t);
  return String(t);
}

function padRight(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

defineGenBif('ets', 'i', 0, function* () {
  const line = (...cols: string[]) => ` ${padRight(cols[0], 15)} ${padRight(cols[1], 17)} ${padRight(cols[2], 5)} ${padRight(cols[3], 6)} ${padRight(cols[4], 8)} ${cols[5]}\n`;
  let text = line('id', 'name', 'type', 'size', 'mem', 'owner');
  text += ' ----------------------------------------------------------------------------\n';
  const tabs = allTables().sort((a, b) => compareIds(a.id, b.id));
  for (const t of tabs) {
    const owner = t.owner.registeredName ?? t.owner.pid;
    const id = t.id instanceof Ref ? refText(t.id) : toText(t.id);
    text += line(id, t.name.name, t.type, String(t.size), String(memoryWords(t)), toText(owner));
  }
  const putChars = codeServer.fn(atom('io'), atom('put_chars'), 1);
  yield* trampoline(yield* putChars(list([...text].map((c) => c.codePointAt(0)!))));
  return atom('ok');
});

function refText(r: Ref): string {
  return `#Ref<0.${[...r.ids].reverse().join('.')}>`;
}

function compareIds(a: Term, b: Term): number {
  // atoms sort before refs in term order
  if (a instanceof Atom && b instanceof Atom) return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  if (a instanceof Atom) return -1;
  if (b instanceof Atom) return 1;
  return 0;
}

export { madeTids };
