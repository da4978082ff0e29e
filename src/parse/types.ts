// Type expressions of -spec, -callback, -type, -opaque and typed record fields. They are parsed with
// erl_parse's grammar (so errors read the same) straight into the abstract format as terms, with
// line annotations: nothing in terl evaluates types, but forms keep them losslessly.

import { Atom, List, NIL, Tuple, atom, list, tuple, type Term } from '../../runtime/vm/term.js';
import type { Token } from '../scan.js';
import { ExprParser, PREFIX_OPS } from './expr.js';
import { posOf } from './cursor.js';

const A = atom;

const TYPE_OPS: Record<string, { prec: number; assoc: 'left' | 'non' }> = {
  '..': { prec: 200, assoc: 'non' },
};
for (const op of ['+', '-', 'bor', 'bxor', 'bsl', 'bsr']) TYPE_OPS[op] = { prec: 400, assoc: 'left' };
for (const op of ['*', '/', 'div', 'rem', 'band']) TYPE_OPS[op] = { prec: 500, assoc: 'left' };
// 'or', 'xor', 'and' are add_op/mult_op too
TYPE_OPS['or'] = TYPE_OPS['xor'] = { prec: 400, assoc: 'left' };
TYPE_OPS['and'] = { prec: 500, assoc: 'left' };

const BUILTIN_TYPES: Record<string, number[]> = {
  any: [0], arity: [0], atom: [0], binary: [0], bitstring: [0], bool: [0], boolean: [0], byte: [0], char: [0],
  float: [0], function: [0], identifier: [0], integer: [0], iodata: [0], iolist: [0], list: [0, 1], map: [0],
  maybe_improper_list: [0, 2], mfa: [0], module: [0], neg_integer: [0], nil: [0], no_return: [0], node: [0],
  non_neg_integer: [0], none: [0], nonempty_binary: [0], nonempty_bitstring: [0], nonempty_improper_list: [2],
  nonempty_list: [0, 1], nonempty_maybe_improper_list: [0, 2], nonempty_string: [0], number: [0], pid: [0],
  port: [0], pos_integer: [0], reference: [0], string: [0], term: [0], timeout: [0], tuple: [0],
};

/** erl_internal:is_type/2 decides between a built-in type and a user type. */
function typeTag(name: string, arity: number): Atom {
  return A(Object.prototype.hasOwnProperty.call(BUILTIN_TYPES, name) && BUILTIN_TYPES[name].includes(arity) ? 'type' : 'user_type');
}

function annoOf(t: Term): number {
  return ((t as Tuple).elements[1] as number) ?? 0;
}

/** first_anno over a type term: left to right while lines do not increase. */
function firstLine(t: Term): number {
  let acc = annoOf(t);
  const walk = (x: Term): boolean => {
    if (x instanceof Tuple) {
      const es = x.elements;
      if (es.length >= 2 && es[0] instanceof Atom && typeof es[1] === 'number') {
        if (es[1] > acc) return false;
        acc = es[1];
        for (let k = 2; k < es.length; k++) if (!walk(es[k])) return false;
        return true;
      }
      return es.every(walk);
    }
    if (x instanceof List) {
      let l: Term = x;
      while (l instanceof List) {
        if (!walk(l.head)) return false;
        l = l.tail;
      }
    }
    return true;
  };
  walk(t);
  return acc;
}

export function termList(t: Term): Term[] {
  const out: Term[] = [];
  while (t instanceof List) {
    out.push(t.head);
    t = t.tail;
  }
  return out;
}

export class TypeParser extends ExprParser {
  protected tokTerm(t: Token): Term {
    switch (t.kind) {
      case 'var':
        return tuple(A('var'), t.line, A(t.value as string));
      case 'atom':
        return tuple(A('atom'), t.line, A(t.value as string));
      case 'integer':
        return tuple(A('integer'), t.line, t.value as number);
      case 'char':
        return tuple(A('char'), t.line, t.value as number);
      default:
        this.fail(t);
    }
  }

  protected topTypes(): Term[] {
    const ts = [this.topType()];
    while (this.cur() === ',') {
      this.next();
      ts.push(this.topType());
    }
    return ts;
  }

  protected topType(): Term {
    const t = this.peek();
    if (t.kind === 'var' && this.peek(1).kind === '::') {
      this.next();
      this.next();
      return tuple(A('ann_type'), t.line, list([this.tokTerm(t), this.topType()]));
    }
    const ty = this.type(0);
    if (this.cur() !== '|') return ty;
    this.next();
    const rest = this.topType();
    // lift_unions: a | (b | c) is one union of three
    if (rest instanceof Tuple && rest.elements[0] === A('type') && rest.elements[2] === A('union')) {
      return tuple(A('type'), firstLine(ty), A('union'), list([ty, ...termList(rest.elements[3])]));
    }
    return tuple(A('type'), firstLine(ty), A('union'), list([ty, rest]));
  }

  protected type(minPrec: number): Term {
    let left = this.typeUnary();
    for (;;) {
      const t = this.peek();
      const info = Object.prototype.hasOwnProperty.call(TYPE_OPS, t.kind) ? TYPE_OPS[t.kind] : undefined;
      if (info === undefined || info.prec < minPrec) return left;
      this.next();
      const right = this.type(info.prec + 1);
      left =
        t.kind === '..'
          ? tuple(A('type'), annoOf(left), A('range'), list([left, right]))
          : tuple(A('op'), t.line, A(t.kind), left, right);
      if (info.assoc === 'non' && TYPE_OPS[this.cur()]?.prec === info.prec) this.fail();
    }
  }

  private typeUnary(): Term {
    const t = this.peek();
    if (PREFIX_OPS.has(t.kind)) {
      this.next();
      return tuple(A('op'), t.line, A(t.kind), this.typeUnary());
    }
    return this.typePrimary();
  }

  private typeArgs(): Term[] {
    this.expect('(');
    if (this.cur() === ')') {
      this.next();
      return [];
    }
    const ts = this.topTypes();
    this.expect(')');
    return ts;
  }

  private typePrimary(): Term {
    const t = this.peek();
    const L = t.line;
    switch (t.kind) {
      case '(': {
        this.next();
        const ty = this.topType();
        this.expect(')');
        return ty;
      }
      case 'var':
      case 'integer':
      case 'char':
        this.next();
        return this.tokTerm(t);
      case 'atom': {
        this.next();
        const name = t.value as string;
        if (this.cur() === '(') {
          const args = this.typeArgs();
          if (args.length === 0 && (name === 'tuple' || name === 'map')) return tuple(A('type'), L, A(name), A('any'));
          return tuple(typeTag(name, args.length), L, A(name), list(args));
        }
        if (this.cur() === ':') {
          this.next();
          const t2 = this.expect('atom');
          const args = this.typeArgs();
          return tuple(A('remote_type'), L, list([this.tokTerm(t), this.tokTerm(t2), list(args)]));
        }
        return this.tokTerm(t);
      }
      case '[': {
        this.next();
        if (this.cur() === ']') {
          this.next();
          return tuple(A('type'), L, A('nil'), NIL);
        }
        const elem = this.topType();
        if (this.cur() === ',') {
          this.next();
          this.expect('...');
          this.expect(']');
          return tuple(A('type'), L, A('nonempty_list'), list([elem]));
        }
        this.expect(']');
        return tuple(A('type'), L, A('list'), list([elem]));
      }
      case '#': {
        this.next();
        if (this.cur() === '{') {
          this.next();
          if (this.cur() === '}') {
            this.next();
            return tuple(A('type'), L, A('map'), NIL);
          }
          const pairs: Term[] = [];
          for (;;) {
            const k = this.topType();
            const op = this.peek();
            if (op.kind !== '=>' && op.kind !== ':=') this.fail(op);
            this.next();
            const v = this.topType();
            pairs.push(tuple(A('type'), op.line, A(op.kind === '=>' ? 'map_field_assoc' : 'map_field_exact'), list([k, v])));
            if (this.cur() !== ',') break;
            this.next();
          }
          this.expect('}');
          return tuple(A('type'), L, A('map'), list(pairs));
        }
        const name = this.expect('atom');
        this.expect('{');
        const fields: Term[] = [this.tokTerm(name)];
        if (this.cur() !== '}') {
          for (;;) {
            const f = this.expect('atom');
            this.expect('::');
            fields.push(tuple(A('type'), f.line, A('field_type'), list([this.tokTerm(f), this.topType()])));
            if (this.cur() !== ',') break;
            this.next();
          }
        }
        this.expect('}');
        return tuple(A('type'), L, A('record'), list(fields));
      }
      case '{': {
        this.next();
        if (this.cur() === '}') {
          this.next();
          return tuple(A('type'), L, A('tuple'), NIL);
        }
        const ts = this.topTypes();
        this.expect('}');
        return tuple(A('type'), L, A('tuple'), list(ts));
      }
      case '<<':
        return this.binaryType();
      case 'fun': {
        this.next();
        this.expect('(');
        if (this.cur() === ')') {
          this.next();
          return tuple(A('type'), L, A('fun'), NIL);
        }
        const ft = this.funType();
        this.expect(')');
        return ft;
      }
      default:
        this.fail(t);
    }
  }

  /** <<>>, <<_:M>>, <<_:_*N>>, <<_:M, _:_*N>> */
  private binaryType(): Term {
    const open = this.next();
    const zero = tuple(A('integer'), open.line, 0);
    let base: Term = zero;
    let unit: Term = zero;
    if (this.cur() === '>>') {
      this.next();
      return tuple(A('type'), open.line, A('binary'), list([zero, zero]));
    }
    const unitType = (): Term => {
      const v1 = this.expect('var');
      this.expect(':');
      const v2 = this.expect('var');
      this.expect('*');
      const ty = this.type(0);
      this.binVars([v1, v2]);
      return ty;
    };
    if (this.cur() === 'var' && this.peek(1).kind === ':' && this.peek(2).kind === 'var' && this.peek(3).kind === '*') {
      unit = unitType();
    } else {
      const v = this.expect('var');
      this.expect(':');
      base = this.type(0);
      this.binVars([v]);
      if (this.cur() === ',') {
        this.next();
        unit = unitType();
      }
    }
    this.expect('>>');
    return tuple(A('type'), open.line, A('binary'), list([base, unit]));
  }

  /** build_bin_type: the variables of a binary type must be '_'. */
  private binVars(vs: Token[]): void {
    for (const v of vs) if (v.value !== '_') this.failAt(posOf(v), 'Bad binary type');
  }

  /** (Args) -> Result, (...) -> Result */
  protected funType(): Term {
    const open = this.expect('(');
    const L = open.line;
    let args: Term;
    if (this.cur() === '...') {
      this.next();
      this.expect(')');
      args = tuple(A('type'), L, A('any'));
    } else if (this.cur() === ')') {
      this.next();
      args = tuple(A('type'), L, A('product'), NIL);
    } else {
      const ts = this.topTypes();
      this.expect(')');
      args = tuple(A('type'), L, A('product'), list(ts));
    }
    this.expect('->');
    return tuple(A('type'), L, A('fun'), list([args, this.topType()]));
  }

  protected typeSig(): Term {
    const ft = this.funType();
    if (this.cur() !== 'when') return ft;
    this.next();
    const guards = [this.typeGuard()];
    while (this.cur() === ',') {
      this.next();
      guards.push(this.typeGuard());
    }
    return tuple(A('type'), annoOf(ft), A('bounded_fun'), list([ft, list(guards)]));
  }

  private typeGuard(): Term {
    const t = this.peek();
    if (t.kind === 'atom') {
      this.next();
      this.expect('(');
      let k = 0;
      while (this.peek(k).kind === '(') k++;
      const lhsStart = posOf(this.peek(k)); // where the first argument's first annotated token is
      const ts = this.topTypes();
      this.expect(')');
      if (t.value === 'is_subtype' && ts.length === 2) {
        const lhs = ts[0];
        if (!(lhs instanceof Tuple && lhs.elements[0] === A('var'))) this.failAt(lhsStart, 'bad type variable');
        return this.constraint(lhs, ts[1]);
      }
      this.failAt(posOf(t), `unsupported constraint ${t.value as string}`);
    }
    if (t.kind === 'var') {
      this.next();
      this.expect('::');
      const ty = this.topType();
      if (t.value === '_') this.failAt(posOf(t), 'bad type variable');
      return this.constraint(this.tokTerm(t), ty);
    }
    this.fail(t);
  }

  private constraint(lhs: Term, ty: Term): Term {
    const L = annoOf(lhs);
    return tuple(A('type'), L, A('constraint'), list([tuple(A('atom'), L, A('is_subtype')), list([lhs, ty])]));
  }

  /** The arity a spec declares: the argument count of its first signature. */
  protected static specArity(sig: Term): number {
    let f = sig as Tuple;
    if (f.elements[2] === A('bounded_fun')) f = termList(f.elements[3])[0] as Tuple;
    const product = termList(f.elements[3])[0] as Tuple;
    return product.elements[2] === A('any') ? 0 : termList(product.elements[3]).length;
  }
}
