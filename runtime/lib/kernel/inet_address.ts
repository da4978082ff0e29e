// IP addresses as Erlang writes them ({A,B,C,D} and 8-tuples of 16-bit words) and as text:
// inet:parse_address/1 (forgiving IPv4 forms: a.b.c.d, a.b.d, a.d, d, each decimal, octal or hex,
// then IPv6), inet:ntoa/1, and the conversions to and from Node.js's address strings.

import { Term, Tuple, tuple } from '../../vm/term.js';

export type Ip4 = [number, number, number, number];
export type Ip8 = [number, number, number, number, number, number, number, number];
export type Ip = Ip4 | Ip8;

/** The address an Erlang tuple holds, or undefined when it is not one. */
export function ipOf(t: Term): Ip | undefined {
  if (!(t instanceof Tuple)) return undefined;
  const e = t.elements;
  if (e.length === 4 && e.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 255)) return e as Ip4;
  if (e.length === 8 && e.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffff)) return e as Ip8;
  return undefined;
}

export function ipTuple(ip: Ip): Tuple {
  return tuple(...ip);
}

// ---------- text to address ----------

/** One IPv4 field: decimal, 0-octal or 0x-hex (no sign, no leading zero run in a decimal). */
function v4Field(s: string): number | undefined {
  let digits = s;
  let base = 10;
  if (/^0[xX]/.test(s)) {
    digits = s.slice(2).replace(/^0+(?=.)/, '');
    base = 16;
    if (!/^[0-9a-fA-F]{1,8}$/.test(digits)) return s.length > 2 && /^0*$/.test(s.slice(2)) ? 0 : undefined;
  } else if (s.startsWith('0') && s.length > 1) {
    digits = s.slice(1).replace(/^0+(?=.)/, '');
    base = 8;
    if (!/^[0-7]{1,11}$/.test(digits)) return undefined;
  } else if (!/^[0-9]{1,10}$/.test(digits)) return undefined;
  const v = parseInt(digits, base);
  return Number.isFinite(v) ? v : undefined;
}

/** inet:parse_ipv4_address/1: the forgiving IPv4 forms. */
export function parseIpv4(text: string): Ip4 | undefined {
  const parts = text.split('.');
  if (parts.length > 4 || parts.some((p) => p === '')) return undefined;
  const f = parts.map(v4Field);
  if (f.some((x) => x === undefined)) return undefined;
  const d = f as number[];
  const last = d[d.length - 1];
  const head = d.slice(0, -1);
  if (head.some((x) => x > 255)) return undefined;
  const room = 2 ** (8 * (5 - d.length)); // what the last field fills
  if (last >= room) return undefined;
  const bytes: number[] = [...head];
  for (let i = 4 - d.length; i >= 0; i--) bytes.push(Math.floor(last / 2 ** (8 * i)) & 0xff);
  return bytes as Ip4;
}

/** inet:parse_ipv4strict_address/1: exactly four decimal fields, no leading zeros. */
export function parseIpv4Strict(text: string): Ip4 | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p))) return undefined;
  const d = parts.map(Number);
  return d.every((x) => x <= 255) ? (d as Ip4) : undefined;
}

/** inet:parse_ipv6strict_address/1 (no scope ids). */
export function parseIpv6(text: string): Ip8 | undefined {
  let head = text;
  let tail = '';
  const dbl = text.indexOf('::');
  if (dbl >= 0) {
    head = text.slice(0, dbl);
    tail = text.slice(dbl + 2);
    if (tail.includes('::')) return undefined;
  }
  const words = (s: string, last: boolean): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (last && i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4Strict(p);
        if (v4 === undefined) return undefined;
        out.push(v4[0] * 256 + v4[1], v4[2] * 256 + v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const a = words(head, dbl < 0);
  const b = words(tail, true);
  if (a === undefined || b === undefined) return undefined;
  if (dbl < 0) return a.length === 8 ? (a as Ip8) : undefined;
  if (a.length + b.length > 7) return undefined;
  return [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b] as Ip8;
}

/** inet:parse_address/1: IPv4 (forgiving) or else IPv6. */
export function parseAddress(text: string): Ip | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

// ---------- address to text ----------

function hex(w: number): string {
  return w.toString(16);
}

/** inet:ntoa/1. */
export function ntoa(ip: Ip): string {
  if (ip.length === 4) return ip.join('.');
  const w = ip;
  const dotted = (a: number, b: number) => `${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`;
  if (w.every((x) => x === 0)) return '::';
  if (w.slice(0, 7).every((x) => x === 0) && w[7] === 1) return '::1';
  if (w.slice(0, 6).every((x) => x === 0)) return '::' + dotted(w[6], w[7]);
  if (w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff) return '::ffff:' + dotted(w[6], w[7]);
  // the longest run of at least two zero words (the first of equals) becomes "::"
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return w.map(hex).join(':');
  return w.slice(0, best).map(hex).join(':') + '::' + w.slice(best + bestLen).map(hex).join(':');
}

// ---------- Node.js address strings ----------

/** The string Node.js takes for an address. */
export function nodeAddress(ip: Ip): string {
  if (ip.length === 4) return ip.join('.');
  return ip.map(hex).join(':');
}

/** An address Node.js reports (IPv4 dotted, IPv6 possibly with an IPv4 tail or a %scope). */
export function fromNodeAddress(s: string): Ip | undefined {
  const plain = s.replace(/%.*$/, '');
  return parseIpv4Strict(plain) ?? parseIpv6(plain);
}
