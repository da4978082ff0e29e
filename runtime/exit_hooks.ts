// Cleanups a process's death runs: what it owns outside the process itself (its ETS tables, ...).
// A module registers one for a process (atExit); runtime/signals.ts runs them once as the process
// dies, after it has left the process table and before its links and monitors fire, as BEAM hands
// a dying owner's tables to their heirs before anyone sees the 'DOWN'.

import type { Term } from './term.js';
import type { Process } from './process.js';

export type ExitHook = (p: Process, reason: Term) => void;

const hooks = new WeakMap<Process, ExitHook[]>();

/** Run hook when p dies (once per registration). */
export function atExit(p: Process, hook: ExitHook): void {
  const list = hooks.get(p);
  if (list === undefined) hooks.set(p, [hook]);
  else if (!list.includes(hook)) list.push(hook);
}

/** Called by runtime/signals.ts as p dies. */
export function runAtExit(p: Process, reason: Term): void {
  const list = hooks.get(p);
  if (list === undefined) return;
  hooks.delete(p);
  for (const hook of list) hook(p, reason);
}
