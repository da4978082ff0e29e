// Shell history (shell/history.ts): Up/Down, Ctrl-R search, and the file that carries it to the next session.

import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { History, historyFile, encodeEntry, decodeEntry } from '../../shell/history.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'terl-history-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('walking with Up and Down', () => {
  it('Up gives older entries, Down newer ones, and past the newest the line that was being typed', () => {
    const h = new History(['a.', 'b.', 'c.']);
    expect(h.prev('draft')).toBe('c.');
    expect(h.prev('c.')).toBe('b.');
    expect(h.prev('b.')).toBe('a.');
    expect(h.prev('a.')).toBeNull();
    expect(h.next()).toBe('b.');
    expect(h.next()).toBe('c.');
    expect(h.next()).toBe('draft');
    expect(h.next()).toBeNull();
  });

  it('an empty history has nothing for Up', () => {
    expect(new History().prev('')).toBeNull();
  });

  it('adding an entry starts the next walk from the newest', () => {
    const h = new History(['a.', 'b.']);
    h.prev('');
    h.prev('');
    h.add('c.');
    expect(h.prev('')).toBe('c.');
  });

  it('blank lines are not kept, nor a repeat of the newest entry', () => {
    const h = new History();
    h.add('1.');
    h.add('   ');
    h.add('1.');
    h.add('2.');
    expect(h.all).toEqual(['1.', '2.']);
  });

  it('keeps at most its limit, dropping the oldest', () => {
    const h = new History([], null, 3);
    for (const e of ['1.', '2.', '3.', '4.']) h.add(e);
    expect(h.all).toEqual(['2.', '3.', '4.']);
  });
});

describe('Ctrl-R', () => {
  const h = new History(['X1 = 10.', 'Y = 20.', 'lists:seq(1, 10).', 'X1 + 1.']);

  it('finds the newest entry containing the text', () => {
    expect(h.search('X1')).toEqual({ entry: 'X1 + 1.', index: 3 });
  });

  it('searches further back from before the last hit', () => {
    expect(h.search('X1', 2)).toEqual({ entry: 'X1 = 10.', index: 0 });
    expect(h.search('X1', -1)).toBeNull();
  });

  it('an empty search finds the newest entry; a missing text nothing', () => {
    expect(h.search('')?.entry).toBe('X1 + 1.');
    expect(h.search('nowhere')).toBeNull();
  });
});

describe('the history file', () => {
  it('is ~/.terl_history unless TERL_HISTORY names another', () => {
    expect(historyFile({})).toBe(join(homedir(), '.terl_history'));
    expect(historyFile({ TERL_HISTORY: '/tmp/h' })).toBe('/tmp/h');
  });

  it('entries added in one session are there in the next', () => {
    const file = join(dir, 'sub', 'hist');
    const first = History.load(file);
    first.add('X = 1.');
    first.add('lists:reverse([1,2]).');
    const second = History.load(file);
    expect(second.all).toEqual(['X = 1.', 'lists:reverse([1,2]).']);
    expect(second.prev('')).toBe('lists:reverse([1,2]).');
  });

  it('an entry of several lines (and backslashes) survives the file', () => {
    const file = join(dir, 'hist');
    const entry = 'f(X) ->\n  "a\\\\n".';
    History.load(file).add(entry);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    expect(History.load(file).all).toEqual([entry]);
    expect(decodeEntry(encodeEntry('a\\nb\nc'))).toBe('a\\nb\nc');
  });

  it('a missing file is an empty history', () => {
    expect(History.load(join(dir, 'none')).all).toEqual([]);
  });

  it('a file grown past twice the limit is cut back to the newest entries', () => {
    const file = join(dir, 'hist');
    writeFileSync(file, Array.from({ length: 25 }, (_, i) => `${i}.\n`).join(''));
    const h = History.load(file, 10);
    expect(h.all).toEqual(Array.from({ length: 10 }, (_, i) => `${i + 15}.`));
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(10);
  });
});
