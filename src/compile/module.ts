// compileModule: a module's forms → lint → one JavaScript source text → `new Function` once →
// the module's generator functions, exports, attributes and the means to rebuild its funs.

import { parseTransforms } from './parse_transforms.js';
import { createHash } from 'node:crypto';
import type { Form, Clause } from '../ast.js';
import { Atom, Fun, Term, atom, charlist, list, tuple, NIL, binary } from '../../runtime/term.js';
import type { ErlFunction } from '../../runtime/term.js';
import { CompileError, ModuleCtx, RecordDef, identPart, jsString } from './context.js';
import { compileFunction } from './fun.js';
import { mayReturnTailCall } from './expr.js';
import { fastFunctions } from './fast.js';
import { constValue } from './literal.js';
import { Diagnostic, diagError, sortDiagnostics } from './diagnostic.js';
import { H, prelude } from './helpers.js';
import { lintModule } from './lint.js';
import type { CompileRuntime } from './support.js';
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
  /** the generated JavaScript (for debugging) */
  readonly js: string;
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
]);

/** Compile a module's forms; the third argument is the options, or just the source text. */
export function compileModule(forms0: Form[], file: string, options: CompileOptions | string = {}): CompileResult {
  const opts: CompileOptions = typeof options === 'string' ? { source: options } : options;
  const transformed = parseTransforms(forms0);
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

function build(forms: Form[], file: string, rt: CompileRuntime, opts: CompileOptions): CompiledModule {
  let name = '';
  const exported = new Set<string>();
  let exportAll = false;
  const records = new Map<string, RecordDef>();
  const functions: FunctionForm[] = [];
  const attributes: Term[] = [];
  const imports = new Map<string, string>();
  const noAuto = new Set<string>();
  for (const f of forms) {
    switch (f.type) {
      case 'module':
        name = f.name;
        break;
      case 'export':
        for (const [n, a] of f.functions) exported.add(n + '/' + a);
        break;
      case 'import':
        for (const [n, a] of f.functions) imports.set(n + '/' + a, f.module);
        break;
      case 'compile': {
        const v = constValue(f.options);
        for (const opt of v instanceof Object && 'head' in v ? (listItems(v) ?? []) : v !== undefined ? [v] : []) {
          if (opt instanceof Atom && opt.name === 'export_all') exportAll = true;
          if (isTuple2(opt, 'no_auto_import')) {
            for (const fa of listItems((opt as { elements: Term[] }).elements[1]) ?? []) {
              const els = (fa as { elements?: Term[] }).elements;
              if (els && els[0] instanceof Atom) noAuto.add(els[0].name + '/' + String(els[1]));
            }
          }
        }
        break;
      }
      case 'record':
        records.set(f.name, { name: f.name, fields: f.fields });
        break;
      case 'attribute': {
        if (LANGUAGE_ATTRIBUTES.has(f.name)) break;
        const v = f.value ? constValue(f.value) : undefined;
        if (v === undefined) break;
        attributes.push(tuple(atom(f.name), v === NIL || isListTerm(v) ? v : list([v])));
        break;
      }
      case 'function':
        functions.push({ name: f.name, arity: f.arity, clauses: f.clauses, line: f.pos.line });
        break;
    }
  }
  const md5 = createHash('md5')
    .update(opts.source ?? JSON.stringify(forms))
    .digest();
  const md5Bytes = new Uint8Array(md5);
  const uniq = md5.readUInt32BE(0) & 0x7ffffff;

  const mod = new ModuleCtx(name, file, records, false);
  for (const [k, m] of imports) mod.imports.set(k, m);
  for (const k of noAuto) mod.noAutoImport.add(k);
  functions.forEach((f, i) => {
    mod.localFns.set(f.name + '/' + f.arity, { name: f.name, arity: f.arity, js: `f${i}_${identPart(f.name)}_${f.arity}`, mayTail: true });
  });
  mod.localFns.set('module_info/0', { name: 'module_info', arity: 0, js: 'f_module_info_0', mayTail: false });
  mod.localFns.set('module_info/1', { name: 'module_info', arity: 1, js: 'f_module_info_1', mayTail: false });
  for (const f of functions) {
    const local = mod.localFn(f.name, f.arity)!;
    local.mayTail = f.clauses.some((c) => mayReturnTailCall(mod, c.body, { name: f.name, arity: f.arity }));
  }
  for (const k of fastFunctions(mod, functions)) {
    const local = mod.localFns.get(k)!;
    local.fastJs = local.js + '$plain';
  }

  const bodies = functions.map((f) => compileFunction(mod, f.name, f.arity, f.clauses, f.line));
  const table = [...mod.localFns.values()].map((l) => `${jsString(l.name + '/' + l.arity)}: ${l.js}`);
  const src = [
    '"use strict";',
    prelude(),
    `const MOD = atom(${jsString(name)}), UNIQ = ${uniq}, MD5 = MI.md5;`,
    ...mod.decls,
    ...bodies,
    'function* f_module_info_0() { return MI.all(); }',
    'function* f_module_info_1(a0) { return MI.get(a0); }',
    ...mod.topLevel,
    // a plain version knows its generator version (see plainResume)
    ...[...mod.localFns.values()].filter((l) => l.fastJs).map((l) => `${l.fastJs}.gen = ${l.js};`),
    `return { functions: { ${table.join(', ')} }, funs: [${mod.funTable.map((f) => f.factory).join(', ')}] };`,
  ].join('\n');

  const exportList = (): Term =>
    list(
      [...(exportAll ? functions.map((f) => f.name + '/' + f.arity) : [...exported]), 'module_info/0', 'module_info/1'].map((k) => {
        const slash = k.lastIndexOf('/');
        return tuple(atom(k.slice(0, slash)), Number(k.slice(slash + 1)));
      }),
    );
  const vsn = BigInt('0x' + md5.toString('hex'));
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
    md5: () => binary(md5Bytes),
    functions: () =>
      list([...mod.localFns.values()].map((l) => tuple(atom(l.name), l.arity))),
    nifs: () => NIL,
  };
  const MI = {
    md5: md5Bytes,
    all: (): Term => list(['module', 'exports', 'attributes', 'compile', 'md5'].map((k) => tuple(atom(k), info[k]()))),
    get: (item: Term): Term => {
      const f = item instanceof Atom ? info[item.name] : undefined;
      if (f === undefined) throw H.fnClause(H.frameInfo('erlang', 'get_module_info', 2, 'erlang.erl', 0), [atom(name), item]);
      return f();
    },
  };

  const made = new Function('H', 'R', 'MI', src)(H, rt, MI) as {
    functions: Record<string, ErlFunction>;
    funs: ((...free: Term[]) => Fun)[];
  };
  const all = new Map(Object.entries(made.functions));
  const exports = new Map<string, ErlFunction>();
  for (const [k, fn] of all) {
    if (exportAll || exported.has(k) || k === 'module_info/0' || k === 'module_info/1') exports.set(k, fn);
  }
  return {
    name: atom(name),
    file,
    exports,
    functions: all,
    attributes: attrs,
    compileInfo,
    md5: md5Bytes,
    uniq,
    records,
    makeFun(index: number, free: Term[]): Fun | undefined {
      const f = made.funs[index];
      const d = mod.funTable[index];
      if (f === undefined || d === undefined || d.free !== free.length) return undefined;
      return f(...free);
    },
    js: src,
  };
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
