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
  /** a menu item terl does not have (p, l, k, D, d, o, m): back to the shell, saying so */
  | { kind: 'unsupported'; option: string }
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
    case 'o':
    case 'm':
      return { kind: 'unsupported', option: c };
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
  /** c [1]: back to the shell */
  | { kind: 'connect' }
  /** i [1]: interrupt the shell's evaluation, stay in the menu */
  | { kind: 'interrupt' }
  /** q: halt */
  | { kind: 'quit' }
  /** text to print, then stay in the menu (help, job list, errors, the empty command) */
  | { kind: 'print'; text: string };

/** The one job terl's shell has, as `j` lists it. */
const JOBS = '   1* {shell,start,[init]}\n';

/**
 * A command line typed at ` --> `, read as user_drv reads it: erl_scan tokens, an atom and maybe a
 * job number. terl runs one shell, job 1.
 */
export function switchCommand(line: string): SwitchCommand {
  const tokens = line.trim() === '' ? [] : line.trim().split(/\s+/);
  if (tokens.some((t) => !/^([a-z][A-Za-z0-9_@]*|\d+|\?)$/.test(t))) return { kind: 'print', text: 'Illegal input\n' };
  const [cmd, arg, ...rest] = tokens;
  if (cmd === undefined) return { kind: 'print', text: '' };
  const job = arg === undefined ? 1 : /^\d+$/.test(arg) ? Number(arg) : NaN;
  const unknown = { kind: 'print', text: 'Unknown command\n' } as const;
  if (rest.length > 0) return unknown;
  switch (cmd) {
    case 'c':
    case 'i':
    case 'k':
      if (Number.isNaN(job)) return unknown;
      if (job !== 1) return { kind: 'print', text: 'Unknown job\n' };
      if (cmd === 'c') return { kind: 'connect' };
      if (cmd === 'i') return { kind: 'interrupt' };
      // killing the only shell: terl cannot start another, so it refuses
      return { kind: 'print', text: 'Unknown command\n' };
    case 'j':
      return arg === undefined ? { kind: 'print', text: JOBS } : unknown;
    case 'q':
      return arg === undefined ? { kind: 'quit' } : unknown;
    case 'h':
    case '?':
      return arg === undefined ? { kind: 'print', text: USER_SWITCH_HELP } : unknown;
    case 's':
    case 'r':
      // starting another (or a remote) shell is not something terl's single shell can do yet
      return { kind: 'print', text: 'Unknown command\n' };
    default:
      return unknown;
  }
}
