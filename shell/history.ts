// Shell history: Up/Down through earlier entries, Ctrl-R reverse search, and a file in the user's
// home directory so entries survive the session (erl keeps its own with shell_history; terl always
// does). TERL_HISTORY names another file (tests point it into a temporary directory). The file is
// readable by its owner only (0600): what is typed at a shell can hold secrets.
//
// An entry is what was submitted for one expression: usually one line, several for an expression
// typed over continuation lines. In the file an entry takes one line; a line break inside an entry
// is written `\n` and a backslash `\\`.

import { appendFileSync, chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** How many entries are kept (older ones are dropped when the file is read back). */
export const HISTORY_LIMIT = 1000;

export function historyFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.TERL_HISTORY || join(homedir(), '.terl_history');
}

export function encodeEntry(entry: string): string {
  return entry.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function decodeEntry(line: string): string {
  return line.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

export class History {
  private entries: string[];
  /** index into entries while walking with Up/Down; entries.length = the line being typed */
  private index: number;
  /** the line being typed when Up was first pressed, given back by Down past the newest entry */
  private draft = '';

  constructor(
    entries: string[] = [],
    private readonly file: string | null = null,
    private readonly limit = HISTORY_LIMIT,
  ) {
    this.entries = entries.slice(-limit);
    this.index = this.entries.length;
  }

  /** Read the history file (a missing or unreadable file is an empty history). */
  static load(file: string = historyFile(), limit = HISTORY_LIMIT): History {
    let entries: string[] = [];
    try {
      // a history file made before terl kept it private is made private too
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch {
      /* no file yet */
    }
    try {
      entries = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map(decodeEntry);
    } catch {
      entries = [];
    }
    if (entries.length > limit * 2) {
      // keep the file from growing without bound: rewrite it with the newest entries
      entries = entries.slice(-limit);
      try {
        writeFileSync(file, entries.map((e) => encodeEntry(e) + '\n').join(''), { mode: 0o600 });
      } catch {
        /* a read-only history is still a history */
      }
    }
    return new History(entries, file, limit);
  }

  get all(): readonly string[] {
    return this.entries;
  }

  /** Record a submitted entry (blank ones are not kept; a repeat of the newest is not doubled). */
  add(entry: string): void {
    this.reset();
    if (entry.trim() === '') return;
    if (this.entries[this.entries.length - 1] === entry) return;
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
    this.index = this.entries.length;
    this.persist(entry);
  }

  /** Up: the previous entry, or null at the oldest. `current` is what is in the editor now. */
  prev(current: string): string | null {
    if (this.index === 0) return null;
    if (this.index === this.entries.length) this.draft = current;
    this.index--;
    return this.entries[this.index]!;
  }

  /** Down: the next entry, the saved draft past the newest, or null when already there. */
  next(): string | null {
    if (this.index >= this.entries.length) return null;
    this.index++;
    return this.index === this.entries.length ? this.draft : this.entries[this.index]!;
  }

  /** Stop walking: the next Up starts from the newest entry again. */
  reset(): void {
    this.index = this.entries.length;
    this.draft = '';
  }

  /**
   * Ctrl-R: the newest entry containing `query` at or before index `from` (default: the newest),
   * with its index so Ctrl-R again can search further back from index - 1.
   */
  search(query: string, from = this.entries.length - 1): { entry: string; index: number } | null {
    for (let i = Math.min(from, this.entries.length - 1); i >= 0; i--) {
      if (this.entries[i]!.includes(query)) return { entry: this.entries[i]!, index: i };
    }
    return null;
  }

  private persist(entry: string): void {
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      // what was typed may hold passwords or cookies: the file is the user's alone (0600)
      appendFileSync(this.file, encodeEntry(entry) + '\n', { mode: 0o600 });
    } catch {
      /* history is a convenience: never fail the shell over it */
    }
  }
}
