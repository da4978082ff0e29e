// Shell funs that come from other nodes: OTP's erl_eval closure {Anno, Bindings, Lf, Ef, FUVs,
// Clauses[, Name]} made runnable here by compiling its abstract-format clauses as the shell compiles
// a fun expression, with its captured bindings. The compiled code is kept per clause text, so the
// same fun sent again (a message in a loop) is compiled once.

import { Atom, Fun, Tuple, canonical, listToArray } from '../runtime/vm/term.js';
import { bindingsFromTerm } from './erl_eval.js';
import type { Term } from '../runtime/vm/term.js';
import { PREEMPT } from '../runtime/vm/abi.js';
import type { Expr } from './ast.js';
import { annoToPos, termToClause } from './abstract.js';
import { compileShell } from './compile/shell.js';
import type { ShellRun } from './compile/shell.js';

const compiled = new Map<string, ShellRun | null>();

function compileClauses(anno: Term, clausesTerm: Term, name: Term | undefined, bound: Set<string>): ShellRun | null {
  const key = canonical(clausesTerm) + '|' + (name instanceof Atom ? name.name : '') + '|' + [...bound].sort().join(',');
  const hit = compiled.get(key);
  if (hit !== undefined) return hit;
  let run: ShellRun | null = null;
  try {
    const items = listToArray(clausesTerm);
    if (items !== undefined && items.length > 0) {
      const fun: Expr = { type: 'fun', pos: annoToPos(anno), clauses: items.map(termToClause), ...(name instanceof Atom ? { name: name.name } : {}) };
      const c = compileShell([fun], bound);
      if (c.ok) run = c.run;
    }
  } catch {
    run = null;
  }
  compiled.set(key, run);
  return run;
}

/** The runnable fun for erl_eval closure data `env` of a fun of `arity`, or undefined. */
export function makeEvalFun(arity: number, env: Term): Fun | undefined {
  if (!(env instanceof Tuple) || (env.size !== 6 && env.size !== 7)) return undefined;
  const [anno, bs, , , , clauses, name] = env.elements;
  const bindings = bindingsFromTerm(bs);
  if (bindings === undefined) return undefined;
  const run = compileClauses(anno, clauses, name, new Set(bindings.keys()));
  if (run === null) return undefined;
  // evaluating a fun expression only builds the fun: run it to the end here
  const g = run(bindings);
  let r = g.next();
  for (let steps = 0; !r.done; steps++) {
    if (r.value !== PREEMPT || steps > 1000) return undefined;
    r = g.next();
  }
  const f = r.value.value;
  return f instanceof Fun && f.arity === arity ? f : undefined;
}
