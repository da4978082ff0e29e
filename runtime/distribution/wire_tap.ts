// A tap on the distribution's wire: what the port-mapper client asks and hears, each handshake step
// in the protocol's words, and every control message in and out of a connection (ticks too). The
// distribution calls `emit` at those points; whoever shows the wire (the shell's wire/1,
// runtime/lib/stdlib/shell/wire.ts) subscribes. With nobody listening, `tapped` is false and the
// emitters build nothing.

import type { Term } from '../vm/term.js';

export type WireDirection = 'in' | 'out';

export type WireEvent =
  /** a request to a port mapper and what it answered */
  | { kind: 'epmd'; host: string; node?: string; request: string; answer: string }
  /** one handshake step; `failed` says why the handshake ended at it */
  | { kind: 'handshake'; peer: string; dir: WireDirection; step: string; detail?: string; failed?: string }
  /** a control message (and its message, for sends and exits with a payload) */
  | { kind: 'control'; peer: string; dir: WireDirection; control: Term; payload?: Term }
  /** an empty frame */
  | { kind: 'tick'; peer: string; dir: WireDirection };

const listeners = new Set<(e: WireEvent) => void>();

/** Is anyone listening? Emitters check this before building an event. */
export let tapped = false;

/** Listen to the wire; returns the function that stops listening. */
export function tapWire(l: (e: WireEvent) => void): () => void {
  listeners.add(l);
  tapped = true;
  return () => {
    listeners.delete(l);
    tapped = listeners.size > 0;
  };
}

export function emitWire(e: WireEvent): void {
  for (const l of listeners) l(e);
}
