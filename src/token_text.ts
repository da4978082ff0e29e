// How literals print inside the scanner's, parser's and preprocessor's error messages:
// the io_lib:write_atom / write_string / write_char rules and float_to_list(F, [short]),
// so "syntax error before: 'when'" or "unterminated string starting with \"ab\\n\"" read as in erl.

const RESERVED = new Set([
  'after', 'begin', 'case', 'try', 'cond', 'catch', 'andalso', 'orelse', 'end', 'fun', 'if', 'let', 'of',
  'receive', 'when', 'bnot', 'not', 'div', 'rem', 'band', 'and', 'bor', 'bxor', 'bsl', 'bsr', 'or', 'xor',
]);

/** erl_scan:reserved_word/1 for OTP 25 without optional features. */
export function isReservedWord(name: string): boolean {
  return RESERVED.has(name);
}

function isLowerStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0xdf && c <= 0xff && c !== 0xf7);
}

/** A character allowed after the first in an unquoted atom or a variable. */
export function isNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x40 ||
    (c >= 0xdf && c <= 0xff && c !== 0xf7) ||
    (c >= 0xc0 && c <= 0xde && c !== 0xd7)
  );
}

/** Whether an atom must be quoted to read back (io_lib:quote_atom). */
export function atomNeedsQuotes(name: string): boolean {
  if (RESERVED.has(name)) return true;
  const first = name.codePointAt(0);
  if (first === undefined || !isLowerStart(first)) return true;
  for (const ch of name.slice(1)) if (!isNameChar(ch.codePointAt(0)!)) return true;
  return false;
}

/** One character inside a quoted string or atom (io_lib's string_char, unicode as unicode). */
function stringChar(c: number, q: number): string {
  if (c === q) return '\\' + String.fromCodePoint(q);
  if (c === 0x5c) return '\\\\';
  if (c >= 0x20 && c <= 0x7e) return String.fromCodePoint(c);
  if (c >= 0xa0) return String.fromCodePoint(c);
  switch (c) {
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    case 0x0b: return '\\v';
    case 0x08: return '\\b';
    case 0x0c: return '\\f';
    case 0x1b: return '\\e';
    case 0x7f: return '\\d';
  }
  return '\\' + ((c >> 6) & 7) + ((c >> 3) & 7) + (c & 7);
}

/** io_lib:write_string(S, Q): S given as code points. */
export function writeString(codePoints: Iterable<number>, quote = 0x22): string {
  let s = String.fromCodePoint(quote);
  for (const c of codePoints) s += stringChar(c, quote);
  return s + String.fromCodePoint(quote);
}

export function codePointsOf(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** io_lib:write_atom/1. */
export function writeAtom(name: string): string {
  return atomNeedsQuotes(name) ? writeString(codePointsOf(name), 0x27) : name;
}

/** io_lib:write_char/1. */
export function writeChar(c: number): string {
  if (c === 0x20) return '$\\s';
  return '$' + stringChar(c, -1);
}

/** float_to_list(F, [short]): the shortest digits that read back, in the shorter of plain and e notation. */
export function formatFloat(f: number): string {
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  const sign = f < 0 ? '-' : '';
  const exp = Math.abs(f).toExponential(); // shortest round-trip digits, e.g. "1.2345e+3"
  const [mant, e] = exp.split('e');
  const digits = mant.replace('.', '');
  const x = Number(e);
  const sci = digits[0] + '.' + (digits.length > 1 ? digits.slice(1) : '0') + 'e' + x;
  let plain: string;
  if (x >= 0) {
    if (digits.length - 1 <= x) plain = digits + '0'.repeat(x - (digits.length - 1)) + '.0';
    else plain = digits.slice(0, x + 1) + '.' + digits.slice(x + 1);
  } else {
    plain = '0.' + '0'.repeat(-x - 1) + digits;
  }
  return sign + (sci.length < plain.length ? sci : plain);
}
