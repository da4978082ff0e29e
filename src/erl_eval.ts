// erl_eval:exprs/2 on terl: evaluate expressions given in the abstract format with a binding
// structure (an orddict [{Name, Value}] or a map), answering {value, Value, NewBindings} as OTP's
// erl_eval does. A remote shell (-remsh) sends its expressions this way, to terl and to real erl alike.

import { Atom, ErlMap, Term, Tuple, atom, list, listToArray, tuple } from '../runtime/vm/term.js';
import { badarg, erlError } from '../runtime/vm/exception.js';
import { defineGenBif } from '../runtime/vm/bif_registry.js';
import { termToExpr } from './abstract.js';
import { compileShell } from './compile/shell.js';

/** An erl_eval binding structure as a Map, or undefined when it is not one. */
export function bindingsFromTerm(t: Term): Map<string, Term> | undefined {
  const out = new Map<string, Term>();
  if (t instanceof ErlMap) {
    for (const [k, v] of t.entries.values()) {
      if (!(k instanceof Atom)) return undefined;
      out.set(k.name, v);
    }
    return out;
  }
  const items = listToArray(t);
  if (items === undefined) return undefined;
  for (const b of items) {
    if (!(b instanceof Tuple) || b.size !== 2 || !(b.elements[0] instanceof Atom)) return undefined;
    out.set(b.elements[0].name, b.elements[1]);
  }
  return out;
}

/** Bindings as erl_eval's orddict: [{Name, Value}] sorted by name. */
export function bindingsToTerm(b: Map<string, Term>): Term {
  return list([...b.keys()].sort().map((k) => tuple(atom(k), b.get(k)!)));
}

defineGenBif('erl_eval', 'exprs', 2, function* (exprsTerm: Term, bs: Term) {
  const items = listToArray(exprsTerm);
  const bindings = bindingsFromTerm(bs);
  if (items === undefined || items.length === 0 || bindings === undefined) throw badarg('erl_eval', 'exprs', [exprsTerm, bs]);
  let exprs;
  try {
    exprs = items.map(termToExpr);
  } catch {
    throw badarg('erl_eval', 'exprs', [exprsTerm, bs]);
  }
  const c = compileShell(exprs, new Set(bindings.keys()));
  if (!c.ok) {
    // as erl_eval: an unbound variable is error {unbound_var, Name}
    const m = /^variable '(.*)' is unbound$/.exec(c.errors[0]?.message ?? '');
    throw erlError(m ? tuple(atom('unbound_var'), atom(m[1])) : tuple(atom('illegal_expr'), exprsTerm));
  }
  const r = yield* c.run(bindings);
  return tuple(atom('value'), r.value, bindingsToTerm(r.bindings));
});
