// Tokens as erl_scan writes them and erl_parse reads them: {Category, Anno, Symbol} or {Symbol, Anno},
// the annotation a line, {Line, Col}, or [{text, Text}, {location, Location}] with the text option.
// The one place that turns the language's tokens (src/scan.ts) into these terms and back.

import { Atom, ErlFloat, List, NIL, Term, Tuple, atom, charlist, list, listToString, tuple } from '../../vm/term.js';
import type { ScanDesc, Token } from '../../../src/scan.js';

const A = {
  text: atom('text'),
  location: atom('location'),
  dot: atom('dot'),
};

/** How a scan annotates its tokens: with the column when it started from {Line, Col}; with the text on request. */
export interface AnnoStyle {
  columns: boolean;
  text: boolean;
}

/** A location: Line, or {Line, Col}. */
export function locationTerm(line: number, col: number, columns: boolean): Term {
  return columns ? tuple(line, col) : line;
}

function anno(line: number, col: number, text: string, style: AnnoStyle): Term {
  const loc = locationTerm(line, col, style.columns);
  return style.text ? list([tuple(A.text, charlist(text)), tuple(A.location, loc)]) : loc;
}

/** Categories whose token carries a symbol: {Category, Anno, Symbol}. */
const WITH_SYMBOL = new Set(['integer', 'float', 'char', 'string', 'atom', 'var', 'comment', 'white_space']);

/**
 * One token as erl_scan writes it. `reserved` says which names are reserved words (erl_scan's
 * reserved_word_fun): an unquoted name the scanner read as an atom or keyword becomes whichever it says.
 */
export function tokenTerm(t: Token, style: AnnoStyle, reserved?: (name: string) => boolean): Term {
  const an = anno(t.line, t.col, t.text, style);
  let kind = t.kind;
  if (reserved !== undefined && isName(t)) kind = reserved(t.text) ? t.text : 'atom';
  if (!WITH_SYMBOL.has(kind)) return tuple(atom(kind), an);
  switch (kind) {
    case 'float':
      return tuple(atom(kind), an, new ErlFloat(t.value as number));
    case 'string':
    case 'comment':
    case 'white_space':
      return tuple(atom(kind), an, charlist(t.value as string));
    case 'atom':
    case 'var':
      return tuple(atom(kind), an, atom((t.value as string | undefined) ?? t.text));
    default:
      return tuple(atom(kind), an, t.value as Term);
  }
}

/** An unquoted atom or a keyword (both are names the reserved-word test decides between). */
function isName(t: Token): boolean {
  if (t.kind === 'atom') return t.text[0] !== "'";
  return /^[a-z]+$/.test(t.kind) && t.kind === t.text;
}

/** The parts of an annotation: its line, its column if it has one, its text if it has one. */
export function annoParts(an: Term): { line: number; col?: number; text?: string } | undefined {
  if (typeof an === 'number') return { line: an };
  if (an instanceof Tuple && an.elements.length === 2 && typeof an.elements[0] === 'number' && typeof an.elements[1] === 'number') {
    return { line: an.elements[0], col: an.elements[1] };
  }
  if (!(an instanceof List)) return undefined;
  let loc: { line: number; col?: number } | undefined;
  let text: string | undefined;
  for (let l: Term = an; l instanceof List; l = l.tail) {
    const kv = l.head;
    if (!(kv instanceof Tuple) || kv.elements.length !== 2) continue;
    if (kv.elements[0] === A.location) loc = annoParts(kv.elements[1]);
    else if (kv.elements[0] === A.text) text = listToString(kv.elements[1]);
  }
  if (loc === undefined) return undefined;
  return text === undefined ? loc : { ...loc, text };
}

/** A token term read back for the parser; undefined when it is no token. */
export function tokenFromTerm(t: Term): Token | undefined {
  if (!(t instanceof Tuple) || (t.elements.length !== 2 && t.elements.length !== 3) || !(t.elements[0] instanceof Atom)) return undefined;
  const kind = t.elements[0].name;
  const parts = annoParts(t.elements[1]);
  if (parts === undefined) return undefined;
  const tok: Token = { kind, text: parts.text ?? '', line: parts.line, col: parts.col ?? 0 };
  if (t.elements.length === 2) return WITH_SYMBOL.has(kind) ? undefined : tok;
  const v = t.elements[2];
  switch (kind) {
    case 'integer':
      if (typeof v !== 'number' && typeof v !== 'bigint') return undefined;
      tok.value = v;
      return tok;
    case 'float':
      if (!(v instanceof ErlFloat)) return undefined;
      tok.value = v.value;
      return tok;
    case 'char':
      if (typeof v !== 'number') return undefined;
      tok.value = v;
      return tok;
    case 'string': {
      const s = v === NIL ? '' : listToString(v);
      if (s === undefined) return undefined;
      tok.value = s;
      return tok;
    }
    case 'atom':
    case 'var':
      if (!(v instanceof Atom)) return undefined;
      tok.value = v.name;
      return tok;
    default:
      return undefined;
  }
}

/** Is this a dot token ({dot, Anno})? */
export function isDotTerm(t: Term): boolean {
  return t instanceof Tuple && t.elements.length === 2 && t.elements[0] === A.dot;
}

/** erl_scan's ErrorDescriptor: {illegal, What}, {string, Quote, Head}, char or {base, Base}. */
export function scanDescTerm(d: ScanDesc): Term {
  if (d === 'char') return atom('char');
  if ('illegal' in d) return tuple(atom('illegal'), atom(d.illegal));
  if ('base' in d) return tuple(atom('base'), d.base);
  return tuple(atom('string'), d.unterminated === 'string' ? 34 : 39, list(d.head));
}

/** erl_parse's message for a syntax error: "syntax error before: X" as the two strings it gives, other reasons as they are. */
export function parseMessage(reason: string): Term {
  const before = 'syntax error before: ';
  return reason.startsWith(before) ? list([charlist(before), charlist(reason.slice(before.length))]) : charlist(reason);
}
