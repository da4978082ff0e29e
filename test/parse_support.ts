// Helpers for the parser tests: io_lib:write (~w) of terms, to compare with what real erl printed.
import { Atom, Bin, ErlFloat, ErlMap, Fun, List, NIL, Tuple, type Term } from '../runtime/term.js';
import { formatFloat, writeAtom as writeAtomUnicode } from '../src/token_text.js';

/** ~w writes atoms as latin-1: characters above 255 as \\x{...} */
function writeAtom(name: string): string {
  return writeAtomUnicode(name).replace(/[^\u0000-\u00ff]/gu, (c) => '\\x{' + c.codePointAt(0)!.toString(16) + '}');
}

export function writeW(t: Term): string {
  if (typeof t === 'number' || typeof t === 'bigint') return String(t);
  if (t instanceof ErlFloat) return formatFloat(t.value);
  if (t instanceof Atom) return writeAtom(t.name);
  if (t instanceof Tuple) return '{' + t.elements.map(writeW).join(',') + '}';
  if (t === NIL) return '[]';
  if (t instanceof List) {
    const parts: string[] = [];
    let x: Term = t;
    while (x instanceof List) {
      parts.push(writeW(x.head));
      x = x.tail;
    }
    return '[' + parts.join(',') + (x === NIL ? '' : '|' + writeW(x)) + ']';
  }
  if (t instanceof Bin) {
    const whole = t.bitSize >> 3;
    const parts = Array.from(t.bytes.slice(0, whole), String);
    const rest = t.bitSize & 7;
    if (rest) parts.push(`${t.bytes[whole] >> (8 - rest)}:${rest}`);
    return '<<' + parts.join(',') + '>>';
  }
  if (t instanceof ErlMap) return '#{' + t.sorted().map(([k, v]) => writeW(k) + ' => ' + writeW(v)).join(',') + '}';
  if (t instanceof Fun && t.info.kind === 'export') return `fun ${writeAtom(t.info.module.name)}:${writeAtom(t.info.name.name)}/${t.info.arity}`;
  throw new Error('writeW: unsupported term');
}
