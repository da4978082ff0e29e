// The line editor: a buffer and a cursor, edited by the keys edlin knows (Emacs style).
// Plain module, no terminal: the UI feeds it keys and renders `rows`. The buffer may hold newlines
// (an expression recalled from history that spanned lines); Home/End and Ctrl-K/U work on the row
// the cursor is on, Up/Down move between rows before they reach the history.

/** Word characters as edlin counts them: ASCII letters, digits, `_`, and Latin-1 letters. */
export function isWordChar(c: string): boolean {
  if (c.length === 0) return false;
  const n = c.codePointAt(0)!;
  return (
    (n >= 0x41 && n <= 0x5a) || // A-Z
    (n >= 0x61 && n <= 0x7a) || // a-z
    (n >= 0x30 && n <= 0x39) || // 0-9
    n === 0x5f || // _
    (n >= 0xc0 && n <= 0xde && n !== 0xd7) || // À-Þ but ×
    (n >= 0xdf && n <= 0xff && n !== 0xf7) // ß-ÿ but ÷
  );
}

const KILL_RING_SIZE = 16;

export class LineEditor {
  /** the buffer as code points, so the cursor never splits a surrogate pair */
  private chars: string[] = [];
  private pos = 0;
  /** killed texts, newest last; shared by all lines of a session as erl's kill buffer is */
  private killRing: string[] = [];
  /** where the last yank put its text, so Alt-Y can swap it for an older kill */
  private lastYank: { start: number; end: number; back: number } | null = null;

  get text(): string {
    return this.chars.join('');
  }
  get cursor(): number {
    return this.pos;
  }
  /** text before the cursor (what completion looks at) */
  get before(): string {
    return this.chars.slice(0, this.pos).join('');
  }
  get after(): string {
    return this.chars.slice(this.pos).join('');
  }
  get isEmpty(): boolean {
    return this.chars.length === 0;
  }
  /** the newest killed text ('' when nothing was killed yet) */
  get killed(): string {
    return this.killRing[this.killRing.length - 1] ?? '';
  }

  /** Replace the buffer; the cursor goes to the end unless given. */
  set(text: string, cursor?: number): void {
    this.chars = Array.from(text);
    this.pos = cursor === undefined ? this.chars.length : clamp(cursor, 0, this.chars.length);
    this.lastYank = null;
  }

  clear(): void {
    this.set('');
  }

  insert(s: string): void {
    const add = Array.from(s);
    this.chars.splice(this.pos, 0, ...add);
    this.pos += add.length;
    this.lastYank = null;
  }

  /** Backspace / Ctrl-H. False (a beep) at the start of the buffer. */
  backspace(): boolean {
    if (this.pos === 0) return false;
    this.chars.splice(this.pos - 1, 1);
    this.pos--;
    this.lastYank = null;
    return true;
  }

  /** Delete / Ctrl-D: the character under the cursor. False (a beep) at the end, as erl does. */
  deleteForward(): boolean {
    if (this.pos >= this.chars.length) return false;
    this.chars.splice(this.pos, 1);
    this.lastYank = null;
    return true;
  }

  left(): boolean {
    if (this.pos === 0) return false;
    this.pos--;
    return true;
  }

  right(): boolean {
    if (this.pos >= this.chars.length) return false;
    this.pos++;
    return true;
  }

  /** Home / Ctrl-A: start of the current row. */
  home(): boolean {
    this.pos = this.rowStart(this.pos);
    return true;
  }

  /** End / Ctrl-E: end of the current row. */
  end(): boolean {
    this.pos = this.rowEnd(this.pos);
    return true;
  }

  /** Alt-B: back over non-word characters, then over a word (edlin's backward_word). */
  wordLeft(): boolean {
    if (this.pos === 0) return false;
    let p = this.pos;
    while (p > 0 && !isWordChar(this.chars[p - 1]!)) p--;
    while (p > 0 && isWordChar(this.chars[p - 1]!)) p--;
    this.pos = p;
    return true;
  }

  /** Alt-F: forward over non-word characters, then over a word. */
  wordRight(): boolean {
    if (this.pos >= this.chars.length) return false;
    this.pos = this.wordEnd(this.pos);
    return true;
  }

  /** Ctrl-K: kill to the end of the row (at a row's end, kill the line break). */
  killToEnd(): boolean {
    let end = this.rowEnd(this.pos);
    if (end === this.pos && end < this.chars.length) end++; // join with the next row
    return this.kill(this.pos, end);
  }

  /** Ctrl-U: kill from the start of the row to the cursor. */
  killToStart(): boolean {
    const start = this.rowStart(this.pos);
    const ok = this.kill(start, this.pos);
    return ok;
  }

  /** Ctrl-W / Alt-Backspace: kill the word before the cursor (and the non-word characters after it). */
  killWordBackward(): boolean {
    let p = this.pos;
    while (p > 0 && !isWordChar(this.chars[p - 1]!)) p--;
    while (p > 0 && isWordChar(this.chars[p - 1]!)) p--;
    return this.kill(p, this.pos);
  }

  /** Alt-D: kill the word after the cursor. */
  killWordForward(): boolean {
    return this.kill(this.pos, this.wordEnd(this.pos));
  }

  /** Ctrl-Y: insert the newest kill. */
  yank(): boolean {
    const text = this.killed;
    if (!text) return false;
    const start = this.pos;
    this.insert(text);
    this.lastYank = { start, end: this.pos, back: 0 };
    return true;
  }

  /** Alt-Y right after Ctrl-Y (or Alt-Y): replace the yanked text with the next older kill. */
  yankPop(): boolean {
    const y = this.lastYank;
    if (!y || this.killRing.length < 2) return false;
    const back = (y.back + 1) % this.killRing.length;
    const text = this.killRing[this.killRing.length - 1 - back]!;
    this.chars.splice(y.start, y.end - y.start, ...Array.from(text));
    this.pos = y.start + Array.from(text).length;
    this.lastYank = { start: y.start, end: this.pos, back };
    return true;
  }

  /** Ctrl-T: swap the characters around the cursor (the last two at the end of the buffer). */
  transpose(): boolean {
    const n = this.chars.length;
    if (n < 2 || this.pos === 0) return false;
    const p = this.pos === n ? n - 1 : this.pos;
    const a = this.chars[p - 1]!;
    this.chars[p - 1] = this.chars[p]!;
    this.chars[p] = a;
    this.pos = p + 1;
    this.lastYank = null;
    return true;
  }

  /** Up within a multi-row buffer; false on the first row (the caller goes to history). */
  rowUp(): boolean {
    const start = this.rowStart(this.pos);
    if (start === 0) return false;
    const col = this.pos - start;
    const prevStart = this.rowStart(start - 1);
    this.pos = Math.min(prevStart + col, start - 1);
    return true;
  }

  /** Down within a multi-row buffer; false on the last row. */
  rowDown(): boolean {
    const end = this.rowEnd(this.pos);
    if (end >= this.chars.length) return false;
    const col = this.pos - this.rowStart(this.pos);
    const nextStart = end + 1;
    this.pos = Math.min(nextStart + col, this.rowEnd(nextStart));
    return true;
  }

  /** The buffer split at newlines, with the cursor's row and column. */
  get rows(): { lines: string[]; row: number; col: number } {
    const lines = this.text.split('\n');
    const before = this.chars.slice(0, this.pos);
    const row = before.filter((c) => c === '\n').length;
    const col = this.pos - this.rowStart(this.pos);
    return { lines, row, col };
  }

  private kill(from: number, to: number): boolean {
    if (to <= from) return false;
    const text = this.chars.slice(from, to).join('');
    this.chars.splice(from, to - from);
    this.pos = from;
    this.killRing.push(text);
    if (this.killRing.length > KILL_RING_SIZE) this.killRing.shift();
    this.lastYank = null;
    return true;
  }

  private wordEnd(p: number): number {
    const n = this.chars.length;
    while (p < n && !isWordChar(this.chars[p]!)) p++;
    while (p < n && isWordChar(this.chars[p]!)) p++;
    return p;
  }

  private rowStart(p: number): number {
    while (p > 0 && this.chars[p - 1] !== '\n') p--;
    return p;
  }

  private rowEnd(p: number): number {
    while (p < this.chars.length && this.chars[p] !== '\n') p++;
    return p;
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}
