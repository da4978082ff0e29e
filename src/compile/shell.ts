// Shell expressions compile like module code: one generator that takes the shell's bindings and
// answers the value of the last expression and the new bindings. Local calls that are not BIFs
// go to the shell's commands (R.shellLocal); funs are 'eval' funs carrying their code and bindings.

import type { Expr } from '../ast.js';
import type { Term } from '../../runtime/vm/term.js';
import { CompileError, FnCtx, ModuleCtx, RecordDef, exprVars, jsString } from './context.js';
import { compileBody } from './expr.js';
import { Diagnostic, diagError } from './diagnostic.js';
import { H, prelude } from './helpers.js';
import { lintExprs } from './lint.js';
import type { CompileRuntime } from './support.js';
import { nodeRuntime } from './node_runtime.js';
import { shellScript, type ShellPlace } from './callers.js';

export type { RecordDef };

export interface ShellRun {
  (bindings: Map<string, Term>): Generator<unknown, { value: Term; bindings: Map<string, Term> }, unknown>;
}

export type ShellCompileResult = { ok: true; run: ShellRun; js: string } | { ok: false; errors: Diagnostic[] };

export interface ShellOptions {
  /** records the shell knows (rd/2, rr/1) */
  records?: Map<string, RecordDef>;
  /**
   * A local call f(Args) that is not a BIF: the shell's commands (c/1, b/0, f/1, ...). `bindings`
   * are the variables bound at the call. Without it such a call is error undef with the frame
   * {shell, f, Args, []} (erl: `undefined shell command f/1`).
   */
  shellCommand?(name: string, args: Term[], bindings: Map<string, Term>): Generator<unknown, Term, unknown>;
  /** rd(Name, {Fields}) evaluated: the shell keeps the definition for the expressions that follow */
  defineRecord?(def: RecordDef): void;
  /** where the code runs, for the frames its stack traces end in: the shell (the default) or init's -eval */
  place?: ShellPlace;
  /** what the code closes over; this node's scheduler, code server and erlang:'!' by default */
  runtime?: Partial<CompileRuntime>;
}

/** The records each shell fun's code was compiled with (ets:fun2ms reads its record syntax with them). */
const funRecords = new WeakMap<Expr, ReadonlyMap<string, RecordDef>>();

export function shellFunRecords(fun: Expr): ReadonlyMap<string, RecordDef> | undefined {
  return funRecords.get(fun);
}

export function compileShell(exprs: Expr[], bound: Set<string>, opts: ShellOptions = {}): ShellCompileResult {
  const rt = nodeRuntime(true, {
    ...opts.runtime,
    ...(opts.shellCommand ? { shellLocal: opts.shellCommand } : {}),
    ...(opts.defineRecord ? { defineRecord: opts.defineRecord } : {}),
  });
  const records = opts.records ?? new Map<string, RecordDef>();
  const place = opts.place ?? 'shell';
  const lint = lintExprs(exprs, bound, records);
  if (lint.errors.length > 0) return { ok: false, errors: lint.errors };
  try {
    const mod = new ModuleCtx('erl_eval', 'shell', records, true);
    const fx = new FnCtx(mod, undefined, undefined);
    fx.shellTop = true;
    fx.maybeBound = lint.maybe;
    // the bound variables the expressions use start from the bindings map
    const used = new Set<string>();
    for (const e of exprs) exprVars(e, used);
    const inputs: string[] = [];
    for (const v of used) {
      if (!bound.has(v)) continue;
      const js = fx.bindName(v, false);
      fx.env.set(v, js);
      inputs.push(`${js} = B.get(${jsString(v)});`);
    }
    const res = fx.tmp('res');
    fx.indentLevel = 2;
    compileBody(fx, exprs, { k: 'set', v: res }, place === 'shell');
    const out = [...fx.everBound].map(([name, js]) => `if (${js} !== undefined) out.set(${jsString(name)}, ${js});`);
    const src = [
      '"use strict";',
      prelude(),
      `const MOD = atom("erl_eval"), UNIQ = 0, MD5 = new Uint8Array(16), PLACE = ${jsString(place)};`,
      ...mod.decls,
      ...mod.topLevel,
      'return function* run(B) {',
      fx.lets.size ? `  let ${[...fx.lets].join(', ')};` : '',
      ...inputs.map((l) => '  ' + l),
      '  try {',
      fx.code(),
      `  } catch (e) { throw H.shellEscape(e, ${fx.lets.has('ep') ? 'ep' : 'undefined'}); }`,
      '  const out = new Map(B);',
      ...out.map((l) => '  ' + l),
      `  return { value: ${res}, bindings: out };`,
      '};',
    ].join('\n');
    const run = new Function('H', 'R', 'AST', 'RD', src + shellScript(place, src))(H, rt, mod.funAsts, mod.shellRecords) as ShellRun;
    for (const f of mod.funAsts) funRecords.set(f, records);
    return { ok: true, run, js: src };
  } catch (err) {
    if (err instanceof CompileError) return { ok: false, errors: [diagError(err.pos, err.message)] };
    throw err;
  }
}
