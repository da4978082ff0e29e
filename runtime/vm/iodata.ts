// iodata: the bytes of a binary or an iolist, as ports, files and the io system take them. In the VM
// core because a port's `{command, Data}` takes iodata; the library's helpers re-export it.

import { Bin, List, NIL, isInteger } from './term.js';
import type { Term } from './term.js';
import { chargeElements } from './scheduler.js';

export function isByte(t: Term): t is number {
  return typeof t === 'number' && t >= 0 && t <= 255 && Number.isInteger(t);
}

export function isChar(t: Term): t is number {
  return typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 0x10ffff && !(t >= 0xd800 && t <= 0xdfff);
}

/**
 * The bytes of an iolist or binary (iodata), or undefined when it is not one.
 * Iterative: deep lists are walked with an explicit stack.
 */
export function iodataBytes(t: Term): Uint8Array | undefined {
  if (t instanceof Bin) return t.isBinary ? t.bytes : undefined;
  const parts = iolistParts(t, false);
  if (parts === undefined) return undefined;
  return concatParts(parts);
}

type Part = number | Uint8Array;

function concatParts(parts: Part[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += typeof p === 'number' ? 1 : p.length;
  // the list cells walked, and the bytes copied (a sixteenth each)
  chargeElements(parts.length + (n >>> 4));
  const out = new Uint8Array(n);
  let i = 0;
  for (const p of parts) {
    if (typeof p === 'number') out[i++] = p;
    else {
      out.set(p, i);
      i += p.length;
    }
  }
  return out;
}

/** Walk an iolist (a list of bytes, binaries and iolists, possibly with a binary tail). */
function iolistParts(t: Term, _bits: boolean): Part[] | undefined {
  if (!(t instanceof List) && t !== NIL) return undefined;
  const parts: Part[] = [];
  const stack: Term[] = [t];
  while (stack.length > 0) {
    let l = stack.pop()!;
    while (l instanceof List) {
      const h = l.head;
      if (isByte(h)) parts.push(h);
      else if (h instanceof Bin) {
        if (!h.isBinary) return undefined;
        parts.push(h.bytes);
      } else if (h instanceof List || h === NIL) {
        stack.push(l.tail);
        l = h;
        continue;
      } else return undefined;
      l = l.tail;
    }
    if (l instanceof Bin) {
      if (!l.isBinary) return undefined;
      parts.push(l.bytes);
    } else if (l !== NIL) return undefined;
  }
  return parts;
}

/** The size in bytes of iodata, or undefined. */
export function iodataSize(t: Term): number | undefined {
  if (t instanceof Bin) return t.isBinary ? t.byteSize : undefined;
  const parts = iolistParts(t, false);
  if (parts === undefined) return undefined;
  let n = 0;
  for (const p of parts) n += typeof p === 'number' ? 1 : p.length;
  chargeElements(parts.length);
  return n;
}

/**
 * A bitstring list (list_to_bitstring): like an iolist but binaries may be bitstrings.
 * Returns the concatenated bitstring or undefined.
 */
export function bitstringListToBin(t: Term): Bin | undefined {
  if (!(t instanceof List) && t !== NIL) return undefined;
  const pieces: Bin[] = [];
  const stack: Term[] = [t];
  while (stack.length > 0) {
    let l = stack.pop()!;
    while (l instanceof List) {
      const h = l.head;
      if (isByte(h)) pieces.push(new Bin(Uint8Array.of(h)));
      else if (h instanceof Bin) pieces.push(h);
      else if (h instanceof List || h === NIL) {
        stack.push(l.tail);
        l = h;
        continue;
      } else return undefined;
      l = l.tail;
    }
    if (l instanceof Bin) pieces.push(l);
    else if (l !== NIL) return undefined;
  }
  chargeElements(pieces.length);
  return concatBits(pieces);
}

/** Concatenate bitstrings (the bits of each, in order). */
export function concatBits(pieces: Bin[]): Bin {
  let bits = 0;
  let aligned = true;
  for (const p of pieces) {
    if (bits % 8 !== 0) aligned = false;
    bits += p.bitSize;
  }
  const out = new Uint8Array(Math.ceil(bits / 8));
  if (aligned) {
    let i = 0;
    for (const p of pieces) {
      out.set(p.bytes, i);
      i += p.bytes.length;
    }
    return new Bin(out, bits);
  }
  let pos = 0;
  for (const p of pieces) {
    for (let b = 0; b < p.bitSize; b++) {
      const bit = (p.bytes[b >> 3] >> (7 - (b & 7))) & 1;
      if (bit) out[pos >> 3] |= 0x80 >> (pos & 7);
      pos++;
    }
  }
  return new Bin(out, bits);
}
