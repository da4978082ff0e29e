// erl_eval's function handlers on compiled shell code: before compiling, the calls a handler must
// see are rewritten into local calls of two hidden names, which reach erl_eval's shellCommand hook
// (src/erl_eval.ts) like any local call the shell does not know:
//   f(A1, ..., An)           →  '$erl_eval_local'(f, [A1, ..., An])       the local function handler,
//                               or '$erl_eval_local'(f, AbstractArgs)     for an {eval, F} handler
//   M:F(As), bif(As), Op, F(As), apply  →  '$erl_eval_nonlocal'(FuncSpec, [As], Line)
// Only expressions are rewritten: patterns and guards are left alone, as erl_eval never calls
// a handler for them.

import type { BinElement, Clause, Expr, Pos, Qualifier } from './ast.js';
import { abstractTerm, exprToTerm } from './abstract.js';
import { isAutoImported } from './compile/bifs.js';
import { list } from '../runtime/vm/term.js';

export const LOCAL_CALL = '$erl_eval_local';
export const NONLOCAL_CALL = '$erl_eval_nonlocal';

export interface CallRoutes {
  /** local calls: to the handler with their values, with their abstract form ({eval, F}), or not rewritten */
  local: 'values' | 'abstract' | undefined;
  /** remote calls, BIFs, operators and fun calls go to the non-local handler */
  nonLocal: boolean;
}

const atomAt = (pos: Pos, value: string): Expr => ({ type: 'atom', pos, value });

function listExpr(pos: Pos, es: Expr[]): Expr {
  let l: Expr = { type: 'nil', pos };
  for (let k = es.length - 1; k >= 0; k--) l = { type: 'cons', pos, head: es[k], tail: l };
  return l;
}

function hidden(pos: Pos, name: string, args: Expr[]): Expr {
  return { type: 'call', pos, fn: atomAt(pos, name), args };
}

function nonLocal(pos: Pos, spec: Expr, args: Expr): Expr {
  return hidden(pos, NONLOCAL_CALL, [spec, args, { type: 'integer', pos, value: pos.line }]);
}

const erlangFn = (pos: Pos, name: string): Expr => ({ type: 'tuple', pos, elements: [atomAt(pos, 'erlang'), atomAt(pos, name)] });

export function routeCalls(es: Expr[], r: CallRoutes): Expr[] {
  const expr = (e: Expr): Expr => {
    switch (e.type) {
      case 'cons':
        return { ...e, head: expr(e.head), tail: expr(e.tail) };
      case 'tuple':
        return { ...e, elements: e.elements.map(expr) };
      case 'bin':
        return { ...e, elements: e.elements.map(binElement) };
      case 'map':
        return { ...e, base: e.base && expr(e.base), assocs: e.assocs.map((a) => ({ ...a, key: expr(a.key), value: expr(a.value) })) };
      case 'record':
        return { ...e, base: e.base && expr(e.base), fields: e.fields.map((f) => ({ ...f, value: expr(f.value) })) };
      case 'record_field':
        return { ...e, expr: expr(e.expr) };
      case 'match':
        return { ...e, right: expr(e.right) };
      case 'op': {
        const args = e.args.map(expr);
        if (!r.nonLocal || e.op === 'andalso' || e.op === 'orelse') return { ...e, args };
        return nonLocal(e.pos, erlangFn(e.pos, e.op), listExpr(e.pos, args));
      }
      case 'call':
        return call(e);
      case 'lc':
      case 'bc':
        return { ...e, expr: expr(e.expr), quals: e.quals.map(qualifier) };
      case 'block':
        return { ...e, body: e.body.map(expr) };
      case 'case':
        return { ...e, expr: expr(e.expr), clauses: e.clauses.map(clause) };
      case 'if':
        return { ...e, clauses: e.clauses.map(clause) };
      case 'receive':
        return { ...e, clauses: e.clauses.map(clause), after: e.after && { timeout: expr(e.after.timeout), body: e.after.body.map(expr) } };
      case 'try':
        return { ...e, body: e.body.map(expr), clauses: e.clauses.map(clause), catchClauses: e.catchClauses.map(clause), after: e.after.map(expr) };
      case 'catch':
        return { ...e, expr: expr(e.expr) };
      case 'fun':
        return { ...e, clauses: e.clauses.map(clause) };
      default:
        return e;
    }
  };
  const clause = (c: Clause): Clause => ({ ...c, body: c.body.map(expr) });
  const binElement = (b: BinElement): BinElement => ({ ...b, value: expr(b.value), size: b.size && expr(b.size) });
  const qualifier = (q: Qualifier): Qualifier => (q.type === 'filter' ? { type: 'filter', expr: expr(q.expr) } : { ...q, expr: expr(q.expr) });

  const call = (e: Expr & { type: 'call' }): Expr => {
    const n = e.args.length;
    const args = e.args.map(expr);
    const fn = e.fn;
    if (fn.type === 'atom' && !isAutoImported(fn.value, n)) {
      if (r.local === undefined) return { ...e, args };
      const passed = r.local === 'values' ? listExpr(e.pos, args) : abstractTerm(list(e.args.map((a) => exprToTerm(a))), e.pos);
      return hidden(e.pos, LOCAL_CALL, [atomAt(e.pos, fn.value), passed]);
    }
    if (!r.nonLocal) return { ...e, fn: fn.type === 'atom' ? fn : expr(fn), args };
    // apply itself is never seen: the handler sees what it applies
    const isApply = (fn.type === 'atom' && fn.value === 'apply') ||
      (fn.type === 'remote' && fn.module.type === 'atom' && fn.module.value === 'erlang' && fn.name.type === 'atom' && fn.name.value === 'apply');
    if (isApply && n === 3) return nonLocal(e.pos, { type: 'tuple', pos: e.pos, elements: [args[0], args[1]] }, args[2]);
    if (isApply && n === 2) return nonLocal(e.pos, args[0], args[1]);
    if (fn.type === 'atom') return nonLocal(e.pos, erlangFn(e.pos, fn.value), listExpr(e.pos, args));
    if (fn.type === 'remote') return nonLocal(e.pos, { type: 'tuple', pos: e.pos, elements: [expr(fn.module), expr(fn.name)] }, listExpr(e.pos, args));
    return nonLocal(e.pos, expr(fn), listExpr(e.pos, args));
  };

  return es.map(expr);
}
