// Drive a program in a real pseudo-terminal (node-pty) and read its screen the way a person would:
// the bytes go through a small terminal model (cursor moves, erases, wrapping) so tests look at
// what is on the screen, not at the redraw sequences that put it there.

import type * as NodePty from '@lydell/node-pty';

// node-pty (prebuilt binaries, no C++ toolchain needed) is a development dependency; where it cannot be
// loaded, the pty suites skip and say why instead of failing to import.
let pty: typeof NodePty | undefined;
let loadError = '';
try {
  pty = await import('@lydell/node-pty');
} catch (e) {
  loadError = e instanceof Error ? e.message.split('\n')[0]! : String(e);
}
/** Why the pty tests cannot run here, or '' when they can. */
export const ptySkipReason = pty === undefined ? `node-pty cannot be loaded (${loadError})` : '';

/** Just enough of a VT100/xterm to follow Ink's and erl's redraws. */
export class VirtualScreen {
  /** every line ever shown: scrollback then the visible rows */
  lines: string[][] = [[]];
  row = 0;
  col = 0;
  beeps = 0;
  private pendingWrap = false;
  private rest = '';

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {}

  private get top(): number {
    return Math.max(0, this.lines.length - this.rows);
  }

  private line(r: number): string[] {
    while (this.lines.length <= r) this.lines.push([]);
    return this.lines[r]!;
  }

  write(data: string): void {
    const s = this.rest + data;
    this.rest = '';
    let i = 0;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\x1b') {
        const n = this.escape(s, i);
        if (n < 0) {
          this.rest = s.slice(i);
          return;
        }
        i = n;
        continue;
      }
      i++;
      if (c === '\r') {
        this.col = 0;
        this.pendingWrap = false;
      } else if (c === '\n') {
        this.row++;
        this.line(this.row);
        this.pendingWrap = false;
      } else if (c === '\b') {
        if (this.col > 0) this.col--;
        this.pendingWrap = false;
      } else if (c === '\x07') {
        this.beeps++;
      } else if (c === '\t') {
        this.col = Math.min(this.cols - 1, (Math.floor(this.col / 8) + 1) * 8);
      } else if (c.charCodeAt(0) >= 0x20) {
        if (this.pendingWrap) {
          this.row++;
          this.col = 0;
          this.pendingWrap = false;
        }
        const l = this.line(this.row);
        while (l.length < this.col) l.push(' ');
        l[this.col] = c;
        if (this.col === this.cols - 1) this.pendingWrap = true;
        else this.col++;
      }
    }
  }

  /** Handle the escape sequence at s[i]; returns the index after it, or -1 when it is cut short. */
  private escape(s: string, i: number): number {
    if (i + 1 >= s.length) return -1;
    const c1 = s[i + 1]!;
    if (c1 === '[') {
      let j = i + 2;
      while (j < s.length && /[0-9;?<=>]/.test(s[j]!)) j++;
      if (j >= s.length) return -1;
      this.csi(s.slice(i + 2, j), s[j]!);
      return j + 1;
    }
    if (c1 === ']') {
      // OSC: up to BEL or ESC \
      const bel = s.indexOf('\x07', i);
      const st = s.indexOf('\x1b\\', i);
      const end = bel < 0 ? st : st < 0 ? bel : Math.min(bel, st);
      if (end < 0) return -1;
      return end + (s[end] === '\x07' ? 1 : 2);
    }
    return i + 2; // ESC 7, ESC 8, ESC =, ...: nothing to show
  }

  private csi(params: string, final: string): void {
    if (params.startsWith('?')) return; // modes: cursor visibility, bracketed paste
    const nums = params.split(';').map((p) => (p === '' ? NaN : Number(p)));
    const n = Number.isNaN(nums[0]!) ? 1 : nums[0]!;
    this.pendingWrap = false;
    switch (final) {
      case 'A':
        this.row = Math.max(this.top, this.row - n);
        break;
      case 'B':
        this.row += n;
        this.line(this.row);
        break;
      case 'C':
        this.col = Math.min(this.cols - 1, this.col + n);
        break;
      case 'D':
        this.col = Math.max(0, this.col - n);
        break;
      case 'G':
        this.col = Math.min(this.cols - 1, n - 1);
        break;
      case 'H':
      case 'f': {
        const r = Number.isNaN(nums[0]!) ? 1 : nums[0]!;
        const c = Number.isNaN(nums[1] ?? NaN) ? 1 : nums[1]!;
        this.row = this.top + r - 1;
        this.line(this.row);
        this.col = c - 1;
        break;
      }
      case 'J': {
        const mode = Number.isNaN(nums[0]!) ? 0 : nums[0]!;
        if (mode === 2 || mode === 3) {
          const top = this.top;
          for (let r = top; r < this.lines.length; r++) this.lines[r] = [];
          if (mode === 3) {
            this.lines = this.lines.slice(top);
            this.row -= top;
          }
        } else if (mode === 0) {
          this.line(this.row).length = Math.min(this.line(this.row).length, this.col);
          this.lines.length = this.row + 1;
        }
        break;
      }
      case 'K': {
        const mode = Number.isNaN(nums[0]!) ? 0 : nums[0]!;
        const l = this.line(this.row);
        if (mode === 0) l.length = Math.min(l.length, this.col);
        else if (mode === 1) for (let k = 0; k <= this.col && k < l.length; k++) l[k] = ' ';
        else l.length = 0;
        break;
      }
      default:
        break; // SGR colours and the rest change nothing we read
    }
  }

  /** The screen as text: one line per row, trailing blanks trimmed, trailing empty lines dropped. */
  text(): string {
    const ls = this.lines.map((l) => l.join('').trimEnd());
    while (ls.length > 0 && ls[ls.length - 1] === '') ls.pop();
    return ls.join('\n');
  }

  /** The row the cursor is on. */
  cursorLine(): string {
    return this.line(this.row).join('').trimEnd();
  }
}

export interface Term {
  write(data: string): void;
  /** the screen's text now */
  screen(): string;
  /** everything the program wrote, escapes and all */
  raw(): string;
  beeps(): number;
  /** wait until the screen shows `what` (a string anywhere, or a regexp) */
  waitFor(what: string | RegExp, timeoutMs?: number): Promise<string>;
  /** wait until the program exits; resolves with its status */
  exited(timeoutMs?: number): Promise<number>;
  kill(): void;
  readonly pid: number;
}

const live = new Set<Term>();

export function spawnTerm(
  file: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; cols?: number; rows?: number } = {},
): Term {
  const cols = opts.cols ?? 100;
  const rows = opts.rows ?? 30;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, TERM: 'xterm-256color', ...opts.env })) {
    if (v !== undefined) env[k] = v;
  }
  if (pty === undefined) throw new Error(ptySkipReason);
  const p = pty.spawn(file, args, { name: 'xterm-256color', cols, rows, cwd: opts.cwd ?? process.cwd(), env });
  const vs = new VirtualScreen(cols, rows);
  let raw = '';
  let exitCode: number | null = null;
  const exitWaiters: ((code: number) => void)[] = [];
  p.onData((d) => {
    raw += d;
    vs.write(d);
  });
  p.onExit(({ exitCode: code }) => {
    exitCode = code;
    live.delete(term);
    for (const w of exitWaiters) w(code);
  });
  const term: Term = {
    pid: p.pid,
    write: (d) => p.write(d),
    screen: () => vs.text(),
    raw: () => raw,
    beeps: () => vs.beeps,
    waitFor: (what, timeoutMs = 15000) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const check = () => {
          const text = vs.text();
          if (typeof what === 'string' ? text.includes(what) : what.test(text)) return resolve(text);
          if (exitCode !== null) return reject(new Error(`exited (${exitCode}) before showing ${String(what)}; screen:\n${text}`));
          if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${String(what)}; screen:\n${text}`));
          setTimeout(check, 25);
        };
        check();
      }),
    exited: (timeoutMs = 15000) =>
      new Promise((resolve, reject) => {
        if (exitCode !== null) return resolve(exitCode);
        const timer = setTimeout(() => reject(new Error(`still running; screen:\n${vs.text()}`)), timeoutMs);
        exitWaiters.push((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      }),
    kill: () => {
      if (exitCode === null) {
        try {
          p.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
      live.delete(term);
    },
  };
  live.add(term);
  return term;
}

/** Kill every terminal still running (for afterEach). */
export function killAll(): void {
  for (const t of [...live]) t.kill();
}

/** Keys as a terminal sends them. */
export const KEY = {
  enter: '\r',
  tab: '\t',
  left: '\x1b[D',
  right: '\x1b[C',
  up: '\x1b[A',
  down: '\x1b[B',
  home: '\x1b[H',
  end: '\x1b[F',
  backspace: '\x7f',
  ctrl: (c: string) => String.fromCharCode(c.toLowerCase().charCodeAt(0) - 0x60),
  alt: (c: string) => '\x1b' + c,
} as const;
