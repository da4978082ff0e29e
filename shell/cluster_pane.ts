// One node's pane in the cluster window: the same ShellSession (editor, history, menus) the
// single-node terminal runs, on a screen of its own. The single-node app lets the terminal keep the
// scrollback; a pane keeps its own lines, and shows the newest that fit above the editing rows.

import type { FromNode } from '../src/bridge.js';
import { ShellSession, type NodeLink } from './session.js';
import type { History } from './history.js';
import type { Style } from './style.js';
import { newestRows, wrapWords } from './styled_rows.js';

/** Lines a pane keeps (the oldest go first). */
const SCROLLBACK = 2000;

export interface PaneOptions {
  style: Style;
  history: History;
  banner: string;
  version: string;
  /** the pane's look changed: draw the window again */
  changed(): void;
  beep(): void;
  /** the node halted with this status */
  halted(code: number): void;
  /** a line went to the node (the tour follows what is typed) */
  typed?(line: string): void;
}

export class ClusterPane {
  readonly session: ShellSession;
  /** the node's name as its prompt shows it (`kvs_server@vm`), the given name until the first prompt */
  node: string;
  /** the exit status once the node has halted */
  status: number | null = null;
  private readonly lines: string[] = [];
  /** text after the last newline written */
  private tail = '';

  constructor(
    name: string,
    link: NodeLink,
    private readonly opts: PaneOptions,
  ) {
    this.node = name;
    const watched: NodeLink = {
      interrupt: link.interrupt,
      post: (m) => {
        if (m.t === 'line' && m.text !== null) opts.typed?.(m.text);
        link.post(m);
      },
      onMessage: (cb) =>
        link.onMessage((m: FromNode) => {
          if (m.t === 'get_line') this.named(m.prompt);
          cb(m);
        }),
    };
    this.session = new ShellSession(
      watched,
      {
        write: (text) => this.write(text),
        render: () => opts.changed(),
        beep: () => opts.beep(),
        exit: (code) => {
          this.status = code;
          opts.changed();
          opts.halted(code);
        },
      },
      { banner: opts.banner, style: opts.style, history: opts.history, version: opts.version },
    );
  }

  /** `(kvs_server@vm)3> `: the node's full name. */
  private named(prompt: string): void {
    const m = /^\(([^)]+)\)\d+> $/.exec(prompt);
    if (m && m[1] !== this.node) {
      this.node = m[1]!;
      this.opts.changed();
    }
  }

  private write(text: string): void {
    const parts = (this.tail + text).split('\n');
    this.tail = parts.pop()!;
    this.lines.push(...parts);
    if (this.lines.length > SCROLLBACK) this.lines.splice(0, this.lines.length - SCROLLBACK);
  }

  /**
   * The pane's content, `height` rows of at most `width` columns: the newest scrollback that fits,
   * the editing rows, then `footer` (the tour's hint, cut at blanks and shown dim) at the bottom.
   */
  rows(width: number, height: number, footer: string[] = []): string[] {
    const note = footer.flatMap((f) => wrapWords(f, width)).map((r) => this.opts.style.note(r));
    const bottom = [...this.editRows(width), ...note];
    const room = height - bottom.length;
    if (room <= 0) return bottom.slice(bottom.length - height);
    const all = this.tail !== '' && this.status !== null ? [...this.lines, this.tail] : this.lines;
    const above = newestRows(all, width, room);
    return [...above, ...bottom];
  }

  private editRows(width: number): string[] {
    if (this.status !== null) return [this.opts.style.note(`[the node has halted (status ${this.status})]`)];
    return this.session.view(width);
  }
}
