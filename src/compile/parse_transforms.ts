// The parse transforms terl knows, run on a module's forms before it is checked and compiled, when
// a -compile({parse_transform, Mod}) attribute asks for them (as an included .hrl does):
//
//   ms_transform   ets:fun2ms(fun ...) and dbg:fun2ms(fun ...) become their match specs
//                  (src/ms_transform.ts), the fun's imported variables read at run time

import type { Clause, Expr, Form, RecordFieldDef } from '../ast.js';
import { Atom, List, Tuple, atom, list, type Term } from '../../runtime/term.js';
import { constValue } from './literal.js';
import { diagError, type Diagnostic } from './diagnostic.js';
import { MsTransformError, funToMatchSpec, type Dialect, type Records } from '../ms_transform.js';
import { abstractTerm } from '../abstract.js';

/** The parse transforms a module's compile attributes name. */
function transformsOf(forms: Form[]): Set<string> {
  const names = new Set<string>();
  for (const f of forms) {
    if (f.type !== 'compile') continue;
    const v = constValue(f.options);
    const opts: Term[] = [];
    if (v instanceof List) for (let l: Term = v; l instanceof List; l = l.tail) opts.push(l.head);
    else if (v !== undefined) opts.push(v);
    for (const o of opts) {
      if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] instanceof Atom && o.elements[0].name === 'parse_transform' && o.elements[1] instanceof Atom) {
        names.add(o.elements[1].name);
      }
    }
  }
  return names;
}

/** The forms as the parse transforms leave them, or the first error one found. */
export function parseTransforms(forms: Form[]): { forms: Form[] } | { error: Diagnostic } {
  if (!transformsOf(forms).has('ms_transform')) return { forms };
  try {
    return { forms: msTransform(forms) };
  } catch (e) {
    if (e instanceof MsTransformError) return { error: diagError(e.pos, e.message) };
    throw e;
  }
}

/**
 * ms_transform over a module: each fun2ms call in a function becomes its match spec. Records the
 * specs use become tuples, so the module is told not to warn that they are unused.
 */
function msTransform(forms: Form[]): Form[] {
  const records = new Map<string, readonly RecordFieldDef[]>();
  const used = new Set<string>();
  const seen = { get: (name: string) => (records.has(name) && used.add(name), records.get(name)) };
  const out: Form[] = [];
  for (const f of forms) {
    // records count from their definition on, as the forms are read
    if (f.type === 'record') records.set(f.name, f.fields);
    if (f.type === 'function') out.push({ ...f, clauses: f.clauses.map((c) => rewrite(c, seen) as Clause) });
    else out.push(f);
  }
  if (used.size === 0) return out;
  const pos = { line: 0, col: 0 };
  const nowarn = new Tuple([atom('nowarn_unused_record'), list([...used].sort().map(atom))]);
  return [{ type: 'compile', pos, options: abstractTerm(nowarn, pos) }, ...out];
}

function fun2msDialect(e: Expr): Dialect | undefined {
  if (e.type !== 'call' || e.fn.type !== 'remote' || e.args.length !== 1) return undefined;
  const { module: m, name: n } = e.fn;
  if (m.type !== 'atom' || n.type !== 'atom' || n.value !== 'fun2ms') return undefined;
  return m.value === 'ets' || m.value === 'dbg' ? m.value : undefined;
}

/** A copy of a piece of syntax tree with its fun2ms calls translated. */
function rewrite(x: unknown, records: Records): unknown {
  if (Array.isArray(x)) return x.map((y) => rewrite(y, records));
  if (x === null || typeof x !== 'object') return x;
  const e = x as Expr;
  const dialect = fun2msDialect(e);
  if (dialect !== undefined && e.type === 'call') {
    const fun = e.args[0];
    if (fun.type !== 'fun' || fun.name !== undefined) throw new MsTransformError(e.pos, 'Parameter of ets/dbg:fun2ms/1 is not a literal fun');
    return funToMatchSpec(dialect, fun.clauses, records, fun.pos);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = k === 'pos' ? v : rewrite(v, records);
  return out;
}
