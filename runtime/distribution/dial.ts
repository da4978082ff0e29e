// Reaching another node, as inet_tcp_dist:setup does: split Name@Host, ask the EPMD on Host for
// Name's port (PORT_PLEASE2), connect, and run the initiator's handshake.

import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { lookup } from 'node:dns/promises';
import { portPlease } from './epmd_client.js';
import type { EpmdOptions } from './epmd_client.js';
import { handshakeWeStarted } from './handshake.js';
import type { HandshakeFailure, HandshakeResult, InitiatorOptions } from './handshake.js';

export type DialOptions = Omit<InitiatorOptions, 'socket' | 'otherNode'> & {
  /** EPMD port and timeouts; the EPMD host is the node's host */
  epmd?: Omit<EpmdOptions, 'host'>;
  /** how long the TCP connect may take (default 7 s, net_setuptime) */
  connectTimeoutMs?: number;
};

function failure(otherNode: string, detail: string): HandshakeFailure {
  return { ok: false, reason: 'closed', otherNode, detail };
}

function connectSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`connect to ${host}:${port} timed out`));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
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
export async function dial(otherNode: string, o: DialOptions): Promise<HandshakeResult> {
  const at = otherNode.indexOf('@');
  if (at <= 0 || at === otherNode.length - 1) return { ok: false, reason: 'bad_name', otherNode, detail: 'not a node name' };
  const name = otherNode.slice(0, at);
  const host = otherNode.slice(at + 1);
  let address: string;
  try {
    address = (await lookup(host)).address;
  } catch (e) {
    return failure(otherNode, `cannot resolve ${host}: ${(e as Error).message}`);
  }
  let port: number;
  try {
    const entry = await portPlease(name, address, o.epmd ?? {});
    if (entry === undefined) return failure(otherNode, `${name} is not registered with EPMD on ${host}`);
    port = entry.port;
  } catch (e) {
    return failure(otherNode, (e as Error).message);
  }
  let socket: Socket;
  try {
    socket = await connectSocket(address, port, o.connectTimeoutMs ?? 7000);
  } catch (e) {
    return failure(otherNode, (e as Error).message);
  }
  return handshakeWeStarted({ ...o, socket, otherNode });
}
