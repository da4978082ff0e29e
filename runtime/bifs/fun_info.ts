// erlang:fun_info_mfa/1: the module, name and arity a fun's code has (proc_lib records it as a
// process's initial call). A module's fun expression is named -Function/Arity-fun-N- as the
// compiler names its frames; a shell fun is one of erl_eval's, which OTP 25 numbers by arity.

import { Fun, Term, Tuple, atom, tuple } from '../term.js';
import { defineBif } from '../bif_registry.js';
import { badarg } from '../exception.js';

const ERL_EVAL = atom('erl_eval');

defineBif('erlang', 'fun_info_mfa', 1, (f: Term) => {
  if (!(f instanceof Fun)) throw badarg('erlang', 'fun_info_mfa', [f], { 1: 'not a fun' });
  const i = f.info;
  switch (i.kind) {
    case 'export':
      return tuple(i.module, i.name, i.arity);
    case 'local':
      return tuple(i.module, i.name ?? atom(`-fun-${i.index}-`), f.arity);
    case 'foreign':
      // code from another node: BEAM's fun entry would know the name, the wire format does not carry it
      return tuple(i.module, atom(`-fun-${i.index}-`), f.arity);
    case 'eval': {
      const named = i.env instanceof Tuple && i.env.elements.length === 7;
      const name = named ? `-expr/6-RF/${f.arity}-${f.arity + 2}-` : `-expr/6-fun-${f.arity + 2}-`;
      return tuple(ERL_EVAL, atom(name), f.arity);
    }
  }
});
