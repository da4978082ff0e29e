// Expressions and bodies. An expression compiles to a JS expression (emitting any statements it
// needs first); control constructs (case, if, receive, try, catch, andalso) compile to statements
// that deliver their value to a Dest: `return` it (tail position), assign it, or drop it.
//
// Calls: a call to a local function is `yield*` on its generator; in tail position a self call
// reassigns the parameters and loops, any other call returns a TailCall for the caller's trampoline.
// Pure BIFs are plain JS calls.

import type { Clause, Expr, Qualifier, RecordFieldDef } from '../ast.js';
import { lookupBif } from '../../runtime/vm/bif_registry.js';
import { atom, list } from '../../runtime/vm/term.js';
import { CompileError, DROP, Dest, FnCtx, LocalFn, ModuleCtx, RecordDef, exprVars, freeVarsOfFun, jsString } from './context.js';
import { constJs, constValue } from './literal.js';
import { compileGuard, comparisonJs, guardTest, isGuardExpr, pureBifJs, typeTestJs } from './guard.js';
import { compilePattern, irrefutable, newScope, simpleSubject } from './pattern.js';
import { binConstructJs, compileBinSegments } from './binary.js';
import { recordDef, recordFieldExprs, recordFieldIndex } from './records.js';
import { isAutoImported, isTypeTest, ARITH_OPS, COMP_OPS, ARITH_FN, SIMPLE } from './bifs.js';
import { compileLiftedFun } from './fun.js';
import { orderFree } from './free_order.js';
import { inlineArithJs } from './arith.js';

const LITERAL_JS = /^(\(?-?\d+n?\)?|NIL|A_\w+|K\d+|A\$\d+|true|false)$/;


// ---------- bodies and destinations ----------

/** erl_eval's frames (context.ts underEval): where it evaluates each part of an expression */
const EVAL_EXPRS = 'exprs:6:136';
const EVAL_MATCH = 'expr:6:492';
const EVAL_HEAD = 'expr:6:282';
const EVAL_TAIL = 'expr:6:283';
const EVAL_TUPLE = 'expr:6:290';
const EVAL_ARGS_REMOTE = 'expr:6:454';
const EVAL_ARGS_FUN = 'expr:6:472';
const EVAL_LIST = 'expr_list:7:961';
const EVAL_CATCH = 'expr:6:480';
const EVAL_TRY = 'try_clauses:10:987';

/**
 * A body: its expressions in order. `shellLoop`: the shell's top level, whose expressions the shell
 * evaluates one by one (erl_eval evaluates the other bodies of shell code, a frame under each but the last).
 */
export function compileBody(fx: FnCtx, body: Expr[], dest: Dest, shellLoop = false): void {
  // `..., X = f(), X` ends like `..., f()` (BEAM's compiler makes it a tail call too)
  const n = body.length;
  if (n >= 2 && dest.k === 'ret') {
    const [m, v] = [body[n - 2], body[n - 1]];
    if (v.type === 'var' && m.type === 'match' && m.left.type === 'var' && m.left.name === v.name && !fx.env.has(v.name)) {
      body = [...body.slice(0, n - 2), m.right];
    }
  }
  body.forEach((e, i) => {
    fx.line(e.pos);
    const last = i === body.length - 1;
    if (last || shellLoop) compileTo(fx, e, last ? dest : DROP);
    else fx.underEval(EVAL_EXPRS, () => compileTo(fx, e, DROP));
  });
}

/** Deliver a JS value to a destination. */
export function deliver(fx: FnCtx, dest: Dest, v: string): void {
  switch (dest.k) {
    case 'ret':
      fx.emit(`return ${v};`);
      return;
    case 'set':
      if (v !== dest.v) fx.emit(`${dest.v} = ${v};`);
      return;
    case 'drop':
      if (!SIMPLE.test(v) && !LITERAL_JS.test(v)) fx.emit(`${v};`);
      return;
  }
}

/** A value in a JS variable (so it can be used several times without re-evaluation). */
function stable(fx: FnCtx, v: string): string {
  if (SIMPLE.test(v) || LITERAL_JS.test(v)) return v;
  const t = fx.tmp();
  fx.emit(`${t} = ${v};`);
  return t;
}

export function compileTo(fx: FnCtx, e: Expr, dest: Dest): void {
  switch (e.type) {
    case 'case':
      return compileCase(fx, e, dest);
    case 'if':
      return compileIf(fx, e, dest);
    case 'receive':
      return compileReceive(fx, e, dest);
    case 'try':
      return compileTry(fx, e, dest);
    case 'catch':
      return compileCatch(fx, e, dest);
    case 'block':
      return compileBody(fx, e.body, dest);
    case 'match':
      return compileMatch(fx, e, dest);
    case 'call':
      return compileCall(fx, e, dest);
    case 'lc':
      // a list comprehension whose value is dropped is a loop for its effects: no list is built (as erlc does)
      if (dest.k === 'drop') {
        compileComprehension(fx, e, true);
        return;
      }
      return deliver(fx, dest, compileExpr(fx, e));
    case 'op':
      if (e.op === 'andalso' || e.op === 'orelse') return compileShortCircuit(fx, e, dest);
      return deliver(fx, dest, compileExpr(fx, e));
    default:
      return deliver(fx, dest, compileExpr(fx, e));
  }
}

/** Compile into a fresh temporary and answer it. */
function viaTemp(fx: FnCtx, e: Expr): string {
  const t = fx.tmp();
  compileTo(fx, e, { k: 'set', v: t });
  return t;
}

// ---------- expressions ----------

export function compileExpr(fx: FnCtx, e: Expr): string {
  const mod = fx.mod;
  const cv = constValue(e);
  if (cv !== undefined) return constJs(mod, cv);
  switch (e.type) {
    case 'var': {
      const js = fx.env.get(e.name);
      if (js === undefined) throw new CompileError(e.pos, `variable '${e.name}' is unbound`);
      if (fx.maybeBound.has(e.name)) return `H.boundVar(${js}, ${jsString(e.name)})`;
      return js;
    }
    case 'cons': {
      const h = fx.underEval(EVAL_HEAD, () => compileExpr(fx, e.head));
      const t = fx.underEval(EVAL_TAIL, () => compileExpr(fx, e.tail));
      return `new List(${h}, ${t})`;
    }
    case 'tuple':
      return `new Tuple([${fx.underEval(EVAL_TUPLE, () => fx.underEval(EVAL_LIST, () => compileList(fx, e.elements))).join(', ')}])`;
    case 'bin':
      return binConstructJs(fx, e, (x) => stable(fx, compileExpr(fx, x)));
    case 'map':
      return compileMap(fx, e);
    case 'record':
      return compileRecord(fx, e);
    case 'record_field': {
      const def = recordDef(mod, e.name, e.pos);
      const r = compileExpr(fx, e.expr);
      return `H.recordField(${r}, ${mod.atom(e.name)}, ${def.fields.length + 1}, ${recordFieldIndex(def, e.field, e.pos)})`;
    }
    case 'record_index':
      return String(recordFieldIndex(recordDef(mod, e.name, e.pos), e.field, e.pos) + 1);
    case 'op':
      return compileOp(fx, e);
    case 'lc':
    case 'bc':
      return compileComprehension(fx, e);
    case 'fun':
      return compileFun(fx, e);
    case 'fun_ref':
      return compileFunRef(fx, e);
    case 'remote':
      throw new CompileError(e.pos, 'illegal expression');
    case 'string':
    case 'integer':
    case 'float':
    case 'char':
    case 'atom':
    case 'nil':
      return constJs(mod, constValue(e)!);
    default:
      return viaTemp(fx, e);
  }
}

/** Sibling expressions, left to right; earlier values are pinned when a later one emits statements. */
function compileList(fx: FnCtx, es: Expr[]): string[] {
  return es.map((x) => compileExpr(fx, x));
}

function compileMap(fx: FnCtx, e: Expr & { type: 'map' }): string {
  const base = e.base ? stable(fx, compileExpr(fx, e.base)) : undefined;
  const kvs = e.assocs.flatMap((a) => [compileExpr(fx, a.key), compileExpr(fx, a.value)]);
  if (base === undefined) return `H.mapFrom([${kvs.join(', ')}])`;
  if (e.assocs.length === 1) return `H.mapUpdate1(${base}, ${kvs[0]}, ${kvs[1]}, ${e.assocs[0].op === ':='})`;
  const exact = fx.mod.hoist(JSON.stringify(e.assocs.map((a) => a.op === ':=')));
  return `H.mapUpdate(${base}, [${kvs.join(', ')}], ${exact})`;
}

function compileRecord(fx: FnCtx, e: Expr & { type: 'record' }): string {
  const mod = fx.mod;
  const def = recordDef(mod, e.name, e.pos);
  const tag = mod.atom(e.name);
  if (e.base === undefined) {
    const vals = recordFieldExprs(def, e.fields, e.pos).map((x) => compileExpr(fx, x));
    return `new Tuple([${tag}, ${vals.join(', ')}])`;
  }
  const base = stable(fx, compileExpr(fx, e.base));
  const upd = e.fields.flatMap((f) => [String(recordFieldIndex(def, f.field, f.pos)), compileExpr(fx, f.value)]);
  return `H.recordUpdate(${base}, ${tag}, ${def.fields.length + 1}, [${upd.join(', ')}])`;
}

function compileOp(fx: FnCtx, e: Expr & { type: 'op' }): string {
  const { op, args } = e;
  if (args.length === 1) {
    const a = compileExpr(fx, args[0]);
    switch (op) {
      case '-':
        return `neg(${a})`;
      case '+':
        return `pos(${a})`;
      case 'bnot':
        return `bnot(${a})`;
      case 'not':
        return `not(${a})`;
    }
    throw new CompileError(e.pos, `unknown operator ${op}`);
  }
  if (op === 'andalso' || op === 'orelse') return viaTemp(fx, e);
  const a = compileExpr(fx, args[0]);
  const b = compileExpr(fx, args[1]);
  const fn = ARITH_FN[op];
  if (fn) {
    const slow = !fx.mod.shell && opRunsInline(op, args[0], args[1]) ? `H.inlineOp(${fn}, ${a}, ${b})` : `${fn}(${a}, ${b})`;
    return inlineArithJs(op, a, b, constValue(args[0]), constValue(args[1]), slow, () => fx.tmp()) ?? slow;
  }
  if (COMP_OPS.has(op)) return `(${comparisonJs(op, a, b, constValue(args[0]), constValue(args[1]))} ? TRUE : FALSE)`;
  switch (op) {
    case '++':
      return `append(${a}, ${b})`;
    case '--':
      return `subtract(${a}, ${b})`;
    case 'and':
      return `and(${a}, ${b})`;
    case 'or':
      return `or(${a}, ${b})`;
    case 'xor':
      return `xor(${a}, ${b})`;
    case '!':
      return `R.send(${a}, ${b})`;
  }
  throw new CompileError(e.pos, `unknown operator ${op}`);
}

/**
 * Does BEAM's JIT run this operator inline, so that a failure names no erlang:Op function? (measured
 * on OTP 25: division always, through float instructions; a float literal operand makes any of
 * + - * a float instruction; + with an integer literal operand and - with one on the right are
 * inline additions. Everything else is a call of the BIF, whose frame the stack trace shows.)
 */
const SMALL_MAX = 2n ** 59n - 1n;

function opRunsInline(op: string, l: Expr, r: Expr): boolean {
  // BEAM's small integers have 60 bits; an operation on two literals is no inline addition
  const small = (e: Expr) => (e.type === 'integer' && e.value <= SMALL_MAX && e.value >= -SMALL_MAX) || e.type === 'char';
  const literal = (e: Expr) => constValue(e) !== undefined;
  const isFloat = (e: Expr): boolean => e.type === 'float';
  switch (op) {
    case '/':
      return true;
    case '+':
      return isFloat(l) || isFloat(r) || (small(l) && !literal(r)) || (small(r) && !literal(l));
    case '-':
      return isFloat(l) || isFloat(r) || (small(r) && !literal(l));
    case '*':
      return isFloat(l) || isFloat(r);
    default:
      return false;
  }
}

/**
 * A andalso B / A orelse B: B only when needed, A must be a boolean ({badarg, A}); B is in tail
 * position. A chain `A1 andalso A2 andalso ... andalso An` (right-nested, one operator) is one
 * flat block the first deciding operand leaves, not n nested ifs: a chain of 10,000 compiles to
 * code as long as itself.
 */
function compileShortCircuit(fx: FnCtx, e: Expr & { type: 'op' }, dest: Dest): void {
  const operands: Expr[] = [e.args[0]];
  let last = e.args[1];
  while (last.type === 'op' && last.op === e.op && last.args.length === 2) {
    operands.push(last.args[0]);
    last = last.args[1];
  }
  const go = e.op === 'andalso' ? 'TRUE' : 'FALSE';
  const stop = e.op === 'andalso' ? 'FALSE' : 'TRUE';
  if (operands.length === 1) {
    const a = stable(fx, compileExpr(fx, operands[0]));
    if (dest.k === 'drop') {
      fx.block(`if (${a} === ${go})`, () => compileTo(fx, last, DROP));
      fx.emit(`else if (${a} !== ${stop}) throw H.badBool(${a});`);
      return;
    }
    const envBefore = fx.saveEnv();
    fx.block(`if (${a} === ${go})`, () => compileTo(fx, last, dest));
    fx.env = envBefore;
    fx.block(`else if (${a} === ${stop})`, () => deliver(fx, dest, stop));
    fx.emit(`else throw H.badBool(${a});`);
    return;
  }
  const a0 = stable(fx, compileExpr(fx, operands[0]));
  // what the first operand binds is bound after the chain; what the others bind is not
  const envBefore = fx.saveEnv();
  const done = fx.label('SC');
  fx.labelled(done, () => {
    operands.forEach((x, i) => {
      const a = i === 0 ? a0 : stable(fx, compileExpr(fx, x));
      fx.block(`if (${a} === ${stop})`, () => {
        deliver(fx, dest, stop);
        if (dest.k !== 'ret') fx.emit(`break ${done};`);
      });
      fx.emit(`if (${a} !== ${go}) throw H.badBool(${a});`);
    });
    compileTo(fx, last, dest);
  });
  fx.env = envBefore;
}

// ---------- match ----------

function compileMatch(fx: FnCtx, e: Expr & { type: 'match' }, dest: Dest): void {
  // P1 = P2 = E: both patterns match E's value
  const v = stable(fx, fx.underEval(EVAL_MATCH, () => compileExprForMatch(fx, e.right)));
  const scope = newScope(false);
  if (irrefutable(fx, e.left, scope)) {
    compilePattern(fx, e.left, v, 'unused', scope);
  } else {
    const ok = fx.label('M');
    const fail = fx.label('F');
    fx.labelled(ok, () => {
      fx.labelled(fail, () => {
        compilePattern(fx, e.left, v, fail, scope);
        fx.emit(`break ${ok};`);
      });
      fx.emit(`throw H.badmatch(${v});`);
    });
  }
  deliver(fx, dest, v);
}

/** The right side of `=`: a nested match binds left to right. */
function compileExprForMatch(fx: FnCtx, e: Expr): string {
  if (e.type === 'match') {
    const t = fx.tmp();
    compileMatch(fx, e, { k: 'set', v: t });
    return t;
  }
  return compileExpr(fx, e);
}

// ---------- case, if ----------

/** Union of the variables bound in the branches (those bound in all are usable after). */
function joinEnvs(fx: FnCtx, envs: Map<string, string>[]): void {
  const out = new Map<string, string>();
  for (const env of envs) for (const [k, v] of env) if (!out.has(k)) out.set(k, v);
  fx.env = out;
}

/**
 * Clauses matched against subjects (one per pattern); the first whose patterns and guard hold
 * runs its body into dest; `onFail` is the statement run when none matches.
 */
export function compileClauses(fx: FnCtx, clauses: Clause[], subjects: string[], dest: Dest, onFail: string, afterMatch?: string): void {
  const end = fx.label('E');
  const before = fx.saveEnv();
  const envs: Map<string, string>[] = [];
  fx.labelled(end, () => {
    for (const c of clauses) {
      fx.env = new Map(before);
      const L = fx.label('C');
      fx.labelled(L, () => {
        const scope = newScope(false);
        c.patterns.forEach((p, i) => compilePattern(fx, p, subjects[i], L, scope));
        compileGuard(fx, c.guards, L);
        if (afterMatch) fx.emit(afterMatch);
        compileBody(fx, c.body, dest);
        if (dest.k !== 'ret') fx.emit(`break ${end};`);
      });
      envs.push(fx.env);
    }
    fx.emit(onFail);
  });
  joinEnvs(fx, envs.length ? envs : [before]);
}

function compileCase(fx: FnCtx, e: Expr & { type: 'case' }, dest: Dest): void {
  const v = stable(fx, compileExpr(fx, e.expr));
  fx.line(e.pos);
  compileClauses(fx, e.clauses, [v], dest, `throw H.caseClause(${v});`);
}

function compileIf(fx: FnCtx, e: Expr & { type: 'if' }, dest: Dest): void {
  compileClauses(fx, e.clauses, [], dest, `throw H.ifClause();`);
}

// ---------- receive ----------

function compileReceive(fx: FnCtx, e: Expr & { type: 'receive' }, dest: Dest): void {
  const mod = fx.mod;
  let dl: string | undefined;
  let immediate = false;
  if (e.after) {
    const c = constValue(e.after.timeout);
    if (c === 0) immediate = true;
    else if (!(c !== undefined && c === constValue({ type: 'atom', pos: e.pos, value: 'infinity' }))) {
      const t = compileExpr(fx, e.after.timeout);
      fx.line(e.pos);
      dl = fx.tmp('dl');
      fx.emit(`${dl} = H.deadline(${t});`);
    }
  }
  const mb = fx.tmp('mb');
  fx.emit(`${mb} = S.current.mailbox;`);
  const recv = fx.label('R');
  const before = fx.saveEnv();
  const envs: Map<string, string>[] = [];
  fx.block(`${recv}: for (;;)`, () => {
    const m = fx.tmp('m');
    fx.block(`while ((${m} = ${mb}.next()) !== undefined)`, () => {
      for (const c of e.clauses) {
        fx.env = new Map(before);
        const L = fx.label('C');
        fx.labelled(L, () => {
          const scope = newScope(false);
          compilePattern(fx, c.patterns[0], m, L, scope);
          compileGuard(fx, c.guards, L);
          fx.emit(`${mb}.take();`);
          compileBody(fx, c.body, dest);
          if (dest.k !== 'ret') fx.emit(`break ${recv};`);
        });
        envs.push(fx.env);
      }
    });
    fx.env = new Map(before);
    const afterBody = (): void => {
      fx.emit(`${mb}.rewind();`);
      if (e.after) compileBody(fx, e.after.body, dest);
      if (dest.k !== 'ret' || !e.after) fx.emit(`break ${recv};`);
    };
    if (immediate) afterBody();
    // before it waits, the receive runs the next queued process itself (runtime/vm/scheduler.ts
    // handoff): a call's reply mostly comes in then, and the process goes on without a yield
    else if (!e.after) fx.emit(`if (!H.handoff(Infinity)) yield ${waitForever(fx)};`);
    else {
      // the wait names the function it is in (process_info's current_function)
      // (a deadline still -T starts now: see H.deadline)
      const at = dl === undefined ? '' : `${dl} < 0 ? (${dl} = H.startDeadline(${dl})) : ${dl}`;
      const w = dl === undefined ? waitForever(fx) : fx.frame ? `wait(${at}, ${fx.frame})` : `wait(${at})`;
      fx.block(`if (!(H.handoff(${dl ?? 'Infinity'}) || (yield ${w})))`, afterBody);
    }
    if (e.after) envs.push(fx.env);
  });
  joinEnvs(fx, envs.length ? envs : [before]);
}

/** `wait(Infinity)`, naming the function it is in when it has a frame; one constant per function. */
function waitForever(fx: FnCtx): string {
  return fx.frame ? fx.mod.hoist(`wait(Infinity, ${fx.frame})`, `wait:inf:${fx.frame}`, 'W') : fx.mod.hoist('wait(Infinity)', 'wait:inf', 'W');
}

// ---------- try, catch ----------

function compileTry(fx: FnCtx, e: Expr & { type: 'try' }, dest: Dest): void {
  const hasAfter = e.after.length > 0;
  // with an after block nothing inside is in tail position: the after must run when it is done
  const inner: Dest = hasAfter && dest.k === 'ret' ? { k: 'ret', tail: false } : dest;
  const tv = fx.tmp('tv');
  const te = fx.tmp('te');
  const before = fx.saveEnv();
  const body = (): void => {
    fx.emit(`${te} = undefined;`);
    fx.protectedDepth++;
    fx.unmarkEval();
    fx.block('try', () => fx.underEval(EVAL_TRY, () => compileBody(fx, e.body, { k: 'set', v: tv })));
    fx.protectedDepth--;
    fx.block('catch (e)', () => fx.emit(`${te} = H.caught(e);`));
    const envs: Map<string, string>[] = [];
    fx.block(`if (${te} === undefined)`, () => {
      if (e.clauses.length === 0) deliver(fx, inner, tv);
      else compileClauses(fx, e.clauses, [tv], inner, `throw H.tryClause(${tv});`);
      envs.push(fx.env);
    });
    fx.env = new Map(before);
    if (e.catchClauses.length > 0) {
      fx.block('else', () => compileCatchClauses(fx, e.catchClauses, te, inner));
      envs.push(fx.env);
    } else fx.emit(`else throw ${te};`);
    joinEnvs(fx, envs);
  };
  if (hasAfter) {
    fx.block('try', body);
    fx.env = new Map(before);
    fx.block('finally', () => compileBody(fx, e.after, DROP));
  } else body();
  // what the try bound is unsafe after it (the linter refuses a use), and a pattern in a sibling
  // expression binds such a name afresh: [try ... catch error:R -> R end, try ... catch error:R -> R end]
  fx.env = new Map(before);
}

/** catch Class:Reason:Stack clauses against the caught exception te; rethrow when none matches. */
function compileCatchClauses(fx: FnCtx, clauses: Clause[], te: string, dest: Dest): void {
  const end = fx.label('E');
  const before = fx.saveEnv();
  const envs: Map<string, string>[] = [];
  fx.labelled(end, () => {
    for (const c of clauses) {
      fx.env = new Map(before);
      const L = fx.label('C');
      fx.labelled(L, () => {
        const scope = newScope(false);
        const pat = c.patterns[0];
        let cls: Expr;
        let reason: Expr;
        let stack: Expr | undefined;
        if (pat.type === 'tuple' && pat.elements.length === 3) [cls, reason, stack] = pat.elements;
        else {
          cls = { type: 'atom', pos: pat.pos, value: 'throw' };
          reason = pat;
        }
        compilePattern(fx, cls, `${te}.cls`, L, scope);
        compilePattern(fx, reason, `${te}.reason`, L, scope);
        if (stack && !(stack.type === 'var' && stack.name === '_')) {
          const st = fx.mod.shell ? `H.shellStack(${te}, 'try', PLACE, ${fx.evalFramesJs()})` : `H.stackAt(${te}, ${fx.frame ?? 'undefined'}, ${fx.frame ? 'ln' : 0})`;
          compilePattern(fx, stack, st, L, scope);
        }
        compileGuard(fx, c.guards, L);
        compileBody(fx, c.body, dest);
        if (dest.k !== 'ret') fx.emit(`break ${end};`);
      });
      envs.push(fx.env);
    }
    fx.emit(`throw ${te};`);
  });
  joinEnvs(fx, envs);
}

function compileCatch(fx: FnCtx, e: Expr & { type: 'catch' }, dest: Dest): void {
  const t = fx.tmp();
  fx.line(e.pos);
  fx.protectedDepth++;
  fx.unmarkEval();
  fx.block('try', () => fx.underEval(EVAL_CATCH, () => compileTo(fx, e.expr, { k: 'set', v: t })));
  fx.protectedDepth--;
  const value = fx.mod.shell ? `H.shellCatchValue(e, PLACE, ${fx.evalFramesJs()})` : `H.catchValue(e, ${fx.frame ?? 'undefined'}, ${fx.frame ? 'ln' : 0})`;
  fx.block('catch (e)', () => fx.emit(`${t} = ${value};`));
  deliver(fx, dest, t);
}

// ---------- calls ----------

export type CallTarget =
  | { kind: 'local'; fn: LocalFn }
  /** traced: a library module's function, which erlang:trace_pattern/3 may trace ([module, name]) */
  | { kind: 'pure'; js: string; traced?: [string, string] }
  /** keepsFrame: BEAM runs it as a C BIF, so the caller's frame stays in its trace even from a tail call */
  | { kind: 'gen'; js: string; pure?: undefined; keepsFrame?: boolean; traced?: [string, string] }
  /** a BIF that returns at once (bif_registry's direct): a plain call, with the caller's frame kept as for a C BIF */
  | { kind: 'direct'; js: string }
  | { kind: 'code'; module: string; name: string }
  | { kind: 'typetest'; name: string }
  | { kind: 'shell'; name: string }
  | { kind: 'dynamic' }
  | { kind: 'fun' };

/** What a call's function expression refers to. */
export function resolveCall(mod: ModuleCtx, fn: Expr, arity: number, hoist = true): CallTarget {
  if (fn.type === 'atom') {
    const name = fn.value;
    const local = mod.localFn(name, arity);
    if (local) return { kind: 'local', fn: local };
    const imp = mod.imports.get(name + '/' + arity);
    if (imp !== undefined) return remoteTarget(mod, imp, name, arity, hoist);
    if (isAutoImported(name, arity) && !mod.noAutoImport.has(name + '/' + arity)) {
      if (isTypeTest(name, arity) && name !== 'is_record' && !(name === 'is_function' && arity === 2)) return { kind: 'typetest', name };
      return remoteTarget(mod, 'erlang', name, arity, hoist);
    }
    if (mod.shell) return { kind: 'shell', name };
    throw new CompileError(fn.pos, `function ${name}/${arity} undefined`);
  }
  if (fn.type === 'remote') {
    if (fn.module.type === 'atom' && fn.name.type === 'atom') return remoteTarget(mod, fn.module.value, fn.name.value, arity, hoist);
    return { kind: 'dynamic' };
  }
  return { kind: 'fun' };
}

/** erlang's functions a tail call must leave (apply loops, hibernate never returns): no frame is kept for them. */
const TAIL_CALLED_BIFS = new Set(['apply', 'hibernate', 'halt', 'exit', 'error', 'throw', 'raise']);

function remoteTarget(mod: ModuleCtx, module: string, name: string, arity: number, hoist: boolean): CallTarget {
  // erlang:raise/3 gives the complete stack trace: compiled callers must not add frames to it
  if (module === 'erlang' && name === 'raise' && arity === 3) return { kind: 'pure', js: 'H.raise' };
  // calls to the module itself go through the code server: M:f() reaches the newest version
  if (module !== mod.name) {
    const b = lookupBif(module, name, arity);
    if (b !== undefined) {
      const direct = b.direct !== undefined && module === 'erlang' && !TAIL_CALLED_BIFS.has(name);
      if (!hoist) return b.pure ? { kind: 'pure', js: '' } : direct ? { kind: 'direct', js: '' } : { kind: 'gen', js: '' };
      // the erlang module's BIFs are the language's operations here: only other modules' calls are traceable
      const traced: [string, string] | undefined = module === 'erlang' ? undefined : [module, name];
      if (b.pure) return { kind: 'pure', js: pureBifJs(mod, module, name, arity)!, traced };
      if (direct) return { kind: 'direct', js: mod.hoist(`H.directBif(${jsString(module)}, ${jsString(name)}, ${arity})`, `direct:${module}:${name}/${arity}`, 'D') };
      const js = mod.hoist(`H.genBif(${jsString(module)}, ${jsString(name)}, ${arity})`, `gen:${module}:${name}/${arity}`, 'G');
      return { kind: 'gen', js, keepsFrame: module === 'erlang' && !TAIL_CALLED_BIFS.has(name), traced };
    }
  }
  return { kind: 'code', module, name };
}

/** Does evaluating this body's value possibly end in a TailCall being returned? */
export function mayReturnTailCall(mod: ModuleCtx, body: Expr[], self: { name: string; arity: number } | undefined): boolean {
  const n = body.length;
  const last = body[n - 1];
  if (last === undefined) return false;
  // `X = f(), X` may become a tail call (see compileBody)
  const m = body[n - 2];
  if (n >= 2 && last.type === 'var' && m.type === 'match' && m.left.type === 'var' && m.left.name === last.name) {
    return tailExprMay(mod, m.right, self);
  }
  return tailExprMay(mod, last, self);
}

function tailExprMay(mod: ModuleCtx, e: Expr, self: { name: string; arity: number } | undefined): boolean {
  const clauses = (cs: Clause[]): boolean => cs.some((c) => mayReturnTailCall(mod, c.body, self));
  switch (e.type) {
    case 'case':
    case 'if':
      return clauses(e.clauses);
    case 'receive':
      return clauses(e.clauses) || (e.after !== undefined && mayReturnTailCall(mod, e.after.body, self));
    case 'try':
      if (e.after.length > 0) return false;
      return (e.clauses.length === 0 ? false : clauses(e.clauses)) || clauses(e.catchClauses);
    case 'block':
      return mayReturnTailCall(mod, e.body, self);
    case 'op':
      if (e.op === 'andalso' || e.op === 'orelse') return tailExprMay(mod, e.args[1], self);
      return false;
    case 'call': {
      let t: CallTarget;
      try {
        t = resolveCall(mod, e.fn, e.args.length, false);
      } catch {
        return true;
      }
      if (t.kind === 'local') return !(self && t.fn.name === self.name && t.fn.arity === self.arity);
      if (e.fn.type === 'atom' && e.fn.value === 'apply' && e.args.length === 3) return true;
      return t.kind !== 'pure' && t.kind !== 'typetest' && t.kind !== 'shell' && t.kind !== 'direct';
    }
    default:
      return false;
  }
}

function compileCall(fx: FnCtx, e: Expr & { type: 'call' }, dest: Dest): void {
  const mod = fx.mod;
  const n = e.args.length;
  // apply(M, F, [A1, ..., An]) with a literal list: a remote call
  if (e.fn.type === 'atom' && e.fn.value === 'apply' && n === 3 && !mod.localFn('apply', 3) && isLiteralList(e.args[2])) {
    const items = listItems(e.args[2]);
    return compileCall(fx, { type: 'call', pos: e.pos, fn: { type: 'remote', pos: e.pos, module: e.args[0], name: e.args[1] }, args: items }, dest);
  }
  // record_info(size, r) and record_info(fields, r) are known at compile time
  if (e.fn.type === 'atom' && e.fn.value === 'record_info' && n === 2 && !mod.localFn('record_info', 2)) {
    const [what, rec] = e.args;
    if (what.type === 'atom' && rec.type === 'atom') {
      const def = recordDef(mod, rec.value, rec.pos);
      const v = what.value === 'size' ? String(def.fields.length + 1) : constJs(mod, list(def.fields.map((f) => atom(f.name))));
      return deliver(fx, dest, v);
    }
  }
  if (mod.shell && e.fn.type === 'atom' && !isAutoImported(e.fn.value, n)) {
    // f(V): the shell forgets V, whether bound or not; it gets the name
    if (e.fn.value === 'f' && n === 1 && e.args[0].type === 'var') {
      const t = fx.tmp();
      fx.emit(`${t} = yield* H.shellCall(R, "f", [${mod.atom(e.args[0].name)}], ${fx.shellTop ? 'B' : 'undefined'}, []);`);
      return deliver(fx, dest, t);
    }
    // rd(Name, {Field, Field = Default, ...}) defines a record: its definition is syntax, not a value
    if (e.fn.value === 'rd' && n === 2 && e.args[0].type === 'atom') {
      const def = recordDefFromExpr(e.args[0].value, e.args[1]);
      if (def !== undefined) {
        const i = mod.funAsts.push({ type: 'tuple', pos: e.pos, elements: [] }) - 1;
        mod.shellRecords[i] = def;
        return deliver(fx, dest, `H.shellDefineRecord(R, RD[${i}])`);
      }
    }
  }
  // self() is the running process's pid: no call needed
  if (n === 0 && isSelfCall(mod, e.fn)) return deliver(fx, dest, 'S.current.pid');
  const target = resolveCall(mod, e.fn, n);
  // the function value first (left to right, as erl evaluates)
  let fnJs = '';
  let dynM = '';
  let dynF = '';
  if (target.kind === 'dynamic') {
    const r = e.fn as Expr & { type: 'remote' };
    dynM = stable(fx, compileExpr(fx, r.module));
    dynF = stable(fx, compileExpr(fx, r.name));
    fnJs = `${dynM}, ${dynF}`;
  } else if (target.kind === 'fun') {
    if (e.fn.type === 'fun' && e.fn.name === undefined) mod.appliedInPlace.add(e.fn);
    fnJs = stable(fx, compileExpr(fx, e.fn));
  }
  const argsAt = target.kind === 'fun' ? EVAL_ARGS_FUN : EVAL_ARGS_REMOTE;
  const args = fx.underEval(argsAt, () => fx.underEval(EVAL_LIST, () => e.args.map((a) => compileExpr(fx, a))));
  const argList = args.join(', ');
  fx.line(e.pos);
  fx.markEval();
  const tail = dest.k === 'ret' && dest.tail;

  if (fx.fast && target.kind === 'fun' && fx.plainFun !== undefined) {
    // a named fun calling itself (fast.ts lets no other fun call through): a plain call, or the loop
    const self = fx.self!;
    if (!(self.isFunVar && fx.env.get(self.name) === fnJs && self.arity === n)) throw new CompileError(e.pos, 'internal: impure call in a plain fun');
    if (tail) return selfTailCall(fx, args);
    return deliver(fx, dest, `${fx.plainFun.js}(${[...fx.plainFun.leading, ...args].join(', ')})`);
  }
  if (fx.fast && target.kind !== 'typetest' && target.kind !== 'pure') {
    if (target.kind !== 'local' || target.fn.fastJs === undefined) throw new CompileError(e.pos, 'internal: impure call in a plain function');
    const self = fx.self;
    if (tail && self && !self.isFunVar && self.name === target.fn.name && self.arity === n) return selfTailCall(fx, args);
    // plain code makes tail calls as generators do: a TailCall, run by the caller's loop
    if (tail) return fx.emit(`return new TailCall(${target.fn.fastJs}, [${argList}]);`);
    keepNoFrame(fx, target);
    const t = dest.k === 'set' ? dest.v : fx.tmp();
    const mark = fx.callMark();
    fx.emit(`${t} = ${target.fn.fastJs}(${argList});${mark}`);
    if (target.fn.fastMayTail !== false) fx.emit(`if (${t} instanceof TailCall) ${t} = H.plainTrampoline(${t});${mark}`);
    if (dest.k !== 'set') deliver(fx, dest, t);
    return;
  }
  switch (target.kind) {
    case 'typetest':
      return deliver(fx, dest, `(${typeTestJs(target.name, args[0])} ? TRUE : FALSE)`);
    case 'pure':
      if (tail && fx.frame !== undefined && e.pos !== undefined && args.every((a) => SIMPLE.test(a) || LITERAL_JS.test(a))) {
        // a tail call: if the BIF stands for a function OTP writes in Erlang (lists:nth/2, say), BEAM's
        // trace has no frame of this function; a negative line tells addFrame to look (support.ts)
        fx.emit(`ln = ${-e.pos.line};`);
        fx.forgetLine();
      }
      if (target.traced !== undefined) {
        // one boolean while no trace pattern is set (runtime/vm/call_trace.ts)
        const a = stableArgs(fx, args);
        const [m, f] = target.traced;
        const traced = `${target.js}, ${mod.atom(m)}, ${mod.atom(f)}, [${a.join(', ')}], ${callerJs(fx)}`;
        // generator code gives way after a trace message (CallTracing.pureYielding); plain code cannot
        const call = fx.fast ? `CT.pure(${traced})` : `(yield* CT.pureYielding(${traced}))`;
        return deliver(fx, dest, `(CT.on ? ${call} : ${target.js}(${a.join(', ')}))`);
      }
      return deliver(fx, dest, `${target.js}(${argList})`);
    case 'local': {
      const self = fx.self;
      if (tail && self && !self.isFunVar && self.name === target.fn.name && self.arity === n) return selfTailCall(fx, args);
      if (tail) return fx.emit(`return new TailCall(${target.fn.js}, [${argList}]);`);
      keepNoFrame(fx, target);
      return genCall(fx, `${target.fn.js}(${argList})`, target.fn.mayTail, dest);
    }
    case 'direct': {
      // its line carries the call's mark: a BIF that raises leaves the caller's frame, as a C BIF does
      const mark = fx.callMark();
      const call = `${target.js}(${argList})`;
      if (dest.k === 'ret') return fx.emit(`return ${call};${mark}`);
      if (dest.k === 'set') return fx.emit(`${dest.v} = ${call};${mark}`);
      return fx.emit(`${call};${mark}`);
    }
    case 'gen': {
      const [m, f] = target.traced ?? [];
      const fn = m !== undefined ? `(CT.on ? CT.gen(${target.js}, ${mod.atom(m)}, ${mod.atom(f!)}, ${n}, ${callerJs(fx)}) : ${target.js})` : target.js;
      // a C BIF in BEAM (register/2, process_info/2, ...) leaves the caller's frame in its trace
      if (tail && !target.keepsFrame) return fx.emit(`return new TailCall(${fn}, [${argList}]);`);
      return genCall(fx, `${fn}(${argList})`, true, dest);
    }
    case 'code': {
      // while a trace pattern is set the callee learns its caller (the caller() action)
      const at = `${mod.atom(target.module)}, ${mod.atom(target.name)}, ${n}`;
      const site = mod.hoist(`H.remoteSite(code, ${at})`, `site:${target.module}:${target.name}/${n}`, 'X');
      const fn = `(CT.on ? CT.code(code, ${at}, ${callerJs(fx)}) : ${site}.fn())`;
      if (tail) return fx.emit(`return new TailCall(${fn}, [${argList}]);`);
      return genCall(fx, `${fn}(${argList})`, true, dest);
    }
    case 'dynamic': {
      const a = stableArgs(fx, args);
      if (tail) return fx.emit(`return new TailCall(H.dynFn(code, ${fnJs}, [${a.join(', ')}]), [${a.join(', ')}]);`);
      // its own site: what Mod is varies from one call site to another, seldom at one
      const site = mod.hoist('H.dynamicSite(code)', `dynsite:${mod.fresh('')}`, 'X');
      const fn = `(${site}.get(${dynM}, ${dynF}) ?? ${site}.miss(${fnJs}, [${a.join(', ')}]))`;
      return genCall(fx, `${fn}(${a.join(', ')})`, true, dest);
    }
    case 'fun': {
      // a literal in call position (`1()`) needs its parentheses to be a JS operand: (1).arity
      const f = SIMPLE.test(fnJs) ? fnJs : `(${fnJs})`;
      const self = fx.self;
      if (tail && self && self.isFunVar && fx.env.get(self.name) === f && self.arity === n) return selfTailCall(fx, args);
      // a fun applied in place is part of this function in BEAM (inlined): no tail call leaves this frame
      if (tail && !(e.fn.type === 'fun' && mod.appliedInPlace.has(e.fn))) return fx.emit(`return H.tailFun(${f}, [${argList}]);`);
      const a = stableArgs(fx, args);
      const call = `(${f} instanceof Fun && ${f}.arity === ${n} && ${f}.fn !== undefined ? ${f}.fn(${a.join(', ')}) : H.callFunInBody(${f}, [${a.join(', ')}]))`;
      return genCall(fx, call, true, dest);
    }
    case 'shell': {
      const snap = [...fx.env].map(([k, v]) => `${jsString(k)}, ${v}`).join(', ');
      const t = dest.k === 'set' ? dest.v : fx.tmp();
      fx.emit(`${t} = yield* H.shellCall(R, ${jsString(target.name)}, [${argList}], ${fx.shellTop ? 'B' : 'undefined'}, [${snap}]);`);
      if (dest.k !== 'set') deliver(fx, dest, t);
      return;
    }
  }
}

/** Who makes a traced call, for caller(): the function's frame; undefined is shell code; null unknown. */
function callerJs(fx: FnCtx): string {
  return fx.mod.shell ? 'undefined' : (fx.frame ?? 'null');
}

function isSelfCall(mod: ModuleCtx, fn: Expr): boolean {
  if (fn.type === 'atom') return fn.value === 'self' && !mod.localFn('self', 0) && !mod.noAutoImport.has('self/0');
  return fn.type === 'remote' && fn.module.type === 'atom' && fn.module.value === 'erlang' && fn.name.type === 'atom' && fn.name.value === 'self';
}

/** The record definition of rd(Name, {a, b = Default}), or undefined when the tuple is not one. */
function recordDefFromExpr(name: string, e: Expr): RecordDef | undefined {
  if (e.type !== 'tuple') return undefined;
  const fields: RecordFieldDef[] = [];
  for (const f of e.elements) {
    if (f.type === 'atom') fields.push({ pos: f.pos, name: f.value });
    else if (f.type === 'match' && f.left.type === 'atom') fields.push({ pos: f.left.pos, name: f.left.value, default: f.right });
    else return undefined;
  }
  return { name, fields };
}

function stableArgs(fx: FnCtx, args: string[]): string[] {
  return args.map((a) => stable(fx, a));
}

/**
 * A call to a local function that never returns: BEAM keeps no frame of the caller for it (line 0
 * tells addFrame), unless a try or catch around the call needs the frame.
 */
function keepNoFrame(fx: FnCtx, target: CallTarget): void {
  if (target.kind !== 'local' || !target.fn.neverReturns || fx.frame === undefined || fx.protectedDepth > 0) return;
  fx.noFrameLine();
}

/** `yield*` a generator call, resolving a TailCall result when the callee may return one. */
function genCall(fx: FnCtx, call: string, mayTail: boolean, dest: Dest): void {
  // both lines a caller can be at while the callee runs carry the call's Erlang line
  const mark = fx.callMark();
  if (!mayTail) {
    if (dest.k === 'drop') return fx.emit(`yield* ${call};${mark}`);
    if (dest.k === 'ret') return fx.emit(`return yield* ${call};${mark}`);
    return fx.emit(`${dest.v} = yield* ${call};${mark}`);
  }
  const t = dest.k === 'set' ? dest.v : fx.tmp();
  fx.emit(`${t} = yield* ${call};${mark}`);
  // the trampoline inline: a generator less per call that ended in a tail call, and one level
  // less for every resume of the process to pass through while the callee's chain waits
  fx.emit(`while (${t} instanceof TailCall) ${t} = yield* ${t}.fn(...${t}.args);${mark}`);
  if (dest.k === 'ret') fx.emit(`return ${t};`);
}

/** A self call in tail position: new arguments, then round the function's loop again. */
function selfTailCall(fx: FnCtx, args: string[]): void {
  const self = fx.self!;
  // arguments may refer to variables the assignments overwrite only through temps; params are never read by them
  const vals = args.map((a) => (SIMPLE.test(a) || LITERAL_JS.test(a) ? a : stable(fx, a)));
  vals.forEach((v, i) => {
    if (v !== self.params[i]) fx.emit(`${self.params[i]} = ${v};`);
  });
  if (fx.plainFun !== undefined) {
    // a fun's plain version cannot hand its loop back (a TailCall names no fun with its free
    // variables): out of reductions, it starts again as the generator version, which can yield
    fx.emit('if (S.reds <= 0) throw H.SLOWDOWN;');
  } else if (fx.fast) {
    // out of reductions: hand the rest of the loop to the generator caller, which can yield
    // (unless it runs nested in plain code, which cannot: support.ts plainNesting)
    const plain = fx.mod.localFn(self.name, self.arity)!.fastJs!;
    fx.emit(`if (S.reds <= 0 && H.plainNesting.depth === 0) return new TailCall(${plain}, [${self.params.join(', ')}]);`);
  }
  fx.usedSelfLoop = true;
  fx.emit(`continue ${self.loop};`);
}

function isLiteralList(e: Expr): boolean {
  while (e.type === 'cons') e = e.tail;
  return e.type === 'nil' || (e.type === 'string' && e.value === '');
}

function listItems(e: Expr): Expr[] {
  const out: Expr[] = [];
  while (e.type === 'cons') {
    out.push(e.head);
    e = e.tail;
  }
  return out;
}

// ---------- funs ----------

function compileFun(fx: FnCtx, e: Expr & { type: 'fun' }): string {
  const free = orderFree([...freeVarsOfFun(e)].filter((v) => fx.env.has(v)), fx.enclosing?.freeRanks?.get(e));
  const factory = compileLiftedFun(fx, e, free);
  return `${factory}(${free.map((v) => fx.env.get(v)!).join(', ')})`;
}

function compileFunRef(fx: FnCtx, e: Expr & { type: 'fun_ref' }): string {
  const mod = fx.mod;
  if (e.module === undefined) {
    const name = (e.name as { value: string }).value;
    const arity = (e.arity as { value: number }).value;
    if (mod.shell) {
      // erl_eval cannot make `fun f/1` (there is no module): undefined function erl_eval:f/1
      return `H.shellFunRef(${mod.atom(name)}, ${arity})`;
    }
    const local = mod.localFn(name, arity);
    if (local) return localFunRef(mod, local);
    // fun is_integer/1 etc.: a BIF, as an export fun of erlang
    return mod.hoist(`H.exportFun(code, ${mod.atom('erlang')}, ${mod.atom(name)}, ${arity})`, `xfun:erlang:${name}/${arity}`, 'X');
  }
  const m = constValue(e.module);
  const f = constValue(e.name);
  const a = constValue(e.arity);
  if (m !== undefined && f !== undefined && typeof a === 'number' && e.module.type === 'atom' && e.name.type === 'atom') {
    return mod.hoist(
      `H.exportFun(code, ${mod.atom(e.module.value)}, ${mod.atom(e.name.value)}, ${a})`,
      `xfun:${e.module.value}:${e.name.value}/${a}`,
      'X',
    );
  }
  const mj = compileExpr(fx, e.module);
  const fj = compileExpr(fx, e.name);
  const aj = compileExpr(fx, e.arity);
  return `H.makeExportFun(code, ${mj}, ${fj}, ${aj})`;
}

/** fun f/N inside a module: a local fun (own index, no free variables), made once. */
function localFunRef(mod: ModuleCtx, local: LocalFn): string {
  const key = `lfun:${local.name}/${local.arity}`;
  const existing = mod.hoisted(key);
  if (existing) return existing;
  const index = mod.funIndexes.get(local.name + '/' + local.arity) ?? mod.funCount++;
  const name = mod.hoist(
    // named as the function itself, as BEAM names `fun f/1` (erlang:fun_info(F, name))
    `new Fun(${local.arity}, ${local.js}, { kind: 'local', module: MOD, index: ${index}, uniq: UNIQ, md5: MD5, free: [], name: ${mod.atom(local.name)} })`,
    key,
    'LF',
  );
  mod.funTable[index] = { arity: local.arity, factory: `(() => ${name})`, free: 0, name: local.name };
  return name;
}

// ---------- comprehensions ----------

function compileComprehension(fx: FnCtx, e: Expr & { type: 'lc' | 'bc' }, dropped = false): string {
  const acc = fx.tmp('acc');
  const isBc = e.type === 'bc';
  if (!dropped) fx.emit(isBc ? `${acc} = new BinBuilder();` : `${acc} = [];`);
  const before = fx.saveEnv();
  fx.scopeDepth++;
  const top = fx.label('Q');
  fx.labelled(top, () => compileQuals(fx, e.quals, 0, top, () => {
    if (dropped) return compileTo(fx, e.expr, DROP);
    const v = compileExpr(fx, e.expr);
    if (isBc) fx.emit(`H.bcAppend(${acc}, ${v});`);
    else fx.emit(`${acc}.push(${v});`);
  }));
  fx.scopeDepth--;
  fx.env = before;
  return isBc ? `${acc}.done()` : `H.arrayToList(${acc})`;
}

function compileQuals(fx: FnCtx, quals: Qualifier[], i: number, skip: string, inner: () => void): void {
  if (i === quals.length) return inner();
  const q = quals[i];
  if (q.type === 'filter') {
    if (isGuardExpr(fx.mod, q.expr)) {
      const t = guardTest(fx, q.expr);
      if (t.throws) {
        const g = fx.tmp('g');
        fx.emit(`try { ${g} = ${t.js}; } catch (_) { ${g} = false; }`);
        fx.emit(`if (!${g}) break ${skip};`);
      } else fx.emit(`if (!(${t.js})) break ${skip};`);
    } else {
      const v = stable(fx, compileExpr(fx, q.expr));
      fx.emit(`if (${v} !== TRUE) { if (${v} !== FALSE) throw H.badFilter(${v}); break ${skip}; }`);
    }
    return compileQuals(fx, quals, i + 1, skip, inner);
  }
  if (q.type === 'generate') {
    const seq = seqBounds(fx.mod, q.expr);
    if (seq !== undefined) return compileSeqGenerator(fx, q, seq, quals, i, inner);
  }
  const src = stable(fx, compileExpr(fx, q.expr));
  const env = fx.saveEnv();
  if (q.type === 'generate') {
    const l = fx.mod.fresh('l');
    const next = fx.label('G');
    fx.block(`for (let ${l} = ${src}; ; ${l} = ${l}.tail)`, () => {
      fx.emit(`if (!(${l} instanceof List)) { if (${l} !== NIL) throw H.badGenerator(${l}); break; }`);
      fx.labelled(next, () => {
        compilePattern(fx, q.pattern, `${l}.head`, next, newScope(true));
        compileQuals(fx, quals, i + 1, next, inner);
      });
    });
  } else {
    // <<Pattern>> <= Bin: read segments until they no longer match
    fx.emit(`if (!(${src} instanceof Bin)) throw H.badGenerator(${src});`);
    const rd = fx.tmp('rd');
    fx.emit(`${rd} = new BinReader(${src});`);
    const loop = fx.label('B');
    const next = fx.label('G');
    const pat = q.pattern;
    if (pat.type !== 'bin') throw new CompileError(q.pos, 'illegal pattern');
    fx.block(`${loop}: for (;;)`, () => {
      fx.emit(`if (${rd}.atEnd()) break;`);
      fx.labelled(next, () => {
        compileBinSegments(fx, pat.elements, rd, loop, newScope(true));
        compileQuals(fx, quals, i + 1, next, inner);
      });
    });
  }
  fx.env = env;
}

/** The bounds of a generator's `lists:seq(From, To)`, when that is what it calls. */
function seqBounds(mod: ModuleCtx, e: Expr): [Expr, Expr] | undefined {
  if (e.type !== 'call' || e.args.length !== 2 || e.fn.type !== 'remote' || mod.name === 'lists') return undefined;
  const { module, name } = e.fn;
  if (module.type !== 'atom' || module.value !== 'lists' || name.type !== 'atom' || name.value !== 'seq') return undefined;
  return [e.args[0], e.args[1]];
}

/**
 * `X <- lists:seq(From, To)` counts from From to To instead of building the list first (the list is
 * garbage once the comprehension has walked it). Bounds lists:seq would refuse, or bigints, go to
 * lists:seq itself, which raises its own error or gives the list to walk.
 */
function compileSeqGenerator(
  fx: FnCtx,
  q: Qualifier & { type: 'generate' },
  [from, to]: [Expr, Expr],
  quals: Qualifier[],
  i: number,
  inner: () => void,
): void {
  const a = stable(fx, compileExpr(fx, from));
  const b = stable(fx, compileExpr(fx, to));
  fx.line(q.expr.pos);
  const seq = pureBifJs(fx.mod, 'lists', 'seq', 2)!;
  const env = fx.saveEnv();
  const n = fx.mod.fresh('n');
  // (its own copy of To: the pattern may bind a variable of the same name, shadowing it)
  const hi = fx.mod.fresh('hi');
  const l = fx.mod.fresh('l');
  const x = fx.mod.fresh('x');
  const counting = `typeof ${a} === 'number' && typeof ${b} === 'number' && ${b} >= ${a} - 1`;
  const next = fx.label('G');
  fx.block(`for (let ${n} = ${a}, ${hi} = ${b}, ${l} = ${counting} ? undefined : ${seq}(${a}, ${b}), ${x}; ; )`, () => {
    fx.emit(`if (${l} === undefined) { if (${n} > ${hi}) break; ${x} = ${n}++; }`);
    fx.emit(`else { if (!(${l} instanceof List)) break; ${x} = ${l}.head; ${l} = ${l}.tail; }`);
    fx.labelled(next, () => {
      compilePattern(fx, q.pattern, x, next, newScope(true));
      compileQuals(fx, quals, i + 1, next, inner);
    });
  });
  fx.env = env;
}

export { exprVars, ARITH_OPS };
