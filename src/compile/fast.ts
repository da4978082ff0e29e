// Pure functions get a second, plain-JS version: generators cost an object per call, and a
// function that only computes (arithmetic, data, pure BIFs, calls to other such functions) never
// needs to suspend. Its generator version first runs the plain one. Plain code counts reductions
// too: tail calls come back to the generator caller as TailCalls (and a self tail call loop does
// when its slice is used up), which runs them and yields between them, so loops stay preemptible.
// Body recursion cannot give way: every FAST_OVERRUN reductions past its slice it looks at the
// clock (support.ts overrun), and once it has been over for longer than it may be (0.1 s while
// others wait to run, 1 s when none does), or when the JS stack runs out, plain code throws
// SLOWDOWN; nothing it did is visible (it is pure), so the generator version starts the call again,
// and the process stays on the generator path for a while (a second) before it tries plain code again.

import type { Clause, Expr } from '../ast.js';
import type { ModuleCtx } from './context.js';
import { resolveCall } from './expr.js';

/** How many reductions past the end of its slice plain code runs between looks at the clock. */
export const FAST_OVERRUN = 2_000_000;

interface Scan {
  ok: boolean;
  calls: Set<string>;
  /** a named fun being scanned: calls to its own name are calls to itself */
  selfFun?: { name: string; arity: number };
}

/** The module's functions that can have a plain version (name/arity keys). */
export function fastFunctions(mod: ModuleCtx, fns: { name: string; arity: number; clauses: Clause[] }[]): Set<string> {
  const scans = new Map<string, Scan>();
  for (const f of fns) {
    const s: Scan = { ok: true, calls: new Set() };
    for (const c of f.clauses) {
      for (const p of c.patterns) walk(mod, p, s);
      for (const g of c.guards) for (const t of g) walk(mod, t, s);
      for (const b of c.body) walk(mod, b, s);
    }
    scans.set(f.name + '/' + f.arity, s);
  }
  const fast = new Set([...scans].filter(([, s]) => s.ok).map(([k]) => k));
  // a function calling one that cannot be plain cannot be plain either
  for (let changed = true; changed; ) {
    changed = false;
    for (const k of fast) {
      for (const callee of scans.get(k)!.calls) {
        if (!fast.has(callee)) {
          fast.delete(k);
          changed = true;
          break;
        }
      }
    }
  }
  return fast;
}

/**
 * Can this named fun have a plain version? Its body must be pure and call no fun but itself (a
 * fun typed at the shell, fun F(0) -> 0; F(N) -> ... F(N - 1) ... end, runs as plain JS then).
 */
export function fastFun(mod: ModuleCtx, e: Expr & { type: 'fun' }): boolean {
  if (e.name === undefined || e.clauses.length === 0) return false;
  const s: Scan = { ok: true, calls: new Set(), selfFun: { name: e.name, arity: e.clauses[0].patterns.length } };
  clauses(mod, e.clauses, s);
  // a call to a module function would need that function's plain version: not taken here
  return s.ok && s.calls.size === 0;
}

function walk(mod: ModuleCtx, e: Expr, s: Scan): void {
  if (!s.ok) return;
  switch (e.type) {
    case 'receive':
      s.ok = false;
      return;
    case 'op':
      if (e.op === '!') {
        s.ok = false;
        return;
      }
      for (const a of e.args) walk(mod, a, s);
      return;
    case 'call': {
      if (e.fn.type === 'atom' && e.fn.value === 'record_info' && e.args.length === 2) return;
      if (s.selfFun && e.fn.type === 'var' && e.fn.name === s.selfFun.name && e.args.length === s.selfFun.arity) {
        for (const a of e.args) walk(mod, a, s);
        return;
      }
      let t;
      try {
        t = resolveCall(mod, e.fn, e.args.length, false);
      } catch {
        s.ok = false;
        return;
      }
      if (t.kind === 'local') s.calls.add(t.fn.name + '/' + t.fn.arity);
      else if ((t.kind !== 'pure' && t.kind !== 'typetest') || !replaySafe(mod, e)) {
        s.ok = false;
        return;
      }
      for (const a of e.args) walk(mod, a, s);
      return;
    }
    case 'fun':
      // making a fun is pure; its body runs elsewhere
      return;
    case 'fun_ref':
      return;
    case 'cons':
      walk(mod, e.head, s);
      walk(mod, e.tail, s);
      return;
    case 'tuple':
      for (const x of e.elements) walk(mod, x, s);
      return;
    case 'bin':
      for (const el of e.elements) {
        walk(mod, el.value, s);
        if (el.size) walk(mod, el.size, s);
      }
      return;
    case 'map':
      if (e.base) walk(mod, e.base, s);
      for (const a of e.assocs) {
        walk(mod, a.key, s);
        walk(mod, a.value, s);
      }
      return;
    case 'record':
      if (e.base) walk(mod, e.base, s);
      for (const f of e.fields) walk(mod, f.value, s);
      // defaults are evaluated where the record is built
      for (const f of mod.records.get(e.name)?.fields ?? []) if (f.default) walk(mod, f.default, s);
      return;
    case 'record_field':
      walk(mod, e.expr, s);
      return;
    case 'match':
      walk(mod, e.left, s);
      walk(mod, e.right, s);
      return;
    case 'lc':
    case 'bc':
      walk(mod, e.expr, s);
      for (const q of e.quals) {
        if (q.type === 'filter') walk(mod, q.expr, s);
        else {
          walk(mod, q.pattern, s);
          walk(mod, q.expr, s);
        }
      }
      return;
    case 'block':
      for (const x of e.body) walk(mod, x, s);
      return;
    case 'case':
      walk(mod, e.expr, s);
      clauses(mod, e.clauses, s);
      return;
    case 'if':
      clauses(mod, e.clauses, s);
      return;
    case 'try':
      for (const x of e.body) walk(mod, x, s);
      clauses(mod, e.clauses, s);
      clauses(mod, e.catchClauses, s);
      for (const x of e.after) walk(mod, x, s);
      return;
    case 'catch':
      walk(mod, e.expr, s);
      return;
    case 'remote':
      s.ok = false;
      return;
    default:
      return;
  }
}

/** BIFs with effects outside the process: a plain version restarted after SLOWDOWN would do them twice. */
const UNSAFE_MODULES = new Set(['os', 'code', 'timer', 'file', 'io']);
const UNSAFE_ERLANG = new Set(['delete_module', 'check_old_code', 'purge_module', 'load_module', 'halt']);
/**
 * Modules whose BIFs change state outside the process (tables, counters, terms kept for the node,
 * zlib and crypto streams): only these of their functions may run again (ets:update_counter run
 * twice counts twice, zlib:deflate run twice compresses the data twice).
 */
const RUN_AGAIN_SAFE = new Map([
  [
    'ets',
    new Set([
      'lookup', 'lookup_element', 'member', 'first', 'last', 'next', 'prev', 'slot', 'info', 'match', 'match_object',
      'select', 'select_reverse', 'select_count', 'tab2list', 'whereis', 'all', 'is_compiled_ms', 'match_spec_compile',
      'match_spec_run', 'match_spec_run_r', 'repair_continuation', 'test_ms',
    ]),
  ],
  ['counters', new Set(['get', 'info'])],
  ['atomics', new Set(['get', 'info'])],
  ['persistent_term', new Set(['get', 'info'])],
  ['zlib', new Set(['compress', 'uncompress', 'zip', 'unzip', 'gzip', 'gunzip'])],
  ['crypto', new Set(['crypto_one_time', 'crypto_one_time_aead', 'crypto_init', 'crypto_get_data', 'crypto_dyn_iv_init'])],
  ['logger_config', new Set(['get'])],
]);

function replaySafe(mod: ModuleCtx, e: Expr & { type: 'call' }): boolean {
  let module: string | undefined;
  let name: string | undefined;
  if (e.fn.type === 'atom') {
    name = e.fn.value;
    module = mod.imports.get(name + '/' + e.args.length) ?? 'erlang';
  } else if (e.fn.type === 'remote' && e.fn.module.type === 'atom' && e.fn.name.type === 'atom') {
    module = e.fn.module.value;
    name = e.fn.name.value;
  }
  if (module === undefined || name === undefined) return false;
  if (UNSAFE_MODULES.has(module)) return false;
  const safe = RUN_AGAIN_SAFE.get(module);
  if (safe !== undefined) return safe.has(name);
  return !(module === 'erlang' && UNSAFE_ERLANG.has(name));
}

function clauses(mod: ModuleCtx, cs: Clause[], s: Scan): void {
  for (const c of cs) {
    for (const p of c.patterns) walk(mod, p, s);
    for (const g of c.guards) for (const t of g) walk(mod, t, s);
    for (const b of c.body) walk(mod, b, s);
  }
}
