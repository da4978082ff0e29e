// Key decoding for the raw terminal: turns the bytes a terminal sends (as a string) into key events.
// Ink's useInput knows no Home/End, merges a paste into one event and drops Alt-letters in places,
// so the shell reads raw chunks and decodes them here, the way edlin's key_map reads characters:
// ESC is a meta prefix, CSI sequences name the cursor keys, and a bracketed paste stays one text.

export type KeyName =
  | 'enter'
  | 'tab'
  | 'backspace'
  | 'delete'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'escape'
  /** F1-F5: the shell leaves them alone; the cluster window moves between panes with them */
  | 'f1'
  | 'f2'
  | 'f3'
  | 'f4'
  | 'f5';

export type Key =
  /** printable text typed (or pasted without bracketed-paste markers), one or more characters, no newline */
  | { kind: 'text'; text: string }
  /** a named key; ctrl / meta when a modifier came with it (Ctrl-Left, Alt-Backspace) */
  | { kind: 'key'; name: KeyName; ctrl?: boolean; meta?: boolean }
  /** Ctrl-letter, letter in lower case: 'a' for Ctrl-A, 'c' for Ctrl-C, 'g' for Ctrl-G, ']' for Ctrl-] */
  | { kind: 'ctrl'; ch: string }
  /** Alt-char (ESC then char), char as typed: 'b', 'f', 'd', 'y', 'B' */
  | { kind: 'meta'; ch: string }
  /** bracketed paste: the pasted text, newlines as '\n' */
  | { kind: 'paste'; text: string };

const ESC = '\x1b';
const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

/** Final bytes of CSI / SS3 sequences that name keys. */
const CSI_FINAL: Record<string, KeyName> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };
/** `ESC [ n ~` sequences. */
const CSI_TILDE: Record<string, KeyName> = { '1': 'home', '7': 'home', '4': 'end', '8': 'end', '3': 'delete', '11': 'f1', '12': 'f2', '13': 'f3', '14': 'f4', '15': 'f5' };
/** `ESC O x`: the cursor keys in application mode, and F1-F4. */
const SS3_FINAL: Record<string, KeyName> = { ...CSI_FINAL, P: 'f1', Q: 'f2', R: 'f3', S: 'f4' };

/**
 * A stateful decoder: a chunk may end in the middle of an escape sequence or a paste, which is kept
 * until the next chunk. `flush()` gives up on a lone trailing ESC (the Escape key itself).
 */
export class KeyDecoder {
  private pending = '';
  private pasting: string | null = null;

  feed(chunk: string): Key[] {
    const keys: Key[] = [];
    let s = this.pending + chunk;
    this.pending = '';
    let text = '';
    const flushText = () => {
      if (text) keys.push({ kind: 'text', text });
      text = '';
    };
    let i = 0;
    while (i < s.length) {
      if (this.pasting !== null) {
        const end = s.indexOf(PASTE_END, i);
        if (end < 0) {
          // keep a possible partial end marker for the next chunk
          const keep = partialSuffix(s.slice(i), PASTE_END);
          this.pasting += s.slice(i, s.length - keep);
          this.pending = s.slice(s.length - keep);
          return keys;
        }
        this.pasting += s.slice(i, end);
        keys.push({ kind: 'paste', text: this.pasting.replace(/\r\n?/g, '\n') });
        this.pasting = null;
        i = end + PASTE_END.length;
        continue;
      }
      const c = s[i]!;
      if (c === ESC) {
        flushText();
        const r = decodeEscape(s, i);
        if (r === 'incomplete') {
          this.pending = s.slice(i);
          return keys;
        }
        if (r.paste) {
          this.pasting = '';
        } else if (r.key) {
          keys.push(r.key);
        }
        i = r.next;
        continue;
      }
      const code = c.charCodeAt(0);
      if (c === '\r' || c === '\n') {
        flushText();
        keys.push({ kind: 'key', name: 'enter' });
        // a pasted CRLF is one line end
        if (c === '\r' && s[i + 1] === '\n') i++;
        i++;
        continue;
      }
      if (c === '\t') {
        flushText();
        keys.push({ kind: 'key', name: 'tab' });
        i++;
        continue;
      }
      if (code === 0x7f || code === 0x08) {
        flushText();
        keys.push({ kind: 'key', name: 'backspace' });
        i++;
        continue;
      }
      if (code < 0x20) {
        flushText();
        keys.push({ kind: 'ctrl', ch: String.fromCharCode(code + 0x60) });
        i++;
        continue;
      }
      text += c;
      i++;
    }
    flushText();
    return keys;
  }

  /** A lone ESC left at the end of input is the Escape key. */
  flush(): Key[] {
    const keys: Key[] = [];
    if (this.pending === ESC) keys.push({ kind: 'key', name: 'escape' });
    this.pending = '';
    return keys;
  }

  /** Whether a chunk ended inside an escape sequence (the caller may wait briefly, then flush()). */
  get hasPending(): boolean {
    return this.pending !== '' && this.pasting === null;
  }
}

/** One-shot decoding of a complete chunk (a trailing lone ESC counts as the Escape key). */
export function decodeKeys(chunk: string): Key[] {
  const d = new KeyDecoder();
  return [...d.feed(chunk), ...d.flush()];
}

type Decoded = { key?: Key; paste?: boolean; next: number };

/** Decode the escape sequence starting at s[i] (an ESC). */
function decodeEscape(s: string, i: number): Decoded | 'incomplete' {
  if (i + 1 >= s.length) return 'incomplete';
  const c1 = s[i + 1]!;
  if (c1 === '[') {
    // CSI: parameters (digits and ';'), then one final byte
    let j = i + 2;
    while (j < s.length && /[0-9;]/.test(s[j]!)) j++;
    if (j >= s.length) return 'incomplete';
    const params = s.slice(i + 2, j);
    const final = s[j]!;
    const next = j + 1;
    if (final === '~') {
      if (params === '200') return { paste: true, next };
      const [n, mod] = params.split(';');
      const name = CSI_TILDE[n ?? ''];
      return name ? { key: withModifier({ kind: 'key', name }, mod), next } : { next };
    }
    const name = CSI_FINAL[final];
    if (name) {
      const mod = params.split(';')[1] ?? (params === '5' ? '5' : undefined);
      return { key: withModifier({ kind: 'key', name }, mod), next };
    }
    return { next }; // an unknown CSI sequence: swallow it rather than insert its bytes
  }
  if (c1 === 'O') {
    if (i + 2 >= s.length) return 'incomplete';
    const name = SS3_FINAL[s[i + 2]!];
    return name ? { key: { kind: 'key', name }, next: i + 3 } : { next: i + 3 };
  }
  if (c1 === ESC) {
    // ESC ESC [ C: Alt-Right in some terminals; otherwise a doubled ESC
    const r = decodeEscape(s, i + 1);
    if (r === 'incomplete') return 'incomplete';
    if (r.key && r.key.kind === 'key') return { key: { ...r.key, meta: true }, next: r.next };
    return { key: { kind: 'key', name: 'escape' }, next: i + 1 };
  }
  if (c1 === '\x7f' || c1 === '\x08') return { key: { kind: 'key', name: 'backspace', meta: true }, next: i + 2 };
  if (c1 === '\r') return { key: { kind: 'key', name: 'enter', meta: true }, next: i + 2 };
  const cp = s.codePointAt(i + 1)!;
  const ch = String.fromCodePoint(cp);
  return { key: { kind: 'meta', ch }, next: i + 1 + ch.length };
}

/** xterm modifier parameter: 3 Alt, 5 Ctrl, 7 Ctrl-Alt. */
function withModifier(key: { kind: 'key'; name: KeyName }, mod: string | undefined): Key {
  const m = mod ? Number(mod) - 1 : 0;
  const out: { kind: 'key'; name: KeyName; ctrl?: boolean; meta?: boolean } = { ...key };
  if (m & 4) out.ctrl = true;
  if (m & 2) out.meta = true;
  return out;
}

/** Length of the longest suffix of s that is a proper prefix of marker. */
function partialSuffix(s: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, s.length); n > 0; n--) {
    if (s.endsWith(marker.slice(0, n))) return n;
  }
  return 0;
}
