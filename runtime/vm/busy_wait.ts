// The scheduler's busy wait (erl's +sbwt): after work the node goes on polling its sockets and
// timers for a short while before it sleeps, as BEAM's schedulers do. Waking a sleeping thread for a
// socket costs more than a whole loopback round trip's work (about 50 µs a side on a virtual
// machine), and the reply to what a process just sent usually arrives within that while.
//
// Polling pays only while the thread has a core to itself. When the cores are all wanted (the peer
// node on the same two cores, other programs, V8's compiler threads while code warms up), the
// poller is preempted mid-chain, and then holds a core the node that would answer it needs, while
// the kernel, which favours threads that sleep, makes it wait its turn: loopback round trips went
// from tens of microseconds to milliseconds each. A pass that comes far later than a pass takes,
// with no work in between, is such a preemption: polling then stops for a pause (the node sleeps
// after work, as with +sbwt none), longer each time it is preempted again soon after a pause, short
// again once a while has gone by without.
//
// Times are performance.now() milliseconds, given by the caller (the scheduler runs the chain).

/** a gap between passes this long, with no work in it, is a preemption */
export const PREEMPTED_MS = 0.25;
/** the first pause, and the longest */
export const MIN_PAUSE_MS = 5;
export const MAX_PAUSE_MS = 200;
/** preempted within this long after a pause ended: the next pause is twice as long */
const AGAIN_MS = 100;
/** no preemption for this long after a pause: the next pause is the first one again */
const CALM_MS = 1000;

export class BusyWait {
  /** how long to go on polling after work (0 = sleep at once) */
  windowMs: number;
  /** a chain of passes is under way */
  polling = false;
  private lastWorkAt = 0;
  private lastPassAt = 0;
  private pauseMs = MIN_PAUSE_MS;
  private pausedUntil = -Infinity;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  /** Work ended at `now`: true when a chain of passes should start (none is under way, none paused). */
  workDone(now: number): boolean {
    this.lastWorkAt = now;
    if (this.polling || this.windowMs <= 0 || now < this.pausedUntil) return false;
    this.polling = true;
    this.lastPassAt = now;
    return true;
  }

  /** A pass of the chain at `now`: true to go on with another pass. */
  pass(now: number): boolean {
    if (now - this.lastPassAt > PREEMPTED_MS && this.lastWorkAt < this.lastPassAt) {
      const sincePause = now - this.pausedUntil;
      this.pauseMs = sincePause < AGAIN_MS ? Math.min(MAX_PAUSE_MS, this.pauseMs * 2) : sincePause > CALM_MS ? MIN_PAUSE_MS : this.pauseMs;
      this.pausedUntil = now + this.pauseMs;
      this.polling = false;
      return false;
    }
    this.lastPassAt = now;
    this.polling = now - this.lastWorkAt < this.windowMs;
    return this.polling;
  }

  /** Polling stays off until this time (a pause after a preemption). */
  get pausedTill(): number {
    return this.pausedUntil;
  }
}
