// The terminal side of the shell, without the terminal: what group.erl and user_drv do for erl.
// It coordinates the line being edited, the history and its Ctrl-R search (history_search.ts), the
// lines typed ahead, and the two interrupt menus (menus.ts); it hands complete lines to the node and
// shows what the node prints. The Ink app only feeds it keys and draws `view()`; everything here is
// testable with a fake node.

import type { FromNode, NodeLink, ToNode } from '../src/bridge.js';
export type { NodeLink } from '../src/bridge.js';
import { INTERRUPT_FLAG } from '../src/bridge.js';
import { LineEditor } from './editor.js';
import { History } from './history.js';
import type { Key } from './keys.js';
import { completionContext, expand, formatMatches, queryPrefix, type Context } from './completion.js';
import { HistorySearch } from './history_search.js';
import { InterruptMenus } from './menus.js';
import { plainStyle, type Style } from './style.js';

/** What the session asks of the terminal. */
export interface Screen {
  /** append complete lines (each ending in '\n', styled) to the scrollback above the prompt */
  write(text: string): void;
  /** the editing area changed: draw view() again */
  render(): void;
  /** ring the bell (erl beeps where an edit is impossible) */
  beep(): void;
  /** leave: restore the terminal and end the process with this status */
  exit(code: number): void;
}

/** At the line, in a Ctrl-R search, or answering a menu (which one: `menus.open`). */
type Mode = 'line' | 'search' | 'menu';

/** How long an interrupt waits for the scheduler to take the shared flag before it is sent by message. */
const FLAG_GRACE_MS = 100;

/** One output message waiting to be written, with what the node said it was (if it said). */
interface Pending {
  text: string;
  result: boolean;
  /** terl's explanation line, shown dim */
  note?: boolean;
}

export interface SessionOptions {
  banner?: string;
  style?: Style;
  history?: History;
  version?: string;
  /** how long output may wait to be written with what follows it (ms); 0 writes at once */
  batchMs?: number;
}

export class ShellSession {
  readonly editor = new LineEditor();
  readonly history: History;
  private readonly style: Style;
  private readonly batchMs: number;

  private mode: Mode = 'line';
  /** the prompt of the node's pending get_line; null while the node is busy */
  private awaiting: string | null = null;
  /** output after its last newline: the prompt is drawn after it, as erl does */
  private partial = '';
  /** lines typed ahead or pasted, given to the node one per get_line */
  private readonly queue: string[] = [];
  /** the lines of the expression being entered: one history entry when complete */
  private entry: string[] = [];
  /** output not yet written (coalesced so a flood of small writes draws once) */
  private pending: Pending[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** a line went to the node and no get_line came back yet */
  private evaluating = false;
  private completion: { id: number; ctx: Context; text: string; cursor: number } | null = null;
  private nextCompletionId = 1;
  private search: HistorySearch | null = null;
  private readonly menus: InterruptMenus;
  private exited = false;

  constructor(
    private readonly link: NodeLink,
    private readonly screen: Screen,
    opts: SessionOptions = {},
  ) {
    this.style = opts.style ?? plainStyle;
    this.history = opts.history ?? new History();
    this.batchMs = opts.batchMs ?? 8;
    this.menus = new InterruptMenus(
      {
        echo: (text) => this.echo(text),
        post: (msg) => this.link.post(msg),
        beep: () => this.screen.beep(),
        abort: () => this.abort(),
        resume: () => this.resume(),
        interrupt: () => this.interrupt(),
      },
      opts.version ?? '',
    );
    if (opts.banner) this.screen.write(opts.banner.endsWith('\n') ? opts.banner : opts.banner + '\n');
    link.onMessage((m) => this.fromNode(m));
  }

  // ---- messages from the node ----

  fromNode(m: FromNode): void {
    if (this.exited) return;
    switch (m.t) {
      case 'output':
        this.pending.push({ text: m.text, result: 'kind' in m && (m as { kind?: unknown }).kind === 'result', note: m.note === true });
        this.scheduleFlush();
        break;
      case 'get_line':
        this.getLine(m.prompt);
        break;
      case 'completion':
        this.completed(m.id, m.candidates);
        break;
      case 'break_reply':
      case 'switch_reply': {
        const typed = this.menus.reply(m);
        if (typed.length > 0) this.keys(typed);
        this.screen.render();
        break;
      }
      case 'halt':
        this.flush(false);
        this.finishEntry();
        this.exit(m.code);
        break;
    }
  }

  private getLine(prompt: string): void {
    // the last output before a new numbered prompt, after a line was evaluated, is its result
    this.flush(this.evaluating && prompt !== '');
    this.evaluating = false;
    if (prompt !== '') this.finishEntry();
    this.awaiting = prompt;
    if (this.mode === 'line') {
      const next = this.queue.shift();
      if (next !== undefined) this.send(next);
    }
    this.screen.render();
  }

  // ---- output ----

  private scheduleFlush(): void {
    if (this.batchMs <= 0) return this.flush(false);
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush(false);
    }, this.batchMs);
  }

  /** Write pending output; `lastIsResult`: the newest message is an evaluation's result. */
  private flush(lastIsResult: boolean): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    let out = '';
    // the result is the last output that is not an explanation line
    let last = batch.length - 1;
    while (last > 0 && batch[last].note === true) last--;
    batch.forEach((p, i) => {
      out += this.lines(p.text, p.result || (lastIsResult && i === last), p.note === true);
    });
    if (out) this.screen.write(out);
    this.screen.render();
  }

  /** Complete lines of `text` (after what was partial), styled; the rest stays partial. */
  private lines(text: string, result: boolean, note = false): string {
    const all = this.partial + normalise(text);
    const cut = all.lastIndexOf('\n');
    if (cut < 0) {
      this.partial = all;
      return '';
    }
    this.partial = all.slice(cut + 1);
    return (
      all
        .slice(0, cut)
        .split('\n')
        .map((l) => (note ? this.style.note(l) : isErrorLine(l) ? this.style.error(l) : result ? this.style.result(l) : l))
        .join('\n') + '\n'
    );
  }

  /** Write text that is ours (echoed lines, menus), after the partial output line. */
  private echo(text: string): void {
    this.flush(false);
    this.screen.write(this.partial + text);
    this.partial = '';
  }

  /** The line as it stands on the screen: partial output, prompt, text. */
  private currentLine(): string {
    if (this.mode === 'search' && this.search) return this.search.line;
    return this.awaiting !== null ? this.style.prompt(this.awaiting) + this.editor.text : this.editor.text;
  }

  // ---- lines to the node ----

  /** Give one line to the node now, or keep it until the node asks for one. */
  private submit(line: string): void {
    if (this.awaiting !== null && this.queue.length === 0 && this.mode === 'line') this.send(line);
    else this.queue.push(line);
  }

  /** Hand a line to the pending get_line, echoing it after its prompt (unless already on the screen). */
  private send(line: string, echoed = false): void {
    const prompt = this.awaiting ?? '';
    // no longer awaiting before the echo is drawn, so the prompt is not drawn twice
    this.awaiting = null;
    this.evaluating = true;
    if (!echoed) this.echo(this.style.prompt(prompt) + line + '\n');
    if (prompt !== '') this.finishEntry();
    this.entry.push(line);
    this.link.post({ t: 'line', text: line });
  }

  /** Back at the line after a menu: a line typed ahead may be waiting for the node's prompt. */
  private resume(): void {
    this.mode = 'line';
    if (this.awaiting !== null) {
      const next = this.queue.shift();
      if (next !== undefined) this.send(next);
    }
  }

  /** Submit text that may hold several lines: each goes to the node in order. */
  private submitText(text: string): void {
    for (const l of text.split('\n')) this.submit(l);
  }

  private finishEntry(): void {
    if (this.entry.length > 0) this.history.add(this.entry.join('\n'));
    this.entry = [];
  }

  // ---- keys ----

  keys(keys: readonly Key[]): void {
    for (const k of keys) {
      if (this.exited) return;
      // while the node answers a menu command, what is typed waits (erl's menus answer before reading on)
      if (this.menus.waiting) this.menus.hold(k);
      else this.key(k);
    }
    this.screen.render();
  }

  private key(k: Key): void {
    // Ctrl-C and Ctrl-G reach the menus from anywhere
    if (k.kind === 'ctrl' && k.ch === 'c') return this.openMenu('break');
    if (k.kind === 'ctrl' && k.ch === 'g' && this.menus.open !== 'break') return this.openMenu('switch');
    switch (this.mode) {
      case 'line':
        return this.lineKey(k);
      case 'search':
        return this.searchKey(k);
      case 'menu':
        return this.menus.key(k);
    }
  }

  private lineKey(k: Key): void {
    const e = this.editor;
    let ok = true;
    switch (k.kind) {
      case 'text':
        e.insert(k.text);
        break;
      case 'paste':
        this.paste(k.text);
        break;
      case 'ctrl':
        ok = this.ctrlKey(k.ch);
        break;
      case 'meta':
        ok = this.metaKey(k.ch);
        break;
      case 'key':
        switch (k.name) {
          case 'enter':
            if (k.meta) e.insert('\n');
            else this.enter();
            break;
          case 'tab':
            this.complete();
            break;
          case 'backspace':
            ok = k.meta ? e.killWordBackward() : e.backspace();
            break;
          case 'delete':
            ok = e.deleteForward();
            break;
          case 'left':
            ok = k.ctrl || k.meta ? e.wordLeft() : e.left();
            break;
          case 'right':
            ok = k.ctrl || k.meta ? e.wordRight() : e.right();
            break;
          case 'home':
            ok = e.home();
            break;
          case 'end':
            ok = e.end();
            break;
          case 'up':
            ok = e.rowUp() || this.historyUp();
            break;
          case 'down':
            ok = e.rowDown() || this.historyDown();
            break;
          case 'escape':
            break;
        }
    }
    if (!ok) this.screen.beep();
  }

  private ctrlKey(ch: string): boolean {
    const e = this.editor;
    switch (ch) {
      case 'a':
        return e.home();
      case 'e':
        return e.end();
      case 'b':
        return e.left();
      case 'f':
        return e.right();
      case 'd':
        // erl: delete the character under the cursor; on an empty line, or at its end, a beep
        return e.deleteForward();
      case 'h':
        return e.backspace();
      case 'k':
        return e.killToEnd();
      case 'u':
        return e.killToStart();
      case 'w':
        return e.killWordBackward();
      case 'y':
        return e.yank();
      case 't':
        return e.transpose();
      case 'p':
        return e.rowUp() || this.historyUp();
      case 'n':
        return e.rowDown() || this.historyDown();
      case 'r':
        this.startSearch();
        return true;
      case 'l':
        return true; // the line is always drawn afresh
      default:
        return false;
    }
  }

  private metaKey(ch: string): boolean {
    const e = this.editor;
    switch (ch) {
      case 'b':
      case 'B':
        return e.wordLeft();
      case 'f':
      case 'F':
        return e.wordRight();
      case 'd':
      case 'D':
        return e.killWordForward();
      case 'y':
      case 'Y':
        return e.yankPop();
      default:
        return false;
    }
  }

  private enter(): void {
    const text = this.editor.text;
    this.editor.clear();
    this.history.reset();
    this.submitText(text);
  }

  /** Pasted text: every complete line goes to the node in order; the rest stays in the editor. */
  private paste(text: string): void {
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      this.editor.insert(text);
      return;
    }
    this.editor.insert(text.slice(0, cut));
    this.enter();
    this.editor.insert(text.slice(cut + 1));
  }

  private historyUp(): boolean {
    const h = this.history.prev(this.editor.text);
    if (h === null) return false;
    this.editor.set(h);
    return true;
  }

  private historyDown(): boolean {
    const h = this.history.next();
    if (h === null) return false;
    this.editor.set(h);
    return true;
  }

  // ---- completion ----

  private complete(): void {
    if (this.awaiting === null) return this.screen.beep();
    const ctx = completionContext(this.editor.before);
    if (!ctx) return this.screen.beep();
    const id = this.nextCompletionId++;
    this.completion = { id, ctx, text: this.editor.text, cursor: this.editor.cursor };
    this.link.post({ t: 'complete', id, prefix: queryPrefix(ctx) });
  }

  private completed(id: number, candidates: string[]): void {
    const c = this.completion;
    if (!c || c.id !== id) return;
    this.completion = null;
    // the line changed while the node looked: the answer is for another question
    if (this.mode !== 'line' || this.awaiting === null) return;
    if (this.editor.text !== c.text || this.editor.cursor !== c.cursor) return;
    const x = expand(c.ctx, candidates);
    if (!x.found) this.screen.beep();
    if (x.insert) this.editor.insert(x.insert);
    if (x.matches.length > 0) this.echo(this.currentLine() + formatMatches(x.matches));
    this.screen.render();
  }

  // ---- Ctrl-R ----

  private startSearch(): void {
    this.search = new HistorySearch(this.history);
    this.mode = 'search';
  }

  private searchKey(k: Key): void {
    const search = this.search!;
    const step = search.key(k);
    switch (step.kind) {
      case 'searching':
        return;
      case 'beep':
        return this.screen.beep();
      case 'run':
        // erl runs the line found; the screen keeps the search line
        this.echo(search.line + '\n');
        this.mode = 'line';
        this.search = null;
        this.editor.clear();
        this.history.reset();
        return this.submitEchoed(step.entry);
      case 'edit':
        // any other key leaves the search with the line found, ready to edit
        this.mode = 'line';
        this.search = null;
        this.editor.set(step.entry);
        return;
    }
  }

  /** Submit an entry whose first line is already on the screen (the search line stands for it). */
  private submitEchoed(text: string): void {
    const [first, ...rest] = text.split('\n');
    if (this.awaiting !== null && this.queue.length === 0) this.send(first!, true);
    else this.queue.push(first!);
    for (const l of rest) this.submit(l);
  }

  // ---- the BREAK menu (Ctrl-C) and the user switch menu (Ctrl-G): menus.ts ----

  private openMenu(which: 'break' | 'switch'): void {
    // the line on the screen stays there, above the menu
    const shown = this.currentLine();
    if (this.mode === 'search') {
      this.editor.set(this.search!.found);
      this.search = null;
    }
    if (which === 'break') this.menus.openBreak(shown);
    else this.menus.openSwitch(shown);
    if (this.menus.open !== null) this.mode = 'menu';
  }

  /**
   * Ctrl-G i: stop what the shell is evaluating (the node answers with its exception and a prompt).
   * First through the shared flag, which the scheduler polls while it runs, even when a runaway
   * evaluation keeps it from reading messages. A scheduler with nothing to run (the evaluation waits
   * in a receive or a sleep) never looks, so if the flag is still up a moment later it is taken back
   * and the node is told by message. Taking it back is atomic: the interrupt happens once.
   */
  private interrupt(): void {
    const flag = this.link.interrupt;
    if (!this.evaluating || !flag) return this.link.post({ t: 'break', action: 'interrupt' });
    Atomics.store(flag, INTERRUPT_FLAG, 1);
    setTimeout(() => {
      if (Atomics.exchange(flag, INTERRUPT_FLAG, 0) !== 0) this.link.post({ t: 'break', action: 'interrupt' });
    }, FLAG_GRACE_MS);
  }

  private abort(): void {
    this.link.post({ t: 'break', action: 'abort' });
    this.flush(false);
    this.finishEntry();
    this.exit(0);
  }

  private exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    if (this.partial) {
      this.screen.write(this.partial + '\n');
      this.partial = '';
    }
    this.screen.exit(code);
  }

  // ---- what the editing area shows ----

  /**
   * The rows under the scrollback, cut to `width` columns: the partial output line with the prompt and
   * the line being edited after it (the cursor as a reversed cell), or the menu being answered.
   */
  view(width: number): string[] {
    if (this.exited) return [];
    const rows: Cell[][] = [];
    const put = (row: Cell[], text: string, styled?: (s: string) => string) => {
      // a Tab (pasted) stays in the line but is drawn as one blank, so columns stay countable
      for (const ch of Array.from(text)) row.push({ ch: ch === '\t' ? ' ' : ch, styled });
    };
    const editorRows = (first: Cell[], ed: LineEditor) => {
      const { lines, row, col } = ed.rows;
      lines.forEach((l, i) => {
        const r = i === 0 ? first : [];
        const start = r.length;
        put(r, l);
        if (i === row) r.splice(start + col, 0, CURSOR_MARK);
        rows.push(r);
      });
    };
    const first: Cell[] = [];
    put(first, this.partial);
    switch (this.mode) {
      case 'line':
        if (this.awaiting !== null) {
          put(first, this.awaiting, this.style.prompt);
          editorRows(first, this.editor);
        } else if (!this.editor.isEmpty) {
          editorRows(first, this.editor); // typed ahead while the node is busy
        } else if (first.length > 0) rows.push(first);
        break;
      case 'search': {
        const s = this.search!;
        put(first, `(search)\`${s.query}`);
        first.push(CURSOR_MARK);
        put(first, `': ${s.found}`);
        rows.push(first);
        break;
      }
      case 'menu':
        put(first, this.menus.prompt);
        editorRows(first, this.menus.answer);
        break;
    }
    return rows.flatMap((r) => wrapRow(r, Math.max(1, width), this.style));
  }
}

interface Cell {
  ch: string;
  styled?: (s: string) => string;
  cursor?: boolean;
}

/** Marks where the cursor stands: drawn as the next cell reversed (a reversed blank at the end). */
const CURSOR_MARK: Cell = { ch: '', cursor: true };

function wrapRow(row: Cell[], width: number, style: Style): string[] {
  // fold the cursor mark into the cell it stands on
  const cells: Cell[] = [];
  let cursorNext = false;
  for (const c of row) {
    if (c.cursor) {
      cursorNext = true;
      continue;
    }
    cells.push(cursorNext ? { ...c, cursor: true } : c);
    cursorNext = false;
  }
  if (cursorNext) cells.push({ ch: ' ', cursor: true });
  // cut into rows of at most `width` columns (a wide character takes two)
  const out: string[] = [];
  let start = 0;
  let used = 0;
  cells.forEach((c, i) => {
    const w = columns(c.ch);
    if (used + w > width && i > start) {
      out.push(render(cells.slice(start, i), style));
      start = i;
      used = 0;
    }
    used += w;
  });
  out.push(render(cells.slice(start), style));
  return out;
}

/** Terminal columns of one character: 2 for East Asian wide and emoji, 0 for combining marks. */
export function columns(ch: string): number {
  const n = ch.codePointAt(0) ?? 0;
  if ((n >= 0x300 && n <= 0x36f) || n === 0x200d || (n >= 0xfe00 && n <= 0xfe0f)) return 0;
  if (
    (n >= 0x1100 && n <= 0x115f) ||
    (n >= 0x2e80 && n <= 0xa4cf && n !== 0x303f) ||
    (n >= 0xac00 && n <= 0xd7a3) ||
    (n >= 0xf900 && n <= 0xfaff) ||
    (n >= 0xfe30 && n <= 0xfe4f) ||
    (n >= 0xff00 && n <= 0xff60) ||
    (n >= 0xffe0 && n <= 0xffe6) ||
    (n >= 0x1f300 && n <= 0x1f64f) ||
    (n >= 0x1f900 && n <= 0x1f9ff) ||
    (n >= 0x20000 && n <= 0x3fffd)
  )
    return 2;
  return 1;
}

function render(cells: Cell[], style: Style): string {
  let s = '';
  let i = 0;
  while (i < cells.length) {
    const c = cells[i]!;
    if (c.cursor) {
      s += style.cursor(c.ch === '' ? ' ' : c.ch);
      i++;
      continue;
    }
    // runs of cells in the same style are styled once
    let j = i;
    let text = '';
    while (j < cells.length && !cells[j]!.cursor && cells[j]!.styled === c.styled) text += cells[j++]!.ch;
    s += c.styled ? c.styled(text) : text;
    i = j;
  }
  return s;
}

/** erl's error lines: exceptions (`** exception error: ...`), scan/parse errors (`* 1:5: ...`), `*** ...`. */
export function isErrorLine(line: string): boolean {
  return /^(\*\* exception |\* \d+(:\d+)?: |\*\*\* |\*\* [A-Z]|=ERROR REPORT====)/.test(line);
}

/** Terminal-safe text: CRLF as LF, a lone CR keeps what follows it, tabs to the next 8th column. */
export function normalise(text: string): string {
  let t = text.replace(/\r\n/g, '\n');
  if (t.includes('\r')) t = t.split('\n').map((l) => l.slice(l.lastIndexOf('\r') + 1)).join('\n');
  if (t.includes('\t')) {
    t = t
      .split('\n')
      .map((l) => {
        let out = '';
        for (const ch of l) out += ch === '\t' ? ' '.repeat(8 - (Array.from(out).length % 8)) : ch;
        return out;
      })
      .join('\n');
  }
  return t;
}
