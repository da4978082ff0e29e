// Time in the node: a min-heap of deadlines (performance.now() milliseconds) shared by receive
// timeouts (`after N`) and Erlang timers (erlang:send_after/start_timer, timer:*). The scheduler
// fires due entries between slices and arms one Node timer for the earliest deadline when idle.
// Entries know their heap index, so a receive that gets its message removes its timeout at once
// instead of leaving it to rot in the heap.

export abstract class TimerEntry {
  deadline = 0;
  /** insertion order: entries with the same deadline fire first-in first-out */
  seq = 0;
  /** index in the heap, -1 when not scheduled */
  idx = -1;
  abstract fire(): void;
  get scheduled(): boolean {
    return this.idx >= 0;
  }
}

const heap: TimerEntry[] = [];
let seqCounter = 0;

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

function place(e: TimerEntry, i: number): void {
  heap[i] = e;
  e.idx = i;
}

function siftUp(i: number): void {
  const e = heap[i];
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent];
    if (!before(e, p)) break;
    place(p, i);
    i = parent;
  }
  place(e, i);
}

function siftDown(i: number): void {
  const n = heap.length;
  const e = heap[i];
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && before(heap[r], heap[l]) ? r : l;
    if (!before(heap[c], e)) break;
    place(heap[c], i);
    i = c;
  }
  place(e, i);
}

/** Schedule e at deadline (rescheduling it if it is in the heap already). */
export function addTimer(e: TimerEntry, deadline: number): void {
  if (e.idx >= 0) removeTimer(e);
  e.deadline = deadline;
  e.seq = seqCounter++;
  heap.push(e);
  siftUp(heap.length - 1);
  onEarlier?.(deadline);
}

export function removeTimer(e: TimerEntry): void {
  const i = e.idx;
  if (i < 0) return;
  e.idx = -1;
  const last = heap.pop()!;
  if (i === heap.length) return;
  place(last, i);
  if (i > 0 && before(last, heap[(i - 1) >> 1])) siftUp(i);
  else siftDown(i);
}

/** The earliest deadline, or Infinity when nothing is scheduled. */
export function nextDeadline(): number {
  return heap.length > 0 ? heap[0].deadline : Infinity;
}

/** Fire every entry due at `now`, earliest first. Returns how many fired. */
export function fireDue(now: number): number {
  let n = 0;
  while (heap.length > 0 && heap[0].deadline <= now) {
    const e = heap[0];
    removeTimer(e);
    e.fire();
    n++;
  }
  return n;
}

export function pendingTimers(): number {
  return heap.length;
}

/** Called with the deadline of every new entry (the scheduler re-arms its Node timer when idle). */
let onEarlier: ((deadline: number) => void) | undefined;
export function onTimerAdded(cb: (deadline: number) => void): void {
  onEarlier = cb;
}

/** A timer that runs a JS callback (timer:apply_after, intervals, I/O timeouts). */
export class CallbackTimer extends TimerEntry {
  constructor(public callback: () => void) {
    super();
  }
  fire(): void {
    this.callback();
  }
}
