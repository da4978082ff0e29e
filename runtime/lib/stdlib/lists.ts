// Module lists. Functions that call funs are generators (defineGenBif, callFun); the rest are
// plain. Everything iterates (no JS recursion over list length). Errors follow OTP: the BIFs
// (reverse/2, member/2, keyfind/3, ...) raise badarg with explanations; the functions written in
// Erlang in OTP fail with function_clause at lists.erl's line, carrying the arguments of the
// clause that failed.
//
// Long walks are charged to the caller, so a process looping on them lets the others run: the
// BIFs at BEAM's rate (chargeElements, a reduction per 16 elements), the functions OTP writes in
// Erlang at its rate, a reduction per element (bumpReductions), as a list built here is.

import { Atom, ErlFloat, Fun, canonical as canonicalKey, List, NIL, Term, Tuple, atom, bool, compare, exactEqual, isInteger, tuple, TRUE, FALSE, toBigInt } from '../../vm/term.js';
import { ErlangException, badarg, bifError, erlError } from '../../vm/exception.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { callFun } from '../../vm/abi.js';
import { finalTraces, passedThrough, isShellFun, shellFunTop } from './erl_eval_frames.js';
import { add, sub, append as appendLists, subtract as subtractLists } from '../../vm/ops.js';
import { formatScientific } from './format/float.js';
import { A, fnClause, isProperList, items, libFrame } from '../common.js';
import { charge } from '../../vm/memory.js';
import { bumpReductions, chargeElements } from '../../vm/scheduler.js';

const L = 'lists';

/** Line of each function's first clause in OTP 25's lists.erl (for function_clause frames). */
const LINE: Record<string, number> = {
  keyfind: 83, keymember: 93, keysearch: 103, member: 112, reverse: 122, append: 144, subtract: 166,
  nth: 198, nthtail: 208, prefix: 220, suffix: 232, droplast: 246, last: 256, seq: 271, sum: 317,
  duplicate: 331, min: 343, max: 356, sublist: 372, sublist_2: 388, delete: 404, zip: 419, unzip: 432,
  zip3: 449, unzip3: 464, zipwith: 483, zipwith3: 500, sort: 512, merge: 563, merge3: 578,
  concat: 632, thing_to_list: 635, flatten: 648, flatlength: 672, keydelete: 719, keyreplace: 735,
  keytake: 751, keystore: 768, keysort: 784, keymerge: 848, ukeysort: 879, ukeymerge: 951, keymap: 983,
  enumerate: 993, usort: 1057, umerge: 1090, all: 1265, any: 1288, map: 1313, map_1: 1319,
  flatmap: 1331, foldl: 1348, foldr: 1368, filter: 1382, partition: 1395, filtermap: 1413,
  foreach: 1438, mapfoldl: 1458, mapfoldr: 1479, takewhile: 1495, dropwhile: 1512, search: 1528,
  splitwith: 1546, split: 1564, join: 1586, uniq: 2985,
};

function clause(name: string, args: Term[]): ErlangException {
  return fnClause(L, name, args, LINE[name] ?? 0);
}

/** Run `f`; an exception raised inside gets the frame of lists:name/arity below its own frames. */
function within<T>(name: string, arity: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ErlangException) addFrame(e, name, arity);
    throw e;
  }
}

function addFrame(e: ErlangException, name: string, arity: number): void {
  const frames = items(e.stack) ?? [];
  frames.push(libFrame(L, name, arity, LINE[name] ?? 0));
  e.stack = listOf(frames);
}

/** A list of xs; building it is work the caller's process is charged for, as BEAM's BIFs charge theirs. */
function listOf(xs: readonly Term[], tail: Term = NIL): Term {
  bumpReductions(xs.length);
  let l = tail;
  for (let i = xs.length - 1; i >= 0; i--) l = new List(xs[i], l);
  return l;
}

function isFun(f: Term, arity: number): f is Fun {
  return f instanceof Fun && f.arity === arity;
}

function pure(name: string, arity: number, impl: (...args: Term[]) => Term): void {
  defineBif(L, name, arity, impl);
}

function gen(name: string, arity: number, impl: (...args: Term[]) => Generator<unknown, Term, unknown>): void {
  defineGenBif(L, name, arity, impl);
}

function mustBeList(t: Term): string | undefined {
  if (t instanceof List || t === NIL) return isProperList(t) ? undefined : 'not a proper list';
  return 'not a list';
}

function isTrue(t: Term): boolean {
  return t === TRUE;
}

/** Where OTP's lists.erl branches on a predicate's result: {function, arity, line}. */
const CASE_AT: Record<string, [string, number, number]> = {
  all: ['all', 2, 1268],
  all_1: ['all_1', 2, 1276],
  any: ['any', 2, 1291],
  any_1: ['any_1', 2, 1299],
  partition: ['partition_1', 4, 1399],
  takewhile: ['takewhile_1', 2, 1499],
  dropwhile: ['dropwhile_1', 2, 1516],
  search: ['search_1', 2, 1532],
  splitwith: ['splitwith_1', 3, 1550],
};

/** A fun's boolean result; anything else is the error OTP's code would raise there. */
function boolResult(r: Term, name: string, args: Term[]): boolean {
  if (r === TRUE) return true;
  if (r === FALSE) return false;
  if (name === 'filter') {
    // filter is a list comprehension in OTP: a non-boolean filter value is bad_filter
    throw erlError(tuple(atom('bad_filter'), r), listOf([libFrame(L, '-filter/2-lc$^0/1-0-', 2, 1383)]));
  }
  const [fn, arity, line] = CASE_AT[name] ?? [name, args.length, LINE[name] ?? 0];
  throw erlError(tuple(A.case_clause, r), listOf([libFrame(L, fn, arity, line)]));
}

// ---------- BIFs (badarg with explanations) ----------

pure('reverse', 1, (l) => {
  const xs = items(l);
  if (xs === undefined) {
    // OTP reverses the first two elements itself and hands the rest to reverse/2
    if (l instanceof List && l.tail instanceof List && l.tail.tail instanceof List) {
      throw badarg(L, 'reverse', [l.tail.tail, listOf([l.tail.head, l.head])], { 1: 'not a proper list' });
    }
    throw fnClause(L, 'reverse', [l], 175);
  }
  chargeElements(xs.length);
  let out: Term = NIL;
  for (const x of xs) out = new List(x, out);
  return out;
});

pure('reverse', 2, (l, tail) => {
  let out = tail;
  let t: Term = l;
  let n = 0;
  while (t instanceof List) {
    out = new List(t.head, out);
    t = t.tail;
    n++;
  }
  chargeElements(n);
  if (t !== NIL) throw badarg(L, 'reverse', [l, tail], { 1: mustBeList(l)! });
  return out;
});

pure('member', 2, (x, l) => {
  let t: Term = l;
  let n = 0;
  while (t instanceof List) {
    if (exactEqual(t.head, x)) {
      chargeElements(n);
      return TRUE;
    }
    t = t.tail;
    n++;
  }
  chargeElements(n);
  if (t !== NIL) throw badarg(L, 'member', [x, l], { 2: mustBeList(l)! });
  return FALSE;
});

function keyArgsWhy(pos: Term, l: Term): Record<number, string> {
  const why: Record<number, string> = {};
  if (!isInteger(pos)) why[2] = 'not an integer';
  else if (pos < 1) why[2] = 'out of range';
  const lw = mustBeList(l);
  if (lw) why[3] = lw;
  return why;
}

/** The first tuple in l whose element pos is == key (keyfind compares with ==). */
function keyFind(name: string, key: Term, pos: Term, l: Term): Tuple | undefined {
  if (typeof pos !== 'number' || pos < 1) throw badarg(L, name, [key, pos, l], keyArgsWhy(pos, l));
  let t: Term = l;
  let n = 0;
  while (t instanceof List) {
    const h = t.head;
    if (h instanceof Tuple && h.elements.length >= pos) {
      const e = h.elements[pos - 1];
      if (e === key || compare(e, key) === 0) {
        chargeElements(n);
        return h;
      }
    }
    t = t.tail;
    n++;
  }
  chargeElements(n);
  if (t !== NIL) throw badarg(L, name, [key, pos, l], keyArgsWhy(pos, l));
  return undefined;
}

pure('keyfind', 3, (k, n, l) => keyFind('keyfind', k, n, l) ?? FALSE);
pure('keymember', 3, (k, n, l) => bool(keyFind('keymember', k, n, l) !== undefined));
pure('keysearch', 3, (k, n, l) => {
  const t = keyFind('keysearch', k, n, l);
  return t === undefined ? FALSE : tuple(A.value, t);
});

// ---------- plain functions ----------

pure('append', 2, (a, b) => within('append', 2, () => appendLists(a, b)));

pure('append', 1, (ls) => {
  const xss = items(ls);
  if (xss === undefined) throw clause('append', [ls]);
  let out: Term = NIL;
  for (let i = xss.length - 1; i >= 0; i--) out = within('append', 1, () => appendLists(xss[i], out));
  return out;
});

pure('subtract', 2, (a, b) => within('subtract', 2, () => subtractLists(a, b)));

pure('nth', 2, (n, l) => {
  if (typeof n === 'number' && n >= 1) {
    let t: Term = l;
    let i = n;
    while (i > 1 && t instanceof List) {
      t = t.tail;
      i--;
    }
    bumpReductions(n - i);
    if (t instanceof List) return t.head;
    throw clause('nth', [i, t]);
  }
  throw clause('nth', [n, l]);
});

pure('nthtail', 2, (n, l) => {
  if (typeof n === 'number' && n >= 0) {
    let t: Term = l;
    let i = n;
    while (i > 0 && t instanceof List) {
      t = t.tail;
      i--;
    }
    bumpReductions(n - i);
    if (i === 0 && (t instanceof List || t === NIL)) return t;
    throw clause('nthtail', [i, t]);
  }
  throw clause('nthtail', [n, l]);
});

pure('prefix', 2, (p, l) => {
  let a = p;
  let b = l;
  let n = 0;
  while (a instanceof List && b instanceof List && exactEqual(a.head, b.head)) {
    a = a.tail;
    b = b.tail;
    n++;
  }
  bumpReductions(n);
  if (b instanceof List || b === NIL) {
    if (a === NIL) return TRUE;
    if (a instanceof List) return FALSE;
  }
  throw clause('prefix', [a, b]);
});

pure('suffix', 2, (s, l) => {
  const xs = items(l);
  const ys = items(s);
  if (xs === undefined || ys === undefined) throw bifError(A.badarg, 'erlang', 'length', [xs === undefined ? l : s], { 1: 'not a list' });
  bumpReductions(xs.length + ys.length);
  const d = xs.length - ys.length;
  if (d < 0) return FALSE;
  for (let i = 0; i < ys.length; i++) if (!exactEqual(xs[d + i], ys[i])) return FALSE;
  return TRUE;
});

pure('droplast', 1, (l) => {
  const xs = items(l);
  if (xs === undefined || xs.length === 0) throw clause('droplast', [l]);
  return listOf(xs.slice(0, -1));
});

pure('last', 1, (l) => {
  if (!(l instanceof List)) throw clause('last', [l]);
  let t: Term = l;
  let last: Term = l.head;
  let n = 0;
  while (t instanceof List) {
    last = t.head;
    t = t.tail;
    n++;
  }
  bumpReductions(n);
  if (t !== NIL) throw fnClause(L, 'last', [last, t], 259);
  return last;
});

pure('seq', 2, (from, to) => {
  if (!isInteger(from) || !isInteger(to) || compare(sub(from, 1), to) > 0) throw clause('seq', [from, to]);
  return seqList(from, to, 1);
});

function seqList(from: number | bigint, to: number | bigint, inc: number | bigint): Term {
  // a cons cell is 2 words: the process may be past its heap before the list is built
  const length = Number((toBigInt(to) - toBigInt(from) + toBigInt(inc)) / toBigInt(inc));
  charge(2 * length);
  if (typeof from === 'number' && typeof to === 'number' && typeof inc === 'number') {
    const n = Math.floor((to - from + inc) / inc);
    bumpReductions(n);
    let out: Term = NIL;
    for (let k = n - 1; k >= 0; k--) out = new List(from + k * inc, out);
    return out;
  }
  const out: Term[] = [];
  let x: Term = from;
  if (compare(inc, 0) > 0) for (; compare(x, to) <= 0; x = add(x, inc)) out.push(x);
  else for (; compare(x, to) >= 0; x = add(x, inc)) out.push(x);
  return listOf(out);
}

pure('seq', 3, (from, to, inc) => {
  if (isInteger(from) && isInteger(to) && isInteger(inc)) {
    const fmi = sub(from, inc);
    if ((compare(inc, 0) > 0 && compare(fmi, to) <= 0) || (compare(inc, 0) < 0 && compare(fmi, to) >= 0)) return seqList(from, to, inc);
    if (compare(inc, 0) === 0 && compare(from, to) === 0) return listOf([from]);
  }
  const why: Record<number, string> = {};
  if (!isInteger(from)) why[1] = 'not an integer';
  if (!isInteger(to)) why[2] = 'not an integer';
  if (!isInteger(inc)) why[3] = 'not an integer';
  if (Object.keys(why).length === 0) {
    const fmi = sub(from, inc);
    if (compare(inc, 0) <= 0 && compare(fmi, to) <= 0) why[3] = 'not a positive increment';
    else why[3] = 'not a negative increment';
  }
  throw erlError(A.badarg, listOf([seqFrame([from, to, inc], why)]));
});

function seqFrame(args: Term[], why: Record<number, string>): Tuple {
  // badarg raised by lists:seq/3 itself (erlang:error/3 with error_info), at lists.erl line 299
  const e = badarg(L, 'seq', args, why);
  const f = (e.stack as List).head as Tuple;
  const loc = items(libFrame(L, 'seq', 3, 299).elements[3])!;
  return tuple(...f.elements.slice(0, 3), listOf([...items(f.elements[3])!, ...loc]));
}

pure('sum', 1, (l) => {
  let s: Term = 0;
  let t: Term = l;
  let n = 0;
  while (t instanceof List) {
    const h = t.head;
    s = within('sum', 2, () => add(s, h));
    t = t.tail;
    n++;
  }
  bumpReductions(n);
  if (t !== NIL) throw fnClause(L, 'sum', [t, s], 319);
  return s;
});

pure('duplicate', 2, (n, x) => {
  if (typeof n !== 'number' || n < 0) throw clause('duplicate', [n, x]);
  charge(2 * n);
  bumpReductions(n);
  let out: Term = NIL;
  for (let i = 0; i < n; i++) out = new List(x, out);
  return out;
});

function extreme(name: string, better: (c: number) => boolean): void {
  pure(name, 1, (l) => {
    if (!(l instanceof List)) throw clause(name, [l]);
    let best = l.head;
    let t = l.tail;
    let n = 0;
    while (t instanceof List) {
      if (better(compare(t.head, best))) best = t.head;
      t = t.tail;
      n++;
    }
    bumpReductions(n);
    if (t !== NIL) throw fnClause(L, name, [t, best], LINE[name] + 2);
    return best;
  });
}
extreme('min', (c) => c < 0);
extreme('max', (c) => c > 0);

pure('sublist', 2, (l, n) => {
  if (!isInteger(n) || !(l instanceof List || l === NIL)) throw clause('sublist', [l, n]);
  const out: Term[] = [];
  let t: Term = l;
  let k = n as number;
  while (k > 0 && t instanceof List) {
    out.push(t.head);
    t = t.tail;
    k--;
  }
  if (k < 0 || (k > 0 && t !== NIL)) throw fnClause(L, 'sublist_2', [t, k], 388);
  return listOf(out);
});

pure('sublist', 3, (l, s, n) => {
  if (!(typeof s === 'number' && s >= 1) || !(l instanceof List || l === NIL)) throw clause('sublist', [l, s, n]);
  let t: Term = l;
  let k = s;
  while (k > 1 && t instanceof List) {
    t = t.tail;
    k--;
  }
  bumpReductions(s - k);
  if (k > 1) return NIL;
  if (!isInteger(n) || n < 0) throw clause('sublist', [t, 1, n]);
  const out: Term[] = [];
  let m = n as number;
  while (m > 0 && t instanceof List) {
    out.push(t.head);
    t = t.tail;
    m--;
  }
  return listOf(out);
});

pure('delete', 2, (x, l) => {
  const out: Term[] = [];
  let t: Term = l;
  while (t instanceof List) {
    if (exactEqual(t.head, x)) return listOf(out, t.tail);
    out.push(t.head);
    t = t.tail;
  }
  bumpReductions(out.length);
  if (t !== NIL) throw clause('delete', [x, t]);
  return l;
});

pure('zip', 2, (a, b) => {
  const out: Term[] = [];
  let x = a;
  let y = b;
  while (x instanceof List && y instanceof List) {
    out.push(tuple(x.head, y.head));
    x = x.tail;
    y = y.tail;
  }
  if (x !== NIL || y !== NIL) throw clause('zip', [x, y]);
  return listOf(out);
});

pure('zip3', 3, (a, b, c) => {
  const out: Term[] = [];
  let x = a;
  let y = b;
  let z = c;
  while (x instanceof List && y instanceof List && z instanceof List) {
    out.push(tuple(x.head, y.head, z.head));
    x = x.tail;
    y = y.tail;
    z = z.tail;
  }
  if (x !== NIL || y !== NIL || z !== NIL) throw clause('zip3', [x, y, z]);
  return listOf(out);
});

pure('unzip', 1, (l) => {
  const xs: Term[] = [];
  const ys: Term[] = [];
  let t: Term = l;
  while (t instanceof List) {
    const h = t.head;
    if (!(h instanceof Tuple) || h.elements.length !== 2) throw fnClause(L, 'unzip', [t, listOf(xs.slice().reverse()), listOf(ys.slice().reverse())], 434);
    xs.push(h.elements[0]);
    ys.push(h.elements[1]);
    t = t.tail;
  }
  if (t !== NIL) throw fnClause(L, 'unzip', [t, listOf(xs.slice().reverse()), listOf(ys.slice().reverse())], 434);
  return tuple(listOf(xs), listOf(ys));
});

pure('unzip3', 1, (l) => {
  const xs: Term[] = [];
  const ys: Term[] = [];
  const zs: Term[] = [];
  let t: Term = l;
  while (t instanceof List) {
    const h = t.head;
    if (!(h instanceof Tuple) || h.elements.length !== 3) throw fnClause(L, 'unzip3', [t], 466);
    xs.push(h.elements[0]);
    ys.push(h.elements[1]);
    zs.push(h.elements[2]);
    t = t.tail;
  }
  if (t !== NIL) throw fnClause(L, 'unzip3', [t], 466);
  return tuple(listOf(xs), listOf(ys), listOf(zs));
});

pure('split', 2, (n, l) => {
  if (typeof n !== 'number' || n < 0 || !(l instanceof List || l === NIL)) throw erlError(A.badarg, listOf([libFrame(L, 'split', [n, l], 1571)]));
  const out: Term[] = [];
  let t: Term = l;
  for (let i = 0; i < n; i++) {
    if (!(t instanceof List)) throw erlError(A.badarg, listOf([libFrame(L, 'split', [n, l], 1568)]));
    out.push(t.head);
    t = t.tail;
  }
  return tuple(listOf(out), t);
});

pure('concat', 1, (l) => {
  const xs = items(l);
  if (xs === undefined) throw clause('concat', [l]);
  bumpReductions(xs.length);
  let s = '';
  for (const x of xs) {
    if (x instanceof Atom) s += x.name;
    else if (isInteger(x)) s += x.toString();
    else if (x instanceof List || x === NIL) {
      const cs = items(x);
      if (cs === undefined) throw clause('thing_to_list', [x]);
      for (const c of cs) {
        if (typeof c !== 'number') throw badarg('erlang', '++', [x, NIL]);
        s += String.fromCodePoint(c);
      }
    } else if (x instanceof ErlFloat) s += formatScientific(x.value, 20);
    else throw clause('thing_to_list', [x]);
  }
  const cps: number[] = [];
  for (const ch of s) cps.push(ch.codePointAt(0)!);
  return listOf(cps);
});

/** Flatten a deep list onto `tail`, iteratively. */
function flattenOnto(l: Term, tail: Term, name: string): Term {
  const out: Term[] = [];
  const stack: Term[] = [];
  let t: Term = l;
  // the cells walked that hold a list ([] or deeper): the ones that put nothing in out
  let nested = 0;
  for (;;) {
    while (t instanceof List) {
      const h = t.head;
      if (h instanceof List) {
        stack.push(t.tail);
        t = h;
        nested++;
        continue;
      }
      if (h !== NIL) out.push(h);
      else nested++;
      t = t.tail;
    }
    if (t !== NIL) throw fnClause(L, 'do_flatten', [t, tail], 659);
    if (stack.length === 0) break;
    t = stack.pop()!;
  }
  bumpReductions(nested);
  return listOf(out, tail);
}

pure('flatten', 1, (l) => {
  if (!(l instanceof List || l === NIL)) throw clause('flatten', [l]);
  return flattenOnto(l, NIL, 'flatten');
});
pure('flatten', 2, (l, tail) => {
  if (!(l instanceof List || l === NIL) || !(tail instanceof List || tail === NIL)) throw clause('flatten', [l, tail]);
  return flattenOnto(l, tail, 'flatten');
});
pure('flatlength', 1, (l) => {
  const xs = items(flattenOnto(l, NIL, 'flatlength'));
  return xs!.length;
});

// ---------- key lists ----------

function keyPos(name: string, n: Term, args: Term[]): number {
  if (typeof n !== 'number' || n < 1) throw clause(name, args);
  return n;
}

function keyMatches(t: Term, key: Term, n: number): boolean {
  return t instanceof Tuple && t.elements.length >= n && compare(t.elements[n - 1], key) === 0;
}

/**
 * The walk keydelete, keyreplace, keytake and keystore share: the elements before the first tuple
 * whose p-th element == key, and the cell holding that tuple; `end` is where an unmatched walk
 * stopped ([] for a proper list, the improper tail otherwise).
 */
function keySearch(l: Term, key: Term, p: number): { before: Term[]; found?: List; end: Term } {
  const before: Term[] = [];
  let t: Term = l;
  while (t instanceof List) {
    if (keyMatches(t.head, key, p)) return { before, found: t, end: t };
    before.push(t.head);
    t = t.tail;
  }
  bumpReductions(before.length);
  return { before, end: t };
}

pure('keydelete', 3, (k, n, l) => {
  const p = keyPos('keydelete', n, [k, n, l]);
  const { before: out, found, end: t } = keySearch(l, k, p);
  if (found) return listOf(out, found.tail);
  if (t !== NIL) throw fnClause(L, 'keydelete3', [k, p, t], 722);
  return l;
});

pure('keyreplace', 4, (k, n, l, nt) => {
  const p = keyPos('keyreplace', n, [k, n, l, nt]);
  if (!(nt instanceof Tuple)) throw clause('keyreplace', [k, n, l, nt]);
  const { before: out, found, end: t } = keySearch(l, k, p);
  if (found) return listOf(out, new List(nt, found.tail));
  if (t !== NIL) throw fnClause(L, 'keyreplace3', [k, p, t, nt], 738);
  return l;
});

pure('keytake', 3, (k, n, l) => {
  const p = keyPos('keytake', n, [k, n, l]);
  const { before: out, found, end: t } = keySearch(l, k, p);
  if (found) return tuple(A.value, found.head, listOf(out, found.tail));
  if (t !== NIL) throw fnClause(L, 'keytake', [k, p, t, listOf(out.slice().reverse())], 755);
  return FALSE;
});

pure('keystore', 4, (k, n, l, nt) => {
  const p = keyPos('keystore', n, [k, n, l, nt]);
  if (!(nt instanceof Tuple)) throw clause('keystore', [k, n, l, nt]);
  const { before: out, found, end: t } = keySearch(l, k, p);
  if (found) return listOf(out, new List(nt, found.tail));
  if (t !== NIL) throw fnClause(L, 'keystore2', [k, p, t, nt], 771);
  out.push(nt);
  return listOf(out);
});

function keyElems(name: string, n: Term, l: Term, args: Term[]): Term[] {
  const p = keyPos(name, n, args);
  const xs = items(l);
  if (xs === undefined) throw clause(name, args);
  for (const x of xs) if (!(x instanceof Tuple) || x.elements.length < p) throw clause(name, args);
  bumpReductions(xs.length);
  return xs;
}

pure('keysort', 2, (n, l) => {
  const xs = keyElems('keysort', n, l, [n, l]);
  const p = n as number;
  return listOf(xs.slice().sort((a, b) => compare((a as Tuple).elements[p - 1], (b as Tuple).elements[p - 1])));
});

pure('ukeysort', 2, (n, l) => {
  const xs = keyElems('ukeysort', n, l, [n, l]);
  const p = n as number;
  const sorted = xs.slice().sort((a, b) => compare((a as Tuple).elements[p - 1], (b as Tuple).elements[p - 1]));
  const out: Term[] = [];
  for (const x of sorted) {
    const prev = out[out.length - 1];
    if (prev !== undefined && compare((prev as Tuple).elements[p - 1], (x as Tuple).elements[p - 1]) === 0) continue;
    out.push(x);
  }
  return listOf(out);
});

/** Merge two sorted arrays; on equal keys the element of `a` comes first. */
function mergeArrays(a: Term[], b: Term[], le: (x: Term, y: Term) => boolean): Term[] {
  const out: Term[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (le(a[i], b[j])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

pure('keymerge', 3, (n, a, b) => {
  const xs = keyElems('keymerge', n, a, [n, a, b]);
  const ys = keyElems('keymerge', n, b, [n, a, b]);
  const p = n as number;
  return listOf(mergeArrays(xs, ys, (x, y) => compare((x as Tuple).elements[p - 1], (y as Tuple).elements[p - 1]) <= 0));
});

pure('ukeymerge', 3, (n, a, b) => {
  const xs = keyElems('ukeymerge', n, a, [n, a, b]);
  const ys = keyElems('ukeymerge', n, b, [n, a, b]);
  const p = n as number;
  const key = (x: Term): Term => (x as Tuple).elements[p - 1];
  const merged = mergeArrays(xs, ys, (x, y) => compare(key(x), key(y)) <= 0);
  const out: Term[] = [];
  for (const x of merged) {
    const prev = out[out.length - 1];
    if (prev !== undefined && compare(key(prev), key(x)) === 0) continue;
    out.push(x);
  }
  return listOf(out);
});

// ---------- sorting and merging (term order) ----------

/**
 * xs in term order: integers that fit a double exactly (most lists sorted) through a Float64Array's
 * numeric sort, several times faster than comparing terms; anything else compared as terms.
 */
function sortTerms(xs: Term[]): Term[] {
  bumpReductions(xs.length);
  let i = 0;
  while (i < xs.length && typeof xs[i] === 'number') i++;
  if (i < xs.length) return xs.sort(compare);
  const nums = Float64Array.from(xs as number[]).sort();
  for (let j = 0; j < nums.length; j++) xs[j] = nums[j];
  return xs;
}

pure('sort', 1, (l) => {
  const xs = items(l);
  if (xs === undefined) throw clause('sort', [l]);
  return listOf(sortTerms(xs));
});

function uniqSorted(xs: Term[]): Term[] {
  const out: Term[] = [];
  for (const x of xs) if (out.length === 0 || compare(out[out.length - 1], x) !== 0) out.push(x);
  return out;
}

pure('usort', 1, (l) => {
  const xs = items(l);
  // usort/1's first clause, not usort/2's (LINE has the latter)
  if (xs === undefined) throw fnClause(L, 'usort', [l], 1112);
  return listOf(uniqSorted(sortTerms(xs)));
});

pure('merge', 2, (a, b) => {
  const xs = items(a);
  const ys = items(b);
  if (xs === undefined || ys === undefined) throw clause('merge', [a, b]);
  return listOf(mergeArrays(xs, ys, (x, y) => compare(x, y) <= 0));
});

pure('merge', 1, (ls) => {
  const xss = items(ls);
  if (xss === undefined) throw clause('merge', [ls]);
  let acc: Term[] = [];
  for (const l of xss) {
    const xs = items(l);
    if (xs === undefined) throw clause('merge', [ls]);
    // each list is merged into all the ones before it
    bumpReductions(acc.length + xs.length);
    acc = mergeArrays(acc, xs, (x, y) => compare(x, y) <= 0);
  }
  return listOf(acc);
});

pure('merge3', 3, (a, b, c) => {
  const [xs, ys, zs] = [items(a), items(b), items(c)];
  if (!xs || !ys || !zs) throw clause('merge3', [a, b, c]);
  const le = (x: Term, y: Term): boolean => compare(x, y) <= 0;
  return listOf(mergeArrays(mergeArrays(xs, ys, le), zs, le));
});

pure('umerge', 2, (a, b) => {
  const xs = items(a);
  const ys = items(b);
  if (xs === undefined || ys === undefined) throw clause('umerge', [a, b]);
  return listOf(uniqSorted(mergeArrays(xs, ys, (x, y) => compare(x, y) <= 0)));
});

pure('umerge', 1, (ls) => {
  const xss = items(ls);
  // OTP's umerge/1 hands the list to umergel/3, which finds it is not one
  if (xss === undefined) throw fnClause(L, 'umergel', [ls, NIL, atom('asc')], 1899);
  let acc: Term[] = [];
  for (const l of xss) {
    const xs = items(l);
    if (xs === undefined) throw clause('umerge', [ls]);
    // each list is merged into all the ones before it
    bumpReductions(acc.length + xs.length);
    acc = mergeArrays(acc, xs, (x, y) => compare(x, y) <= 0);
  }
  return listOf(uniqSorted(acc));
});

pure('umerge3', 3, (a, b, c) => {
  const [xs, ys, zs] = [items(a), items(b), items(c)];
  if (!xs || !ys || !zs) throw clause('umerge3', [a, b, c]);
  const le = (x: Term, y: Term): boolean => compare(x, y) <= 0;
  return listOf(uniqSorted(mergeArrays(mergeArrays(xs, ys, le), zs, le)));
});

pure('join', 2, (sep, l) => {
  const xs = items(l);
  if (xs === undefined) throw clause('join', [sep, l]);
  const out: Term[] = [];
  xs.forEach((x, i) => {
    if (i > 0) out.push(sep);
    out.push(x);
  });
  return listOf(out);
});

pure('enumerate', 1, (l) => enumerate(1, l, [l]));
pure('enumerate', 2, (i, l) => enumerate(i, l, [i, l]));

function enumerate(start: Term, l: Term, args: Term[]): Term {
  const xs = items(l);
  if (!isInteger(start) || xs === undefined) throw clause('enumerate', args);
  const out: Term[] = [];
  let i: Term = start;
  for (const x of xs) {
    out.push(tuple(i, x));
    i = add(i, 1);
  }
  return listOf(out);
}

pure('uniq', 1, (l) => {
  const xs = items(l);
  if (xs === undefined) throw clause('uniq', [l]);
  bumpReductions(xs.length);
  const seen = new Set<unknown>();
  const out: Term[] = [];
  for (const x of xs) {
    const k = canonicalKey(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return listOf(out);
});

// ---------- functions that call funs ----------

/** The list's elements for a higher-order function, or function_clause as OTP's entry clause. */
function funArgs(name: string, f: Term, arity: number, l: Term, args: Term[]): Term[] {
  if (!isFun(f, arity)) throw clause(name, args);
  const xs = items(l);
  if (xs === undefined) throw clause(name, args);
  return xs;
}


// Where lists.erl calls the fun, as BEAM's trace shows it for the element at index i. Recursive
// calls back to one return address show once; map calls the fun before recursing, foldr after.
let traceFrames: Record<string, Tuple> | undefined;
function at(name: string, arity: number, line: number): Tuple {
  traceFrames ??= {};
  return (traceFrames[`${name}/${arity}`] ??= libFrame(L, name, arity, line));
}
const mapFrames = (i: number): Tuple[] =>
  i === 0 ? [at('map', 2, 1315)] : i === 1 ? [at('map_1', 2, 1320), at('map', 2, 1315)] : [at('map_1', 2, 1320), at('map_1', 2, 1320), at('map', 2, 1315)];
const foldlFrames = (i: number): Tuple[] => [i === 0 ? at('foldl', 3, 1350) : at('foldl_1', 3, 1355)];
const foldrFrames = (i: number): Tuple[] => (i === 0 ? [] : [at('foldr_1', 3, 1372)]);
const foreachFrames = (): Tuple[] => [at('foreach_1', 2, 1442)];

gen('map', 2, function* (f, l) {
  const xs = funArgs('map', f, 1, l, [f, l]);
  const out: Term[] = new Array(xs.length);
  let i = 0;
  try {
    for (; i < xs.length; i++) out[i] = yield* callFun(f, [xs[i]]);
  } catch (e) {
    throw passedThrough(e, f, mapFrames(i));
  }
  return listOf(out);
});

gen('flatmap', 2, function* (f, l) {
  const xs = funArgs('flatmap', f, 1, l, [f, l]);
  const parts: Term[] = [];
  for (const x of xs) parts.push(yield* callFun(f, [x]));
  let out: Term = NIL;
  for (let i = parts.length - 1; i >= 0; i--) out = appendLists(parts[i], out);
  return out;
});

gen('foldl', 3, function* (f, acc0, l) {
  // OTP's foldl/3 cases on the list: a term that is no list at all is a case_clause there
  if (isFun(f, 2) && !(l instanceof List) && l !== NIL) throw erlError(tuple(A.case_clause, l), listOf([libFrame(L, 'foldl', 3, 1349)]));
  const xs = funArgs('foldl', f, 2, l, [f, acc0, l]);
  let acc = acc0;
  let i = 0;
  try {
    for (; i < xs.length; i++) acc = yield* callFun(f, [xs[i], acc]);
  } catch (e) {
    throw passedThrough(e, f, foldlFrames(i));
  }
  return acc;
});

gen('foldr', 3, function* (f, acc0, l) {
  // OTP's foldr/3 hands the list to foldr_1/3, whose clauses a term that is no list at all fails
  if (isFun(f, 2) && !(l instanceof List) && l !== NIL) throw fnClause(L, 'foldr_1', [f, acc0, l], 1371);
  const xs = funArgs('foldr', f, 2, l, [f, acc0, l]);
  let acc = acc0;
  let i = xs.length - 1;
  try {
    for (; i >= 0; i--) acc = yield* callFun(f, [xs[i], acc]);
  } catch (e) {
    throw passedThrough(e, f, foldrFrames(i));
  }
  return acc;
});

gen('filter', 2, function* (f, l) {
  const xs = funArgs('filter', f, 1, l, [f, l]);
  const out: Term[] = [];
  for (const x of xs) if (boolResult(yield* callFun(f, [x]), 'filter', [f, l])) out.push(x);
  return listOf(out);
});

gen('partition', 2, function* (f, l) {
  const xs = funArgs('partition', f, 1, l, [f, l]);
  const yes: Term[] = [];
  const no: Term[] = [];
  for (const x of xs) (boolResult(yield* callFun(f, [x]), 'partition', [f, l]) ? yes : no).push(x);
  return tuple(listOf(yes), listOf(no));
});

gen('filtermap', 2, function* (f, l) {
  const xs = funArgs('filtermap', f, 1, l, [f, l]);
  const out: Term[] = [];
  for (const x of xs) {
    const r = yield* callFun(f, [x]);
    if (r === TRUE) out.push(x);
    else if (r instanceof Tuple && r.elements.length === 2 && r.elements[0] === TRUE) out.push(r.elements[1]);
    else if (r !== FALSE) throw erlError(tuple(A.case_clause, r), listOf([libFrame(L, 'filtermap', 2, 1416)]));
  }
  return listOf(out);
});
gen('zf', 2, function* (f, l) {
  const xs = funArgs('zf', f, 1, l, [f, l]);
  const out: Term[] = [];
  for (const x of xs) {
    const r = yield* callFun(f, [x]);
    if (r === TRUE) out.push(x);
    else if (r instanceof Tuple && r.elements.length === 2 && r.elements[0] === TRUE) out.push(r.elements[1]);
  }
  return listOf(out);
});

gen('foreach', 2, function* (f, l) {
  const xs = funArgs('foreach', f, 1, l, [f, l]);
  try {
    for (const x of xs) yield* callFun(f, [x]);
  } catch (e) {
    throw passedThrough(e, f, foreachFrames());
  }
  return atom('ok');
});

gen('any', 2, function* (f, l) {
  const xs = funArgs('any', f, 1, l, [f, l]);
  for (let i = 0; i < xs.length; i++) if (boolResult(yield* callFun(f, [xs[i]]), i === 0 ? 'any' : 'any_1', [f, l])) return TRUE;
  return FALSE;
});

gen('all', 2, function* (f, l) {
  const xs = funArgs('all', f, 1, l, [f, l]);
  for (let i = 0; i < xs.length; i++) if (!boolResult(yield* callFun(f, [xs[i]]), i === 0 ? 'all' : 'all_1', [f, l])) return FALSE;
  return TRUE;
});

gen('takewhile', 2, function* (f, l) {
  const xs = funArgs('takewhile', f, 1, l, [f, l]);
  const out: Term[] = [];
  for (const x of xs) {
    if (!boolResult(yield* callFun(f, [x]), 'takewhile', [f, l])) break;
    out.push(x);
  }
  return listOf(out);
});

gen('dropwhile', 2, function* (f, l) {
  if (!isFun(f, 1)) throw clause('dropwhile', [f, l]);
  let t: Term = l;
  while (t instanceof List) {
    if (!boolResult(yield* callFun(f, [t.head]), 'dropwhile', [f, l])) return t;
    t = t.tail;
  }
  if (t !== NIL) throw clause('dropwhile', [f, t]);
  return NIL;
});

gen('splitwith', 2, function* (f, l) {
  const xs = funArgs('splitwith', f, 1, l, [f, l]);
  let i = 0;
  for (; i < xs.length; i++) if (!boolResult(yield* callFun(f, [xs[i]]), 'splitwith', [f, l])) break;
  return tuple(listOf(xs.slice(0, i)), listOf(xs.slice(i)));
});

gen('search', 2, function* (f, l) {
  const xs = funArgs('search', f, 1, l, [f, l]);
  for (const x of xs) if (boolResult(yield* callFun(f, [x]), 'search', [f, l])) return tuple(A.value, x);
  return FALSE;
});

gen('mapfoldl', 3, function* (f, acc0, l) {
  const xs = funArgs('mapfoldl', f, 2, l, [f, acc0, l]);
  let acc = acc0;
  const out: Term[] = [];
  for (const x of xs) {
    const r = yield* callFun(f, [x, acc]);
    if (!(r instanceof Tuple) || r.elements.length !== 2) throw erlError(tuple(atom('badmatch'), r), listOf([libFrame(L, 'mapfoldl_1', 3, 1463)]));
    out.push(r.elements[0]);
    acc = r.elements[1];
  }
  return tuple(listOf(out), acc);
});

gen('mapfoldr', 3, function* (f, acc0, l) {
  const xs = funArgs('mapfoldr', f, 2, l, [f, acc0, l]);
  let acc = acc0;
  const out: Term[] = new Array(xs.length);
  for (let i = xs.length - 1; i >= 0; i--) {
    const r = yield* callFun(f, [xs[i], acc]);
    if (!(r instanceof Tuple) || r.elements.length !== 2) throw erlError(tuple(atom('badmatch'), r), listOf([libFrame(L, 'mapfoldr_1', 3, 1484)]));
    out[i] = r.elements[0];
    acc = r.elements[1];
  }
  return tuple(listOf(out), acc);
});

gen('zipwith', 3, function* (f, a, b) {
  if (!isFun(f, 2)) throw clause('zipwith', [f, a, b]);
  const out: Term[] = [];
  let x = a;
  let y = b;
  while (x instanceof List && y instanceof List) {
    out.push(yield* callFun(f, [x.head, y.head]));
    x = x.tail;
    y = y.tail;
  }
  if (x !== NIL || y !== NIL) throw clause('zipwith', [f, x, y]);
  return listOf(out);
});

gen('zipwith3', 4, function* (f, a, b, c) {
  if (!isFun(f, 3)) throw clause('zipwith3', [f, a, b, c]);
  const out: Term[] = [];
  let x = a;
  let y = b;
  let z = c;
  while (x instanceof List && y instanceof List && z instanceof List) {
    out.push(yield* callFun(f, [x.head, y.head, z.head]));
    x = x.tail;
    y = y.tail;
    z = z.tail;
  }
  if (x !== NIL || y !== NIL || z !== NIL) throw clause('zipwith3', [f, x, y, z]);
  return listOf(out);
});

gen('keymap', 3, function* (f, n, l) {
  if (!isFun(f, 1) || typeof n !== 'number' || n < 1) throw clause('keymap', [f, n, l]);
  const xs = items(l);
  if (xs === undefined) throw clause('keymap', [f, n, l]);
  const out: Term[] = [];
  for (const x of xs) {
    if (!(x instanceof Tuple) || x.elements.length < n) throw badarg('erlang', 'element', [n, x], { 2: 'not a tuple' });
    const es = x.elements.slice();
    es[n - 1] = yield* callFun(f, [es[n - 1]]);
    out.push(new Tuple(es));
  }
  return listOf(out);
});

/** Stable merge sort with an Erlang ordering fun (F(A, B) is true when A comes first or ties). */
function* sortWith(f: Term, xs: Term[], name: string, args: Term[]): Generator<unknown, Term[], unknown> {
  let runs: Term[][] = xs.map((x) => [x]);
  while (runs.length > 1) {
    const next: Term[][] = [];
    for (let i = 0; i < runs.length; i += 2) {
      if (i + 1 >= runs.length) {
        next.push(runs[i]);
        continue;
      }
      const a = runs[i];
      const b = runs[i + 1];
      const out: Term[] = [];
      let p = 0;
      let q = 0;
      while (p < a.length && q < b.length) {
        // b's element goes first only when it is strictly before a's: not F(a, b)
        if (boolResult(yield* callFun(f, [a[p], b[q]]), name, args)) out.push(a[p++]);
        else out.push(b[q++]);
      }
      while (p < a.length) out.push(a[p++]);
      while (q < b.length) out.push(b[q++]);
      next.push(out);
    }
    runs = next;
  }
  return runs[0] ?? [];
}

gen('sort', 2, function* (f, l) {
  const xs = funArgs('sort', f, 2, l, [f, l]);
  return listOf(yield* sortWith(f, xs, 'sort', [f, l]));
});

gen('usort', 2, function* (f, l) {
  const xs = funArgs('usort', f, 2, l, [f, l]);
  const sorted = yield* sortWith(f, xs, 'usort', [f, l]);
  const out: Term[] = [];
  for (const x of sorted) {
    if (out.length > 0) {
      const prev = out[out.length - 1];
      // equal when each orders before the other
      if (isTrue(yield* callFun(f, [prev, x])) && isTrue(yield* callFun(f, [x, prev]))) continue;
    }
    out.push(x);
  }
  return listOf(out);
});

gen('merge', 3, function* (f, a, b) {
  if (!isFun(f, 2)) throw clause('merge', [f, a, b]);
  const xs = items(a);
  const ys = items(b);
  if (xs === undefined || ys === undefined) throw clause('merge', [f, a, b]);
  const out: Term[] = [];
  let i = 0;
  let j = 0;
  while (i < xs.length && j < ys.length) {
    if (boolResult(yield* callFun(f, [xs[i], ys[j]]), 'merge', [f, a, b])) out.push(xs[i++]);
    else out.push(ys[j++]);
  }
  return listOf([...out, ...xs.slice(i), ...ys.slice(j)]);
});

gen('umerge', 3, function* (f, a, b) {
  if (!isFun(f, 2)) throw clause('umerge', [f, a, b]);
  const xs = items(a);
  const ys = items(b);
  if (xs === undefined || ys === undefined) throw clause('umerge', [f, a, b]);
  const out: Term[] = [];
  let i = 0;
  let j = 0;
  while (i < xs.length && j < ys.length) {
    if (isTrue(yield* callFun(f, [xs[i], ys[j]]))) {
      // equal elements: keep the first list's one, drop the other
      if (isTrue(yield* callFun(f, [ys[j], xs[i]]))) j++;
      out.push(xs[i++]);
    } else out.push(ys[j++]);
  }
  return listOf([...out, ...xs.slice(i), ...ys.slice(j)]);
});

gen('uniq', 2, function* (f, l) {
  const xs = funArgs('uniq', f, 1, l, [f, l]);
  const seen = new Set<string>();
  const out: Term[] = [];
  for (const x of xs) {
    const k = canonicalKey(yield* callFun(f, [x]));
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return listOf(out);
});

