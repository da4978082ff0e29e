// The table of functions implemented in TypeScript: BIFs and the built-in modules (erlang, lists, io, ...).
// Each entry is an ErlFunction (a generator, callable like compiled code); a pure BIF also keeps its plain
// function so the compiler can call it directly (guards, operators, hot BIFs) without a generator.
// Every function has exactly one definition: a second one is refused when it is made (at startup,
// as the library's files load), with both places named.

import type { Term, ErlFunction } from './term.js';

export type PureBif = (...args: Term[]) => Term;

export interface BifEntry {
  readonly module: string;
  readonly name: string;
  readonly arity: number;
  readonly fn: ErlFunction;
  /** set for BIFs that never call Erlang code, never block and never touch the process */
  readonly pure?: PureBif;
  /**
   * set for BIFs that never call Erlang code and never yield but act on the running process or the
   * node (monitor, send, link): compiled code calls this plain function instead of the generator
   */
  readonly direct?: PureBif;
  /** allowed in guards */
  readonly guard: boolean;
}

const table = new Map<string, Map<string, BifEntry>>();
/** where each entry was defined: a captured stack, read only to name the place of a second definition */
const places = new WeakMap<BifEntry, { stack?: string }>();

function key(name: string, arity: number): string {
  return name + '/' + arity;
}

/** A second definition of a function: a mistake in the library, never an Erlang error. */
export class DuplicateBifError extends Error {
  constructor(module: string, name: string, arity: number, first: string, second: string) {
    super(`${module}:${name}/${arity} is defined twice: at ${first} and again at ${second}`);
    this.name = 'DuplicateBifError';
  }
}

/**
 * Whether every definition keeps its place: when running from source (tests, development), where a
 * second definition is written and must be found. The built node keeps none: the build boots it, so
 * a second definition stops the build (naming its own place), and a thousand kept stacks are some
 * 0.7 MB of every idle node.
 */
const KEEP_PLACES = import.meta.url.endsWith('.ts');

/** The place of the call to `definer`: a stack of the two frames below it. */
function capturePlace(definer: (...args: never[]) => void): { stack?: string } {
  const where: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 2;
  Error.captureStackTrace(where, definer);
  Error.stackTraceLimit = limit;
  return where;
}

/** Enter e; `definer` is the exported function called, so the stack starts in the file that called it. */
function put(e: BifEntry, definer: (...args: never[]) => void): void {
  let m = table.get(e.module);
  if (!m) table.set(e.module, (m = new Map()));
  const k = key(e.name, e.arity);
  const old = m.get(k);
  if (old !== undefined) throw new DuplicateBifError(e.module, e.name, e.arity, placeOf(places.get(old)), placeOf(capturePlace(definer)));
  m.set(k, e);
  if (KEEP_PLACES) places.set(e, capturePlace(definer));
}

/**
 * The place a captured stack names, file:line:column of the call to defineBif, with the line that
 * called it when that is in the same file (a module's local helper, `bif(...)`).
 */
function placeOf(where: { stack?: string } | undefined): string {
  const [first, second] = (where?.stack ?? '').split('\n').slice(1, 3).map(frameLocation);
  if (first === undefined) return 'an unknown place';
  if (second === undefined || fileOf(second) !== fileOf(first)) return first;
  return `${first} (called from line ${second.slice(fileOf(second).length + 1).split(':')[0]})`;
}

function frameLocation(frame: string): string {
  const m = /\(([^()]*)\)\s*$/.exec(frame) ?? /at (.*)$/.exec(frame);
  return (m?.[1] ?? frame).trim();
}

function fileOf(location: string): string {
  return location.replace(/:\d+:\d+$/, '');
}

export interface DefineOptions {
  /** a shared helper that defines BIFs (erts/bif.ts): a second definition is placed where it was called */
  definer?: (...args: never[]) => void;
}

/** A BIF that is a plain function of its arguments. */
export function defineBif(module: string, name: string, arity: number, impl: PureBif, opts: DefineOptions & { guard?: boolean } = {}): void {
  const fn: ErlFunction = function* (...args: Term[]) {
    return impl(...args);
  };
  put({ module, name, arity, fn, pure: impl, guard: opts.guard ?? false }, opts.definer ?? defineBif);
}

/**
 * A BIF of the running process that returns at once (it never yields nor calls Erlang code), with
 * effects a pure BIF must not have: a plain function for compiled code, a generator for the rest.
 */
export function defineDirectBif(module: string, name: string, arity: number, impl: PureBif, opts: DefineOptions = {}): void {
  const fn: ErlFunction = function* (...args: Term[]) {
    return impl(...args);
  };
  put({ module, name, arity, fn, direct: impl, guard: false }, opts.definer ?? defineDirectBif);
}

/** A BIF that may call Erlang code, block in receive or yield (a generator, like compiled code). */
export function defineGenBif(module: string, name: string, arity: number, impl: ErlFunction, opts: DefineOptions = {}): void {
  put({ module, name, arity, fn: impl, guard: false }, opts.definer ?? defineGenBif);
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
