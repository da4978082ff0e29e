// Which of a module's functions never return (every clause raises, or calls one that never
// returns). BEAM's compiler knows it from its type analysis and calls such a function without
// keeping the caller's frame, so the caller is missing from the stack trace: `c(X) -> d(X), ok.`
// with a d/1 that always raises shows d/1 alone, and a body recursion ending in a raise, such as
// `deep(0) -> error(bottom); deep(N) -> [deep(N - 1)].`, shows one deep/1 frame. terl drops the
// same frames (support.ts addFrame, line 0).
//
// The analysis is deliberately modest: it recognises raising BIFs, local calls to functions already
// known not to return, and expressions that must evaluate one of those; try is taken to return.

import type { Clause, Expr } from '../ast.js';
import type { ModuleCtx } from './context.js';

export interface FunctionBody {
  name: string;
  arity: number;
  clauses: Clause[];
}

const RAISING = new Set(['error/1', 'error/2', 'error/3', 'exit/1', 'throw/1', 'raise/3', 'nif_error/1', 'nif_error/2']);
const AUTO_RAISING = new Set(['error/1', 'error/2', 'error/3', 'exit/1', 'throw/1']);

/** The keys (Name/Arity) of the functions that never return. */
export function neverReturning(mod: ModuleCtx, functions: readonly FunctionBody[]): Set<string> {
  // optimistic start: a function recursing into itself with no other way out never returns
  const never = new Set(functions.map((f) => f.name + '/' + f.arity));
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of functions) {
      const key = f.name + '/' + f.arity;
      if (never.has(key) && f.clauses.some((c) => !bodyNever(mod, never, c.body))) {
        never.delete(key);
        changed = true;
      }
    }
  }
  return never;
}

function bodyNever(mod: ModuleCtx, never: Set<string>, body: readonly Expr[]): boolean {
  return body.some((e) => exprNever(mod, never, e));
}

function clausesNever(mod: ModuleCtx, never: Set<string>, cs: readonly Clause[]): boolean {
  return cs.length > 0 && cs.every((c) => bodyNever(mod, never, c.body));
}

function exprNever(mod: ModuleCtx, never: Set<string>, e: Expr): boolean {
  const any = (es: readonly Expr[]): boolean => es.some((x) => exprNever(mod, never, x));
  switch (e.type) {
    case 'call':
      return any(e.args) || callNever(mod, never, e.fn, e.args.length);
    case 'match':
      return exprNever(mod, never, e.right);
    case 'tuple':
      return any(e.elements);
    case 'cons':
      return any([e.head, e.tail]);
    case 'op':
      // the right side of andalso/orelse may not run
      return e.op === 'andalso' || e.op === 'orelse' ? exprNever(mod, never, e.args[0]) : any(e.args);
    case 'block':
      return bodyNever(mod, never, e.body);
    case 'case':
      return exprNever(mod, never, e.expr) || clausesNever(mod, never, e.clauses);
    case 'if':
      return clausesNever(mod, never, e.clauses);
    case 'receive':
      return clausesNever(mod, never, e.clauses) && (e.after === undefined || bodyNever(mod, never, e.after.body));
    default:
      return false;
  }
}

function callNever(mod: ModuleCtx, never: Set<string>, fn: Expr, arity: number): boolean {
  const key = (name: string): string => name + '/' + arity;
  if (fn.type === 'atom') {
    if (mod.localFn(fn.value, arity)) return never.has(key(fn.value));
    return AUTO_RAISING.has(key(fn.value)) && !mod.imports.has(key(fn.value)) && !mod.noAutoImport.has(key(fn.value));
  }
  if (fn.type === 'remote' && fn.module.type === 'atom' && fn.module.value === 'erlang' && fn.name.type === 'atom') {
    return RAISING.has(key(fn.name.value));
  }
  return false;
}
