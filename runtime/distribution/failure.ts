// Why the last attempt to reach a node failed, as the distribution observed it: the stage it got to
// (port mapper, TCP connect, handshake step) and what it saw there. The shell's explanations
// (runtime/lib/stdlib/shell/explain.ts) read these; nothing here guesses.

import type { HandshakeFailure } from './handshake.js';

export type DistFailure =
  /** we dialled; the peer closed after our challenge reply: it found our digest wrong */
  | { kind: 'our_reply_rejected'; node: string }
  /** we dialled; the peer's challenge ack did not match our cookie */
  | { kind: 'their_ack_invalid'; node: string }
  /** they dialled; their challenge reply did not match our cookie */
  | { kind: 'their_reply_rejected'; node: string }
  /** the port mapper on the host answered, without that name */
  | { kind: 'not_registered'; node: string; host: string; names?: string[] }
  /** the host name did not resolve */
  | { kind: 'host_unresolved'; node: string; host: string; code: string }
  /** nothing answered on the host's port mapper port */
  | { kind: 'epmd_unreachable'; node: string; host: string; port: number; code: string }
  /** the port mapper gave a port, nothing accepted on it */
  | { kind: 'port_unreachable'; node: string; host: string; port: number; code: string }
  /** this node has a long name (-name) and the peer's host is a short one */
  | { kind: 'name_mode'; node: string; host: string; longNames: boolean }
  /** a connection that was up went down (nodedown_reason: connection_closed, net_tick_timeout, ...) */
  | { kind: 'connection_down'; node: string; reason: string }
  /** the peer's node answered not_allowed (net_kernel:allow/1) */
  | { kind: 'not_allowed'; node: string }
  /** the node that answered is another than the one dialled */
  | { kind: 'wrong_node'; node: string; answered: string }
  /** anything else, in the distribution's own words */
  | { kind: 'other'; node: string; step?: string; detail: string };

export interface RecordedFailure {
  failure: DistFailure;
  /** increases with each record: the shell asks for those newer than when its expression started */
  seq: number;
}

const last = new Map<string, RecordedFailure>();
let seq = 0;
const listeners: ((f: RecordedFailure) => void)[] = [];

export function recordFailure(failure: DistFailure): void {
  const r = { failure, seq: ++seq };
  last.set(failure.node, r);
  for (const l of listeners) l(r);
}

/** The sequence number of the newest record (0 before any). */
export function failureSeq(): number {
  return seq;
}

/** The last failure per node recorded after `since`, oldest first. */
export function failuresSince(since: number): DistFailure[] {
  return [...last.values()].filter((r) => r.seq > since).sort((a, b) => a.seq - b.seq).map((r) => r.failure);
}

export function lastFailure(nodeName: string): DistFailure | undefined {
  return last.get(nodeName)?.failure;
}

/** Called with every failure as it is recorded (the shell shows the ones no expression waited for). */
export function onFailure(l: (f: RecordedFailure) => void): void {
  listeners.push(l);
}

/** What a failed handshake tells about the cause; `weStarted`: we dialled. */
export function handshakeFailure(peer: string, r: HandshakeFailure, weStarted: boolean): DistFailure {
  if (weStarted && r.step === 'recv_challenge_ack' && r.reason === 'closed') return { kind: 'our_reply_rejected', node: peer };
  if (r.reason === 'bad_cookie') return weStarted ? { kind: 'their_ack_invalid', node: peer } : { kind: 'their_reply_rejected', node: peer };
  if (r.reason === 'not_allowed' && weStarted) return { kind: 'not_allowed', node: peer };
  if (r.reason === 'bad_name' && weStarted && r.otherNode !== undefined && r.otherNode !== peer) return { kind: 'wrong_node', node: peer, answered: r.otherNode };
  return { kind: 'other', node: peer, step: r.step, detail: r.detail ?? r.reason };
}
