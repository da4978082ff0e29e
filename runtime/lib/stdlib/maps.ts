// Module maps. Bad maps raise {badmap, M}, missing keys {badkey, K}, bad funs and lists badarg,
// each with OTP's argument explanations (erl_stdlib_errors). Functions that take funs are
// generators; what a fun raises gains the frames of OTP's maps.erl its trace shows there.
// Iteration order is the map's key order (as OTP for maps of up to 32 keys).
// Long walks are charged to the caller as BEAM charges them: keys, values and merge as BIFs
// (chargeElements, a reduction per 16 entries), what OTP does in Erlang or charges per entry
// (to_list, from_list, with, without, intersect) a reduction per entry (bumpReductions).

import { ErlMap, Fun, List, NIL, Term, Tuple, atom, bool, mapKey, tuple, TRUE, FALSE, OK, ERROR } from '../../vm/term.js';
import { ErlangException, badarg, bifError, erlError } from '../../vm/exception.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { callFun } from '../../vm/abi.js';
import { A, infoError, isProperList, items, libFrame } from '../common.js';
import { passedThrough } from './erl_eval_frames.js';
import { bumpReductions, chargeElements } from '../../vm/scheduler.js';

const M = 'maps';
const NOT_MAP = 'not a map';

/** A list of xs, charged to the caller as the work it is (keys, values, to_list of a big map). */
function listOf(xs: readonly Term[], tail: Term = NIL): Term {
  chargeElements(xs.length);
  let l = tail;
  for (let i = xs.length - 1; i >= 0; i--) l = new List(xs[i], l);
  return l;
}

/** Functions OTP writes in Erlang (their errors carry maps.erl's location); the rest are BIFs. */
const ERLANG_WRITTEN = new Set([
  'size', 'update_with', 'get/3', 'filter', 'filtermap', 'foreach', 'fold', 'map', 'to_list', 'iterator',
  'with', 'without', 'intersect', 'intersect_with', 'merge_with', 'next', 'from_keys/x', 'groups_from_list',
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
    // sorting the entries is the work; once cached, what the caller builds of them charges
    chargeElements(m.size);
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
pure('to_list', 1, (m) => {
  const es = entriesOf(mapArg(m, 1, 'to_list', [m]));
  // OTP's to_list is Erlang, walking an iterator: a reduction or more per entry
  bumpReductions(es.length);
  return listOf(es.map(([k, v]) => tuple(k, v)));
});

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
  bumpReductions(xs.length);
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
  bumpReductions(xs.length);
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
  // a few entries into a big map: put them (a put is O(1)) rather than copy the big one
  if (b.size * 16 < a.size) {
    chargeElements(b.size);
    let out = a;
    for (const [k, v] of b.entries.values()) out = out.put(k, v);
    return out;
  }
  chargeElements(a.size + b.size);
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
  bumpReductions(ks.length);
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
  bumpReductions(ks.length);
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
  bumpReductions(b.size);
  const m = new Map<unknown, [Term, Term]>();
  for (const [key, e] of b.entries) if (a.entries.has(key)) m.set(key, e);
  return new ErlMap(m);
});

// ---------- iterators: [Index | Map], as OTP 25 prints them ----------

pure('iterator', 1, (m) => new List(0, mapArg(m, 1, 'iterator', [m])));

/** The rest of an iteration from entry i on, as OTP 25 hands it out: {K, V, Next} ... none. */
function chain(es: [Term, Term][], i: number): Term {
  chargeElements(es.length - i);
  let out: Term = atom('none');
  for (let j = es.length - 1; j >= i; j--) out = tuple(es[j][0], es[j][1], out);
  return out;
}

// ---------- ordered iterators: [Keys | Map], as OTP 26's maps:iterator/2 makes them ----------
// (OTP 25 has iterator/1 only; iterator/2 is OTP 26's, for programs written for it.)

const ORDERED = atom('ordered');
const REVERSED = atom('reversed');

/** An ordered iterator: [Keys | Map] with the keys still to visit. */
function isOrderedIter(it: Term): it is List {
  return it instanceof List && (it.head === NIL || it.head instanceof List) && it.tail instanceof ErlMap;
}

/** Keys sorted by Le(A, B) (A may come before B), a stable merge sort as lists:sort/2. */
function* sortKeys(le: Term, keys: Term[]): Generator<unknown, Term[], unknown> {
  if (keys.length < 2) return keys;
  const mid = keys.length >> 1;
  const a = yield* sortKeys(le, keys.slice(0, mid));
  const b = yield* sortKeys(le, keys.slice(mid));
  const out: Term[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if ((yield* callFun(le, [a[i], b[j]])) === TRUE) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out.concat(a.slice(i), b.slice(j));
}

gen('iterator', 2, function* (m, order) {
  const isOrder = order === atom('undefined') || order === ORDERED || order === REVERSED || (order instanceof Fun && order.arity === 2);
  if (!(m instanceof ErlMap)) throw badmap(m, 'iterator', [m, order], isOrder ? { 1: NOT_MAP } : { 1: NOT_MAP, 2: 'not a valid iterator order' });
  if (!isOrder) throw mapsBadarg('iterator', [m, order], { 2: 'not a valid iterator order' });
  if (order === atom('undefined')) return new List(0, m);
  const keys = entriesOf(m).map((e) => e[0]);
  if (order === ORDERED) return new List(listOf(keys), m);
  if (order === REVERSED) return new List(listOf(keys.reverse()), m);
  return new List(listOf(yield* sortKeys(order, keys)), m);
});

/** The remaining entries of an iterator, or undefined when it is not one. */
function iterEntries(it: Term): [Term, Term][] | undefined {
  if (it === atom('none')) return [];
  if (isOrderedIter(it)) {
    const ks = items(it.head);
    const m = it.tail as ErlMap;
    return ks?.map((k) => [k, m.get(k)!] as [Term, Term]);
  }
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
  if (isOrderedIter(it)) {
    if (it.head === NIL) return atom('none');
    const ks = it.head as List;
    return tuple(ks.head, (it.tail as ErlMap).get(ks.head) ?? atom('undefined'), new List(ks.tail, it.tail));
  }
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

/** Call f(args) as maps.erl's function does at that point: an exception gains those frames. */
function* callIn(f: Term, args: Term[], frames: () => Tuple[]): Generator<unknown, Term, unknown> {
  try {
    return yield* callFun(f, args);
  } catch (e) {
    throw passedThrough(e, f, frames());
  }
}

const frame = (name: string, arity: number, line: number): Tuple => libFrame(M, name, arity, line);

gen('fold', 3, function* (f, acc0, m) {
  const es = mapOrIter(m, 3, 'fold', [f, acc0, m], f, 3);
  let acc = acc0;
  for (const [k, v] of es) acc = yield* callIn(f, [k, v, acc], () => [frame('fold_1', 3, 411)]);
  return acc;
});

// map_1/2 builds [{K, Fun(K, V)} | map_1(...)]: past the first entry, the recursive call's return
// address shows too (once, however deep: BEAM records a repeated one once)
gen('map', 2, function* (f, m) {
  const es = mapOrIter(m, 2, 'map', [f, m], f, 2);
  const out: [Term, Term][] = [];
  for (let i = 0; i < es.length; i++) {
    const [k, v] = es[i];
    const frames = (): Tuple[] => [frame('map_1', 2, 439), ...(i > 0 ? [frame('map_1', 2, 439)] : []), frame('map', 2, 429)];
    out.push([k, yield* callIn(f, [k, v], frames)]);
  }
  return ErlMap.from(out);
});

/**
 * The frames below filter_1/2 or filtermap_1/2 at an entry: the recursive calls made after the
 * entries kept before it (after a dropped one the call is a tail call), innermost first, a
 * repeated line once, then the caller.
 */
function keptFrames(name: string, line: number, kept: number[], caller: string, callerLine: number): Tuple[] {
  const frames = [frame(name, 2, line)];
  let last = 0;
  for (let i = kept.length - 1; i >= 0; i--) {
    if (kept[i] !== 0 && kept[i] !== last) frames.push(frame(name, 2, kept[i]));
    if (kept[i] !== 0) last = kept[i];
  }
  frames.push(frame(caller, 2, callerLine));
  return frames;
}

gen('filter', 2, function* (f, m) {
  const es = mapOrIter(m, 2, 'filter', [f, m], f, 2);
  const out: [Term, Term][] = [];
  const kept: number[] = [];
  const frames = (): Tuple[] => keptFrames('filter_1', 319, kept, 'filter', 310);
  for (const [k, v] of es) {
    const r = yield* callIn(f, [k, v], frames);
    if (r === TRUE) out.push([k, v]);
    else if (r !== FALSE) throw erlError(tuple(A.case_clause, r), listOf(frames()));
    kept.push(r === TRUE ? 321 : 0);
  }
  return ErlMap.from(out);
});

gen('filtermap', 2, function* (f, m) {
  const es = mapOrIter(m, 2, 'filtermap', [f, m], f, 2);
  const out: [Term, Term][] = [];
  const kept: number[] = [];
  const frames = (): Tuple[] => keptFrames('filtermap_1', 351, kept, 'filtermap', 342);
  for (const [k, v] of es) {
    const r = yield* callIn(f, [k, v], frames);
    if (r === TRUE) {
      out.push([k, v]);
      kept.push(353);
    } else if (r instanceof Tuple && r.elements.length === 2 && r.elements[0] === TRUE) {
      out.push([k, r.elements[1]]);
      kept.push(355);
    } else if (r === FALSE) kept.push(0);
    else throw erlError(tuple(A.case_clause, r), listOf(frames()));
  }
  return ErlMap.from(out);
});

gen('foreach', 2, function* (f, m) {
  const es = mapOrIter(m, 2, 'foreach', [f, m], f, 2);
  for (const [k, v] of es) yield* callIn(f, [k, v], () => [frame('foreach_1', 2, 381)]);
  return atom('ok');
});

gen('update_with', 3, function* (k, f, m) {
  const fw = funWhy(f, 1);
  if (!(m instanceof ErlMap)) throw badmap(m, 'update_with', [k, f, m], fw ? { 2: fw, 3: NOT_MAP } : { 3: NOT_MAP });
  if (fw) throw mapsBadarg('update_with', [k, f, m], { 2: fw });
  const v = m.get(k);
  if (v === undefined) throw erlError(tuple(A.badkey, k), listOf([libFrame(M, 'update_with', [k, f, m], 265)]));
  return m.put(k, yield* callIn(f, [v], () => [frame('update_with', 3, 264)]));
});

gen('update_with', 4, function* (k, f, init, m) {
  const fw = funWhy(f, 1);
  if (!(m instanceof ErlMap)) throw badmap(m, 'update_with', [k, f, init, m], fw ? { 2: fw, 4: NOT_MAP } : { 4: NOT_MAP });
  if (fw) throw mapsBadarg('update_with', [k, f, init, m], { 2: fw });
  const v = m.get(k);
  if (v === undefined) return m.put(k, init);
  return m.put(k, yield* callIn(f, [v], () => [frame('update_with', 4, 278)]));
});

/** The badmap or badarg of merge_with/3 and intersect_with/3, or undefined when the arguments are right. */
function combineError(name: string, f: Term, a: Term, b: Term): ErlangException | undefined {
  const fw = funWhy(f, 3);
  if (a instanceof ErlMap && b instanceof ErlMap && !fw) return undefined;
  const why: Record<number, string> = {};
  if (fw) why[1] = fw;
  if (!(a instanceof ErlMap)) why[2] = NOT_MAP;
  if (!(b instanceof ErlMap)) why[3] = NOT_MAP;
  // OTP names the bad fun first (badarg), else the first map that is not one
  if (fw) return mapsBadarg(name, [f, a, b], why);
  return badmap(a instanceof ErlMap ? b : a, name, [f, a, b], why);
}

// Both walk the smaller map (the first when they are as big): the combiner sees its entries in order.
gen('merge_with', 3, function* (f, a, b) {
  const err = combineError('merge_with', f, a, b);
  if (err) throw err;
  const m1 = a as ErlMap;
  const m2 = b as ErlMap;
  const [small, other] = m1.size > m2.size ? [m2, m1] : [m1, m2];
  chargeElements(m1.size + m2.size);
  const m = new Map(other.entries);
  for (const [k, v] of entriesOf(small)) {
    const key = mapKey(k);
    const e = m.get(key);
    if (e === undefined) m.set(key, [k, v]);
    else {
      const [v1, v2] = small === m2 ? [e[1], v] : [v, e[1]];
      m.set(key, [k, yield* callIn(f, [k, v1, v2], () => [frame('merge_with_1', 4, 190)])]);
    }
  }
  return new ErlMap(m);
});

gen('intersect_with', 3, function* (f, a, b) {
  const err = combineError('intersect_with', f, a, b);
  if (err) throw err;
  const m1 = a as ErlMap;
  const m2 = b as ErlMap;
  const [small, big] = m1.size <= m2.size ? [m1, m2] : [m2, m1];
  const out: [Term, Term][] = [];
  for (const [k, v] of entriesOf(small)) {
    const w = big.get(k);
    if (w === undefined) continue;
    const [v1, v2] = small === m1 ? [v, w] : [w, v];
    out.push([k, yield* callIn(f, [k, v1, v2], () => [frame('intersect_with_iterate', 4, 129)])]);
  }
  return ErlMap.from(out);
});

/**
 * groups_from_list: the list's elements grouped by Fun(Elem), each group in list order. Like OTP's,
 * it walks the list from the end (so the funs see the last element first).
 */
function groupArgs(name: string, funs: Term[], l: Term): Term[] {
  const args = [...funs, l];
  const why: Record<number, string> = {};
  funs.forEach((f, i) => {
    const fw = funWhy(f, 1);
    if (fw) why[i + 1] = fw;
  });
  const xs = items(l);
  if (Object.keys(why).length > 0) {
    if (xs === undefined) why[args.length] = mustBeList(l);
    throw mapsBadarg(name, args, why, true);
  }
  if (xs === undefined) throw mapsBadarg(name, args, { [args.length]: mustBeList(l) }, true);
  return xs;
}

function groupInto(groups: Map<unknown, [Term, Term[]]>, key: Term, v: Term): void {
  const id = mapKey(key);
  const g = groups.get(id);
  if (g === undefined) groups.set(id, [key, [v]]);
  else g[1].push(v);
}

function groupsMap(groups: Map<unknown, [Term, Term[]]>): ErlMap {
  return ErlMap.from([...groups.values()].map(([k, vs]) => [k, listOf(vs.reverse())] as [Term, Term]));
}

gen('groups_from_list', 2, function* (f, l) {
  const xs = groupArgs('groups_from_list', [f], l);
  const groups = new Map<unknown, [Term, Term[]]>();
  for (let i = xs.length - 1; i >= 0; i--) {
    groupInto(groups, yield* callIn(f, [xs[i]], () => [frame('groups_from_list_1', 3, 522)]), xs[i]);
  }
  return groupsMap(groups);
});

gen('groups_from_list', 3, function* (f, vf, l) {
  const xs = groupArgs('groups_from_list', [f, vf], l);
  const groups = new Map<unknown, [Term, Term[]]>();
  for (let i = xs.length - 1; i >= 0; i--) {
    const key = yield* callIn(f, [xs[i]], () => [frame('groups_from_list_2', 4, 554)]);
    groupInto(groups, key, yield* callIn(vf, [xs[i]], () => [frame('groups_from_list_2', 4, 555)]));
  }
  return groupsMap(groups);
});
