// The socket bridge: TCP events as messages to the owning process, the pre-authentication frame
// budget, oversized frames, and a socket that closes when its owner dies.

import { describe, it, expect, afterAll } from 'vitest';
import { createServer, connect, type Socket } from 'node:net';
import { until, show } from './runtime.js';
import { ChanSocket, PRE_AUTH_FRAMES } from '../../../runtime/lib/lib_chan/socket.js';
import { frame, encodeFrame } from '../../../runtime/lib/lib_chan/wire.js';
import { node } from '../../../runtime/vm/node.js';
import { receive } from '../../../runtime/vm/receive.js';
import { exit2 } from '../../../runtime/vm/signals.js';
import { atom, type Term } from '../../../runtime/vm/term.js';
import type { Process } from '../../../runtime/vm/process.js';

/** An accepted connection owned by a process that never reads its mailbox, and the client's socket. */
async function pair(): Promise<{ owner: Process; chan: ChanSocket; server: Socket; client: Socket; close: () => void }> {
  let resolveServer!: (s: Socket) => void;
  const accepted = new Promise<Socket>((r) => (resolveServer = r));
  const srv = createServer(resolveServer);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const client = connect((srv.address() as { port: number }).port, '127.0.0.1');
  client.on('error', () => {});
  const server = await accepted;
  const owner = node.spawn(function* () {
    yield* receive((m) => (m === atom('stop') ? m : undefined));
    return atom('ok');
  }, []);
  const chan = ChanSocket.accepted(server, owner);
  return { owner, chan, server, client, close: () => (client.destroy(), srv.close()) };
}

/** The messages in a process's mailbox, printed, with the socket's ref shown as Id. */
function mailbox(p: Process, chan: ChanSocket): string[] {
  const out: string[] = [];
  const mb = p.mailbox;
  mb.rewind(); // the owner's receive has looked at them already
  let m: Term | undefined;
  while ((m = mb.next()) !== undefined) out.push(show(m).split(show(chan.id)).join('Id'));
  mb.rewind();
  return out;
}

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('lib_chan socket bridge', () => {
  it('hands over at most two frames before open(), the rest after, in order', async () => {
    const { owner, chan, server, client, close } = await pair();
    cleanups.push(close);
    const bytes = Buffer.concat(Array.from({ length: 10 }, (_, i) => frame(encodeFrame(i))));
    client.write(bytes);
    await until(() => server.bytesRead === bytes.length, 5000, 'the server to read everything');
    expect(PRE_AUTH_FRAMES).toBe(2);
    expect(mailbox(owner, chan)).toEqual(['{tcp,Id,<<131,97,0>>}', '{tcp,Id,<<131,97,1>>}']);
    chan.open();
    await until(() => owner.mailbox.length === 10);
    expect(mailbox(owner, chan).map((m) => m.replace(/.*<<131,97,(\d+)>>.*/, '$1'))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('refuses a frame announced larger than the limit, from its header', async () => {
    const { owner, chan, client, close } = await pair();
    cleanups.push(close);
    const clientClosed = new Promise<void>((r) => client.on('close', () => r()));
    client.write(Buffer.from([0, 1, 0, 1])); // 65537 bytes announced
    await until(() => owner.mailbox.length === 2);
    expect(mailbox(owner, chan)).toEqual(['{tcp_error,Id,emsgsize}', '{tcp_closed,Id}']);
    await clientClosed;
  });

  it('tells the owner when the peer closes', async () => {
    const { owner, chan, client, close } = await pair();
    cleanups.push(close);
    client.end(frame(encodeFrame(atom('bye'))));
    await until(() => owner.mailbox.length === 2);
    expect(mailbox(owner, chan)).toEqual(['{tcp,Id,<<131,100,0,3,98,121,101>>}', '{tcp_closed,Id}']);
  });

  it('closes the connection when its owner is killed', async () => {
    const { owner, client, close } = await pair();
    cleanups.push(close);
    const clientClosed = new Promise<void>((r) => client.on('close', () => r()));
    client.resume();
    const killer = node.spawn(function* () {
      exit2(killer, owner.pid, atom('kill'));
      return atom('ok');
    }, []);
    await until(() => !owner.alive);
    await clientClosed; // the sweep notices within a second or so
    expect(owner.exitReason).toBe(atom('killed'));
  });
});
