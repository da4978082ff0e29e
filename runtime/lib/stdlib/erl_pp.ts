// Module erl_pp (stdlib), its expression half: expr/1,2,3 and exprs/1,2,3 lay out abstract
// expressions as OTP's erl_pp does, with terl's printer (src/erl_pp.ts, reached through the language
// hook: the shell's h() uses it too). The text comes back as one flat string, where OTP gives a deep
// list of the same characters.

import { List, NIL, Term, Tuple, atom, charlist } from '../../vm/term.js';
import { badarg } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { language } from '../language.js';

const M = 'erl_pp';
const ENCODING = atom('encoding');
const LATIN1 = atom('latin1');

/** The encoding an option list asks for ([{encoding, E}] or a hook fun, as erl_pp takes it). */
function encodingOf(opts: Term): 'unicode' | 'latin1' {
  for (let l: Term = opts; l instanceof List; l = l.tail) {
    const o = l.head;
    if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === ENCODING) return o.elements[1] === LATIN1 ? 'latin1' : 'unicode';
  }
  return 'unicode';
}

function text(name: string, args: Term[], es: Term[], indent: Term, opts: Term): Term {
  const enc = encodingOf(opts);
  if (typeof indent !== 'number') throw badarg(M, name, args);
  try {
    return charlist(language().exprsText(es.map((e) => language().exprFromTerm(e)), indent, enc));
  } catch {
    throw badarg(M, name, args);
  }
}

function exprList(name: string, args: Term[], t: Term): Term[] {
  const out: Term[] = [];
  let l: Term = t;
  for (; l instanceof List; l = l.tail) out.push(l.head);
  if (l !== NIL) throw badarg(M, name, args);
  return out;
}

defineBif(M, 'expr', 1, (e: Term) => text('expr', [e], [e], 0, NIL));
defineBif(M, 'expr', 2, (e: Term, opts: Term) => text('expr', [e, opts], [e], 0, opts));
defineBif(M, 'expr', 3, (e: Term, indent: Term, opts: Term) => text('expr', [e, indent, opts], [e], indent, opts));
defineBif(M, 'exprs', 1, (es: Term) => text('exprs', [es], exprList('exprs', [es], es), 0, NIL));
defineBif(M, 'exprs', 2, (es: Term, opts: Term) => text('exprs', [es, opts], exprList('exprs', [es, opts], es), 0, opts));
defineBif(M, 'exprs', 3, (es: Term, indent: Term, opts: Term) =>
  text('exprs', [es, indent, opts], exprList('exprs', [es, indent, opts], es), indent, opts),
);
