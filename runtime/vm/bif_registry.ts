// The table of functions implemented in TypeScript: BIFs and the built-in modules (erlang, lists, io, ...).
// Each entry is an ErlFunction (a generator, callable like compiled code); a pure BIF also keeps its plain
// function so the compiler can call it directly (guards, operators, hot BIFs) without a generator.

import type { Term, ErlFunction } from './term.js';

export type PureBif = (...args: Term[]) => Term;

export interface BifEntry {
  readonly module: string;
  readonly name: string;
  readonly arity: number;
  readonly fn: ErlFunction;
  /** set for BIFs that never call Erlang code, never block and never touch the process */
  readonly pure?: PureBif;
  /** allowed in guards */
  readonly guard: boolean;
}

const table = new Map<string, Map<string, BifEntry>>();

function key(name: string, arity: number): string {
  return name + '/' + arity;
}

function put(e: BifEntry): void {
  let m = table.get(e.module);
  if (!m) table.set(e.module, (m = new Map()));
  m.set(key(e.name, e.arity), e);
}

/** A BIF that is a plain function of its arguments. */
export function defineBif(module: string, name: string, arity: number, impl: PureBif, opts: { guard?: boolean } = {}): void {
  const fn: ErlFunction = function* (...args: Term[]) {
    return impl(...args);
  };
  put({ module, name, arity, fn, pure: impl, guard: opts.guard ?? false });
}

/** A BIF that may call Erlang code, block in receive or yield (a generator, like compiled code). */
export function defineGenBif(module: string, name: string, arity: number, impl: ErlFunction): void {
  put({ module, name, arity, fn: impl, guard: false });
}

export function lookupBif(module: string, name: string, arity: number): BifEntry | undefined {
  return table.get(module)?.get(key(name, arity));
}

/** Is this module implemented (at least partly) in TypeScript? */
export function isBuiltinModule(module: string): boolean {
  return table.has(module);
}

/** All built-in functions of a module (module_info, completion, exports). */
export function bifsOf(module: string): BifEntry[] {
  return [...(table.get(module)?.values() ?? [])];
}

export function builtinModules(): string[] {
  return [...table.keys()];
}
