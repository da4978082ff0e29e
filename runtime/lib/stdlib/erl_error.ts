// Module erl_error: the text of an exception as the shell prints it after "** " and proc_lib's crash
// reports print it after "    " (format/exception.ts writes it for both). The stack trim fun is
// called as OTP calls it, on the frames from the bottom up while it answers true. Terms are printed
// as ~tp prints them (line length 80, no depth limit), the printer every caller in OTP passes as the
// format fun; a format fun of another kind is not called.

import { Atom, ErlMap, Term, Tuple, atom, listToArray, TRUE } from '../../vm/term.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { callFun } from '../../vm/abi.js';
import { erlError } from '../../vm/exception.js';
import { formatExceptionBody } from './format/exception.js';
import { printTerm } from './format/pretty.js';
import type { Encoding } from './format/chars.js';
import { str } from '../common.js';

const CLASSES = new Set(['error', 'exit', 'throw']);

/** The answers of StackFun for the frames from the bottom up, up to and including the first false. */
function* trimAnswers(stack: Term, stackFun: Term): Generator<unknown, boolean[], unknown> {
  const frames = listToArray(stack) ?? [];
  const answers: boolean[] = [];
  for (let i = frames.length - 1; i >= 0; i--) {
    const fr = frames[i];
    if (!(fr instanceof Tuple) || fr.elements.length !== 4) break;
    const [m, f, a] = fr.elements;
    const arity = typeof a === 'number' ? a : (listToArray(a)?.length ?? 0);
    const keep = (yield* callFun(stackFun, [m, f, arity])) === TRUE;
    answers.push(keep);
    if (!keep) break;
  }
  return answers;
}

function encoding(t: Term): Encoding {
  return t === atom('latin1') ? 'latin1' : 'unicode';
}

function* format(column: Term, cls: Term, reason: Term, stack: Term, stackFun: Term | undefined, enc: Encoding): Generator<unknown, Term, unknown> {
  if (typeof column !== 'number' || !(cls instanceof Atom) || !CLASSES.has(cls.name)) throw erlError(atom('badarg'));
  const answers = stackFun === undefined ? undefined : yield* trimAnswers(stack, stackFun);
  let asked = 0;
  const trimFrame = answers === undefined ? undefined : () => answers[asked++] ?? false;
  const print = (t: Term, col: number): string => printTerm(t, { column: col, lineLength: 80, depth: -1, encoding: enc });
  return str(formatExceptionBody(column, cls, reason, stack, { encoding: enc, trimFrame, print }));
}

defineGenBif('erl_error', 'format_exception', 3, function* (cls: Term, reason: Term, stack: Term) {
  return yield* format(1, cls, reason, stack, undefined, 'unicode');
});

defineGenBif('erl_error', 'format_exception', 4, function* (cls: Term, reason: Term, stack: Term, opts: Term) {
  if (!(opts instanceof ErlMap)) throw erlError(atom('badarg'));
  const column = opts.get(atom('column')) ?? 1;
  const trim = opts.get(atom('stack_trim_fun'));
  return yield* format(column, cls, reason, stack, trim, 'unicode');
});

defineGenBif('erl_error', 'format_exception', 6, function* (i: Term, cls: Term, reason: Term, stack: Term, stackFun: Term, _pf: Term) {
  return yield* format(i, cls, reason, stack, stackFun, 'latin1');
});

defineGenBif('erl_error', 'format_exception', 7, function* (i: Term, cls: Term, reason: Term, stack: Term, stackFun: Term, _pf: Term, enc: Term) {
  return yield* format(i, cls, reason, stack, stackFun, encoding(enc));
});

defineGenBif(
  'erl_error',
  'format_exception',
  8,
  function* (i: Term, cls: Term, reason: Term, stack: Term, stackFun: Term, _pf: Term, enc: Term, _limit: Term) {
    return yield* format(i, cls, reason, stack, stackFun, encoding(enc));
  },
);
