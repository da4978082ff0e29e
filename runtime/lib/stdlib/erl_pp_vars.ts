// erl_pp:legalize_vars/1: a function's variables renamed so that it can be printed as source. A
// variable whose name starts with a lowercase letter (as compiler passes make them) gets its name in
// uppercase, with X prefixed while that is a name already in the function; other names stay.

import { Atom, List, Term, Tuple, atom } from '../../vm/term.js';

const VAR = atom('var');

function isVar(t: Term): t is Tuple {
  return t instanceof Tuple && t.elements.length === 3 && t.elements[0] === VAR;
}

/** Every variable name in a term, in order. */
function varNames(t: Term, out: Atom[]): Atom[] {
  if (isVar(t)) {
    const name = t.elements[2];
    if (!(name instanceof Atom)) throw new Error('not a variable name');
    out.push(name);
  } else if (t instanceof Tuple) t.elements.forEach((x) => varNames(x, out));
  else for (let l: Term = t; l instanceof List; l = l.tail) varNames(l.head, out);
  return out;
}

function renameVars(t: Term, names: Map<Atom, Atom>): Term {
  if (isVar(t)) return new Tuple([VAR, t.elements[1]!, names.get(t.elements[2] as Atom)!]);
  if (t instanceof Tuple) return new Tuple(t.elements.map((x) => renameVars(x, names)));
  if (t instanceof List) {
    const heads: Term[] = [];
    let l: Term = t;
    for (; l instanceof List; l = l.tail) heads.push(renameVars(l.head, names));
    return heads.reduceRight<Term>((tail, head) => new List(head, tail), l);
  }
  return t;
}

/** string:to_upper/1 on a name: latin-1 letters only. */
function upper(s: string): string {
  return [...s].map((c) => {
    const n = c.codePointAt(0)!;
    return (n >= 0x61 && n <= 0x7a) || (n >= 0xe0 && n <= 0xfe && n !== 0xf7) ? String.fromCodePoint(n - 32) : c;
  }).join('');
}

const startsLower = (a: Atom): boolean => a.name.length > 0 && a.name[0]! >= 'a' && a.name[0]! <= 'z';

/** The function's clauses with legal variable names, or undefined for a term that is no function. */
export function legalizeVars(f: Term): Term | undefined {
  if (!(f instanceof Tuple) || f.elements.length !== 5 || f.elements[0] !== atom('function')) return undefined;
  const clauses = f.elements[4]!;
  const names = new Map<Atom, Atom>();
  let all: Atom[];
  try {
    all = varNames(clauses, []);
  } catch {
    return undefined;
  }
  for (const v of all) if (!startsLower(v)) names.set(v, v);
  // the renamed ones in the order erl takes them: its map of them, in atom order
  const invalid = [...new Set(all.filter(startsLower))].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const v of invalid) {
    let s = v.name;
    while (names.has(atom(upper(s)))) s = 'X' + s;
    names.set(v, atom(upper(s)));
  }
  return new Tuple([...f.elements.slice(0, 4), renameVars(clauses, names)]);
}
