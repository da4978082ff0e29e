// ets:fun2ms and dbg:fun2ms: a literal fun, translated into the match specification it stands for
// (stdlib's ms_transform, as its manual page describes it). Works on the syntax tree, so both
// users share it: the compiler, for a module that includes ms_transform.hrl (the call becomes the
// match spec's construction, imported variables read at run time), and the shell's ets:fun2ms
// (the fun's clauses, with the shell's bindings for imported variables).
//
//   head     one pattern (a tuple or a variable for ets, a list or a variable for dbg); its
//            variables become '$1', '$2', ... in order; `Var = Pattern` at the top binds Var to '$_'
//   guards   each `;` alternative is a clause of its own; tests become {Function, Args...}
//   body     the terms to return; tuples become {{...}}, imported variables {const, Value}
//   records  become tuples (unnamed fields '_' in the head, their defaults in the body)

import type { Clause, Expr, Form, Pos, RecordFieldDef } from './ast.js';
import { abstractTerm, termToClause } from './abstract.js';
import { bindingsFromTerm } from './erl_eval.js';
import { EvalFunInfo } from './compile/support.js';
import { shellFunRecords } from './compile/shell.js';
import { constValue } from './compile/literal.js';
import { Atom, ErlFloat, ErlMap, Fun, List, Tuple, atom, isInteger, list, listToArray, type Term } from '../runtime/vm/term.js';
import { writeTerm } from '../runtime/lib/stdlib/format/term.js';

export type Dialect = 'ets' | 'dbg';

/** A fun that cannot be a match spec: where, and ms_transform's words for why. */
export class MsTransformError extends Error {
  constructor(
    readonly pos: Pos,
    message: string,
  ) {
    super(message);
  }
}

/** The records the fun may name: name → fields in order. */
export interface Records {
  get(name: string): readonly RecordFieldDef[] | undefined;
}

type Part = 'guard' | 'body';

/** ~w of an atom, as the error texts print names. */
function w(name: string): string {
  return writeTerm(atom(name));
}

// ---------- what a match spec may call ----------

const GUARD_FUNCTIONS = new Set([
  'abs/1', 'element/2', 'hd/1', 'length/1', 'node/0', 'node/1', 'round/1', 'size/1', 'bit_size/1',
  'byte_size/1', 'map_size/1', 'map_get/2', 'binary_part/2', 'binary_part/3', 'tl/1', 'trunc/1',
  'self/0', 'float/1',
]);
const PSEUDO_GUARD_FUNCTIONS = new Set(['get_tcw/0']);
const BOOL_TESTS = new Set([
  'is_atom/1', 'is_float/1', 'is_integer/1', 'is_list/1', 'is_number/1', 'is_pid/1', 'is_port/1',
  'is_reference/1', 'is_tuple/1', 'is_map/1', 'is_map_key/2', 'is_binary/1', 'is_function/1',
  'is_record/2', 'is_seq_trace/0',
]);
const ACTION_FUNCTIONS = new Set([
  'set_seq_token/2', 'get_seq_token/0', 'message/1', 'return_trace/0', 'exception_trace/0',
  'process_dump/0', 'enable_trace/1', 'enable_trace/2', 'disable_trace/1', 'disable_trace/2',
  'display/1', 'caller/0', 'set_tcw/1', 'silent/1', 'trace/2', 'trace/3',
]);
const OPERATORS = new Set([
  'and/2', 'or/2', 'xor/2', 'not/1', 'andalso/2', 'orelse/2', '+/1', '+/2', '-/1', '-/2', '*/2', '//2',
  'div/2', 'rem/2', 'band/2', 'bor/2', 'bxor/2', 'bnot/1', 'bsl/2', 'bsr/2', '>/2', '>=/2', '</2',
  '=</2', '==/2', '=:=/2', '/=/2', '=/=/2',
]);
/** The type tests' old names (atom(X) for is_atom(X)), still translated at the top of a guard. */
const OLD_TESTS: Record<string, string> = {
  'atom/1': 'is_atom', 'float/1': 'is_float', 'integer/1': 'is_integer', 'list/1': 'is_list',
  'number/1': 'is_number', 'pid/1': 'is_pid', 'port/1': 'is_port', 'reference/1': 'is_reference',
  'tuple/1': 'is_tuple', 'binary/1': 'is_binary', 'function/1': 'is_function', 'record/2': 'is_record',
};

function isMsFunction(fa: string, part: Part): boolean {
  return GUARD_FUNCTIONS.has(fa) || PSEUDO_GUARD_FUNCTIONS.has(fa) || BOOL_TESTS.has(fa) || (part === 'body' && ACTION_FUNCTIONS.has(fa));
}

/** What erlang:F(...) may be called as (then translated as the plain call or operator). */
function fromErlang(fa: string): boolean {
  return GUARD_FUNCTIONS.has(fa) || BOOL_TESTS.has(fa) || OPERATORS.has(fa);
}

/** How the error texts name a construct the translation cannot take. */
const ELEMENT_NAMES: Record<string, string> = {
  lc: 'list comprehension',
  bc: 'binary comprehension',
  block: 'begin/end block',
  if: 'if',
  case: 'case',
  receive: 'receive',
  try: 'try',
  catch: 'catch',
  match: 'match (=)',
  remote: 'external function call',
  fun_ref: 'fun',
};

// ---------- building expressions ----------

function at(pos: Pos, value: string): Expr {
  return { type: 'atom', pos, value };
}

function tupleOf(pos: Pos, elements: Expr[]): Expr {
  return { type: 'tuple', pos, elements };
}

function listOf(pos: Pos, items: Expr[]): Expr {
  let l: Expr = { type: 'nil', pos };
  for (let i = items.length - 1; i >= 0; i--) l = { type: 'cons', pos, head: items[i], tail: l };
  return l;
}

// ---------- the translation ----------

class Translator {
  /** variable → '$N' or '$_', for the clause being translated */
  private bound = new Map<string, string>();
  private next = 1;

  constructor(
    private readonly dialect: Dialect,
    private readonly records: Records,
    /** the shell's fun: erl's shell expands record syntax into plain code before translating */
    private readonly shell: boolean,
  ) {}

  clause(c: Clause): Expr {
    this.bound = new Map([['_', '_']]);
    this.next = 1;
    this.checkHead(c);
    const head = this.head(c.patterns[0]);
    const guards = c.guards.length === 0 ? [] : c.guards[0].map((g) => this.expr(topTest(g), 'guard'));
    const body = c.body.map((e) => this.expr(e, 'body'));
    return tupleOf(c.pos, [head, listOf(c.pos, guards), listOf(c.pos, body)]);
  }

  private checkHead(c: Clause): void {
    const bad = (): never => {
      throw new MsTransformError(
        c.pos,
        this.dialect === 'ets'
          ? 'ets:fun2ms requires fun with single variable or tuple parameter'
          : 'dbg:fun2ms requires fun with single variable or list parameter',
      );
    };
    if (c.patterns.length !== 1) bad();
    let p = c.patterns[0];
    if (p.type === 'match') {
      if (p.left.type === 'var') p = p.right;
      else if (p.right.type === 'var') p = p.left;
    }
    if (p.type === 'var') return;
    if (this.dialect === 'ets' && (p.type === 'tuple' || (p.type === 'record' && p.base === undefined))) return;
    if (this.dialect === 'dbg' && (p.type === 'cons' || p.type === 'nil')) return;
    bad();
  }

  // ----- the head: a pattern whose variables become '$N' -----

  private head(p: Expr): Expr {
    // `Var = Pattern` (or `Pattern = Var`) at the top: Var is the whole object
    if (p.type === 'match' && p.left.type === 'var') {
      this.bound.set(p.left.name, '$_');
      return this.pattern(p.right);
    }
    if (p.type === 'match' && p.right.type === 'var') {
      this.bound.set(p.right.name, '$_');
      return this.pattern(p.left);
    }
    return this.pattern(p);
  }

  private pattern(p: Expr): Expr {
    switch (p.type) {
      case 'var': {
        let v = this.bound.get(p.name);
        if (v === undefined) {
          v = '$' + this.next++;
          this.bound.set(p.name, v);
        }
        return at(p.pos, v);
      }
      case 'atom':
        if (/^\$\d+$/.test(p.value)) {
          throw new MsTransformError(p.pos, `fun head contains atom ${w(p.value)}, which conflics with reserved atoms in match_spec heads`);
        }
        return p;
      case 'match':
        throw new MsTransformError(p.pos, 'in fun head, only matching (=) on toplevel can be translated into match_spec');
      case 'tuple':
        return { ...p, elements: p.elements.map((e) => this.pattern(e)) };
      case 'cons':
        return { ...p, head: this.pattern(p.head), tail: this.pattern(p.tail) };
      case 'map':
        return { ...p, assocs: p.assocs.map((a) => ({ ...a, op: '=>', key: this.pattern(a.key), value: this.pattern(a.value) })) };
      case 'bin':
        for (const el of p.elements) {
          if (el.value.type === 'var') {
            throw new MsTransformError(el.value.pos, `fun head contains bit syntax matching of variable ${w(el.value.name)}, which cannot be translated into match_spec`);
          }
        }
        return p;
      case 'record':
        return this.recordPattern(p);
      case 'op':
        return { ...p, args: p.args.map((a) => this.pattern(a)) };
      default:
        return p;
    }
  }

  private recordPattern(p: Expr & { type: 'record' }): Expr {
    const fields = this.record(p.name, p.pos, 'head');
    const given = new Map<string, Expr>();
    let other: Expr = at(p.pos, '_');
    for (const f of p.fields) {
      const v = this.pattern(f.value);
      if (f.field === '_') other = v;
      else given.set(f.field, v);
    }
    this.checkFields(p, fields, 'head');
    return tupleOf(p.pos, [at(p.pos, p.name), ...fields.map((f) => given.get(f.name) ?? other)]);
  }

  private record(name: string, pos: Pos, where: 'head' | Part): readonly RecordFieldDef[] {
    const fields = this.records.get(name);
    if (fields === undefined) throw new MsTransformError(pos, `fun ${where} contains unknown record type ${w(name)}`);
    return fields;
  }

  private checkFields(p: { name: string; pos: Pos; fields: { field: string }[] }, defs: readonly RecordFieldDef[], where: 'head' | Part): void {
    const seen = new Set<string>();
    for (const f of p.fields) {
      if (seen.has(f.field)) throw new MsTransformError(p.pos, `fun ${where} contains already defined field ${w(f.field)} in record type ${w(p.name)}`);
      seen.add(f.field);
    }
    for (const f of p.fields) {
      if (f.field !== '_' && !defs.some((d) => d.name === f.field)) {
        throw new MsTransformError(p.pos, `fun ${where} contains reference to unknown field ${w(f.field)} in record type ${w(p.name)}`);
      }
    }
  }

  // ----- guards and body: expressions become match spec terms -----

  private expr(e: Expr, part: Part): Expr {
    switch (e.type) {
      case 'match':
        throw new MsTransformError(
          e.pos,
          part === 'guard' ? "fun with guard matching ('=' in guard) is illegal as match_spec as well" : "fun with body matching ('=' in body) is illegal as match_spec",
        );
      case 'op': {
        const folded = partialEval(e);
        if (folded !== undefined) return folded;
        return tupleOf(e.pos, [at(e.pos, e.op), ...e.args.map((a) => this.expr(a, part))]);
      }
      case 'call':
        return this.call(e, part);
      case 'cons':
        return { ...e, head: this.expr(e.head, part), tail: this.expr(e.tail, part) };
      case 'nil':
      case 'integer':
      case 'char':
      case 'float':
      case 'string':
        return e;
      case 'tuple':
        return tupleOf(e.pos, [tupleOf(e.pos, e.elements.map((x) => this.expr(x, part)))]);
      case 'atom':
        // an atom that reads like a match spec variable is written as a constant
        return e.value.startsWith('$') ? tupleOf(e.pos, [at(e.pos, 'const'), e]) : e;
      case 'var': {
        const v = this.bound.get(e.name);
        return v !== undefined ? at(e.pos, v) : tupleOf(e.pos, [at(e.pos, 'const'), e]);
      }
      case 'record_field': {
        // (the shell has expanded it to a case testing the record)
        if (this.shell) throw this.element('case', e.pos, part);
        const fields = this.record(e.name, e.pos, part);
        const i = fields.findIndex((f) => f.name === e.field);
        if (i < 0) throw new MsTransformError(e.pos, `fun ${part} contains reference to unknown field ${w(e.field)} in record type ${w(e.name)}`);
        return tupleOf(e.pos, [at(e.pos, 'element'), { type: 'integer', pos: e.pos, value: i + 2 }, this.expr(e.expr, part)]);
      }
      case 'record_index': {
        const fields = this.record(e.name, e.pos, part);
        const i = fields.findIndex((f) => f.name === e.field);
        if (i < 0) throw new MsTransformError(e.pos, `fun ${part} contains reference to unknown field ${w(e.field)} in record type ${w(e.name)}`);
        return { type: 'integer', pos: e.pos, value: i + 2 };
      }
      case 'record':
        return this.recordExpr(e, part);
      case 'bin':
        return {
          ...e,
          elements: e.elements.map((el) => {
            if (el.value.type === 'var' && this.bound.has(el.value.name)) {
              throw new MsTransformError(el.value.pos, `bit syntax construction with variable ${w(el.value.name)} (in ${part}) cannot be translated into match_spec`);
            }
            return el.value.type === 'var' ? el : { ...el, value: this.expr(el.value, part) };
          }),
        };
      case 'map':
        if (e.base !== undefined) throw this.element('map', e.pos, part);
        return { ...e, assocs: e.assocs.map((a) => ({ ...a, key: this.expr(a.key, part), value: this.expr(a.value, part) })) };
      default:
        throw this.element(e.type === 'fun' && e.name !== undefined ? 'named_fun' : e.type, e.pos, part);
    }
  }

  private element(tag: string, pos: Pos, part: Part): MsTransformError {
    return new MsTransformError(pos, `the language element ${ELEMENT_NAMES[tag] ?? tag} (in ${part}) cannot be translated into match_spec`);
  }

  private call(e: Expr & { type: 'call' }, part: Part): Expr {
    const n = e.args.length;
    const fn = e.fn;
    if (fn.type === 'atom') {
      const name = fn.value;
      if (n === 0 && name === 'bindings') return at(fn.pos, '$*');
      if (n === 0 && name === 'object') return at(fn.pos, '$_');
      if (this.shell && part === 'body' && name === 'is_record' && n === 2) throw this.element('block', e.pos, part);
      if (name === 'is_record' && n === 2 && e.args[1].type === 'atom') {
        const r = e.args[1];
        const obj = this.expr(e.args[0], part);
        const fields = this.record(r.value, r.pos, part);
        return tupleOf(e.pos, [fn, obj, r, { type: 'integer', pos: r.pos, value: fields.length + 1 }]);
      }
      if (!isMsFunction(`${name}/${n}`, part)) {
        throw new MsTransformError(e.pos, `fun containing the local function call '${w(name)}/${n}' (called in ${part}) cannot be translated into match_spec`);
      }
      return tupleOf(e.pos, [fn, ...e.args.map((a) => this.expr(a, part))]);
    }
    if (fn.type === 'remote' && fn.module.type === 'atom' && fn.name.type === 'atom') {
      const m = fn.module.value;
      const name = fn.name.value;
      if (m === 'erlang' && fromErlang(`${name}/${n}`)) {
        if (OPERATORS.has(`${name}/${n}`)) return this.expr({ type: 'op', pos: fn.name.pos, op: name, args: e.args }, part);
        return this.call({ ...e, fn: fn.name }, part);
      }
      throw new MsTransformError(e.pos, `fun containing the remote function call '${w(m)}:${w(name)}/${n}' (called in ${part}) cannot be translated into match_spec`);
    }
    throw this.element(fn.type, e.pos, part);
  }

  private recordExpr(e: Expr & { type: 'record' }, part: Part): Expr {
    // (the shell has expanded an update to a block binding the record)
    if (this.shell && e.base !== undefined) throw this.element('block', e.pos, part);
    const fields = this.record(e.name, e.pos, part);
    const given = new Map<string, Expr>();
    let other: Expr | undefined;
    for (const f of e.fields) {
      const v = this.expr(f.value, part);
      if (f.field === '_') other = v;
      else given.set(f.field, v);
    }
    this.checkFields(e, fields, part);
    const base = e.base === undefined ? undefined : this.expr(e.base, part);
    const values = fields.map((f, i): Expr => {
      const g = given.get(f.name);
      if (g !== undefined) return g;
      if (base !== undefined) return tupleOf(e.pos, [at(e.pos, 'element'), { type: 'integer', pos: e.pos, value: i + 2 }, base]);
      // a default is taken as written, as ms_transform does (the shell has put it in the code)
      const d = other ?? f.default ?? at(e.pos, 'undefined');
      return this.shell && other === undefined ? this.expr(d, part) : d;
    });
    return tupleOf(e.pos, [tupleOf(e.pos, [at(e.pos, e.name), ...values])]);
  }
}

/** A guard's top test in an old form (atom(X)) as its is_ form. */
function topTest(g: Expr): Expr {
  if (g.type === 'call' && g.fn.type === 'atom') {
    const renamed = OLD_TESTS[`${g.fn.value}/${g.args.length}`];
    if (renamed !== undefined) return { ...g, fn: { ...g.fn, value: renamed } };
  }
  return g;
}

/** An operator on constants, computed (as erl_eval:partial_eval does), when it gives a number or an atom. */
function partialEval(e: Expr & { type: 'op' }): Expr | undefined {
  const v = constValue(e);
  if (v === undefined) return undefined;
  if (isInteger(v)) return { type: 'integer', pos: e.pos, value: v };
  if (v instanceof ErlFloat) return { type: 'float', pos: e.pos, value: v.value };
  if (v instanceof Atom) return at(e.pos, v.name);
  return undefined;
}

/**
 * The match spec a fun's clauses stand for, as an expression building it (imported variables
 * appear in it as {const, Var}). Throws MsTransformError.
 */
export function funToMatchSpec(dialect: Dialect, clauses: Clause[], records: Records, pos: Pos, shell = false): Expr {
  const t = new Translator(dialect, records, shell);
  const out: Expr[] = [];
  for (const c of clauses) {
    // each `;` alternative of the guard is a clause of its own
    if (c.guards.length > 1) for (const g of c.guards) out.push(t.clause({ ...c, guards: [g] }));
    else out.push(t.clause(c));
  }
  return listOf(pos, out);
}

/** The shell's side: the match spec as a term, imported variables taken from the bindings. */
export function matchSpecFromShell(dialect: Dialect, clauses: Clause[], bindings: ReadonlyMap<string, Term>, records: Records = new Map()): Term {
  const ms = funToMatchSpec(dialect, clauses, records, clauses[0]?.pos ?? { line: 1, col: 1 }, true);
  return evaluate(ms, bindings);
}

/** A built match spec expression's value: literals, constructors, and the bound variables. */
function evaluate(e: Expr, bindings: ReadonlyMap<string, Term>): Term {
  switch (e.type) {
    case 'var': {
      const v = bindings.get(e.name);
      if (v === undefined) throw new MsTransformError(e.pos, `the variable ${e.name} is unbound, cannot translate into match_spec`);
      return v;
    }
    case 'tuple':
      return new Tuple(e.elements.map((x) => evaluate(x, bindings)));
    case 'cons':
      return new List(evaluate(e.head, bindings), evaluate(e.tail, bindings));
    case 'map':
      return ErlMap.from(e.assocs.map((a) => [evaluate(a.key, bindings), evaluate(a.value, bindings)] as [Term, Term]));
    default: {
      const v = constValue(e);
      if (v !== undefined) return v;
      throw new MsTransformError(e.pos, `the language element ${e.type} (in body) cannot be translated into match_spec`);
    }
  }
}

// ---------- the parse transform: a module's fun2ms calls ----------

/**
 * ms_transform over a module: each fun2ms call in a function becomes its match spec. Records the
 * specs use become tuples, so the module is told not to warn that they are unused.
 */
export function msTransformForms(forms: Form[]): Form[] {
  const records = new Map<string, readonly RecordFieldDef[]>();
  const used = new Set<string>();
  const seen = { get: (name: string) => (records.has(name) && used.add(name), records.get(name)) };
  const out: Form[] = [];
  for (const f of forms) {
    // records count from their definition on, as the forms are read
    if (f.type === 'record') records.set(f.name, f.fields);
    if (f.type === 'function') out.push({ ...f, clauses: f.clauses.map((c) => rewrite(c, seen) as Clause) });
    else out.push(f);
  }
  if (used.size === 0) return out;
  const pos = { line: 0, col: 0 };
  const nowarn = new Tuple([atom('nowarn_unused_record'), list([...used].sort().map(atom))]);
  return [{ type: 'compile', pos, options: abstractTerm(nowarn, pos) }, ...out];
}

function fun2msDialect(e: Expr): Dialect | undefined {
  if (e.type !== 'call' || e.fn.type !== 'remote' || e.args.length !== 1) return undefined;
  const { module: m, name: n } = e.fn;
  if (m.type !== 'atom' || n.type !== 'atom' || n.value !== 'fun2ms') return undefined;
  return m.value === 'ets' || m.value === 'dbg' ? m.value : undefined;
}

/** A copy of a piece of syntax tree with its fun2ms calls translated. */
function rewrite(x: unknown, records: Records): unknown {
  if (Array.isArray(x)) return x.map((y) => rewrite(y, records));
  if (x === null || typeof x !== 'object') return x;
  const e = x as Expr;
  const dialect = fun2msDialect(e);
  if (dialect !== undefined && e.type === 'call') {
    const fun = e.args[0];
    if (fun.type !== 'fun' || fun.name !== undefined) throw new MsTransformError(e.pos, 'Parameter of ets/dbg:fun2ms/1 is not a literal fun');
    return funToMatchSpec(dialect, fun.clauses, records, fun.pos);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = k === 'pos' ? v : rewrite(v, records);
  return out;
}

// ---------- ets:fun2ms/1 at run time, on a fun shell code made ----------

/**
 * A plain (not named) shell fun's clauses, bindings and the records its code may name: from the
 * shell's own fun, or from erl_eval's closure {Anno, Bindings, Lf, Ef, FreeVars, Clauses} when it
 * came from elsewhere.
 */
function shellFunParts(f: Fun): { clauses: Clause[]; bindings: Map<string, Term>; records: Records } | undefined {
  const info = f.info;
  if (info.kind !== 'eval') return undefined;
  if (info instanceof EvalFunInfo) {
    const fun = info.fun;
    if (fun.type !== 'fun' || fun.name !== undefined) return undefined;
    const recs = shellFunRecords(fun);
    return { clauses: fun.clauses, bindings: info.bindings, records: { get: (name) => recs?.get(name)?.fields } };
  }
  const env = info.env;
  const clauses = env instanceof Tuple && env.elements.length === 6 ? listToArray(env.elements[5]) : undefined;
  const bindings = env instanceof Tuple ? bindingsFromTerm(env.elements[1]) : undefined;
  if (clauses === undefined || bindings === undefined) return undefined;
  return { clauses: clauses.map(termToClause), bindings, records: new Map() };
}

/** ets:fun2ms/1's and dbg:fun2ms/1's translation of a shell fun (runtime/lib/stdlib/ets_fun2ms.ts asks through the language hook). */
export function shellFun2ms(f: Fun, dialect: Dialect = 'ets'): { ms: Term } | { error: string } | undefined {
  const fun = shellFunParts(f);
  if (fun === undefined) return undefined;
  try {
    return { ms: matchSpecFromShell(dialect, fun.clauses, fun.bindings, fun.records) };
  } catch (e) {
    if (e instanceof MsTransformError) return { error: e.message };
    throw e;
  }
}
