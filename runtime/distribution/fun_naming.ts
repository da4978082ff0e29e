// How a peer knows this node's funs. A fun of a compiled module goes on the wire as the module,
// the fun's index, the module's old uniq and its md5: the receiving node finds the code by them. A
// real Erlang node numbers and hashes its own compile of the module, so before a fun of module M
// first goes to such a node, its numbers for M's funs are asked for (runtime/lib/kernel/peer_funs.ts
// installs the asking); the connection holds what it would send meanwhile, in order.

import type { Atom, FunKind, Pid } from '../vm/term.js';

export type LocalFunInfo = Extract<FunKind, { kind: 'local' }>;

/** A fun as the peer numbers it. */
export interface WireFun {
  index: number;
  uniq: number;
  md5: Uint8Array;
}

export interface FunNaming {
  /** How `peer` knows the fun: its numbers there, or undefined to write it as it is. Throws FunTableNeeded when the peer must be asked first. */
  wireName(peer: Atom, info: LocalFunInfo): WireFun | undefined;
  /** Ask `peer` how it numbers `module`'s funs; settles (never rejects) once wireName can answer. */
  learn(peer: Atom, module: Atom): Promise<void>;
  /** The process asking: its own signals are not held. */
  asks(pid: Pid | undefined): boolean;
}

/** Thrown while encoding: the peer's numbers for this module's funs are not known yet. */
export class FunTableNeeded extends Error {
  constructor(readonly module: Atom) {
    super(`fun table of ${module.name} needed`);
  }
}

let naming: FunNaming | undefined;

export function setFunNaming(n: FunNaming | undefined): void {
  naming = n;
}

export function funNaming(): FunNaming | undefined {
  return naming;
}
