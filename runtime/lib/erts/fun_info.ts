// erlang:fun_info/1,2: what a fun is. A compiled module's fun carries the name OTP's compiler gives
// it ('-f/0-fun-1-', see src/compile/fun_names.ts); a shell fun is one of erl_eval's, as in erl.

import { Atom, Fun, NIL, Term, Tuple, atom, binary, list, tuple } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { badarg } from '../../vm/exception.js';
import { S } from '../../vm/scheduler.js';
import { ERL_EVAL_UNIQ, evalFunIndex } from '../stdlib/format/term.js';

/** erl_eval's module md5 in OTP 25 (fun_info(F, new_uniq) of a shell fun). */
const ERL_EVAL_MD5 = new Uint8Array([6, 83, 97, 170, 70, 21, 144, 209, 189, 241, 235, 98, 209, 166, 235, 8]);

const LOCAL_ITEMS = ['pid', 'module', 'new_index', 'new_uniq', 'index', 'uniq', 'name', 'arity', 'env', 'type'];
const EXTERNAL_ITEMS = ['module', 'name', 'arity', 'env', 'type'];
const ALL_ITEMS = new Set(LOCAL_ITEMS);

function item(f: Fun, what: string): Term {
  const i = f.info;
  if (i.kind === 'export') {
    const external: Record<string, Term> = { module: i.module, name: i.name, arity: i.arity, env: NIL, type: atom('external'), pid: atom('undefined') };
    return external[what] ?? atom('undefined');
  }
  if (i.kind === 'eval') {
    const named = i.env instanceof Tuple && i.env.elements.length === 7;
    const index = evalFunIndex(f.arity, named);
    const shell: Record<string, () => Term> = {
      pid: () => i.pid ?? S.current.pid,
      module: () => atom('erl_eval'),
      new_index: () => index,
      new_uniq: () => binary(ERL_EVAL_MD5),
      index: () => index,
      uniq: () => ERL_EVAL_UNIQ,
      name: () => atom(named ? `-expr/6-RF/${f.arity}-${f.arity + 2}-` : `-expr/6-fun-${f.arity + 2}-`),
      arity: () => f.arity,
      env: () => list([i.env]),
      type: () => atom('local'),
    };
    return shell[what]();
  }
  const local: Record<string, () => Term> = {
    pid: () => i.pid ?? S.current.pid,
    module: () => i.module,
    new_index: () => i.index,
    new_uniq: () => binary(i.md5),
    index: () => i.index,
    uniq: () => i.uniq,
    name: () => (i.kind === 'local' && i.name !== undefined ? i.name : atom(`-fun-${i.index}-`)),
    arity: () => f.arity,
    env: () => list(i.free),
    type: () => atom('local'),
  };
  return local[what]();
}

defineBif('erlang', 'fun_info', 2, (f, what) => {
  if (!(f instanceof Fun)) throw badarg('erlang', 'fun_info', [f, what], { 1: 'not a fun' });
  if (!(what instanceof Atom) || !ALL_ITEMS.has(what.name)) throw badarg('erlang', 'fun_info', [f, what], { 2: 'invalid item' });
  return tuple(what, item(f, what.name));
});

defineBif('erlang', 'fun_info', 1, (f) => {
  if (!(f instanceof Fun)) throw badarg('erlang', 'fun_info', [f], { 1: 'not a fun' });
  const items = f.info.kind === 'export' ? EXTERNAL_ITEMS : LOCAL_ITEMS;
  return list(items.map((k) => tuple(atom(k), item(f, k))));
});
