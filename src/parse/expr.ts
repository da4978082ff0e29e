// Expressions, patterns, clauses and guards: erl_parse.yrl's grammar as a recursive descent parser
// with precedence climbing. Every decision looks at the same token the LALR parser would, so a
// syntax error is reported "before" the same token as in erl.

import type { BinElement, Clause, Expr, MapAssoc, Pos, Qualifier, RecordFieldInit } from '../ast.js';
import type { Token } from '../scan.js';
import { firstPos, lastPos } from './anno.js';
import { Cursor, posOf } from './cursor.js';

interface OpInfo {
  prec: number;
  assoc: 'left' | 'right' | 'non';
}

// Right 100 '=' '!'; Right 150 orelse; Right 160 andalso; Nonassoc 200 comp_op; Right 300 list_op;
// Left 400 add_op; Left 500 mult_op (Unary 600 prefix_op, 700 '#', 800 ':' live in unary/postfix).
const EXPR_OPS: Record<string, OpInfo> = {};
const PAT_OPS: Record<string, OpInfo> = {};
function defineOps(prec: number, assoc: OpInfo['assoc'], ops: string[], inPatterns: boolean): void {
  for (const op of ops) {
    EXPR_OPS[op] = { prec, assoc };
    if (inPatterns) PAT_OPS[op] = { prec, assoc };
  }
}
defineOps(100, 'right', ['='], true);
defineOps(100, 'right', ['!'], false);
defineOps(150, 'right', ['orelse'], false);
defineOps(160, 'right', ['andalso'], false);
defineOps(200, 'non', ['==', '/=', '=<', '<', '>=', '>', '=:=', '=/='], true);
defineOps(300, 'right', ['++', '--'], true);
defineOps(400, 'left', ['+', '-', 'bor', 'bxor', 'bsl', 'bsr', 'or', 'xor'], true);
defineOps(500, 'left', ['/', '*', 'div', 'rem', 'band', 'and'], true);

export const PREFIX_OPS = new Set(['+', '-', 'bnot', 'not']);

function has<T>(o: Record<string, T>, k: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

/** What the shell reads in place of a printed pid, port, reference or external fun (erl_eval:extended_parse_exprs). */
export type ShellLiteral =
  | { kind: 'pid' | 'port' | 'reference'; text: string }
  | { kind: 'function'; module: string; name: string; arity: number };

export class ExprParser extends Cursor {
  /** string tokens standing for shell literals like <0.80.0> (set by the shell's entry point) */
  protected shellLiterals?: Map<Token, ShellLiteral>;

  // ---------- expression lists, guards, clause bodies ----------

  exprs(): Expr[] {
    const es = [this.expr()];
    while (this.cur() === ',') {
      this.next();
      es.push(this.expr());
    }
    return es;
  }

  expr(): Expr {
    return this.climb(this.unary(), 0, false);
  }

  /** Expressions ended by a dot with nothing after it (erl_parse:parse_exprs on one form's tokens). */
  exprsToDot(): Expr[] {
    const es = this.exprs();
    this.expect('dot');
    if (!this.atEnd) this.fail();
    return es;
  }

  /** A pattern (pat_expr): no calls, no catch, no '!', orelse or andalso, no map/record updates. */
  pat(): Expr {
    return this.climb(this.patUnary(), 0, true);
  }

  protected guard(): Expr[][] {
    const g = [this.exprs()];
    while (this.cur() === ';') {
      this.next();
      g.push(this.exprs());
    }
    return g;
  }

  protected clauseGuard(): Expr[][] {
    if (this.cur() !== 'when') return [];
    this.next();
    return this.guard();
  }

  protected clauseBody(): Expr[] {
    this.expect('->');
    return this.exprs();
  }

  /** pat_argument_list: '(' [pat_exprs] ')'. */
  protected patArgs(): Expr[] {
    this.expect('(');
    if (this.cur() === ')') {
      this.next();
      return [];
    }
    const ps = [this.pat()];
    while (this.cur() === ',') {
      this.next();
      ps.push(this.pat());
    }
    this.expect(')');
    return ps;
  }

  // ---------- operators ----------

  /** Precedence climbing over binary operators, with yecc's associativity rules. */
  protected climb(left: Expr, minPrec: number, pat: boolean): Expr {
    const table = pat ? PAT_OPS : EXPR_OPS;
    for (;;) {
      const t = this.peek();
      const info = has(table, t.kind);
      if (info === undefined || info.prec < minPrec) return left;
      this.next();
      const operand = pat ? this.patUnary() : this.unary();
      const right = this.climb(operand, info.assoc === 'right' ? info.prec : info.prec + 1, pat);
      left =
        t.kind === '='
          ? { type: 'match', pos: firstPos(left), left, right }
          : { type: 'op', pos: posOf(t), op: t.kind, args: [left, right] };
      if (info.assoc === 'non' && has(table, this.cur())?.prec === info.prec) this.fail();
    }
  }

  protected unary(): Expr {
    const t = this.peek();
    if (t.kind === 'catch') {
      this.next();
      return { type: 'catch', pos: posOf(t), expr: this.expr() };
    }
    if (PREFIX_OPS.has(t.kind)) {
      this.next();
      return { type: 'op', pos: posOf(t), op: t.kind, args: [this.unary()] };
    }
    return this.postfix();
  }

  protected patUnary(): Expr {
    const t = this.peek();
    if (PREFIX_OPS.has(t.kind)) {
      this.next();
      return { type: 'op', pos: posOf(t), op: t.kind, args: [this.patUnary()] };
    }
    return this.patPrimary();
  }

  /** expr_max followed by M:F, a call, or a chain of map/record operations. */
  protected postfix(): Expr {
    if (this.cur() === '#') return this.hashChain(undefined);
    return this.postfixFrom(this.exprMax());
  }

  protected postfixFrom(e: Expr): Expr {
    switch (this.cur()) {
      case ':': {
        const colon = this.next();
        const name = this.exprMax();
        const remote: Expr = { type: 'remote', pos: posOf(colon), module: e, name };
        return this.cur() === '(' ? this.call(remote) : remote;
      }
      case '(':
        return this.call(e);
      case '#':
        return this.hashChain(e);
      default:
        return e;
    }
  }

  private call(fn: Expr): Expr {
    this.expect('(');
    let args: Expr[] = [];
    if (this.cur() === ')') this.next();
    else {
      args = this.exprs();
      this.expect(')');
    }
    return { type: 'call', pos: firstPos(fn), fn, args };
  }

  /** #{...}, #r{...}, #r.f, and Base#{...}, Base#r{...}, Base#r.f chained as the grammar allows. */
  private hashChain(base: Expr | undefined): Expr {
    let e = base;
    let chain: 'max' | 'map' | 'record' = 'max';
    do {
      const hash = posOf(this.next());
      const t = this.peek();
      if (t.kind === '{') {
        if (chain === 'record') this.fail(t);
        const assocs = this.mapTuple();
        e = e === undefined ? { type: 'map', pos: hash, assocs } : { type: 'map', pos: hash, base: e, assocs };
        chain = 'map';
      } else if (t.kind === 'atom') {
        if (chain === 'map') this.fail(t);
        this.next();
        const name = t.value as string;
        if (this.cur() === '.') {
          this.next();
          const f = this.expect('atom');
          const field = f.value as string;
          const fieldPos = posOf(f);
          e = e === undefined ? { type: 'record_index', pos: hash, name, field, fieldPos } : { type: 'record_field', pos: hash, expr: e, name, field, fieldPos };
        } else if (this.cur() === '{') {
          const fields = this.recordTuple();
          e = e === undefined ? { type: 'record', pos: hash, name, fields } : { type: 'record', pos: hash, base: e, name, fields };
        } else this.fail();
        chain = 'record';
      } else this.fail(t);
    } while (this.cur() === '#');
    return e!;
  }

  protected mapTuple(): MapAssoc[] {
    this.expect('{');
    const assocs: MapAssoc[] = [];
    if (this.cur() === '}') {
      this.next();
      return assocs;
    }
    for (;;) {
      const key = this.expr();
      const op = this.peek();
      if (op.kind !== '=>' && op.kind !== ':=') this.fail(op);
      this.next();
      assocs.push({ pos: posOf(op), op: op.kind, key, value: this.expr() });
      if (this.cur() !== ',') break;
      this.next();
    }
    this.expect('}');
    return assocs;
  }

  protected recordTuple(): RecordFieldInit[] {
    this.expect('{');
    const fields: RecordFieldInit[] = [];
    if (this.cur() === '}') {
      this.next();
      return fields;
    }
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'var' && t.kind !== 'atom') this.fail(t);
      this.next();
      this.expect('=');
      fields.push({ pos: posOf(t), field: t.value as string, value: this.expr() });
      if (this.cur() !== ',') break;
      this.next();
    }
    this.expect('}');
    return fields;
  }

  // ---------- primaries ----------

  /** An atomic token as an expression node, or undefined. */
  protected atomic(): Expr | undefined {
    const t = this.peek();
    const pos = posOf(t);
    switch (t.kind) {
      case 'var':
        this.next();
        return { type: 'var', pos, name: t.value as string };
      case 'integer':
        this.next();
        return { type: 'integer', pos, value: t.value as number | bigint };
      case 'float':
        this.next();
        return { type: 'float', pos, value: t.value as number };
      case 'char':
        this.next();
        return { type: 'char', pos, value: t.value as number };
      case 'atom':
        this.next();
        return { type: 'atom', pos, value: t.value as string };
      case 'string': {
        const lit = this.shellLiterals?.get(t);
        if (lit !== undefined && this.peek(1).kind !== 'string') {
          this.next();
          return shellLiteralExpr(lit, pos);
        }
        // adjacent string literals are one string
        this.next();
        let value = t.value as string;
        while (this.cur() === 'string') value += this.next().value as string;
        return { type: 'string', pos, value };
      }
      default:
        return undefined;
    }
  }

  protected exprMax(): Expr {
    const a = this.atomic();
    if (a) return a;
    const t = this.peek();
    switch (t.kind) {
      case '(': {
        this.next();
        const e = this.expr();
        this.expect(')');
        return e;
      }
      case '[':
        return this.list(true);
      case '<<':
        return this.binary(true);
      case '{':
        return this.tuple();
      case 'begin': {
        this.next();
        const body = this.exprs();
        this.expect('end');
        return { type: 'block', pos: posOf(t), body };
      }
      case 'if':
        return this.ifExpr();
      case 'case':
        return this.caseExpr();
      case 'receive':
        return this.receiveExpr();
      case 'fun':
        return this.funExpr();
      case 'try':
        return this.tryExpr();
      default:
        this.fail(t);
    }
  }

  protected patPrimary(): Expr {
    const a = this.atomic();
    if (a) return a;
    const t = this.peek();
    switch (t.kind) {
      case '(': {
        this.next();
        const p = this.pat();
        this.expect(')');
        return p;
      }
      case '[':
        return this.list(false);
      case '<<':
        return this.binary(false);
      case '{':
        return this.tuple();
      case '#': {
        const hash = posOf(this.next());
        const n = this.peek();
        if (n.kind === '{') return { type: 'map', pos: hash, assocs: this.mapTuple() };
        if (n.kind !== 'atom') this.fail(n);
        this.next();
        const name = n.value as string;
        if (this.cur() === '.') {
          this.next();
          const f = this.expect('atom');
          return { type: 'record_index', pos: hash, name, field: f.value as string, fieldPos: posOf(f) };
        }
        if (this.cur() === '{') return { type: 'record', pos: hash, name, fields: this.recordTuple() };
        return this.fail();
      }
      default:
        this.fail(t);
    }
  }

  private tuple(): Expr {
    const open = this.next();
    if (this.cur() === '}') {
      this.next();
      return { type: 'tuple', pos: posOf(open), elements: [] };
    }
    const elements = this.exprs();
    this.expect('}');
    return { type: 'tuple', pos: posOf(open), elements };
  }

  /** A list, or (in expressions) a list comprehension. The cons cells are built without recursion. */
  private list(allowLc: boolean): Expr {
    const open = this.next();
    if (this.cur() === ']') {
      this.next();
      return { type: 'nil', pos: posOf(open) };
    }
    const heads = [this.expr()];
    if (this.cur() === '||') {
      if (!allowLc) this.fail();
      this.next();
      const quals = this.qualifiers();
      this.expect(']');
      return { type: 'lc', pos: posOf(open), expr: heads[0], quals };
    }
    let tail: Expr;
    for (;;) {
      const t = this.peek();
      if (t.kind === ']') {
        this.next();
        tail = { type: 'nil', pos: posOf(t) };
        break;
      }
      if (t.kind === '|') {
        this.next();
        tail = this.expr();
        this.expect(']');
        break;
      }
      if (t.kind !== ',') this.fail(t);
      this.next();
      heads.push(this.expr());
    }
    for (let k = heads.length - 1; k >= 0; k--) {
      tail = { type: 'cons', pos: k === 0 ? posOf(open) : firstPos(heads[k]), head: heads[k], tail };
    }
    return tail;
  }

  private qualifiers(): Qualifier[] {
    const qs = [this.qualifier()];
    while (this.cur() === ',') {
      this.next();
      qs.push(this.qualifier());
    }
    return qs;
  }

  private qualifier(): Qualifier {
    const start = this.peek();
    const e = this.expr();
    if (this.cur() === '<-') {
      const arrow = this.next();
      return { type: 'generate', pos: posOf(arrow), pattern: e, expr: this.expr() };
    }
    // only a binary written as such (not parenthesised, not part of a bigger expression) can generate from a binary
    if (this.cur() === '<=' && start.kind === '<<' && e.type === 'bin') {
      const arrow = this.next();
      return { type: 'b_generate', pos: posOf(arrow), pattern: e, expr: this.expr() };
    }
    return { type: 'filter', expr: e };
  }

  /** A binary, or (in expressions) a binary comprehension. */
  private binary(allowBc: boolean): Expr {
    const open = this.next();
    const pos = posOf(open);
    if (this.cur() === '>>') {
      this.next();
      return { type: 'bin', pos, elements: [] };
    }
    let first: BinElement;
    if (PREFIX_OPS.has(this.cur())) first = this.binElement();
    else {
      const v = this.exprMax();
      if (this.cur() === '||') {
        if (!allowBc) this.fail();
        this.next();
        const quals = this.qualifiers();
        this.expect('>>');
        return { type: 'bc', pos, expr: v, quals };
      }
      first = this.binElementRest(v);
    }
    const elements = [first];
    while (this.cur() === ',') {
      this.next();
      elements.push(this.binElement());
    }
    this.expect('>>');
    return { type: 'bin', pos, elements };
  }

  private binElement(): BinElement {
    const t = this.peek();
    if (PREFIX_OPS.has(t.kind)) {
      this.next();
      return this.binElementRest({ type: 'op', pos: posOf(t), op: t.kind, args: [this.exprMax()] });
    }
    return this.binElementRest(this.exprMax());
  }

  private binElementRest(value: Expr): BinElement {
    const el: BinElement = { pos: firstPos(value), value };
    if (this.cur() === ':') {
      this.next();
      el.size = this.exprMax();
    }
    if (this.cur() === '/') {
      this.next();
      const specs: (string | { unit: number })[] = [];
      for (;;) {
        const a = this.expect('atom').value as string;
        if (this.cur() === ':') {
          this.next();
          const n = this.expect('integer').value as number | bigint;
          specs.push(a === 'unit' && typeof n === 'number' ? { unit: n } : `${a}:${n}`);
        } else specs.push(a);
        if (this.cur() !== '-') break;
        this.next();
      }
      el.specs = specs;
    }
    return el;
  }

  // ---------- compound expressions ----------

  private ifExpr(): Expr {
    const t = this.next();
    const clauses: Clause[] = [];
    for (;;) {
      const guards = this.guard();
      const body = this.clauseBody();
      clauses.push({ pos: firstPos(guards[0][0]), patterns: [], guards, body });
      if (this.cur() !== ';') break;
      this.next();
    }
    this.expect('end');
    return { type: 'if', pos: posOf(t), clauses };
  }

  private caseExpr(): Expr {
    const t = this.next();
    const expr = this.expr();
    this.expect('of');
    const clauses = this.crClauses();
    this.expect('end');
    return { type: 'case', pos: posOf(t), expr, clauses };
  }

  /** cr_clauses: the clauses of case, receive and try ... of (their patterns are full expressions). */
  protected crClauses(): Clause[] {
    const cs: Clause[] = [];
    for (;;) {
      const p = this.expr();
      const guards = this.clauseGuard();
      const body = this.clauseBody();
      cs.push({ pos: firstPos(p), patterns: [p], guards, body });
      if (this.cur() !== ';') return cs;
      this.next();
    }
  }

  private receiveExpr(): Expr {
    const t = this.next();
    const pos = posOf(t);
    let clauses: Clause[] = [];
    if (this.cur() !== 'after') clauses = this.crClauses();
    if (this.cur() === 'after') {
      this.next();
      const timeout = this.expr();
      const body = this.clauseBody();
      this.expect('end');
      return { type: 'receive', pos, clauses, after: { timeout, body } };
    }
    this.expect('end');
    return { type: 'receive', pos, clauses };
  }

  private funExpr(): Expr {
    const funTok = this.next();
    const pos = posOf(funTok);
    const t = this.peek();
    const t1 = this.peek(1);
    if (t.kind === 'atom') {
      if (t1.kind === '/') {
        this.next();
        this.next();
        const a = this.expect('integer');
        return {
          type: 'fun_ref',
          pos,
          name: { type: 'atom', pos: posOf(t), value: t.value as string },
          arity: { type: 'integer', pos: posOf(a), value: a.value as number | bigint },
        };
      }
      if (t1.kind === ':') return this.funRemote(pos);
      this.next();
      this.fail();
    }
    if (t.kind === 'var') {
      if (t1.kind === ':') return this.funRemote(pos);
      if (t1.kind !== '(') {
        this.next();
        this.fail();
      }
    } else if (t.kind !== '(') this.fail(t);
    return this.funClauses(pos);
  }

  private atomOrVar(accept: string[]): Expr {
    const t = this.peek();
    if (!accept.includes(t.kind)) this.fail(t);
    return this.atomic()!;
  }

  private funRemote(pos: Pos): Expr {
    const module = this.atomOrVar(['atom', 'var']);
    this.expect(':');
    const name = this.atomOrVar(['atom', 'var']);
    this.expect('/');
    const arity = this.atomOrVar(['integer', 'var']);
    return { type: 'fun_ref', pos, module, name, arity };
  }

  private funClauses(pos: Pos): Expr {
    const heads: { name: string; clause: Clause }[] = [];
    for (;;) {
      let name = 'fun';
      let cpos: Pos;
      if (this.cur() === 'var') {
        const v = this.next();
        name = v.value as string;
        cpos = posOf(v);
      } else cpos = posOf(this.peek());
      const patterns = this.patArgs();
      const guards = this.clauseGuard();
      const body = this.clauseBody();
      heads.push({ name, clause: { pos: cpos, patterns, guards, body } });
      if (this.cur() !== ';') break;
      this.next();
    }
    this.expect('end');
    const clauses = checkClauses(heads, (p, r) => this.failAt(p, r));
    const name = heads[0].name;
    return name === 'fun' ? { type: 'fun', pos, clauses } : { type: 'fun', pos, name, clauses };
  }

  private tryExpr(): Expr {
    const t = this.next();
    const body = this.exprs();
    let clauses: Clause[] = [];
    let catchClauses: Clause[] = [];
    let after: Expr[] = [];
    if (this.cur() === 'of') {
      this.next();
      clauses = this.crClauses();
    }
    if (this.cur() === 'catch') {
      this.next();
      catchClauses = this.tryClauses();
      if (this.cur() === 'after') {
        this.next();
        after = this.exprs();
      }
      this.expect('end');
    } else if (this.cur() === 'after') {
      this.next();
      after = this.exprs();
      this.expect('end');
    } else this.fail();
    return { type: 'try', pos: posOf(t), body, clauses, catchClauses, after };
  }

  private tryClauses(): Clause[] {
    const cs = [this.tryClause()];
    while (this.cur() === ';') {
      this.next();
      cs.push(this.tryClause());
    }
    return cs;
  }

  /** Class:Reason:Stack, with Class defaulting to throw and Stack to '_', as one tuple pattern. */
  private tryClause(): Clause {
    const t0 = this.peek();
    let pos: Pos;
    let pattern: Expr;
    if ((t0.kind === 'atom' || t0.kind === 'var') && this.peek(1).kind === ':') {
      const cls = this.atomic()!;
      this.next();
      const reason = this.pat();
      let stack: Expr;
      if (this.cur() === ':') {
        this.next();
        const v = this.expect('var');
        stack = { type: 'var', pos: posOf(v), name: v.value as string };
      } else stack = { type: 'var', pos: lastPos(reason), name: '_' };
      pos = posOf(t0);
      pattern = { type: 'tuple', pos, elements: [cls, reason, stack] };
    } else {
      const reason = this.pat();
      pos = firstPos(reason);
      pattern = {
        type: 'tuple',
        pos,
        elements: [{ type: 'atom', pos, value: 'throw' }, reason, { type: 'var', pos: lastPos(reason), name: '_' }],
      };
    }
    const guards = this.clauseGuard();
    const body = this.clauseBody();
    return { pos, patterns: [pattern], guards, body };
  }
}

function shellLiteralExpr(lit: ShellLiteral, pos: Pos): Expr {
  if (lit.kind === 'function') {
    return {
      type: 'fun_ref',
      pos,
      module: { type: 'atom', pos, value: lit.module },
      name: { type: 'atom', pos, value: lit.name },
      arity: { type: 'integer', pos, value: lit.arity },
    };
  }
  const bif = lit.kind === 'pid' ? 'list_to_pid' : lit.kind === 'port' ? 'list_to_port' : 'list_to_ref';
  return {
    type: 'call',
    pos,
    fn: { type: 'remote', pos, module: { type: 'atom', pos, value: 'erlang' }, name: { type: 'atom', pos, value: bif } },
    args: [{ type: 'string', pos, value: lit.text }],
  };
}

/** check_clauses: every clause of a function or fun has the first one's name and arity. */
export function checkClauses(heads: { name: string; clause: Clause }[], fail: (pos: Pos, reason: string) => never): Clause[] {
  const name = heads[0].name;
  const arity = heads[0].clause.patterns.length;
  for (const h of heads) if (h.name !== name || h.clause.patterns.length !== arity) fail(h.clause.pos, 'head mismatch');
  return heads.map((h) => h.clause);
}

