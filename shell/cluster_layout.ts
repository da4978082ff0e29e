// Where the cluster window's panes go: the nodes side by side when the terminal is wide enough,
// stacked when it is not, the glance pane (as tall as its table) and the wire pane across the bottom
// when shown, one zoomed pane filling the window; and the boxes drawn around them (a double line
// marks the focused pane).

import { fitStyled, visibleWidth } from './styled_rows.js';

/** Columns a node's pane needs to stand beside another. */
export const MIN_SIDE_COLUMNS = 45;

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  /** one per node; null for a pane hidden behind a zoomed one */
  panes: (Rect | null)[];
  wire: Rect | null;
  glance: Rect | null;
  /** the rows the window takes (the status line is the last) */
  height: number;
}

/**
 * The window for `n` nodes (zoom: the pane that fills it, n for the wire pane, n + 1 for the glance
 * pane; glance: the lines of its table, 0 when hidden) on a terminal of `cols` × `rows`: one row
 * less than the terminal (a frame as tall as the terminal would make Ink clear the screen at every
 * frame), the last of them the status line.
 */
export function layout(cols: number, rows: number, n: number, o: { wire: boolean; glance?: number; zoom: number | null }): Layout {
  const height = Math.max(4, rows - 1);
  const area = height - 1;
  if (o.zoom !== null) {
    // zoom n: the wire pane
    const whole = { x: 0, y: 0, w: cols, h: area };
    return {
      panes: Array.from({ length: n }, (_, i) => (i === o.zoom ? whole : null)),
      wire: o.zoom === n ? whole : null,
      glance: o.zoom === n + 1 ? whole : null,
      height,
    };
  }
  const side = cols >= n * MIN_SIDE_COLUMNS;
  // every pane keeps a row inside its box at least; on a terminal too short for that, no wire pane
  const nodesMin = 3 * (side ? 1 : n);
  // the glance pane as tall as its table, when that leaves the nodes their rows; the wire pane under it
  const glanceH = o.glance && area - nodesMin >= 3 ? Math.min(area - nodesMin, o.glance + 2) : 0;
  const left = area - nodesMin - glanceH;
  const wireH = o.wire && left >= 3 ? Math.min(left, Math.max(5, Math.floor(area * 0.4))) : 0;
  const nodesH = area - wireH - glanceH;
  const panes: Rect[] = [];
  for (let i = 0; i < n; i++) {
    if (side) {
      const x = Math.floor((cols * i) / n);
      panes.push({ x, y: 0, w: Math.floor((cols * (i + 1)) / n) - x, h: nodesH });
    } else {
      const y = Math.floor((nodesH * i) / n);
      panes.push({ x: 0, y, w: cols, h: Math.floor((nodesH * (i + 1)) / n) - y });
    }
  }
  return {
    panes,
    glance: glanceH > 0 ? { x: 0, y: nodesH, w: cols, h: glanceH } : null,
    wire: wireH > 0 ? { x: 0, y: nodesH + glanceH, w: cols, h: wireH } : null,
    height,
  };
}

const THIN = { tl: '┌', tr: '┐', bl: '└', br: '┘', h: '─', v: '│' };
const DOUBLE = { tl: '╔', tr: '╗', bl: '╚', br: '╝', h: '═', v: '║' };

/** A pane's box: its title in the top line, `content` inside (cut or padded to fit). */
export function box(r: Rect, title: string, content: readonly string[], focused: boolean): string[] {
  const b = focused ? DOUBLE : THIN;
  const inner = Math.max(1, r.w - 2);
  const label = ` ${title} `;
  const head = visibleWidth(label) <= inner - 1 ? b.h + label + b.h.repeat(inner - 1 - visibleWidth(label)) : b.h.repeat(inner);
  const out = [b.tl + head + b.tr];
  for (let i = 0; i < r.h - 2; i++) out.push(b.v + fitStyled(content[i] ?? '', inner) + b.v);
  out.push(b.bl + b.h.repeat(inner) + b.br);
  return out;
}

/** The window's rows: each box's rows put where its rectangle says, the status line last. */
export function compose(l: Layout, boxes: { r: Rect; rows: string[] }[], status: string, cols: number): string[] {
  const grid: { x: number; text: string }[][] = Array.from({ length: l.height - 1 }, () => []);
  for (const { r, rows } of boxes) rows.forEach((text, i) => grid[r.y + i]?.push({ x: r.x, text }));
  const lines = grid.map((parts) =>
    parts
      .sort((a, b) => a.x - b.x)
      .map((p) => p.text)
      .join(''),
  );
  lines.push(fitStyled(status, cols));
  return lines;
}
