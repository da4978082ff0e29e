// erlang:memory/0,1: OTP's memory types, measured from what the JavaScript engine reports.
//
// BEAM counts its own allocators; terl's terms live in V8's heap, so the figures map as follows:
//   total           the whole terl process's resident set (the OS's figure: both threads, the engine)
//   processes       the node's JS heap as allocated (where processes' terms, mailboxes and stacks live)
//   processes_used  the part of it in use
//   system          total - processes: the engine, the terminal's thread, code, binaries, atoms
//   atom, atom_used the atom table: each atom's name and its entry
//   binary          array buffers (binaries are Uint8Arrays over them)
//   code            V8's compiled code and bytecode, with the source text it keeps
//   ets             what ETS tables hold, as the ets module reports it (0 without tables)
// The figures are in bytes, as OTP's. Only `total`, `processes` and `system` are sums, as in OTP.

import { getHeapCodeStatistics, getHeapStatistics } from 'node:v8';
import { Atom, List, NIL, Term, atom, atomNames, list, listToArray, tuple } from '../../vm/term.js';
import { bif, fail } from './bif.js';

const TYPES = ['total', 'processes', 'processes_used', 'system', 'atom', 'atom_used', 'binary', 'code', 'ets'] as const;
type MemoryType = (typeof TYPES)[number];

let etsBytes: () => number = () => 0;

/** The ets module reports the bytes its tables hold. */
export function setEtsMemory(f: () => number): void {
  etsBytes = f;
}

/** An atom's entry in the table (the Atom object and the map's slot) besides its name. */
const ATOM_ENTRY_BYTES = 48;

function atomBytes(): number {
  let n = 0;
  for (const name of atomNames()) n += ATOM_ENTRY_BYTES + 2 * name.length;
  return n;
}

/** Every type's figure, measured once (so total = processes + system holds within one answer). */
export function memoryFigures(): Record<MemoryType, number> {
  const heap = getHeapStatistics();
  const code = getHeapCodeStatistics();
  const usage = process.memoryUsage();
  const processes = heap.total_heap_size;
  const total = Math.max(usage.rss, processes);
  const atoms = atomBytes();
  return {
    total,
    processes,
    processes_used: heap.used_heap_size,
    system: total - processes,
    atom: atoms,
    atom_used: atoms,
    binary: usage.arrayBuffers,
    code: code.code_and_metadata_size + code.bytecode_and_metadata_size + code.external_script_source_size,
    ets: etsBytes(),
  };
}

function isType(t: Term): t is Atom {
  return t instanceof Atom && (TYPES as readonly string[]).includes(t.name);
}

bif('memory', 0, () => {
  const m = memoryFigures();
  return list(TYPES.map((k) => tuple(atom(k), m[k])));
});

bif('memory', 1, (what) => {
  if (what instanceof Atom) {
    if (!isType(what)) throw fail('memory', [what], { 1: 'invalid memory type option' });
    return memoryFigures()[what.name as MemoryType];
  }
  const items = what === NIL || what instanceof List ? listToArray(what) : undefined;
  if (items === undefined || !items.every((t) => t instanceof Atom)) throw fail('memory', [what], { 1: 'not an atom or a list of atoms' });
  if (!items.every(isType)) throw fail('memory', [what], { 1: 'invalid option in list' });
  const m = memoryFigures();
  return list(items.map((t) => tuple(t, m[(t as Atom).name as MemoryType])));
});
