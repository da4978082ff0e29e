// erlang:display/1's text. The emulator prints terms with its own small printer, not io_lib:
// floats in C's %e form (3.140000e+00), strings as "..." when every element is printable ASCII,
// binaries as <<"abc">> when printable, and no line breaking.

import { Atom, Bin, ErlFloat, ErlMap, Fun, List, NIL, Pid, Port, Ref, Term, Tuple } from '../../vm/term.js';
import { node } from '../../vm/node.js';

const RESERVED = new Set(
  'after and andalso band begin bnot bor bsl bsr bxor case catch cond div end fun if let not of or orelse receive rem try when xor maybe else'.split(' '),
);

// (the emulator's own rule: unlike io_lib it quotes a@b, and Latin-1 letters count as letters)
const PLAIN_ATOM = /^[a-z\u00df-\u00f6\u00f8-\u00ff][a-zA-Z0-9_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]*$/;

export function displayAtom(a: Atom): string {
  const s = a.name;
  if (PLAIN_ATOM.test(s) && !RESERVED.has(s)) return s;
  return "'" + escapeChars(s, "'") + "'";
}

function escapeChars(s: string, quote: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 27) out += '\\e';
    else if (c === 127) out += '\\d';
    else out += ch;
  }
  return out;
}

function isDisplayChar(c: Term): c is number {
  return typeof c === 'number' && ((c >= 32 && c <= 255 && c !== 127) || (c >= 7 && c <= 13) || c === 27);
}

/** C's printf("%e"): six decimals, an exponent of at least two digits. */
function cExp(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const [m, e] = v.toExponential(6).split('e');
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function displayBinary(b: Bin): string {
  const bytes = b.bytes;
  const whole = Math.floor(b.bitSize / 8);
  const rest = b.bitSize % 8;
  const parts: string[] = [];
  let printable = rest === 0 && whole > 0;
  for (let i = 0; i < whole && printable; i++) {
    const c = bytes[i];
    if (!(c >= 32 && c <= 126) && !(c >= 8 && c <= 13) && c !== 27) printable = false;
  }
  if (printable) {
    let s = '';
    for (let i = 0; i < whole; i++) s += String.fromCharCode(bytes[i]);
    return '<<"' + escapeChars(s, '"') + '">>';
  }
  for (let i = 0; i < whole; i++) parts.push(String(bytes[i]));
  if (rest !== 0) parts.push(`${bytes[whole] >> (8 - rest)}:${rest}`);
  return '<<' + parts.join(',') + '>>';
}

export function displayTerm(t: Term): string {
  if (typeof t === 'number' || typeof t === 'bigint') return String(t);
  if (t instanceof Atom) return displayAtom(t);
  if (t instanceof ErlFloat) return cExp(t.value);
  if (t === NIL) return '[]';
  if (t instanceof List) {
    // a proper list of printable characters prints as a string
    let chars = true;
    let l: Term = t;
    while (l instanceof List) {
      if (!isDisplayChar(l.head)) {
        chars = false;
        break;
      }
      l = l.tail;
    }
    if (chars && l === NIL) {
      let s = '';
      for (let c: Term = t; c instanceof List; c = c.tail) s += String.fromCharCode(c.head as number);
      return '"' + escapeChars(s, '"') + '"';
    }
    const parts: string[] = [];
    l = t;
    while (l instanceof List) {
      parts.push(displayTerm(l.head));
      l = l.tail;
    }
    return '[' + parts.join(',') + (l === NIL ? '' : '|' + displayTerm(l)) + ']';
  }
  if (t instanceof Tuple) return '{' + t.elements.map(displayTerm).join(',') + '}';
  if (t instanceof Bin) return displayBinary(t);
  if (t instanceof ErlMap) return '#{' + t.sorted().map(([k, v]) => displayTerm(k) + '=>' + displayTerm(v)).join(',') + '}';
  if (t instanceof Pid) return `<${node.isLocal(t) ? 0 : t.node.name}.${t.id}.${t.serial}>`;
  if (t instanceof Ref) return `#Ref<0.${[...t.ids].reverse().join('.')}>`;
  if (t instanceof Port) return `#Port<0.${t.id}>`;
  if (t instanceof Fun) {
    const i = t.info;
    if (i.kind === 'export') return `fun ${displayAtom(i.module)}:${displayAtom(i.name)}/${i.arity}`;
    if (i.kind === 'eval') {
      // erl_eval's fun for this arity, as OTP 25 numbers them (named funs use another table)
      const named = i.env instanceof Tuple && i.env.elements.length === 7;
      return `#Fun<erl_eval.${named ? 20 - t.arity : 43 - t.arity}.3316493>`;
    }
    return `#Fun<${i.module.name}.${i.index}.${i.uniq}>`;
  }
  return String(t);
}
