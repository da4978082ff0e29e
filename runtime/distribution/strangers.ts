// The distribution listener's strangers (runtime/vm/strangers.ts): at most MAX_HANDSHAKES
// unauthenticated connections at once, each of which must send its name within the handshake's
// step time (net_setuptime); and wrong cookies from one address slowed down (the challenge waits)
// and not logged once per attempt: the first few get erl's report each (as erl logs every one),
// the rest of a burst one line counting them when it ends.

import type { Socket } from 'node:net';
import { FailureThrottle, StrangerGate } from '../vm/strangers.js';
import type { HandshakeFailure } from './handshake.js';

/** Handshakes under way at once; the oldest silent one makes room for a new connection. */
const MAX_HANDSHAKES = 100;
/** Wrong cookies from one address reported each (and answered at once) before a burst is counted. */
const REPORTED = 3;

export class DistStrangers {
  private readonly gate: StrangerGate;
  private readonly cookies: FailureThrottle;

  constructor(
    setupTimeMs: number,
    private readonly logError: (text: string) => void,
  ) {
    this.gate = new StrangerGate(MAX_HANDSHAKES, setupTimeMs);
    this.cookies = new FailureThrottle({
      free: REPORTED,
      baseMs: 125,
      maxMs: 1000,
      quietMs: 60_000,
      onBurstStart: () => undefined,
      onBurstEnd: (address, count) => {
        if (count > REPORTED) logError(`** ${count - REPORTED} more connection attempts from ${address} rejected: invalid challenge reply **`);
      },
    });
  }

  /** A connection to the listen port: false when it was refused (the port full of strangers that talk). */
  admit(socket: Socket): boolean {
    return this.gate.admit(socket);
  }

  /** How long to hold back the challenge for this connection's address. */
  challengeDelay(socket: Socket): number {
    return this.cookies.delayFor(socket.remoteAddress ?? '?');
  }

  /** Its handshake is over: a wrong cookie is counted, and its report logged when it starts a burst. */
  done(socket: Socket, failure: HandshakeFailure | undefined, address: string): void {
    this.gate.trusted(socket);
    if (failure === undefined) return;
    if (failure.reason !== 'bad_cookie' || failure.crash !== undefined) {
      if (failure.report !== undefined) this.logError(failure.report);
      return;
    }
    const reported = this.cookies.failures(address) < REPORTED;
    this.cookies.failed(address);
    if (reported && failure.report !== undefined) this.logError(failure.report);
  }
}
