// compileModule: a module's forms → lint → one JavaScript source text → `new Function` once →
// the module's generator functions, exports, attributes and the means to rebuild its funs.

import { createHash } from 'node:crypto';
import type { Form, Clause } from '../ast.js';
import { Atom, Fun, Term, atom, charlist, list, tuple, NIL, binary } from '../../runtime/vm/term.js';
import type { ErlFunction } from '../../runtime/vm/term.js';
import { CompileError, ModuleCtx, RecordDef, identPart, jsString } from './context.js';
import { neverReturning } from './never_returns.js';
import { compileFunction } from './fun.js';
import { mayReturnTailCall } from './expr.js';
import { fastFunctions } from './fast.js';
import { constValue } from './literal.js';
import { Diagnostic, diagError, sortDiagnostics } from './diagnostic.js';
import { H, prelude } from './helpers.js';
import { lintModule } from './lint.js';
import { applyParseTransforms } from './parse_transform.js';
import type { CompileRuntime, FrameInfo } from './support.js';
import { moduleScriptURL, registerModuleScript } from './callers.js';
import { nodeRuntime } from './node_runtime.js';

export type { CompileRuntime } from './support.js';
export type { Diagnostic } from './diagnostic.js';

export interface CompiledModule {
  readonly name: Atom;
  readonly file: string;
  /** exported functions by 'name/arity' (module_info/0,1 included) */
  readonly exports: Map<string, ErlFunction>;
  /** every function by 'name/arity' */
  readonly functions: Map<string, ErlFunction>;
  /** module_info(attributes): [{Name, [Value]}] */
  readonly attributes: Term;
  /** module_info(compile) */
  readonly compileInfo: Term;
  /** hash of the module (the uniq of its funs) */
  readonly md5: Uint8Array;
  /** the 32-bit fun uniq derived from md5 */
  readonly uniq: number;
  readonly records: Map<string, RecordDef>;
  /** Rebuild fun number `index` of this module with its free variables (NEW_FUN_EXT); undefined when unknown. */
  makeFun(index: number, free: Term[]): Fun | undefined;
  /** the module's funs by index: the name OTP's compiler gives each ('-f/1-fun-0-', or f for fun f/1), its arity and free variable count */
  readonly lambdas: readonly Lambda[];
  /** the generated JavaScript (for debugging, and what a precompiled module keeps) */
  readonly js: string;
  /** what the module is made of besides its JavaScript (src/compile/precompiled.ts keeps it too) */
  readonly shape: ModuleShape;
  /** rebinds one of its functions (see relinkSource); absent in code compiled before it existed */
  readonly relink?: Relink;
}

/** Put a function in place of the module's function of that JavaScript name; returns the one replaced. */
export type Relink = (js: string, fn: unknown) => unknown;

/** What makes a module from its JavaScript, besides the JavaScript: all of it plain data, so a build can keep it. */
export interface ModuleShape {
  name: string;
  /** the exported functions, 'name/arity', in the order they are defined (module_info's aside) */
  exports: string[];
  /** module_info(attributes) less vsn: [{Name, [Value]}] */
  attributes: Term[];
  records: Map<string, RecordDef>;
  /** every function, module_info's included, as module_info(functions) lists them */
  functions: [string, number][];
  /** the module's funs, by index */
  lambdas: Lambda[];
  md5: Uint8Array;
  uniq: number;
}

export interface Lambda {
  name: string | undefined;
  arity: number;
  free: number;
}

export type CompileResult =
  | { ok: true; module: CompiledModule; warnings: Diagnostic[] }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

export interface CompileOptions {
  /** the module's source text, hashed for md5 (the forms are hashed otherwise) */
  source?: string;
  /** what the code closes over; this node's scheduler, code server and send by default */
  runtime?: Partial<CompileRuntime>;
}

/** Attributes that are part of the language, not kept in module_info(attributes). */
const LANGUAGE_ATTRIBUTES = new Set([
  'module',
  'export',
  'import',
  'compile',
  'record',
  'file',
  'spec',
  'type',
  'opaque',
  'callback',
  'export_type',
  'optional_callbacks',
  'define',
  'ifdef',
  'ifndef',
  'endif',
  'else',
  'include',
  'include_lib',
  'undef',
  'nifs',
  'fun_index',
  'fun_uniq',
]);

/** Compile a module's forms; the third argument is the options, or just the source text. */
export function compileModule(forms0: Form[], file: string, options: CompileOptions | string = {}): CompileResult {
  const opts: CompileOptions = typeof options === 'string' ? { source: options } : options;
  const transformed = applyParseTransforms(forms0);
  if ('error' in transformed) return { ok: false, errors: [transformed.error], warnings: [] };
  const forms = transformed.forms;
  const rt = nodeRuntime(false, opts.runtime);
  const lint = lintModule(forms, file);
  if (lint.errors.length > 0) return { ok: false, errors: lint.errors, warnings: lint.warnings };
  try {
    const module = build(forms, file, rt, opts);
    return { ok: true, module, warnings: lint.warnings };
  } catch (err) {
    if (err instanceof CompileError) return { ok: false, errors: [diagError(err.pos, err.message)], warnings: lint.warnings };
    throw err;
  }
}

interface FunctionForm {
  name: string;
  arity: number;
  clauses: Clause[];
  line: number;
}

/** What a module's forms declare: its name, exports, imports, records, attributes and functions. */
interface ModuleForms {
  name: string;
  exported: Set<string>;
  exportAll: boolean;
  records: Map<string, RecordDef>;
  functions: FunctionForm[];
  attributes: Term[];
  imports: Map<string, string>;
  noAuto: Set<string>;
}

/** A module in four steps: read its forms, set up the context, write its JavaScript, then make it with its module_info. */
function build(forms: Form[], file: string, rt: CompileRuntime, opts: CompileOptions): CompiledModule {
  const m = readForms(forms);
  const md5 = createHash('md5')
    .update(opts.source ?? JSON.stringify(forms))
    .digest();
  // a library module written to stand for OTP's may fix its funs' uniq and indexes, so that they
  // print as erl prints them (#Fun<rand.0.34006561>) and name the same funs on the wire:
  // -fun_uniq(U). -fun_index([{Name, Arity, Index}, ...]).
  const fixedUniq = attributeValue(forms, 'fun_uniq');
  const uniq = typeof fixedUniq === 'number' ? fixedUniq : md5.readUInt32BE(0) & 0x7ffffff;
  const mod = moduleContext(m, file);
  for (const t of listItems(attributeValue(forms, 'fun_index') ?? NIL) ?? []) {
    const [n, a, i] = (t as { elements?: Term[] }).elements ?? [];
    if (n instanceof Atom && typeof a === 'number' && typeof i === 'number') mod.funIndexes.set(n.name + '/' + a, i);
  }
  if (mod.funIndexes.size > 0) mod.funCount = Math.max(...mod.funIndexes.values()) + 1;
  const src = moduleSource(m, mod, uniq);
  const shape: ModuleShape = {
    name: m.name,
    exports: m.functions.map((f) => f.name + '/' + f.arity).filter((k) => m.exportAll || m.exported.has(k)),
    attributes: m.attributes,
    records: m.records,
    functions: [...mod.localFns.values()].map((l) => [l.name, l.arity]),
    lambdas: mod.funTable.map((f) => ({ name: f.name, arity: f.arity, free: f.free })),
    md5: new Uint8Array(md5),
    uniq,
  };
  return instantiate(shape, file, src, rt);
}

/** Step 1: the declarations of the forms. */
function readForms(forms: Form[]): ModuleForms {
  const m: ModuleForms = {
    name: '',
    exported: new Set(),
    exportAll: false,
    records: new Map(),
    functions: [],
    attributes: [],
    imports: new Map(),
    noAuto: new Set(),
  };
  for (const f of forms) {
    switch (f.type) {
      case 'module':
        m.name = f.name;
        break;
      case 'export':
        for (const [n, a] of f.functions) m.exported.add(n + '/' + a);
        break;
      case 'import':
        for (const [n, a] of f.functions) m.imports.set(n + '/' + a, f.module);
        break;
      case 'compile': {
        const v = constValue(f.options);
        for (const opt of v instanceof Object && 'head' in v ? (listItems(v) ?? []) : v !== undefined ? [v] : []) {
          if (opt instanceof Atom && opt.name === 'export_all') m.exportAll = true;
          if (isTuple2(opt, 'no_auto_import')) {
            for (const fa of listItems((opt as { elements: Term[] }).elements[1]) ?? []) {
              const els = (fa as { elements?: Term[] }).elements;
              if (els && els[0] instanceof Atom) m.noAuto.add(els[0].name + '/' + String(els[1]));
            }
          }
        }
        break;
      }
      case 'record':
        m.records.set(f.name, { name: f.name, fields: f.fields });
        break;
      case 'attribute': {
        if (LANGUAGE_ATTRIBUTES.has(f.name)) break;
        const v = f.value ? constValue(f.value) : undefined;
        if (v === undefined) break;
        m.attributes.push(tuple(atom(f.name), v === NIL || isListTerm(v) ? v : list([v])));
        break;
      }
      case 'function':
        m.functions.push({ name: f.name, arity: f.arity, clauses: f.clauses, line: f.pos.line });
        break;
    }
  }
  return m;
}

/** Step 2: the compile context: local functions, which may return a tail call, which get a plain version. */
function moduleContext(m: ModuleForms, file: string): ModuleCtx {
  const mod = new ModuleCtx(m.name, file, m.records, false);
  for (const [k, im] of m.imports) mod.imports.set(k, im);
  for (const k of m.noAuto) mod.noAutoImport.add(k);
  m.functions.forEach((f, i) => {
    mod.localFns.set(f.name + '/' + f.arity, { name: f.name, arity: f.arity, js: `f${i}_${identPart(f.name)}_${f.arity}`, mayTail: true });
  });
  mod.localFns.set('module_info/0', { name: 'module_info', arity: 0, js: 'f_module_info_0', mayTail: false });
  mod.localFns.set('module_info/1', { name: 'module_info', arity: 1, js: 'f_module_info_1', mayTail: false });
  for (const f of m.functions) {
    const local = mod.localFn(f.name, f.arity)!;
    local.mayTail = f.clauses.some((c) => mayReturnTailCall(mod, c.body, { name: f.name, arity: f.arity }));
  }
  for (const k of neverReturning(mod, m.functions)) mod.localFns.get(k)!.neverReturns = true;
  for (const k of fastFunctions(mod, m.functions)) {
    const local = mod.localFns.get(k)!;
    local.fastJs = local.js + '$plain';
    const f = m.functions.find((g) => g.name + '/' + g.arity === k)!;
    local.fastMayTail = f.clauses.some((c) => mayReturnTailCall(mod, c.body, undefined));
  }
  return mod;
}

/** Step 3: the module's JavaScript: a function body taking H (helpers), R (the runtime) and MI (module_info). */
function moduleSource(m: ModuleForms, mod: ModuleCtx, uniq: number): string {
  const bodies = m.functions.map((f) => compileFunction(mod, f.name, f.arity, f.clauses, f.line));
  const table = [...mod.localFns.values()].map((l) => `${jsString(l.name + '/' + l.arity)}: ${l.js}`);
  return [
    '"use strict";',
    prelude(),
    `const MOD = atom(${jsString(m.name)}), UNIQ = ${uniq}, MD5 = MI.md5;`,
    ...mod.decls,
    ...bodies,
    'function* f_module_info_0() { return MI.all(); }',
    'function* f_module_info_1(a0) { return MI.get(a0); }',
    ...mod.topLevel,
    // a plain version knows its generator version (see plainResume)
    ...[...mod.localFns.values()].filter((l) => l.fastJs).map((l) => `${l.fastJs}.gen = ${l.js};`),
    relinkSource(mod),
    `return { functions: { ${table.join(', ')} }, funs: [${mod.funTable.map((f) => f.factory).join(', ')}], relink: RELINK, ` +
      `frames: { ${mod.jsFrames.map((f) => `${jsString(f.js)}: ${f.frame}`).join(', ')} }, ` +
      `inlined: [${mod.jsFrames.filter((f) => f.inlined).map((f) => jsString(f.js)).join(', ')}] };`,
  ].join('\n');
}

/**
 * RELINK(js, fn): put fn in place of the module's function named js (its generator or plain
 * version) and return what was there. Local calls name these bindings, so every caller, running
 * or not, calls fn from then on: local call tracing (src/compile/trace_instrument.ts) uses it.
 */
function relinkSource(mod: ModuleCtx): string {
  const names = [...mod.localFns.values()].flatMap((l) => (l.fastJs ? [l.js, l.fastJs] : [l.js]));
  const cases = names.map((n) => `case ${jsString(n)}: { const o = ${n}; ${n} = fn; return o; }`);
  return `function RELINK(js, fn) { switch (js) { ${cases.join(' ')} } return undefined; }`;
}

/** Step 4: module_info's answers, and the module made from its source (also how a precompiled module is loaded). */
export function instantiate(shape: ModuleShape, file: string, src: string, rt: CompileRuntime = nodeRuntime(false)): CompiledModule {
  const { name, attributes, records, md5, uniq } = shape;
  const exported = new Set(shape.exports);
  const exportList = (): Term =>
    list(
      // in the order the functions are defined, as BEAM lists them (eunit runs tests in this order)
      [...shape.exports, 'module_info/0', 'module_info/1'].map((k) => {
        const slash = k.lastIndexOf('/');
        return tuple(atom(k.slice(0, slash)), Number(k.slice(slash + 1)));
      }),
    );
  const vsn = BigInt('0x' + Buffer.from(md5).toString('hex'));
  const attrs = attributes.some((a) => (a as { elements: Term[] }).elements[0] === atom('vsn'))
    ? list(attributes)
    : list([tuple(atom('vsn'), list([vsn <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(vsn) : vsn])), ...attributes]);
  const compileInfo = list([
    tuple(atom('version'), charlist('8.2.3')),
    tuple(atom('options'), NIL),
    tuple(atom('source'), charlist(file)),
  ]);
  const info: Record<string, () => Term> = {
    module: () => atom(name),
    exports: exportList,
    attributes: () => attrs,
    compile: () => compileInfo,
    md5: () => binary(md5),
    functions: () => list(shape.functions.map(([n, a]) => tuple(atom(n), a))),
    nifs: () => NIL,
  };
  const MI = {
    md5,
    all: (): Term => list(['module', 'exports', 'attributes', 'compile', 'md5'].map((k) => tuple(atom(k), info[k]()))),
    get: (item: Term): Term => {
      const f = item instanceof Atom ? info[item.name] : undefined;
      if (f === undefined) throw H.fnClause(H.frameInfo('erlang', 'get_module_info', 2, 'erlang.erl', 0), [atom(name), item]);
      return f();
    },
  };

  const url = moduleScriptURL(name);
  const made = new Function('H', 'R', 'MI', `${src}\n//# sourceURL=${url}`)(H, rt, MI) as {
    functions: Record<string, ErlFunction>;
    funs: ((...free: Term[]) => Fun)[];
    relink?: Relink;
    /** absent from a module compiled before callers.ts */
    frames?: Record<string, FrameInfo>;
    inlined?: string[];
  };
  registerModuleScript(url, name, src, made.frames, made.inlined);
  const all = new Map(Object.entries(made.functions));
  const exports = new Map<string, ErlFunction>();
  for (const [k, fn] of all) {
    if (exported.has(k) || k === 'module_info/0' || k === 'module_info/1') exports.set(k, fn);
  }
  return {
    name: atom(name),
    file,
    exports,
    functions: all,
    attributes: attrs,
    compileInfo,
    md5,
    uniq,
    records,
    makeFun(index: number, free: Term[]): Fun | undefined {
      const f = made.funs[index];
      if (f === undefined || shape.lambdas[index]?.free !== free.length) return undefined;
      return f(...free);
    },
    lambdas: shape.lambdas,
    js: src,
    shape,
    relink: made.relink,
  };
}

/** The value of the module's -Name(Value). attribute, or undefined. */
function attributeValue(forms: Form[], name: string): Term | undefined {
  const f = forms.find((x) => x.type === 'attribute' && x.name === name);
  return f?.type === 'attribute' && f.value ? constValue(f.value) : undefined;
}

function listItems(t: Term): Term[] | undefined {
  const out: Term[] = [];
  while (t instanceof Object && 'head' in t) {
    out.push((t as { head: Term }).head);
    t = (t as { tail: Term }).tail;
  }
  return t === NIL ? out : undefined;
}

function isListTerm(t: Term): boolean {
  return t instanceof Object && 'head' in t;
}

function isTuple2(t: Term, tag: string): boolean {
  const els = (t as { elements?: Term[] }).elements;
  return els !== undefined && els.length === 2 && els[0] === atom(tag);
}

export { sortDiagnostics };
