// The numbers in OTP's names for a function's funs ('-f/1-fun-N-'), which stack traces and
// erlang:fun_info(F, name) show. OTP's compiler numbers them per function as its Core Erlang pass
// (v3_core) meets them: a fun after the funs inside it, operands and arguments right to left, bodies
// and clauses in order. Comprehensions take a number per generator, and `fun f/1` one too, though
// neither is a fun with a name of its own. A named fun (fun G() -> ... end) is named later, when
// OTP lifts local functions out of the function ('-f/0-G/0-K-'), with a count it shares with the
// comprehensions' loops; terl counts those in the same order, which is OTP's in the common cases.

import type { Clause, Expr, Qualifier } from '../ast.js';

/** Each fun expression of function name/arity's clauses with the name OTP gives it. */
export function otpFunNames(name: string, arity: number, clauses: Clause[]): Map<Expr, string> {
  const names = new Map<Expr, string>();
  let next = 0;
  let lifted = 0;
  const exprs = (es: Expr[]): void => es.forEach(expr);
  const rightToLeft = (es: Expr[]): void => [...es].reverse().forEach(expr);
  const clauseList = (cs: Clause[]): void => cs.forEach((c) => exprs(c.body));
  const quals = (qs: Qualifier[]): void => {
    // generator inputs and filters first, then a number per generator, as the comprehension is built
    for (const q of qs) expr(q.expr);
    for (const q of qs) {
      if (q.type === 'filter') continue;
      next++;
      lifted++;
    }
  };
  function expr(e: Expr): void {
    switch (e.type) {
      case 'cons':
        return rightToLeft([e.head, e.tail]);
      case 'tuple':
        return rightToLeft(e.elements);
      case 'bin':
        return [...e.elements].reverse().forEach((b) => rightToLeft(b.size ? [b.value, b.size] : [b.value]));
      case 'map':
        if (e.base) expr(e.base);
        return e.assocs.forEach((a) => exprs([a.key, a.value]));
      case 'record':
        if (e.base) expr(e.base);
        return rightToLeft(e.fields.map((f) => f.value));
      case 'record_field':
        return expr(e.expr);
      case 'match':
        return exprs([e.right, e.left]);
      case 'op':
        // andalso and orelse become a case on the left operand; other operators are calls
        return e.op === 'andalso' || e.op === 'orelse' ? exprs(e.args) : rightToLeft(e.args);
      case 'call':
        if (e.fn.type === 'remote') return rightToLeft([e.fn.module, e.fn.name, ...e.args]);
        if (e.fn.type !== 'atom') expr(e.fn);
        return rightToLeft(e.args);
      case 'lc':
      case 'bc':
        quals(e.quals);
        return expr(e.expr);
      case 'block':
        return exprs(e.body);
      case 'case':
        expr(e.expr);
        return clauseList(e.clauses);
      case 'if':
        return clauseList(e.clauses);
      case 'receive':
        if (e.after) {
          expr(e.after.timeout);
          exprs(e.after.body);
        }
        return clauseList(e.clauses);
      case 'try':
        exprs(e.body);
        clauseList(e.clauses);
        clauseList(e.catchClauses);
        return exprs(e.after);
      case 'catch':
        return expr(e.expr);
      case 'fun_ref':
        if (e.module === undefined) next++;
        return;
      case 'fun':
        clauseList(e.clauses);
        next++;
        if (e.name === undefined) names.set(e, `-${name}/${arity}-fun-${next - 1}-`);
        else names.set(e, `-${name}/${arity}-${e.name}/${e.clauses[0].patterns.length}-${lifted++}-`);
        return;
      default:
        return;
    }
  }
  clauseList(clauses);
  return names;
}
