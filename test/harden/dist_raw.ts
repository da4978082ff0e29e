// A stranger at a node's distribution port: raw handshake messages, no cookie needed.

import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { portPlease } from '../../runtime/distribution/epmd_client.js';
import { FrameReader, frame2 } from '../../runtime/distribution/framing.js';
import { TERL_FLAGS, TERL_HIDDEN_FLAGS } from '../../runtime/distribution/flags.js';
import { handshakeWeStarted } from '../../runtime/distribution/handshake.js';
import type { Epmd } from '../helpers/dist_nodes.js';

/** The distribution port of node `alive` on loopback. */
export async function distPort(epmd: Epmd, alive: string): Promise<number> {
  const entry = await portPlease(alive, '127.0.0.1', { env: { ...process.env, ...epmd.env } });
  if (entry === undefined) throw new Error(`${alive} is not registered`);
  return entry.port;
}

export function openTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.removeListener('error', reject);
      s.on('error', () => undefined);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** The 'N' message a version 6 initiator sends, naming itself with these bytes. */
export function nameMessage(name: Uint8Array, flags: bigint = TERL_FLAGS): Uint8Array {
  const out = new Uint8Array(15 + name.length);
  const v = new DataView(out.buffer);
  out[0] = 78;
  v.setBigUint64(1, flags);
  v.setUint32(9, 1);
  v.setUint16(13, name.length);
  out.set(name, 15);
  return out;
}

/**
 * Send a name message and collect the handshake messages the node answers with until it has sent
 * `want` of them or closed the connection (then the socket is closed).
 */
export async function sendName(port: number, name: Uint8Array, want = 2): Promise<{ messages: Uint8Array[]; closedByNode: boolean }> {
  const s = await openTcp(port);
  const reader = new FrameReader(2);
  const messages: Uint8Array[] = [];
  return new Promise((resolve) => {
    const done = (closedByNode: boolean): void => {
      s.destroy();
      resolve({ messages, closedByNode });
    };
    s.on('data', (d) => {
      reader.push(d);
      for (let m = reader.next(); m !== undefined; m = reader.next()) messages.push(m);
      if (messages.length >= want) done(false);
    });
    s.on('close', () => done(true));
    s.write(frame2(nameMessage(name)));
  });
}

/** A hidden connection to node `alive` with the handshake done: from here on 4-byte frames. */
export interface Link {
  socket: Socket;
  closed: Promise<void>;
  /** the frames the node sent (ticks left out) */
  frames: Uint8Array[];
}

/**
 * Connect to node `alive` as `thisNode` with the cookie, hidden. A reply to an earlier frame can
 * make the node dial back to this made-up name; while it does, our attempt gets `nok`
 * (simultaneous connect, as OTP answers it) and is tried again once that dial has failed.
 */
export async function dialHidden(epmd: Epmd, alive: string, thisNode: string, cookie: string): Promise<Link> {
  const host = thisNode.slice(thisNode.indexOf('@') + 1);
  for (let attempt = 1; ; attempt++) {
    const socket = await openTcp(await distPort(epmd, alive));
    const r = await handshakeWeStarted({
      socket,
      thisNode,
      thisFlags: TERL_HIDDEN_FLAGS,
      creation: 7,
      cookie,
      otherNode: `${alive}@${host}`,
    });
    if (r.ok) {
      const frames: Uint8Array[] = [];
      const reader = new FrameReader(4);
      reader.push(r.rest);
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const take = (): void => {
        for (let f = reader.next(); f !== undefined; f = reader.next()) if (f.length > 0) frames.push(f.slice());
      };
      take();
      socket.on('data', (d: Buffer) => {
        reader.push(d);
        take();
      });
      socket.resume();
      return { socket, closed, frames };
    }
    socket.destroy();
    if (r.reason !== 'nok' || attempt === 20) throw new Error(`handshake failed: ${r.reason}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
