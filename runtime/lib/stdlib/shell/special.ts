// Shell commands whose arguments are not evaluated, as erl's shell treats them before evaluation:
// f(X) names a variable (which may be unbound), and rd(Name, {Field, Field = Default}) defines a
// record from syntax that is not a valid expression to evaluate.

import type { Expr } from '../../../../src/ast.js';
import type { RecordDef } from '../../../../src/compile/shell.js';

export class ShellSyntaxError extends Error {}

function isLocalCall(e: Expr, name: string, arity: number): e is Expr & { type: 'call' } {
  return e.type === 'call' && e.fn.type === 'atom' && e.fn.value === name && e.args.length === arity;
}

/** rd(Name, {a, b = 1}) → the record definition, or undefined when the form is wrong. */
function recordDef(e: Expr & { type: 'call' }): RecordDef | undefined {
  const [name, fields] = e.args;
  if (name.type !== 'atom' || fields.type !== 'tuple') return undefined;
  const defs: RecordDef['fields'] = [];
  for (const f of fields.elements) {
    if (f.type === 'atom') defs.push({ pos: f.pos, name: f.value });
    else if (f.type === 'match' && f.left.type === 'atom') defs.push({ pos: f.pos, name: f.left.value, default: f.right });
    else throw new ShellSyntaxError('bad record field');
  }
  return { name: name.value, fields: defs };
}

/**
 * Rewrite the expression list: f(Var) becomes f('Var'); rd(...) defines its record (through
 * `define`) and becomes the record's name. Works on top-level expressions and anywhere inside.
 */
export function rewriteShellForms(exprs: Expr[], define: (r: RecordDef) => void): Expr[] {
  const walk = (e: Expr): Expr => {
    if (isLocalCall(e, 'f', 1) && e.args[0].type === 'var') {
      return { ...e, args: [{ type: 'atom', pos: e.args[0].pos, value: e.args[0].name }] };
    }
    if (isLocalCall(e, 'rd', 2)) {
      const def = recordDef(e);
      if (def === undefined) throw new ShellSyntaxError('bad record declaration');
      define(def);
      return { type: 'atom', pos: e.pos, value: def.name };
    }
    return mapChildren(e, walk);
  };
  return exprs.map(walk);
}

/** e with each direct sub-expression replaced by f(sub). */
function mapChildren(e: Expr, f: (x: Expr) => Expr): Expr {
  const out: Record<string, unknown> = { ...e };
  for (const [k, v] of Object.entries(e)) {
    if (k === 'pos') continue;
    out[k] = mapValue(v, f);
  }
  return out as Expr;
}

function mapValue(v: unknown, f: (x: Expr) => Expr): unknown {
  if (Array.isArray(v)) return v.map((x) => mapValue(x, f));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.type === 'string' && 'pos' in o && o.type !== 'generate' && o.type !== 'b_generate' && o.type !== 'filter') {
      return f(v as Expr);
    }
    const copy: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) copy[k] = k === 'pos' ? x : mapValue(x, f);
    return copy;
  }
  return v;
}
