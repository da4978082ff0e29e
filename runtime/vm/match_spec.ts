// Match specifications (ERTS User's Guide, "Match Specifications in Erlang"): a list of
// {Head, Conditions, Body} compiled once into closures and run against a target term (an ETS
// object; for tracing, an argument list).
//
//   Head        a pattern: '$N' binds (a second '$N' must be =:= the first), '_' matches anything,
//               any other term matches itself exactly
//   Conditions  guard expressions; the clause matches when each gives true (an exception fails it)
//   Body        expressions; the last one's value is the result ('EXIT' if any raises)
//
// In conditions and body: '$N' is a bound variable, '$_' the whole target, '$$' the bound
// variables in order of N, {{...}} builds a tuple, {const, T} is T, [..] and #{..} build lists
// and maps, {F, Args...} calls a guard function, and any other term is itself.
// Compiling reports erts' own error texts (ets:test_ms/2 returns them).

import { Atom, ErlMap, List, NIL, Tuple, atom, exactEqual, list, type Term } from './term.js';
import { ErlangException } from './exception.js';
import { lookupBif } from './bif_registry.js';
import { displayTerm } from '../lib/erts/display.js';

export type Dialect = 'table' | 'trace';

/** What run() returns when no clause matches. */
export const NO_MATCH: unique symbol = Symbol('no match');

const A = {
  _: atom('_'),
  whole: atom('$_'),
  all: atom('$$'),
  const: atom('const'),
  true: atom('true'),
  false: atom('false'),
  EXIT: atom('EXIT'),
};

/** A variable's number: '$0' .. '$100000000', or -1 for any other atom. */
export function varNumber(a: Atom): number {
  const s = a.name;
  if (s.length < 2 || s.charCodeAt(0) !== 36 /* $ */) return -1;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  const n = Number(s.slice(1));
  return n <= 100000000 ? n : -1;
}

interface Cx {
  vars: Term[];
  whole: Term;
  /** a traced call's: what the body's actions ask for */
  fx?: TraceEffects;
}

/**
 * What a trace match spec's actions ask of the call it matched: return_trace, exception_trace,
 * message(M) (false: no trace message; true: the plain one), and what caller() answers.
 */
export interface TraceEffects {
  returnTrace: boolean;
  exceptionTrace: boolean;
  message: Term | undefined;
  caller: Term;
}
type Expr = (cx: Cx) => Term;
type Matcher = (t: Term, vars: Term[]) => boolean;

interface Clause {
  readonly head: Term;
  readonly nvars: number;
  readonly match: Matcher;
  readonly guards: Expr[];
  readonly body: Expr[];
  /** the body as written */
  readonly bodySource: Term[];
  /** the body is just '$_' (match_object, select of whole objects) */
  readonly wholeBody: boolean;
}

export class CompiledMatchSpec {
  constructor(
    readonly source: Term,
    private readonly clauses: Clause[],
  ) {}

  /** The result of the first clause that matches target, or NO_MATCH. */
  run(target: Term, fx?: TraceEffects): Term | typeof NO_MATCH {
    for (const c of this.clauses) {
      const vars: Term[] = c.nvars === 0 ? NO_VARS : new Array(c.nvars);
      if (!c.match(target, vars)) continue;
      const cx: Cx = { vars, whole: target, fx };
      if (!guardsHold(c.guards, cx)) continue;
      if (c.wholeBody) return target;
      let r: Term = A.true;
      try {
        for (const e of c.body) r = e(cx);
      } catch (e) {
        if (!(e instanceof ErlangException)) throw e;
        return A.EXIT;
      }
      return r;
    }
    return NO_MATCH;
  }

  /**
   * The keys every clause's head names exactly (element keypos of a tuple head with no variable
   * in it), so a table need only look those up; undefined when some clause can match any key.
   */
  groundKeys(keypos: number): Term[] | undefined {
    const keys: Term[] = [];
    for (const c of this.clauses) {
      const h = c.head;
      if (!(h instanceof Tuple)) {
        if (h instanceof Atom && (h === A._ || varNumber(h) >= 0)) return undefined;
        continue; // a head that is not a tuple matches no object
      }
      if (h.elements.length < keypos) continue;
      const k = h.elements[keypos - 1];
      if (!isGround(k)) return undefined;
      keys.push(k);
    }
    return keys;
  }

  /** The clauses as select_replace needs them: each keeps the key of what it matches. */
  keepsKey(keypos: number): boolean {
    return this.clauses.every((c) => keepsKey(c, keypos));
  }
}

const NO_VARS: Term[] = [];

function guardsHold(guards: Expr[], cx: Cx): boolean {
  try {
    for (const g of guards) if (g(cx) !== A.true) return false;
    return true;
  } catch (e) {
    if (e instanceof ErlangException) return false;
    throw e;
  }
}

/** Does t contain no variable and no '_'? */
function isGround(t: Term): boolean {
  if (t instanceof Atom) return t !== A._ && varNumber(t) < 0;
  if (t instanceof Tuple) return t.elements.every(isGround);
  if (t instanceof List) {
    let l: Term = t;
    while (l instanceof List) {
      if (!isGround(l.head)) return false;
      l = l.tail;
    }
    return isGround(l);
  }
  if (t instanceof ErlMap) {
    for (const [k, v] of t.entries.values()) if (!isGround(k) || !isGround(v)) return false;
    return true;
  }
  return true;
}

// ---------- compiling ----------

class Compiler {
  errors: string[] = [];
  /** variable number -> slot, for the clause being compiled */
  slots = new Map<number, number>();

  constructor(readonly dialect: Dialect) {}

  error(text: string): void {
    this.errors.push(text);
  }

  // ----- the head -----

  pattern(t: Term): Matcher {
    if (t instanceof Atom) {
      if (t === A._) return () => true;
      const n = varNumber(t);
      if (n >= 0) {
        const known = this.slots.get(n);
        if (known !== undefined) return (x, vars) => exactEqual(x, vars[known]);
        const slot = this.slots.size;
        this.slots.set(n, slot);
        return (x, vars) => {
          vars[slot] = x;
          return true;
        };
      }
      return (x) => x === t;
    }
    if (isGround(t)) {
      if (typeof t === 'number') return (x) => x === t;
      return (x) => exactEqual(x, t);
    }
    if (t instanceof Tuple) {
      const size = t.elements.length;
      const parts = t.elements.map((e) => this.pattern(e));
      return (x, vars) => {
        if (!(x instanceof Tuple) || x.elements.length !== size) return false;
        const xs = x.elements;
        for (let i = 0; i < size; i++) if (!parts[i](xs[i], vars)) return false;
        return true;
      };
    }
    if (t instanceof List) {
      const h = this.pattern(t.head);
      const tl = this.pattern(t.tail);
      return (x, vars) => x instanceof List && h(x.head, vars) && tl(x.tail, vars);
    }
    if (t instanceof ErlMap) {
      const parts: [Term, Matcher][] = [];
      for (const [k, v] of t.sorted()) {
        if (!isGround(k)) this.error('Variable found in map key.');
        parts.push([k, this.pattern(v)]);
      }
      return (x, vars) => {
        if (!(x instanceof ErlMap)) return false;
        for (const [k, m] of parts) {
          const v = x.get(k);
          if (v === undefined || !m(v, vars)) return false;
        }
        return true;
      };
    }
    return (x) => exactEqual(x, t);
  }

  // ----- conditions and body -----

  expr(t: Term): Expr {
    if (t instanceof Atom) {
      if (t === A.whole) return (cx) => cx.whole;
      if (t === A.all) {
        const order = [...this.slots.entries()].sort((a, b) => a[0] - b[0]).map(([, slot]) => slot);
        return (cx) => list(order.map((s) => cx.vars[s]));
      }
      const n = varNumber(t);
      if (n >= 0) {
        const slot = this.slots.get(n);
        if (slot === undefined) {
          this.error(`Variable $${n} is unbound.`);
          return () => t;
        }
        return (cx) => cx.vars[slot];
      }
      return () => t;
    }
    if (t instanceof Tuple) return this.tupleExpr(t);
    if (t instanceof List) {
      const h = this.expr(t.head);
      const tl = this.expr(t.tail);
      return (cx) => new List(h(cx), tl(cx));
    }
    if (t instanceof ErlMap) {
      const parts = t.sorted().map(([k, v]) => [k, this.expr(v)] as const);
      return (cx) => ErlMap.from(parts.map(([k, e]) => [k, e(cx)]));
    }
    return () => t;
  }

  private tupleExpr(t: Tuple): Expr {
    const es = t.elements;
    if (es.length === 1 && es[0] instanceof Tuple) {
      const parts = es[0].elements.map((e) => this.expr(e));
      return (cx) => new Tuple(parts.map((p) => p(cx)));
    }
    const f = es[0];
    if (!(f instanceof Atom)) {
      this.error(`${displayTerm(t)} is neither a function call, nor a tuple (tuples are written {{ ... }}).`);
      return () => t;
    }
    const args = es.slice(1);
    const name = f.name;
    if (f === A.const) {
      if (args.length === 1) {
        const v = args[0];
        return () => v;
      }
      this.error(
        args.length === 0
          ? `Special form 'const' called without arguments in {const}.`
          : `Special form 'const' called with more than one argument in ${displayTerm(t)}.`,
      );
      return () => t;
    }
    if (TRACE_ONLY.has(name) && this.dialect === 'table') {
      this.error(`Special form '${name}' used in wrong dialect.`);
      return () => t;
    }
    if (name === 'get_tcw' && this.dialect === 'table') {
      this.error(`Function get_tcw/0 cannot be called in this context.`);
      return () => t;
    }
    const action = this.dialect === 'trace' ? TRACE_ACTIONS[`${name}/${args.length}`] : undefined;
    if (action !== undefined) return action(args.map((a) => this.expr(a)));
    const variadic = VARIADIC[name];
    if (variadic !== undefined) {
      if (args.length === 0) {
        this.error(`Special form '${name}' called without arguments in {${name}}.`);
        return () => t;
      }
      return variadic(args.map((a) => this.expr(a)));
    }
    const arity = args.length;
    const fn = GUARD_FUNCTIONS.has(`${name}/${arity}`) ? lookupBif('erlang', name, arity)?.pure : undefined;
    if (fn === undefined) {
      this.error(`Function ${plainAtom(name)}/${arity} does_not_exist.`);
      return () => t;
    }
    const ps = args.map((a) => this.expr(a));
    switch (arity) {
      case 0:
        return () => fn();
      case 1: {
        const [a] = ps;
        return (cx) => fn(a(cx));
      }
      case 2: {
        const [a, b] = ps;
        return (cx) => fn(a(cx), b(cx));
      }
      default:
        return (cx) => fn(...ps.map((p) => p(cx)));
    }
  }

  clause(t: Term): Clause | undefined {
    if (!(t instanceof Tuple) || t.elements.length !== 3) {
      this.error('Match program part is not a tuple of arity 3.');
      return undefined;
    }
    const [head, conds, body] = t.elements;
    this.slots = new Map();
    const match = this.pattern(head);
    const guards: Expr[] = [];
    const cs = properList(conds);
    if (cs === undefined) this.error('Match expression is not a list.');
    else for (const c of cs) guards.push(this.expr(c));
    const bs = properList(body);
    const exprs: Expr[] = [];
    // a trace match spec may have no body: the call is traced, nothing more
    if (bs === undefined || (bs.length === 0 && this.dialect === 'table')) this.error('Body clause does not return anything.');
    else for (const b of bs) exprs.push(this.expr(b));
    const wholeBody = bs !== undefined && bs.length === 1 && bs[0] === A.whole;
    return { head, nvars: this.slots.size, match, guards, body: exprs, bodySource: bs ?? [], wholeBody };
  }
}

/** An atom as erts prints it in these texts: bare when it is a plain word. */
function plainAtom(name: string): string {
  return /^[a-z][a-zA-Z0-9_@]*$/.test(name) ? name : displayTerm(atom(name));
}

function properList(t: Term): Term[] | undefined {
  const out: Term[] = [];
  while (t instanceof List) {
    out.push(t.head);
    t = t.tail;
  }
  return t === NIL ? out : undefined;
}

/** Compile ms, or return erts' error texts. */
export function compileMatchSpec(ms: Term, dialect: Dialect = 'table'): CompiledMatchSpec | string[] {
  const c = new Compiler(dialect);
  const clauses: Clause[] = [];
  let l = ms;
  if (!(l instanceof List) && l !== NIL) return ['Match programs are not in a list.'];
  while (l instanceof List) {
    const cl = c.clause(l.head);
    if (cl !== undefined) clauses.push(cl);
    l = l.tail;
  }
  if (l !== NIL) return ['Match programs are not in a proper list.'];
  return c.errors.length > 0 ? c.errors : new CompiledMatchSpec(ms, clauses);
}

/** The match spec of ets:match/match_object's pattern: [{Pattern, [], [Result]}]. */
export function patternSpec(pattern: Term, result: '$$' | '$_' | 'true'): CompiledMatchSpec {
  const ms = list([new Tuple([pattern, NIL, list([atom(result)])])]);
  const c = compileMatchSpec(ms);
  // a pattern alone always compiles, save for a variable in a map key, which then never matches
  return c instanceof CompiledMatchSpec ? c : new CompiledMatchSpec(ms, []);
}

// ---------- select_replace: the result keeps the object's key ----------

/** Can this clause's result be proved, from the spec alone, to have the key of the object it matched? */
function keepsKey(c: Clause, keypos: number): boolean {
  if (c.bodySource.length !== 1) return false;
  const b = c.bodySource[0];
  if (b === A.whole) return true;
  const h = c.head;
  if (!(h instanceof Tuple) || h.elements.length < keypos) return false;
  const hk = h.elements[keypos - 1];
  if (isConst(b)) {
    const v = (b as Tuple).elements[1];
    return isGround(hk) && v instanceof Tuple && v.elements.length >= keypos && exactEqual(v.elements[keypos - 1], hk);
  }
  if (!(b instanceof Tuple) || b.elements.length !== 1 || !(b.elements[0] instanceof Tuple)) return false;
  const built = b.elements[0].elements;
  if (built.length < keypos) return false;
  const bk = built[keypos - 1];
  if (hk instanceof Atom && varNumber(hk) >= 0) return bk === hk;
  if (!isGround(hk)) return false;
  if (isConst(bk)) return exactEqual((bk as Tuple).elements[1], hk);
  // a literal written as itself: anything but what the body would compute
  const computed = bk instanceof Tuple || bk instanceof List || bk instanceof ErlMap || (bk instanceof Atom && (varNumber(bk) >= 0 || bk === A.whole || bk === A.all));
  return !computed && exactEqual(bk, hk);
}

/** Compile ms for select_replace: undefined unless every clause provably keeps the key. */
export function compileReplaceSpec(ms: Term, keypos: number): CompiledMatchSpec | undefined {
  const c = compileMatchSpec(ms);
  return c instanceof CompiledMatchSpec && c.keepsKey(keypos) ? c : undefined;
}

function isConst(t: Term): boolean {
  return t instanceof Tuple && t.elements.length === 2 && t.elements[0] === A.const;
}

// ---------- the functions a match spec may call ----------

const GUARD_FUNCTIONS = new Set(
  [
    'is_atom/1', 'is_float/1', 'is_integer/1', 'is_list/1', 'is_number/1', 'is_pid/1', 'is_port/1',
    'is_reference/1', 'is_tuple/1', 'is_map/1', 'is_map_key/2', 'is_binary/1', 'is_function/1',
    'is_record/3', 'abs/1', 'element/2', 'hd/1', 'length/1', 'map_get/2', 'map_size/1', 'node/0',
    'node/1', 'round/1', 'size/1', 'bit_size/1', 'byte_size/1', 'tl/1', 'trunc/1', 'float/1',
    'binary_part/2', 'binary_part/3', '+/1', '+/2', '-/1', '-/2', '*/2', '//2', 'div/2', 'rem/2',
    'band/2', 'bor/2', 'bxor/2', 'bnot/1', 'bsl/2', 'bsr/2', '>/2', '>=/2', '</2', '=</2', '=:=/2',
    '==/2', '=/=/2', '/=/2', 'self/0', 'not/1', 'xor/2',
  ],
);

/** Forms only tracing's match specs may use. */
const TRACE_ONLY = new Set([
  'set_seq_token', 'get_seq_token', 'message', 'return_trace', 'exception_trace', 'process_dump',
  'enable_trace', 'disable_trace', 'trace', 'display', 'caller', 'caller_line', 'current_stacktrace',
  'set_tcw', 'silent', 'is_seq_trace',
]);

/** The actions of call tracing's match specs (the ones terl has): each records itself in the call's effects. */
const TRACE_ACTIONS: Record<string, (args: Expr[]) => Expr> = {
  'return_trace/0': () => (cx) => {
    if (cx.fx) cx.fx.returnTrace = true;
    return A.true;
  },
  'exception_trace/0': () => (cx) => {
    if (cx.fx) cx.fx.exceptionTrace = true;
    return A.true;
  },
  'message/1': ([m]) => (cx) => {
    const v = m(cx);
    if (cx.fx) cx.fx.message = v;
    return A.true;
  },
  'caller/0': () => (cx) => cx.fx?.caller ?? atom('undefined'),
};

function bool(t: Term): boolean {
  if (t === A.true) return true;
  if (t === A.false) return false;
  throw new ErlangException(atom('error'), atom('badarg'));
}

/** The forms taking any number (at least one) of arguments. */
const VARIADIC: Record<string, (args: Expr[]) => Expr> = {
  and: (args) => (cx) => {
    let r = true;
    for (const a of args) r = bool(a(cx)) && r;
    return r ? A.true : A.false;
  },
  or: (args) => (cx) => {
    let r = false;
    for (const a of args) r = bool(a(cx)) || r;
    return r ? A.true : A.false;
  },
  andalso: (args) => (cx) => {
    const last = args.length - 1;
    for (let i = 0; i < last; i++) if (!bool(args[i](cx))) return A.false;
    return args[last](cx);
  },
  orelse: (args) => (cx) => {
    const last = args.length - 1;
    for (let i = 0; i < last; i++) if (bool(args[i](cx))) return A.true;
    return args[last](cx);
  },
};
