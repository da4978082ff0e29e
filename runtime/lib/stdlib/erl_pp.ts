// Module erl_pp (stdlib): expr/1,2,3,4 and exprs/1,2,3 lay out abstract expressions, form/1,2,
// attribute/1,2, function/1,2 and guard/1,2 abstract forms, as OTP's erl_pp does, with terl's printer
// (src/erl_pp.ts and src/erl_pp_forms.ts, reached through the language hook: the shell's h() uses it
// too). The text comes back as one flat string, where OTP gives a deep list of the same characters.

import { List, NIL, Term, Tuple, atom, charlist } from '../../vm/term.js';
import { badarg, erlError, frame } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { language } from '../language.js';
import { legalizeVars } from './erl_pp_vars.js';

const M = 'erl_pp';
const ENCODING = atom('encoding');
const HOOK = atom('hook');
const LATIN1 = atom('latin1');
const NONE = atom('none');

type Encoding = 'unicode' | 'latin1';

/** An option's value in erl_pp's option list (the first {Key, Value}). */
function option(opts: Term, key: Term): Term | undefined {
  for (let l: Term = opts; l instanceof List; l = l.tail) {
    const o = l.head;
    if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === key) return o.elements[1];
  }
  return undefined;
}

/** The encoding an option list asks for (unicode, epp's default, unless it says latin1). */
function encodingOf(opts: Term): Encoding {
  return option(opts, ENCODING) === LATIN1 ? 'latin1' : 'unicode';
}

/** The linewidth and indent options (positive integers) and quote_singleton_atom_types, where an option list gives them. */
function layoutOf(opts: Term): { width?: number; indent?: number; quoteAtomTypes?: boolean } {
  const size = (key: string): number | undefined => {
    const v = option(opts, atom(key));
    return typeof v === 'number' && v > 0 ? v : undefined;
  };
  const quote = quoteAtomTypes(opts);
  return { width: size('linewidth'), indent: size('indent'), quoteAtomTypes: quote };
}

/** proplists:get_bool: the option as a bare atom or {quote_singleton_atom_types, true}, the first one found */
function quoteAtomTypes(opts: Term): boolean {
  const key = atom('quote_singleton_atom_types');
  for (let l: Term = opts; l instanceof List; l = l.tail) {
    const o = l.head;
    if (o === key) return true;
    if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === key) return o.elements[1] === atom('true');
  }
  return false;
}

/** How strings and atoms are written: given a hook fun rather than an option list, erl_pp writes latin-1. */
function writingOf(opts: Term): Encoding {
  return opts instanceof List || opts === NIL ? encodingOf(opts) : 'latin1';
}

function text(name: string, args: Term[], es: Term[], indent: Term, opts: Term): Term {
  const enc = writingOf(opts);
  if (typeof indent !== 'number') throw badarg(M, name, args);
  try {
    return charlist(language().exprsText(es.map((e) => language().exprFromTerm(e)), indent, enc, layoutOf(opts)));
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

defineBif(M, 'expr', 1, (e: Term) => text('expr', [e], [e], 0, NONE));
defineBif(M, 'expr', 2, (e: Term, opts: Term) => text('expr', [e, opts], [e], 0, opts));
defineBif(M, 'expr', 3, (e: Term, indent: Term, opts: Term) => text('expr', [e, indent, opts], [e], indent, opts));
defineBif(M, 'expr', 4, (e: Term, indent: Term, prec: Term, opts: Term) => {
  const args = [e, indent, prec, opts];
  if (typeof indent !== 'number' || typeof prec !== 'number') throw badarg(M, 'expr', args);
  try {
    return charlist(language().exprText(language().exprFromTerm(e), indent, prec, writingOf(opts), layoutOf(opts)));
  } catch {
    throw badarg(M, 'expr', args);
  }
});
defineBif(M, 'exprs', 1, (es: Term) => text('exprs', [es], exprList('exprs', [es], es), 0, NONE));
defineBif(M, 'exprs', 2, (es: Term, opts: Term) => text('exprs', [es, opts], exprList('exprs', [es, opts], es), 0, opts));
defineBif(M, 'exprs', 3, (es: Term, indent: Term, opts: Term) =>
  text('exprs', [es, indent, opts], exprList('exprs', [es, indent, opts], es), indent, opts),
);

// ---------- forms ----------

type FormKind = 'form' | 'attribute' | 'function' | 'guard';

/** erl_pp's inner function for each entry, and the lines erl's stack shows for it and for the entry */
const INNER: Record<FormKind, [string, number, number]> = {
  form: ['lform', 294, 102],
  attribute: ['lattribute', 313, 117],
  function: ['lfunction', 532, 131],
  guard: ['lguard', 549, 145],
};

function at(line: number): Term {
  return keywords([
    ['file', charlist('erl_pp.erl')],
    ['line', line],
  ]);
}

function keywords(kvs: [string, Term][]): Term {
  return kvs.reduceRight<Term>((tail, [k, v]) => new List(new Tuple([atom(k), v]), tail), NIL);
}

function formText(kind: FormKind, t: Term, opts: Term): Term {
  const isList = opts instanceof List || opts === NIL;
  const messageEnc = isList ? encodingOf(opts) : 'unicode';
  const s = language().formText(kind, t, writingOf(opts), messageEnc, layoutOf(opts));
  if (s !== undefined) return charlist(s);
  // erl_pp has no clause for it: function_clause in the inner function, given erl_pp's #options{}
  const options = new Tuple([atom('options'), isList ? (option(opts, HOOK) ?? NONE) : opts, atom(messageEnc), opts]);
  const [inner, innerLine, line] = INNER[kind];
  throw erlError(
    atom('function_clause'),
    new List(
      frame(M, inner, [t, options], at(innerLine)),
      new List(new Tuple([atom(M), atom(kind), 2, at(line)]), NIL),
    ),
  );
}

for (const kind of ['form', 'attribute', 'function', 'guard'] as const) {
  defineBif(M, kind, 1, (t: Term) => formText(kind, t, NONE));
  defineBif(M, kind, 2, (t: Term, opts: Term) => formText(kind, t, opts));
}

defineBif(M, 'legalize_vars', 1, (f: Term) => {
  const legal = legalizeVars(f);
  if (legal === undefined) throw erlError(atom('badarg'), new List(frame(M, 'legalize_vars', [f], at(229)), NIL));
  return legal;
});
