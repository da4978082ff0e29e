// Handing the port mapper to a terl node of another process, when only terl nodes are left to use
// it: the port mapper's host (epmd_host.ts) is leaving, and rather than a daemon (a whole Node
// process, epmd_handover.ts) one of the remaining nodes serves it in its own process, as the first
// node did.
//
// A terl node marks its registration as terl's in ALIVE2_REQ's Extra field (real erl sends none,
// and ignores the Extra a PORT2_RESP carries: kernel's erl_epmd reads a port reply's last bytes
// only to wait for the socket to close):
//
//   "terl"                 a node registering for the first time
//   "terl" | Creation:32   a node registering again after a take-over: the creation it keeps (its
//                          pids carry it), which the port mapper gives it back and remembers as
//                          the name's last, so the next node of that name gets another
//
// The leaving host tells each terl node of another process, on that node's open ALIVE2 socket
// (where EPMD itself never sends anything after the ALIVE2 response), once it has stopped
// listening, then closes the socket:
//
//   'L' | Count:16 | Count × (NameLen:16 | Name | Creation:32)
//
// "the port mapper is leaving: serve one if none answers, and register again"; the table is the
// last creation the port mapper gave each name it knew, so that the next port mapper never gives a
// name the creation it had last. Every told node tries (ensurePortMapper): one wins the port, the
// others find it answering and register with it.

import type { Socket } from 'node:net';
import type { EpmdServer } from './epmd_server.js';
import { requestsFinished } from './epmd_handover.js';

const MARK = new TextEncoder().encode('terl');
/** the first byte of the leaving message */
const LEAVING = 76; // 'L'

/** ALIVE2_REQ's Extra for a terl node; with the creation it keeps when registering again. */
export function terlExtra(keptCreation?: number): Uint8Array {
  if (keptCreation === undefined) return MARK;
  const out = new Uint8Array(MARK.length + 4);
  out.set(MARK);
  new DataView(out.buffer).setUint32(MARK.length, keptCreation >>> 0);
  return out;
}

/** Is this the Extra of a terl node's registration? */
export function isTerlExtra(extra: Uint8Array): boolean {
  return (extra.length === MARK.length || extra.length === MARK.length + 4) && MARK.every((b, i) => extra[i] === b);
}

/** The creation a terl node registering again keeps, from its Extra. */
export function keptCreation(extra: Uint8Array): number | undefined {
  if (!isTerlExtra(extra) || extra.length !== MARK.length + 4) return undefined;
  return new DataView(extra.buffer, extra.byteOffset, extra.byteLength).getUint32(MARK.length);
}

/** What a terl node hears when its port mapper leaves: the last creations it gave (name, creation). */
export interface PortMapperLeaving {
  last: [string, number][];
}

/** The leaving message, with as much of the table as fits in Count:16. */
export function leavingMessage(last: [string, number][]): Uint8Array {
  const enc = new TextEncoder();
  const entries = last.slice(0, 0xffff).map(([name, c]) => [enc.encode(name), c] as const);
  const out = new Uint8Array(3 + entries.reduce((n, [name]) => n + 2 + name.length + 4, 0));
  const v = new DataView(out.buffer);
  out[0] = LEAVING;
  v.setUint16(1, entries.length);
  let o = 3;
  for (const [name, c] of entries) {
    v.setUint16(o, name.length);
    out.set(name, o + 2);
    v.setUint32(o + 2 + name.length, c >>> 0);
    o += 2 + name.length + 4;
  }
  return out;
}

/**
 * What came on a registration socket after the ALIVE2 response, once it closed: the port mapper's
 * leaving message (its table cut short if the bytes were), or undefined for anything else.
 */
export function parseLeaving(b: Uint8Array): PortMapperLeaving | undefined {
  if (b[0] !== LEAVING) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const last: [string, number][] = [];
  if (b.length < 3) return { last };
  const count = v.getUint16(1);
  const dec = new TextDecoder();
  let o = 3;
  for (let i = 0; i < count && o + 2 <= b.length; i++) {
    const len = v.getUint16(o);
    if (o + 2 + len + 4 > b.length) break;
    last.push([dec.decode(b.subarray(o + 2, o + 2 + len)), v.getUint32(o + 2 + len)]);
    o += 2 + len + 4;
  }
  return { last };
}

/** How long the leaving host waits for its messages to be flushed before it exits anyway. */
const FLUSH_MS = 2000;

/**
 * The host's side: stop listening (the port is free for a node to take), finish the requests under
 * way, then tell each of `heirs` (the registration sockets of terl nodes of other processes) that
 * the port mapper leaves, and close them. Resolves once the messages are handed to the kernel,
 * which delivers them after the process is gone.
 */
export async function handToNodes(server: EpmdServer, heirs: Socket[]): Promise<void> {
  server.stopListening();
  await requestsFinished(server);
  const message = leavingMessage(server.creations().last);
  const told = heirs
    .filter((s) => !s.destroyed)
    .map(
      (s) =>
        new Promise<void>((resolve) => {
          s.once('close', () => resolve());
          s.end(message, () => resolve());
        }),
    );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(told), new Promise<void>((r) => (timer = setTimeout(r, FLUSH_MS)))]);
  clearTimeout(timer);
}
