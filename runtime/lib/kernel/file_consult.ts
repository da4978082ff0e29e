// file:consult/1: read a file of dot-terminated Erlang terms (relative names are relative to the
// node's working directory), failing the way OTP's file:consult does:
//
//   {error, enoent | eacces | eisdir | ...}                   the file cannot be read
//   {error, {Line, erl_parse, ["syntax error before: ", T]}}   and {Line, erl_parse, "bad term"}
//   {error, {Line, erl_scan, {string, $", Rest} | {illegal, What}}}
//   {error, {Line, file_io_server, invalid_unicode}}          not UTF-8 (without a latin-1 coding comment)
//
// OTP reads through the file's io server with io:read/3; terl reads the whole text and parses its
// terms with the same parser, which gives the same terms and the same reasons. lib_chan reads its
// configuration with this too.

import { readFileSync } from 'node:fs';
import { Term, atom, tuple, list, charlist } from '../../vm/term.js';
import { resolvePath } from '../../vm/cwd.js';
import { language, ErlSyntaxError } from '../language.js';
import { errnoReason } from './file_io_server.js';

export type Consulted = { ok: true; terms: Term[] } | { ok: false; why: Term };

/** The terms of the file `name` (a path; relative to the node's working directory). */
export function consult(name: string): Consulted {
  const text = readSource(name);
  return text.ok ? consultText(text.text) : text;
}

/** The text of a file of Erlang terms or expressions (file:consult's, file:script's), or why it cannot be read. */
export function readSource(name: string): { ok: true; text: string } | { ok: false; why: Term } {
  let bytes: Buffer;
  try {
    if (name === '') throw Object.assign(new Error('empty name'), { code: 'ENOENT' });
    bytes = readFileSync(resolvePath(name));
  } catch (e) {
    return { ok: false, why: atom(errnoReason(e)) };
  }
  const text = decodeSource(bytes);
  if (typeof text !== 'string') return { ok: false, why: tuple(text.line, atom('file_io_server'), atom('invalid_unicode')) };
  return { ok: true, text };
}

/** The terms of a text, or file:consult's reason for refusing it. */
export function consultText(text: string): Consulted {
  try {
    return { ok: true, terms: language().parseTerms(text) };
  } catch (e) {
    if (!(e instanceof ErlSyntaxError)) throw e;
    return { ok: false, why: syntaxReason(e, text) };
  }
}

export function syntaxReason(e: ErlSyntaxError, text: string): Term {
  const before = 'syntax error before: ';
  if (e.reason.startsWith(before)) return tuple(e.line, atom('erl_parse'), list([charlist(before), charlist(e.reason.slice(before.length))]));
  if (e.reason === 'bad term') return tuple(e.line, atom('erl_parse'), charlist('bad term'));
  const scan = (desc: Term) => tuple(e.line, atom('erl_scan'), desc);
  const unterminated = /^unterminated (string|atom) starting with/.exec(e.reason);
  if (unterminated) {
    const quote = unterminated[1] === 'string' ? 34 : 39;
    return scan(tuple(atom('string'), quote, charlist(restAfter(text, e.line, e.col))));
  }
  const base = /^illegal base '(\d+)'$/.exec(e.reason);
  if (base) return scan(tuple(atom('base'), Number(base[1])));
  const illegal = /^illegal (\w+)$/.exec(e.reason);
  if (illegal) return scan(tuple(atom('illegal'), atom(illegal[1])));
  return scan(charlist(e.reason));
}

/** The text after the quote at (line, col): what erl_scan reports for an unterminated string. */
function restAfter(text: string, line: number, col: number): string {
  let i = 0;
  for (let l = 1; l < line; l++) i = text.indexOf('\n', i) + 1;
  return text.slice(i + col);
}

/** The file's text: UTF-8, or Latin-1 when a coding comment says so; else the line of the first bad byte. */
export function decodeSource(bytes: Buffer): string | { line: number } {
  const head = bytes.subarray(0, 512).toString('latin1').split('\n').slice(0, 2).join('\n');
  if (/coding\s*[:=]\s*(latin-1|iso-8859-1)/i.test(head)) return bytes.toString('latin1');
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return bytes.toString('utf8');
  let line = 1;
  for (let i = 0; i < bad; i++) if (bytes[i] === 10) line++;
  return { line };
}

/** Offset of the first byte that does not start a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= b.length) return i;
    for (let k = 1; k <= n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}
