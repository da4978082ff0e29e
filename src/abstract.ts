// The syntax tree ↔ erl_parse's abstract format as Erlang terms (what erl_eval, epp, compile:forms,
// and shell funs on the wire use). Terms carry the line as the annotation ({Line, Col} inside
// withColumns); reading accepts a line, {Line, Col}, or an erl_anno keyword list.

import type { BinElement, Clause, Expr, Form, MapAssoc, Pos, Qualifier, RecordFieldDef, RecordFieldInit } from './ast.js';
import { abstractTerm, normalise } from './parse/literal.js';
import {
  Atom, ErlFloat, NIL, Tuple, atom, charlist, list, listToArray, listToString, tuple, type Term,
} from '../runtime/vm/term.js';

export { normalise, abstractTerm } from './parse/literal.js';

const A = atom;

/** Whether the annotations written carry the column too: erl_parse's on tokens scanned from {Line, Col}. */
let columns = false;

/** The annotation written into terms: the line only (as OTP does for shell funs and -eval), or {Line, Col}. */
function anno(p: Pos): Term {
  return columns && p.col > 0 ? tuple(p.line, p.col) : p.line;
}

/** Run a conversion to terms that writes {Line, Col} annotations where the column is known. */
export function withColumns<T>(convert: () => T): T {
  const was = columns;
  columns = true;
  try {
    return convert();
  } finally {
    columns = was;
  }
}

function node(tag: string, p: Pos, ...rest: Term[]): Tuple {
  return new Tuple([A(tag), anno(p), ...rest]);
}

// ---------- syntax tree → term ----------

export function exprToTerm(e: Expr): Term {
  switch (e.type) {
    case 'integer':
      return node('integer', e.pos, e.value);
    case 'float':
      return node('float', e.pos, new ErlFloat(e.value));
    case 'char':
      return node('char', e.pos, e.value);
    case 'string':
      return node('string', e.pos, charlist(e.value));
    case 'atom':
      return node('atom', e.pos, A(e.value));
    case 'var':
      return node('var', e.pos, A(e.name));
    case 'nil':
      return node('nil', e.pos);
    case 'cons': {
      // long lists are built from the end, without recursion
      const spine: (Expr & { type: 'cons' })[] = [];
      let x: Expr = e;
      while (x.type === 'cons') {
        spine.push(x);
        x = x.tail;
      }
      let t = exprToTerm(x);
      for (let k = spine.length - 1; k >= 0; k--) t = node('cons', spine[k].pos, exprToTerm(spine[k].head), t);
      return t;
    }
    case 'tuple':
      return node('tuple', e.pos, exprsToTerm(e.elements));
    case 'bin':
      return node('bin', e.pos, list(e.elements.map(binElementToTerm)));
    case 'map':
      return e.base === undefined
        ? node('map', e.pos, list(e.assocs.map(assocToTerm)))
        : node('map', e.pos, exprToTerm(e.base), list(e.assocs.map(assocToTerm)));
    case 'record':
      return e.base === undefined
        ? node('record', e.pos, A(e.name), list(e.fields.map(recordFieldToTerm)))
        : node('record', e.pos, exprToTerm(e.base), A(e.name), list(e.fields.map(recordFieldToTerm)));
    case 'record_field':
      return node('record_field', e.pos, exprToTerm(e.expr), A(e.name), node('atom', e.fieldPos ?? e.pos, A(e.field)));
    case 'record_index':
      return node('record_index', e.pos, A(e.name), node('atom', e.fieldPos ?? e.pos, A(e.field)));
    case 'match':
      return node('match', e.pos, exprToTerm(e.left), exprToTerm(e.right));
    case 'op':
      return node('op', e.pos, A(e.op), ...e.args.map(exprToTerm));
    case 'call':
      return node('call', e.pos, exprToTerm(e.fn), exprsToTerm(e.args));
    case 'remote':
      return node('remote', e.pos, exprToTerm(e.module), exprToTerm(e.name));
    case 'lc':
    case 'bc':
      return node(e.type, e.pos, exprToTerm(e.expr), list(e.quals.map(qualifierToTerm)));
    case 'block':
      return node('block', e.pos, exprsToTerm(e.body));
    case 'case':
      return node('case', e.pos, exprToTerm(e.expr), clausesToTerm(e.clauses));
    case 'if':
      return node('if', e.pos, clausesToTerm(e.clauses));
    case 'receive':
      return e.after === undefined
        ? node('receive', e.pos, clausesToTerm(e.clauses))
        : node('receive', e.pos, clausesToTerm(e.clauses), exprToTerm(e.after.timeout), exprsToTerm(e.after.body));
    case 'try':
      return node('try', e.pos, exprsToTerm(e.body), clausesToTerm(e.clauses), clausesToTerm(e.catchClauses), exprsToTerm(e.after));
    case 'catch':
      return node('catch', e.pos, exprToTerm(e.expr));
    case 'fun_ref':
      if (e.module === undefined) {
        return node('fun', e.pos, tuple(A('function'), rawLiteral(e.name), rawLiteral(e.arity)));
      }
      return node('fun', e.pos, tuple(A('function'), exprToTerm(e.module), exprToTerm(e.name), exprToTerm(e.arity)));
    case 'fun':
      return e.name === undefined
        ? node('fun', e.pos, tuple(A('clauses'), clausesToTerm(e.clauses)))
        : node('named_fun', e.pos, A(e.name), clausesToTerm(e.clauses));
  }
}

/** fun f/1 keeps the name and arity as plain values. */
function rawLiteral(e: Expr): Term {
  if (e.type === 'atom') return A(e.value);
  if (e.type === 'integer') return e.value;
  return exprToTerm(e);
}

function exprsToTerm(es: Expr[]): Term {
  return list(es.map(exprToTerm));
}

function binElementToTerm(b: BinElement): Term {
  const size = b.size === undefined ? A('default') : exprToTerm(b.size);
  const specs =
    b.specs === undefined
      ? A('default')
      : list(
          b.specs.map((s) => {
            if (typeof s !== 'string') return tuple(A('unit'), s.unit);
            const colon = s.lastIndexOf(':');
            return colon > 0 && /^\d+$/.test(s.slice(colon + 1)) ? tuple(A(s.slice(0, colon)), Number(s.slice(colon + 1))) : A(s);
          }),
        );
  return node('bin_element', b.pos, exprToTerm(b.value), size, specs);
}

function assocToTerm(a: MapAssoc): Term {
  return node(a.op === '=>' ? 'map_field_assoc' : 'map_field_exact', a.pos, exprToTerm(a.key), exprToTerm(a.value));
}

function recordFieldToTerm(f: RecordFieldInit): Term {
  const name = f.field === '_' ? node('var', f.pos, A('_')) : node('atom', f.pos, A(f.field));
  return node('record_field', f.pos, name, exprToTerm(f.value));
}

function qualifierToTerm(q: Qualifier): Term {
  if (q.type === 'filter') return exprToTerm(q.expr);
  return node(q.type, q.pos, exprToTerm(q.pattern), exprToTerm(q.expr));
}

export function clauseToTerm(c: Clause): Term {
  return node('clause', c.pos, exprsToTerm(c.patterns), list(c.guards.map(exprsToTerm)), exprsToTerm(c.body));
}

function clausesToTerm(cs: Clause[]): Term {
  return list(cs.map(clauseToTerm));
}

function recordDefToTerm(f: RecordFieldDef): Term {
  const name = node('atom', f.pos, A(f.name));
  const field = f.default === undefined ? node('record_field', f.pos, name) : node('record_field', f.pos, name, exprToTerm(f.default));
  return f.type === undefined ? field : tuple(A('typed_record_field'), field, normalise(f.type));
}

export function formToTerm(f: Form): Term {
  const attr = (name: string, value: Term): Term => node('attribute', f.pos, A(name), value);
  const fas = (fs: [string, number][]): Term => list(fs.map(([n, a]) => tuple(A(n), a)));
  switch (f.type) {
    case 'module':
      return attr('module', A(f.name));
    case 'export':
      return attr('export', fas(f.functions));
    case 'import':
      return attr('import', tuple(A(f.module), fas(f.functions)));
    case 'compile':
      return attr('compile', normalise(f.options));
    case 'record':
      return attr('record', tuple(A(f.name), list(f.fields.map(recordDefToTerm))));
    case 'attribute':
      return attr(f.name, f.value === undefined ? NIL : normalise(f.value));
    case 'function':
      return node('function', f.pos, A(f.name), f.arity, clausesToTerm(f.clauses));
  }
}

// ---------- term → syntax tree ----------

function bad(what: string, t: Term): never {
  throw new Error(`not an abstract ${what}: ${describe(t)}`);
}

function describe(t: Term): string {
  if (t instanceof Atom) return t.name;
  if (t instanceof Tuple && t.elements[0] instanceof Atom) return `{${t.elements[0].name},...}`;
  return typeof t === 'number' || typeof t === 'bigint' ? String(t) : 'term';
}

/** An annotation: Line, {Line, Col}, or an erl_anno keyword list holding {location, Loc}. */
export function annoToPos(t: Term): Pos {
  if (typeof t === 'number') return { line: t, col: 0 };
  if (t instanceof Tuple && t.elements.length === 2 && typeof t.elements[0] === 'number' && typeof t.elements[1] === 'number') {
    return { line: t.elements[0], col: t.elements[1] };
  }
  const items = listToArray(t);
  if (items !== undefined) {
    for (const kv of items) {
      if (kv instanceof Tuple && kv.elements.length === 2 && kv.elements[0] === A('location')) return annoToPos(kv.elements[1]);
    }
    return { line: 0, col: 0 };
  }
  bad('annotation', t);
}

function parts(t: Term, what: string): [string, Pos, Term[]] {
  if (!(t instanceof Tuple) || t.elements.length < 2 || !(t.elements[0] instanceof Atom)) bad(what, t);
  return [t.elements[0].name, annoToPos(t.elements[1]), t.elements.slice(2)];
}

function termList(t: Term, what: string): Term[] {
  const xs = listToArray(t);
  if (xs === undefined) bad(what, t);
  return xs;
}

function atomName(t: Term, what: string): string {
  if (!(t instanceof Atom)) bad(what, t);
  return t.name;
}

function intValue(t: Term, what: string): number | bigint {
  if (typeof t !== 'number' && typeof t !== 'bigint') bad(what, t);
  return t;
}

function exprs(t: Term): Expr[] {
  return termList(t, 'expression list').map(termToExpr);
}

export function termToExpr(t: Term): Expr {
  const [tag, pos, r] = parts(t, 'expression');
  const n = r.length;
  switch (tag) {
    case 'integer':
      if (n === 1) return { type: 'integer', pos, value: intValue(r[0], 'integer') };
      break;
    case 'char':
      if (n === 1 && typeof r[0] === 'number') return { type: 'char', pos, value: r[0] };
      break;
    case 'float':
      if (n === 1 && r[0] instanceof ErlFloat) return { type: 'float', pos, value: r[0].value };
      break;
    case 'string': {
      const s = n === 1 ? listToString(r[0]) : undefined;
      if (s !== undefined) return { type: 'string', pos, value: s };
      break;
    }
    case 'atom':
      if (n === 1) return { type: 'atom', pos, value: atomName(r[0], 'atom') };
      break;
    case 'var':
      if (n === 1) return { type: 'var', pos, name: atomName(r[0], 'variable') };
      break;
    case 'nil':
      if (n === 0) return { type: 'nil', pos };
      break;
    case 'cons':
      if (n === 2) return consToExpr(t);
      break;
    case 'tuple':
      if (n === 1) return { type: 'tuple', pos, elements: exprs(r[0]) };
      break;
    case 'bin':
      if (n === 1) return { type: 'bin', pos, elements: termList(r[0], 'binary').map(termToBinElement) };
      break;
    case 'map':
      if (n === 1) return { type: 'map', pos, assocs: termList(r[0], 'map').map(termToAssoc) };
      if (n === 2) return { type: 'map', pos, base: termToExpr(r[0]), assocs: termList(r[1], 'map').map(termToAssoc) };
      break;
    case 'record':
      if (n === 2) return { type: 'record', pos, name: atomName(r[0], 'record name'), fields: termList(r[1], 'record').map(termToRecordField) };
      if (n === 3) {
        return { type: 'record', pos, base: termToExpr(r[0]), name: atomName(r[1], 'record name'), fields: termList(r[2], 'record').map(termToRecordField) };
      }
      break;
    case 'record_field':
      if (n === 3) {
        return { type: 'record_field', pos, expr: termToExpr(r[0]), name: atomName(r[1], 'record name'), field: fieldName(r[2]), fieldPos: parts(r[2], 'record field')[1] };
      }
      break;
    case 'record_index':
      if (n === 2) return { type: 'record_index', pos, name: atomName(r[0], 'record name'), field: fieldName(r[1]), fieldPos: parts(r[1], 'record field')[1] };
      break;
    case 'match':
      if (n === 2) return { type: 'match', pos, left: termToExpr(r[0]), right: termToExpr(r[1]) };
      break;
    case 'op':
      if (n === 2 || n === 3) return { type: 'op', pos, op: atomName(r[0], 'operator'), args: r.slice(1).map(termToExpr) };
      break;
    case 'call':
      if (n === 2) return { type: 'call', pos, fn: termToExpr(r[0]), args: exprs(r[1]) };
      break;
    case 'remote':
      if (n === 2) return { type: 'remote', pos, module: termToExpr(r[0]), name: termToExpr(r[1]) };
      break;
    case 'lc':
    case 'bc':
      if (n === 2) return { type: tag, pos, expr: termToExpr(r[0]), quals: termList(r[1], 'qualifiers').map(termToQualifier) };
      break;
    case 'block':
      if (n === 1) return { type: 'block', pos, body: exprs(r[0]) };
      break;
    case 'case':
      if (n === 2) return { type: 'case', pos, expr: termToExpr(r[0]), clauses: clauses(r[1]) };
      break;
    case 'if':
      if (n === 1) return { type: 'if', pos, clauses: clauses(r[0]) };
      break;
    case 'receive':
      if (n === 1) return { type: 'receive', pos, clauses: clauses(r[0]) };
      if (n === 3) return { type: 'receive', pos, clauses: clauses(r[0]), after: { timeout: termToExpr(r[1]), body: exprs(r[2]) } };
      break;
    case 'try':
      if (n === 4) return { type: 'try', pos, body: exprs(r[0]), clauses: clauses(r[1]), catchClauses: clauses(r[2]), after: exprs(r[3]) };
      break;
    case 'catch':
      if (n === 1) return { type: 'catch', pos, expr: termToExpr(r[0]) };
      break;
    case 'fun':
      if (n === 1) return termToFun(pos, r[0]);
      break;
    case 'named_fun':
      if (n === 2) return { type: 'fun', pos, name: atomName(r[0], 'fun name'), clauses: clauses(r[1]) };
      break;
  }
  bad('expression', t);
}

function consToExpr(t: Term): Expr {
  const cells: [Pos, Term][] = [];
  let x = t;
  while (x instanceof Tuple && x.elements.length === 4 && x.elements[0] === A('cons')) {
    cells.push([annoToPos(x.elements[1]), x.elements[2]]);
    x = x.elements[3];
  }
  let e = termToExpr(x);
  for (let k = cells.length - 1; k >= 0; k--) e = { type: 'cons', pos: cells[k][0], head: termToExpr(cells[k][1]), tail: e };
  return e;
}

function fieldName(t: Term): string {
  const [tag, , r] = parts(t, 'record field');
  if ((tag === 'atom' || tag === 'var') && r.length === 1) return atomName(r[0], 'record field');
  bad('record field', t);
}

function termToFun(pos: Pos, f: Term): Expr {
  if (f instanceof Tuple && f.elements[0] === A('clauses') && f.elements.length === 2) return { type: 'fun', pos, clauses: clauses(f.elements[1]) };
  if (f instanceof Tuple && f.elements[0] === A('function')) {
    const es = f.elements;
    if (es.length === 3) {
      return {
        type: 'fun_ref',
        pos,
        name: { type: 'atom', pos, value: atomName(es[1], 'function name') },
        arity: { type: 'integer', pos, value: intValue(es[2], 'arity') },
      };
    }
    if (es.length === 4) return { type: 'fun_ref', pos, module: termToExpr(es[1]), name: termToExpr(es[2]), arity: termToExpr(es[3]) };
  }
  bad('fun', f);
}

function termToBinElement(t: Term): BinElement {
  const [tag, pos, r] = parts(t, 'binary element');
  if (tag !== 'bin_element' || r.length !== 3) bad('binary element', t);
  const el: BinElement = { pos, value: termToExpr(r[0]) };
  if (r[1] !== A('default')) el.size = termToExpr(r[1]);
  if (r[2] !== A('default')) {
    el.specs = termList(r[2], 'type specifier list').map((s) => {
      if (s instanceof Atom) return s.name;
      if (s instanceof Tuple && s.elements.length === 2 && s.elements[0] instanceof Atom && typeof s.elements[1] === 'number') {
        return s.elements[0].name === 'unit' ? { unit: s.elements[1] } : `${s.elements[0].name}:${s.elements[1]}`;
      }
      bad('type specifier', s);
    });
  }
  return el;
}

function termToAssoc(t: Term): MapAssoc {
  const [tag, pos, r] = parts(t, 'map field');
  if ((tag === 'map_field_assoc' || tag === 'map_field_exact') && r.length === 2) {
    return { pos, op: tag === 'map_field_assoc' ? '=>' : ':=', key: termToExpr(r[0]), value: termToExpr(r[1]) };
  }
  bad('map field', t);
}

function termToRecordField(t: Term): RecordFieldInit {
  const [tag, pos, r] = parts(t, 'record field');
  if (tag === 'record_field' && r.length === 2) return { pos, field: fieldName(r[0]), value: termToExpr(r[1]) };
  bad('record field', t);
}

function termToQualifier(t: Term): Qualifier {
  if (t instanceof Tuple && t.elements.length === 4 && (t.elements[0] === A('generate') || t.elements[0] === A('b_generate'))) {
    const [tag, pos, r] = parts(t, 'qualifier');
    return { type: tag as 'generate' | 'b_generate', pos, pattern: termToExpr(r[0]), expr: termToExpr(r[1]) };
  }
  return { type: 'filter', expr: termToExpr(t) };
}

export function termToClause(t: Term): Clause {
  const [tag, pos, r] = parts(t, 'clause');
  if (tag !== 'clause' || r.length !== 3) bad('clause', t);
  return { pos, patterns: exprs(r[0]), guards: termList(r[1], 'guard').map(exprs), body: exprs(r[2]) };
}

function clauses(t: Term): Clause[] {
  return termList(t, 'clause list').map(termToClause);
}

function fas(t: Term): [string, number][] {
  return termList(t, 'function list').map((fa) => {
    if (fa instanceof Tuple && fa.elements.length === 2 && fa.elements[0] instanceof Atom && typeof fa.elements[1] === 'number') {
      return [fa.elements[0].name, fa.elements[1]];
    }
    bad('Name/Arity', fa);
  });
}

/** Is this an annotation (a line, {Line, Col}, or a keyword list with a location)? */
function isAnno(t: Term): boolean {
  if (typeof t === 'number') return true;
  if (t instanceof Tuple) return t.elements.length === 2 && typeof t.elements[0] === 'number' && typeof t.elements[1] === 'number';
  const items = listToArray(t);
  return items !== undefined && items.some((kv) => kv instanceof Tuple && kv.elements.length === 2 && kv.elements[0] === A('location'));
}

/** Abstract types with every annotation reduced to its line, as the parser writes them. */
function typeLines(t: Term): Term {
  if (t instanceof Tuple) {
    const es = t.elements;
    const anno = es.length >= 2 && es[0] instanceof Atom && isAnno(es[1]);
    return new Tuple(es.map((x, k) => (anno && k === 1 ? annoToPos(x).line : typeLines(x))));
  }
  const items = t === NIL ? undefined : listToArray(t);
  return items === undefined ? t : list(items.map(typeLines));
}

const TYPE_ATTRIBUTES = new Set(['spec', 'callback', 'type', 'opaque']);

function termToRecordDef(t: Term): RecordFieldDef {
  if (t instanceof Tuple && t.elements[0] === A('typed_record_field') && t.elements.length === 3) {
    const f = termToRecordDef(t.elements[1]);
    f.type = abstractTerm(typeLines(t.elements[2]), f.pos);
    return f;
  }
  const [tag, pos, r] = parts(t, 'record field');
  if (tag !== 'record_field' || (r.length !== 1 && r.length !== 2)) bad('record field', t);
  const f: RecordFieldDef = { pos, name: fieldName(r[0]) };
  if (r.length === 2) f.default = termToExpr(r[1]);
  return f;
}

export function termToForm(t: Term): Form {
  const [tag, pos, r] = parts(t, 'form');
  if (tag === 'function' && r.length === 3) {
    return { type: 'function', pos, name: atomName(r[0], 'function name'), arity: Number(intValue(r[1], 'arity')), clauses: clauses(r[2]) };
  }
  if (tag !== 'attribute' || r.length !== 2) bad('form', t);
  const name = atomName(r[0], 'attribute name');
  const v = r[1];
  switch (name) {
    case 'module':
      if (v instanceof Atom) return { type: 'module', pos, name: v.name };
      // -module(M, Params) stays a plain attribute, as the parser leaves it
      return { type: 'attribute', pos, name, value: abstractTerm(v, pos) };
    case 'export':
      return { type: 'export', pos, functions: fas(v) };
    case 'import':
      if (v instanceof Tuple && v.elements.length === 2) return { type: 'import', pos, module: atomName(v.elements[0], 'module'), functions: fas(v.elements[1]) };
      break;
    case 'compile':
      return { type: 'compile', pos, options: abstractTerm(v, pos) };
    case 'record':
      if (v instanceof Tuple && v.elements.length === 2) {
        return { type: 'record', pos, name: atomName(v.elements[0], 'record name'), fields: termList(v.elements[1], 'record fields').map(termToRecordDef) };
      }
      break;
    default:
      return { type: 'attribute', pos, name, value: abstractTerm(TYPE_ATTRIBUTES.has(name) ? typeLines(v) : v, pos) };
  }
  bad('attribute', t);
}


