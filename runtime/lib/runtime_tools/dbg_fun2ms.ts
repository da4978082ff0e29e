// dbg:fun2ms/1's translation, for dbg.erl to call: a fun typed at the shell becomes the match
// specification it stands for, in dbg's dialect (the fun's one parameter is the argument list;
// return_trace(), message(...), caller() are its actions). OTP's dbg reaches ms_transform through
// erl_eval's fun data; terl's shell funs are the language's to read, so ms_transform offers it here.

import { Fun, Term, atom } from '../../vm/term.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { fnClause } from '../common.js';
import { shellFun2ms } from '../stdlib/ets_fun2ms.js';

/** ms_transform:shell_fun2ms(Dialect, Fun): Dialect is ets or dbg, whose fun2ms/1 is asked for. */
defineGenBif('ms_transform', 'shell_fun2ms', 2, function* (dialect: Term, f: Term) {
  const d = dialect === atom('ets') ? 'ets' : 'dbg';
  if (!(f instanceof Fun)) throw fnClause(d, 'fun2ms', [f], 46);
  return yield* shellFun2ms(d, f, 61);
});
