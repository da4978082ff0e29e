// One form (the tokens up to and including its dot): a function or an attribute, built and checked
// as erl_parse's build_function / build_attribute / build_typed_attribute / build_type_spec do.

import type { Expr, Form, Pos, RecordFieldDef } from '../ast.js';
import { atom, list, tuple, type Term } from '../../runtime/vm/term.js';
import type { Token } from '../scan.js';
import { firstPos } from './anno.js';
import { posOf } from './cursor.js';
import { checkClauses } from './expr.js';
import { NotLiteral, abstractTerm, normalise } from './literal.js';
import { TypeParser } from './types.js';

const A = atom;

type TypedValue =
  | { kind: 'typed_record'; name: Expr; fields: { expr: Expr; type?: Term }[]; pos: Pos }
  | { kind: 'type_def'; head: Expr; type: Term };

export class FormParser extends TypeParser {
  form(): Form {
    const t = this.peek();
    if (t.kind === '-') return this.attribute();
    if (t.kind === 'atom') return this.functionForm();
    this.fail(t);
  }

  private endOfForm(): void {
    this.expect('dot');
    if (!this.atEnd) this.fail();
  }

  private functionForm(): Form {
    const heads = [];
    for (;;) {
      const nameTok = this.expect('atom');
      const patterns = this.patArgs();
      const guards = this.clauseGuard();
      const body = this.clauseBody();
      heads.push({ name: nameTok.value as string, clause: { pos: posOf(nameTok), patterns, guards, body } });
      if (this.cur() !== ';') break;
      this.next();
    }
    this.endOfForm();
    const clauses = checkClauses(heads, (p, r) => this.failAt(p, r));
    return { type: 'function', pos: clauses[0].pos, name: heads[0].name, arity: clauses[0].patterns.length, clauses };
  }

  private attribute(): Form {
    this.next(); // '-'
    const t = this.peek();
    if (t.kind !== 'atom') this.fail(t);
    if (t.value === 'spec' || t.value === 'callback') return this.typeSpec();
    this.next();
    if (this.cur() === '(') {
      this.next();
      const first = this.expr();
      if (this.cur() === ',') {
        this.next();
        return this.attributeRest(t, [first], true);
      }
      if (this.cur() === '::') {
        this.next();
        const type = this.topType();
        this.expect(')');
        this.endOfForm();
        return this.typedAttribute(t, { kind: 'type_def', head: first, type });
      }
      this.expect(')');
      // "(E)" is a parenthesised expression that may go on: -a(1) + 2.
      return this.attributeAfterFirst(t, this.climb(this.postfixFrom(first), 0, false));
    }
    return this.attributeAfterFirst(t, this.expr());
  }

  private attributeAfterFirst(attr: Token, first: Expr): Form {
    if (this.cur() === ',') {
      this.next();
      return this.attributeRest(attr, [first], false);
    }
    if (this.cur() === '::') {
      this.next();
      const type = this.topType();
      this.endOfForm();
      return this.typedAttribute(attr, { kind: 'type_def', head: first, type });
    }
    this.endOfForm();
    return this.buildAttribute(attr, [first]);
  }

  /** After "Expr ,": more expressions, or a tuple of typed record fields. */
  private attributeRest(attr: Token, vals: Expr[], inParens: boolean): Form {
    if (this.cur() === '{') {
      const open = this.next();
      const items: { expr: Expr; type?: Term }[] = [];
      if (this.cur() !== '}') {
        for (;;) {
          const expr = this.expr();
          if (this.cur() === '::') {
            this.next();
            items.push({ expr, type: this.topType() });
          } else items.push({ expr });
          if (this.cur() !== ',') break;
          this.next();
        }
      }
      this.expect('}');
      if (items.some((i) => i.type !== undefined)) {
        if (inParens) this.expect(')');
        this.endOfForm();
        return this.typedAttribute(attr, { kind: 'typed_record', name: vals[0], fields: items, pos: posOf(open) });
      }
      const tupleExpr: Expr = { type: 'tuple', pos: posOf(open), elements: items.map((i) => i.expr) };
      vals.push(this.climb(this.postfixFrom(tupleExpr), 0, false));
    } else vals.push(this.expr());
    while (this.cur() === ',') {
      this.next();
      vals.push(this.expr());
    }
    if (inParens) this.expect(')');
    this.endOfForm();
    return this.buildAttribute(attr, vals);
  }

  private badDecl(e: Expr, what: string): never {
    this.failAt(firstPos(e), `bad ${what} declaration`);
  }

  private buildAttribute(attr: Token, vals: Expr[]): Form {
    const name = attr.value as string;
    const pos = posOf(attr);
    const [v0, v1] = vals;
    switch (name) {
      case 'module':
        if (v0.type === 'atom' && vals.length === 1) return { type: 'module', pos, name: v0.value };
        if (v0.type === 'atom' && vals.length === 2) {
          // -module(M, [Params]): the old parameterised modules, kept as a plain attribute for the linter to reject
          const params = this.varList(v1).map((n) => atom(n));
          return { type: 'attribute', pos, name, value: abstractTerm(tuple(atom(v0.value), list(params)), pos) };
        }
        return this.badDecl(v0, 'module');
      case 'export':
        if (vals.length === 1) return { type: 'export', pos, functions: this.farityList(v0) };
        return this.badDecl(v1, 'export');
      case 'import':
        if (v0.type === 'atom' && vals.length === 2) return { type: 'import', pos, module: v0.value, functions: this.farityList(v1) };
        return this.badDecl(vals.length >= 2 ? v1 : v0, 'import');
      case 'record':
        if (v0.type === 'atom' && vals.length === 2) {
          if (v1.type !== 'tuple') this.badDecl(v1, 'record');
          return { type: 'record', pos, name: v0.value, fields: v1.elements.map((f) => this.recordField(f)) };
        }
        return this.badDecl(v0, 'record');
      case 'file':
        if (vals.length === 2 && v0.type === 'string' && v1.type === 'integer') {
          return { type: 'attribute', pos, name, value: { type: 'tuple', pos, elements: [v0, v1] } };
        }
        return this.badDecl(v0, 'file');
      default: {
        if (vals.length > 1) this.failAt(firstPos(v1), 'bad attribute');
        const value = attributeFarity(v0);
        try {
          normalise(value);
        } catch (e) {
          if (!(e instanceof NotLiteral)) throw e;
          this.failAt(firstPos(value), 'bad attribute');
        }
        if (name === 'compile') return { type: 'compile', pos, options: value };
        return { type: 'attribute', pos, name, value };
      }
    }
  }

  private varList(e: Expr): string[] {
    const names: string[] = [];
    let x = e;
    while (x.type === 'cons' && x.head.type === 'var') {
      names.push(x.head.name);
      x = x.tail;
    }
    if (x.type !== 'nil') this.failAt(firstPos(x), 'bad variable list');
    return names;
  }

  /** [f/1, g/2] → [['f', 1], ['g', 2]] */
  private farityList(e: Expr): [string, number][] {
    const out: [string, number][] = [];
    let x = e;
    while (x.type === 'cons') {
      const h = x.head;
      if (h.type !== 'op' || h.op !== '/' || h.args.length !== 2) break;
      const [f, a] = h.args;
      if (f.type !== 'atom') this.failAt(firstPos(f), 'bad function name');
      if (a.type !== 'integer') this.failAt(firstPos(a), 'bad function arity');
      out.push([f.value, Number(a.value)]);
      x = x.tail;
    }
    if (x.type !== 'nil') this.failAt(firstPos(x), 'bad Name/Arity');
    return out;
  }

  private recordField(f: Expr, type?: Term): RecordFieldDef {
    let def: RecordFieldDef;
    if (f.type === 'atom') def = { pos: f.pos, name: f.value };
    else if (f.type === 'match' && f.left.type === 'atom') def = { pos: f.left.pos, name: f.left.value, default: f.right };
    else this.failAt(firstPos(f), 'bad record field');
    if (type !== undefined) def.type = abstractTerm(type, def.pos);
    return def;
  }

  private typedAttribute(attr: Token, v: TypedValue): Form {
    const name = attr.value as string;
    const pos = posOf(attr);
    if (name === 'record' && v.kind === 'typed_record' && v.name.type === 'atom') {
      return { type: 'record', pos, name: v.name.value, fields: v.fields.map((f) => this.recordField(f.expr, f.type)) };
    }
    if ((name === 'type' || name === 'opaque') && v.kind === 'type_def' && v.head.type === 'call' && v.head.fn.type === 'atom') {
      const args = v.head.args;
      for (const a of args) if (a.type === 'var' && a.name === '_') this.failAt(a.pos, 'bad type variable');
      for (const a of args) if (a.type !== 'var') this.failAt(firstPos(a), 'bad type variable');
      const vars = args.map((a) => tuple(A('var'), a.pos.line, A((a as Expr & { type: 'var' }).name)));
      const value = tuple(A(v.head.fn.value), v.type, list(vars));
      return { type: 'attribute', pos, name, value: abstractTerm(value, pos) };
    }
    if (name === 'record' || name === 'type' || name === 'opaque') this.failAt(pos, `bad ${name} declaration`);
    this.failAt(pos, 'bad attribute');
  }

  /** -spec / -callback: [Mod:]Name Sig; Sig; ... */
  private typeSpec(): Form {
    const kw = this.next();
    const inParens = this.cur() === '(';
    if (inParens) this.next();
    const f1 = this.expect('atom');
    let fn: Term[] = [A(f1.value as string)];
    if (this.cur() === ':') {
      this.next();
      fn.push(A(this.expect('atom').value as string));
    }
    const sigs = [this.typeSig()];
    while (this.cur() === ';') {
      this.next();
      sigs.push(this.typeSig());
    }
    if (inParens) this.expect(')');
    this.endOfForm();
    fn = [...fn, TypeParser.specArity(sigs[0])];
    const pos = posOf(kw);
    const value = tuple(tuple(...fn), list(sigs));
    return { type: 'attribute', pos, name: kw.value as string, value: abstractTerm(value, pos) };
  }
}

/** Name/Arity inside an attribute's value becomes {Name, Arity} (attribute_farity). */
function attributeFarity(e: Expr): Expr {
  switch (e.type) {
    case 'cons':
      return { ...e, head: attributeFarity(e.head), tail: attributeFarity(e.tail) };
    case 'tuple':
      return { ...e, elements: e.elements.map(attributeFarity) };
    case 'map':
      return e.base === undefined ? { ...e, assocs: e.assocs.map((a) => ({ ...a, value: attributeFarity(a.value) })) } : e;
    case 'op':
      if (e.op === '/' && e.args.length === 2 && e.args[0].type === 'atom' && e.args[1].type === 'integer') {
        return { type: 'tuple', pos: e.pos, elements: e.args };
      }
      return e;
    default:
      return e;
  }
}
