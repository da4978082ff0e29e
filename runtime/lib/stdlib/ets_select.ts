// ets's match-spec side: match/select (whole, in chunks with continuations, reversed), counting,
// deleting and replacing by match spec, tab2list, foldl/foldr, and the match-spec utilities
// (match_spec_compile/run, is_compiled_ms, test_ms, repair_continuation).
//
// A continuation has OTP's shapes, so it prints like erl's:
//   ordered_set  {Tid, LastKey, [], Limit, MsRef, [], Reverse, 0}   (resumes after LastKey)
//   the others   {Tid, Seq, Limit, MsRef, [], 0}                     (resumes at the Seq-th key made)
// MsRef is a compiled match spec (match_spec_compile's reference).

import { Atom, List, NIL, Ref, Term, Tuple, atom, charlist, exactEqual, list, listToArray, tuple, TRUE, FALSE } from '../../vm/term.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { erlError, ErlangException, frame } from '../../vm/exception.js';
import { node } from '../../vm/node.js';
import { S, bumpReductions, chargeElements } from '../../vm/scheduler.js';
import { callFun } from '../../vm/abi.js';
import { libFrame } from '../common.js';
import { finalTraces, isShellFun, shellFunTop } from './erl_eval_frames.js';
import { CompiledMatchSpec, NO_MATCH, compileMatchSpec, compileReplaceSpec, patternSpec } from '../../vm/match_spec.js';
import { Table, tableByName, tableByTid, type Resume } from './ets_table.js';
import { etsFrame, setCompiledMsCheck } from './ets_errors.js';
import { A, fail, fix, tableArg } from './ets.js';
import { termCompare } from './ets_ordered.js';

const OK = atom('ok');
const ERROR = atom('error');

// ---------- compiled match specs: references ----------

const compiled = new WeakMap<Ref, CompiledMatchSpec>();

function msRef(ms: CompiledMatchSpec): Ref {
  const r = node.makeRef();
  compiled.set(r, ms);
  return r;
}

function compiledOf(t: Term): CompiledMatchSpec | undefined {
  return t instanceof Ref ? compiled.get(t) : undefined;
}

setCompiledMsCheck((t) => compiledOf(t) !== undefined);

/** A match spec argument, compiled (a compiled one's reference is not one: OTP refuses it too). */
function matchSpec(fn: string, args: Term[], i: number, callers?: Tuple[]): CompiledMatchSpec {
  const c = compileMatchSpec(args[i]);
  if (!(c instanceof CompiledMatchSpec)) fail(fn, args, 'none', callers);
  return c;
}

// ---------- running a match spec over a table ----------
// (a scan is charged a reduction per object, as BEAM charges its select and match)

/**
 * Every result of ms over the table, as OTP lists them: an ordered_set's in key order (reversed
 * for select_reverse), a hashed table's from its last bucket back (OTP builds the list walking up).
 */
function selectAll(t: Table, ms: CompiledMatchSpec, reverse = false): Term[] {
  const out: Term[] = [];
  const keys = ms.groundKeys(t.keypos);
  const objects = keys !== undefined ? objectsOfKeys(t, keys, reverse) : t.listed(reverse && t.type === 'ordered_set');
  // the objects scanned, matching or not: a select over a big table is as long as the table
  bumpReductions(objects.length);
  for (const obj of objects) {
    const r = ms.run(obj);
    if (r !== NO_MATCH) out.push(r);
  }
  return out;
}

/**
 * The objects a spec naming its keys can match: an ordered_set's under those keys, in order; a
 * hashed table's in the buckets of those keys, one bucket after another as the spec names them,
 * listed last first as OTP does.
 */
function objectsOfKeys(t: Table, keys: Term[], reverse: boolean): Tuple[] {
  if (t.type === 'ordered_set') {
    const ks = [...keys].sort(termCompare).filter((k, i, a) => i === 0 || termCompare(a[i - 1], k) !== 0);
    if (reverse) ks.reverse();
    return ks.flatMap((k) => t.lookup(k));
  }
  const buckets: number[] = [];
  for (const k of keys) {
    const b = t.bucketOf(k);
    if (!buckets.includes(b)) buckets.push(b);
  }
  const walked: Tuple[][] = [];
  for (const b of buckets) for (const objs of t.keysInBucket(b)) walked.push(objs);
  const out: Tuple[] = [];
  for (let i = walked.length - 1; i >= 0; i--) out.push(...walked[i]);
  return out;
}

interface Chunk {
  results: Term[];
  /** where the next chunk starts; undefined when the walk reached the end */
  next: Resume | undefined;
}

/**
 * At least `limit` results, if there are, from where `from` says: an ordered_set's key by key,
 * a hashed table's bucket by bucket (its chunk listed last first, as OTP builds it).
 */
function selectChunk(t: Table, ms: CompiledMatchSpec, limit: number, from: Resume | undefined, reverse: boolean): Chunk {
  const results: Term[] = [];
  let lastBucket = -1;
  let next: Resume | undefined;
  let scanned = 0;
  for (const [objs, at] of t.walk(from, reverse && t.type === 'ordered_set')) {
    scanned += objs.length;
    if (at.kind === 'bucket') {
      if (at.bucket !== lastBucket && results.length >= limit) {
        next = { kind: 'bucket', bucket: lastBucket + 1 };
        break;
      }
      lastBucket = at.bucket;
    }
    // (a hashed table's keys go in last first; a key's own objects keep their order)
    const mine: Term[] = [];
    for (const obj of objs) {
      const r = ms.run(obj);
      if (r !== NO_MATCH) mine.push(r);
    }
    if (at.kind === 'bucket') results.unshift(...mine);
    else results.push(...mine);
    if (at.kind === 'key' && results.length >= limit) {
      next = at;
      break;
    }
  }
  if (next === undefined && lastBucket >= 0 && results.length >= limit) next = { kind: 'bucket', bucket: lastBucket + 1 };
  bumpReductions(scanned);
  return { results, next };
}

/** A continuation naming the table as the call did (its name or its tid). */
function continuation(tab: Term, next: Resume, limit: number, ref: Ref, reverse: boolean): Term {
  if (next.kind === 'key') return tuple(tab, next.key, NIL, limit, ref, NIL, reverse ? 1 : 0, 0);
  return tuple(tab, next.bucket, limit, ref, NIL, 0);
}

/** A chunk as select/3 returns it: {Results, Continuation}, or '$end_of_table' when there is nothing. */
function chunkResult(tab: Term, c: Chunk, limit: number, ref: Ref, reverse: boolean): Term {
  if (c.results.length === 0 && c.next === undefined) return A.end_of_table;
  const cont = c.next === undefined ? A.end_of_table : continuation(tab, c.next, limit, ref, reverse);
  return tuple(list(c.results), cont);
}

function selectLimited(fn: string, args: Term[], ms: CompiledMatchSpec, reverse: boolean): Term {
  const t = tableArg(fn, args, 'read');
  const limit = args[2];
  if (typeof limit !== 'number' || limit < 1) fail(fn, args);
  const chunk = selectChunk(t, ms, limit, undefined, reverse);
  return chunkResult(args[0], chunk, limit, msRef(ms), reverse);
}

/** select/1, match/1, match_object/1, select_reverse/1: the next chunk after a continuation. */
function resume(fn: string, cont: Term): Term {
  if (cont === A.end_of_table) return A.end_of_table;
  const bad: () => never = () => fail(fn, [cont]);
  if (!(cont instanceof Tuple)) bad();
  const e = cont.elements;
  let from: Resume;
  let limit: Term;
  let ref: Term;
  let reverse = false;
  if (e.length === 8) {
    from = { kind: 'key', key: e[1] };
    limit = e[3];
    ref = e[4];
    reverse = e[6] === 1;
  } else if (e.length === 6 && typeof e[1] === 'number') {
    from = { kind: 'bucket', bucket: e[1] };
    limit = e[2];
    ref = e[3];
  } else return bad();
  const ms = compiledOf(ref);
  const tab = e[0];
  const t = tab instanceof Ref ? tableByTid(tab) : tab instanceof Atom ? tableByName(tab) : undefined;
  if (ms === undefined || t === undefined || typeof limit !== 'number' || limit < 1) return bad();
  if ((from.kind === 'key') !== (t.type === 'ordered_set')) return bad();
  tableArg(fn, [tab], 'read');
  return chunkResult(tab, selectChunk(t, ms, limit, from, reverse), limit, ref as Ref, reverse);
}

// ---------- match and select ----------

defineBif('ets', 'match', 2, (tab, p) => list(selectAll(tableArg('match', [tab, p], 'read'), patternSpec(p, '$$'))));
defineBif('ets', 'match', 3, (tab, p, n) => selectLimited('match', [tab, p, n], patternSpec(p, '$$'), false));
defineBif('ets', 'match', 1, (c) => resume('match', c));

defineBif('ets', 'match_object', 2, (tab, p) => list(selectAll(tableArg('match_object', [tab, p], 'read'), patternSpec(p, '$_'))));
defineBif('ets', 'match_object', 3, (tab, p, n) => selectLimited('match_object', [tab, p, n], patternSpec(p, '$_'), false));
defineBif('ets', 'match_object', 1, (c) => resume('match_object', c));

defineBif('ets', 'select', 2, (tab, ms) => {
  const args = [tab, ms];
  const t = tableArg('select', args, 'read');
  return list(selectAll(t, matchSpec('select', args, 1)));
});
defineBif('ets', 'select', 3, (tab, ms, n) => {
  const args = [tab, ms, n];
  tableArg('select', args, 'read');
  return selectLimited('select', args, matchSpec('select', args, 1), false);
});
defineBif('ets', 'select', 1, (c) => resume('select', c));

defineBif('ets', 'select_reverse', 2, (tab, ms) => {
  const args = [tab, ms];
  const t = tableArg('select_reverse', args, 'read');
  return list(selectAll(t, matchSpec('select_reverse', args, 1), true));
});
defineBif('ets', 'select_reverse', 3, (tab, ms, n) => {
  const args = [tab, ms, n];
  tableArg('select_reverse', args, 'read');
  return selectLimited('select_reverse', args, matchSpec('select_reverse', args, 1), true);
});
defineBif('ets', 'select_reverse', 1, (c) => resume('select_reverse', c));

defineBif('ets', 'select_count', 2, (tab, ms) => {
  const args = [tab, ms];
  const t = tableArg('select_count', args, 'read');
  return selectAll(t, matchSpec('select_count', args, 1)).filter((r) => r === TRUE).length;
});

// ---------- deleting and replacing by match spec ----------

const DELETE_ALL = list([tuple(atom('_'), NIL, list([TRUE]))]);

/** select_delete's work; `callers` are the frames of ets.erl's functions on the way in. */
function selectDelete(tab: Term, ms: Term, callers: Tuple[]): number {
  if (exactEqual(ms, DELETE_ALL)) {
    const t = tableArg('internal_delete_all', [tab, atom('undefined')], 'write', [etsFrame('select_delete', 2, 399), ...callers]);
    const n = t.size;
    chargeElements(n);
    t.clear();
    return n;
  }
  const args = [tab, ms];
  const where = [etsFrame('select_delete', 2, 401), ...callers];
  const t = tableArg('internal_select_delete', args, 'write', where);
  const c = matchSpec('internal_select_delete', args, 1, where);
  const doomed: Tuple[] = [];
  const objects = t.objects();
  for (const obj of objects) if (c.run(obj) === TRUE) doomed.push(obj);
  bumpReductions(objects.length + doomed.length);
  for (const obj of doomed) t.deleteStored(obj);
  return doomed.length;
}

defineBif('ets', 'select_delete', 2, (tab, ms) => selectDelete(tab, ms, []));
defineBif('ets', 'internal_select_delete', 2, (tab, ms) => selectDelete(tab, ms, []));
defineBif('ets', 'match_delete', 2, (tab, p) => {
  selectDelete(tab, list([tuple(p, NIL, list([TRUE]))]), [etsFrame('match_delete', 2, 761)]);
  return TRUE;
});

defineBif('ets', 'select_replace', 2, (tab, ms) => {
  const args = [tab, ms];
  const t = tableArg('select_replace', args, 'write');
  if (t.isBag) fail('select_replace', args, 'table_type');
  const c = compileReplaceSpec(ms, t.keypos);
  if (c === undefined) fail('select_replace', args);
  const changes: [Tuple, Tuple][] = [];
  const objects = t.objects();
  bumpReductions(objects.length);
  for (const obj of objects) {
    const r = c.run(obj);
    if (r === NO_MATCH) continue;
    if (!(r instanceof Tuple) || r.elements.length < t.keypos || termCompare(t.keyOf(r), t.keyOf(obj)) !== 0) continue;
    changes.push([obj, r]);
  }
  for (const [old, obj] of changes) t.replace(old, obj);
  return changes.length;
});

// ---------- whole tables ----------

defineBif('ets', 'tab2list', 1, (tab) => {
  const t = tableArg('match_object', [tab, atom('_')], 'read', [etsFrame('tab2list', 1, 771)]);
  const objects = t.listed();
  bumpReductions(objects.length);
  return list(objects);
});

/**
 * An exception out of foldl/foldr's fun gains the frames BEAM's trace shows there: lists.erl's
 * fold over the key's objects (none where lists:foldr calls the fun in tail position), ets.erl's
 * do_foldl/do_foldr and foldl/foldr, under the shell's frame for a shell fun.
 */
function throughFold(e: unknown, f: Term, name: 'foldl' | 'foldr', first: boolean): unknown {
  if (!(e instanceof ErlangException) || finalTraces.has(e)) return e;
  const frames = listToArray(e.stack) ?? [];
  const top = isShellFun(f) ? shellFunTop(e, f) : undefined;
  if (top !== undefined) frames.push(top);
  if (name === 'foldl') frames.push(first ? libFrame('lists', 'foldl', 3, 1350) : libFrame('lists', 'foldl_1', 3, 1355));
  else if (!first) frames.push(libFrame('lists', 'foldr_1', 3, 1372));
  if (name === 'foldl') frames.push(etsFrame('do_foldl', 4, 646), etsFrame('foldl', 3, 635));
  else frames.push(etsFrame('do_foldr', 4, 673), etsFrame('foldr', 3, 662));
  e.stack = list(frames.slice(0, 8));
  return e;
}

function* fold(name: 'foldl' | 'foldr', f: Term, acc0: Term, tab: Term): Generator<unknown, Term, unknown> {
  const line = name === 'foldl' ? 632 : 659;
  const t = tableArg('safe_fixtable', [tab, TRUE], 'read', [etsFrame(name, 3, line)]);
  // the objects key by key (a bag's key holds several), in the order ets.erl's first/next or
  // last/prev walk them; last/prev are first/next but for an ordered_set
  const groups = t.groups(name === 'foldr' && t.type === 'ordered_set');
  // each object with whether lists:foldl/foldr calls the fun on it from its own first clause
  const objs: [Tuple, boolean][] = [];
  for (const g of groups) {
    if (name === 'foldl') g.forEach((o, j) => objs.push([o, j === 0]));
    else for (let j = g.length - 1; j >= 0; j--) objs.push([g[j], j === 0]);
  }
  bumpReductions(objs.length);
  const me = S.current;
  fix(t, me, true);
  let acc = acc0;
  let i = 0;
  try {
    for (; i < objs.length; i++) acc = yield* callFun(f, [objs[i][0], acc]);
  } catch (e) {
    throw throughFold(e, f, name, objs[i][1]);
  } finally {
    fix(t, me, false);
  }
  return acc;
}

defineGenBif('ets', 'foldl', 3, (f, acc, tab) => fold('foldl', f, acc, tab));
defineGenBif('ets', 'foldr', 3, (f, acc, tab) => fold('foldr', f, acc, tab));

// ---------- match spec utilities ----------

defineBif('ets', 'match_spec_compile', 1, (ms) => {
  const c = compileMatchSpec(ms);
  if (!(c instanceof CompiledMatchSpec)) fail('match_spec_compile', [ms]);
  return msRef(c);
});

defineBif('ets', 'is_compiled_ms', 1, (t) => (compiledOf(t) !== undefined ? TRUE : FALSE));

function matchSpecRun(l: Term, c: Term, acc: Term): Term {
  const ms = compiledOf(c);
  const xs = listToArray(l);
  if (ms === undefined || xs === undefined) {
    throw erlError(atom('badarg'), list([frame('ets', 'match_spec_run_r', [l, c, acc]), etsFrame('match_spec_run', 2, 559)]));
  }
  bumpReductions(xs.length);
  let out = acc;
  for (const x of xs) {
    const r = ms.run(x);
    if (r !== NO_MATCH) out = new List(r, out);
  }
  return out;
}

defineBif('ets', 'match_spec_run_r', 3, matchSpecRun);
defineBif('ets', 'match_spec_run', 2, (l, c) => {
  const rev = listToArray(matchSpecRun(l, c, NIL))!;
  return list(rev.reverse());
});

defineBif('ets', 'test_ms', 2, (obj, ms) => {
  const c = compileMatchSpec(ms);
  if (!(c instanceof CompiledMatchSpec)) return tuple(ERROR, list(c.map((text) => tuple(ERROR, charlist(text)))));
  const r = c.run(obj);
  return tuple(OK, r === NO_MATCH ? FALSE : r);
});

defineBif('ets', 'repair_continuation', 2, (cont, ms) => {
  if (cont === A.end_of_table) return cont;
  if (cont instanceof Tuple && (cont.elements.length === 8 || cont.elements.length === 6)) {
    const i = cont.elements.length === 8 ? 4 : 3;
    if (compiledOf(cont.elements[i]) !== undefined) return cont;
    const c = compileMatchSpec(ms);
    if (!(c instanceof CompiledMatchSpec)) fail('match_spec_compile', [ms]);
    const es = cont.elements.slice();
    es[i] = msRef(c);
    return new Tuple(es);
  }
  throw erlError(atom('function_clause'), list([libFrame('ets', 'repair_continuation', [cont, ms], 566)]));
});
