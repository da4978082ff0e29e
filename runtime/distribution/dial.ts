// Reaching another node, as inet_tcp_dist:setup does: split Name@Host, ask the EPMD on Host for
// Name's port (PORT_PLEASE2), connect, and run the initiator's handshake. net_kernel dials with this.

import { connect as tcpConnect } from 'node:net';
import type { Socket } from 'node:net';
import { portPlease } from './epmd_client.js';
import type { EpmdOptions } from './epmd_client.js';
import { handshakeWeStarted } from './handshake.js';
import type { HandshakeResult, InitiatorOptions } from './handshake.js';

export type DialOptions = Omit<InitiatorOptions, 'socket' | 'otherNode'> & {
  /** EPMD port, environment and timeout; the EPMD asked is the one on the node's host */
  epmd?: Omit<EpmdOptions, 'host'>;
  /** how long the TCP connect may take (default 7 s, net_setuptime) */
  connectTimeoutMs?: number;
  /**
   * The socket is open, the handshake not started: false abandons the attempt (the socket is
   * closed), as net_kernel does when the peer's own attempt got there first.
   */
  connected?(socket: Socket): boolean;
};

/** The node could not be reached (no such name at its EPMD, no answer), or the caller abandoned the attempt. */
export interface DialFailure {
  ok: false;
  reason: 'unreachable' | 'abandoned';
  otherNode: string;
  detail: string;
}

export type DialResult = HandshakeResult | DialFailure;

export function isDialFailure(r: DialResult): r is DialFailure {
  return !r.ok && (r.reason === 'unreachable' || r.reason === 'abandoned');
}

/** Each layer on a socket (handshake, connection) handles its errors; this keeps the gaps quiet. */
export function ignoreSocketError(): void {}

/** A TCP connection to host:port with TCP_NODELAY, or the error (`timeout` after timeoutMs). */
export function openSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('timeout'));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      // a reset while the handshake is failing must not reach the process as an unhandled 'error'
      s.on('error', ignoreSocketError);
      s.setNoDelay(true);
      resolve(s);
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Connect to `otherNode` ("name@host") and hand back the result of the handshake. */
export async function dial(otherNode: string, o: DialOptions): Promise<DialResult> {
  const at = otherNode.indexOf('@');
  if (at <= 0 || at === otherNode.length - 1) return { ok: false, reason: 'bad_name', otherNode, detail: 'not a node name' };
  const alive = otherNode.slice(0, at);
  const host = otherNode.slice(at + 1);
  const timeoutMs = o.connectTimeoutMs ?? 7000;
  let socket: Socket;
  try {
    const entry = await portPlease(alive, host, { timeoutMs, ...o.epmd });
    if (entry === undefined) throw new Error('not registered');
    socket = await openSocket(host, entry.port, timeoutMs);
  } catch (e) {
    return { ok: false, reason: 'unreachable', otherNode, detail: (e as Error).message };
  }
  if (o.connected !== undefined && !o.connected(socket)) {
    socket.destroy();
    return { ok: false, reason: 'abandoned', otherNode, detail: 'abandoned before the handshake' };
  }
  const { epmd: _epmd, connectTimeoutMs: _connectTimeout, connected: _connected, ...handshake } = o;
  return handshakeWeStarted({ ...handshake, socket, otherNode });
}
