// ets:fun2ms/1 called at run time: a fun made by shell code (erl_eval's closure, which carries
// its clauses and bindings) becomes its match spec, as erl's shell does it. Compiled code gets the
// translation at compile time instead (the ms_transform parse transform, src/compile/
// parse_transform.ts); a compiled fun that reaches this function was not translated. The shell fun's
// clauses are the language's to read (src/ms_transform.ts shellFun2ms).

import { Fun, Term, atom, charlist, list, tuple } from '../../vm/term.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { erlExit } from '../../vm/exception.js';
import { codeServer } from '../../vm/code_server.js';
import { trampoline } from '../../vm/abi.js';
import { fnClause, libFrame } from '../common.js';
import { language } from '../language.js';

const NOT_SHELL_FUN = list(
  'function called with real fun should be transformed with parse_transform or called with a fun generated in the shell'.split(' ').map(atom),
);

defineGenBif('ets', 'fun2ms', 1, function* (f: Term) {
  if (!(f instanceof Fun)) throw fnClause('ets', 'fun2ms', [f], 601);
  return yield* shellFun2ms('ets', f, 615);
});

/** A shell fun's match spec in the dialect of ets or dbg, as their fun2ms/1 give it; `line` is the module's, for the badarg's frame. */
export function* shellFun2ms(dialect: 'ets' | 'dbg', f: Fun, line: number): Generator<unknown, Term, unknown> {
  const r = language().shellFun2ms(f, dialect);
  if (r === undefined) {
    const e = erlExit(tuple(atom('badarg'), tuple(atom(dialect), atom('fun2ms'), NOT_SHELL_FUN)));
    e.stack = list([libFrame(dialect, 'fun2ms', 1, line)]);
    throw e;
  }
  if ('ms' in r) return r.ms;
  const format = codeServer.fn(atom('io'), atom('format'), 2);
  yield* trampoline(yield* format(charlist('Error: ~ts~n'), list([charlist(r.error)])));
  return tuple(atom('error'), atom('transform_error'));
}
