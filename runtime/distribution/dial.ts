// Reaching another node, as inet_tcp_dist:setup does: split Name@Host, ask the EPMD on Host for
// Name's port (PORT_PLEASE2), connect, and run the initiator's handshake. net_kernel dials with this.

import { connect as tcpConnect } from 'node:net';
import type { Socket } from 'node:net';
import { EpmdError, epmdPort, names, portPlease } from './epmd_client.js';
import type { EpmdOptions } from './epmd_client.js';
import type { DistFailure } from './failure.js';
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
  /** what was observed, for the shell's explanation (unreachable only) */
  failure?: DistFailure;
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
  let port: number;
  try {
    const entry = await portPlease(alive, host, { timeoutMs, ...o.epmd });
    if (entry === undefined) {
      const failure: DistFailure = { kind: 'not_registered', node: otherNode, host, names: await namesAt(host, o) };
      return { ok: false, reason: 'unreachable', otherNode, detail: 'not registered', failure };
    }
    port = entry.port;
  } catch (e) {
    return { ok: false, reason: 'unreachable', otherNode, detail: (e as Error).message, failure: epmdFailure(otherNode, host, e as Error, o) };
  }
  try {
    socket = await openSocket(host, port, timeoutMs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    const failure: DistFailure = { kind: 'port_unreachable', node: otherNode, host, port, code };
    return { ok: false, reason: 'unreachable', otherNode, detail: (e as Error).message, failure };
  }
  if (o.connected !== undefined && !o.connected(socket)) {
    socket.destroy();
    return { ok: false, reason: 'abandoned', otherNode, detail: 'abandoned before the handshake' };
  }
  const { epmd: _epmd, connectTimeoutMs: _connectTimeout, connected: _connected, ...handshake } = o;
  return handshakeWeStarted({ ...handshake, socket, otherNode });
}

/** The names registered at host's port mapper, when it answers (to say which names there are). */
async function namesAt(host: string, o: DialOptions): Promise<string[] | undefined> {
  try {
    return (await names({ ...o.epmd, host })).nodes.map((n) => n.name);
  } catch {
    return undefined;
  }
}

/** What went wrong asking host's port mapper: the name did not resolve, or nothing answered. */
function epmdFailure(otherNode: string, host: string, e: Error, o: DialOptions): DistFailure {
  const code = /\b(ENOTFOUND|EAI_AGAIN|EAI_NONAME|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT)\b/.exec(e.message)?.[1] ?? (e instanceof EpmdError ? e.code : e.message);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return { kind: 'host_unresolved', node: otherNode, host, code };
  if (e instanceof EpmdError && (e.code === 'unreachable' || e.code === 'timeout')) {
    return { kind: 'epmd_unreachable', node: otherNode, host, port: o.epmd?.port ?? epmdPort(o.epmd?.env), code };
  }
  return { kind: 'other', node: otherNode, step: 'port_please', detail: e.message };
}
