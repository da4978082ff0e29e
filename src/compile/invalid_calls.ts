// BEAM's compiler warns "invalid function call" where a call's function is a term that can never
// be a fun (`1()`, `"abc"(X)`, `{a}()`): the module still compiles, and the call raises
// error:{badfun, Term} when it runs. Two of its core-Erlang passes see a constructed term there,
// so erlc prints that warning twice; a binary, a constant expression (`(1+2)()`) or a variable
// matched to a constant (`X = 1, X()`) only reach one of them: once. The walk is iterative, since
// bodies may nest deep.

import type { Expr, Pos } from '../ast.js';

/** A term the compiler folds to a constant. */
function isConstant(e: Expr): boolean {
  switch (e.type) {
    case 'integer':
    case 'float':
    case 'char':
    case 'string':
    case 'nil':
    case 'atom':
      return true;
    case 'tuple':
      return e.elements.every(isConstant);
    case 'cons':
      return isConstant(e.head) && isConstant(e.tail);
    case 'bin':
      return e.elements.every((el) => isConstant(el.value) && (el.size === undefined || isConstant(el.size)));
    case 'op':
      return e.op !== '!' && e.op !== 'andalso' && e.op !== 'orelse' && e.args.every(isConstant);
    default:
      return false;
  }
}

/** How many times erlc warns about a call of this term (0: it may be a fun). */
function warnings(fn: Expr, constants: Set<string>): number {
  switch (fn.type) {
    case 'integer':
    case 'float':
    case 'char':
    case 'string':
    case 'nil':
    case 'cons':
    case 'tuple':
      return 2;
    case 'bin':
      return 1;
    case 'op':
      return isConstant(fn) ? 1 : 0;
    case 'var':
      return constants.has(fn.name) ? 1 : 0;
    default:
      return 0;
  }
}

/** Where a folded constant is reported: a binary operation at its leftmost operand. */
function foldedPos(e: Expr): Pos {
  while (e.type === 'op' && e.args.length === 2) e = e.args[0];
  return e.pos;
}

/** Every node below these roots (expressions, clauses, lists of them), parents first. */
function* nodes(roots: unknown[]): Generator<{ type?: unknown }> {
  const stack: unknown[] = [...roots].reverse();
  while (stack.length > 0) {
    const x = stack.pop();
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]);
      continue;
    }
    if (x === null || typeof x !== 'object') continue;
    yield x as { type?: unknown };
    const children = Object.entries(x).filter(([k, v]) => k !== 'pos' && v !== null && typeof v === 'object');
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i][1]);
  }
}

/** Warn for each call in a function clause's body whose function can never be a fun. */
export function warnInvalidCalls(clauseBodies: Expr[][], warn: (pos: Pos, msg: string) => void): void {
  for (const body of clauseBodies) {
    // variables this clause's body matches to a constant (not inside a case: either branch may bind it)
    const constants = new Set<string>();
    for (const e of body) if (e.type === 'match' && e.left.type === 'var' && isConstant(e.right)) constants.add(e.left.name);
    for (const n of nodes(body)) {
      const e = n as Expr;
      if (e.type !== 'call') continue;
      const times = warnings(e.fn, constants);
      for (let i = 0; i < times; i++) warn(foldedPos(e.fn), 'invalid function call');
    }
  }
}
