// The two interrupt menus of erl, their texts and what each answer means.
//
// Ctrl-C: the emulator's BREAK menu (erts break.c). It prints the menu and reads an answer line; the
// first character chooses. Ctrl-G: user_drv's "User switch command" loop, with its ` --> ` prompt,
// reading commands until one leaves it (c, or q which halts).

/** What erl prints on Ctrl-C (after a newline that ends the line being typed). */
export const BREAK_MENU =
  'BREAK: (a)bort (A)bort with dump (c)ontinue (p)roc info (i)nfo\n' +
  '       (l)oaded (v)ersion (k)ill (D)b-tables (d)istribution\n';

export type BreakChoice =
  /** a / A / q / *: halt the node (erl exits 0 for `a`) */
  | { kind: 'abort' }
  /** c: back to the shell */
  | { kind: 'continue' }
  /** i: print system information, then back */
  | { kind: 'info' }
  /** v: print the version, then back */
  | { kind: 'version' }
  /** p, l, D, d: what the node prints for it, then back; k: walk the processes, killing some */
  | { kind: 'node'; what: 'p' | 'l' | 'D' | 'd' | 'k' }
  /** an empty answer: erl reads again */
  | { kind: 'again' }
  /** anything else: erl says so and shows the menu again */
  | { kind: 'invalid'; option: string };

/** The answer line typed at the BREAK menu; its first character chooses. */
export function breakChoice(answer: string): BreakChoice {
  const c = answer.trimStart()[0];
  switch (c) {
    case undefined:
      return { kind: 'again' };
    case 'a':
    case 'A':
    case 'q':
    case '*':
      return { kind: 'abort' };
    case 'c':
      return { kind: 'continue' };
    case 'i':
      return { kind: 'info' };
    case 'v':
      return { kind: 'version' };
    case 'p':
    case 'l':
    case 'k':
    case 'D':
    case 'd':
      return { kind: 'node', what: c };
    case 'o':
    case 'm':
      // port info and message info: terl has no ports, and erl prints nothing more for m
      return { kind: 'continue' };
    default:
      return { kind: 'invalid', option: c };
  }
}

/** erl's reply to an answer it does not know, before showing the menu again. */
export function invalidOption(option: string): string {
  return `Invalid option '${option}'. Please enter one of the following:\n`;
}

/** The `v` answer: the emulator's version line, in terl's words. */
export function versionText(version: string): string {
  return `Erlang (terl) emulator version ${version}\n`;
}

/**
 * The `i` answer: erl prints its allocator tables; terl has the JavaScript engine's memory of the
 * terminal's thread, in the same `=section` / `key: value` shape.
 */
export function infoText(mem: NodeJS.MemoryUsage = process.memoryUsage()): string {
  return (
    '=memory\n' +
    `total: ${mem.rss}\n` +
    `heap_total: ${mem.heapTotal}\n` +
    `heap_used: ${mem.heapUsed}\n` +
    `external: ${mem.external}\n` +
    `array_buffers: ${mem.arrayBuffers}\n`
  );
}

/** What erl prints on Ctrl-G, before the first ` --> ` prompt. */
export const USER_SWITCH_HEADER = 'User switch command\n';
export const USER_SWITCH_PROMPT = ' --> ';

/** `h` and `?` in the Ctrl-G menu: user_drv's list of commands. */
export const USER_SWITCH_HELP =
  '  c [nn]            - connect to job\n' +
  '  i [nn]            - interrupt job\n' +
  '  k [nn]            - kill job\n' +
  '  j                 - list all jobs\n' +
  '  s [shell]         - start local shell\n' +
  '  r [node [shell]]  - start remote shell\n' +
  '  q                 - quit erlang\n' +
  '  ? | h             - this message\n';

export type SwitchCommand =
  /** i: interrupt the connected shell's evaluation, stay in the menu */
  | { kind: 'interrupt' }
  /** c, i N, k, j, s, r: the node's jobs carry it out (src/node_worker.ts, runtime/lib/stdlib/shell/jobs.ts) */
  | { kind: 'node'; cmd: string; arg?: string }
  /** q: halt */
  | { kind: 'quit' }
  /** text to print, then stay in the menu (help, job list, errors, the empty command) */
  | { kind: 'print'; text: string };

/**
 * A command line typed at ` --> `, read as user_drv reads it: erl_scan tokens, an atom and maybe a
 * job number (r takes a node name).
 */
export function switchCommand(line: string): SwitchCommand {
  const tokens = line.trim() === '' ? [] : line.trim().split(/\s+/);
  if (tokens.some((t) => !/^([a-z][A-Za-z0-9_@.]*|\d+|\?)$/.test(t))) return { kind: 'print', text: 'Illegal input\n' };
  const [cmd, arg, ...rest] = tokens;
  if (cmd === undefined) return { kind: 'print', text: '' };
  const unknown = { kind: 'print', text: 'Unknown command\n' } as const;
  switch (cmd) {
    case 'c':
    case 'i':
    case 'k':
      if (rest.length > 0 || (arg !== undefined && !/^\d+$/.test(arg))) return unknown;
      if (cmd === 'i' && arg === undefined) return { kind: 'interrupt' };
      return { kind: 'node', cmd, arg };
    case 'r':
      // r [Node [Shell]]: a shell whose evaluations run on Node
      if (rest.length > 1 || (arg !== undefined && /^\d+$/.test(arg))) return unknown;
      return { kind: 'node', cmd, arg };
    case 'j':
    case 's':
      return arg === undefined ? { kind: 'node', cmd } : unknown;
    case 'q':
      return arg === undefined ? { kind: 'quit' } : unknown;
    case 'h':
    case '?':
      return arg === undefined ? { kind: 'print', text: USER_SWITCH_HELP } : unknown;
    default:
      return unknown;
  }
}
