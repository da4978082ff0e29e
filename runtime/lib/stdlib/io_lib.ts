// Module io_lib: text of terms and format strings, built on runtime/lib/stdlib/format (the same printers the
// shell and io:format use). io_lib:format returns OTP's outer shape, the format's characters with
// one character list per directive (io_lib:format("a~wb", [1]) is [97,"1",98]); the text of a
// directive and of write/print is a flat list where OTP nests it deeper (same characters).

import { Atom, List, NIL, Term, atom, bool, isInteger, listToArray } from '../../vm/term.js';
import { ErlangException, badarg } from '../../vm/exception.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { chargeElements } from '../../vm/scheduler.js';
import { codeServer } from '../../vm/code_server.js';
import { trampoline } from '../../vm/abi.js';
import { buildText, format, scanFormat } from './format/io_lib.js';
import { writeTerm } from './format/term.js';
import { printTerm } from './format/pretty.js';
import { charsLength, isPrintableLatin1Char, isPrintableUnicodeChar, quoteChars, writeAtom } from './format/chars.js';
import { A, chardata, fromCodePoints, infoError, isChar, str } from '../common.js';

const IO = 'io_lib';

const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(IO, name, arity, impl);

/**
 * The text of a term or a format, charged to the caller by its characters: one call writes a long
 * term in one native step, so a process formatting one in a loop must end its slice.
 */
function charged(text: string): Term {
  chargeElements(text.length);
  return str(text);
}

/** io_lib:format fails with badarg raised at io_lib.erl line 187, where it catches the formatter. */
function formatText(f: Term, a: Term): Term {
  try {
    const whole = format(f, a); // validates, raising badarg as erl
    chargeElements(whole.length);
    const args = Array.isArray(a) ? a : listToArray(a)!;
    const items = scanFormat(f, args);
    if (items.every((it) => typeof it === 'number')) return str(whole);
    // each directive's text: what it adds after the text before it (~p depends on its column)
    const out: Term[] = [];
    let before = '';
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (typeof it === 'number') {
        out.push(it);
        before += String.fromCodePoint(it);
      } else {
        const upTo = buildText(items.slice(0, i + 1));
        const piece = upTo.slice(before.length);
        before = upTo;
        // OTP nests the text of ~w ~p ~W ~P and ~s of a string; the other controls are spliced in
        const nested = 'wpWP'.includes(it.control) || (it.control === 's' && !(it.args[0] instanceof Atom));
        if (nested) out.push(str(piece));
        else for (const ch of piece) out.push(ch.codePointAt(0)!);
      }
    }
    return listFrom(out);
  } catch (e) {
    if (e instanceof ErlangException && e.reason === A.badarg) throw infoError(A.badarg, IO, 'format', [f, a], undefined, 187);
    throw e;
  }
}

function listFrom(xs: Term[]): Term {
  let l: Term = NIL;
  for (let i = xs.length - 1; i >= 0; i--) l = new List(xs[i], l);
  return l;
}

def('format', 2, formatText);
def('fwrite', 2, formatText);
def('format', 3, (f, a, _opts) => formatText(f, a));
def('fwrite', 3, (f, a, _opts) => formatText(f, a));

def('write', 1, (t) => charged(writeTerm(t)));
def('write', 2, (t, d) => {
  if (!isInteger(d)) throw badarg(IO, 'write', [t, d]);
  return charged(writeTerm(t, { depth: Number(d) }));
});
def('print', 1, (t) => charged(printTerm(t, { column: 1, lineLength: 80 })));
def('print', 4, (t, col, ll, depth) => {
  if (typeof col !== 'number' || typeof ll !== 'number' || !isInteger(depth)) throw badarg(IO, 'print', [t, col, ll, depth]);
  return charged(printTerm(t, { column: col, lineLength: ll, depth: Number(depth) }));
});

def('write_atom', 1, (a) => {
  if (!(a instanceof Atom)) throw badarg(IO, 'write_atom', [a]);
  return str(writeAtom(a));
});
def('write_atom_as_latin1', 1, (a) => {
  if (!(a instanceof Atom)) throw badarg(IO, 'write_atom_as_latin1', [a]);
  return str(writeAtom(a, 'latin1'));
});

/** The characters of a chardata argument, charged to the caller (read in one native step). */
function stringArg(name: string, s: Term): number[] {
  const r = chardata(s);
  if (r === undefined || !r.ok) throw badarg(IO, name, [s]);
  chargeElements(r.chars.length);
  return r.chars;
}

def('write_string', 1, (s) => str(quoteChars(stringArg('write_string', s), '"')));
def('write_string', 2, (s, q) => {
  if (typeof q !== 'number') throw badarg(IO, 'write_string', [s, q]);
  return str(quoteChars(stringArg('write_string', s), String.fromCharCode(q) as '"'));
});
def('write_latin1_string', 1, (s) => str(quoteChars(stringArg('write_latin1_string', s), '"', true)));
def('write_string_as_latin1', 1, (s) => str(quoteChars(stringArg('write_string_as_latin1', s), '"', true)));
def('write_char', 1, (c) => {
  if (!isChar(c)) throw badarg(IO, 'write_char', [c]);
  return str('$' + quoteChars([c], "'").slice(1, -1));
});
def('write_latin1_char', 1, (c) => {
  if (!isChar(c) || c > 255) throw badarg(IO, 'write_latin1_char', [c]);
  return str('$' + quoteChars([c], "'", true).slice(1, -1));
});

def('nl', 0, () => str('\n'));

def('printable_list', 1, (l) => bool(deepChars(l, isPrintableLatin1Char, false)));
def('printable_latin1_list', 1, (l) => bool(deepChars(l, isPrintableLatin1Char, false)));
def('printable_unicode_list', 1, (l) => bool(deepChars(l, isPrintableUnicodeChar, false)));

/** Is t a (possibly deep) list of characters with `ok` codes? Walks iteratively, charging the cells read. */
function deepChars(t: Term, ok: (c: number) => boolean, deep: boolean): boolean {
  const stack: Term[] = [t];
  let read = 0;
  let chars = true;
  walk: while (stack.length) {
    let l = stack.pop()!;
    for (; l instanceof List; l = l.tail, read++) {
      const h = l.head;
      if (typeof h === 'number' ? ok(h) : deep && (h instanceof List || h === NIL)) {
        if (typeof h !== 'number') stack.push(h);
      } else {
        chars = false;
        break walk;
      }
    }
    if (l !== NIL) {
      chars = false;
      break;
    }
  }
  chargeElements(read);
  return chars;
}

def('char_list', 1, (l) => bool(deepChars(l, isChar, false)));
def('deep_char_list', 1, (l) => bool(deepChars(l, isChar, true)));
def('latin1_char_list', 1, (l) => bool(deepChars(l, (c) => c >= 0 && c <= 255, false)));
def('deep_latin1_char_list', 1, (l) => bool(deepChars(l, (c) => c >= 0 && c <= 255, true)));

def('chars_length', 1, (l) => {
  const r = chardata(l);
  if (r === undefined || !r.ok) throw badarg(IO, 'chars_length', [l]);
  chargeElements(r.chars.length);
  return charsLength(fromCodePoints(r.chars));
});

def('indentation', 2, (s, start) => {
  const cps = stringArg('indentation', s);
  let col = start as number;
  for (const c of cps) {
    if (c === 10) col = 0;
    else if (c === 9) col = Math.floor((col + 8) / 8) * 8;
    else col++;
  }
  return col;
});


// ---------- fread: io_lib_fread's, written in Erlang as in OTP ----------

function* ioLibFread(args: Term[]): Generator<unknown, Term, unknown> {
  return yield* trampoline(yield* codeServer.fn(atom('io_lib_fread'), atom('fread'), args.length)(...args));
}

defineGenBif('io_lib', 'fread', 2, function* (format: Term, input: Term) {
  return yield* ioLibFread([format, input]);
});
defineGenBif('io_lib', 'fread', 3, function* (cont: Term, input: Term, format: Term) {
  return yield* ioLibFread([cont, input, format]);
});
