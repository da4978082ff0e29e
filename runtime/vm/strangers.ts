// Strangers at a listening port (lib_chan's, the distribution's): connections that have not
// authenticated yet. Two defences, for both listeners:
//
//   StrangerGate      at most `max` strangers at once, each of which must say something within
//                     `silentMs`. When the port is full, the oldest stranger that has said nothing
//                     makes room: a flood of idle sockets only ever evicts idle sockets, and a
//                     client that talks at once (every real one does) still gets in.
//   FailureThrottle   wrong passwords or cookies from one address: after a few, each further
//                     answer to that address waits longer (up to a second or a few), so guessing
//                     runs at most at (strangers allowed at once) per wait instead of a thousand a
//                     second; and a burst of failures is logged once when it starts and once,
//                     counted, when it ends, not once per attempt.

import type { Socket } from 'node:net';

interface Stranger {
  socket: Socket;
  heard: boolean;
  timer: ReturnType<typeof setTimeout>;
}

export class StrangerGate {
  private readonly strangers = new Map<Socket, Stranger>();

  constructor(
    private readonly max: number,
    private readonly silentMs: number,
  ) {}

  /** Strangers at the gate now. */
  get size(): number {
    return this.strangers.size;
  }

  /**
   * A connection just accepted: true when it may stay (it is watched until trusted() or closed),
   * false when it was refused (closed) because the port is full of strangers that talk.
   */
  admit(socket: Socket): boolean {
    if (this.strangers.size >= this.max) {
      let oldestSilent: Stranger | undefined;
      for (const s of this.strangers.values()) {
        if (!s.heard) {
          oldestSilent = s;
          break; // insertion order: the first silent one is the oldest
        }
      }
      if (oldestSilent === undefined) {
        socket.destroy();
        return false;
      }
      this.drop(oldestSilent.socket, true);
    }
    const s: Stranger = {
      socket,
      heard: false,
      timer: setTimeout(() => {
        if (!s.heard) this.drop(socket, true);
      }, this.silentMs),
    };
    s.timer.unref();
    this.strangers.set(socket, s);
    socket.once('data', () => {
      s.heard = true;
    });
    socket.once('close', () => this.drop(socket, false));
    return true;
  }

  /** The connection authenticated (or ended its handshake): no longer a stranger. */
  trusted(socket: Socket): void {
    this.drop(socket, false);
  }

  private drop(socket: Socket, close: boolean): void {
    const s = this.strangers.get(socket);
    if (s === undefined) return;
    clearTimeout(s.timer);
    this.strangers.delete(socket);
    if (close) socket.destroy();
  }
}

interface Failures {
  /** failures in the current burst */
  count: number;
  /** ends the burst after a quiet while */
  quiet: ReturnType<typeof setTimeout> | undefined;
}

export interface ThrottleOptions {
  /** failures from one address answered without delay */
  free: number;
  /** the delay after the first slowed failure, doubled with each one, in ms */
  baseMs: number;
  maxMs: number;
  /** a burst ends when an address has not failed for this long */
  quietMs: number;
  /** a burst starts (its first failure) */
  onBurstStart(address: string): void;
  /** a burst ended: how many failures it had in all */
  onBurstEnd(address: string, count: number): void;
}

export class FailureThrottle {
  private readonly byAddress = new Map<string, Failures>();

  constructor(private readonly o: ThrottleOptions) {}

  /**
   * How long to wait before answering this address: 0 while it has not been failing, then
   * doubling with each failure up to maxMs. Every answer to a failing address waits, right or
   * wrong (else the wait would give the answer away); the number of strangers at a port bounds
   * how many wait at once, so guessing runs at at most that many per maxMs.
   */
  delayFor(address: string): number {
    const f = this.byAddress.get(address);
    if (f === undefined || f.count < this.o.free) return 0;
    return Math.min(this.o.maxMs, this.o.baseMs * 2 ** (f.count - this.o.free));
  }

  /** Failures from this address in its current burst (0: none going on). */
  failures(address: string): number {
    return this.byAddress.get(address)?.count ?? 0;
  }

  /** A wrong password or cookie from this address. */
  failed(address: string): void {
    let f = this.byAddress.get(address);
    if (f === undefined) {
      f = { count: 0, quiet: undefined };
      this.byAddress.set(address, f);
      this.o.onBurstStart(address);
    }
    f.count++;
    if (f.quiet !== undefined) clearTimeout(f.quiet);
    const burst = f;
    f.quiet = setTimeout(() => {
      this.byAddress.delete(address);
      this.o.onBurstEnd(address, burst.count);
    }, this.o.quietMs);
    f.quiet.unref();
  }
}
