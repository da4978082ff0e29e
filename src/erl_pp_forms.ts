// erl_pp's forms: form/1,2, attribute/1,2, function/1,2 and guard/1,2 lay out abstract forms (terms,
// as erl_parse:parse_form gives them) as OTP's erl_pp does, with the layout and the expression and
// type printing of src/erl_pp.ts. Attributes are printed from their terms (types are terms there
// anyway); function clauses and record field defaults are read back into the syntax tree first.

import type { Clause, Expr } from './ast.js';
import { Atom, List, NIL, Term, Tuple, atom, listToArray } from '../runtime/vm/term.js';
import { format } from '../runtime/lib/stdlib/format/io_lib.js';
import { writeAtom } from '../runtime/lib/stdlib/format/chars.js';
import { termToClause, termToExpr } from './abstract.js';
import { abstractTerm } from './parse/literal.js';
import {
  CItem,
  Ctx,
  Encoding,
  INOP,
  Item,
  NIL_ITEM,
  LayoutOptions,
  Printer,
  ch,
  cstep,
  first,
  layout,
  leaf,
  lst,
  preferNl,
  seq,
  step,
} from './erl_pp.js';

export type FormKind = 'form' | 'attribute' | 'function' | 'guard';

/** Thrown for a term the asked-for printer has no clause for (erl_pp fails with function_clause). */
export class NoFormClause extends Error {}

const NOWHERE = { line: 0, col: 0 };

function tagOf(t: Term): string | undefined {
  return t instanceof Tuple && t.elements[0] instanceof Atom ? t.elements[0].name : undefined;
}

function items(t: Term): Term[] {
  const xs = listToArray(t);
  if (xs === undefined) throw new NoFormClause();
  return xs;
}

/**
 * The text of a form, an attribute, a function or a guard. `enc` is how strings and atoms are written
 * (latin1 when erl_pp is given no option list); `optionsEnc` is the encoding of erl_pp's options
 * (unicode unless they say latin1): how {error, _} and {warning, _} are written, and which lists an
 * attribute's value shows as strings.
 */
export function formText(kind: FormKind, t: Term, enc: Encoding, optionsEnc: Encoding, opts: LayoutOptions = {}): string {
  const cx = { enc, ...opts };
  const f = new FormPrinter(cx, optionsEnc);
  let item: Item;
  switch (kind) {
    case 'guard':
      item = f.guard(items(t));
      break;
    case 'function':
      item = f.func(t);
      break;
    case 'attribute':
      item = f.attribute(t);
      break;
    case 'form':
      item = f.form(t);
      break;
  }
  return layout(item, 0, cx).s;
}

class FormPrinter {
  readonly p: Printer;

  constructor(
    cx: Ctx,
    readonly optionsEnc: Encoding,
  ) {
    this.p = new Printer(cx);
  }

  form(t: Term): Item {
    const tag = tagOf(t);
    if (tag === 'attribute') return this.attribute(t);
    if (tag === 'function') return this.func(t);
    if ((tag === 'error' || tag === 'warning') && (t as Tuple).elements.length === 2) {
      return leaf(format(this.optionsEnc === 'latin1' ? '~p\n' : '~tp\n', [t]));
    }
    if (tag === 'eof' && (t as Tuple).elements.length === 2) return leaf('\n');
    throw new NoFormClause();
  }

  guard(gs: Term[]): Item {
    if (gs.length === 0) return NIL_ITEM;
    // a flat list of tests is one guard, as before R6
    const alts = gs.every((g) => g === NIL || g instanceof List) ? gs.map(items) : [gs];
    return lst([step(leaf('when'), this.p.guardSeq(alts.map((g) => g.map(termToExpr))))]);
  }

  // ---------- functions ----------

  func(t: Term): Item {
    if (tagOf(t) !== 'function' || (t as Tuple).elements.length !== 5) throw new NoFormClause();
    const [, , name, , cs] = (t as Tuple).elements;
    if (!(name instanceof Atom)) throw new NoFormClause();
    const clauses = items(cs!).map(termToClause);
    return [preferNl(ch(';'), clauses.map((c) => this.funcClause(name, c))), leaf('.\n')];
  }

  funcClause(name: Atom, c: Clause): CItem {
    const head = first(this.p.atom(name.name), this.p.args(c.patterns));
    return step(this.p.guardWhen(head, c.guards), this.p.body(c.body));
  }

  // ---------- attributes ----------

  attribute(t: Term): Item {
    if (tagOf(t) !== 'attribute' || (t as Tuple).elements.length !== 4) throw new NoFormClause();
    const [, , nameT, arg] = (t as Tuple).elements as [Term, Term, Term, Term];
    if (!(nameT instanceof Atom)) throw new NoFormClause();
    const name = nameT.name;
    switch (name) {
      case 'type':
      case 'opaque':
        return [this.typeAttr(name, arg), leaf('.\n')];
      case 'spec':
      case 'callback':
        return [this.specAttr(name, arg), leaf('.\n')];
    }
    return [this.plainAttr(name, arg), leaf('.\n')];
  }

  /** -Name(A1, ...) with each argument an item */
  attr(name: string, args: Item[]): Item {
    return first([ch('-'), this.p.atom(name)], seq(ch('('), ch(')'), ch(','), args));
  }

  plainAttr(name: string, arg: Term): Item {
    switch (name) {
      case 'module':
        if (arg instanceof Atom) return this.attr(name, [this.p.atom(arg.name)]);
        if (arg instanceof Tuple && arg.elements.length === 2 && arg.elements[0] instanceof Atom) {
          // -module(M, [Params]): the parameters are variables
          const vs = items(arg.elements[1]!).map((v): Expr => ({ type: 'var', pos: NOWHERE, name: v instanceof Atom ? v.name : '' }));
          const params = vs.reduceRight<Expr>((tail, head) => ({ type: 'cons', pos: NOWHERE, head, tail }), { type: 'nil', pos: NOWHERE });
          return this.attr(name, [this.p.atom(arg.elements[0].name), this.p.expr(params)]);
        }
        break;
      case 'export':
      case 'export_type':
        return this.attr(name, [this.faList(arg)]);
      case 'optional_callbacks':
        try {
          return this.attr(name, [this.faList(arg)]);
        } catch {
          break;
        }
      case 'import':
        if (arg instanceof Tuple && arg.elements.length === 2 && arg.elements[0] instanceof Atom) {
          return this.attr(name, [leaf(writeAtom(arg.elements[0], 'latin1')), this.faList(arg.elements[1]!)]);
        }
        break;
      case 'file':
        if (arg instanceof Tuple && arg.elements.length === 2) {
          const [file, line] = arg.elements as [Term, Term];
          const fileExpr: Expr = { type: 'string', pos: NOWHERE, value: String.fromCodePoint(...(items(file) as number[])) };
          return this.attr(name, [this.p.expr(fileExpr), this.p.expr({ type: 'integer', pos: NOWHERE, value: line as number })]);
        }
        break;
      case 'record':
        if (arg instanceof Tuple && arg.elements.length === 2 && arg.elements[0] instanceof Atom) {
          const head: Item = [leaf('-record('), this.p.atom(arg.elements[0].name), ch(',')];
          return [first(head, this.p.tuple(items(arg.elements[1]!).map((f) => this.recordField(f)))), ch(')')];
        }
        break;
    }
    const value = abstractTerm(arg, NOWHERE);
    return this.attr(name, [this.p.expr(this.optionsEnc === 'latin1' ? latin1Strings(value) : value)]);
  }

  /** [f/1,g/2]: atoms with their arities, no spaces between */
  faList(t: Term): Item {
    const fas = items(t);
    if (fas.length === 0) return leaf('[]');
    return seq(
      ch('['),
      ch(']'),
      ch(','),
      fas.map((fa) => {
        if (!(fa instanceof Tuple) || fa.elements.length !== 2 || !(fa.elements[0] instanceof Atom)) throw new NoFormClause();
        return [this.p.atom(fa.elements[0].name), leaf(`/${format('~w', [fa.elements[1]!])}`)];
      }),
      false,
    );
  }

  recordField(f: Term): CItem {
    const tag = tagOf(f);
    const es = (f as Tuple).elements;
    if (tag === 'typed_record_field' && es.length === 3) {
      const [, field, type] = es as [Term, Term, Term];
      const fes = (field as Tuple).elements;
      if (tagOf(field) === 'record_field' && fes.length === 4) {
        const [, , r] = INOP['=']!;
        return lst([cstep([this.p.expr(termToExpr(fes[2]!)), leaf(' =')], this.typed(this.p.expr(termToExpr(fes[3]!), r), type))]);
      }
      return this.typed(this.recordField(field) as Item, type);
    }
    if (tag === 'record_field' && es.length === 4) {
      const [, , r] = INOP['=']!;
      return lst([cstep([this.p.expr(termToExpr(es[2]!)), leaf(' =')], this.p.expr(termToExpr(es[3]!), r))]);
    }
    if (tag === 'record_field' && es.length === 3) return this.p.expr(termToExpr(es[2]!));
    throw new NoFormClause();
  }

  // ---------- types and specs ----------

  typed(b: Item, type: Term): Item {
    return lst([cstep([b, leaf(' ::')], this.p.type(type))]);
  }

  /** -type Name(Vars) :: Type */
  typeAttr(kind: string, arg: Term): Item {
    if (!(arg instanceof Tuple) || arg.elements.length !== 3 || !(arg.elements[0] instanceof Atom)) throw new NoFormClause();
    const [name, type, vars] = arg.elements as [Atom, Term, Term];
    const head = first(this.p.atom(name.name), this.p.args(items(vars).map(termToExpr)));
    return first(leaf(`-${kind} `), this.typed(head, type));
  }

  /** -spec f(Args) -> Ret; (Args) -> Ret, each signature possibly bounded (when V :: T, ...) */
  specAttr(kind: string, arg: Term): Item {
    if (!(arg instanceof Tuple) || arg.elements.length !== 2) throw new NoFormClause();
    const [fa, sigs] = arg.elements as [Term, Term];
    let fn: Item;
    if (fa instanceof Tuple && fa.elements.length === 2) fn = this.p.atom(atomName(fa.elements[0]!));
    else if (fa instanceof Tuple && fa.elements.length === 3) fn = [this.p.atom(atomName(fa.elements[0]!)), ch(':'), this.p.atom(atomName(fa.elements[1]!))];
    else throw new NoFormClause();
    const clauses = preferNl(ch(';'), items(sigs).map((s) => this.sigType(s)));
    return first(leaf(`-${kind} `), lst([first(fn, clauses)]));
  }

  sigType(t: Term): CItem {
    const es = (t as Tuple).elements;
    if (tagOf(t) === 'type' && es[2] === atom('bounded_fun')) {
      const [ft, constraints] = items(es[3]!);
      const before = this.p.funType(NIL_ITEM, (items((ft as Tuple).elements[3]!)));
      const cs = seq(NIL_ITEM, NIL_ITEM, ch(','), items(constraints!).map((c) => this.constraint(c)));
      return lst([step(before, lst([step(leaf('when'), cs)]))]);
    }
    if (tagOf(t) === 'type' && es[2] === atom('fun')) return this.p.funType(NIL_ITEM, items(es[3]!));
    throw new NoFormClause();
  }

  constraint(c: Term): CItem {
    const [tag, v] = items((c as Tuple).elements[3]!);
    if (tagOf(tag!) === 'atom' && (tag as Tuple).elements[2] === atom('is_subtype')) {
      const [var_, type] = items(v!);
      return this.typed(this.p.expr(termToExpr(var_!)), type!);
    }
    return first(this.p.type(tag!), this.p.typeArgs(items(v!)));
  }
}

/**
 * erl_parse:abstract with {encoding, latin1}: a string holds latin-1 characters only, so a list with
 * others is cons cells up to the last of them, and a string after it.
 */
function latin1Strings(e: Expr): Expr {
  switch (e.type) {
    case 'string': {
      const cps = [...e.value].map((c) => c.codePointAt(0)!);
      let cut = cps.length;
      while (cut > 0 && cps[cut - 1]! <= 255) cut--;
      if (cut === 0) return e;
      const rest: Expr = cut === cps.length ? { type: 'nil', pos: e.pos } : { type: 'string', pos: e.pos, value: String.fromCodePoint(...cps.slice(cut)) };
      return cps
        .slice(0, cut)
        .reduceRight<Expr>((tail, c) => ({ type: 'cons', pos: e.pos, head: { type: 'integer', pos: e.pos, value: c }, tail }), rest);
    }
    case 'cons':
      return { ...e, head: latin1Strings(e.head), tail: latin1Strings(e.tail) };
    case 'tuple':
      return { ...e, elements: e.elements.map(latin1Strings) };
    case 'map':
      return { ...e, assocs: e.assocs.map((a) => ({ ...a, key: latin1Strings(a.key), value: latin1Strings(a.value) })) };
    default:
      return e;
  }
}

function atomName(t: Term): string {
  if (!(t instanceof Atom)) throw new NoFormClause();
  return t.name;
}
