// The line editor (shell/editor.ts): what the buffer and cursor become after each key, as edlin does.

import { describe, it, expect } from 'vitest';
import { LineEditor, isWordChar } from '../../shell/editor.js';

function ed(text: string, cursor?: number): LineEditor {
  const e = new LineEditor();
  e.set(text, cursor);
  return e;
}

/** The buffer with the cursor shown as `|`. */
function show(e: LineEditor): string {
  return e.before + '|' + e.after;
}

describe('inserting and deleting', () => {
  it('inserts at the cursor', () => {
    const e = ed('1+', 1);
    e.insert('0');
    expect(show(e)).toBe('10|+');
  });

  it('types `1+`, goes left twice, inserts, and gets the whole line', () => {
    const e = new LineEditor();
    e.insert('1+');
    e.left();
    e.left();
    e.insert('2*');
    expect(e.text).toBe('2*1+');
    expect(show(e)).toBe('2*|1+');
  });

  it('backspace deletes before the cursor and refuses at the start', () => {
    const e = ed('abc', 1);
    expect(e.backspace()).toBe(true);
    expect(show(e)).toBe('|bc');
    expect(e.backspace()).toBe(false);
    expect(e.text).toBe('bc');
  });

  it('Ctrl-D deletes under the cursor; at the end of the line (or an empty line) it refuses, as erl beeps', () => {
    const e = ed('abc', 0);
    expect(e.deleteForward()).toBe(true);
    expect(show(e)).toBe('|bc');
    e.end();
    expect(e.deleteForward()).toBe(false);
    expect(ed('').deleteForward()).toBe(false);
  });

  it('keeps surrogate pairs whole', () => {
    const e = ed('a😀b');
    e.left();
    e.backspace();
    expect(e.text).toBe('ab');
  });
});

describe('moving', () => {
  it('Home/End and Ctrl-A/E go to the ends of the line', () => {
    const e = ed('foo(bar)', 3);
    e.home();
    expect(e.cursor).toBe(0);
    e.end();
    expect(e.cursor).toBe(8);
  });

  it('left and right stop at the ends', () => {
    const e = ed('ab', 0);
    expect(e.left()).toBe(false);
    expect(e.right()).toBe(true);
    expect(e.right()).toBe(true);
    expect(e.right()).toBe(false);
  });

  it('Alt-B and Alt-F move over words as edlin does (non-word characters, then a word)', () => {
    const e = ed('lists:reverse([1, 2]).');
    e.wordLeft();
    expect(show(e)).toBe('lists:reverse([1, |2]).');
    e.wordLeft();
    e.wordLeft();
    expect(show(e)).toBe('lists:|reverse([1, 2]).');
    e.wordRight();
    expect(show(e)).toBe('lists:reverse|([1, 2]).');
  });

  it('word characters are edlin’s: letters, digits, underscore, Latin-1 letters', () => {
    expect(['a', 'Z', '0', '_', 'é', 'ß'].every(isWordChar)).toBe(true);
    expect([':', '(', ' ', '×', '÷', "'"].some(isWordChar)).toBe(false);
  });
});

describe('killing and yanking', () => {
  it('Ctrl-K kills to the end and Ctrl-Y yanks it back', () => {
    const e = ed('abc def', 3);
    e.killToEnd();
    expect(show(e)).toBe('abc|');
    e.home();
    e.yank();
    expect(show(e)).toBe(' def|abc');
  });

  it('Ctrl-U kills from the start to the cursor', () => {
    const e = ed('abc def', 4);
    e.killToStart();
    expect(show(e)).toBe('|def');
    expect(e.killed).toBe('abc ');
  });

  it('Ctrl-W kills the word before the cursor with the separators after it', () => {
    const e = ed('foo(bar, ');
    e.killWordBackward();
    expect(show(e)).toBe('foo(|');
    expect(e.killed).toBe('bar, ');
  });

  it('Alt-D kills the word after the cursor', () => {
    const e = ed('foo(bar, baz)', 4);
    e.killWordForward();
    expect(show(e)).toBe('foo(|, baz)');
  });

  it('the kill ring: Alt-Y after Ctrl-Y swaps in older kills, round and round', () => {
    const e = new LineEditor();
    for (const w of ['one ', 'two ', 'three ']) {
      e.insert(w);
      e.killWordBackward();
    }
    e.yank();
    expect(e.text).toBe('three ');
    e.yankPop();
    expect(e.text).toBe('two ');
    e.yankPop();
    expect(e.text).toBe('one ');
    e.yankPop();
    expect(e.text).toBe('three ');
  });

  it('Alt-Y without a yank before it does nothing', () => {
    const e = new LineEditor();
    e.insert('a b');
    e.killWordBackward();
    e.insert('x');
    expect(e.yankPop()).toBe(false);
    expect(e.text).toBe('a x');
  });

  it('Ctrl-Y with nothing killed refuses', () => {
    expect(new LineEditor().yank()).toBe(false);
  });

  it('the kill ring outlives the line (erl keeps its kill buffer across lines)', () => {
    const e = ed('abc');
    e.killToStart();
    e.set('x');
    e.yank();
    expect(e.text).toBe('xabc');
  });

  it('Ctrl-T transposes around the cursor, the last two at the end', () => {
    const e = ed('ab', 1);
    e.transpose();
    expect(show(e)).toBe('ba|');
    const f = ed('abc');
    f.transpose();
    expect(show(f)).toBe('acb|');
  });
});

describe('a buffer of several rows', () => {
  it('Home/End and Ctrl-U/K work on the cursor’s row', () => {
    const e = ed('1 +\n2 +\n3.', 6); // in "2 +" after "2 "
    e.home();
    expect(show(e)).toBe('1 +\n|2 +\n3.');
    e.end();
    expect(show(e)).toBe('1 +\n2 +|\n3.');
    e.killToEnd(); // at the row's end: joins the next row
    expect(e.text).toBe('1 +\n2 +3.');
  });

  it('Up and Down move between rows keeping the column, and say when they are at the edge', () => {
    const e = ed('abcd\nef\nghij', 3);
    expect(e.rowUp()).toBe(false);
    expect(e.rowDown()).toBe(true);
    expect(show(e)).toBe('abcd\nef|\nghij');
    expect(e.rowDown()).toBe(true);
    expect(show(e)).toBe('abcd\nef\ngh|ij');
    expect(e.rowDown()).toBe(false);
    expect(e.rowUp()).toBe(true);
    expect(e.rows).toEqual({ lines: ['abcd', 'ef', 'ghij'], row: 1, col: 2 });
  });
});
