// TCP sockets as erl's inet driver makes them ports: a connected socket (TcpSocket) and a listening
// one (TcpListener), both "tcp_inet".
//
// A connected socket reads all the time into its queue; packets are cut from the queue as the
// {packet, _} option says and go to the owner as {tcp, S, Data} while active, or to the processes
// parked in gen_tcp:recv while passive (reading pauses while a passive socket's queue is full).
// The end of the stream is told once: {tcp_closed, S} (after {tcp_error, S, R} for an error) in
// active mode, where the port then closes with exit_on_close; {error, closed | R} to a recv in
// passive mode, after which the socket has no connection any more (enotconn), as in erl.

import { Server, Socket, createServer, connect as netConnect } from 'node:net';
import { Atom, Term, atom, tuple } from '../../vm/term.js';
import type { Process } from '../../vm/process.js';
import { runQueued } from '../../vm/scheduler.js';
import { posixReason } from '../lib_chan/socket.js';
import { ByteQueue, PacketTooLarge, framePacket, nextPacket } from '../erts/packet.js';
import { InetPort, WaitQueue, endpoint, error, OK } from './inet_socket.js';
import type { SocketOptions } from './inet_options.js';

const TCP = atom('tcp');
const TCP_CLOSED = atom('tcp_closed');
const TCP_ERROR = atom('tcp_error');
const CLOSED = atom('closed');
const ECONNRESET = atom('econnreset');
const NORMAL = atom('normal');

/** A passive socket stops reading when this much waits in its queue. */
const QUEUE_LIMIT = 256 * 1024;
/** How long a closed socket may take to send what is left before it is destroyed. */
const LINGER_MS = 5000;

/** Close a Node.js socket the way close(2) does: what was written still goes, then FIN. */
function closeSocket(sock: Socket): void {
  if (sock.destroyed) return;
  if (sock.connecting) return void sock.destroy();
  sock.end();
  if (sock.writableLength === 0) sock.destroy();
  else {
    sock.once('finish', () => sock.destroy());
    setTimeout(() => sock.destroy(), LINGER_MS).unref();
  }
}

export class TcpSocket extends InetPort {
  private sock: Socket | undefined;
  private readonly queue = new ByteQueue();
  private readonly readers = new WaitQueue<Term>();
  /** the peer has finished (FIN, reset, error): nothing more will come */
  private peerDone = false;
  /** why: closed, or a POSIX reason (emsgsize, econnreset with show_econnreset, ...) */
  private endReason: Atom = CLOSED;
  /** the end has been told to the owner or a recv */
  private reported = false;
  /** shutdown(read): incoming data is dropped */
  private readShut = false;
  private paused = false;

  constructor(owner: Process, sock: Socket, opts: SocketOptions, family: 'inet' | 'inet6') {
    super(owner, 'tcp', opts, family);
    this.sock = sock;
    sock.setNoDelay(opts.nodelay);
    if (opts.keepalive) sock.setKeepAlive(true);
    sock.on('data', (chunk: Buffer) => this.received(chunk));
    sock.on('end', () => this.peerEnded(CLOSED));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      const r = posixReason(err);
      this.peerEnded(r === ECONNRESET && !this.opts.showEconnreset ? CLOSED : r);
    });
    sock.on('close', () => this.peerEnded(CLOSED));
    if (sock.isPaused()) sock.resume();
  }

  get status(): string[] {
    if (!this.open) return [];
    if (this.sock === undefined || this.sock.destroyed) return ['open'];
    return ['connected', 'open'];
  }

  /**
   * gen_tcp:connect: a socket owned by `owner` once connected, or {error, Reason}. `timeoutMs`
   * bounds the wait for the connection.
   */
  static connect(
    owner: Process,
    address: string,
    port: number,
    local: { address?: string; port?: number },
    opts: SocketOptions,
    family: 'inet' | 'inet6',
    timeoutMs: number,
  ): Promise<Term> {
    return new Promise<Term>((resolve) => {
      const sock = netConnect({
        host: address,
        port,
        localAddress: local.address,
        localPort: local.port,
        family: family === 'inet6' ? 6 : 4,
        allowHalfOpen: true,
        noDelay: opts.nodelay,
      });
      let done = false;
      const timer =
        timeoutMs === Infinity
          ? undefined
          : setTimeout(() => {
              if (done) return;
              done = true;
              sock.destroy();
              resolve(error('timeout'));
            }, timeoutMs);
      sock.once('connect', () => {
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        sock.removeAllListeners('error');
        if (!owner.alive) {
          sock.destroy();
          return resolve(error('closed'));
        }
        sock.pause();
        const s = new TcpSocket(owner, sock, opts, family);
        resolve(tuple(OK, s.term));
      });
      sock.once('error', (err: NodeJS.ErrnoException) => {
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        sock.destroy();
        resolve(error(posixReason(err)));
      });
    });
  }

  sockname(): Term {
    const s = this.sock;
    if (s === undefined || s.destroyed) return error('einval');
    const e = endpoint(s.localAddress, s.localPort);
    return e === undefined ? error('einval') : tuple(OK, e);
  }

  peername(): Term {
    const s = this.sock;
    if (s === undefined || s.destroyed) return error('enotconn');
    const e = endpoint(s.remoteAddress, s.remotePort);
    return e === undefined ? error('enotconn') : tuple(OK, e);
  }

  optionsChanged(): void {
    const s = this.sock;
    if (s !== undefined && !s.destroyed) {
      s.setNoDelay(this.opts.nodelay);
      s.setKeepAlive(this.opts.keepalive);
    }
    this.pump();
  }

  // ----- writing -----

  protected command(data: Uint8Array): void {
    const s = this.sock;
    if (s !== undefined && s.writable) s.write(data);
  }

  /** gen_tcp:send: ok, {error, Reason}, or a promise of either when the socket is busy. */
  send(data: Uint8Array): Term | Promise<Term> {
    const s = this.sock;
    // (after a passive socket reported an error the connection is gone; after the peer's close it is closed)
    if (s === undefined || s.destroyed) return error(this.reported && this.endReason !== CLOSED ? 'enotconn' : 'closed');
    if (!s.writable) return error('closed');
    const framed = framePacket(this.opts.packet, data);
    // (a packet too long for its header is dropped: erl's driver answers ok and the peer never sees it whole)
    if (framed === undefined) return OK;
    this.output += framed.length;
    s.write(framed);
    if (s.writableLength <= this.opts.highWatermark) return OK;
    // busy: the sender waits until the kernel took enough, at most send_timeout
    return new Promise<Term>((resolve) => {
      const timer =
        this.opts.sendTimeout === Infinity
          ? undefined
          : setTimeout(() => {
              s.off('drain', drained);
              if (this.opts.sendTimeoutClose) this.exit(NORMAL, false);
              resolve(error('timeout'));
            }, this.opts.sendTimeout);
      const drained = () => {
        if (timer !== undefined) clearTimeout(timer);
        resolve(OK);
      };
      s.once('drain', drained);
      s.once('close', drained);
    });
  }

  /** gen_tcp:shutdown(S, read | write | read_write). */
  shutdown(how: 'read' | 'write' | 'read_write'): Term {
    const s = this.sock;
    if (s === undefined || s.destroyed) return error('enotconn');
    if (how !== 'read') s.end();
    if (how !== 'write') {
      // nothing more is read: a recv finds the stream closed, an active socket hears nothing more
      this.readShut = true;
      this.queue.clear();
      this.peerDone = true;
      this.endReason = CLOSED;
      if (this.isActive) this.reported = true;
    }
    return OK;
  }

  // ----- reading -----

  /** gen_tcp:recv: {ok, Packet}, {error, Reason}, or a promise of either. */
  recv(proc: Process, length: number, timeoutMs: number): Term | Promise<Term> {
    if (this.isActive) return error('einval');
    if (this.readers.size === 0) {
      const now = this.takeFor(length);
      if (now !== undefined) return now;
      if (this.peerDone) return this.endFor();
      if (timeoutMs === 0) return error('timeout');
    }
    const p = this.readers.wait(proc, timeoutMs, error('timeout'), length);
    this.flow();
    return p;
  }

  /** The next packet for a reader asking for `length` bytes ({ok, Data}), or undefined. */
  private takeFor(length: number): Term | undefined {
    let p: Uint8Array | undefined;
    try {
      p = this.opts.packet === 'raw' && length > 0 ? (this.queue.length >= length ? this.queue.take(length) : undefined) : this.takePacket();
    } catch (e) {
      if (!(e instanceof PacketTooLarge)) throw e;
      this.tooLarge();
      return undefined;
    }
    if (p === undefined) return undefined;
    this.flow();
    return tuple(OK, this.packetTerm(p));
  }

  private takePacket(): Uint8Array | undefined {
    return nextPacket(this.queue, {
      type: this.opts.packet,
      maxSize: this.opts.packetSize,
      delimiter: this.opts.lineDelimiter,
      lineMax: Math.max(this.opts.buffer, 1),
    });
  }

  /** What a passive reader gets once the stream has ended: the reason once, then enotconn. */
  private endFor(): Term {
    if (this.reported) return error(this.sock === undefined ? 'enotconn' : 'closed');
    this.reported = true;
    if (this.opts.exitOnClose) this.dropConnection();
    return error(this.endReason);
  }

  private received(chunk: Buffer): void {
    if (!this.open || this.readShut) return;
    this.input += chunk.length;
    this.queue.push(chunk);
    this.pump();
    runQueued();
  }

  private peerEnded(reason: Atom): void {
    if (this.peerDone || !this.open) return;
    this.peerDone = true;
    this.endReason = reason;
    this.pump();
    runQueued();
  }

  /** A packet over the limit: the input is dropped and the connection ends with emsgsize. */
  private tooLarge(): void {
    this.queue.clear();
    this.peerDone = true;
    this.endReason = atom('emsgsize');
    this.sock?.destroy();
  }

  /** Hand out what is due: packets to the owner (active) or to parked readers (passive), then the end. */
  private pump(): void {
    if (!this.open) return;
    try {
      while (this.isActive) {
        const p = this.takePacket();
        if (p === undefined) break;
        this.tell(tuple(TCP, this.term, this.packetTerm(p)));
        this.delivered();
      }
    } catch (e) {
      if (!(e instanceof PacketTooLarge)) throw e;
      this.tooLarge();
    }
    if (!this.isActive) {
      for (let w = this.readers.first(); w !== undefined; w = this.readers.first()) {
        const r = this.takeFor(w.ask);
        if (r !== undefined) this.readers.give(r);
        else if (this.peerDone) this.readers.give(this.endFor());
        else break;
      }
    } else if (this.peerDone && !this.reported) {
      this.reported = true;
      if (this.endReason !== CLOSED) this.tell(tuple(TCP_ERROR, this.term, this.endReason));
      this.tell(tuple(TCP_CLOSED, this.term));
      // the port goes with the connection, without an exit signal (erl's driver exits quietly)
      if (this.opts.exitOnClose) return this.exit(NORMAL, false);
    }
    this.flow();
  }

  /** Pause reading while a passive socket's queue is full, so a fast sender cannot fill memory. */
  private flow(): void {
    const s = this.sock;
    if (s === undefined || s.destroyed) return;
    const full = !this.isActive && this.queue.length >= QUEUE_LIMIT && this.readers.size === 0;
    if (full && !this.paused) {
      s.pause();
      this.paused = true;
    } else if (!full && this.paused) {
      s.resume();
      this.paused = false;
    }
  }

  /** The connection is gone, the port stays (passive exit_on_close): later calls get enotconn. */
  private dropConnection(): void {
    const s = this.sock;
    this.sock = undefined;
    if (s === undefined) return;
    // {linger, {true, 0}}: the connection is reset, not closed
    if (this.opts.linger[0] && this.opts.linger[1] === 0 && !s.destroyed) s.resetAndDestroy();
    else closeSocket(s);
  }

  protected release(): void {
    this.readers.flush(error('closed'));
    this.queue.clear();
    this.dropConnection();
  }
}

export class TcpListener extends InetPort {
  private readonly acceptors = new WaitQueue<Term>();
  /** connections the kernel accepted that no gen_tcp:accept has taken yet */
  private readonly pending: Socket[] = [];

  private constructor(
    owner: Process,
    private readonly server: Server,
    opts: SocketOptions,
    family: 'inet' | 'inet6',
  ) {
    super(owner, 'tcp', opts, family);
    server.on('connection', (sock: Socket) => this.connection(sock));
  }

  get status(): string[] {
    return this.open ? ['listen', 'open'] : [];
  }

  /** gen_tcp:listen: {ok, S} owned by `owner`, or {error, Reason}. */
  static listen(owner: Process, address: string, port: number, backlog: number, opts: SocketOptions, family: 'inet' | 'inet6'): Promise<Term> {
    return new Promise<Term>((resolve) => {
      const server = createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: opts.nodelay });
      server.once('error', (err: NodeJS.ErrnoException) => resolve(error(posixReason(err))));
      server.listen({ host: address, port, backlog, ipv6Only: false, exclusive: true }, () => {
        server.removeAllListeners('error');
        if (!owner.alive) {
          server.close();
          return resolve(error('closed'));
        }
        resolve(tuple(OK, new TcpListener(owner, server, opts, family).term));
      });
    });
  }

  sockname(): Term {
    const a = this.server.address();
    const e = a !== null && typeof a === 'object' ? endpoint(a.address, a.port) : undefined;
    return e === undefined ? error('einval') : tuple(OK, e);
  }

  peername(): Term {
    return error('enotconn');
  }

  optionsChanged(): void {
    // a listening socket only passes its options on to the sockets it accepts
  }

  protected command(): void {
    // nothing can be written to a listening socket
  }

  /** gen_tcp:accept: {ok, S} owned by `proc`, {error, Reason}, or a promise of either. */
  accept(proc: Process, timeoutMs: number): Term | Promise<Term> {
    if (this.acceptors.size === 0) {
      const sock = this.pending.shift();
      if (sock !== undefined) return this.accepted(proc, sock);
      if (timeoutMs === 0) return error('timeout');
    }
    return this.acceptors.wait(proc, timeoutMs, error('timeout'));
  }

  private accepted(proc: Process, sock: Socket): Term {
    const s = new TcpSocket(proc, sock, { ...this.opts }, this.family);
    return tuple(OK, s.term);
  }

  private connection(sock: Socket): void {
    if (!this.open) return void sock.destroy();
    const w = this.acceptors.first();
    if (w === undefined) {
      this.pending.push(sock);
      // a peer that goes away before it is accepted is forgotten
      sock.once('close', () => {
        const i = this.pending.indexOf(sock);
        if (i >= 0) this.pending.splice(i, 1);
      });
      return;
    }
    this.acceptors.give(this.accepted(w.proc, sock));
    runQueued();
  }

  protected release(): void {
    this.acceptors.flush(error('closed'));
    for (const s of this.pending.splice(0)) s.destroy();
    this.server.close();
  }
}
