// What TCP and UDP sockets share as ports (erl's inet driver: "tcp_inet", "udp_inet"): their
// options, the {active, true | false | once | N} accounting, the processes parked in a call that
// waits (recv, accept), and addresses as Erlang tuples.
//
// A waiting call parks its process on a JS promise (runtime/scheduler.ts awaitPromise); the socket
// settles it when data, a connection, an error or the timeout comes. A waiter whose process died
// meanwhile is skipped, so nothing is handed to the dead.

import { Atom, Bin, List, Pid, Term, Tuple, atom, exactEqual, tuple } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import type { Process } from '../../vm/process.js';
import { intList } from '../common.js';
import { ErtsPort } from '../../vm/port_table.js';
import { type SocketOptions, type Kind, type Active } from './inet_options.js';
import { fromNodeAddress, ipTuple } from './inet_address.js';

export const ERROR = atom('error');
export const OK = atom('ok');

/** {error, Reason} */
export function error(reason: string | Atom): Term {
  return tuple(ERROR, typeof reason === 'string' ? atom(reason) : reason);
}

/** A process parked in a socket call, and how to wake it. */
export interface Waiter<T> {
  readonly proc: Process;
  /** what the call asked for (recv's Length) */
  readonly ask: number;
  readonly settle: (v: T) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** The processes parked on one kind of call, first come first served. */
export class WaitQueue<T> {
  private readonly q: Waiter<T>[] = [];

  get size(): number {
    return this.q.length;
  }

  /** Park `proc` until give() or flush() settles it, or `timeoutMs` passes (settled with onTimeout). */
  wait(proc: Process, timeoutMs: number, onTimeout: T, ask = 0): Promise<T> {
    return new Promise<T>((resolve) => {
      const w: Waiter<T> = { proc, ask, settle: resolve, timer: undefined };
      if (timeoutMs !== Infinity) {
        w.timer = setTimeout(() => {
          const i = this.q.indexOf(w);
          if (i >= 0) this.q.splice(i, 1);
          resolve(onTimeout);
        }, timeoutMs);
      }
      this.q.push(w);
    });
  }

  /** The first waiter whose process is alive (dead ones are dropped), still queued. */
  first(): Waiter<T> | undefined {
    while (this.q.length > 0 && !this.q[0].proc.alive) this.drop(this.q[0]);
    return this.q[0];
  }

  /** Wake the first live waiter with v; false when there is none. */
  give(v: T): boolean {
    const w = this.first();
    if (w === undefined) return false;
    this.drop(w);
    w.settle(v);
    return true;
  }

  /** Wake every waiter with v. */
  flush(v: T): void {
    while (this.q.length > 0) {
      const w = this.q[0];
      this.drop(w);
      w.settle(v);
    }
  }

  private drop(w: Waiter<T>): void {
    if (w.timer !== undefined) clearTimeout(w.timer);
    const i = this.q.indexOf(w);
    if (i >= 0) this.q.splice(i, 1);
  }
}

/** A Node.js address as an Erlang address tuple, or undefined. */
export function addressTerm(address: string | undefined): Term | undefined {
  const ip = address === undefined ? undefined : fromNodeAddress(address);
  return ip === undefined ? undefined : ipTuple(ip);
}

/** A Node.js address and port as Erlang's {Address, Port}, or undefined. */
export function endpoint(address: string | undefined, port: number | undefined): Term | undefined {
  const a = addressTerm(address);
  return a === undefined || port === undefined ? undefined : tuple(a, port);
}

export abstract class InetPort extends ErtsPort {
  /** socket states inet:i shows (erl's prim_inet:getstatus flags) */
  abstract get status(): string[];

  constructor(
    owner: Process,
    readonly kind: Kind,
    public opts: SocketOptions,
    /** inet or inet6 */
    readonly family: 'inet' | 'inet6',
  ) {
    super(owner);
  }

  get name(): string {
    return this.kind === 'tcp' ? 'tcp_inet' : 'udp_inet';
  }

  /** {ok, {Address, Port}} of this end, or {error, Reason}. */
  abstract sockname(): Term;
  /** {ok, {Address, Port}} of the other end, or {error, Reason}. */
  abstract peername(): Term;

  /** The options changed (setopts): apply what acts on the OS socket, deliver what is now due. */
  abstract optionsChanged(): void;

  /** The message tag for data ({tcp, S, Data} or {udp, S, IP, Port, Data}) and for the switch to passive. */
  protected get passiveTag(): Atom {
    return atom(this.kind === 'tcp' ? 'tcp_passive' : 'udp_passive');
  }

  /** Is the socket delivering messages now? */
  get isActive(): boolean {
    return this.opts.active !== false;
  }

  /**
   * setopts {active, V}: a count adds to the one running ({active, N} on {active, M} makes N+M);
   * reaching 0 or less makes the socket passive and tells the owner {tcp_passive, S}.
   */
  setActive(v: Active): void {
    if (typeof v === 'number') {
      const now = typeof this.opts.active === 'number' ? this.opts.active : 0;
      const n = Math.min(now + v, 32767);
      if (n <= 0) {
        this.opts.active = false;
        this.tell(tuple(this.passiveTag, this.term));
      } else this.opts.active = n;
    } else this.opts.active = v;
  }

  /** One message went out in active mode: once and N count down. */
  protected delivered(): void {
    const a = this.opts.active;
    if (a === 'once') this.opts.active = false;
    else if (typeof a === 'number') {
      if (a <= 1) {
        this.opts.active = false;
        this.tell(tuple(this.passiveTag, this.term));
      } else this.opts.active = a - 1;
    }
  }

  /** A packet as the owner gets it: a list or a binary, with `header` bytes first as a list. */
  packetTerm(b: Uint8Array): Term {
    if (!this.opts.binary) return intList(b);
    const h = this.opts.header;
    if (h === 0) return new Bin(b);
    if (b.length < h) return intList(b);
    let t: Term = new Bin(b.subarray(h));
    for (let i = h - 1; i >= 0; i--) t = new List(b[i], t);
    return t;
  }
}

const MESSAGE_TAGS = new Set(['tcp', 'tcp_closed', 'tcp_error', 'tcp_passive', 'udp', 'udp_closed', 'udp_error', 'udp_passive']);

/**
 * gen_tcp/gen_udp:controlling_process(S, NewOwner) called by `self`: only the owner may hand the
 * socket over; the socket's messages already in the old owner's mailbox move with it, in order.
 */
export function handOver(sock: InetPort, self: Process, newOwner: Pid): Term {
  if (node.isPidOf(newOwner, sock.owner)) return OK;
  if (!sock.isOwner(self.pid)) return error('not_owner');
  const to = node.process(newOwner);
  if (to === undefined) return error('badarg');
  const mine = (m: Term) =>
    m instanceof Tuple && m.elements.length >= 2 && m.elements[0] instanceof Atom && MESSAGE_TAGS.has(m.elements[0].name) && exactEqual(m.elements[1], sock.term);
  const moving = self.mailbox.toArray().filter(mine);
  self.mailbox.removeWhere(mine);
  sock.connect(to);
  sock.unlinkFrom(self);
  for (const m of moving) node.deliver(to, m);
  return OK;
}
