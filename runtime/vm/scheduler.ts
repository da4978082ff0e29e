// The scheduler: one run queue of processes driven on the worker's event loop.
//
// A turn (one setImmediate callback) runs processes from the queue, each for a slice of SLICE_REDS
// reductions, until the queue is empty or TURN_MS of work has passed; then it returns to the event
// loop so sockets, timers and stdin are served, and comes back with setImmediate. Many processes
// and messages go through one turn, so the setImmediate rate never limits message passing, and a
// process spinning in `loop() -> loop().` uses its slice and goes to the back of the queue like
// everyone else.
//
// What a process's generator yields (runtime/vm/abi.ts): PREEMPT → back of the queue; a Wait → parked
// until a message arrives (deliver() wakes it with true) or its deadline passes (woken with false);
// a Suspend (an extension for BIFs doing JS I/O, see awaitPromise) → parked until the promise settles.

import { PREEMPT, Wait, TailCall } from './abi.js';
import { type Term, setWalkCharge } from './term.js';
import { BusyWait } from './busy_wait.js';
import { TimerEntry, addTimer, removeTimer, fireDue, nextDeadline, onTimerAdded } from './timers.js';
import { Process, RUNNABLE, RUNNING, WAITING, SUSPENDED, DEAD, NORMAL, KILLED, asErlangException, exitReasonOf } from './process.js';
import { checkNode, setRunningLookup, sliceEnd, sliceStart } from './memory.js';
import type { ErlangException } from './exception.js';

/** Reductions per slice (BEAM uses 4000 per slice of its much cheaper reductions). */
export const SLICE_REDS = 2000;
/** Milliseconds of work before giving the event loop a turn. */
const TURN_MS = 4;

/** The scheduler's hot state: compiled code decrements S.reds on every call and reads S.current. */
export const S: { reds: number; borrowed: number; current: Process } = {
  reds: SLICE_REDS,
  borrowed: 0,
  current: undefined as unknown as Process,
};

// ---------- the run queue: a ring buffer of processes ----------

let ring: (Process | undefined)[] = new Array(1024);
let mask = 1023;
let qHead = 0;
let qLen = 0;

function enqueue(p: Process): void {
  if (qLen === ring.length) growRing();
  ring[(qHead + qLen) & mask] = p;
  qLen++;
}

function dequeue(): Process {
  const p = ring[qHead]!;
  ring[qHead] = undefined;
  qHead = (qHead + 1) & mask;
  qLen--;
  return p;
}

function growRing(): void {
  const bigger: (Process | undefined)[] = new Array(ring.length * 2);
  for (let i = 0; i < qLen; i++) bigger[i] = ring[(qHead + i) & mask];
  ring = bigger;
  mask = bigger.length - 1;
  qHead = 0;
}

/** reductions used by all processes since the node started (statistics(reductions)) */
let reductionsDone = 0;
export function totalReductions(): number {
  return reductionsDone;
}

export function runQueueLength(): number {
  return qLen;
}

// ---------- hooks ----------

/**
 * Called when a process ends: the signal layer (runtime/vm/signals.ts) sends its exit signals.
 * `crash` is the exception that escaped the process, if that is how it died.
 */
type ExitHandler = (p: Process, reason: Term, crash?: ErlangException) => void;
let exitHandler: ExitHandler = (p) => {
  p.status = DEAD;
  p.gen = undefined;
};
export function setExitHandler(h: ExitHandler): void {
  exitHandler = h;
}

let interruptFlag: Int32Array | undefined;
let interruptIndex = 0;
let onInterrupt: (() => void) | undefined;

/**
 * The shared flag the main thread sets on Ctrl-C / Ctrl-G (src/bridge.ts INTERRUPT_FLAG): the
 * scheduler polls it between slices, clears it and calls `handler` (the shell kills its evaluator).
 */
export function setInterrupt(flag: Int32Array, index: number, handler: () => void): void {
  interruptFlag = flag;
  interruptIndex = index;
  onInterrupt = handler;
}

export function setInterruptHandler(handler: () => void): void {
  onInterrupt = handler;
}

// ---------- making processes runnable ----------

/** A newly spawned process: start it in a coming slice. */
export function schedule(p: Process): void {
  p.status = RUNNABLE;
  enqueue(p);
  kick();
}

/** A message arrived for p: wake it if it is parked in receive. */
export function messageArrived(p: Process): void {
  if (p.status === WAITING) {
    if (p.timer !== undefined) removeTimer(p.timer as ReceiveTimeout);
    p.status = RUNNABLE;
    p.resumeValue = true;
    enqueue(p);
    kick();
  }
}

/** The receive timeout of a waiting process. One per process, reused. */
class ReceiveTimeout extends TimerEntry {
  constructor(readonly proc: Process) {
    super();
  }
  fire(): void {
    const p = this.proc;
    if (p.status !== WAITING) return;
    p.status = RUNNABLE;
    p.resumeValue = false;
    enqueue(p);
    kick();
  }
}

/** The process is dead: forget its timeout. (It may still sit in the run queue: dequeue skips it.) */
export function unschedule(p: Process): void {
  if (p.timer !== undefined) removeTimer(p.timer as ReceiveTimeout);
}

// ---------- awaiting JS promises (BIF extension of the ABI) ----------

/** Yielded by awaitPromise: park the process until the promise settles. */
export class Suspend {
  constructor(readonly promise: Promise<unknown>) {}
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * For BIFs that do JS I/O (files, sockets): `const v = yield* awaitPromise(p)` parks the calling
 * process until p settles and returns its value or throws its error. Messages do not wake it.
 */
export function* awaitPromise<T>(promise: Promise<T>): Generator<unknown, T, unknown> {
  const r = (yield new Suspend(promise)) as Settled;
  if (r.ok) return r.value as T;
  throw r.error;
}

function suspend(p: Process, promise: Promise<unknown>): void {
  p.status = SUSPENDED;
  const resume = (r: Settled) => {
    if (p.status !== SUSPENDED) return; // killed meanwhile
    p.status = RUNNABLE;
    p.resumeValue = r;
    enqueue(p);
    kick();
  };
  promise.then(
    (value) => resume({ ok: true, value }),
    (error) => resume({ ok: false, error }),
  );
}

// ---------- the loop ----------

let turnScheduled = false;
let inTurn = false;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let idleTimerAt = Infinity;
/** the process whose generator is executing right now, if any */
let running: Process | undefined;

// max_heap_size charges what the running process allocates
setRunningLookup(() => currentlyRunning());

export function currentlyRunning(): Process | undefined {
  return running;
}

/** Make sure a turn comes (work was added from outside a turn: a spawn, a socket, a timer). */
function kick(): void {
  if (!turnScheduled && !inTurn) {
    turnScheduled = true;
    setImmediate(turn);
  }
}

onTimerAdded((deadline) => {
  // a new deadline earlier than the armed Node timer, while the scheduler idles
  if (!inTurn && !turnScheduled && deadline < idleTimerAt) armIdleTimer();
});

function armIdleTimer(): void {
  const d = nextDeadline();
  if (d === idleTimerAt) return;
  if (idleTimer !== undefined) clearTimeout(idleTimer);
  idleTimer = undefined;
  idleTimerAt = d;
  if (d === Infinity) return;
  const ms = Math.max(0, Math.ceil(d - performance.now()));
  idleTimer = setTimeout(onIdleTimer, ms);
}

/**
 * Run what is queued now, from an I/O callback that just delivered messages (a distribution frame):
 * a reply leaves in the same callback instead of one event-loop pass later, which on a loopback
 * round trip costs more than the work itself. Outside a turn only; a turn still ends after TURN_MS.
 */
export function runQueued(): void {
  if (!inTurn && qLen > 0) turn();
}

function onIdleTimer(): void {
  idleTimer = undefined;
  idleTimerAt = Infinity;
  turn();
}

// ---------- busy wait ----------
// After work the loop goes on polling for a while before it sleeps (runtime/vm/busy_wait.ts): a
// setImmediate chain, each pass looking at sockets and timers without blocking.

const busyWait = new BusyWait(1);

/** erl's +sbwt: how long to go on polling after work (0 = sleep at once). */
export function setBusyWait(ms: number): void {
  busyWait.windowMs = ms;
}

function keepPolling(now: number): void {
  if (busyWait.workDone(now)) setImmediate(poll);
}

function poll(): void {
  if (!stopped && busyWait.pass(performance.now())) setImmediate(poll);
  else busyWait.polling = false;
}

/** Set by halt: the node is going away, no process runs again. */
let stopped = false;

/** erlang:halt: no more slices (the host is about to end the node). */
export function stopScheduling(): void {
  stopped = true;
}

function turn(): void {
  turnScheduled = false;
  if (inTurn || stopped) return;
  inTurn = true;
  const t0 = performance.now();
  let now = t0;
  if (nextDeadline() <= now) fireDue(now);
  let n = 0;
  try {
    while (qLen > 0 && !stopped) {
      const p = dequeue();
      if (p.status !== RUNNABLE) continue;
      // a process that ran past its budget by whole slices (a long BIF such as sorting a million
      // elements, plain code overrunning) waits as many turns of the others, so they get back the time
      if (p.debt > 0 && qLen > 0) {
        p.debt -= SLICE_REDS;
        enqueue(p);
        continue;
      }
      let long = false;
      // a process with a max_heap_size is charged its slices' heap growth (runtime/memory.ts)
      const heapBefore = p.maxHeap.size > 0 ? sliceStart(p) : -1;
      try {
        long = runSlice(p);
      } catch (e) {
        // a bug in the runtime itself (signals, exit handling): keep the node alive and say so
        running = undefined;
        console.error('terl: internal error while running a process:', e);
      }
      if (heapBefore >= 0) {
        sliceEnd(p, heapBefore);
        if (p.pendingExit !== undefined && p.alive) exitHandler(p, p.pendingExit);
      }
      if (interruptFlag !== undefined && interruptFlag[interruptIndex] !== 0) {
        interruptFlag[interruptIndex] = 0;
        onInterrupt?.();
      }
      if (long || (++n & 63) === 0) {
        now = performance.now();
        if (nextDeadline() <= now) fireDue(now);
        // the node's heap nearly full: the process that just ran (and allocated) goes, not the node
        const victim = checkNode(now, p);
        if (victim !== undefined) exitHandler(victim, KILLED);
        if (now - t0 >= TURN_MS) break;
      }
    }
  } finally {
    inTurn = false;
    running = undefined;
  }
  if (qLen > 0) {
    turnScheduled = true;
    setImmediate(turn);
  } else {
    armIdleTimer();
    keepPolling(performance.now());
  }
}

/**
 * Charge the running process for work done in TypeScript (a BIF walking or building a long list):
 * BEAM's BIFs bump reductions by their work, so a long one ends the slice it ran in.
 */
export function bumpReductions(n: number): void {
  S.reds -= n;
}

/**
 * A native BIF walked or built n elements (list cells, tuple elements, map entries, table
 * objects, digits; bytes count a sixteenth each): charge the caller about one reduction per 16,
 * the rate of BEAM's length/1 and lists:member/2. A BIF cannot yield halfway as BEAM's trap, so
 * what matters is that a long one ends the caller's slice and is paid back in turns (Process.debt):
 * a process looping on `L ++ [x]` over a long L no longer holds the node for minutes.
 */
export function chargeElements(n: number): void {
  S.reds -= n >>> 4;
}
// comparisons (=:=, ==, <, ...) of long terms charge their walk the same way
setWalkCharge(chargeElements);

/** Is another process runnable, or a timer due? (plain code running long then lets them run soon) */
export function othersWaiting(now: number): boolean {
  return qLen > 0 || nextDeadline() <= now;
}

// ---------- hand-off: a receive that runs the next process itself ----------
// A process about to wait in receive (a call waiting for its reply) would unwind its generator
// chain to the turn, which then runs the next queued process (the server it just sent to), which
// replies and parks, after which the chain is resumed level by level. Instead the receive runs
// that next process's slice itself, from where it stands, and looks at its mailbox again: the same
// process runs next, in the same order, but the caller's chain stays where it is. One level only
// (the process run so does not hand off in turn); the caller keeps its slice's budget; a signal
// that would kill it meanwhile marks it to die at its next yield, as one running does.

/** the process whose receive is running another process's slice, if any */
let handingOff: Process | undefined;

export function handingOffProcess(): Process | undefined {
  return handingOff;
}

/**
 * Called by a receive that found no message, before it waits until `deadline` (0: `after 0`, which
 * only looks, lets nothing run first): true when a message may have come (look again), false when
 * the process should wait as usual.
 */
export function handoff(deadline: number): boolean {
  const p = running;
  if (p === undefined || handingOff !== undefined || qLen === 0 || stopped || deadline === 0) return false;
  if (p !== S.current || p.pendingExit !== undefined || p.maxHeap.size > 0) return false;
  // the next process the turn would run once p waits (entries of processes no longer runnable skipped)
  while (qLen > 0 && ring[qHead]!.status !== RUNNABLE) dequeue();
  // one in debt (its last slice overran) is for the turn to pass over, not for a hand-off to run
  if (qLen === 0 || ring[qHead]!.maxHeap.size > 0 || ring[qHead]!.debt > 0) return false;
  const q = dequeue();
  const reds = S.reds;
  const borrowed = S.borrowed;
  handingOff = p;
  try {
    runSlice(q);
  } catch (e) {
    console.error('terl: internal error while running a process:', e);
  } finally {
    handingOff = undefined;
    S.current = p;
    S.reds = reds;
    S.borrowed = borrowed;
    running = p;
  }
  return p.pendingExit === undefined && p.mailbox.hasUnseen();
}

/**
 * Run p for one slice: until it yields, returns (dies normally) or throws (dies abnormally).
 * True when it used its whole budget (a long slice: time to look at the clock).
 */
function runSlice(p: Process): boolean {
  S.current = p;
  S.reds = SLICE_REDS;
  S.borrowed = 0;
  p.status = RUNNING;
  running = p;
  let v = p.resumeValue;
  p.resumeValue = undefined;
  for (;;) {
    let r: IteratorResult<unknown, Term>;
    try {
      r = p.gen!.next(v);
    } catch (e) {
      running = undefined;
      spent(p);
      if (p.pendingExit !== undefined) exitHandler(p, p.pendingExit);
      else {
        const exc = asErlangException(e);
        exitHandler(p, exitReasonOf(exc), exc);
      }
      return false;
    }
    if (p.pendingExit !== undefined) {
      running = undefined;
      spent(p);
      exitHandler(p, p.pendingExit);
      return false;
    }
    if (r.done) {
      const tc = r.value as unknown;
      if (tc instanceof TailCall) {
        // the process's function ended in a tail call: run that as the process's code now
        try {
          p.gen = tc.fn(...tc.args);
        } catch (e) {
          running = undefined;
          const exc = asErlangException(e);
          exitHandler(p, exitReasonOf(exc), exc);
          return false;
        }
        v = undefined;
        continue;
      }
      running = undefined;
      spent(p);
      exitHandler(p, NORMAL);
      return false;
    }
    const y = r.value;
    if (y === PREEMPT) {
      p.status = RUNNABLE;
      enqueue(p);
      break;
    }
    if (y instanceof Wait) {
      // a message came in since the receive last looked (a send to self, or before the wait)
      if (p.mailbox.hasUnseen()) {
        v = true;
        continue;
      }
      const deadline = y.deadline;
      if (deadline !== Infinity && deadline <= performance.now()) {
        v = false;
        continue;
      }
      p.status = WAITING;
      if (y.where !== undefined) p.waitingIn = y.where;
      if (deadline !== Infinity) {
        let t = p.timer as ReceiveTimeout | undefined;
        if (t === undefined) p.timer = t = new ReceiveTimeout(p);
        addTimer(t, deadline);
      }
      break;
    }
    if (y instanceof Suspend) {
      suspend(p, y.promise);
      break;
    }
    // anything else is a bug in the yielding code: kill the process, not the node
    running = undefined;
    const exc = asErlangException(new Error('bad yield: ' + String(y)));
    exitHandler(p, exitReasonOf(exc), exc);
    return false;
  }
  running = undefined;
  spent(p);
  return S.reds <= 0;
}

function spent(p: Process): void {
  // a turn costs at least one reduction, as receiving a message does in BEAM: code written in
  // TypeScript (io servers, the shell) counts no calls of its own
  const used = Math.max(1, SLICE_REDS - S.reds + S.borrowed);
  p.debt = used > 2 * SLICE_REDS ? used - SLICE_REDS : 0;
  p.reductions += used;
  reductionsDone += used;
}
