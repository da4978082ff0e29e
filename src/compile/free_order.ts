// The order of a fun's free variables as OTP's compiler passes them (erlang:fun_info(F, env) and
// NEW_FUN_EXT's free variables): a real node and terl must agree on it for a fun to cross. OTP's
// Core passes rename a variable that is a whole argument of a function or fun head to a numbered
// variable, and v3_kernel sorts the free variables, numbers before names: so the arguments of the
// module function come first in their positions, then those of enclosing funs, outermost first,
// then every other variable by name. (Where OTP's optimiser merges two variables the orders can
// still differ.)

import type { Clause, Expr } from '../ast.js';

/** For each fun expression in the clauses: the rank of each variable that a head binds whole. */
export function otpFreeRanks(clauses: Clause[]): Map<Expr, Map<string, number>> {
  const out = new Map<Expr, Map<string, number>>();
  const headRanks = (c: Clause, scope: Map<string, number>, base: number): Map<string, number> => {
    const inner = new Map(scope);
    c.patterns.forEach((p, i) => {
      for (const v of wholeVars(p)) inner.set(v, base + i);
    });
    return inner;
  };
  const visit = (node: unknown, scope: Map<string, number>, depth: number): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, scope, depth);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const e = node as Expr;
    if (e.type === 'fun' && 'clauses' in e) {
      out.set(e, scope);
      for (const c of e.clauses) {
        // a fun's own arguments shadow the variables of the same name outside
        const inner = new Map(scope);
        for (const p of c.patterns) for (const v of allVars(p)) inner.delete(v);
        visit(c, headRanks(c, inner, 1000 * (depth + 1)), depth + 1);
      }
      return;
    }
    for (const k of Object.keys(e)) if (k !== 'pos') visit((e as unknown as Record<string, unknown>)[k], scope, depth);
  };
  for (const c of clauses) visit(c, headRanks(c, new Map(), 0), 0);
  return out;
}

/** Variables a head argument is bound to whole: X, or X = Pattern. */
function wholeVars(p: Expr): string[] {
  if (p.type === 'var') return p.name === '_' ? [] : [p.name];
  if (p.type === 'match') return [...wholeVars(p.left), ...wholeVars(p.right)];
  return [];
}

function allVars(p: unknown, acc: string[] = []): string[] {
  if (Array.isArray(p)) for (const x of p) allVars(x, acc);
  else if (p !== null && typeof p === 'object') {
    const e = p as Expr;
    if (e.type === 'var') acc.push(e.name);
    else for (const k of Object.keys(e)) if (k !== 'pos') allVars((e as unknown as Record<string, unknown>)[k], acc);
  }
  return acc;
}

/** Sort free variable names as OTP passes them, given the fun's ranks. */
export function orderFree(free: string[], ranks: Map<string, number> | undefined): string[] {
  const rank = (v: string): number => ranks?.get(v) ?? Number.POSITIVE_INFINITY;
  return [...free].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
