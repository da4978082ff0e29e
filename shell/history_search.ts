// Ctrl-R: erl's reverse search through the history. Each character narrows the search, Ctrl-R
// looks further back, Enter runs the entry found, any other key leaves with it ready to edit.

import type { History } from './history.js';
import type { Key } from './keys.js';

/** What a key typed during the search asks of the session. */
export type SearchStep =
  /** still searching (the search line changed, or not) */
  | { kind: 'searching' }
  /** nothing further back: ring the bell, keep searching */
  | { kind: 'beep' }
  /** Enter: run this entry (the search line stands for its first line on the screen) */
  | { kind: 'run'; entry: string }
  /** any other key: leave the search with this entry in the editor */
  | { kind: 'edit'; entry: string };

export class HistorySearch {
  query = '';
  /** the history index of the entry found, -1 when none is */
  private index: number;
  found: string;

  constructor(private readonly history: History) {
    const hit = history.search('');
    this.index = hit ? hit.index : -1;
    this.found = hit ? hit.entry : '';
  }

  /** The line as erl shows it: `(search)`query': found`. */
  get line(): string {
    return `(search)\`${this.query}': ${this.found}`;
  }

  key(k: Key): SearchStep {
    if (k.kind === 'text') {
      this.query += k.text;
      this.research();
    } else if (k.kind === 'key' && k.name === 'backspace') {
      if (this.query === '') return { kind: 'searching' };
      this.query = Array.from(this.query).slice(0, -1).join('');
      this.research();
    } else if (k.kind === 'ctrl' && k.ch === 'r') {
      // further back
      const hit = this.history.search(this.query, this.index - 1);
      if (!hit) return { kind: 'beep' };
      this.index = hit.index;
      this.found = hit.entry;
    } else if (k.kind === 'key' && k.name === 'enter') {
      return { kind: 'run', entry: this.found };
    } else {
      return { kind: 'edit', entry: this.found };
    }
    return { kind: 'searching' };
  }

  /** Search again from the newest entry (the query changed). */
  private research(): void {
    const hit = this.history.search(this.query, this.history.all.length - 1);
    this.index = hit ? hit.index : -1;
    this.found = hit ? hit.entry : '';
  }
}
