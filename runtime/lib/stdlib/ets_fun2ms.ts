// ets:fun2ms/1 called at run time: a fun made by shell code (erl_eval's closure, which carries
// its clauses and bindings) becomes its match spec, as erl's shell does it. Compiled code gets the
// translation at compile time instead (the ms_transform parse transform, src/compile/
// parse_transforms.ts); a compiled fun that reaches this function was not translated.

import { Fun, Term, Tuple, atom, charlist, list, listToArray, tuple } from '../../term.js';
import { defineGenBif } from '../../bif_registry.js';
import { erlExit } from '../../exception.js';
import { codeServer } from '../../code_server.js';
import { trampoline } from '../../abi.js';
import { fnClause, libFrame } from '../../bifs/common.js';
import { termToClause } from '../../../src/abstract.js';
import { bindingsFromTerm } from '../../../src/erl_eval.js';
import { MsTransformError, matchSpecFromShell, type Records } from '../../../src/ms_transform.js';
import { EvalFunInfo } from '../../../src/compile/support.js';
import { shellFunRecords } from '../../../src/compile/shell.js';
import type { Clause } from '../../../src/ast.js';

const NOT_SHELL_FUN = list(
  'function called with real fun should be transformed with parse_transform or called with a fun generated in the shell'.split(' ').map(atom),
);

/**
 * A plain (not named) shell fun's clauses, bindings and the records its code may name: from the
 * shell's own fun, or from erl_eval's closure {Anno, Bindings, Lf, Ef, FreeVars, Clauses} when it
 * came from elsewhere.
 */
function shellFun(f: Fun): { clauses: Clause[]; bindings: Map<string, Term>; records: Records } | undefined {
  const info = f.info;
  if (info.kind !== 'eval') return undefined;
  if (info instanceof EvalFunInfo) {
    const fun = info.fun;
    if (fun.type !== 'fun' || fun.name !== undefined) return undefined;
    const recs = shellFunRecords(fun);
    return { clauses: fun.clauses, bindings: info.bindings, records: { get: (name) => recs?.get(name)?.fields } };
  }
  const env = info.env;
  const clauses = env instanceof Tuple && env.elements.length === 6 ? listToArray(env.elements[5]) : undefined;
  const bindings = env instanceof Tuple ? bindingsFromTerm(env.elements[1]) : undefined;
  if (clauses === undefined || bindings === undefined) return undefined;
  return { clauses: clauses.map(termToClause), bindings, records: new Map() };
}

defineGenBif('ets', 'fun2ms', 1, function* (f: Term) {
  if (!(f instanceof Fun)) throw fnClause('ets', 'fun2ms', [f], 601);
  const fun = shellFun(f);
  if (fun === undefined) {
    const e = erlExit(tuple(atom('badarg'), tuple(atom('ets'), atom('fun2ms'), NOT_SHELL_FUN)));
    e.stack = list([libFrame('ets', 'fun2ms', 1, 615)]);
    throw e;
  }
  try {
    return matchSpecFromShell('ets', fun.clauses, fun.bindings, fun.records);
  } catch (e) {
    if (!(e instanceof MsTransformError)) throw e;
    const format = codeServer.fn(atom('io'), atom('format'), 2);
    yield* trampoline(yield* format(charlist('Error: ~ts~n'), list([charlist(e.message)])));
    return tuple(atom('error'), atom('transform_error'));
  }
});
