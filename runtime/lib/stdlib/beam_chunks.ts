// Reading a .beam file (what beam_lib reads): the IFF container "FOR1" Size "BEAM" and its chunks,
// the atom table (AtU8, or Atom in latin-1), the fun table (FunT) and the terms of the
// compile-info (CInf) and debug-info (Dbgi, or the older Abst) chunks. terl never runs BEAM code:
// it reads a real node's module for the names of its funs and for the abstract code to compile.

import { gunzipSync } from 'node:zlib';
import { decodeTerm } from '../../vm/etf.js';
import type { Term } from '../../vm/term.js';

export class BeamError extends Error {}

export type Chunks = Map<string, Uint8Array>;

/** The chunks of a .beam (a gzipped one too), by id. */
export function beamChunks(bin: Uint8Array): Chunks {
  if (bin.length > 2 && bin[0] === 0x1f && bin[1] === 0x8b) bin = new Uint8Array(gunzipSync(bin));
  const text = (at: number): string => String.fromCharCode(...bin.subarray(at, at + 4));
  if (bin.length < 12 || text(0) !== 'FOR1' || text(8) !== 'BEAM') throw new BeamError('not a beam file');
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const end = Math.min(bin.length, 8 + view.getUint32(4));
  const chunks: Chunks = new Map();
  for (let at = 12; at + 8 <= end; ) {
    const id = text(at);
    const size = view.getUint32(at + 4);
    if (at + 8 + size > end) throw new BeamError(`chunk ${id} overruns the file`);
    chunks.set(id, bin.subarray(at + 8, at + 8 + size));
    at += 8 + ((size + 3) & ~3);
  }
  return chunks;
}

/** The atom table: index 1 is the module's name (FunT and the code refer to atoms by it). */
export function beamAtoms(chunks: Chunks): string[] {
  const utf8 = chunks.get('AtU8');
  const data = utf8 ?? chunks.get('Atom');
  if (data === undefined) throw new BeamError('no atom table');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = view.getInt32(0);
  if (count < 0) throw new BeamError('atom table of a newer format than OTP 25');
  const dec = new TextDecoder(utf8 !== undefined ? 'utf-8' : 'latin1');
  const atoms = [''];
  for (let at = 4, i = 0; i < count; i++) {
    const len = data[at];
    atoms.push(dec.decode(data.subarray(at + 1, at + 1 + len)));
    at += 1 + len;
  }
  return atoms;
}

/** One fun of the module as its FunT entry has it. */
export interface BeamFun {
  /** '-f/1-fun-0-', or f for fun f/1 */
  name: string;
  /** the arity of the code: the fun's arity plus its free variables */
  arity: number;
  index: number;
  free: number;
  oldUniq: number;
}

export function beamFuns(chunks: Chunks): BeamFun[] {
  const data = chunks.get('FunT');
  if (data === undefined) return [];
  const atoms = beamAtoms(chunks);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: BeamFun[] = [];
  for (let i = 0, at = 4; i < view.getUint32(0); i++, at += 24) {
    const u = (k: number): number => view.getUint32(at + 4 * k);
    out.push({ name: atoms[u(0)], arity: u(1), index: u(3), free: u(4), oldUniq: u(5) });
  }
  return out;
}

/** The module's name (atom 1). */
export function beamModule(chunks: Chunks): string {
  return beamAtoms(chunks)[1];
}

/** A chunk holding one term in the external format (CInf, Attr, Dbgi, Abst), or undefined. */
export function beamTerm(chunks: Chunks, id: string): Term | undefined {
  const data = chunks.get(id);
  if (data === undefined || data.length === 0) return undefined;
  return decodeTerm(data);
}
