// Functions as JavaScript generators: a module's functions, and funs lifted to module level as
// factories taking their free variables (so a fun can be rebuilt from {Module, Index, Uniq, Free},
// as the external term format carries it).
//
//   function* f_loop_1(a0) {
//     let ln = 12, V_S;
//     try {
//       L1: for (;;) {                        // only when the function calls itself in tail position
//         if (--S.reds <= 0) yield PREEMPT;
//         C2: { ...clause 1: patterns `break C2` on mismatch, guard, body... }
//         break;
//       }
//     } catch (e) { throw H.addFrame(e, FR1, ln); }   // the frame BEAM's stack trace would show
//     throw H.fnClause(FR1, [a0]);
//   }

import type { Clause, Expr } from '../ast.js';
import { FnCtx, ModuleCtx, RET_TAIL, jsString } from './context.js';
import { compileGuard } from './guard.js';
import { compilePattern, newScope } from './pattern.js';
import { compileBody } from './expr.js';
import { FAST_OVERRUN, fastFun } from './fast.js';
import { otpFunNames } from './fun_names.js';
import { otpFreeRanks } from './free_order.js';

export interface FnShape {
  /** JS name of the generator (for a module function) */
  jsName?: string;
  arity: number;
  clauses: Clause[];
  /** the frame descriptor's JS name, undefined for shell code */
  frame: string | undefined;
  /** the Erlang function's line (for function_clause) */
  line: number;
  /** thrown when no clause matches */
  noMatch: (args: string) => string;
  /** the plain-JS version to run first (generator version of a pure function) */
  tryFast?: string;
  /** parameters before the arguments (a fun's own Fun and its free variables) */
  leading?: string[];
  /** no frame of its own in traces (a fun BEAM inlines): exceptions pass through untouched */
  frameless?: boolean;
}

/** The text of a generator function whose clauses are compiled in fx. */
export function generatorText(fx: FnCtx, shape: FnShape, head: string): string {
  const params = Array.from({ length: shape.arity }, (_, i) => `a${i}`);
  const startIndent = fx.indentLevel;
  fx.indentLevel = startIndent + (shape.frame ? 2 : 1);
  const initialEnv = fx.saveEnv();
  for (const c of shape.clauses) {
    fx.env = new Map(initialEnv);
    const L = fx.label('C');
    fx.forgetLine();
    fx.labelled(L, () => {
      const scope = newScope(true);
      c.patterns.forEach((p, i) => compilePattern(fx, p, params[i], L, scope));
      compileGuard(fx, c.guards, L);
      compileBody(fx, c.body, RET_TAIL);
    });
  }
  fx.env = initialEnv;
  const clauses = fx.code();
  // the function's JS name → its frame, for the stack read at a catch (a fun BEAM inlines is its enclosing function's)
  if (shape.frame && fx.frame) fx.mod.jsFrames.push({ js: head.slice(head.lastIndexOf(' ') + 1), frame: fx.frame, inlined: shape.frameless === true });
  const ind = (n: number): string => '  '.repeat(startIndent + n);
  const lines: string[] = [];
  lines.push(`${head}(${[...(shape.leading ?? []), ...params].join(', ')}) {`);
  const decl = [...fx.lets];
  if (shape.frame) decl.unshift(`ln = ${shape.line}`);
  if (decl.length) lines.push(`${ind(1)}let ${decl.join(', ')};`);
  const loop = fx.self?.loop;
  const bodyIndent = shape.frame ? 2 : 1;
  const inner: string[] = [];
  const reds = fx.fast ? `if (--S.reds < ${-FAST_OVERRUN}) H.overrun(S);` : 'if (--S.reds <= 0) yield PREEMPT;';
  if (fx.usedSelfLoop) {
    inner.push(`${ind(bodyIndent)}${loop}: for (;;) {`);
    inner.push(`${ind(bodyIndent + 1)}${reds}`);
    inner.push(reindent(clauses, 1));
    inner.push(`${ind(bodyIndent + 1)}break;`);
    inner.push(`${ind(bodyIndent)}}`);
  } else {
    inner.push(`${ind(bodyIndent)}${reds}`);
    inner.push(clauses);
  }
  if (shape.tryFast) {
    // run the plain version unless this process had to leave it before; a run that used up the
    // slice gives way when it returns (a loop of plain calls would run on past it, up to SLOWDOWN)
    const call = `${shape.tryFast}(${[...(shape.leading ?? []), ...params].join(', ')})`;
    lines.push(
      `${ind(1)}if (H.fastOk(S)) { let r; try { r = ${call}; } catch (e) { r = H.slowed(e, S); } ` +
        `if (r !== H.SLOWED) { if (S.reds <= 0) yield PREEMPT; return r instanceof TailCall ? yield* H.plainResume(S, r) : r; } }`,
    );
  }
  if (shape.frame && shape.frameless) lines.push(...inner);
  else if (shape.frame) {
    lines.push(`${ind(1)}try {`);
    lines.push(...inner);
    lines.push(`${ind(1)}} catch (e) { throw H.addFrame(e, ${shape.frame}, ln); }`);
  } else lines.push(...inner);
  lines.push(`${ind(1)}${shape.noMatch(params.join(', '))}`);
  lines.push(`${ind(0)}}`);
  return lines.join('\n');
}

function reindent(text: string, by: number): string {
  const pad = '  '.repeat(by);
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

/** A module function as a JS generator function declaration (and its plain version when it has one). */
export function compileFunction(mod: ModuleCtx, name: string, arity: number, clauses: Clause[], line: number): string {
  const local = mod.localFn(name, arity)!;
  const frame = mod.hoist(
    `H.frameInfo(${jsString(mod.name)}, ${jsString(name)}, ${arity}, ${jsString(mod.file)}, ${line})`,
    `frame:${name}/${arity}`,
    'FR',
  );
  const params = Array.from({ length: arity }, (_, i) => `a${i}`);
  const enclosing = { name, arity, funs: 0, names: otpFunNames(name, arity, clauses), freeRanks: otpFreeRanks(clauses) };
  const noMatch = (args: string): string => `throw H.fnClause(${frame}, [${args}]);`;
  let plain = '';
  if (local.fastJs !== undefined) {
    const px = new FnCtx(mod, { name, arity, params, loop: mod.fresh('L'), isFunVar: false }, frame);
    px.fast = true;
    px.enclosing = { ...enclosing };
    plain = generatorText(px, { arity, clauses, frame, line, noMatch }, `function ${local.fastJs}`) + '\n';
  }
  const fx = new FnCtx(mod, { name, arity, params, loop: mod.fresh('L'), isFunVar: false }, frame);
  fx.enclosing = enclosing;
  return plain + generatorText(fx, { arity, clauses, frame, line, noMatch, tryFast: local.fastJs }, `function* ${local.js}`);
}

/**
 * Lift a fun expression compiled inside `outer` to a module-level factory taking its free
 * variables; answers the factory's JS name.
 */
export function compileLiftedFun(outer: FnCtx, e: Expr & { type: 'fun' }, free: string[]): string {
  const mod = outer.mod;
  const done = mod.lifted.get(e);
  if (done !== undefined) return done;
  const arity = e.clauses[0].patterns.length;
  const index = mod.funCount++;
  const factory = mod.fresh('MK');
  const line = e.pos.line;
  const enc = outer.enclosing;
  let frame: string | undefined;
  let funName: string | undefined;
  if (!mod.shell && enc) {
    funName = enc.names?.get(e) ?? `-${enc.name}/${enc.arity}-fun-${enc.funs++}-`;
    frame = mod.hoist(`H.frameInfo(${jsString(mod.name)}, ${jsString(funName)}, ${arity}, ${jsString(mod.file)}, ${line})`, `frame:${funName}`, 'FR');
  }
  const params = Array.from({ length: arity }, (_, i) => `a${i}`);
  const selfVar = 'SELF';
  // applied in place, the fun is part of the enclosing function (BEAM inlines it): a stack trace it catches ends in that function
  const frameless = mod.appliedInPlace.has(e);
  const fx = new FnCtx(mod, e.name ? { name: e.name, arity, params, loop: mod.fresh('L'), isFunVar: true } : undefined, frameless ? (outer.frame ?? frame) : frame);
  fx.enclosing = enc;
  // the free variables under names of their own: the outer scope's names could be the outer
  // fun's SELF or its arguments', which the generator below has too
  const freeJs = free.map(() => mod.fresh('FV'));
  free.forEach((v, i) => fx.env.set(v, freeJs[i]));
  if (e.name) fx.env.set(e.name, selfVar);
  let info: string;
  if (mod.shell) {
    const astIndex = mod.funAsts.push(e) - 1;
    info = `H.evalFunInfo(AST[${astIndex}], ${JSON.stringify(free)}, [${freeJs.join(', ')}], PLACE)`;
  } else {
    info = `{ kind: 'local', module: MOD, index: ${index}, uniq: UNIQ, md5: MD5, free: [${freeJs.join(', ')}]${frame ? `, name: ${frame}.name` : ''} }`;
  }
  const noMatch = mod.shell
    ? (args: string): string => `throw H.evalFnClause([${args}]);`
    : (args: string): string => `throw H.fnClause(${frame}, [${args}]);`;
  // One generator per fun expression, taking the fun and its free variables before the arguments;
  // each fun made gets an arrow that passes them. (A new generator closure per fun would cost some
  // 2 µs on its first call in V8, so every spawn(fun() -> ... end) would pay it.)
  const gen = `${factory}_g`;
  const leading = [selfVar, ...freeJs];
  let tryFast: string | undefined;
  if (fastFun(mod, e)) {
    // a pure named fun gets a plain version too, as a module's pure functions do (fast.ts)
    tryFast = `${factory}_p`;
    const px = new FnCtx(mod, { name: e.name!, arity, params, loop: mod.fresh('L'), isFunVar: true }, frameless ? (outer.frame ?? frame) : frame);
    px.fast = true;
    px.plainFun = { js: tryFast, leading };
    px.enclosing = enc;
    free.forEach((v, i) => px.env.set(v, freeJs[i]));
    px.env.set(e.name!, selfVar);
    mod.topLevel.push(generatorText(px, { arity, clauses: e.clauses, frame, line, noMatch, leading, frameless }, `function ${tryFast}`));
  }
  mod.topLevel.push(generatorText(fx, { arity, clauses: e.clauses, frame, line, noMatch, leading, frameless, tryFast }, `function* ${gen}`));
  const fn = `(${params.join(', ')}) => ${gen}(${[...leading, ...params].join(', ')})`;
  if (!mod.shell && free.length === 0) {
    // no free variables: every evaluation gives an equal fun, so one is made, on first use (a
    // literal, as BEAM makes such funs), and a spawn(fun() -> ... end) allocates no fun at all
    const made = `${factory}_made`;
    mod.topLevel.push(
      `var ${made};\nfunction ${factory}() {\n  if (${made} !== undefined) return ${made};\n  const ${selfVar} = new Fun(${arity}, ${fn}, ${info});\n  return (${made} = ${selfVar});\n}`,
    );
  } else {
    mod.topLevel.push(`function ${factory}(${freeJs.join(', ')}) {\n  const ${selfVar} = new Fun(${arity}, ${fn}, ${info});\n  return ${selfVar};\n}`);
  }
  mod.funTable[index] = { arity, factory, free: free.length, name: funName };
  mod.lifted.set(e, factory);
  return factory;
}
