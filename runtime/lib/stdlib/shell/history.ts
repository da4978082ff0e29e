// The shell's numbered history, as shell.erl keeps it: each command's expressions and its value,
// the last `history(N)` commands and the last `results(N)` values (20 of each by default).
// e(N) and v(N) refer to it; e(N) is replaced by command N's expressions before evaluation and
// v(N) is checked, so a command that is not there stops the expression before it runs.

import { Term } from '../../../vm/term.js';
import type { Expr } from '../../../../src/ast.js';

export const DEFAULT_HISTORY = 20;
export const DEFAULT_RESULTS = 20;

interface Command {
  exprs: Expr[];
  /** undefined once results(N) no longer keeps it */
  value?: Term;
  hasValue: boolean;
}

export class CommandHistory {
  private readonly commands = new Map<number, Command>();
  historyLength = DEFAULT_HISTORY;
  resultsLength = DEFAULT_RESULTS;

  /** Command n is done: keep it, then forget what the limits no longer keep. */
  add(n: number, exprs: Expr[], value: Term): void {
    this.commands.set(n, { exprs, value, hasValue: true });
    for (const [k, c] of this.commands) {
      if (k <= n - this.historyLength) this.commands.delete(k);
      else if (k <= n - this.resultsLength && c.hasValue) {
        c.value = undefined;
        c.hasValue = false;
      }
    }
  }

  /** Command n's expressions and value (value undefined when not kept), n < 0 counting back from `current`. */
  get(n: number, current: number): { n: number; exprs: Expr[] | undefined; value: Term | undefined; hasValue: boolean } {
    const k = n < 0 ? current + n : n;
    const c = this.commands.get(k);
    return { n: k, exprs: c?.exprs, value: c?.value, hasValue: c?.hasValue ?? false };
  }

  /** The kept commands, oldest first. */
  entries(): [number, Command][] {
    return [...this.commands].sort((a, b) => a[0] - b[0]);
  }
}

/** `* N: command not found`: the N as written. */
export class NoCommand extends Error {
  constructor(readonly arg: Expr) {
    super('command not found');
  }
}

/** The command number an e/v argument names, as erl evaluates it (an integer, maybe negated). */
function commandNumber(e: Expr): number | undefined {
  if (e.type === 'integer') return Number(e.value);
  if (e.type === 'op' && e.args.length === 1 && (e.op === '-' || e.op === '+')) {
    const n = commandNumber(e.args[0]!);
    return n === undefined ? undefined : e.op === '-' ? -n : n;
  }
  return undefined;
}

/**
 * Replace e(N) by command N's expressions (a block when there are several) and v(N) by v(Absolute),
 * throwing NoCommand when N is not kept. Patterns and guards are left alone, as erl leaves them.
 */
export function expandHistory(exprs: Expr[], hist: CommandHistory, current: number): Expr[] {
  const expr = (e: Expr): Expr => {
    if (e.type === 'call' && e.fn.type === 'atom' && e.args.length === 1 && (e.fn.value === 'e' || e.fn.value === 'v')) {
      const n = commandNumber(e.args[0]!);
      const c = n === undefined ? undefined : hist.get(n, current);
      if (e.fn.value === 'e') {
        if (c?.exprs === undefined) throw new NoCommand(e.args[0]!);
        return c.exprs.length === 1 ? c.exprs[0]! : { type: 'block', pos: e.pos, body: c.exprs };
      }
      if (c === undefined || !c.hasValue) throw new NoCommand(e.args[0]!);
      return { ...e, args: [{ type: 'integer', pos: e.args[0]!.pos, value: c.n }] };
    }
    return expandChildren(e, expr);
  };
  return exprs.map(expr);
}

function expandChildren(e: Expr, f: (x: Expr) => Expr): Expr {
  const body = (es: Expr[]) => es.map(f);
  const clauses = (cs: { pos: Expr['pos']; patterns: Expr[]; guards: Expr[][]; body: Expr[] }[]) => cs.map((c) => ({ ...c, body: body(c.body) }));
  switch (e.type) {
    case 'cons':
      return { ...e, head: f(e.head), tail: f(e.tail) };
    case 'tuple':
      return { ...e, elements: body(e.elements) };
    case 'lc':
    case 'bc':
      return { ...e, expr: f(e.expr), quals: e.quals.map((q) => (q.type === 'filter' ? { ...q, expr: f(q.expr) } : { ...q, expr: f(q.expr) })) };
    case 'map':
      return { ...e, base: e.base && f(e.base), assocs: e.assocs.map((a) => ({ ...a, key: f(a.key), value: f(a.value) })) };
    case 'record':
      return { ...e, base: e.base && f(e.base), fields: e.fields.map((x) => ({ ...x, value: f(x.value) })) };
    case 'record_field':
      return { ...e, expr: f(e.expr) };
    case 'block':
      return { ...e, body: body(e.body) };
    case 'if':
      return { ...e, clauses: clauses(e.clauses) };
    case 'case':
      return { ...e, expr: f(e.expr), clauses: clauses(e.clauses) };
    case 'try':
      return { ...e, body: body(e.body), clauses: clauses(e.clauses), catchClauses: clauses(e.catchClauses), after: body(e.after) };
    case 'receive':
      return { ...e, clauses: clauses(e.clauses), after: e.after && { timeout: f(e.after.timeout), body: body(e.after.body) } };
    case 'call':
      return { ...e, fn: f(e.fn), args: body(e.args) };
    case 'catch':
      return { ...e, expr: f(e.expr) };
    case 'match':
      return { ...e, right: f(e.right) };
    case 'op':
      return { ...e, args: body(e.args) };
    case 'remote':
      return { ...e, module: f(e.module), name: f(e.name) };
    case 'fun':
      return { ...e, clauses: clauses(e.clauses) };
    case 'bin':
      return { ...e, elements: e.elements.map((b) => ({ ...b, value: f(b.value) })) };
    default:
      return e;
  }
}
