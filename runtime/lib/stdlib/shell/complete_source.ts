// The node's side of Tab completion: the words that could follow a prefix (see shell/completion.ts
// for the format): modules (loaded, built in, or a Mod.erl on the code path), a module's exported
// functions as name/arity, the shell's commands, and the variables bound at the prompt.

import { readdirSync } from 'node:fs';
import { atom } from '../../../vm/term.js';
import { codeServer } from '../../../vm/code_server.js';
import { getCwd } from '../../../vm/cwd.js';
import type { ShellState } from './commands.js';

const SHELL_COMMANDS = [
  'b/0', 'bt/1', 'c/1', 'c/2', 'c/3', 'catch_exception/1', 'cd/1', 'cluster/0', 'e/1', 'f/0', 'f/1', 'flush/0', 'h/0', 'h/1',
  'h/2', 'h/3', 'hcb/1', 'hcb/2', 'hcb/3', 'help/0', 'history/1', 'ht/1', 'ht/2', 'ht/3', 'i/0', 'i/3',
  'ih/0', 'l/1', 'lc/1', 'lm/0', 'ls/0', 'ls/1', 'm/0', 'm/1', 'memory/0', 'memory/1', 'mm/0', 'nc/1',
  'ni/0', 'nl/1', 'nregs/0', 'pid/3', 'pwd/0', 'q/0', 'rd/2', 'regs/0', 'results/1', 'rf/0',
  'rf/1', 'rl/0', 'rl/1', 'rp/1', 'rr/1', 'rr/2', 'rr/3', 'uptime/0', 'v/1', 'wire/0', 'wire/1', 'xm/1', 'y/1', 'y/2',
];

function sourceModules(): string[] {
  try {
    return readdirSync(getCwd())
      .filter((f) => f.endsWith('.erl'))
      .map((f) => f.slice(0, -4));
  } catch {
    return [];
  }
}

export function completionCandidates(prefix: string, st: ShellState): string[] {
  const colon = prefix.indexOf(':');
  if (colon >= 0) {
    const mod = atom(prefix.slice(0, colon));
    codeServer.ensureLoaded(mod);
    const fns = codeServer.exports(mod) ?? [];
    return fns.map(([n, a]) => `${n.name}/${a}`);
  }
  if (/^[A-Z_]/.test(prefix)) return [...st.bindings.keys()];
  const mods = new Set<string>([...codeServer.loaded().map((m) => m.name), ...sourceModules()]);
  return [...mods, ...SHELL_COMMANDS];
}
