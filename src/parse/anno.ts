// first_anno / last_anno of erl_parse: the positions the parser gives to a match, a call, a clause
// and the parts of a catch pattern, computed by visiting annotations in abstract-format order.

import type { Clause, Expr, Pos } from '../ast.js';

/** Visit every annotation of a node in the order erl_parse:fold_anno does; stop when `f` returns false. */
export function visitPos(e: Expr, f: (p: Pos) => boolean): boolean {
  if (!f(e.pos)) return false;
  const all = (es: Expr[]): boolean => es.every((x) => visitPos(x, f));
  switch (e.type) {
    case 'cons':
      return visitPos(e.head, f) && visitPos(e.tail, f);
    case 'tuple':
      return all(e.elements);
    case 'bin':
      return e.elements.every((b) => f(b.pos) && visitPos(b.value, f) && (b.size === undefined || visitPos(b.size, f)));
    case 'map':
      return (e.base === undefined || visitPos(e.base, f)) && e.assocs.every((a) => f(a.pos) && visitPos(a.key, f) && visitPos(a.value, f));
    case 'record':
      return (e.base === undefined || visitPos(e.base, f)) && e.fields.every((r) => f(r.pos) && f(r.pos) && visitPos(r.value, f));
    case 'record_field':
      return visitPos(e.expr, f) && f(e.pos);
    case 'record_index':
      return f(e.pos);
    case 'match':
      return visitPos(e.left, f) && visitPos(e.right, f);
    case 'op':
      return all(e.args);
    case 'call':
      return visitPos(e.fn, f) && all(e.args);
    case 'remote':
      return visitPos(e.module, f) && visitPos(e.name, f);
    case 'lc':
    case 'bc':
      return (
        visitPos(e.expr, f) &&
        e.quals.every((q) => (q.type === 'filter' ? visitPos(q.expr, f) : f(q.pos) && visitPos(q.pattern, f) && visitPos(q.expr, f)))
      );
    case 'block':
      return all(e.body);
    case 'case':
      return visitPos(e.expr, f) && visitClauses(e.clauses, f);
    case 'if':
      return visitClauses(e.clauses, f);
    case 'receive':
      return visitClauses(e.clauses, f) && (e.after === undefined || (visitPos(e.after.timeout, f) && all(e.after.body)));
    case 'try':
      return all(e.body) && visitClauses(e.clauses, f) && visitClauses(e.catchClauses, f) && all(e.after);
    case 'catch':
      return visitPos(e.expr, f);
    case 'fun_ref':
      return e.module === undefined || (visitPos(e.module, f) && visitPos(e.name, f) && visitPos(e.arity, f));
    case 'fun':
      return visitClauses(e.clauses, f);
    default:
      return true;
  }
}

function visitClauses(cs: Clause[], f: (p: Pos) => boolean): boolean {
  return cs.every(
    (c) => f(c.pos) && c.patterns.every((p) => visitPos(p, f)) && c.guards.every((g) => g.every((t) => visitPos(t, f))) && c.body.every((b) => visitPos(b, f)),
  );
}

export function posLte(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.col <= b.col);
}

/** erl_parse:first_anno/1: walk left to right while positions do not increase. */
export function firstPos(e: Expr): Pos {
  let acc = e.pos;
  visitPos(e, (p) => {
    if (posLte(p, acc)) {
      acc = p;
      return true;
    }
    return false;
  });
  return acc;
}

/** erl_parse:last_anno/1: the greatest position in the node. */
export function lastPos(e: Expr): Pos {
  let acc = e.pos;
  visitPos(e, (p) => {
    if (!posLte(p, acc)) acc = p;
    return true;
  });
  return acc;
}
