// The parse transforms terl knows, applied where a module asks for them with
// -compile({parse_transform, Name}). terl compiles from source and cannot run a user's transform
// module, so the ones headers name are built in: eunit.hrl's eunit_autoexport and eunit_striptests,
// and ms_transform.hrl's ms_transform (ets:fun2ms and dbg:fun2ms calls become their match specs,
// src/ms_transform.ts). Any other is left alone.

import type { Clause, Expr, Form, Pos } from '../ast.js';
import { constValue } from './literal.js';
import { Atom, List, Tuple, list, type Term } from '../../runtime/vm/term.js';
import { diagError, type Diagnostic } from './diagnostic.js';
import { MsTransformError, msTransformForms } from '../ms_transform.js';

type Transform = (forms: Form[]) => Form[];

const TRANSFORMS: Record<string, Transform> = {
  eunit_autoexport: autoexport,
  eunit_striptests: striptests,
  ms_transform: msTransformForms,
};

/** The forms after the parse transforms the module names, in the order it names them, or the first error one found. */
export function applyParseTransforms(forms: Form[]): { forms: Form[] } | { error: Diagnostic } {
  try {
    for (const name of new Set(transformsNamed(forms))) {
      const t = Object.hasOwn(TRANSFORMS, name) ? TRANSFORMS[name] : undefined;
      if (t !== undefined) forms = t(forms);
    }
  } catch (e) {
    if (e instanceof MsTransformError) return { error: diagError(e.pos, e.message) };
    throw e;
  }
  return { forms };
}

function transformsNamed(forms: Form[]): string[] {
  const names: string[] = [];
  for (const f of forms) {
    if (f.type !== 'compile') continue;
    const v = constValue(f.options);
    for (let opts: Term | undefined = v instanceof List ? v : v === undefined ? undefined : list([v]); opts instanceof List; opts = opts.tail) {
      const o = opts.head;
      if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] instanceof Atom && o.elements[0].name === 'parse_transform') {
        const m = o.elements[1];
        if (m instanceof Atom) names.push(m.name);
      }
    }
  }
  return names;
}

/** Is this a test eunit finds by its name: Name_test/0, Name_test_/0 (a generator), Name_exported_/0? */
function isTestFunction(f: Form): boolean {
  return f.type === 'function' && f.arity === 0 && /(_test|_test_|_exported_)$/.test(f.name);
}

/**
 * eunit_autoexport: export the module's tests and generators, and add test() -> eunit:test(Mod)
 * (exported too) unless the module defines test/0 itself. The export goes right after -module.
 */
function autoexport(forms: Form[]): Form[] {
  const mod = forms.find((f) => f.type === 'module');
  if (mod === undefined) return forms;
  const exports: [string, number][] = [];
  const seen = new Set<string>();
  for (const f of forms) {
    if (f.type !== 'function') continue;
    const key = f.name + '/' + f.arity;
    if ((isTestFunction(f) || key === 'eunit_wrapper_/1') && !seen.has(key)) {
      seen.add(key);
      exports.push([f.name, f.arity]);
    }
  }
  const hasTest = forms.some((f) => f.type === 'function' && f.name === 'test' && f.arity === 0);
  const pos: Pos = { line: 0, col: 0 };
  const out: Form[] = [];
  for (const f of forms) {
    out.push(f);
    if (f === mod) out.push({ type: 'export', pos, functions: hasTest ? exports : [['test', 0], ...exports] });
  }
  if (!hasTest) out.push(testFunction(mod.name, pos));
  return out;
}

/** test() -> eunit:test(Mod). */
function testFunction(module: string, pos: Pos): Form {
  const atomE = (value: string): Expr => ({ type: 'atom', pos, value });
  const call: Expr = { type: 'call', pos, fn: { type: 'remote', pos, module: atomE('eunit'), name: atomE('test') }, args: [atomE(module)] };
  const clause: Clause = { pos, patterns: [], guards: [], body: [call] };
  return { type: 'function', pos, name: 'test', arity: 0, clauses: [clause] };
}

/** eunit_striptests (testing off, NOTEST): the tests and generators the module does not export itself are removed. */
function striptests(forms: Form[]): Form[] {
  const exported = new Set(forms.flatMap((f) => (f.type === 'export' ? f.functions.map(([n, a]) => n + '/' + a) : [])));
  const strip = (f: Form): boolean =>
    f.type === 'function' && ((isTestFunction(f) && !exported.has(f.name + '/0')) || (f.name === 'eunit_wrapper_' && f.arity === 1));
  return forms.filter((f) => !strip(f));
}
