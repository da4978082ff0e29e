// The bridge between a TCP socket and the Erlang process that owns it, in the manner of a
// gen_tcp port in {active, true} mode: socket events become messages in the owner's mailbox.
//
//   {tcp, Id, Frame}          one whole frame (the 4-byte length removed), as a binary
//   {tcp_connected, Id}       an outgoing connection is up
//   {tcp_error, Id, Reason}   a POSIX-style reason (econnrefused, nxdomain, emsgsize, ...)
//   {tcp_closed, Id}          the connection is gone (sent once, always last)
//
// Id is a reference naming this socket. The owner writes with send() and closes with close().
// A socket must not outlive its owner: when the owner process is dead, the next socket event or
// the periodic sweep closes it (an Erlang port closes when its owner dies).

import { Socket, connect as netConnect, isIP } from 'node:net';
import { lookup } from 'node:dns';
import { Atom, Bin, Ref, Term, atom, tuple } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import type { Process } from '../../vm/process.js';
import { FrameReader, FrameTooLarge, MAX_FRAME, PRE_AUTH_MAX_FRAME, frame } from './wire.js';

/** Frames a peer may send before the handshake is over (the most the protocol needs: 2). */
export const PRE_AUTH_FRAMES = 2;

const TCP = atom('tcp');
const TCP_CONNECTED = atom('tcp_connected');
const TCP_ERROR = atom('tcp_error');
const TCP_CLOSED = atom('tcp_closed');

/** Open sockets, for the sweep that closes those whose owner died. */
const open = new Set<ChanSocket>();
let sweeper: ReturnType<typeof setInterval> | undefined;
const SWEEP_MS = 1000;

function track(s: ChanSocket): void {
  open.add(s);
  if (sweeper === undefined) {
    sweeper = setInterval(() => {
      for (const c of open) if (!c.owner.alive) c.close();
      if (open.size === 0) {
        clearInterval(sweeper);
        sweeper = undefined;
      }
    }, SWEEP_MS);
    sweeper.unref();
  }
}

/** An IPv4 or IPv6 address given as an Erlang address tuple or dotted text; a host name otherwise. */
export type HostName = { address: string } | { name: string };

/** Map a Node.js socket/DNS error to the atom gen_tcp would return. */
export function posixReason(err: NodeJS.ErrnoException): Atom {
  const code = err.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'EAI_AGAIN' || code === 'ENODATA' || code === 'EAI_NODATA')
    return atom('nxdomain');
  if (/^E[A-Z0-9]+$/.test(code)) return atom(code.toLowerCase());
  return atom('einval');
}

export class ChanSocket {
  readonly id: Ref = node.makeRef();
  private readonly reader = new FrameReader(PRE_AUTH_MAX_FRAME);
  /** frames still to hand over before open() */
  private budget = PRE_AUTH_FRAMES;
  /** frames that came beyond the budget, waiting for open() */
  private held: Buffer[] = [];
  private closedSent = false;
  private socket: Socket | undefined;

  private constructor(readonly owner: Process) {
    track(this);
  }

  /** A socket the listener accepted, owned by `owner` from now on. */
  static accepted(socket: Socket, owner: Process): ChanSocket {
    const s = new ChanSocket(owner);
    s.attach(socket);
    return s;
  }

  /**
   * Connect to host:port for `owner` (IPv4, as gen_tcp's default `inet`); the outcome arrives as
   * {tcp_connected, Id} or {tcp_error, Id, Reason} followed by {tcp_closed, Id}.
   */
  static connect(host: HostName, port: number, owner: Process): ChanSocket {
    const s = new ChanSocket(owner);
    const dial = (address: string) => {
      if (s.closedSent) return;
      const sock = netConnect({ host: address, port, noDelay: true });
      s.attach(sock);
      sock.once('connect', () => s.deliver(tuple(TCP_CONNECTED, s.id)));
    };
    if ('address' in host) dial(host.address);
    else
      lookup(host.name, { family: 4 }, (err, address) => {
        if (err) {
          s.deliver(tuple(TCP_ERROR, s.id, posixReason(err)));
          s.closed();
        } else dial(address);
      });
    return s;
  }

  /**
   * The peer is authenticated (or the channel needs none): take frames up to MAX_FRAME, as many as
   * come. Until then frames are small and at most PRE_AUTH_FRAMES are handed over; the rest wait
   * (reading stops), so a stranger cannot fill memory during the handshake.
   */
  open(): void {
    this.reader.maxFrame = MAX_FRAME;
    this.budget = Infinity;
    const held = this.held;
    this.held = [];
    for (const f of held) this.deliverFrame(f);
    this.socket?.resume();
  }

  /** Write one frame. False when the socket is closed already. */
  send(payload: Uint8Array): boolean {
    const sock = this.socket;
    if (sock === undefined || this.closedSent || sock.destroyed || !sock.writable) return false;
    sock.write(frame(payload));
    return true;
  }

  /** Close: what was written is still sent, then FIN. The owner gets no tcp_closed for its own close. */
  close(): void {
    this.closedSent = true;
    open.delete(this);
    const sock = this.socket;
    if (sock !== undefined && !sock.destroyed) {
      if (sock.connecting) return void sock.destroy();
      sock.end();
      // do not wait forever for a peer that never reads or never closes its side
      setTimeout(() => sock.destroy(), 5000).unref();
    }
  }

  get isOpen(): boolean {
    return !this.closedSent;
  }

  private attach(sock: Socket): void {
    this.socket = sock;
    sock.setNoDelay(true);
    sock.on('data', (chunk: Buffer) => this.data(chunk));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (!this.closedSent) this.deliver(tuple(TCP_ERROR, this.id, posixReason(err)));
    });
    sock.on('close', () => this.closed());
  }

  private data(chunk: Buffer): void {
    if (this.closedSent) return;
    let frames: Buffer[];
    try {
      frames = this.reader.push(chunk);
    } catch (e) {
      if (!(e instanceof FrameTooLarge)) throw e;
      this.deliver(tuple(TCP_ERROR, this.id, atom('emsgsize')));
      this.socket?.destroy();
      this.closed();
      return;
    }
    for (const f of frames) {
      if (this.budget > 0) {
        this.budget--;
        this.deliverFrame(f);
      } else {
        this.held.push(f);
        this.socket?.pause();
      }
    }
  }

  private deliverFrame(f: Buffer): void {
    this.deliver(tuple(TCP, this.id, new Bin(new Uint8Array(f))));
  }

  private closed(): void {
    if (this.closedSent) return;
    this.deliver(tuple(TCP_CLOSED, this.id));
    this.closedSent = true;
    open.delete(this);
  }

  private deliver(msg: Term): void {
    if (!this.owner.alive) {
      this.closedSent = true;
      open.delete(this);
      this.socket?.destroy();
      return;
    }
    node.deliver(this.owner, msg);
  }
}

/** Is text an IP address literal? */
export function isAddress(text: string): boolean {
  return isIP(text) !== 0;
}
