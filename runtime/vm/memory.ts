// Memory limits as OTP has them, measured the way V8 lets terl measure.
//
// BEAM gives each process its own heap, so erts can say how big a process is and kill it alone
// when it passes its max_heap_size (process_flag/2, spawn_opt/2), with an error report. terl's
// processes share V8's one heap, which has no per-process accounts, so:
//
//   words      a process's heap is estimated in BEAM words, one per BYTES_PER_WORD bytes of V8
//              heap (a cons cell is 2 words in BEAM and 40 bytes here)
//   charged    what a process allocates is charged to it: the V8 heap's growth over its slices
//              (measured for processes with a max_heap_size only: it costs a look at the heap per
//              slice), and what the BIFs that build big terms (lists:duplicate/2, lists:seq/2,3,
//              ...) are about to allocate, checked before they allocate it
//   collected  a process over its limit is not killed for garbage: the heap is collected first,
//              and the charge cut to what the whole heap has grown since the process started
//   the node   V8's heap limit (sized by V8 from the machine's memory, up to 4 GB) is every
//              process's limit: when the heap passes HIGH_WATER of it even after a collection,
//              the process allocating is killed, with the same report, and the node goes on;
//              an allocation a BIF knows cannot fit is refused before it is made
//
// Killing is what BEAM does for max_heap_size: the process exits with reason killed (an
// untrappable kill), after the report
//
//   =ERROR REPORT==== ... ===
//        Process:            <0.83.0>
//        Context:            maximum heap size reached
//        Max Heap Size:      1000
//        Total Heap Size:    1355
//        ...

import v8 from 'node:v8';
import vm from 'node:vm';
import { Atom, ErlMap, Term, atom, bool, list, tuple, FALSE, TRUE } from './term.js';
import type { Process } from './process.js';
import { NO_MAX_HEAP } from './process.js';
import { logger } from './logger.js';

/** The process running now: the scheduler tells (it imports this module, so it hands the lookup in). */
let running: () => Process | undefined = () => undefined;
export function setRunningLookup(f: () => Process | undefined): void {
  running = f;
}

/** Where reports go: the error logger installs itself (it imports what imports this module). */
let logText: (text: string) => void = (text) => void process.stderr.write(text);
export function setMemoryReporter(log: (text: string) => void): void {
  logText = log;
}

/** Bytes of V8 heap counted as one BEAM word. */
export const BYTES_PER_WORD = 20;
/** The share of V8's heap limit past which the node kills the process that is allocating. */
export const HIGH_WATER = 0.75;

/** max_heap_size as process_flag/2 and spawn_opt/2 take it (size in words, 0: no limit). */
export interface MaxHeap {
  size: number;
  kill: boolean;
  errorLogger: boolean;
}

const KILLED = atom('killed');
const SIZE = atom('size');
const KILL = atom('kill');
const ERROR_LOGGER = atom('error_logger');

/** A max_heap_size value (a word count or a map of size, kill, error_logger), or undefined when it is not one. */
export function parseMaxHeap(t: Term, current: MaxHeap = NO_MAX_HEAP): MaxHeap | undefined {
  if (typeof t === 'number') return t >= 0 ? { ...current, size: t } : undefined;
  if (!(t instanceof ErlMap)) return undefined;
  const out: MaxHeap = { ...current };
  for (const [k, v] of t.sorted()) {
    if (k === SIZE && typeof v === 'number' && v >= 0) out.size = v;
    else if (k === KILL && (v === TRUE || v === FALSE)) out.kill = v === TRUE;
    else if (k === ERROR_LOGGER && (v === TRUE || v === FALSE)) out.errorLogger = v === TRUE;
    else return undefined;
  }
  if (!t.has(SIZE)) return undefined;
  return out;
}

/** #{error_logger => ..., kill => ..., size => ...} */
export function maxHeapTerm(m: MaxHeap): ErlMap {
  return ErlMap.from([
    [ERROR_LOGGER, bool(m.errorLogger)],
    [KILL, bool(m.kill)],
    [SIZE, m.size],
  ]);
}

// ---------- the heap ----------

export function heapUsed(): number {
  return v8.getHeapStatistics().used_heap_size;
}

let limitBytes = 0;
/** V8's heap limit for this thread. */
export function heapLimit(): number {
  if (limitBytes === 0) limitBytes = v8.getHeapStatistics().heap_size_limit;
  return limitBytes;
}

/** The node's budget for all processes together, in words: every process's limit. */
export function nodeBudgetWords(): number {
  return Math.floor((HIGH_WATER * heapLimit()) / BYTES_PER_WORD);
}

/** Is the heap below HIGH_WATER (after a collection, if it was not)? For work done outside processes (decoding a big frame). */
export function heapHasRoom(): boolean {
  const budget = HIGH_WATER * heapLimit();
  if (heapUsed() <= budget) return true;
  collect();
  return heapUsed() <= budget;
}

let gcFn: (() => void) | undefined;
/** A full collection (V8's gc, exposed at run time: terl runs without --expose-gc). */
export function collect(): void {
  if (gcFn === undefined) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  gcFn();
}

// ---------- processes ----------

/** What the scheduler notes for a process it is about to run a slice of (-1: nothing to note). */
export function sliceStart(p: Process): number {
  return p.maxHeap.size > 0 && !p.heapReported ? heapUsed() : -1;
}

/** After the slice: charge the heap's growth to the process and hold it to its max_heap_size. */
export function sliceEnd(p: Process, before: number): void {
  if (before < 0 || !p.alive) return;
  p.heapWords = Math.max(0, p.heapWords + (heapUsed() - before) / BYTES_PER_WORD);
  if (p.heapWords > p.maxHeap.size) overLimit(p, 0);
}

/**
 * A BIF is about to build a term of about `words` words for the running process p: true when it
 * may. False when that would take p past its max_heap_size (with kill), or the node past its heap:
 * p is then killed (it dies at its next yield, which the BIF must reach without allocating).
 * Nothing is charged here: the slice's heap growth is.
 */
export function reserve(p: Process, words: number): boolean {
  if (p.maxHeap.size > 0 && p.heapWords + words > p.maxHeap.size && !p.heapReported) {
    if (overLimit(p, words)) return false;
  }
  const budget = HIGH_WATER * heapLimit();
  if (heapUsed() + words * BYTES_PER_WORD > budget) {
    collect();
    if (heapUsed() + words * BYTES_PER_WORD > budget) {
      killForMemory(p, nodeBudgetWords(), p.heapWords + words);
      return false;
    }
  }
  return true;
}

/** Thrown through the process's code (no Erlang catch takes it) when it was killed for memory. */
export class ProcessKilled {}

/** Below this a BIF's term is not worth a look at the heap (unless the process has a max_heap_size). */
const SMALL_WORDS = 10_000;

/**
 * A BIF of the running process is about to build about `words` words: it may, or the process is
 * killed (reserve) and ProcessKilled unwinds it.
 */
export function charge(words: number): void {
  const p = running();
  if (p === undefined || (words < SMALL_WORDS && p.maxHeap.size === 0)) return;
  if (!reserve(p, words)) throw new ProcessKilled();
}

/** p is past its max_heap_size: collect, look again, report and kill. True when it was killed. */
function overLimit(p: Process, adding: number): boolean {
  collect();
  // garbage does not count: no more than the whole heap grew since the process started
  p.heapWords = Math.min(p.heapWords, Math.max(0, (heapUsed() - p.heapAtStart) / BYTES_PER_WORD));
  const total = Math.round(p.heapWords + adding);
  if (total <= p.maxHeap.size) return false;
  if (p.maxHeap.errorLogger) report(p, p.maxHeap, total);
  if (!p.maxHeap.kill) {
    // BEAM reports at each collection after this one; terl once
    p.heapReported = true;
    return false;
  }
  p.pendingExit = KILLED;
  return true;
}

/** The node's heap is nearly full: kill p, with the report (the node's budget as its max_heap_size). */
export function killForMemory(p: Process, budgetWords: number, totalWords: number): void {
  report(p, { size: budgetWords, kill: true, errorLogger: true }, Math.round(totalWords));
  p.pendingExit = KILLED;
}

let lastNodeCheck = 0;
/** How often (ms) the scheduler looks at the node's heap between slices. */
const NODE_CHECK_MS = 5;

/**
 * Between slices: when the heap is past HIGH_WATER even after a collection, the process that just
 * ran (a long slice: the one allocating) is killed; undefined when the node is fine.
 */
export function checkNode(now: number, ran: Process): Process | undefined {
  if (now - lastNodeCheck < NODE_CHECK_MS) return undefined;
  lastNodeCheck = now;
  const budget = HIGH_WATER * heapLimit();
  if (heapUsed() <= budget) return undefined;
  collect();
  const used = heapUsed();
  if (used <= budget || !ran.alive) return undefined;
  const words = Math.max(ran.heapWords, (used - ran.heapAtStart) / BYTES_PER_WORD);
  report(ran, { size: nodeBudgetWords(), kill: true, errorLogger: true }, Math.round(words));
  return ran;
}

/** The error report BEAM writes for a process past its max_heap_size. */
function report(p: Process, m: MaxHeap, totalWords: number): void {
  const gcInfo = list(
    (
      [
        ['old_heap_block_size', 0],
        ['heap_block_size', totalWords],
        ['mbuf_size', 0],
        ['recent_size', 0],
        ['stack_size', 0],
        ['old_heap_size', 0],
        ['heap_size', totalWords],
        ['bin_vheap_size', 0],
        ['bin_vheap_block_size', 0],
        ['bin_old_vheap_size', 0],
        ['bin_old_vheap_block_size', 0],
      ] as [string, number][]
    ).map(([k, v]) => tuple(atom(k), v)),
  );
  const name: Atom | undefined = p.registeredName;
  const text = logger().format(
    '     Process:            ~p ~s~n' +
      '     Context:            maximum heap size reached~n' +
      '     Max Heap Size:      ~p~n' +
      '     Total Heap Size:    ~p~n' +
      '     Kill:               ~p~n' +
      '     Error Logger:       ~p~n' +
      '     Message Queue Len:  ~p~n' +
      '     GC Info:            ~p~n',
    [p.pid, name === undefined ? list([]) : list([...name.name].map((c) => c.codePointAt(0)!)), m.size, totalWords, bool(m.kill), bool(m.errorLogger), p.length, gcInfo],
  );
  logText(`${logger().header('ERROR REPORT')}\n${text}\n`);
}
