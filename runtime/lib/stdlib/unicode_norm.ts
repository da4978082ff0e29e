// Module unicode, normalisation: characters_to_nfc_list/binary, nfd, nfkc and nfkd (the host's
// String.prototype.normalize does the work), and the case folding string:casefold/1 and
// string:equal/3,4 compare with.
//
// As OTP's: a list may hold integers that are no characters (they pass through unchanged), a
// binary that is not UTF-8 stops the conversion with {error, NormalisedSoFar, Rest}, and a term that
// is not chardata at all is badarg.

import { Bin, List, NIL, Term, tuple, atom } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { chardata, decodeUtf8, encodeUtf8, fromCodePoints, infoError, intList, A } from '../common.js';
import { bumpReductions } from '../../vm/scheduler.js';

export type NormalForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

const isScalar = (c: number): boolean => c >= 0 && c <= 0x10ffff;

/** The code points in a normal form; integers that are no characters stay where they are. */
export function normalize(cps: readonly number[], form: NormalForm): number[] {
  bumpReductions(cps.length);
  const out: number[] = [];
  let run: number[] = [];
  const flush = () => {
    if (run.length === 0) return;
    for (const ch of fromCodePoints(run).normalize(form)) out.push(ch.codePointAt(0)!);
    run = [];
  };
  for (const c of cps) {
    if (isScalar(c)) run.push(c);
    else {
      flush();
      out.push(c);
    }
  }
  flush();
  return out;
}

/**
 * Full case folding (Unicode's CaseFolding.txt, statuses C and F), from the host's case mappings:
 * lower, upper, lower again folds ß to "ss", ſ to s and ς to σ. The exceptions are where folding
 * is not a lowercase: dotless ı stays, and Cherokee folds to its capital letters.
 */
export function caseFold(cps: readonly number[]): number[] {
  const out: number[] = [];
  for (const c of cps) {
    if (c === 0x131 || (c >= 0x13a0 && c <= 0x13f5) || !isScalar(c)) out.push(c);
    else if (c >= 0x13f8 && c <= 0x13fd) out.push(c - 8);
    else if (c >= 0xab70 && c <= 0xabbf) out.push(c - 0xab70 + 0x13a0);
    else for (const ch of String.fromCodePoint(c).toLowerCase().toUpperCase().toLowerCase()) out.push(ch.codePointAt(0)!);
  }
  return out;
}

/** Chardata whose lists may hold any integers: its code points, or undefined (not chardata). */
function looseChars(t: Term): number[] | undefined {
  const out: number[] = [];
  // what is left to read, last first; a list's tail may be a binary or [], never an integer
  const todo: { t: Term; tail: boolean }[] = [{ t, tail: true }];
  while (todo.length > 0) {
    const { t: x, tail } = todo.pop()!;
    if (typeof x === 'number' && Number.isInteger(x) && !tail) out.push(x);
    else if (x instanceof Bin) {
      const d = x.isBinary ? decodeUtf8(x.bytes) : undefined;
      if (d === undefined || d.bad >= 0) return undefined;
      out.push(...d.chars);
    } else if (x instanceof List) todo.push({ t: x.tail, tail: true }, { t: x.head, tail: false });
    else if (x !== NIL) return undefined;
  }
  return out;
}

type Shape = 'list' | 'binary';

function convert(name: string, data: Term, form: NormalForm, shape: Shape): Term {
  const as = (cps: number[]): Term => (shape === 'list' ? intList(cps) : new Bin(encodeUtf8(cps)));
  const r = chardata(data);
  if (r !== undefined && r.ok) return as(normalize(r.chars, form));
  // integers that are no characters pass through; a binary that is not UTF-8 stops the conversion
  const loose = looseChars(data);
  // (a binary cannot hold them: badarg below)
  if (loose !== undefined && (shape === 'list' || loose.every(isScalar))) return as(normalize(loose, form));
  if (r !== undefined && !r.ok && loose === undefined) return tuple(atom('error'), as(normalize(r.chars, form)), r.rest);
  throw infoError(A.badarg, 'unicode', name, [data], { 1: 'not valid character data (an iodata term)' }, undefined);
}

for (const form of ['NFC', 'NFD', 'NFKC', 'NFKD'] as const) {
  for (const shape of ['list', 'binary'] as const) {
    const name = `characters_to_${form.toLowerCase()}_${shape}`;
    defineBif('unicode', name, 1, (data: Term) => convert(name, data, form, shape));
  }
}
