// The state of code generation: the module being compiled (hoisted constants, lifted funs, the
// module's functions) and the JavaScript generator function being written (its lines, its variables,
// labels and temporaries, where a self tail call jumps to).

import type { Expr, Pos, RecordFieldDef } from '../ast.js';

/** Where the value of an expression goes. */
export type Dest =
  /** the value is the function's result; tail: calls may become TailCall / the self-call loop */
  | { k: 'ret'; tail: boolean }
  /** assign it to this JS variable */
  | { k: 'set'; v: string }
  /** evaluated for its effects only */
  | { k: 'drop' };

export const RET_TAIL: Dest = { k: 'ret', tail: true };
export const DROP: Dest = { k: 'drop' };

export interface RecordDef {
  name: string;
  fields: RecordFieldDef[];
}

export interface LocalFn {
  name: string;
  arity: number;
  js: string;
  /** false when the function never returns a TailCall (its callers skip the trampoline check) */
  mayTail: boolean;
  /** the plain-JS version of a pure function (see fast.ts) */
  fastJs?: string;
  /** false when the plain version never returns a TailCall (no tail call, not even to itself: its loop hands back a TailCall when the slice is used up) */
  fastMayTail?: boolean;
  /** every clause raises (never_returns.ts): a call to it keeps no frame of the caller, as BEAM's */
  neverReturns?: boolean;
}

/** The error raised while compiling something the linter let through but we cannot compile. */
export class CompileError extends Error {
  constructor(
    readonly pos: Pos,
    message: string,
  ) {
    super(message);
  }
}

const JS_IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function jsString(s: string): string {
  return JSON.stringify(s);
}

/** A JS identifier fragment for any Erlang name. */
export function identPart(name: string): string {
  let out = '';
  for (const ch of name) {
    if (/[A-Za-z0-9_]/.test(ch)) out += ch;
    else out += '$' + ch.codePointAt(0)!.toString(16);
  }
  return out;
}

/** How a call's line is marked with its Erlang line in generated code (callers.ts reads it). */
export const CALL_MARK = '//@';

export class ModuleCtx {
  /** hoisted `const` declarations, in dependency order */
  readonly decls: string[] = [];
  /** lifted fun factories and other top-level functions */
  readonly topLevel: string[] = [];
  private readonly constByKey = new Map<string, string>();
  private n = 0;
  /** number of funs lifted so far (the fun index, as OTP numbers them per module) */
  funCount = 0;
  /** fun indexes a module fixes for its `fun f/N` (-fun_index), so its funs print and travel as OTP's do */
  readonly funIndexes = new Map<string, number>();
  /** per lifted fun: arity, JS factory name and the name OTP gives it (index = fun index) */
  readonly funTable: { arity: number; factory: string; free: number; name?: string }[] = [];
  /** funs applied where they are written, (fun() -> ... end)(): BEAM inlines them, so their traces show no frame of theirs */
  readonly appliedInPlace = new WeakSet<Expr>();
  /** the JS functions that are Erlang functions, with their frame descriptor (callers.ts reads the stack by them) */
  readonly jsFrames: { js: string; frame: string; inlined: boolean }[] = [];
  readonly localFns = new Map<string, LocalFn>();
  readonly imports = new Map<string, string>();
  readonly noAutoImport = new Set<string>();

  constructor(
    readonly name: string,
    readonly file: string,
    readonly records: Map<string, RecordDef>,
    /** shell mode: unknown local calls go to the shell's command hook, funs are 'eval' funs */
    readonly shell: boolean,
  ) {}

  fresh(prefix: string): string {
    return prefix + ++this.n;
  }

  /** A module-level constant for this JS expression (shared when the key repeats). */
  hoist(js: string, key: string = js, prefix = 'K'): string {
    let name = this.constByKey.get(key);
    if (name === undefined) {
      name = this.fresh(prefix);
      this.decls.push(`const ${name} = ${js};`);
      this.constByKey.set(key, name);
    }
    return name;
  }

  atom(name: string): string {
    const key = 'atom:' + name;
    let id = this.constByKey.get(key);
    if (id === undefined) {
      id = JS_IDENT.test(name) && name.length < 24 ? 'A_' + name : this.fresh('A$');
      if ([...this.constByKey.values()].includes(id)) id = this.fresh('A$');
      this.decls.push(`const ${id} = atom(${jsString(name)});`);
      this.constByKey.set(key, id);
    }
    return id;
  }

  /** fun expressions of shell code, kept for their erl_eval-style identity */
  readonly funAsts: Expr[] = [];
  /** funs already lifted (a function compiled twice lifts its funs once) */
  readonly lifted = new Map<Expr, string>();
  /** records defined by rd/2 in shell code, by their index in funAsts' numbering */
  readonly shellRecords: RecordDef[] = [];

  /** The constant hoisted under this key, if any. */
  hoisted(key: string): string | undefined {
    return this.constByKey.get(key);
  }

  localFn(name: string, arity: number): LocalFn | undefined {
    return this.localFns.get(name + '/' + arity);
  }
}

const INDENTS = Array.from({ length: 32 }, (_, i) => '  '.repeat(i));

/** A label for a block that a pattern test leaves with `break`. */
export type Label = string;

export class FnCtx {
  private readonly out: string[] = [];
  private indent = 1;
  /** Erlang variable → JS variable, for the variables bound at this point */
  env = new Map<string, string>();
  /** JS variables to declare with `let` at the top of the function */
  readonly lets = new Set<string>();
  /** the line `ln` holds at this point of straight-line code (-1: unknown) */
  private knownLine = -1;
  /** set when a self tail call was emitted: the body needs its loop */
  usedSelfLoop = false;
  /** the module function this code belongs to (funs inside it are named -Name/Arity-fun-N-) */
  enclosing: { name: string; arity: number; funs: number; names?: Map<Expr, string>; freeRanks?: Map<Expr, Map<string, number>> } | undefined;
  /** the shell's top level (its bindings live in B) */
  shellTop = false;
  /** writing the plain-JS version of a pure function: calls are plain calls, nothing yields */
  fast = false;
  /** writing the plain version of a named fun: its JS name and the parameters before the arguments (SELF, free variables) */
  plainFun: { js: string; leading: string[] } | undefined = undefined;
  /** shell variables bound in some branches only: a read checks that they were bound */
  maybeBound: Set<string> = new Set();
  /** set when the function emitted a line tracker (so the frame knows where it failed) */
  tracksLines: boolean;
  /** inside how many try bodies and catch expressions (a call there keeps the caller's frame) */
  protectedDepth = 0;

  constructor(
    readonly mod: ModuleCtx,
    /** the Erlang function being compiled (for self tail calls), undefined in the shell's top level */
    readonly self: { name: string; arity: number; params: string[]; loop: Label; isFunVar: boolean } | undefined,
    /** the JS name of the frame descriptor (undefined: no frames, e.g. shell code) */
    readonly frame: string | undefined,
  ) {
    this.tracksLines = frame !== undefined;
  }

  emit(line: string): void {
    // indentation stops growing past a depth: code nested 10,000 deep stays as long as its lines
    this.out.push(INDENTS[Math.min(this.indent, INDENTS.length - 1)] + line);
  }

  /** `head {` ... `}` around body(). */
  block(head: string, body: () => void, tail = '}'): void {
    this.emit(head + ' {');
    this.indent++;
    this.knownLine = -1;
    body();
    this.indent--;
    this.knownLine = -1;
    this.emit(tail);
  }

  /** A labelled block: a failing test inside leaves it with `break label`. */
  labelled(label: Label, body: () => void): void {
    this.block(`${label}:`, body);
  }

  code(): string {
    return this.out.join('\n');
  }

  /** Splice lines of another emitter's code (already indented) */
  raw(lines: string): void {
    if (lines) this.out.push(lines);
  }

  get indentLevel(): number {
    return this.indent;
  }

  set indentLevel(n: number) {
    this.indent = n;
  }

  tmp(prefix = 't'): string {
    const v = this.mod.fresh(prefix);
    this.lets.add(v);
    return v;
  }

  label(prefix = 'L'): Label {
    return this.mod.fresh(prefix);
  }

  /** Mark the current Erlang line for error frames (`ln = N;` when it changed). */
  line(pos: Pos | undefined): void {
    if (!this.tracksLines || pos === undefined) return;
    if (pos.line !== this.knownLine) {
      this.emit(`ln = ${pos.line};`);
      this.knownLine = pos.line;
    }
  }

  forgetLine(): void {
    this.knownLine = -1;
  }

  /** `ln = 0;`: the call that follows leaves no frame of this function (it never returns) */
  noFrameLine(): void {
    this.emit('ln = 0;');
    this.knownLine = 0;
  }

  /**
   * The mark a call's line carries, read back from the source by callers.ts when a catch below
   * wants this function's frame (BEAM's return address): the Erlang line `ln` holds there; in the
   * shell's code, the erl_eval frames erl evaluates the call under.
   */
  callMark(): string {
    if (this.mod.shell) return this.shellTop ? ` ${CALL_MARK}${this.evalFrames()}` : '';
    return this.tracksLines && this.knownLine >= 0 ? ` ${CALL_MARK}${this.knownLine}` : '';
  }

  /**
   * Shell code: the frames of erl_eval that erl evaluates the code being compiled under (as
   * `function:arity:line`, outermost first): the argument of a call, a list's head, a match's right side...
   */
  private readonly evalPath: string[] = [];

  /** In shell code, compile body as a part of an expression that erl_eval evaluates at that frame. */
  underEval<T>(frame: string, body: () => T): T {
    if (!this.mod.shell) return body();
    this.evalPath.push(frame);
    try {
      return body();
    } finally {
      this.evalPath.pop();
    }
  }

  /** The erl_eval frames of the point being compiled, innermost first (as a trace lists them, a repeat once). */
  evalFrames(): string {
    return [...this.evalPath]
      .reverse()
      .filter((f, i, all) => f !== all[i - 1])
      .join(',');
  }

  /** Shell code's top level: `ep` holds the erl_eval frames of the call running (for its traces). */
  markEval(): void {
    if (!this.mod.shell || !this.shellTop) return;
    this.lets.add('ep');
    this.emit(`ep = ${jsString(this.evalFrames())};`);
  }

  /** Shell code's top level: no call started yet (a try's or catch's body may fail with none) */
  unmarkEval(): void {
    if (!this.mod.shell || !this.shellTop) return;
    this.lets.add('ep');
    this.emit('ep = undefined;');
  }

  /** The JS expression for the erl_eval frames of the last call started (shell code; undefined elsewhere). */
  evalFramesJs(): string {
    if (!this.mod.shell || !this.shellTop) return 'undefined';
    this.lets.add('ep');
    return 'ep';
  }

  /** The JS variable for a new binding of Erlang variable `name` (fresh when shadowing). */
  bindName(name: string, shadow: boolean): string {
    let js = 'V_' + identPart(name);
    if (shadow) js = this.mod.fresh(js + '$');
    this.lets.add(js);
    return js;
  }

  /** depth of scopes whose bindings do not outlive them (comprehensions) */
  scopeDepth = 0;
  /** every variable bound at the top scope (the shell exports these as its new bindings) */
  readonly everBound = new Map<string, string>();

  noteBinding(name: string, js: string): void {
    if (this.scopeDepth === 0) this.everBound.set(name, js);
  }

  /** Copy of the environment, for a branch. */
  saveEnv(): Map<string, string> {
    return new Map(this.env);
  }
}

/** Free variables of a fun expression (the variables it uses that its own clauses do not bind). */
export function freeVarsOfFun(e: Expr & { type: 'fun' }): Set<string> {
  const out = new Set<string>();
  for (const c of e.clauses) {
    const local = new Set<string>();
    for (const p of c.patterns) patternBinders(p, local);
    if (e.name) local.add(e.name);
    const used = new Set<string>();
    for (const p of c.patterns) patternUses(p, used);
    for (const g of c.guards) for (const t of g) exprVars(t, used);
    for (const b of c.body) exprVars(b, used);
    for (const v of used) if (!local.has(v)) out.add(v);
  }
  return out;
}

/** Variables a pattern binds (all variable occurrences outside size and key expressions). */
export function patternBinders(p: Expr, out: Set<string>): void {
  switch (p.type) {
    case 'var':
      if (p.name !== '_') out.add(p.name);
      return;
    case 'cons':
      patternBinders(p.head, out);
      patternBinders(p.tail, out);
      return;
    case 'tuple':
      for (const x of p.elements) patternBinders(x, out);
      return;
    case 'match':
      patternBinders(p.left, out);
      patternBinders(p.right, out);
      return;
    case 'map':
      for (const a of p.assocs) patternBinders(a.value, out);
      return;
    case 'record':
      for (const f of p.fields) patternBinders(f.value, out);
      return;
    case 'bin':
      for (const el of p.elements) patternBinders(el.value, out);
      return;
    case 'op':
      if (p.op === '++') patternBinders(p.args[1], out);
      return;
    default:
      return;
  }
}

/** Variables a pattern uses without binding them: bit sizes and map keys. */
function patternUses(p: Expr, out: Set<string>): void {
  switch (p.type) {
    case 'cons':
      patternUses(p.head, out);
      patternUses(p.tail, out);
      return;
    case 'tuple':
      for (const x of p.elements) patternUses(x, out);
      return;
    case 'match':
      patternUses(p.left, out);
      patternUses(p.right, out);
      return;
    case 'map':
      for (const a of p.assocs) {
        exprVars(a.key, out);
        patternUses(a.value, out);
      }
      return;
    case 'record':
      for (const f of p.fields) patternUses(f.value, out);
      return;
    case 'bin':
      for (const el of p.elements) {
        if (el.size) exprVars(el.size, out);
        patternUses(el.value, out);
      }
      return;
    default:
      return;
  }
}

/** All variables an expression refers to, minus those bound by nested funs' heads and generators. */
export function exprVars(e: Expr, out: Set<string>): void {
  switch (e.type) {
    case 'var':
      if (e.name !== '_') out.add(e.name);
      return;
    case 'integer':
    case 'float':
    case 'char':
    case 'string':
    case 'atom':
    case 'nil':
    case 'record_index':
      return;
    case 'cons':
      exprVars(e.head, out);
      exprVars(e.tail, out);
      return;
    case 'tuple':
      for (const x of e.elements) exprVars(x, out);
      return;
    case 'bin':
      for (const el of e.elements) {
        exprVars(el.value, out);
        if (el.size) exprVars(el.size, out);
      }
      return;
    case 'map':
      if (e.base) exprVars(e.base, out);
      for (const a of e.assocs) {
        exprVars(a.key, out);
        exprVars(a.value, out);
      }
      return;
    case 'record':
      if (e.base) exprVars(e.base, out);
      for (const f of e.fields) exprVars(f.value, out);
      return;
    case 'record_field':
      exprVars(e.expr, out);
      return;
    case 'match':
      exprVars(e.left, out);
      exprVars(e.right, out);
      return;
    case 'op':
      for (const a of e.args) exprVars(a, out);
      return;
    case 'call':
      exprVars(e.fn, out);
      for (const a of e.args) exprVars(a, out);
      return;
    case 'remote':
      exprVars(e.module, out);
      exprVars(e.name, out);
      return;
    case 'lc':
    case 'bc': {
      // generator patterns bind fresh variables for the qualifiers after them and the template
      const inner = new Set<string>();
      const bound = new Set<string>();
      for (const q of e.quals) {
        if (q.type === 'filter') exprVars(q.expr, inner);
        else {
          const before = new Set<string>();
          exprVars(q.expr, before);
          for (const v of before) if (!bound.has(v)) out.add(v);
          patternUses(q.pattern, before);
          for (const v of before) if (!bound.has(v)) out.add(v);
          patternBinders(q.pattern, bound);
        }
      }
      exprVars(e.expr, inner);
      for (const v of inner) if (!bound.has(v)) out.add(v);
      return;
    }
    case 'block':
      for (const x of e.body) exprVars(x, out);
      return;
    case 'case':
      exprVars(e.expr, out);
      clausesVars(e.clauses, out);
      return;
    case 'if':
      clausesVars(e.clauses, out);
      return;
    case 'receive':
      clausesVars(e.clauses, out);
      if (e.after) {
        exprVars(e.after.timeout, out);
        for (const x of e.after.body) exprVars(x, out);
      }
      return;
    case 'try':
      for (const x of e.body) exprVars(x, out);
      clausesVars(e.clauses, out);
      clausesVars(e.catchClauses, out);
      for (const x of e.after) exprVars(x, out);
      return;
    case 'catch':
      exprVars(e.expr, out);
      return;
    case 'fun_ref':
      if (e.module) exprVars(e.module, out);
      exprVars(e.name, out);
      exprVars(e.arity, out);
      return;
    case 'fun':
      for (const v of freeVarsOfFun(e)) out.add(v);
      return;
  }
}

function clausesVars(cs: { patterns: Expr[]; guards: Expr[][]; body: Expr[] }[], out: Set<string>): void {
  for (const c of cs) {
    for (const p of c.patterns) exprVars(p, out);
    for (const g of c.guards) for (const t of g) exprVars(t, out);
    for (const b of c.body) exprVars(b, out);
  }
}
