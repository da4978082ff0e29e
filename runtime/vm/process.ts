// An Erlang process: its pid, mailbox, generator (the code it runs), links, monitors, dictionary
// and flags. The scheduler (runtime/vm/scheduler.ts) drives the generator; runtime/vm/signals.ts changes
// links, monitors and life and death; runtime/vm/node.ts owns the table of processes.

import { Atom, Pid, Port, Ref, Term, Tuple, atom, charlist, tuple, NIL } from './term.js';
import type { RefTable } from './ref_table.js';
import { ErlangException, ERROR_CLASS, EXIT_CLASS, THROW_CLASS } from './exception.js';
import type { MaxHeap } from './memory.js';
import { MessageQueue } from './mailbox.js';
import type { ProcessLike, WaitingIn } from './abi.js';
import { traceReceive, type TraceFlags } from './trace.js';
import { seqReceived, type SeqState } from './seq_trace.js';

// Process states (process_info(P, status) names them; DEAD is no longer in the process table).
export const RUNNABLE = 0;
export const RUNNING = 1;
export const WAITING = 2;
/** parked on a JS promise (a BIF doing I/O): woken by the promise, not by messages */
export const SUSPENDED = 3;
export const DEAD = 4;
export type ProcStatus = typeof RUNNABLE | typeof RUNNING | typeof WAITING | typeof SUSPENDED | typeof DEAD;

/** A monitor as both ends know it. */
export interface Monitor {
  readonly ref: Ref;
  /** the monitoring process */
  readonly watcher: Pid;
  /** the monitored process: its pid, or its registered name when monitored by name on another node */
  readonly target: Pid | Atom;
  /** what the 'DOWN' message names: the pid, or {Name, Node} when monitored by name */
  readonly item: Term;
  /** the first element of the 'DOWN' message when monitor/3 gave {tag, Tag} */
  readonly tag?: Term;
}

/** How an alias (erlang:alias/1, monitor/3's {alias, Mode}) ends. */
export type AliasMode = 'explicit_unalias' | 'reply' | 'demonitor' | 'reply_demonitor';

/** A key for a pid in link tables: local pids by number, others by their full identity. */
export type PidKey = number | string;

export const NORMAL = atom('normal');
export const KILL = atom('kill');
export const KILLED = atom('killed');
export const NOPROC = atom('noproc');

/** No max_heap_size (erlang:system_info(max_heap_size)'s default). */
export const NO_MAX_HEAP: MaxHeap = Object.freeze({ size: 0, kill: true, errorLogger: true });

/** Generator type of a process's code (see runtime/vm/abi.ts). */
export type ProcessCode = Generator<unknown, Term, unknown>;

/**
 * A process is its own mailbox (it extends the message queue): one object per process, so a
 * message delivery touches one object less. `mailbox` is the process itself.
 */
export class Process extends MessageQueue implements ProcessLike {
  get mailbox(): MessageQueue {
    return this;
  }
  /** erlang:trace/3's flags for this process, when traced */
  trace: TraceFlags | undefined = undefined;
  override push(m: Term): void {
    super.push(m);
    if (this.trace !== undefined) traceReceive(this, m);
  }
  /** seq_trace: its token, and the tokens of messages on their way to it (runtime/vm/seq_trace.ts) */
  seq: SeqState | undefined = undefined;
  override take(): void {
    if (this.seq !== undefined) seqReceived(this, this.peekLast());
    super.take();
  }
  status: ProcStatus = RUNNABLE;
  /** the running code; undefined once dead */
  gen: ProcessCode | undefined;
  /** what the next gen.next() passes in: true/false after a wait, a settled promise after an await */
  resumeValue: unknown = undefined;
  /** set when an exit signal kills the process while it runs: it dies at its next yield */
  pendingExit: Term | undefined = undefined;
  trapExit = false;
  priority: Atom = NORMAL;
  registeredName: Atom | undefined = undefined;
  /** linked processes and ports */
  links: Map<PidKey, Pid | Port> | undefined = undefined;
  /** monitors this process holds on others, by ref key */
  monitors: RefTable<Monitor> | undefined = undefined;
  /** monitors others hold on this process, by ref key */
  monitoredBy: RefTable<Monitor> | undefined = undefined;
  /** this process's active aliases (ref key -> how the alias ends) */
  aliases: RefTable<AliasMode> | undefined = undefined;
  /** the process dictionary: mapKey(K) -> [K, V] */
  dict: Map<unknown, [Term, Term]> | undefined = undefined;
  /** receive timeout in the timer heap (runtime/vm/timers.ts keeps it), reused across receives */
  timer: unknown = undefined;
  /** total reductions (statistics, process_info) */
  reductions = 0;
  /** reductions its last slice ran past its budget (a long BIF, plain code): slices it lets others have first */
  debt = 0;
  /** why it died (kept on the object for tests and late readers) */
  exitReason: Term | undefined = undefined;
  /** {M, F, A} for process_info initial_call / current_function */
  initialCall: Tuple;
  /** the function of the receive it last waited in (process_info current_function), when known */
  waitingIn: WaitingIn | undefined = undefined;
  /** the spawning process (process_info parent) */
  parent: Pid | undefined = undefined;
  /** max_heap_size (runtime/memory.ts): size 0 is no limit */
  maxHeap: MaxHeap = NO_MAX_HEAP;
  /** the process's heap as runtime/memory.ts estimates it, in words */
  heapWords = 0;
  /** V8's heap when the process started (what it can have grown by at most) */
  heapAtStart = 0;
  /** max_heap_size without kill: reported once */
  heapReported = false;

  constructor(
    readonly pid: Pid,
    public groupLeader: Pid,
    initialCall: Tuple,
  ) {
    super();
    this.initialCall = initialCall;
  }

  get alive(): boolean {
    return this.status !== DEAD;
  }

  // ----- process dictionary -----

  dictGet(key: unknown): Term | undefined {
    return this.dict?.get(key)?.[1];
  }
}

// ---------- exceptions to exit reasons ----------

const NOCATCH = atom('nocatch');
const SYSTEM_LIMIT = atom('system_limit');
const INTERNAL_ERROR = atom('internal_error');

/**
 * Any thrown JS value as an Erlang exception. A JS error is a bug in terl or a JS limit, not
 * Erlang code: stack overflow becomes error:system_limit, anything else error:{internal_error, Text},
 * so a process dies of it (or catch sees it) instead of the whole node.
 */
export function asErlangException(e: unknown): ErlangException {
  if (e instanceof ErlangException) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new ErlangException(ERROR_CLASS, SYSTEM_LIMIT, NIL);
  }
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new ErlangException(ERROR_CLASS, tuple(INTERNAL_ERROR, charlist(text)), NIL);
}

/** The reason a process dies with when an exception escapes it (as BEAM: error/throw carry the stack). */
export function exitReasonOf(e: ErlangException): Term {
  if (e.cls === EXIT_CLASS) return e.reason;
  if (e.cls === THROW_CLASS) return tuple(tuple(NOCATCH, e.reason), e.stack);
  return tuple(e.reason, e.stack);
}

/** Uncaught error and throw (not exit) make the emulator log "Error in process ... with exit value". */
export function isLoggedCrash(e: ErlangException): boolean {
  return e.cls === ERROR_CLASS || e.cls === THROW_CLASS;
}
