// Module maps. Bad maps raise {badmap, M}, missing keys {badkey, K}, bad funs and lists badarg,
// each with OTP's argument explanations (erl_stdlib_errors). Functions that take funs are
// generators. Iteration order is the map's key order (as OTP for maps of up to 32 keys).

import { ErlMap, Fun, List, NIL, Term, Tuple, atom, bool, tuple, TRUE, FALSE, OK, ERROR } from '../../vm/term.js';
import { ErlangException, badarg, bifError, erlError } from '../../vm/exception.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { callFun } from '../../vm/abi.js';
import { A, infoError, isProperList, items, libFrame } from '../common.js';

const M = 'maps';
const NOT_MAP = 'not a map';

function listOf(xs: readonly Term[], tail: Term = NIL): Term {
  let l = tail;
  for (let i = xs.length - 1; i >= 0; i--) l = new List(xs[i], l);
  return l;
}

/** Functions OTP writes in Erlang (their errors carry maps.erl's location); the rest are BIFs. */
const ERLANG_WRITTEN = new Set([
  'size', 'update_with', 'get/3', 'filter', 'filtermap', 'foreach', 'fold', 'map', 'to_list', 'iterator',
  'with', 'without', 'intersect', 'intersect_with', 'merge_with', 'next', 'from_keys/x',
]);

function lineOf(name: string, arity: number, line: number): number | undefined {
  return ERLANG_WRITTEN.has(name) || ERLANG_WRITTEN.has(`${name}/${arity}`) ? line : undefined;
}

function badmap(m: Term, name: string, args: Term[], why: Record<number, string>): ErlangException {
  return infoError(tuple(A.badmap, m), M, name, args, why, lineOf(name, args.length, 581));
}

/** badarg from maps: `funCheck` when raised for a bad fun or iterator (OTP's badarg_with_info). */
function mapsBadarg(name: string, args: Term[], why: Record<number, string> | undefined, funCheck = false): ErlangException {
  return infoError(A.badarg, M, name, args, why, lineOf(name, args.length, funCheck ? 578 : 581));
}

/** The map argument at 1-based position `pos`, or {badmap, M} explaining that argument. */
function mapArg(m: Term, pos: number, name: string, args: Term[]): ErlMap {
  if (m instanceof ErlMap) return m;
  throw badmap(m, name, args, { [pos]: NOT_MAP });
}

const sortedCache = new WeakMap<ErlMap, [Term, Term][]>();

/** Entries in iteration order (cached: iterators walk the same array). */
export function entriesOf(m: ErlMap): [Term, Term][] {
  let e = sortedCache.get(m);
  if (e === undefined) {
    e = m.sorted();
    sortedCache.set(m, e);
  }
  return e;
}

function mustBeList(t: Term): string {
  return t instanceof List || t === NIL ? 'not a proper list' : 'not a list';
}

function funWhy(f: Term, arity: number): string | undefined {
  if (f instanceof Fun && f.arity === arity) return undefined;
  return `not a fun that takes ${['zero', 'one', 'two', 'three'][arity]} argument${arity === 1 ? '' : 's'}`;
}

const pure = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(M, name, arity, impl);
const gen = (name: string, arity: number, impl: (...args: Term[]) => Generator<unknown, Term, unknown>): void =>
  defineGenBif(M, name, arity, impl);

pure('new', 0, () => new ErlMap());

pure('get', 2, (k, m) => {
  const map = mapArg(m, 2, 'get', [k, m]);
  const v = map.get(k);
  if (v === undefined) throw bifError(tuple(A.badkey, k), M, 'get', [k, m], { 1: 'not present in map' });
  return v;
});

pure('get', 3, (k, m, d) => {
  if (!(m instanceof ErlMap)) throw infoError(tuple(A.badmap, m), M, 'get', [k, m, d], { 2: NOT_MAP }, 581);
  return m.get(k) ?? d;
});

pure('find', 2, (k, m) => {
  const v = mapArg(m, 2, 'find', [k, m]).get(k);
  return v === undefined ? ERROR : tuple(OK, v);
});

pure('is_key', 2, (k, m) => bool(mapArg(m, 2, 'is_key', [k, m]).has(k)));
pure('put', 3, (k, v, m) => mapArg(m, 3, 'put', [k, v, m]).put(k, v));
pure('remove', 2, (k, m) => mapArg(m, 2, 'remove', [k, m]).remove(k));
pure('size', 1, (m) => mapArg(m, 1, 'size', [m]).size);
pure('keys', 1, (m) => listOf(entriesOf(mapArg(m, 1, 'keys', [m])).map((e) => e[0])));
pure('values', 1, (m) => listOf(entriesOf(mapArg(m, 1, 'values', [m])).map((e) => e[1])));
pure('to_list', 1, (m) => listOf(entriesOf(mapArg(m, 1, 'to_list', [m])).map(([k, v]) => tuple(k, v))));

pure('take', 2, (k, m) => {
  const map = mapArg(m, 2, 'take', [k, m]);
  const v = map.get(k);
  return v === undefined ? ERROR : tuple(v, map.remove(k));
});

pure('update', 3, (k, v, m) => {
  const map = mapArg(m, 3, 'update', [k, v, m]);
  if (!map.has(k)) throw bifError(tuple(A.badkey, k), M, 'update', [k, v, m], { 3: NOT_MAP });
  return map.put(k, v);
});

pure('from_list', 1, (l) => {
  const xs = items(l);
  if (xs === undefined) throw badarg(M, 'from_list', [l], { 1: mustBeList(l) });
  const pairs: [Term, Term][] = [];
  for (const x of xs) {
    if (!(x instanceof Tuple) || x.elements.length !== 2) throw badarg(M, 'from_list', [l]);
    pairs.push([x.elements[0], x.elements[1]]);
  }
  return ErlMap.from(pairs);
});

pure('from_keys', 2, (l, v) => {
  const xs = items(l);
  if (xs === undefined) throw badarg(M, 'from_keys', [l, v], { 1: mustBeList(l) });
  return ErlMap.from(xs.map((k) => [k, v] as [Term, Term]));
});

pure('merge', 2, (a, b) => {
  if (!(a instanceof ErlMap) || !(b instanceof ErlMap)) {
    const why: Record<number, string> = {};
    if (!(a instanceof ErlMap)) why[1] = NOT_MAP;
    if (!(b instanceof ErlMap)) why[2] = NOT_MAP;
    throw badmap(a instanceof ErlMap ? b : a, 'merge', [a, b], why);
  }
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const m = new Map(a.entries);
  for (const [key, e] of b.entries) m.set(key, e);
  return new ErlMap(m);
});

function withWhy(l: Term, m: Term): Record<number, string> {
  const why: Record<number, string> = {};
  if (!isProperList(l)) why[1] = mustBeList(l);
  if (!(m instanceof ErlMap)) why[2] = NOT_MAP;
  return why;
}

pure('with', 2, (l, m) => {
  const ks = items(l);
  if (!(m instanceof ErlMap)) throw badmap(m, 'with', [l, m], withWhy(l, m));
  if (ks === undefined) throw mapsBadarg('with', [l, m], withWhy(l, m));
  const pairs: [Term, Term][] = [];
  for (const k of ks) {
    const v = m.get(k);
    if (v !== undefined) pairs.push([k, v]);
  }
  return ErlMap.from(pairs);
});

pure('without', 2, (l, m) => {
  const ks = items(l);
  if (!(m instanceof ErlMap)) throw badmap(m, 'without', [l, m], withWhy(l, m));
  if (ks === undefined) throw mapsBadarg('without', [l, m], withWhy(l, m));
  let out = m;
  for (const k of ks) out = out.remove(k);
  return out;
});

pure('intersect', 2, (a, b) => {
  if (!(a instanceof ErlMap) || !(b instanceof ErlMap)) {
    const why: Record<number, string> = {};
    if (!(a instanceof ErlMap)) why[1] = NOT_MAP;
    if (!(b instanceof ErlMap)) why[2] = NOT_MAP;
    throw badmap(a instanceof ErlMap ? b : a, 'intersect', [a, b], why);
  }
  const m = new Map<unknown, [Term, Term]>();
  for (const [key, e] of b.entries) if (a.entries.has(key)) m.set(key, e);
  return new ErlMap(m);
});

// ---------- iterators: [Index | Map], as OTP 25 prints them ----------

pure('iterator', 1, (m) => new List(0, mapArg(m, 1, 'iterator', [m])));

/** The rest of an iteration from entry i on, as OTP 25 hands it out: {K, V, Next} ... none. */
function chain(es: [Term, Term][], i: number): Term {
  let out: Term = atom('none');
  for (let j = es.length - 1; j >= i; j--) out = tuple(es[j][0], es[j][1], out);
  return out;
}

/** The remaining entries of an iterator, or undefined when it is not one. */
function iterEntries(it: Term): [Term, Term][] | undefined {
  if (it === atom('none')) return [];
  if (it instanceof List && typeof it.head === 'number' && it.tail instanceof ErlMap) return entriesOf(it.tail).slice(it.head);
  if (it instanceof Tuple && it.elements.length === 3) {
    const out: [Term, Term][] = [];
    let t: Term = it;
    while (t instanceof Tuple && t.elements.length === 3) {
      out.push([t.elements[0], t.elements[1]]);
      t = t.elements[2];
    }
    return t === atom('none') ? out : undefined;
  }
  return undefined;
}

pure('next', 1, (it) => {
  if (it === atom('none')) return atom('none');
  if (it instanceof Tuple && it.elements.length === 3) return it;
  if (it instanceof List && typeof it.head === 'number' && it.tail instanceof ErlMap) {
    const es = entriesOf(it.tail);
    return it.head >= es.length ? atom('none') : (chain(es, it.head) as Tuple);
  }
  throw mapsBadarg('next', [it], { 1: 'not a valid iterator' }, true);
});

/** The entries of a map or an iterator argument, or the error OTP gives. */
function mapOrIter(m: Term, pos: number, name: string, args: Term[], f: Term, arity: number): [Term, Term][] {
  const fw = funWhy(f, arity);
  let es: [Term, Term][] | undefined;
  if (m instanceof ErlMap) es = entriesOf(m);
  else es = iterEntries(m);
  if (es === undefined || fw !== undefined) {
    const why: Record<number, string> = {};
    if (fw) why[1] = fw;
    if (es === undefined) why[pos] = 'not a map or an iterator';
    if (es === undefined) throw badmap(m, name, args, why);
    throw mapsBadarg(name, args, why, true);
  }
  return es;
}

gen('fold', 3, function* (f, acc0, m) {
  const es = mapOrIter(m, 3, 'fold', [f, acc0, m], f, 3);
  let acc = acc0;
  for (const [k, v] of es) acc = yield* callFun(f, [k, v, acc]);
  return acc;
});

gen('map', 2, function* (f, m) {
  const es = mapOrIter(m, 2, 'map', [f, m], f, 2);
  const out: [Term, Term][] = [];
  for (const [k, v] of es) out.push([k, yield* callFun(f, [k, v])]);
  return ErlMap.from(out);
});

gen('filter', 2, function* (f, m) {
  const es = mapOrIter(m, 2, 'filter', [f, m], f, 2);
  const out: [Term, Term][] = [];
  for (const [k, v] of es) {
    const r = yield* callFun(f, [k, v]);
    if (r === TRUE) out.push([k, v]);
    else if (r !== FALSE) throw erlError(tuple(atom('bad_filter'), r), listOf([libFrame(M, 'filter_1', 3, 0)]));
  }
  return ErlMap.from(out);
});

gen('filtermap', 2, function* (f, m) {
  const es = mapOrIter(m, 2, 'filtermap', [f, m], f, 2);
  const out: [Term, Term][] = [];
  for (const [k, v] of es) {
    const r = yield* callFun(f, [k, v]);
    if (r === TRUE) out.push([k, v]);
    else if (r instanceof Tuple && r.elements.length === 2 && r.elements[0] === TRUE) out.push([k, r.elements[1]]);
    else if (r !== FALSE) throw erlError(tuple(atom('bad_filter'), r), listOf([libFrame(M, 'filtermap_1', 3, 0)]));
  }
  return ErlMap.from(out);
});

gen('foreach', 2, function* (f, m) {
  const es = mapOrIter(m, 2, 'foreach', [f, m], f, 2);
  for (const [k, v] of es) yield* callFun(f, [k, v]);
  return atom('ok');
});

gen('update_with', 3, function* (k, f, m) {
  const fw = funWhy(f, 1);
  if (!(m instanceof ErlMap)) throw badmap(m, 'update_with', [k, f, m], fw ? { 2: fw, 3: NOT_MAP } : { 3: NOT_MAP });
  if (fw) throw mapsBadarg('update_with', [k, f, m], { 2: fw });
  const v = m.get(k);
  if (v === undefined) throw erlError(tuple(A.badkey, k), listOf([libFrame(M, 'update_with', [k, f, m], 265)]));
  return m.put(k, yield* callFun(f, [v]));
});

gen('update_with', 4, function* (k, f, init, m) {
  const fw = funWhy(f, 1);
  if (!(m instanceof ErlMap)) throw badmap(m, 'update_with', [k, f, init, m], fw ? { 2: fw, 4: NOT_MAP } : { 4: NOT_MAP });
  if (fw) throw mapsBadarg('update_with', [k, f, init, m], { 2: fw });
  const v = m.get(k);
  if (v === undefined) return m.put(k, init);
  return m.put(k, yield* callFun(f, [v]));
});

gen('merge_with', 3, function* (f, a, b) {
  const fw = funWhy(f, 3);
  if (!(a instanceof ErlMap) || !(b instanceof ErlMap) || fw) {
    const why: Record<number, string> = {};
    if (fw) why[1] = fw;
    if (!(a instanceof ErlMap)) why[2] = NOT_MAP;
    if (!(b instanceof ErlMap)) why[3] = NOT_MAP;
    if (!(a instanceof ErlMap) || !(b instanceof ErlMap)) throw badmap(a instanceof ErlMap ? b : a, 'merge_with', [f, a, b], why);
    throw mapsBadarg('merge_with', [f, a, b], why);
  }
  const m = new Map(a.entries);
  for (const [key, [k, v2]] of b.entries) {
    const e = m.get(key);
    m.set(key, e === undefined ? [k, v2] : [k, yield* callFun(f, [k, e[1], v2])]);
  }
  return new ErlMap(m);
});

gen('intersect_with', 3, function* (f, a, b) {
  const fw = funWhy(f, 3);
  if (!(a instanceof ErlMap) || !(b instanceof ErlMap) || fw) {
    const why: Record<number, string> = {};
    if (fw) why[1] = fw;
    if (!(a instanceof ErlMap)) why[2] = NOT_MAP;
    if (!(b instanceof ErlMap)) why[3] = NOT_MAP;
    if (!(a instanceof ErlMap) || !(b instanceof ErlMap)) throw badmap(a instanceof ErlMap ? b : a, 'intersect_with', [f, a, b], why);
    throw mapsBadarg('intersect_with', [f, a, b], why);
  }
  const m = new Map<unknown, [Term, Term]>();
  for (const [key, [k, v1]] of a.entries) {
    const e = b.entries.get(key);
    if (e !== undefined) m.set(key, [k, yield* callFun(f, [k, v1, e[1]])]);
  }
  return new ErlMap(m);
});


