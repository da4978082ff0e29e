// The cluster window (`terl --cluster`, `terl --tour`): one pane per node, each a ShellSession of its
// own node, the wire pane for the node chosen, the glance pane (the cluster's nodes, ports and
// connections: cluster_glance.ts), a status line with the keys. Loaded by tui.tsx.
//
// Keys of the window (the line editor uses none of them):
//   Ctrl-O or F2   the next pane (the wire and glance panes too, when shown: zoomed, they show more)
//   Ctrl-X or F3   zoom the pane in focus to the whole window, and back
//   Ctrl-V or F4   the wire view of the focused pane's node: show it, follow this node, or hide it
//   Ctrl-S or F5   the cluster at a glance: show the glance pane, or hide it

import React, { useCallback, useLayoutEffect, useState } from 'react';
import { render, useStdout } from 'ink';
import type { NodeLink } from './session.js';
import type { Key } from './keys.js';
import { useRawKeys } from './raw_keys.js';
import { EditArea } from './components/EditArea.js';
import { History } from './history.js';
import { makeStyle, type Style } from './style.js';
import { ClusterPane } from './cluster_pane.js';
import { box, compose, layout, type Layout, type Rect } from './cluster_layout.js';
import { newestRows, wrapWords } from './styled_rows.js';
import { Tour } from './tour.js';
import { Glance } from './cluster_glance.js';
import { VERSION } from '../src/version.js';

/** A node the window starts: its name, and how to start its worker with the pane's size. */
export interface ClusterNodeStart {
  name: string;
  start(size: { columns: number; rows: number }): { link: NodeLink; stop(): void };
}

export interface ClusterOptions {
  banner: string;
  color: boolean;
  tour: boolean;
  /** the names this host's port mapper lists (for the glance pane) */
  portMapperNames: () => Promise<{ name: string; port: number }[]>;
}

const ALT_SCREEN_ON = '\x1b[?1049h';
const ALT_SCREEN_OFF = '\x1b[?1049l';
const BRACKETED_PASTE_ON = '\x1b[?2004h';
const BRACKETED_PASTE_OFF = '\x1b[?2004l';
/** Lines of wire view kept per node. */
const WIRE_KEPT = 1000;

/** The window's state: the panes, focus, zoom, the wire view, the glance and the tour. */
class Cluster {
  readonly panes: ClusterPane[] = [];
  readonly wire: string[][] = [];
  private readonly stops: (() => void)[] = [];
  /** the pane in focus: a node's (0..n-1), n for the wire pane, n + 1 for the glance pane */
  focus = 0;
  zoom: number | null = null;
  /** whose wire the wire pane shows, or null when it is hidden */
  wireOf: number | null;
  readonly tour: Tour | null;
  readonly glance: Glance;
  /** keys typed before the first pane had its node */
  private readonly early: Key[] = [];
  redraw: () => void = () => {};

  constructor(
    private readonly nodes: ClusterNodeStart[],
    private readonly opts: ClusterOptions,
    private readonly style: Style,
    private readonly finish: (code: number) => void,
  ) {
    this.tour = opts.tour ? new Tour() : null;
    // the tour watches the client's wire from the start
    this.wireOf = opts.tour ? nodes.length - 1 : null;
    this.glance = new Glance(opts.portMapperNames, () => this.redraw());
  }

  get names(): string[] {
    return this.nodes.map((n, i) => this.panes[i]?.node ?? n.name);
  }

  /**
   * Start the nodes one after the other: each once the one before has its first prompt, so the
   * first can start the port mapper that the others then register with.
   */
  startNext(cols: number, rows: number): void {
    const i = this.panes.length;
    const node = this.nodes[i];
    if (node === undefined) return;
    const r = this.layout(cols, rows).panes[i] ?? { x: 0, y: 0, w: cols, h: rows };
    const { link, stop } = node.start({ columns: Math.max(10, r.w - 2), rows: Math.max(3, r.h - 2) });
    this.stops.push(stop);
    this.wire.push([]);
    let started = false;
    link.onMessage((m) => {
      if (m.t === 'wire') {
        const kept = this.wire[i]!;
        kept.push(m.line);
        if (kept.length > WIRE_KEPT) kept.splice(0, kept.length - WIRE_KEPT);
        if (this.wireOf === i) this.redraw();
      } else if (m.t === 'glance') {
        this.glance.heard(i, m);
      } else if (!started && (m.t === 'get_line' || m.t === 'halt')) {
        started = true;
        setImmediate(() => this.startNext(cols, rows));
      }
    });
    this.panes.push(
      new ClusterPane(node.name, link, {
        style: this.style,
        history: History.load(),
        banner: this.opts.banner,
        version: VERSION,
        changed: () => this.redraw(),
        beep: () => process.stdout.write('\x07'),
        halted: (code) => this.halted(i, code),
        typed: (line) => {
          if (this.tour?.typed(i, line, this.names)) this.redraw();
        },
      }),
    );
    if (i === this.focus && this.early.length > 0) this.panes[i]!.session.keys(this.early.splice(0));
  }

  private halted(i: number, code: number): void {
    // the worker ends after the node's last words are drawn; its connections close with it
    setTimeout(() => this.stops[i]?.(), 50);
    if (this.zoom === i) this.zoom = null;
    if (this.focus === i) this.focusNext();
    this.redraw();
    if (this.panes.length === this.nodes.length && this.panes.every((p) => p.status !== null)) {
      this.glance.hide();
      this.finish(code);
    }
  }

  layout(cols: number, rows: number, glanceLines = 0): Layout {
    return layout(cols, rows, this.nodes.length, { wire: this.wireOf !== null, glance: glanceLines, zoom: this.zoom });
  }

  /** The wire pane's index (one past the nodes'). */
  get wirePane(): number {
    return this.nodes.length;
  }

  /** The glance pane's index (after the wire pane's). */
  get glancePane(): number {
    return this.nodes.length + 1;
  }

  /** The glance pane's table for a window `cols` wide. */
  private glanceLines(cols: number): string[] {
    if (!this.glance.shown) return [];
    const names = this.names;
    return this.glance.lines(
      this.nodes.map((_, i) => ({ node: names[i]!, halted: typeof this.panes[i]?.status === 'number' })),
      cols - 2,
    );
  }

  private focusNext(): void {
    const n = this.nodes.length + 2;
    for (let k = 1; k <= n; k++) {
      const j = (this.focus + k) % n;
      const open = j === this.wirePane ? this.wireOf !== null : j === this.glancePane ? this.glance.shown : this.panes[j]?.status === null;
      if (open) {
        this.focus = j;
        return;
      }
    }
  }

  keys(keys: Key[]): void {
    const toPane: Key[] = [];
    const give = () => {
      if (toPane.length > 0) this.panes[this.focus]?.session.keys(toPane.splice(0));
    };
    for (const k of keys) {
      const window = windowKey(k);
      if (window === null) {
        toPane.push(k);
        continue;
      }
      give();
      if (window === 'next') {
        this.focusNext();
        if (this.zoom !== null) this.zoom = this.focus;
      } else if (window === 'zoom') {
        this.zoom = this.zoom === null ? this.focus : null;
      } else if (window === 'glance') {
        this.toggleGlance();
      } else if (this.focus === this.glancePane) {
        // no node in focus whose wire to show
        process.stdout.write('\x07');
      } else if (this.focus === this.wirePane) {
        // hide the wire pane, back to the node it showed
        this.focus = this.wireOf ?? 0;
        this.wireOf = null;
        this.zoom = null;
      } else {
        // show the wire of the node in focus; again on the same node hides it
        this.wireOf = this.wireOf === this.focus ? null : this.focus;
        if (this.zoom !== null && this.wireOf !== null) this.zoom = null;
      }
      this.redraw();
    }
    const pane = this.panes[this.focus];
    // typed before the node in focus has started: kept for its pane, as the shell keeps what is typed ahead
    if (pane === undefined && this.focus < this.nodes.length) this.early.push(...toPane);
    // nothing to type into: the wire pane, a halted node
    else if (pane?.status !== null && toPane.length > 0) process.stdout.write('\x07');
    else give();
  }

  /** Show the glance pane, or hide it (and leave it, when it was in focus). */
  private toggleGlance(): void {
    if (this.glance.shown) {
      this.glance.hide();
      if (this.zoom === this.glancePane) this.zoom = null;
      if (this.focus === this.glancePane) this.focusNext();
    } else {
      this.glance.show();
      if (this.zoom !== null) this.zoom = null;
    }
  }

  /** The window's rows for a terminal of `cols` × `rows`. */
  frame(cols: number, rows: number): string[] {
    const table = this.glanceLines(cols);
    const l = this.layout(cols, rows, table.length);
    const names = this.names;
    const boxes: { r: Rect; rows: string[] }[] = [];
    l.panes.forEach((r, i) => {
      const pane = this.panes[i];
      if (r === null) return;
      const focused = i === this.focus;
      // the tour's hint in the pane in focus; with the wire pane in focus, in the pane it names
      const hinted = this.focus >= this.nodes.length ? this.tour?.pane : this.focus;
      const hint = this.tour && i === hinted ? this.tour.hint(this.focus, names) : [];
      const content = pane ? pane.rows(r.w - 2, r.h - 2, hint) : [this.style.note(`starting ${this.nodes[i]!.name}...`)];
      boxes.push({ r, rows: box(r, focused ? `* ${names[i]}` : names[i]!, content, focused) });
    });
    if (l.wire !== null && this.wireOf !== null) {
      const r = l.wire;
      const focused = this.focus === this.wirePane;
      const note = this.tour?.wireNote ? wrapWords(`what the wire shows: ${this.tour.wireNote}`, r.w - 2).map((n) => this.style.note(n)) : [];
      const title = `${focused ? '* ' : ''}wire: ${names[this.wireOf]}`;
      boxes.push({ r, rows: box(r, title, tailRows(this.wire[this.wireOf] ?? [], note, r.w - 2, r.h - 2), focused) });
    }
    if (l.glance !== null) {
      const focused = this.focus === this.glancePane;
      boxes.push({ r: l.glance, rows: box(l.glance, `${focused ? '* ' : ''}cluster`, table, focused) });
    }
    const where = this.focus === this.wirePane ? 'wire' : this.focus === this.glancePane ? 'cluster' : names[this.focus];
    const status = `${where}  ·  Ctrl-O/F2 next pane  ·  Ctrl-X/F3 zoom  ·  Ctrl-V/F4 wire view${this.wireOf !== null ? ` (${names[this.wireOf]})` : ''}  ·  Ctrl-S/F5 cluster`;
    return compose(l, boxes, this.style.note(status), cols);
  }
}

type WindowKey = 'next' | 'zoom' | 'wire' | 'glance';

function windowKey(k: Key): WindowKey | null {
  if ((k.kind === 'ctrl' && k.ch === 'o') || (k.kind === 'key' && k.name === 'f2')) return 'next';
  if ((k.kind === 'ctrl' && k.ch === 'x') || (k.kind === 'key' && k.name === 'f3')) return 'zoom';
  if ((k.kind === 'ctrl' && k.ch === 'v') || (k.kind === 'key' && k.name === 'f4')) return 'wire';
  if ((k.kind === 'ctrl' && k.ch === 's') || (k.kind === 'key' && k.name === 'f5')) return 'glance';
  return null;
}

/** The newest lines that fit `height` rows of `width`, with the rows of `footer` under them. */
function tailRows(lines: readonly string[], bottom: string[], width: number, height: number): string[] {
  const room = Math.max(0, height - bottom.length);
  const above = newestRows(lines, width, room);
  return [...above, ...bottom].slice(-height);
}

function ClusterWindow({ cluster }: { cluster: Cluster }): React.JSX.Element {
  const [, setFrame] = useState(0);
  const { stdout } = useStdout();

  useLayoutEffect(() => {
    const redraw = () => setFrame((n) => n + 1);
    cluster.redraw = redraw;
    stdout.on('resize', redraw);
    return () => {
      cluster.redraw = () => {};
      stdout.off('resize', redraw);
    };
  }, [cluster, stdout]);

  useRawKeys(useCallback((keys: Key[]) => cluster.keys(keys), [cluster]));

  const lines = cluster.frame(stdout.columns || 80, stdout.rows || 24);
  return <EditArea rows={lines} />;
}

/** Start the window on the process's terminal; resolves when every node has halted. */
export function startCluster(nodes: ClusterNodeStart[], opts: ClusterOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    let instance: ReturnType<typeof render> | null = null;
    const restore = () => process.stdout.write(BRACKETED_PASTE_OFF + ALT_SCREEN_OFF);
    const cluster = new Cluster(nodes, opts, makeStyle(opts.color), (code) => {
      process.exitCode = code;
      setImmediate(() => {
        instance?.unmount();
        restore();
        resolve();
        const leave = () => process.exit(code);
        if (process.stdout.writableLength === 0) setImmediate(leave);
        else process.stdout.once('drain', leave);
      });
    });
    process.stdout.write(ALT_SCREEN_ON + BRACKETED_PASTE_ON);
    process.once('exit', restore);
    instance = render(<ClusterWindow cluster={cluster} />, {
      stdout: process.stdout,
      stdin: process.stdin,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    cluster.startNext(process.stdout.columns || 80, process.stdout.rows || 24);
  });
}
