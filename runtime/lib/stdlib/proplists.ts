// Module proplists: property lists are lists of {Key, Value} tuples and atoms (an atom A stands
// for {A, true}). Keys match with =:=; like OTP, a lookup stops at the first entry for the key.

import { Atom, ErlMap, List, NIL, Term, Tuple, exactEqual, tuple, TRUE, FALSE, UNDEFINED, atom } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { fnClause, items } from '../common.js';

const P = 'proplists';

function listOf(xs: readonly Term[], tail: Term = NIL): Term {
  let l = tail;
  for (let i = xs.length - 1; i >= 0; i--) l = new List(xs[i], l);
  return l;
}

/** Walk a property list; improper lists fail as OTP's clauses do. */
function props(l: Term, name: string, args: Term[]): Term[] {
  const xs = items(l);
  if (xs === undefined) throw fnClause(P, name, args, 0);
  return xs;
}

/** Is p an entry for key: the atom itself, or a tuple whose first element is key. */
function isEntry(p: Term, key: Term): 'atom' | 'tuple' | undefined {
  if (p instanceof Atom && p === key) return 'atom';
  if (p instanceof Tuple && p.elements.length >= 1 && exactEqual(p.elements[0], key)) return 'tuple';
  return undefined;
}

const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(P, name, arity, impl);

function getValue(key: Term, l: Term, dflt: Term, args: Term[]): Term {
  for (const p of props(l, 'get_value', args)) {
    const e = isEntry(p, key);
    if (e === 'atom') return TRUE;
    if (e === 'tuple') return (p as Tuple).elements.length === 2 ? (p as Tuple).elements[1] : dflt;
  }
  return dflt;
}

def('get_value', 2, (k, l) => getValue(k, l, UNDEFINED, [k, l]));
def('get_value', 3, (k, l, d) => getValue(k, l, d, [k, l, d]));

def('get_all_values', 2, (k, l) => {
  const out: Term[] = [];
  for (const p of props(l, 'get_all_values', [k, l])) {
    const e = isEntry(p, k);
    if (e === 'atom') out.push(TRUE);
    else if (e === 'tuple' && (p as Tuple).elements.length === 2) out.push((p as Tuple).elements[1]);
  }
  return listOf(out);
});

def('append_values', 2, (k, l) => {
  const out: Term[] = [];
  for (const p of props(l, 'append_values', [k, l])) {
    const e = isEntry(p, k);
    if (e === 'atom') out.push(TRUE);
    else if (e === 'tuple' && (p as Tuple).elements.length === 2) {
      const v = (p as Tuple).elements[1];
      const vs = v instanceof List || v === NIL ? items(v) : undefined;
      if (vs !== undefined) out.push(...vs);
      else out.push(v);
    }
  }
  return listOf(out);
});

def('lookup', 2, (k, l) => {
  for (const p of props(l, 'lookup', [k, l])) {
    const e = isEntry(p, k);
    if (e === 'atom') return tuple(k, TRUE);
    if (e === 'tuple') return p;
  }
  return atom('none');
});

def('lookup_all', 2, (k, l) => {
  const out: Term[] = [];
  for (const p of props(l, 'lookup_all', [k, l])) {
    const e = isEntry(p, k);
    if (e === 'atom') out.push(tuple(k, TRUE));
    else if (e === 'tuple') out.push(p);
  }
  return listOf(out);
});

def('is_defined', 2, (k, l) => {
  for (const p of props(l, 'is_defined', [k, l])) if (isEntry(p, k)) return TRUE;
  return FALSE;
});

def('get_bool', 2, (k, l) => {
  for (const p of props(l, 'get_bool', [k, l])) {
    const e = isEntry(p, k);
    if (e === 'atom') return TRUE;
    if (e === 'tuple') {
      const t = p as Tuple;
      return t.elements.length === 2 && t.elements[1] === TRUE ? TRUE : FALSE;
    }
  }
  return FALSE;
});

def('get_keys', 1, (l) => {
  const keys: Term[] = [];
  for (const p of props(l, 'get_keys', [l])) {
    const k = p instanceof Atom ? p : p instanceof Tuple && p.elements.length >= 1 ? p.elements[0] : undefined;
    if (k !== undefined && !keys.some((x) => exactEqual(x, k))) keys.push(k);
  }
  return listOf(keys);
});

def('delete', 2, (k, l) => listOf(props(l, 'delete', [k, l]).filter((p) => !isEntry(p, k))));

def('property', 1, (p) => {
  if (p instanceof Tuple && p.elements.length === 2 && p.elements[0] instanceof Atom && p.elements[1] === TRUE) return p.elements[0];
  return p;
});
def('property', 2, (k, v) => (k instanceof Atom && v === TRUE ? k : tuple(k, v)));

def('unfold', 1, (l) => listOf(props(l, 'unfold', [l]).map((p) => (p instanceof Atom ? tuple(p, TRUE) : p))));

def('compact', 1, (l) =>
  listOf(
    props(l, 'compact', [l]).map((p) =>
      p instanceof Tuple && p.elements.length === 2 && p.elements[0] instanceof Atom && p.elements[1] === TRUE ? p.elements[0] : p,
    ),
  ),
);

def('to_map', 1, (l) => {
  // later entries lose to earlier ones, as get_value sees them
  let m = new ErlMap();
  const xs = props(l, 'to_map', [l]);
  for (let i = xs.length - 1; i >= 0; i--) {
    const p = xs[i];
    if (p instanceof Tuple && p.elements.length === 2) m = m.put(p.elements[0], p.elements[1]);
    else if (p instanceof Tuple && p.elements.length >= 1) m = m.remove(p.elements[0]);
    else if (p instanceof Atom) m = m.put(p, TRUE);
  }
  return m;
});

def('from_map', 1, (m) => {
  if (!(m instanceof ErlMap)) throw fnClause(P, 'from_map', [m], 0);
  return listOf(m.sorted().map(([k, v]) => tuple(k, v)));
});
