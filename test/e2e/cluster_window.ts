// Reading the cluster window (terl --cluster, --tour) off a pty's screen: each box drawn on it, by
// its title, with the rows inside it; and typing into the pane in focus.

import { HOST } from '../helpers/dist_nodes.js';
import { KEY, type Term } from './pty.js';

export interface Box {
  /** the title as drawn, without the focus mark */
  title: string;
  focused: boolean;
  /** the rows inside the box, trailing blanks trimmed, the empty rows under the last one left out */
  rows: string[];
  /** where its top-left corner is */
  row: number;
  col: number;
}

/** The window's last row: the status line with its keys. */
const STATUS = /Ctrl-O\/F2 next pane {2}· {2}Ctrl-X\/F3 zoom/;

/**
 * The boxes of the window on the screen now, by title; `rows`: the terminal's height. None while
 * a frame is being drawn (its status line, the last row, not there yet): each frame is read whole.
 */
export function boxes(screen: string, rows: number): Map<string, Box> {
  const all = screen.split('\n').slice(-rows);
  const found = new Map<string, Box>();
  if (!STATUS.test(all[all.length - 1] ?? '')) return found;
  const lines = all.map((l) => Array.from(l));
  lines.forEach((line, r) => {
    line.forEach((ch, c) => {
      if ((ch !== '┌' && ch !== '╔') || (line[c + 1] !== '─' && line[c + 1] !== '═')) return;
      const focused = ch === '╔';
      const right = line.indexOf(focused ? '╗' : '┐', c + 1);
      if (right < 0) return;
      const head = line.slice(c + 1, right).join('');
      const title = head.replace(/^[─═] /, '').replace(/ [─═]*$/, '').replace(/^\* /, '');
      const inside: string[] = [];
      for (let k = r + 1; k < lines.length && lines[k]![c] !== (focused ? '╚' : '└'); k++) {
        inside.push(lines[k]!.slice(c + 1, right).join('').trimEnd());
      }
      while (inside.length > 0 && inside[inside.length - 1] === '') inside.pop();
      found.set(title, { title, focused, rows: inside, row: r, col: c });
    });
  });
  return found;
}

/** Wait until the box titled `title` holds a row matching `what`; returns its rows. */
export async function waitForBox(t: Term, rows: number, title: string, what: RegExp | string, timeoutMs = 20000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const b = boxes(t.screen(), rows).get(title);
    const text = b?.rows.join('\n') ?? '';
    if (b && (typeof what === 'string' ? text.includes(what) : what.test(text))) return b.rows;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(what)} in ${title}; screen:\n${t.screen().split('\n').slice(-rows).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Wait until the boxes on the screen are as `ok` wants them; returns them. */
export async function waitForBoxes(t: Term, rows: number, ok: (b: Map<string, Box>) => boolean, what: string): Promise<Map<string, Box>> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const b = boxes(t.screen(), rows);
    if (ok(b)) return b;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${t.screen().split('\n').slice(-rows).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Wait until the box titled `title` is the one in focus. */
export async function waitForFocus(t: Term, rows: number, title: string): Promise<void> {
  await waitForBoxes(t, rows, (b) => b.get(title)?.focused === true, `${title} in focus`);
}

/** A node's full name, as its prompt shows it. */
export const full = (name: string): string => `${name}@${HOST}`;

/**
 * Type an expression into the pane in focus (node `name`, at prompt n); wait for prompt n+1 there;
 * the rows from the echoed line on, before the new prompt.
 */
export async function typeIn(t: Term, rows: number, name: string, n: number, line: string): Promise<string[]> {
  t.write(line + KEY.enter);
  const prompt = `(${full(name)})${n + 1}>`;
  const inside = await waitForBox(t, rows, full(name), new RegExp(`^${prompt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
  const at = inside.findIndex((r) => r.startsWith(`(${full(name)})${n}> `));
  return inside.slice(at, inside.findIndex((r) => r.startsWith(prompt)));
}
