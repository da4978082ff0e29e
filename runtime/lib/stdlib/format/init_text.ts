// The text init prints when it halts the node over a term (init terminating in do_boot (...)):
// its own small printer, not io_lib. Deep terms are cut off: past three levels a list prints as
// [_] and a tuple as {_}; a list of printable ASCII is printed as its characters, unquoted, and
// so are atoms; maps, binaries, references, funs and ports print as nothing.

import { Atom, ErlFloat, List, NIL, Pid, Term, Tuple } from '../../../vm/term.js';
import { formatPid } from './term.js';

/** How deep init's printer goes before it cuts a list or tuple off. */
const DEPTH = 4;

export function initText(t: Term, depth = 0): string {
  if (typeof t === 'number' || typeof t === 'bigint') return String(t);
  if (t instanceof Atom) return t.name;
  if (t instanceof Pid) return formatPid(t);
  if (t instanceof ErlFloat) return floatToList(t.value);
  if (t === NIL || t instanceof List) {
    if (depth >= DEPTH) return '[_]';
    const flat = flatten(t);
    if (flat !== undefined && flat.length > 0 && flat.every(isPrintable)) return String.fromCharCode(...flat);
    const items: string[] = [];
    for (let l: Term = t; l instanceof List; l = l.tail) items.push(initText(l.head, depth + 1));
    return '[' + items.join(',') + ']';
  }
  if (t instanceof Tuple) {
    if (depth >= DEPTH) return '{_}';
    return '{' + t.elements.map((e) => initText(e, depth + 1)).join(',') + '}';
  }
  return '';
}

/** A deep list's integers in order, or undefined when it holds anything else. */
function flatten(t: Term, out: number[] = []): number[] | undefined {
  for (let l: Term = t; l !== NIL; l = (l as List).tail) {
    if (!(l instanceof List)) return undefined;
    const h = l.head;
    if (typeof h === 'number') out.push(h);
    else if (h === NIL || h instanceof List) {
      if (flatten(h, out) === undefined) return undefined;
    } else return undefined;
  }
  return out;
}

function isPrintable(c: number): boolean {
  return (c >= 32 && c <= 126) || c === 10 || c === 13 || c === 9;
}

/** float_to_list/1: twenty digits after the point, and an exponent of at least two digits. */
function floatToList(x: number): string {
  const [m, e] = x.toExponential(20).split('e');
  const sign = e[0] === '-' ? '-' : '+';
  const digits = e.replace(/^[+-]/, '');
  return `${m}e${sign}${digits.padStart(2, '0')}`;
}
