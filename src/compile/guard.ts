// Guards compiled inline as JavaScript boolean expressions. A guard test passes only when it is
// the atom true; an exception inside a guard alternative makes that alternative fail, so guards
// that can raise (arithmetic, element/2, ...) run inside try/catch, the others run bare.

import type { Expr } from '../ast.js';
import { lookupBif } from '../../runtime/vm/bif_registry.js';
import { Atom, NIL } from '../../runtime/vm/term.js';
import { CompileError, FnCtx, Label, ModuleCtx, jsString } from './context.js';
import { constJs, constValue } from './literal.js';
import { ARITH_OPS, COMP_OPS, isGuardBif, isGuardOp, isTypeTest, ARITH_FN, SIMPLE } from './bifs.js';
import { recordDef, recordFieldExprs, recordFieldIndex } from './records.js';
import { binConstructJs } from './binary.js';

/** A JS expression and whether evaluating it may throw. */
export interface GJs {
  js: string;
  throws: boolean;
}



const UNARY_FN: Record<string, string> = { '-': 'neg', '+': 'pos', bnot: 'bnot' };

/** A JS expression testing a term with a comparison operator (a JS boolean). */
export function comparisonJs(op: string, a: string, b: string, aConst?: unknown, bConst?: unknown): string {
  const smallInt = (v: unknown): boolean => typeof v === 'number';
  switch (op) {
    case '=:=':
      if (isIdentityConst(bConst) || isIdentityConst(aConst)) return `(${a} === ${b})`;
      return `exeq(${a}, ${b})`;
    case '=/=':
      if (isIdentityConst(bConst) || isIdentityConst(aConst)) return `(${a} !== ${b})`;
      return `exne(${a}, ${b})`;
    case '==':
      return `eq(${a}, ${b})`;
    case '/=':
      return `ne(${a}, ${b})`;
  }
  const fn = op === '<' ? 'lt' : op === '=<' ? 'le' : op === '>' ? 'gt' : 'ge';
  const jsop = op === '=<' ? '<=' : op;
  // integer literal on one side and a variable on the other: compare numbers inline
  if (smallInt(bConst) && SIMPLE.test(a)) return `(typeof ${a} === 'number' ? ${a} ${jsop} ${b} : ${fn}(${a}, ${b}))`;
  if (smallInt(aConst) && SIMPLE.test(b)) return `(typeof ${b} === 'number' ? ${a} ${jsop} ${b} : ${fn}(${a}, ${b}))`;
  return `${fn}(${a}, ${b})`;
}

/** Constants that are equal only to themselves under =:= (atoms, small integers, []). */
function isIdentityConst(v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v === 'number') return true;
  return v instanceof Atom || v === NIL;
}

/** The JS boolean for a type test on a value. */
export function typeTestJs(name: string, x: string): string {
  const simple = SIMPLE.test(x);
  switch (name) {
    case 'is_integer':
      return simple ? `(typeof ${x} === 'number' || typeof ${x} === 'bigint')` : `H.isInteger(${x})`;
    case 'is_atom':
      return `(${x} instanceof Atom)`;
    case 'is_float':
      return `(${x} instanceof ErlFloat)`;
    case 'is_number':
      return simple ? `(typeof ${x} === 'number' || typeof ${x} === 'bigint' || ${x} instanceof ErlFloat)` : `H.isNumber(${x})`;
    case 'is_list':
      return simple ? `(${x} instanceof List || ${x} === NIL)` : `H.isList(${x})`;
    case 'is_tuple':
      return `(${x} instanceof Tuple)`;
    case 'is_map':
      return `(${x} instanceof ErlMap)`;
    case 'is_binary':
      return `H.isBinary(${x})`;
    case 'is_bitstring':
      return `(${x} instanceof Bin)`;
    case 'is_boolean':
      return simple ? `(${x} === TRUE || ${x} === FALSE)` : `H.isBoolean(${x})`;
    case 'is_pid':
      return `H.isPid(${x})`;
    case 'is_reference':
      return `H.isRef(${x})`;
    case 'is_port':
      return `H.isPort(${x})`;
    case 'is_function':
      return `(${x} instanceof Fun)`;
  }
  throw new Error('not a type test: ' + name);
}

/** A hoisted reference to the pure implementation of a BIF (for guards and hot calls). */
export function pureBifJs(mod: ModuleCtx, module: string, name: string, arity: number): string | undefined {
  const e = lookupBif(module, name, arity);
  if (e === undefined || e.pure === undefined) return undefined;
  return mod.hoist(`H.pureBif(${jsString(module)}, ${jsString(name)}, ${arity})`, `bif:${module}:${name}/${arity}`, 'B');
}

/** The call's name when it is erlang:Name(...) or an auto-imported Name(...), else undefined. */
function guardCallName(mod: ModuleCtx, e: Expr & { type: 'call' }): string | undefined {
  const f = e.fn;
  if (f.type === 'atom') {
    if (mod.localFn(f.value, e.args.length)) return undefined;
    return f.value;
  }
  if (f.type === 'remote' && f.module.type === 'atom' && f.module.value === 'erlang' && f.name.type === 'atom') return f.name.value;
  return undefined;
}

/** Is this expression allowed in a guard (so an LC filter can be compiled as a guard test)? */
export function isGuardExpr(mod: ModuleCtx, e: Expr): boolean {
  switch (e.type) {
    case 'integer':
    case 'float':
    case 'char':
    case 'string':
    case 'atom':
    case 'var':
    case 'nil':
    case 'record_index':
      return true;
    case 'cons':
      return isGuardExpr(mod, e.head) && isGuardExpr(mod, e.tail);
    case 'tuple':
      return e.elements.every((x) => isGuardExpr(mod, x));
    case 'map':
      return (e.base === undefined || isGuardExpr(mod, e.base)) && e.assocs.every((a) => isGuardExpr(mod, a.key) && isGuardExpr(mod, a.value));
    case 'record':
      return e.base === undefined && e.fields.every((f) => isGuardExpr(mod, f.value));
    case 'record_field':
      return isGuardExpr(mod, e.expr);
    case 'bin':
      return e.elements.every((el) => isGuardExpr(mod, el.value) && (el.size === undefined || isGuardExpr(mod, el.size)));
    case 'op':
      return isGuardOp(e.op) && e.args.every((a) => isGuardExpr(mod, a));
    case 'call': {
      const name = guardCallName(mod, e);
      if (name === undefined) return false;
      if (name === 'is_record' && (e.args.length === 2 || e.args.length === 3)) return e.args.every((a) => isGuardExpr(mod, a));
      return isGuardBif(name, e.args.length) && e.args.every((a) => isGuardExpr(mod, a));
    }
    default:
      return false;
  }
}

/** A guard expression as a JS expression of a term. */
export function guardValue(fx: FnCtx, e: Expr): GJs {
  const mod = fx.mod;
  const cv = constValue(e);
  if (cv !== undefined) return { js: constJs(mod, cv), throws: false };
  switch (e.type) {
    case 'var': {
      const js = fx.env.get(e.name);
      if (js === undefined) throw new CompileError(e.pos, `variable '${e.name}' is unbound`);
      return { js, throws: false };
    }
    case 'cons': {
      const h = guardValue(fx, e.head);
      const t = guardValue(fx, e.tail);
      return { js: `new List(${h.js}, ${t.js})`, throws: h.throws || t.throws };
    }
    case 'tuple': {
      const els = e.elements.map((x) => guardValue(fx, x));
      return { js: `new Tuple([${els.map((x) => x.js).join(', ')}])`, throws: els.some((x) => x.throws) };
    }
    case 'map': {
      const parts = e.assocs.flatMap((a) => [guardValue(fx, a.key), guardValue(fx, a.value)]);
      const kvs = `[${parts.map((x) => x.js).join(', ')}]`;
      if (e.base === undefined) return { js: `H.mapFrom(${kvs})`, throws: parts.some((x) => x.throws) };
      const base = guardValue(fx, e.base);
      const exact = mod.hoist(JSON.stringify(e.assocs.map((a) => a.op === ':=')));
      return { js: `H.mapUpdate(${base.js}, ${kvs}, ${exact})`, throws: true };
    }
    case 'record': {
      const def = recordDef(mod, e.name, e.pos);
      const vals = recordFieldExprs(def, e.fields, e.pos).map((x) => guardValue(fx, x));
      return { js: `new Tuple([${mod.atom(e.name)}, ${vals.map((x) => x.js).join(', ')}])`, throws: vals.some((x) => x.throws) };
    }
    case 'record_field': {
      const def = recordDef(mod, e.name, e.pos);
      const r = guardValue(fx, e.expr);
      const i = recordFieldIndex(def, e.field, e.pos);
      return { js: `H.recordField(${r.js}, ${mod.atom(e.name)}, ${def.fields.length + 1}, ${i})`, throws: true };
    }
    case 'record_index': {
      const def = recordDef(mod, e.name, e.pos);
      return { js: String(recordFieldIndex(def, e.field, e.pos) + 1), throws: false };
    }
    case 'bin': {
      let throws = false;
      const js = binConstructJs(fx, e, (x) => {
        const g = guardValue(fx, x);
        throws ||= g.throws;
        return g.js;
      });
      return { js, throws: true || throws };
    }
    case 'op':
      return guardOpValue(fx, e);
    case 'call':
      return guardCallValue(fx, e);
    default:
      throw new CompileError(e.pos, 'illegal guard expression');
  }
}

function guardOpValue(fx: FnCtx, e: Expr & { type: 'op' }): GJs {
  const { op, args } = e;
  if (args.length === 1) {
    if (op === 'not') {
      const t = guardTest(fx, args[0]);
      if (isBooleanTyped(fx.mod, args[0])) return { js: `(${t.js} ? FALSE : TRUE)`, throws: t.throws };
      const a = guardValue(fx, args[0]);
      return { js: `not(${a.js})`, throws: true };
    }
    const fn = UNARY_FN[op];
    if (!fn) throw new CompileError(e.pos, 'illegal guard expression');
    const a = guardValue(fx, args[0]);
    return { js: `${fn}(${a.js})`, throws: true };
  }
  if (COMP_OPS.has(op) || op === 'andalso' || op === 'orelse') {
    const t = guardTest(fx, e);
    return { js: `(${t.js} ? TRUE : FALSE)`, throws: t.throws };
  }
  const a = guardValue(fx, args[0]);
  const b = guardValue(fx, args[1]);
  const fn = ARITH_FN[op] ?? (op === 'and' || op === 'or' || op === 'xor' ? op : undefined);
  if (!fn) throw new CompileError(e.pos, 'illegal guard expression');
  return { js: `${fn}(${a.js}, ${b.js})`, throws: true };
}

function guardCallValue(fx: FnCtx, e: Expr & { type: 'call' }): GJs {
  const mod = fx.mod;
  const name = guardCallName(mod, e);
  const n = e.args.length;
  if (name === undefined || !(isGuardBif(name, n) || name === 'is_record')) throw new CompileError(e.pos, 'illegal guard expression');
  if (isTypeTest(name, n) || name === 'is_record') {
    const t = guardTest(fx, e);
    return { js: `(${t.js} ? TRUE : FALSE)`, throws: t.throws };
  }
  const args = e.args.map((a) => guardValue(fx, a));
  const fn = pureBifJs(mod, 'erlang', name, n) ?? mod.hoist(`H.guardBif("erlang", ${jsString(name)}, ${n})`, `gbif:erlang:${name}/${n}`, 'B');
  return { js: `${fn}(${args.map((a) => a.js).join(', ')})`, throws: true };
}

/** Comparisons, type tests and boolean combinations of them always give true or false. */
export function isBooleanTyped(mod: ModuleCtx, e: Expr): boolean {
  if (e.type === 'atom') return e.value === 'true' || e.value === 'false';
  if (e.type === 'op') {
    if (COMP_OPS.has(e.op)) return true;
    if ((e.op === 'andalso' || e.op === 'orelse') && e.args.every((a) => isBooleanTyped(mod, a))) return true;
    if ((e.op === 'not' || e.op === 'and' || e.op === 'or' || e.op === 'xor') && e.args.every((a) => isBooleanTyped(mod, a))) return true;
    return false;
  }
  if (e.type === 'call') {
    const name = guardCallName(mod, e);
    return name !== undefined && (isTypeTest(name, e.args.length) || name === 'is_record');
  }
  return false;
}

/** A guard test as a JS boolean expression: true exactly when the test gives the atom true. */
export function guardTest(fx: FnCtx, e: Expr): GJs {
  const mod = fx.mod;
  if (e.type === 'atom') return { js: e.value === 'true' ? 'true' : 'false', throws: false };
  if (e.type === 'op' && e.args.length === 2) {
    const [l, r] = e.args;
    if (COMP_OPS.has(e.op)) {
      const a = guardValue(fx, l);
      const b = guardValue(fx, r);
      return { js: comparisonJs(e.op, a.js, b.js, constValue(l), constValue(r)), throws: a.throws || b.throws };
    }
    if (e.op === 'andalso') {
      const a = guardTest(fx, l);
      const b = guardTest(fx, r);
      return { js: `(${a.js} && ${b.js})`, throws: a.throws || b.throws };
    }
    if (e.op === 'orelse') {
      const b = guardTest(fx, r);
      if (isBooleanTyped(mod, l)) {
        const a = guardTest(fx, l);
        return { js: `(${a.js} || ${b.js})`, throws: a.throws || b.throws };
      }
      const a = guardValue(fx, l);
      const g = fx.tmp('g');
      return { js: `((${g} = ${a.js}) === TRUE || (${g} === FALSE && ${b.js}))`, throws: a.throws || b.throws };
    }
    if ((e.op === 'and' || e.op === 'or' || e.op === 'xor') && isBooleanTyped(mod, l) && isBooleanTyped(mod, r)) {
      const a = guardTest(fx, l);
      const b = guardTest(fx, r);
      const jsop = e.op === 'and' ? '&&' : e.op === 'or' ? '||' : '!==';
      return { js: `(${a.js} ${jsop} ${b.js})`, throws: a.throws || b.throws };
    }
  }
  if (e.type === 'op' && e.args.length === 1 && e.op === 'not') {
    if (isBooleanTyped(mod, e.args[0])) {
      const a = guardTest(fx, e.args[0]);
      return { js: `!${a.js}`, throws: a.throws };
    }
    const a = guardValue(fx, e.args[0]);
    return { js: `(${a.js} === FALSE)`, throws: a.throws };
  }
  if (e.type === 'call') {
    const name = guardCallName(mod, e);
    const n = e.args.length;
    if (name !== undefined && isTypeTest(name, n) && name !== 'is_record' && !(name === 'is_function' && n === 2)) {
      const a = guardValue(fx, e.args[0]);
      return { js: typeTestJs(name, a.js), throws: a.throws };
    }
    if (name === 'is_function' && n === 2) {
      const a = guardValue(fx, e.args[0]);
      const b = guardValue(fx, e.args[1]);
      return { js: `H.isFunctionN(${a.js}, ${b.js})`, throws: a.throws || b.throws };
    }
    if (name === 'is_record' && (n === 2 || n === 3)) {
      const a = guardValue(fx, e.args[0]);
      const tag = e.args[1];
      if (n === 2 && tag.type === 'atom' && mod.records.has(tag.value)) {
        const def = recordDef(mod, tag.value, tag.pos);
        return { js: `H.isRecordN(${a.js}, ${mod.atom(tag.value)}, ${def.fields.length + 1})`, throws: a.throws };
      }
      const t = guardValue(fx, tag);
      if (n === 2) return { js: `H.isTaggedTuple(${a.js}, ${t.js})`, throws: a.throws || t.throws };
      const size = guardValue(fx, e.args[2]);
      return { js: `H.isRecordN(${a.js}, ${t.js}, ${size.js})`, throws: a.throws || t.throws || size.throws };
    }
  }
  const v = guardValue(fx, e);
  return { js: `(${v.js} === TRUE)`, throws: v.throws };
}

/** Emit the tests of a guard sequence (G1; G2; ...), leaving `fail` when no alternative holds. */
export function compileGuard(fx: FnCtx, guards: Expr[][], fail: Label): void {
  if (guards.length === 0) return;
  const alts = guards.map((conj) => {
    const tests = conj.map((t) => guardTest(fx, t));
    return { js: tests.map((t) => t.js).join(' && ') || 'true', throws: tests.some((t) => t.throws) };
  });
  if (alts.length === 1 && !alts[0].throws) {
    if (alts[0].js !== 'true') fx.emit(`if (!(${alts[0].js})) break ${fail};`);
    return;
  }
  const g = fx.tmp('g');
  alts.forEach((alt, i) => {
    const assign = alt.throws ? `try { ${g} = ${alt.js}; } catch (_) { ${g} = false; }` : `${g} = ${alt.js};`;
    fx.emit(i === 0 ? assign : `if (!${g}) { ${assign} }`);
  });
  fx.emit(`if (!${g}) break ${fail};`);
}

export { ARITH_OPS };
