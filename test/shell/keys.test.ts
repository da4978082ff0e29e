// Key decoding (shell/keys.ts): the bytes a terminal sends, as keys.

import { describe, it, expect } from 'vitest';
import { KeyDecoder, decodeKeys } from '../../shell/keys.js';

describe('decoding keys', () => {
  it('text runs stay together; Enter, Tab and Backspace are keys', () => {
    expect(decodeKeys('1+2.\r')).toEqual([{ kind: 'text', text: '1+2.' }, { kind: 'key', name: 'enter' }]);
    expect(decodeKeys('ab\tc\x7f')).toEqual([
      { kind: 'text', text: 'ab' },
      { kind: 'key', name: 'tab' },
      { kind: 'text', text: 'c' },
      { kind: 'key', name: 'backspace' },
    ]);
  });

  it('a pasted block of lines is its lines with Enter between them, CRLF counting once', () => {
    expect(decodeKeys('1.\r\n2.\n')).toEqual([
      { kind: 'text', text: '1.' },
      { kind: 'key', name: 'enter' },
      { kind: 'text', text: '2.' },
      { kind: 'key', name: 'enter' },
    ]);
  });

  it('control characters are Ctrl-letters', () => {
    expect(decodeKeys('\x01\x03\x07\x12\x17')).toEqual(['a', 'c', 'g', 'r', 'w'].map((ch) => ({ kind: 'ctrl', ch })));
  });

  it('cursor keys in their CSI and SS3 forms, Home/End in all their spellings, Delete', () => {
    const names = (s: string) => decodeKeys(s).map((k) => (k.kind === 'key' ? k.name : k.kind));
    expect(names('\x1b[A\x1b[B\x1b[C\x1b[D')).toEqual(['up', 'down', 'right', 'left']);
    expect(names('\x1bOA\x1bOH\x1bOF')).toEqual(['up', 'home', 'end']);
    expect(names('\x1b[H\x1b[F\x1b[1~\x1b[4~\x1b[7~\x1b[8~')).toEqual(['home', 'end', 'home', 'end', 'home', 'end']);
    expect(names('\x1b[3~')).toEqual(['delete']);
  });

  it('modifiers: Ctrl-Left, Alt-Right', () => {
    expect(decodeKeys('\x1b[1;5D')).toEqual([{ kind: 'key', name: 'left', ctrl: true }]);
    expect(decodeKeys('\x1b[1;3C')).toEqual([{ kind: 'key', name: 'right', meta: true }]);
    expect(decodeKeys('\x1b\x1b[C')).toEqual([{ kind: 'key', name: 'right', meta: true }]);
  });

  it('ESC then a character is Alt-character; Alt-Backspace', () => {
    expect(decodeKeys('\x1bb\x1bf\x1bd')).toEqual(['b', 'f', 'd'].map((ch) => ({ kind: 'meta', ch })));
    expect(decodeKeys('\x1b\x7f')).toEqual([{ kind: 'key', name: 'backspace', meta: true }]);
  });

  it('a lone ESC at the end is the Escape key', () => {
    expect(decodeKeys('\x1b')).toEqual([{ kind: 'key', name: 'escape' }]);
  });

  it('unknown sequences are swallowed, not typed', () => {
    expect(decodeKeys('\x1b[99zx')).toEqual([{ kind: 'text', text: 'x' }]);
  });

  it('bracketed paste is one paste, even split across chunks', () => {
    const d = new KeyDecoder();
    expect(d.feed('\x1b[200~1.\r2')).toEqual([]);
    expect(d.feed('.\x1b[20')).toEqual([]);
    expect(d.feed('1~x')).toEqual([
      { kind: 'paste', text: '1.\n2.' },
      { kind: 'text', text: 'x' },
    ]);
  });

  it('an escape sequence cut between chunks is finished by the next chunk', () => {
    const d = new KeyDecoder();
    expect(d.feed('a\x1b[')).toEqual([{ kind: 'text', text: 'a' }]);
    expect(d.hasPending).toBe(true);
    expect(d.feed('D')).toEqual([{ kind: 'key', name: 'left' }]);
    expect(d.hasPending).toBe(false);
  });

  it('text outside the BMP stays whole', () => {
    expect(decodeKeys('é😀')).toEqual([{ kind: 'text', text: 'é😀' }]);
    expect(decodeKeys('\x1b😀')).toEqual([{ kind: 'meta', ch: '😀' }]);
  });
});
