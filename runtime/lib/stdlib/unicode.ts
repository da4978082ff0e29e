// Module unicode: conversions between chardata (lists of code points, binaries, deep mixes) and
// encodings. Invalid or incomplete input gives OTP's {error | incomplete, Converted, Rest};
// input that is not chardata at all raises badarg.

import { Bin, List, NIL, Term, atom, tuple, Tuple } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { chardata, encodeUtf8, infoError, intList, A } from '../common.js';
import { chargeElements } from '../../vm/scheduler.js';

const U = 'unicode';

type OutEnc = 'utf8' | 'latin1' | 'utf16be' | 'utf16le' | 'utf32be' | 'utf32le';

function inEncoding(t: Term): 'unicode' | 'latin1' | undefined {
  if (t === A.unicode || t === A.utf8) return 'unicode';
  if (t === A.latin1) return 'latin1';
  return undefined;
}

function outEncoding(t: Term): OutEnc | undefined {
  if (t === A.unicode || t === A.utf8) return 'utf8';
  if (t === A.latin1) return 'latin1';
  const endian = (e: Term): 'be' | 'le' | undefined => (e === A.big ? 'be' : e === A.little ? 'le' : undefined);
  if (t === atom('utf16')) return 'utf16be';
  if (t === atom('utf32')) return 'utf32be';
  if (t instanceof Tuple && t.elements.length === 2) {
    const e = endian(t.elements[1]);
    if (e && t.elements[0] === atom('utf16')) return `utf16${e}`;
    if (e && t.elements[0] === atom('utf32')) return `utf32${e}`;
  }
  return undefined;
}

function encode(cps: number[], enc: OutEnc): Uint8Array {
  if (enc === 'utf8') return encodeUtf8(cps);
  if (enc === 'latin1') return Uint8Array.from(cps);
  const out: number[] = [];
  for (const c of cps) {
    if (enc.startsWith('utf32')) {
      const bytes = [(c >>> 24) & 255, (c >>> 16) & 255, (c >>> 8) & 255, c & 255];
      out.push(...(enc === 'utf32be' ? bytes : bytes.reverse()));
    } else {
      const units = c > 0xffff ? [0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff)] : [c];
      for (const u of units) out.push(...(enc === 'utf16be' ? [u >> 8, u & 255] : [u & 255, u >> 8]));
    }
  }
  return Uint8Array.from(out);
}

function badarg(name: string, args: Term[]): never {
  const why: Record<number, string> = {};
  const r = chardata(args[0]);
  if (r === undefined || !r.ok) why[1] = 'not valid character data (an iodata term)';
  if (args.length > 1 && inEncoding(args[1]) === undefined && outEncoding(args[1]) === undefined) why[2] = 'not a valid encoding';
  if (args.length > 2 && outEncoding(args[2]) === undefined) why[3] = 'not a valid encoding';
  throw infoError(A.badarg, U, name, args, why, args.length === 1 ? 895 : undefined);
}

function toList(data: Term, enc: Term, args: Term[]): Term {
  const e = inEncoding(enc);
  if (e === undefined) badarg('characters_to_list', args);
  const r = chardata(data, e);
  if (r === undefined) badarg('characters_to_list', args);
  chargeElements(r.chars.length);
  if (r.ok) return intList(r.chars);
  return tuple(atom(r.kind), intList(r.chars), r.rest);
}

function toBinary(data: Term, inEnc: Term, outEnc: Term, args: Term[]): Term {
  const e = inEncoding(inEnc);
  const o = outEncoding(outEnc);
  if (e === undefined || o === undefined) badarg('characters_to_binary', args);
  const r = chardata(data, e);
  if (r === undefined) badarg('characters_to_binary', args);
  chargeElements(r.chars.length);
  if (o === 'latin1') {
    const bad = r.chars.findIndex((c) => c > 255);
    if (bad >= 0) {
      // the rest starts at the first character latin1 cannot hold
      const rest = new List(intList(r.chars.slice(bad)), NIL);
      return tuple(atom('error'), new Bin(Uint8Array.from(r.chars.slice(0, bad))), rest);
    }
  }
  const bin = new Bin(encode(r.chars, o));
  if (r.ok) return bin;
  return tuple(atom(r.kind), bin, r.rest);
}

defineBif(U, 'characters_to_list', 1, (d) => toList(d, A.unicode, [d]));
defineBif(U, 'characters_to_list', 2, (d, e) => toList(d, e, [d, e]));
defineBif(U, 'characters_to_binary', 1, (d) => toBinary(d, A.unicode, A.unicode, [d]));
defineBif(U, 'characters_to_binary', 2, (d, e) => toBinary(d, e, A.unicode, [d, e]));
defineBif(U, 'characters_to_binary', 3, (d, e, o) => toBinary(d, e, o, [d, e, o]));

defineBif(U, 'bom_to_encoding', 1, (b) => {
  const x = b instanceof Bin ? b.bytes : new Uint8Array();
  const at = (...bs: number[]): boolean => bs.every((v, i) => x[i] === v);
  if (at(0xef, 0xbb, 0xbf)) return tuple(A.utf8, 3);
  if (at(0x00, 0x00, 0xfe, 0xff)) return tuple(tuple(atom('utf32'), A.big), 4);
  if (at(0xff, 0xfe, 0x00, 0x00)) return tuple(tuple(atom('utf32'), A.little), 4);
  if (at(0xfe, 0xff)) return tuple(tuple(atom('utf16'), A.big), 2);
  if (at(0xff, 0xfe)) return tuple(tuple(atom('utf16'), A.little), 2);
  return tuple(A.latin1, 0);
});
