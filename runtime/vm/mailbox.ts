// A process's message queue, with the save position selective receive needs (see runtime/vm/abi.ts).
//
// Messages live in a plain array between `head` and `tail`. take() at the head just advances it;
// take() further in (selective receive) leaves a HOLE that scans skip, so nothing is ever shifted.
// The save position stays where the last scan stopped while the process waits, so a message that
// arrives later is the only one looked at again. When the queue empties the indexes go back to 0
// (the array keeps its capacity); a long-lived backlog is compacted once the dead prefix or the
// holes outweigh the live messages.

import type { Term } from './term.js';
import type { Mailbox } from './abi.js';

/** A slot whose message was taken out of the middle of the queue. */
const HOLE: unique symbol = Symbol('hole');
type Slot = Term | typeof HOLE | undefined;

const COMPACT_MIN = 1024;
/** the queue of a process that never got a message: no array until the first one */
const NONE: Slot[] = Object.freeze([]) as unknown as Slot[];

export class MessageQueue implements Mailbox {
  private q: Slot[] = NONE;
  private head = 0;
  private tail = 0;
  /** where the next next() looks */
  private save = 0;
  /** the slot next() returned last */
  private last = -1;
  private holes = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(m: Term): void {
    if (this.tail < this.q.length) this.q[this.tail] = m;
    else if (this.q === NONE) this.q = [m];
    else this.q.push(m);
    this.tail++;
    this.count++;
  }

  next(): Term | undefined {
    const q = this.q;
    while (this.save < this.tail) {
      const i = this.save++;
      const m = q[i];
      if (m !== HOLE) {
        this.last = i;
        return m as Term;
      }
    }
    return undefined;
  }

  /** The message next() returned last, before take() (seq_trace reads its token). */
  protected peekLast(): Term {
    return this.q[this.last] as Term;
  }

  take(): void {
    const i = this.last;
    if (i < this.head || i >= this.tail) throw new Error('mailbox: take() without next()');
    this.last = -1;
    this.count--;
    if (this.count === 0) {
      // everything before tail is now undefined or a hole: forget them all
      this.clearSlots(this.head, this.tail);
      this.head = this.tail = this.save = this.holes = 0;
      return;
    }
    const q = this.q;
    if (i === this.head) {
      q[i] = undefined;
      this.head++;
      while (q[this.head] === HOLE) {
        q[this.head++] = undefined;
        this.holes--;
      }
    } else {
      q[i] = HOLE;
      this.holes++;
    }
    this.save = this.head;
    if ((this.head > COMPACT_MIN && this.head > this.count) || (this.holes > COMPACT_MIN && this.holes > this.count)) {
      this.compact();
    }
  }

  rewind(): void {
    this.save = this.head;
    this.last = -1;
  }

  /** Has a message arrived after the save position (the receive has not seen it yet)? */
  hasUnseen(): boolean {
    return this.save < this.tail;
  }

  /** The messages in order (process_info messages, flush in the shell). */
  toArray(): Term[] {
    const out: Term[] = [];
    for (let i = this.head; i < this.tail; i++) {
      const m = this.q[i];
      if (m !== HOLE && m !== undefined) out.push(m);
    }
    return out;
  }

  /** Remove every message for which drop() is true (demonitor's flush); keeps the save position valid. */
  removeWhere(drop: (m: Term) => boolean): number {
    let removed = 0;
    for (let i = this.head; i < this.tail; i++) {
      const m = this.q[i];
      if (m !== HOLE && m !== undefined && drop(m)) {
        this.q[i] = HOLE;
        this.holes++;
        this.count--;
        removed++;
      }
    }
    if (removed > 0) this.compact();
    return removed;
  }

  /** Drop every message (the process died). */
  clear(): void {
    this.q = NONE;
    this.head = this.tail = this.save = this.holes = this.count = 0;
    this.last = -1;
  }

  private clearSlots(from: number, to: number): void {
    const q = this.q;
    for (let i = from; i < to; i++) q[i] = undefined;
  }

  /** Move the live messages to the front, keeping order, the save position and the last-returned slot. */
  private compact(): void {
    const q = this.q;
    let j = 0;
    let save = -1;
    let last = -1;
    for (let i = this.head; i < this.tail; i++) {
      if (i === this.save) save = j;
      const m = q[i];
      if (m === HOLE || m === undefined) continue;
      if (i === this.last) last = j;
      q[j++] = m;
    }
    if (save < 0) save = j;
    this.clearSlots(j, this.tail);
    if (q.length > 4 * COMPACT_MIN && q.length > 4 * j) q.length = Math.max(j, 16);
    this.head = 0;
    this.tail = j;
    this.save = save;
    this.last = last;
    this.holes = 0;
  }
}
