// Module erl_eval on terl: evaluate expressions given in the abstract format with a binding
// structure (an orddict [{Name, Value}] or a map, kept as it came), answering {value, Value,
// NewBindings} as OTP's erl_eval does. The expressions are compiled as shell code is; the local and
// non-local function handlers are reached through calls src/erl_eval_calls.ts routes to them.
// A remote shell (-remsh) sends its expressions this way, to terl and to real erl alike.

import { Atom, ErlMap, Fun, List, NIL, Term, Tuple, atom, compare, list, listToArray, tuple } from '../runtime/vm/term.js';
import { ErlangException, badarg, erlError } from '../runtime/vm/exception.js';
import { defineBif, defineGenBif } from '../runtime/vm/bif_registry.js';
import { callFun } from '../runtime/vm/abi.js';
import { isShellFun } from '../runtime/lib/stdlib/erl_eval_frames.js';
import { libFrame } from '../runtime/lib/common.js';
import type { Expr } from './ast.js';
import { termToExpr } from './abstract.js';
import { compileShell } from './compile/shell.js';
import { LOCAL_CALL, NONLOCAL_CALL, routeCalls, type CallRoutes } from './erl_eval_calls.js';

const M = 'erl_eval';
const A = {
  value: atom('value'),
  eval: atom('eval'),
  none: atom('none'),
  unbound: atom('unbound'),
  undef: atom('undef'),
  unbound_var: atom('unbound_var'),
  illegal_expr: atom('illegal_expr'),
  function_clause: atom('function_clause'),
};

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

/** Bindings in the structure they came in: a map stays a map. */
function bindingsAs(b: Map<string, Term>, like: Term): Term {
  if (!(like instanceof ErlMap)) return bindingsToTerm(b);
  return ErlMap.from([...b].map(([k, v]) => [atom(k), v] as [Term, Term]));
}

/** A function handler: {value, F}, {eval, F} (local only) or none. */
type Handler = { kind: 'value' | 'eval'; fn: Fun } | undefined;

function handler(t: Term, evalAllowed: boolean): Handler | 'bad' {
  if (t === A.none) return undefined;
  if (t instanceof Tuple && t.elements.length === 2 && t.elements[1] instanceof Fun) {
    if (t.elements[0] === A.value) return { kind: 'value', fn: t.elements[1] };
    if (t.elements[0] === A.eval && evalAllowed) return { kind: 'eval', fn: t.elements[1] };
  }
  return 'bad';
}

/**
 * Evaluate: `fn` and `args` name the call for its errors. Returns the value and the new bindings
 * in the structure they came in.
 */
function* evaluate(fn: string, args: Term[], exprsTerm: Term[], bs: Term, lfTerm: Term, nlfTerm: Term): Generator<unknown, { value: Term; bindings: Term }, unknown> {
  const bindings = bindingsFromTerm(bs);
  const lf = handler(lfTerm, true);
  const nlf = handler(nlfTerm, false);
  if (exprsTerm.length === 0 || bindings === undefined || lf === 'bad' || nlf === 'bad') {
    // OTP's exprs/2,3,4 go to exprs/6, whose clauses take neither []
    const full = fn === 'exprs' ? [args[0], args[1], lfTerm, nlfTerm, A.none, new ErlMap()] : args;
    throw erlError(A.function_clause, list([libFrame(M, fn, full, 132)]));
  }
  let exprs: Expr[];
  try {
    exprs = exprsTerm.map(termToExpr);
  } catch {
    throw badarg(M, fn, args);
  }
  const routes: CallRoutes = { local: lf?.kind === 'eval' ? 'abstract' : 'values', nonLocal: nlf !== undefined };
  exprs = routeCalls(exprs, routes);
  const c = compileShell(exprs, new Set(bindings.keys()), {
    shellCommand: (name, callArgs, at) => handle(name, callArgs, at, bs, lf, nlf),
  });
  if (!c.ok) {
    // as erl_eval: an unbound variable is error {unbound_var, Name}
    const m = /^variable '(.*)' is unbound$/.exec(c.errors[0]?.message ?? '');
    throw erlError(m ? tuple(A.unbound_var, atom(m[1])) : tuple(A.illegal_expr, exprsTerm[0]));
  }
  const r = yield* c.run(bindings);
  return { value: r.value, bindings: bindingsAs(r.bindings, bs) };
}

/** A routed call reaches its handler. */
function* handle(name: string, args: Term[], at: Map<string, Term>, like: Term, lf: Handler, nlf: Handler): Generator<unknown, Term, unknown> {
  if (name === LOCAL_CALL) {
    const [fname, passed] = args as [Atom, Term];
    if (lf === undefined) {
      const arity = listToArray(passed)?.length ?? 0;
      throw erlError(A.undef, list([tuple(atom(M), fname, arity, NIL)]));
    }
    if (lf.kind === 'value') return yield* callFun(lf.fn, [fname, passed]);
    // {eval, F}: F(Name, AbstractArgs, Bindings) -> {value, Value, NewBindings}; the value is taken
    const r = yield* callFun(lf.fn, [fname, passed, bindingsAs(at, like)]);
    if (r instanceof Tuple && r.elements.length === 3 && r.elements[0] === A.value) return r.elements[1];
    throw erlError(tuple(atom('bad_local_handler_result'), r));
  }
  if (name === NONLOCAL_CALL && nlf !== undefined) {
    const [spec, argList, line] = args;
    const values = listToArray(argList) ?? [];
    // calls of funs made by fun expressions are hidden from the handler
    if (isShellFun(spec)) return yield* callFun(spec, values);
    return yield* callFun(nlf.fn, nlf.fn.arity === 3 ? [line, spec, argList] : [spec, argList]);
  }
  throw erlError(A.undef, list([tuple(atom(M), atom(name), args.length, NIL)]));
}

function exprList(t: Term, fn: string, args: Term[]): Term[] {
  const items = listToArray(t);
  if (items === undefined) throw erlError(A.function_clause, list([libFrame(M, fn, args, 132)]));
  return items;
}

// ---------- exprs and expr ----------

defineGenBif(M, 'exprs', 2, function* (es: Term, bs: Term) {
  const r = yield* evaluate('exprs', [es, bs], exprList(es, 'exprs', [es, bs]), bs, A.none, A.none);
  return tuple(A.value, r.value, r.bindings);
});
defineGenBif(M, 'exprs', 3, function* (es: Term, bs: Term, lf: Term) {
  const r = yield* evaluate('exprs', [es, bs, lf], exprList(es, 'exprs', [es, bs, lf]), bs, lf, A.none);
  return tuple(A.value, r.value, r.bindings);
});
defineGenBif(M, 'exprs', 4, function* (es: Term, bs: Term, lf: Term, nlf: Term) {
  const r = yield* evaluate('exprs', [es, bs, lf, nlf], exprList(es, 'exprs', [es, bs, lf, nlf]), bs, lf, nlf);
  return tuple(A.value, r.value, r.bindings);
});

defineGenBif(M, 'expr', 2, function* (e: Term, bs: Term) {
  const r = yield* evaluate('expr', [e, bs], [e], bs, A.none, A.none);
  return tuple(A.value, r.value, r.bindings);
});
defineGenBif(M, 'expr', 3, function* (e: Term, bs: Term, lf: Term) {
  const r = yield* evaluate('expr', [e, bs, lf], [e], bs, lf, A.none);
  return tuple(A.value, r.value, r.bindings);
});
defineGenBif(M, 'expr', 4, function* (e: Term, bs: Term, lf: Term, nlf: Term) {
  const r = yield* evaluate('expr', [e, bs, lf, nlf], [e], bs, lf, nlf);
  return tuple(A.value, r.value, r.bindings);
});
defineGenBif(M, 'expr', 5, function* (e: Term, bs: Term, lf: Term, nlf: Term, format: Term) {
  const r = yield* evaluate('expr', [e, bs, lf, nlf, format], [e], bs, lf, nlf);
  return format === A.value ? r.value : tuple(A.value, r.value, r.bindings);
});

/** expr_list: each expression from the same bindings, their values in a list; the bindings they make are merged. */
function* exprListEval(es: Term, bs: Term, lf: Term, nlf: Term, args: Term[]): Generator<unknown, Term, unknown> {
  const values: Term[] = [];
  const merged = bindingsFromTerm(bs) ?? new Map<string, Term>();
  for (const e of exprList(es, 'expr_list', args)) {
    const r = yield* evaluate('expr_list', args, [e], bs, lf, nlf);
    values.push(r.value);
    for (const [k, v] of bindingsFromTerm(r.bindings) ?? []) merged.set(k, v);
  }
  return tuple(list(values), bindingsAs(merged, bs));
}

defineGenBif(M, 'expr_list', 2, function* (es: Term, bs: Term) {
  return yield* exprListEval(es, bs, A.none, A.none, [es, bs]);
});
defineGenBif(M, 'expr_list', 3, function* (es: Term, bs: Term, lf: Term) {
  return yield* exprListEval(es, bs, lf, A.none, [es, bs, lf]);
});
defineGenBif(M, 'expr_list', 4, function* (es: Term, bs: Term, lf: Term, nlf: Term) {
  return yield* exprListEval(es, bs, lf, nlf, [es, bs, lf, nlf]);
});

// ---------- binding structures: an orddict, or a map ----------

function bindingsClause(fn: string, args: Term[], line: number): ErlangException {
  return erlError(A.function_clause, list([libFrame(M, fn, args, line)]));
}

/** The orddict's pairs; undefined when it is not a proper list of pairs. */
function pairs(bs: Term): Tuple[] | undefined {
  const out: Tuple[] = [];
  let l = bs;
  for (; l instanceof List; l = l.tail) {
    if (!(l.head instanceof Tuple) || l.head.elements.length !== 2) return undefined;
    out.push(l.head);
  }
  return l === NIL ? out : undefined;
}

defineBif(M, 'new_bindings', 0, () => NIL);

defineBif(M, 'bindings', 1, (bs: Term) => {
  if (bs instanceof ErlMap) return list(bs.sorted().map(([k, v]) => tuple(k, v)));
  if (pairs(bs) === undefined) throw bindingsClause('bindings', [bs], 1325);
  return bs;
});

defineBif(M, 'binding', 2, (name: Term, bs: Term) => {
  if (bs instanceof ErlMap) {
    const v = bs.get(name);
    return v === undefined ? A.unbound : tuple(A.value, v);
  }
  const ps = pairs(bs);
  if (ps === undefined) throw bindingsClause('binding', [name, bs], 1331);
  const hit = ps.find((p) => compare(p.elements[0], name) === 0);
  return hit === undefined ? A.unbound : tuple(A.value, hit.elements[1]);
});

defineBif(M, 'add_binding', 3, (name: Term, value: Term, bs: Term) => {
  if (bs instanceof ErlMap) return bs.put(name, value);
  const ps = pairs(bs);
  if (ps === undefined) throw bindingsClause('add_binding', [name, value, bs], 1346);
  const kept = ps.filter((p) => compare(p.elements[0], name) !== 0);
  const at = kept.findIndex((p) => compare(p.elements[0], name) > 0);
  kept.splice(at < 0 ? kept.length : at, 0, tuple(name, value));
  return list(kept);
});

defineBif(M, 'del_binding', 2, (name: Term, bs: Term) => {
  if (bs instanceof ErlMap) return bs.remove(name);
  const ps = pairs(bs);
  if (ps === undefined) throw bindingsClause('del_binding', [name, bs], 1352);
  return list(ps.filter((p) => compare(p.elements[0], name) !== 0));
});
