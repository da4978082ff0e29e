// What compiled code calls at run time besides the operators: error constructors with OTP's
// reasons and frames, the stack-trace frames compiled functions add as an exception passes,
// fun calls that fail, map and record helpers, receive timeouts, export funs.
//
// The generated JavaScript receives this module's exports as `H` (see module.ts) and the node's
// CompileRuntime as `R`.

import { performance } from 'node:perf_hooks';
import {
  Atom,
  Bin,
  ErlFloat,
  ErlMap,
  Fun,
  List,
  NIL,
  Pid,
  Ref,
  Port,
  Term,
  Tuple,
  TRUE,
  FALSE,
  atom,
  charlist,
  list,
  tuple,
  mapKey,
} from '../../runtime/vm/term.js';
import type { ErlFunction } from '../../runtime/vm/term.js';
import { ErlangException, ERROR_CLASS, EXIT_CLASS, THROW_CLASS, erlError, bifError, explainErrorInfo } from '../../runtime/vm/exception.js';
import { callTracing } from '../../runtime/vm/call_trace.js';
export { handoff } from '../../runtime/vm/scheduler.js';
import { PREEMPT, TailCall, callExport, callFun, trampoline } from '../../runtime/vm/abi.js';
import type { CodeLookup, SchedState } from '../../runtime/vm/abi.js';
import { FAST_OVERRUN } from './fast.js';
import { othersWaiting } from '../../runtime/vm/scheduler.js';
import { BinSegmentError, BinBuilder } from '../../runtime/vm/bitsyntax.js';
import {
  applyFunFrame,
  doApplyFrame,
  erlEvalRaiseFrame,
  escapedFrom,
  evalFrames,
  evalFunFrameUnder,
  finalTraces,
  interpretedFunFrame,
  placeFrames,
  type EvalPlace,
} from '../../runtime/lib/stdlib/erl_eval_frames.js';
import { callers } from './callers.js';
import { bsFailExplanations } from '../../runtime/lib/stdlib/format/bs_fail.js';
import type { Expr } from '../ast.js';
import { clauseToTerm } from '../abstract.js';
import type { RecordDef } from './context.js';
import { lookupBif } from '../../runtime/vm/bif_registry.js';
import * as ops from '../../runtime/vm/ops.js';
import type { PureBif } from '../../runtime/vm/bif_registry.js';

/**
 * What the node gives the compiler: the generated code closes over it.
 *   S      the scheduler's state (one long-lived object; its fields change, the object does not)
 *   code   remote calls: code.fn(Module, Name, Arity)
 *   send   Dest ! Msg (returns Msg; raises badarg for a bad destination)
 * Shell code also uses:
 *   shellLocal  a local call f(Args) that is not a BIF (the shell's commands: c/1, f/0, b/0, ...)
 */
export interface CompileRuntime {
  readonly S: SchedState;
  readonly code: CodeLookup;
  send(to: Term, msg: Term): Term;
  shellLocal?(name: string, args: Term[], bindings: Map<string, Term>): Generator<unknown, Term, unknown>;
  /** rd/2 in shell code */
  defineRecord?(def: RecordDef): void;
}

// ---------- frames ----------

/** Where a compiled function lives, for the frames of its stack traces. */
export interface FrameInfo {
  readonly module: Atom;
  readonly name: Atom;
  readonly arity: number;
  readonly file: Term;
  /** the line of the function's first clause */
  readonly line: number;
}

export function frameInfo(module: string, name: string, arity: number, file: string, line: number): FrameInfo {
  return { module: atom(module), name: atom(name), arity, file: charlist(file), line };
}

const FILE = atom('file');
const LINE = atom('line');
const ERROR_INFO = atom('error_info');
/** OTP keeps at most this many frames (the default backtrace_depth) */
const MAX_FRAMES = 8;

function location(fr: FrameInfo, line: number, extra?: Term): Term {
  const items: Term[] = [tuple(FILE, fr.file), tuple(LINE, line)];
  if (extra !== undefined) items.push(extra);
  return list(items);
}

function stackLength(t: Term): number {
  let n = 0;
  while (t instanceof List) {
    n++;
    t = t.tail;
  }
  return n;
}

function appendFrame(stack: Term, frame: Term): Term {
  const items: Term[] = [];
  while (stack instanceof List) {
    items.push(stack.head);
    stack = stack.tail;
  }
  items.push(frame);
  return list(items);
}

function bsFailInfo(e: BinSegmentError): Term {
  const item = tuple(
    ERROR_INFO,
    ErlMap.from([
      [atom('cause'), e.cause],
      [atom('function'), atom('format_bs_fail')],
      [atom('module'), atom('erl_erts_errors')],
    ]),
  );
  return explainErrorInfo(item, bsFailExplanations(e.reason as Atom, e.cause));
}

/** The arithmetic operators BEAM runs as instructions: their errors have no erlang frame in compiled code. */
const A_erlang = atom('erlang');

function lastFrame(stack: Term): Term | undefined {
  let last: Term | undefined;
  while (stack instanceof List) {
    last = stack.head;
    stack = stack.tail;
  }
  return last;
}

/** Is frame f (a {M, F, ArityOrArgs, Loc} tuple) the function fr? */
function sameFunction(f: Term | undefined, fr: FrameInfo): boolean {
  if (!(f instanceof Tuple) || f.elements.length !== 4) return false;
  const [m, n, a] = f.elements;
  if (m !== fr.module || n !== fr.name) return false;
  return a === fr.arity || stackLength(a) === fr.arity;
}

/**
 * An exception leaving a compiled function that was at `line`: add the function's frame
 * {M, F, Arity, [{file, F}, {line, L}]}, as BEAM's stack trace would show it (a body recursion
 * through one call shows that call once, as BEAM's).
 */
export function addFrame(e: unknown, fr: FrameInfo, line: number): unknown {
  if (!(e instanceof ErlangException)) return e;
  if (finalTraces.has(e)) return e;
  // a call to a function that never returns (never_returns.ts): BEAM kept no frame for it
  if (line === 0) return e;
  if (line < 0) {
    // raised in a tail call to a BIF: none of this function's frame if the BIF is Erlang code in OTP
    if (raisedInErlangCode(e.stack)) return e;
    line = -line;
  }
  const n = stackLength(e.stack);
  if (n >= MAX_FRAMES || (n >= 2 && lastFrameIs(e.stack, fr, line))) return e;
  const extra = e instanceof BinSegmentError && e.stack === NIL ? bsFailInfo(e) : undefined;
  const frame = ownFrame(e, fr, line, extra);
  if (e.stack === NIL && failedCalls.delete(e)) e.stack = list([frame]);
  e.stack = appendFrame(e.stack, frame);
  return e;
}

/**
 * Is the last frame of the trace one of function fr (at `line`, when given)? BEAM records a return
 * address once when the same one repeats, so a body recursion through one call shows one frame of
 * the caller: a frame of fr called at the line of the last one adds nothing.
 */
function lastFrameIs(stack: Term, fr: FrameInfo, line?: number): boolean {
  let last: Term | undefined;
  for (; stack instanceof List; stack = stack.tail) last = stack.head;
  if (!(last instanceof Tuple) || last.elements.length !== 4) return false;
  const [m, n, a, loc] = last.elements;
  if (m !== fr.module || n !== fr.name) return false;
  if (line === undefined) return a === fr.arity || stackLength(a) === fr.arity;
  return a === fr.arity && lineOf(loc) === line;
}

function lineOf(loc: Term): number | undefined {
  for (; loc instanceof List; loc = loc.tail) {
    const item = loc.head;
    if (item instanceof Tuple && item.elements[0] === LINE) return item.elements[1] as number;
  }
  return undefined;
}

/** The frame of function fr at line; erlang:error/2,3 called right here shows its Args instead of the arity. */
function ownFrame(e: ErlangException, fr: FrameInfo, line: number, extra?: Term): Tuple {
  if (e.stack !== NIL || e.callArgs === undefined) return tuple(fr.module, fr.name, fr.arity, location(fr, line, extra));
  const items: Term[] = [tuple(FILE, fr.file), tuple(LINE, line), ...(e.callInfo ?? [])];
  return tuple(fr.module, fr.name, e.callArgs, list(items));
}
/** erlang's functions that OTP writes in Erlang (in erlang.erl) but raise with frames without a file. */
const ERLANG_WRITTEN = new Set(['memory']);

/** Does the trace start in a frame of Erlang code (one with a file), as BIFs standing for OTP's Erlang functions raise? */
function raisedInErlangCode(stack: Term): boolean {
  const top = stack instanceof List ? stack.head : undefined;
  if (!(top instanceof Tuple) || top.elements.length !== 4) return false;
  if (top.elements[0] === A_erlang && top.elements[1] instanceof Atom && ERLANG_WRITTEN.has(top.elements[1].name)) return true;
  for (let l = top.elements[3]; l instanceof List; l = l.tail) {
    if (l.head instanceof Tuple && l.head.elements[0] === FILE) return true;
  }
  return false;
}


/**
 * An arithmetic operator BEAM's JIT runs inline (expr.ts opRunsInline): its failure is the
 * function's own, with no {erlang, Op, Args} frame.
 */
export function inlineOp(op: (a: Term, b: Term) => Term, a: Term, b: Term): Term {
  try {
    return op(a, b);
  } catch (e) {
    if (e instanceof ErlangException) e.stack = NIL;
    throw e;
  }
}

/** erlang:raise/3 called from compiled code: the given stack trace is the whole trace. */
export function raise(cls: Term, reason: Term, stack: Term): Term {
  if (!(cls === ERROR_CLASS || cls === THROW_CLASS || cls === EXIT_CLASS)) return A_badarg;
  let t = stack;
  while (t instanceof List) t = t.tail;
  if (t !== NIL) return A_badarg;
  const e = new ErlangException(cls as Atom, reason, stack);
  finalTraces.add(e);
  throw e;
}

/** error:function_clause with the called function and its arguments as the first frame. */
export function fnClause(fr: FrameInfo, args: Term[]): ErlangException {
  return erlError(A_function_clause, list([tuple(fr.module, fr.name, list(args), location(fr, fr.line))]));
}

/**
 * The stack trace a catch clause binds: what the exception gathered on its way, the catching
 * function's frame, and the frames of the functions under it (callers.ts), as BEAM's trace has
 * them all from the start.
 */
export function stackAt(e: ErlangException, fr: FrameInfo | undefined, line: number): Term {
  if (finalTraces.has(e) || fr === undefined) return e.stack;
  const frames: Term[] = [];
  for (let t = e.stack; t instanceof List; t = t.tail) frames.push(t.head);
  if (!(frames.length >= MAX_FRAMES || (frames.length >= 2 && lastFrameIs(e.stack, fr, line)))) frames.push(ownFrame(e, fr, line));
  const under = callers(MAX_FRAMES - frames.length, { fr, line });
  for (const c of under.frames) frames.push(tuple(c.fr.module, c.fr.name, c.fr.arity, location(c.fr, c.line)));
  if (under.shell !== undefined) frames.push(doApplyFrame(under.shell), ...evalFrames(under.at), ...placeFrames(under.shell));
  return list(frames.slice(0, MAX_FRAMES));
}

// ---------- plain versions of pure functions (fast.ts) ----------

/** Thrown by a plain function that ran too long: start again as a generator. */
export const SLOWDOWN = { slowdown: true };

/**
 * How long plain code may compute past the end of its slice (ms) before it must become
 * preemptible: a pure computation up to about this long finishes at plain speed instead of
 * starting again on the generator path (several times slower). While other processes are
 * runnable or a timer is due they wait at most the shorter time; when none is, only what the
 * event loop brings (sockets, input) waits, for at most the longer.
 */
const OVERRUN_MS = 100;
const OVERRUN_ALONE_MS = 1000;
let overrunFrom = 0;

/**
 * Plain code FAST_OVERRUN reductions past its slice's end: it may go on for another FAST_OVERRUN
 * while it has been over for less than its time, else it leaves plain code (SLOWDOWN).
 */
export function overrun(S: SchedState): void {
  const now = performance.now();
  if (S.borrowed === 0) overrunFrom = now;
  else if (now - overrunFrom > (othersWaiting(now) ? OVERRUN_MS : OVERRUN_ALONE_MS)) throw SLOWDOWN;
  S.reds += FAST_OVERRUN;
  S.borrowed += FAST_OVERRUN;
}

/** Processes that had to leave the plain versions, and until when they stay on the preemptible path. */
const slowProcs = new WeakMap<object, number>();

/** How long a process that ran too long in plain code stays preemptible (ms) before trying again. */
const SLOW_FOR = 1000;

/** May the running process use plain versions? */
export function fastOk(S: SchedState): boolean {
  const until = slowProcs.get(S.current);
  if (until === undefined) return true;
  if (performance.now() < until) return false;
  slowProcs.delete(S.current);
  return true;
}

/** What a failed plain run answers: start again on the generator path. */
export const SLOWED = { slowed: true };

/** A plain version failed with e: mark the process slow when it ran too long or too deep (SLOWED), else rethrow. */
export function slowed(e: unknown, S: SchedState): typeof SLOWED {
  if (e === SLOWDOWN || e instanceof RangeError) {
    slowProcs.set(S.current, performance.now() + SLOW_FOR);
    return SLOWED;
  }
  throw e;
}

/** Plain functions carry their generator version, for a run that must leave plain code midway. */
type Plain = ((...args: Term[]) => Term | TailCall) & { gen?: ErlFunction };

/**
 * How many plainTrampoline runs are under way. Under one, plain code is nested in plain code that
 * cannot give way: a self loop out of reductions then goes round in place (handing itself back
 * would only come back here, a TailCall and a call per round) until it overruns into SLOWDOWN.
 */
export const plainNesting = { depth: 0 };

/** Tail calls between plain functions, inside plain code (no yielding there). */
export function plainTrampoline(r: TailCall): Term {
  let x: Term | TailCall = r;
  plainNesting.depth++;
  try {
    while (x instanceof TailCall) x = (x.fn as unknown as Plain)(...x.args);
  } finally {
    plainNesting.depth--;
  }
  return x;
}

/**
 * Tail calls a plain run handed back to its generator caller: run them one by one, yielding when
 * the slice is used up (long tail-recursive loops stay plain and preemptible); if one must leave
 * plain code, it goes on as the generator version of the same call.
 */
export function* plainResume(S: SchedState, r: TailCall): Generator<unknown, Term, unknown> {
  let x: Term | TailCall = r;
  while (x instanceof TailCall) {
    if (S.reds <= 0) yield PREEMPT;
    const fn: Plain = x.fn as unknown as Plain;
    const args: Term[] = x.args;
    try {
      x = fn(...args);
    } catch (e) {
      slowed(e, S);
      return yield* trampoline(new TailCall(fn.gen!, args));
    }
  }
  return x;
}

// ---------- BIFs ----------

/** The plain function of a pure BIF; a missing one raises undef when called. */
export function pureBif(module: string, name: string, arity: number): PureBif {
  const e = lookupBif(module, name, arity);
  if (e?.pure) return e.pure;
  return () => {
    throw erlError(atom('undef'), list([tuple(atom(module), atom(name), arity, NIL)]));
  };
}

/**
 * A BIF usable in a guard as a plain function: its pure implementation, or its generator driven to
 * the end on the spot (guard BIFs never wait); a missing one raises undef (the guard fails).
 */
export function guardBif(module: string, name: string, arity: number): PureBif {
  const e = lookupBif(module, name, arity);
  if (e?.pure) return e.pure;
  if (e === undefined) return pureBif(module, name, arity);
  const fn = e.fn;
  return (...args: Term[]) => {
    const g = fn(...args);
    const r = g.next();
    if (!r.done) throw erlError(A_badarg);
    return r.value;
  };
}

/** The generator of any BIF (pure or not), or undefined. */
export function genBif(module: string, name: string, arity: number): ErlFunction | undefined {
  return lookupBif(module, name, arity)?.fn;
}

/** The plain function of a BIF that returns at once (bif_registry's defineDirectBif). */
export function directBif(module: string, name: string, arity: number): PureBif {
  return lookupBif(module, name, arity)!.direct!;
}

// ---------- errors ----------

const A_function_clause = atom('function_clause');
const A_badmatch = atom('badmatch');
const A_case_clause = atom('case_clause');
const A_if_clause = atom('if_clause');
const A_try_clause = atom('try_clause');
const A_badarg = atom('badarg');
const A_badfun = atom('badfun');
const A_badarity = atom('badarity');
const A_badrecord = atom('badrecord');
const A_badmap = atom('badmap');
const A_badkey = atom('badkey');
const A_bad_generator = atom('bad_generator');
const A_bad_filter = atom('bad_filter');
const A_timeout_value = atom('timeout_value');
const A_EXIT = atom('EXIT');
const A_infinity = atom('infinity');
const A_shell = atom('shell');

export function badmatch(v: Term): ErlangException {
  return erlError(tuple(A_badmatch, v));
}

export function caseClause(v: Term): ErlangException {
  return erlError(tuple(A_case_clause, v));
}

export function ifClause(): ErlangException {
  return erlError(A_if_clause);
}

export function tryClause(v: Term): ErlangException {
  return erlError(tuple(A_try_clause, v));
}

/** `X andalso Y` / `X orelse Y` with a non-boolean X: error {badarg, X}. */
export function badBool(v: Term): ErlangException {
  return erlError(tuple(A_badarg, v));
}

export function badRecord(v: Term): ErlangException {
  return erlError(tuple(A_badrecord, v));
}

export function badGenerator(v: Term): ErlangException {
  return erlError(tuple(A_bad_generator, v));
}

export function badFilter(v: Term): ErlangException {
  return erlError(tuple(A_bad_filter, v));
}

/** Calling something that is not a fun of the right arity (the fast path failed). */
export function badCall(f: Term, args: Term[]): ErlangException {
  if (!(f instanceof Fun) || f.fn === undefined) return erlError(tuple(A_badfun, f));
  return erlError(tuple(A_badarity, tuple(f, list(args))));
}

/** A fun call in tail position: the TailCall, or the badfun/badarity error. */
export function tailFun(f: Term, args: Term[]): TailCall {
  if (f instanceof Fun && f.fn !== undefined && f.arity === args.length) return new TailCall(f.fn, args);
  throw badCall(f, args);
}

export { callFun };

/** badfun and badarity raised by a call that was not a tail call (see addFrame). */
const failedCalls = new WeakSet<ErlangException>();

/**
 * A fun call in body position that is not a plain call of a fun of the right arity: BEAM raises
 * badfun or badarity with the return address already pushed, so the calling function shows twice.
 */
export function* callFunInBody(f: Term, args: Term[]): Generator<unknown, Term, unknown> {
  if (!(f instanceof Fun) || f.fn === undefined || f.arity !== args.length) {
    const e = badCall(f, args);
    failedCalls.add(e);
    throw e;
  }
  return yield* callFun(f, args);
}

/**
 * A remote call site, Mod:Name(Args) with Mod and Name written out: it keeps the function it last
 * found while the code server's version stays the same (no module loaded, deleted or purged since),
 * so a hot call does not look the module and the name up again. A function that was not found
 * (undef) is looked up each time: the code path may have changed without a new version.
 */
export class RemoteSite {
  private found: ErlFunction | undefined = undefined;
  private at = -1;
  constructor(
    private readonly code: CodeLookup,
    private readonly m: Atom,
    private readonly f: Atom,
    private readonly n: number,
  ) {}
  fn(): ErlFunction {
    const code = this.code;
    if (this.at === code.version) return this.found!;
    const fn = code.find?.(this.m, this.f, this.n);
    if (fn === undefined || code.version === undefined) return code.fn(this.m, this.f, this.n);
    this.found = fn;
    this.at = code.version;
    return fn;
  }
}

export function remoteSite(code: CodeLookup, m: Atom, f: Atom, n: number): RemoteSite {
  return new RemoteSite(code, m, f, n);
}

/**
 * A call site of M:F(Args) with M or F computed (a behaviour's Mod:handle_call(...)): the function
 * for the M and F it saw last, kept as RemoteSite keeps its one. get() is undefined when it does not
 * know; miss() then looks up (and fails as dynFn does), and remembers what it found.
 */
export class DynamicSite {
  private m: Term = undefined as unknown as Term;
  private f: Term = undefined as unknown as Term;
  private found: ErlFunction | undefined = undefined;
  private at = -1;
  constructor(private readonly code: CodeLookup) {}
  get(m: Term, f: Term): ErlFunction | undefined {
    // (while a trace pattern is set the code server hands out traced functions: no cache then)
    return m === this.m && f === this.f && this.at === this.code.version && !callTracing.on ? this.found : undefined;
  }
  miss(m: Term, f: Term, args: Term[]): ErlFunction {
    const code = this.code;
    if (m instanceof Atom && f instanceof Atom && code.version !== undefined && !callTracing.on) {
      const fn = code.find?.(m, f, args.length);
      if (fn !== undefined) {
        this.m = m;
        this.f = f;
        this.found = fn;
        this.at = code.version;
        return fn;
      }
    }
    return dynFn(code, m, f, args);
  }
}

export function dynamicSite(code: CodeLookup): DynamicSite {
  return new DynamicSite(code);
}

/** M:F(Args) with M and F computed: the function, or badarg from apply/3 when they are not atoms. */
export function dynFn(code: CodeLookup, m: Term, f: Term, args: Term[]): ErlFunction {
  if (m instanceof Atom && f instanceof Atom) return code.fn(m, f, args.length);
  throw bifError(A_badarg, 'erlang', 'apply', [m, f, list(args)], m instanceof Atom ? { 2: 'not an atom' } : { 1: 'not an atom' });
}

/** What `catch E` gives for an exception: the thrown value, {'EXIT', Reason} or {'EXIT', {Reason, Stack}}. */
export function catchValue(e: unknown, fr: FrameInfo | undefined, line: number): Term {
  if (!(e instanceof ErlangException)) throw e;
  if (e.cls === THROW_CLASS) return e.reason;
  if (e.cls === EXIT_CLASS) return tuple(A_EXIT, e.reason);
  return tuple(A_EXIT, tuple(e.reason, stackAt(e, fr, line)));
}

// ---------- stack traces in the shell ----------

function loc(file: string, line: number): Term {
  return list([tuple(FILE, charlist(file)), tuple(LINE, line)]);
}

let shellFrames: { expr: Term; tryClauses: Term } | undefined;

/**
 * The trace of an exception caught by catch or try in shell code, completed with the frames of
 * erl_eval and of the shell or init that real erl shows there (erl evaluates through them).
 */
export function shellStack(e: ErlangException, kind: 'catch' | 'try' | 'top', place: EvalPlace = 'shell', at?: string): Term {
  if (finalTraces.has(e)) return e.stack;
  const f = (shellFrames ??= {
    expr: tuple(atom('erl_eval'), atom('expr'), 6, loc('erl_eval.erl', 480)),
    tryClauses: tuple(atom('erl_eval'), atom('try_clauses'), 10, loc('erl_eval.erl', 987)),
  });
  const tail = placeFrames(place);
  const frames: Term[] = shellBinFrames(e) ?? [];
  for (let t = e.stack; t instanceof List; t = t.tail) frames.push(t.head);
  const evalRaised = frames.length === 0 ? erlEvalRaiseFrame(e) : undefined;
  if (evalRaised !== undefined) {
    // a match or clause failure is raised by erl_eval itself, not in a call
    frames.push(evalRaised, ...(kind === 'top' ? [] : [kind === 'catch' ? f.expr : f.tryClauses]), ...tail);
    return list(frames.slice(0, MAX_FRAMES));
  }
  // error/1, throw/1 and exit/1 have no frame of their own: the caller is shell:apply_fun/3 (the
  // shell's function handler; init gives erl_eval none)
  if (frames.length === 0 && place === 'shell') frames.push(applyFunFrame());
  // a shell fun's clauses that do not match are found by erl_eval's eval_fun, not a call
  const last = frames[frames.length - 1];
  // 'top': the expression itself raised it, and the shell's loop caught it
  const under = evalFunFrameUnder(last);
  // `at`: erl_eval's frames where the failing call is (they hold the catch's or the try's own)
  if (under === undefined && at !== undefined) frames.push(doApplyFrame(place), ...evalFrames(at), ...tail);
  else frames.push(under ?? doApplyFrame(place), ...(kind === 'top' ? [] : [kind === 'catch' ? f.expr : f.tryClauses]), ...tail);
  return list(frames.slice(0, MAX_FRAMES));
}

/** Where eval_bits raises each kind of segment failure (erl's shell builds binaries with it). */
const EVAL_BITS_LINE: Record<string, number> = { integer: 143, utf8: 145, utf16: 147, utf32: 149, float: 163, binary: 172 };

/** A binary construction that failed in shell code: the frames of eval_bits, as erl shows them. */
function shellBinFrames(e: ErlangException): Term[] | undefined {
  if (!(e instanceof BinSegmentError) || e.stack !== NIL) return undefined;
  const [seg, type, what] = e.cause.elements as [number, Atom, Atom];
  const file = tuple(FILE, charlist('eval_bits.erl'));
  let top: Term;
  if (type.name === 'binary' && what.name === 'unit') {
    top = tuple(atom('eval_bits'), atom('eval_exp_field'), 6, list([file, tuple(LINE, 169)]));
  } else {
    const info = ErlMap.from([
      [atom('cause'), e.cause],
      [atom('function'), atom('format_bs_fail')],
      [atom('module'), atom('erl_erts_errors')],
      [atom('override_segment_position'), seg],
    ]);
    const item = explainErrorInfo(tuple(ERROR_INFO, info), bsFailExplanations(e.reason as Atom, e.cause, seg));
    top = tuple(atom('eval_bits'), atom('eval_exp_field'), 6, list([file, tuple(LINE, EVAL_BITS_LINE[type.name] ?? 143), item]));
  }
  return [
    top,
    tuple(atom('eval_bits'), atom('create_binary'), 2, list([file, tuple(LINE, 77)])),
    tuple(atom('eval_bits'), atom('expr_grp'), 5, list([file, tuple(LINE, 68)])),
  ];
}

/**
 * An exception leaving shell code: binary construction failures get eval_bits' frames; `at` is
 * erl_eval's frames of the call it came from, if any.
 */
export function shellEscape(e: unknown, at?: string): unknown {
  if (e instanceof ErlangException) {
    escapedFrom(e, at);
    const frames = shellBinFrames(e);
    if (frames) e.stack = list(frames);
  }
  return e;
}

/** `catch E` in shell code. */
export function shellCatchValue(e: unknown, place: EvalPlace = 'shell', at?: string): Term {
  if (!(e instanceof ErlangException)) throw e;
  if (e.cls === THROW_CLASS) return e.reason;
  if (e.cls === EXIT_CLASS) return tuple(A_EXIT, e.reason);
  return tuple(A_EXIT, tuple(e.reason, shellStack(e, 'catch', place, at)));
}

/** A JS exception caught by try: the ErlangException, or rethrow what is not one. */
export function caught(e: unknown): ErlangException {
  if (e instanceof ErlangException) return e;
  throw e;
}

export { ERROR_CLASS, EXIT_CLASS, THROW_CLASS };

// ---------- receive ----------

/** From this many milliseconds on, an `after` starts its clock when the receive first waits. */
const LAZY_AFTER = 1000;

/**
 * The deadline of `after T` (a performance.now() time), or error timeout_value. A long one is -T
 * until the receive first waits (startDeadline): most calls get their reply without waiting (the
 * server runs in the caller's hand-off), and the clock read costs more than the rest of the
 * receive; the clock then starts at most one other process's slice late, on a second or more.
 */
export function deadline(t: Term): number {
  if (typeof t === 'number' && t >= 0) return t === 0 ? 0 : t >= LAZY_AFTER ? -t : performance.now() + t;
  if (t === A_infinity) return Infinity;
  if (typeof t === 'bigint' && t > 0n) return Infinity;
  throw erlError(A_timeout_value);
}

/** A deadline made by deadline() as -T: T milliseconds from now. */
export function startDeadline(dl: number): number {
  return performance.now() - dl;
}

// ---------- maps ----------

/** #{K1 => V1, ...} from a flat [K1, V1, K2, V2, ...] array (later keys win). */
export function mapFrom(kvs: Term[]): ErlMap {
  const m = new Map<unknown, [Term, Term]>();
  for (let i = 0; i < kvs.length; i += 2) m.set(mapKey(kvs[i]), [kvs[i], kvs[i + 1]]);
  return new ErlMap(m);
}

/**
 * M#{K1 => V1, K2 := V2}: kvs flat as in mapFrom, exact[i] for the i-th pair's `:=`
 * (the key must exist: error {badkey, K}); a non-map is error {badmap, M}.
 */
export function mapUpdate(base: Term, kvs: Term[], exact: boolean[]): ErlMap {
  let m = base;
  for (let i = 0; i < kvs.length; i += 2) m = mapUpdate1(m, kvs[i], kvs[i + 1], exact[i >> 1]);
  if (!(m instanceof ErlMap)) throw erlError(tuple(A_badmap, m));
  return m;
}

/** M#{K => V} or M#{K := V}: one key, the commonest update, without an array of pairs. */
export function mapUpdate1(base: Term, k: Term, v: Term, exact: boolean): ErlMap {
  if (!(base instanceof ErlMap)) throw erlError(tuple(A_badmap, base));
  if (exact && !base.has(k)) throw erlError(tuple(A_badkey, k));
  return base.put(k, v);
}

// ---------- records ----------

function isRecord(t: Term, tag: Atom, size: number): t is Tuple {
  return t instanceof Tuple && t.elements.length === size && t.elements[0] === tag;
}

/** R#r.f: element `index` (0-based in the tuple) of a record r of `size` elements, or {badrecord, R}. */
export function recordField(t: Term, tag: Atom, size: number, index: number): Term {
  if (!isRecord(t, tag, size)) throw badRecord(t);
  return t.elements[index];
}

/** R#r{f1 = V1, ...}: updates flat [index1, V1, index2, V2, ...]. */
export function recordUpdate(t: Term, tag: Atom, size: number, upd: (number | Term)[]): Tuple {
  if (!isRecord(t, tag, size)) throw badRecord(t);
  const els = t.elements.slice();
  for (let i = 0; i < upd.length; i += 2) els[upd[i] as number] = upd[i + 1] as Term;
  return new Tuple(els);
}

// ---------- funs ----------

const A_export = 'export';

/** fun M:F/A: calling it calls the current M:F/A (looked up at each call, so reloading is seen). */
export function exportFun(code: CodeLookup, m: Atom, f: Atom, arity: number): Fun {
  return new Fun(arity, (...args: Term[]) => callExport(code, m, f, arity, args), { kind: A_export, module: m, name: f, arity });
}

/** fun M:F/A with M, F, A computed: badarg unless atoms and a non-negative arity. */
export function makeExportFun(code: CodeLookup, m: Term, f: Term, a: Term): Fun {
  if (!(m instanceof Atom) || !(f instanceof Atom) || typeof a !== 'number' || a < 0 || a > 255) {
    throw bifError(A_badarg, 'erlang', 'make_fun', [m, f, a]);
  }
  return exportFun(code, m, f, a);
}

// ---------- comprehensions ----------

/** An Erlang list from a JS array (the accumulated elements of a list comprehension). */
export function arrayToList(xs: Term[]): Term {
  let l: Term = NIL;
  for (let i = xs.length - 1; i >= 0; i--) l = new List(xs[i], l);
  return l;
}

// ---------- type tests (open-coded by the compiler for plain variables) ----------

export const isInteger = (t: Term): boolean => typeof t === 'number' || typeof t === 'bigint';
export const isFloat = (t: Term): boolean => t instanceof ErlFloat;
export const isNumber = (t: Term): boolean => typeof t === 'number' || typeof t === 'bigint' || t instanceof ErlFloat;
export const isAtom = (t: Term): boolean => t instanceof Atom;
export const isBoolean = (t: Term): boolean => t === TRUE || t === FALSE;
export const isList = (t: Term): boolean => t instanceof List || t === NIL;
export const isTuple = (t: Term): boolean => t instanceof Tuple;
export const isMap = (t: Term): boolean => t instanceof ErlMap;
export const isPid = (t: Term): boolean => t instanceof Pid;
export const isRef = (t: Term): boolean => t instanceof Ref;
export const isPort = (t: Term): boolean => t instanceof Port;
export const isFunction = (t: Term): boolean => t instanceof Fun;
export const isFunctionN = (t: Term, n: Term): boolean => t instanceof Fun && t.arity === n;
export const isBinary = (t: Term): boolean => t instanceof Bin && (t.bitSize & 7) === 0;
export const isBitstring = (t: Term): boolean => t instanceof Bin;
export const isRecordN = (t: Term, tag: Term, size: number): boolean =>
  t instanceof Tuple && t.elements.length === size && t.elements[0] === tag;
/** is_record(T, Tag) without knowing the record: any tuple tagged Tag */
export const isTaggedTuple = (t: Term, tag: Term): boolean => t instanceof Tuple && t.elements.length > 0 && t.elements[0] === tag;

export const bool = (b: boolean): Atom => (b ? TRUE : FALSE);

/** A size for a bit syntax segment: Size * Unit, or Size itself when it is not a non-negative integer. */
export function segBits(size: Term, unit: number): Term {
  if (typeof size === 'number' && size >= 0) return size * unit;
  return size;
}

/** Append one element's bitstring to a binary comprehension's result. */
export function bcAppend(b: BinBuilder, v: Term): void {
  if (!(v instanceof Bin)) throw erlError(A_badarg);
  b.appendBits(v, v.bitSize);
}

// ---------- the shell ----------

const A_undef = atom('undef');

/**
 * A local call in shell code that is not a BIF: the shell's commands (c/1, f/0, b/0, ...) through
 * R.shellLocal, which gets the bindings at the call; without a hook it is an undefined shell command.
 */
export function* shellCall(
  R: CompileRuntime,
  name: string,
  args: Term[],
  base: Map<string, Term> | undefined,
  current: (string | Term | undefined)[],
): Generator<unknown, Term, unknown> {
  const bindings = new Map(base ?? []);
  for (let i = 0; i < current.length; i += 2) {
    const v = current[i + 1] as Term | undefined;
    if (v !== undefined) bindings.set(current[i] as string, v);
  }
  if (R.shellLocal === undefined) throw erlError(A_undef, list([tuple(A_shell, atom(name), list(args), NIL)]));
  return yield* R.shellLocal(name, args, bindings);
}

/** rd(Name, {...}) in shell code: hand the definition to the shell; the value is the record's name. */
export function shellDefineRecord(R: CompileRuntime, def: RecordDef): Term {
  if (R.defineRecord === undefined) throw erlError(A_undef, list([tuple(A_shell, atom('rd'), 2, NIL)]));
  R.defineRecord(def);
  return atom(def.name);
}

/** A shell variable bound in some branches only: error {unbound_var, Name} when it was not. */
export function boundVar(v: Term | undefined, name: string): Term {
  if (v === undefined) throw erlError(tuple(atom('unbound_var'), atom(name)));
  return v;
}

/** `fun f/1` typed at the shell: erl_eval raises undef for erl_eval:f/1. */
export function shellFunRef(name: Atom, arity: number): Term {
  throw erlError(A_undef, list([tuple(atom('erl_eval'), name, arity, NIL)]));
}

/** function_clause from a shell fun, as erl_eval reports it. */
export function evalFnClause(args: Term[]): ErlangException {
  return erlError(A_function_clause, list([interpretedFunFrame(args)]));
}

/**
 * The identity of a shell fun (FunKind 'eval'): its fun expression (AST) and the bindings it
 * captured. `env` is computed when first asked for (printing, comparison, the wire).
 */
export class EvalFunInfo {
  readonly kind = 'eval' as const;
  pid?: Pid;
  private envTerm: Term | undefined;
  constructor(
    /** the fun expression, node type 'fun' */
    readonly fun: Expr,
    readonly names: string[],
    readonly values: Term[],
    /** where the shell code that made it runs (erl_eval applies its calls differently there) */
    readonly place: EvalPlace = 'shell',
  ) {}
  /** the captured bindings, by variable name */
  get bindings(): Map<string, Term> {
    return new Map(this.names.map((n, i) => [n, this.values[i]]));
  }
  /**
   * erl_eval's closure data, as erlang:fun_info(F, env) shows it in real erl and as it crosses the
   * wire: {Anno, Bindings, Lf, Ef, FUVs, Clauses} (and the name, for a named fun), the clauses in the
   * abstract format.
   */
  get env(): Term {
    if (this.envTerm === undefined) {
      const f = this.fun as Expr & { type: 'fun' };
      const bs = list(this.names.map((n, i) => tuple(atom(n), this.values[i])));
      const none = atom('none');
      const els: Term[] = [f.pos.line, bs, none, none, new ErlMap(), list(f.clauses.map(clauseToTerm))];
      if (f.name !== undefined) els.push(atom(f.name));
      this.envTerm = tuple(...els);
    }
    return this.envTerm;
  }
}

export function evalFunInfo(fun: Expr, names: string[], values: Term[], place?: EvalPlace): EvalFunInfo {
  return new EvalFunInfo(fun, names, values, place);
}
