// The code server: which modules are loaded and where their functions are.
//
// A module is loaded from a ModuleCode (what src/compile produces: its exports by 'name/arity');
// modules written in TypeScript live in the BIF registry (runtime/vm/bif_registry.ts) and count as
// loaded too. As in OTP a module has a current and an old version: loading again makes the
// current one old, purge drops the old one. Calling a module that is not loaded asks the loader
// hook (set by the CLI: find Mod.erl in the current directory or the -pa paths, compile, load) once,
// then fails with error:undef carrying the frame {Module, Name, Args, []}, which the shell prints as
// `undefined function mod:name/N`.

import { Atom, Term, Tuple, atom, binary, list, tuple, NIL, charlist } from './term.js';
import type { ErlFunction } from './term.js';
import type { CodeLookup } from './abi.js';
import { badarg, erlError } from './exception.js';
import { lookupBif, isBuiltinModule, bifsOf, builtinModules } from './bif_registry.js';
import { callTracing } from './call_trace.js';

/** A compiled module as the compiler hands it to the code server. */
export interface ModuleCode {
  readonly name: Atom;
  /** exported functions by 'name/arity' */
  readonly exports: ReadonlyMap<string, ErlFunction>;
  /** where it came from (code:is_loaded/1, code:which/1): a path, or a description */
  readonly file?: string;
  /** -attribute(...)s for module_info(attributes), as [{Key, Value}] */
  readonly attributes?: Term;
  /** module_info(compile) */
  readonly compileInfo?: Term;
  /** module_info(md5) and the hash funs carry */
  readonly md5?: Uint8Array;
}

/** A loaded version: the module plus a fast name → arity → function index. */
class Loaded {
  readonly byName = new Map<Atom, (ErlFunction | undefined)[]>();
  constructor(readonly code: ModuleCode) {
    for (const [key, fn] of code.exports) {
      const slash = key.lastIndexOf('/');
      const name = atom(key.slice(0, slash));
      const arity = Number(key.slice(slash + 1));
      let arr = this.byName.get(name);
      if (arr === undefined) this.byName.set(name, (arr = []));
      arr[arity] = fn;
    }
  }
  fn(name: Atom, arity: number): ErlFunction | undefined {
    return this.byName.get(name)?.[arity];
  }
}

const UNDEF = atom('undef');
const MODULE_INFO = atom('module_info');

/** A function that raises error:undef for Module:Name(Args) when called. */
function undefFn(module: Atom, name: Atom): ErlFunction {
  return function* (...args: Term[]) {
    throw erlError(UNDEF, list([tuple(module, name, list(args), NIL)]));
  };
}

/** A loader: load the module named `module` (compile its source, say) and report whether it did. */
export type Loader = (module: string) => boolean;

export class CodeServer implements CodeLookup {
  private readonly current = new Map<Atom, Loaded>();
  private readonly old = new Map<Atom, Loaded>();
  private loader: Loader | undefined;
  /** modules the loader failed to find, so a hot loop calling a missing module does not search the disk each time */
  private readonly missing = new Set<Atom>();
  /** bumped on every load/delete: callers caching lookups compare it */
  version = 0;

  setLoader(loader: Loader | undefined): void {
    this.loader = loader;
    this.missing.clear();
  }


  /** The code path changed: modules not found before may be found now. */
  forgetMissing(): void {
    this.missing.clear();
  }

  /** Load (or reload) a module: the current version becomes old. Returns the module name. */
  load(code: ModuleCode): Atom {
    const cur = this.current.get(code.name);
    if (cur !== undefined) this.old.set(code.name, cur);
    this.current.set(code.name, new Loaded(code));
    this.missing.delete(code.name);
    this.version++;
    return code.name;
  }

  /** Ask the loader for a module that is not loaded; true when it is loaded afterwards. */
  ensureLoaded(module: Atom): boolean {
    if (this.isLoaded(module)) return true;
    if (this.loader === undefined || this.missing.has(module)) return false;
    let ok = false;
    try {
      ok = this.loader(module.name);
    } finally {
      if (!ok || !this.isLoaded(module)) this.missing.add(module);
    }
    return this.isLoaded(module);
  }

  /** Load a module again from its source, whether it is loaded or not (code:load_file/1). */
  reload(module: Atom): boolean {
    if (this.loader === undefined) return false;
    this.missing.delete(module);
    let ok = false;
    try {
      ok = this.loader(module.name);
    } catch {
      ok = false;
    }
    return ok && this.current.has(module);
  }

  /** The exported function Module:Name/Arity, loading Module on first use; undefined when absent. */
  find(module: Atom, name: Atom, arity: number): ErlFunction | undefined {
    const f = this.lookup(module, name, arity);
    // a function with a trace pattern comes wrapped (runtime/vm/call_trace.ts)
    return f !== undefined && callTracing.on ? callTracing.wrap(module, name, arity, f) : f;
  }

  private lookup(module: Atom, name: Atom, arity: number): ErlFunction | undefined {
    const m = this.current.get(module);
    if (m !== undefined) {
      const f = m.fn(name, arity);
      if (f !== undefined) return f;
    }
    const b = this.bif(module, name, arity);
    if (b !== undefined) return b;
    if (m === undefined && !isBuiltinModule(module.name) && this.ensureLoaded(module)) {
      return this.lookup(module, name, arity);
    }
    // every loaded module answers module_info/0,1 (built-in ones through the code server)
    if (name === MODULE_INFO && (arity === 0 || arity === 1) && this.isLoaded(module)) return this.moduleInfoFn(module, arity);
    return undefined;
  }

  /** BIFs already found, by atoms: lookupBif's string key costs more than a hot call (erpc's M:F(A)) itself. */
  private readonly bifs = new Map<Atom, Map<Atom, ErlFunction[]>>();

  private bif(module: Atom, name: Atom, arity: number): ErlFunction | undefined {
    const known = this.bifs.get(module)?.get(name)?.[arity];
    if (known !== undefined) return known;
    const fn = lookupBif(module.name, name.name, arity)?.fn;
    if (fn === undefined) return undefined;
    let byName = this.bifs.get(module);
    if (byName === undefined) this.bifs.set(module, (byName = new Map()));
    let byArity = byName.get(name);
    if (byArity === undefined) byName.set(name, (byArity = []));
    byArity[arity] = fn;
    return fn;
  }

  private moduleInfoFn(module: Atom, arity: number): ErlFunction {
    const server = this;
    return function* (...args: Term[]) {
      const r = arity === 0 ? server.moduleInfoAll(module) : args[0] instanceof Atom ? server.moduleInfo(module, args[0]) : undefined;
      if (r === undefined) throw badarg('erlang', 'get_module_info', [module, ...args]);
      return r;
    };
  }

  /** CodeLookup for compiled code: always a function; a missing one raises error:undef when called. */
  fn(module: Atom, name: Atom, arity: number): ErlFunction {
    return this.find(module, name, arity) ?? undefFn(module, name);
  }

  isLoaded(module: Atom): boolean {
    return this.current.has(module) || isBuiltinModule(module.name);
  }

  /** The loaded compiled module (not built-ins), for funs and module_info. */
  module(module: Atom): ModuleCode | undefined {
    return this.current.get(module)?.code;
  }

  /** Where a loaded module came from: its file, or 'preloaded' for built-ins; undefined when not loaded. */
  which(module: Atom): string | undefined {
    const m = this.current.get(module);
    if (m !== undefined) return m.code.file ?? '';
    return isBuiltinModule(module.name) ? 'preloaded' : undefined;
  }

  /** All loaded modules, compiled and built in. */
  loaded(): Atom[] {
    const names = new Set<Atom>(this.current.keys());
    for (const b of builtinModules()) names.add(atom(b));
    return [...names];
  }

  hasOld(module: Atom): boolean {
    return this.old.has(module);
  }

  /** Drop the old version. True when there was one (code:purge/1). */
  purge(module: Atom): boolean {
    const had = this.old.delete(module);
    if (had) this.version++;
    return had;
  }

  /** Make the current version old (code:delete/1). False when there is no current version or an old one exists. */
  delete(module: Atom): boolean {
    const cur = this.current.get(module);
    if (cur === undefined || this.old.has(module)) return false;
    this.old.set(module, cur);
    this.current.delete(module);
    this.version++;
    return true;
  }

  /** Exported functions as [{Name, Arity}] (module_info(exports)). */
  exports(module: Atom): [Atom, number][] | undefined {
    const m = this.current.get(module);
    if (m !== undefined) {
      const out: [Atom, number][] = [];
      for (const [name, arr] of m.byName) arr.forEach((f, a) => f !== undefined && out.push([name, a]));
      return out;
    }
    if (isBuiltinModule(module.name)) return bifsOf(module.name).map((b) => [atom(b.name), b.arity]);
    return undefined;
  }

  /** Module:module_info(Item) for an item the module does not answer itself. */
  moduleInfo(module: Atom, item: Atom): Term | undefined {
    const ex = this.exports(module);
    if (ex === undefined) return undefined;
    const code = this.current.get(module)?.code;
    switch (item.name) {
      case 'module':
        return module;
      case 'exports':
      case 'functions':
        return list(ex.map(([n, a]) => tuple(n, a)));
      case 'attributes':
        return code?.attributes ?? NIL;
      case 'compile':
        return code?.compileInfo ?? NIL;
      case 'md5':
        return code?.md5 ? binary(code.md5) : atom('undefined');
      case 'nifs':
        return NIL;
      default:
        return undefined;
    }
  }

  /** module_info/0 */
  moduleInfoAll(module: Atom): Term | undefined {
    const items = ['module', 'exports', 'attributes', 'compile', 'md5'].map(atom);
    const pairs: Tuple[] = [];
    for (const it of items) {
      const v = this.moduleInfo(module, it);
      if (v === undefined) return undefined;
      pairs.push(tuple(it, v));
    }
    return list(pairs);
  }

  /** code:which/1's answer as a term. */
  whichTerm(module: Atom): Term {
    const w = this.which(module);
    if (w === undefined) return atom('non_existing');
    if (w === 'preloaded') return atom('preloaded');
    return charlist(w);
  }
}

/** The node's code server. */
export const codeServer = new CodeServer();
