// Styled text (SGR escapes from style.ts) cut into rows of a pane's width and padded to it: the
// cluster window lays its panes out itself, so it needs every row's width in columns exactly.

import { columns } from './session.js';

// eslint-disable-next-line no-control-regex
const SGR = /^\x1b\[[0-9;]*m/;
/** Codes that end a style: reset, normal intensity, default colours, not reversed. */
const CLOSING = new Set(['0', '', '22', '27', '39', '49']);

/** The line cut into rows of at most `width` columns; a style open at a cut goes on in the next row. */
export function wrapStyled(line: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  let used = 0;
  let open = '';
  let i = 0;
  while (i < line.length) {
    const m = line[i] === '\x1b' ? SGR.exec(line.slice(i)) : null;
    if (m) {
      row += m[0];
      const code = m[0].slice(2, -1);
      open = CLOSING.has(code) ? '' : open + m[0];
      i += m[0].length;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    const w = columns(ch);
    if (used + w > width && used > 0) {
      rows.push(open ? row + '\x1b[0m' : row);
      row = open;
      used = 0;
    }
    row += ch;
    used += w;
    i += ch.length;
  }
  rows.push(row);
  return rows;
}

/** Columns the text takes on the screen (escapes take none). */
export function visibleWidth(text: string): number {
  let n = 0;
  // eslint-disable-next-line no-control-regex
  for (const ch of text.replace(/\x1b\[[0-9;]*m/g, '')) n += columns(ch);
  return n;
}

/** The row cut or padded with blanks to exactly `width` columns. */
export function fitStyled(row: string, width: number): string {
  const w = visibleWidth(row);
  if (w <= width) return row + ' '.repeat(width - w);
  return wrapStyled(row, width)[0]! + ' '.repeat(Math.max(0, width - visibleWidth(wrapStyled(row, width)[0]!)));
}

/** The newest lines that fit `room` rows of `width` columns (the oldest of them may be cut at the top). */
export function newestRows(lines: readonly string[], width: number, room: number): string[] {
  const rows: string[] = [];
  for (let i = lines.length - 1; i >= 0 && rows.length < room; i--) {
    const wrapped = wrapStyled(lines[i]!, width);
    rows.unshift(...wrapped.slice(Math.max(0, wrapped.length - (room - rows.length))));
  }
  return rows;
}

/** Plain text cut into rows of at most `width` columns at blanks (a word longer than a row is cut). */
export function wrapWords(text: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(' ')) {
    const joined = row === '' ? word : `${row} ${word}`;
    if (visibleWidth(joined) <= width) {
      row = joined;
      continue;
    }
    if (row !== '') rows.push(row);
    const pieces = wrapStyled(word, width);
    rows.push(...pieces.slice(0, -1));
    row = pieces[pieces.length - 1]!;
  }
  rows.push(row);
  return rows;
}
