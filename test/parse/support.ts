// Helpers for the parser tests: io_lib:write (~w) of terms, to compare with what real erl printed.
import { Atom, Bin, ErlFloat, ErlMap, Fun, List, NIL, Tuple, type Term } from '../../runtime/vm/term.js';
import { formatFloat, writeAtom as writeAtomUnicode } from '../../src/token_text.js';

/** ~w writes atoms as latin-1: characters above 255 as \\x{...} */
function writeAtom(name: string): string {
  return writeAtomUnicode(name).replace(/[^\u0000-\u00ff]/gu, (c) => '\\x{' + c.codePointAt(0)!.toString(16) + '}');
}

/** ~w of a term, without recursion (abstract-format lists nest one tuple per element). */
export function writeW(term: Term): string {
  const out: string[] = [];
  const work: (Term | { text: string })[] = [term];
  const push = (...items: (Term | { text: string })[]): void => {
    for (let k = items.length - 1; k >= 0; k--) work.push(items[k]);
  };
  const sep = (items: Term[], open: string, close: string, tail?: Term): (Term | { text: string })[] => {
    const seq: (Term | { text: string })[] = [{ text: open }];
    items.forEach((x, k) => seq.push(...(k ? [{ text: ',' }, x] : [x])));
    if (tail !== undefined) seq.push({ text: '|' }, tail);
    seq.push({ text: close });
    return seq;
  };
  while (work.length) {
    const t = work.pop()!;
    if (typeof t === 'object' && t !== null && 'text' in t && !(t instanceof Atom)) {
      out.push(t.text);
      continue;
    }
    const x = t as Term;
    if (typeof x === 'number' || typeof x === 'bigint') out.push(String(x));
    else if (x instanceof ErlFloat) out.push(formatFloat(x.value));
    else if (x instanceof Atom) out.push(writeAtom(x.name));
    else if (x instanceof Tuple) push(...sep(x.elements, '{', '}'));
    else if (x === NIL) out.push('[]');
    else if (x instanceof List) {
      const items: Term[] = [];
      let y: Term = x;
      while (y instanceof List) {
        items.push(y.head);
        y = y.tail;
      }
      push(...sep(items, '[', ']', y === NIL ? undefined : y));
    } else if (x instanceof Bin) {
      const whole = x.bitSize >> 3;
      const parts = Array.from(x.bytes.slice(0, whole), String);
      const rest = x.bitSize & 7;
      if (rest) parts.push(`${x.bytes[whole] >> (8 - rest)}:${rest}`);
      out.push('<<' + parts.join(',') + '>>');
    } else if (x instanceof ErlMap) {
      const seq: (Term | { text: string })[] = [{ text: '#{' }];
      x.sorted().forEach(([k, v], i) => seq.push(...(i ? [{ text: ',' }] : []), k, { text: ' => ' }, v));
      seq.push({ text: '}' });
      push(...seq);
    } else if (x instanceof Fun && x.info.kind === 'export') {
      out.push(`fun ${writeAtom(x.info.module.name)}:${writeAtom(x.info.name.name)}/${x.info.arity}`);
    } else throw new Error('writeW: unsupported term');
  }
  return out.join('');
}
