// How the shell colours what it shows: the prompt, results, errors, and the cursor.
// Colour only when asked (NO_COLOR unset and a terminal); the cursor is always drawn reversed,
// since Ink hides the terminal's own cursor and a reversed cell is not a colour.

import { Chalk } from 'chalk';

export interface Style {
  prompt(s: string): string;
  result(s: string): string;
  error(s: string): string;
  /** terl's own explanation lines (dim): not part of what erl prints */
  note(s: string): string;
  cursor(s: string): string;
}

const reverse = (s: string) => `\x1b[7m${s}\x1b[27m`;
const same = (s: string) => s;

export const plainStyle: Style = { prompt: same, result: same, error: same, note: same, cursor: reverse };

export function makeStyle(color: boolean): Style {
  if (!color) return plainStyle;
  const c = new Chalk({ level: 1 });
  return {
    prompt: (s) => (s ? c.bold(s) : s),
    result: (s) => (s ? c.green(s) : s),
    error: (s) => (s ? c.red(s) : s),
    note: (s) => (s ? c.dim(s) : s),
    cursor: reverse,
  };
}
