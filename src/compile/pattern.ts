// Patterns as straight-line tests: each test that fails leaves the enclosing labelled block with
// `break <fail>`; variables are bound by assignment as the match proceeds (a variable already bound
// is compared with =:=, as matching is exact).

import type { Expr } from '../ast.js';
import { ErlFloat, List, NIL, Term, Tuple, Atom, Bin, ErlMap } from '../../runtime/vm/term.js';
import { CompileError, FnCtx, Label } from './context.js';
import { constJs, constValue, floatJs } from './literal.js';
import { guardValue } from './guard.js';
import { compileBinPattern } from './binary.js';
import { recordDef, recordFieldIndex } from './records.js';

export interface PatternScope {
  /** every variable is a new binding, shadowing any outer one (fun heads, generator patterns) */
  shadow: boolean;
  /** variables bound so far by this pattern (a repeat is a comparison) */
  fresh: Set<string>;
}

export function newScope(shadow: boolean): PatternScope {
  return { shadow, fresh: new Set() };
}

const SIMPLE = /^[A-Za-z_$][\w$]*$/;

/** A name for the subject (a const in the current block when it is an expression). */
export function simpleSubject(fx: FnCtx, subj: string): string {
  if (SIMPLE.test(subj)) return subj;
  const t = fx.mod.fresh('p');
  fx.emit(`const ${t} = ${subj};`);
  return t;
}

/** Does this pattern always match (so no test is needed)? */
export function irrefutable(fx: FnCtx, p: Expr, scope: PatternScope): boolean {
  if (p.type !== 'var') return false;
  if (p.name === '_') return true;
  if (scope.fresh.has(p.name)) return false;
  return scope.shadow || !fx.env.has(p.name);
}

export function compilePattern(fx: FnCtx, p: Expr, subj: string, fail: Label, scope: PatternScope): void {
  // a number matched against a pattern (`3.2 = 3`) needs its parentheses to be a JS operand: (3).value
  if (/^-?\d/.test(subj)) subj = `(${subj})`;
  switch (p.type) {
    case 'var':
      return patVar(fx, p.name, subj, fail, scope);
    case 'integer':
    case 'char':
      fx.emit(`if (${subj} !== ${constJs(fx.mod, p.value)}) break ${fail};`);
      return;
    case 'float':
      fx.emit(`if (!(${subj} instanceof ErlFloat && ${subj}.value === ${floatJs(p.value)})) break ${fail};`);
      return;
    case 'atom':
      fx.emit(`if (${subj} !== ${fx.mod.atom(p.value)}) break ${fail};`);
      return;
    case 'nil':
      fx.emit(`if (${subj} !== NIL) break ${fail};`);
      return;
    case 'string':
      return patString(fx, p.value, subj, fail, undefined, scope);
    case 'cons': {
      const s = simpleSubject(fx, subj);
      fx.emit(`if (!(${s} instanceof List)) break ${fail};`);
      compilePattern(fx, p.head, `${s}.head`, fail, scope);
      compilePattern(fx, p.tail, `${s}.tail`, fail, scope);
      return;
    }
    case 'tuple': {
      const s = simpleSubject(fx, subj);
      fx.emit(`if (!(${s} instanceof Tuple && ${s}.elements.length === ${p.elements.length})) break ${fail};`);
      if (p.elements.some((x) => !(x.type === 'var' && x.name === '_'))) {
        const els = fx.mod.fresh('e');
        fx.emit(`const ${els} = ${s}.elements;`);
        p.elements.forEach((x, i) => compilePattern(fx, x, `${els}[${i}]`, fail, scope));
      }
      return;
    }
    case 'match': {
      const s = simpleSubject(fx, subj);
      compilePattern(fx, p.left, s, fail, scope);
      compilePattern(fx, p.right, s, fail, scope);
      return;
    }
    case 'map': {
      const s = simpleSubject(fx, subj);
      fx.emit(`if (!(${s} instanceof ErlMap)) break ${fail};`);
      for (const a of p.assocs) {
        const key = guardValue(fx, a.key);
        const v = fx.mod.fresh('mv');
        if (key.throws) {
          // a key expression that fails makes the match fail
          fx.emit(`let ${v}; try { ${v} = ${s}.get(${key.js}); } catch (_) { ${v} = undefined; }`);
        } else fx.emit(`const ${v} = ${s}.get(${key.js});`);
        fx.emit(`if (${v} === undefined) break ${fail};`);
        compilePattern(fx, a.value, v, fail, scope);
      }
      return;
    }
    case 'record': {
      const def = recordDef(fx.mod, p.name, p.pos);
      const s = simpleSubject(fx, subj);
      const size = def.fields.length + 1;
      fx.emit(`if (!(${s} instanceof Tuple && ${s}.elements.length === ${size} && ${s}.elements[0] === ${fx.mod.atom(p.name)})) break ${fail};`);
      const els = fx.mod.fresh('e');
      fx.emit(`const ${els} = ${s}.elements;`);
      const rest = p.fields.find((f) => f.field === '_');
      const given = new Set<string>();
      for (const f of p.fields) {
        if (f.field === '_') continue;
        given.add(f.field);
        compilePattern(fx, f.value, `${els}[${recordFieldIndex(def, f.field, f.pos)}]`, fail, scope);
      }
      if (rest) {
        def.fields.forEach((fd, i) => {
          if (!given.has(fd.name)) compilePattern(fx, rest.value, `${els}[${i + 1}]`, fail, scope);
        });
      }
      return;
    }
    case 'record_index': {
      const def = recordDef(fx.mod, p.name, p.pos);
      fx.emit(`if (${subj} !== ${recordFieldIndex(def, p.field, p.pos) + 1}) break ${fail};`);
      return;
    }
    case 'bin':
      return compileBinPattern(fx, p, subj, fail, scope);
    case 'op': {
      if (p.op === '++') return patPrefix(fx, p.args[0], p.args[1], subj, fail, scope);
      const v = constValue(p);
      if (v === undefined) throw new CompileError(p.pos, 'illegal pattern');
      return patConst(fx, v, subj, fail);
    }
    default: {
      const v = constValue(p);
      if (v === undefined) throw new CompileError(p.pos, 'illegal pattern');
      return patConst(fx, v, subj, fail);
    }
  }
}

function patVar(fx: FnCtx, name: string, subj: string, fail: Label, scope: PatternScope): void {
  if (name === '_') return;
  const bound = scope.fresh.has(name) || (!scope.shadow && fx.env.has(name));
  if (bound) {
    const js = fx.env.get(name)!;
    fx.emit(`if (!(${js} === ${subj} || exactEqual(${js}, ${subj}))) break ${fail};`);
    return;
  }
  const js = fx.bindName(name, scope.shadow && fx.env.has(name));
  fx.env.set(name, js);
  fx.noteBinding(name, js);
  scope.fresh.add(name);
  fx.emit(`${js} = ${subj};`);
}

/** A literal term (computed at compile time) compared exactly. */
function patConst(fx: FnCtx, v: Term, subj: string, fail: Label): void {
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof Atom || v === NIL) {
    fx.emit(`if (${subj} !== ${constJs(fx.mod, v)}) break ${fail};`);
  } else if (v instanceof ErlFloat) {
    fx.emit(`if (!(${subj} instanceof ErlFloat && ${subj}.value === ${floatJs(v.value)})) break ${fail};`);
  } else if (v instanceof Tuple || v instanceof List || v instanceof Bin || v instanceof ErlMap) {
    fx.emit(`if (!exactEqual(${subj}, ${constJs(fx.mod, v)})) break ${fail};`);
  } else throw new Error('patConst');
}

/** "abc" (optionally followed by a tail pattern: "abc" ++ T). */
function patString(fx: FnCtx, s: string, subj: string, fail: Label, tail: Expr | undefined, scope: PatternScope): void {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  let cur = simpleSubject(fx, subj);
  for (const cp of cps) {
    fx.emit(`if (!(${cur} instanceof List && ${cur}.head === ${cp})) break ${fail};`);
    const next = fx.mod.fresh('s');
    fx.emit(`const ${next} = ${cur}.tail;`);
    cur = next;
  }
  if (tail === undefined) fx.emit(`if (${cur} !== NIL) break ${fail};`);
  else compilePattern(fx, tail, cur, fail, scope);
}

/** Prefix ++ Tail in a pattern: the prefix is a string or a list of literals. */
function patPrefix(fx: FnCtx, prefix: Expr, tail: Expr, subj: string, fail: Label, scope: PatternScope): void {
  if (prefix.type === 'string') return patString(fx, prefix.value, subj, fail, tail, scope);
  if (prefix.type === 'nil') return compilePattern(fx, tail, subj, fail, scope);
  if (prefix.type === 'cons') {
    const s = simpleSubject(fx, subj);
    fx.emit(`if (!(${s} instanceof List)) break ${fail};`);
    compilePattern(fx, prefix.head, `${s}.head`, fail, scope);
    return patPrefix(fx, prefix.tail, tail, `${s}.tail`, fail, scope);
  }
  throw new CompileError(prefix.pos, 'illegal pattern');
}
