// A connected pair of loopback sockets for tests that drive a protocol from both ends (the
// handshake, cookies). Every pair and its listener are closed after each test of the file.

import { afterEach } from 'vitest';
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) s.close();
});

/** [initiator side, acceptor side] */
export async function socketPair(): Promise<[Socket, Socket]> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const a = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise<void>((r) => a.once('connect', () => r()));
  const b = await accepted;
  sockets.push(a, b);
  return [a, b];
}
