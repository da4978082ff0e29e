// The cluster window's glance pane: the window's nodes, each node's distribution port and whom it is
// connected to, in the table the shell's cluster() prints (runtime/lib/stdlib/shell/cluster_table.ts).
// Each node's worker says whom it is connected to when it becomes distributed and at each nodeup and
// nodedown (the bridge's `glance` message), so the table changes as soon as a pane connects or
// disconnects; the port mapper's names are asked each second while the pane is shown, so a node
// started outside the window (a real erl) shows up too. Nothing here connects to any node.

import { hostname } from 'node:os';
import { glanceRows, glanceTable, type KnownNode, type PortMapperName } from '../runtime/lib/stdlib/shell/cluster_table.js';

/** How often the port mapper is asked while the pane is shown. */
const POLL_MS = 1000;

/** What a node's worker last said (the bridge's `glance` message). */
export interface NodeNews {
  node: string;
  port: number;
  links: string[];
}

/** A pane's node as the window knows it. */
export interface PaneNode {
  /** its full name once its prompt showed it, the given name before */
  node: string;
  halted: boolean;
}

export class Glance {
  /** each pane's node's latest news, by pane */
  private readonly news = new Map<number, NodeNews>();
  private names: PortMapperName[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private asking = false;

  constructor(
    /** the names this host's port mapper lists (none when it does not answer) */
    private readonly portMapperNames: () => Promise<PortMapperName[]>,
    /** the table changed: draw the window again */
    private readonly changed: () => void,
  ) {}

  get shown(): boolean {
    return this.timer !== undefined;
  }

  show(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.ask(), POLL_MS);
    void this.ask();
  }

  hide(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A pane's node told whom it is connected to. */
  heard(pane: number, n: NodeNews): void {
    this.news.set(pane, n);
    if (this.shown) this.changed();
  }

  private async ask(): Promise<void> {
    if (this.asking) return;
    this.asking = true;
    try {
      const names = await this.portMapperNames();
      const same = names.length === this.names.length && names.every((n, i) => n.name === this.names[i]!.name && n.port === this.names[i]!.port);
      this.names = names;
      if (!same && this.shown) this.changed();
    } finally {
      this.asking = false;
    }
  }

  /** The table for the window's nodes (pane by pane), at most `width` columns wide where it can be. */
  lines(panes: PaneNode[], width: number): string[] {
    const known: KnownNode[] = panes.map((p, i) => {
      const n = this.news.get(i);
      if (p.halted) return { node: n?.node ?? p.node, status: 'halted', links: [] };
      if (n === undefined) return { node: p.node, status: 'starting', links: 'not known yet' };
      return { node: n.node, port: n.port, status: n.links.length > 0 ? 'connected' : 'not connected', links: n.links };
    });
    const named = known.find((k) => k.node.includes('@'));
    const host = named ? named.node.slice(named.node.indexOf('@') + 1) : hostname().split('.')[0]!;
    return glanceTable(glanceRows({ known, names: this.names, host, machine: hostname(), strangerStatus: 'not in window' }), width);
  }
}
