// UDP sockets as erl's inet driver makes them ports ("udp_inet"): datagrams go to the owner as
// {udp, S, IP, InPortNo, Packet} while active, or to gen_udp:recv as {ok, {IP, InPortNo, Packet}}.
// Datagrams wait in a queue while the socket is passive; when the queue holds more than the
// receive buffer, new ones are dropped, as the kernel drops them.

import { createSocket, type Socket } from 'node:dgram';
import { Term, atom, tuple } from '../../vm/term.js';
import type { Process } from '../../vm/process.js';
import { runQueued } from '../../vm/scheduler.js';
import { posixReason } from '../lib_chan/socket.js';
import { InetPort, WaitQueue, addressTerm, endpoint, error, OK } from './inet_socket.js';
import type { SocketOptions } from './inet_options.js';

const UDP = atom('udp');

interface Datagram {
  from: Term;
  port: number;
  data: Uint8Array;
}

export class UdpSocket extends InetPort {
  private readonly queue: Datagram[] = [];
  private queued = 0;
  private readonly readers = new WaitQueue<Term>();

  private constructor(
    owner: Process,
    private readonly sock: Socket,
    opts: SocketOptions,
    family: 'inet' | 'inet6',
  ) {
    super(owner, 'udp', opts, family);
    sock.on('message', (msg: Buffer, rinfo) => this.received(msg, rinfo.address, rinfo.port));
    sock.on('error', () => undefined);
    this.optionsChanged();
  }

  get status(): string[] {
    return this.open ? ['bound', 'open'] : [];
  }

  /** gen_udp:open: {ok, S} owned by `owner`, or {error, Reason}. */
  static open(owner: Process, address: string, port: number, opts: SocketOptions, family: 'inet' | 'inet6'): Promise<Term> {
    return new Promise<Term>((resolve) => {
      const sock = createSocket({ type: family === 'inet6' ? 'udp6' : 'udp4', reuseAddr: opts.reuseaddr });
      sock.once('error', (err: NodeJS.ErrnoException) => {
        sock.close();
        resolve(error(posixReason(err)));
      });
      sock.bind({ address, port, exclusive: true }, () => {
        sock.removeAllListeners('error');
        if (!owner.alive) {
          sock.close();
          return resolve(error('closed'));
        }
        resolve(tuple(OK, new UdpSocket(owner, sock, opts, family).term));
      });
    });
  }

  sockname(): Term {
    try {
      const a = this.sock.address();
      const e = endpoint(a.address, a.port);
      return e === undefined ? error('einval') : tuple(OK, e);
    } catch {
      return error('einval');
    }
  }

  peername(): Term {
    return error('enotconn');
  }

  optionsChanged(): void {
    try {
      this.sock.setBroadcast(this.opts.broadcast);
      this.sock.setMulticastTTL(this.opts.multicastTtl);
      this.sock.setMulticastLoopback(this.opts.multicastLoop);
    } catch {
      // (options the OS refuses stay as they were, as erl's setopts leaves them)
    }
    this.pump();
  }

  protected command(): void {
    // a UDP socket is written with gen_udp:send, which names the destination
  }

  /** gen_udp:send to an address Node.js takes. */
  send(address: string, port: number, data: Uint8Array): Term {
    this.output += data.length;
    this.sock.send(data, port, address, () => undefined);
    return OK;
  }

  /** gen_udp:recv: {ok, {IP, Port, Packet}}, {error, Reason}, or a promise of either. */
  recv(proc: Process, timeoutMs: number): Term | Promise<Term> {
    if (this.isActive) return error('einval');
    if (this.readers.size === 0) {
      const d = this.take();
      if (d !== undefined) return tuple(OK, tuple(d.from, d.port, this.packetTerm(d.data)));
      if (timeoutMs === 0) return error('timeout');
    }
    return this.readers.wait(proc, timeoutMs, error('timeout'));
  }

  private take(): Datagram | undefined {
    const d = this.queue.shift();
    if (d !== undefined) this.queued -= d.data.length;
    return d;
  }

  private received(msg: Buffer, address: string, port: number): void {
    if (!this.open) return;
    const from = addressTerm(address);
    if (from === undefined) return;
    if (this.queued + msg.length > Math.max(this.opts.recbuf, 65536) && !this.isActive) return;
    this.input += msg.length;
    this.queue.push({ from, port, data: new Uint8Array(msg) });
    this.queued += msg.length;
    this.pump();
    runQueued();
  }

  private pump(): void {
    if (!this.open) return;
    while (this.isActive && this.queue.length > 0) {
      const d = this.take()!;
      this.tell(tuple(UDP, this.term, d.from, d.port, this.packetTerm(d.data)));
      this.delivered();
    }
    while (!this.isActive && this.queue.length > 0 && this.readers.first() !== undefined) {
      const d = this.take()!;
      this.readers.give(tuple(OK, tuple(d.from, d.port, this.packetTerm(d.data))));
    }
  }

  protected release(): void {
    this.readers.flush(error('closed'));
    this.queue.length = 0;
    this.sock.close();
  }
}
