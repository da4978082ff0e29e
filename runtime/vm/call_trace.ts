// Call tracing (erlang:trace_pattern/3 with the `call` trace flag): which functions have a trace
// pattern, and what a traced call sends its process's tracer, as BEAM sends it:
//
//   {trace, Pid, call, {M, F, Args}}            {trace, Pid, call, {M, F, Args}, Message}  (message action)
//   {trace, Pid, return_from, {M, F, Arity}, Value}                                       (return_trace)
//   {trace, Pid, exception_from, {M, F, Arity}, {Class, Reason}}                           (exception_trace)
//
// Costs nothing while no pattern is set: `callTracing.on` is false, and the only places that look
// at it are the code server's lookup (runtime/vm/code_server.ts) and compiled code's calls of
// library BIFs (src/compile/expr.ts), one boolean each. With a pattern set, the function comes
// wrapped: the wrapper asks whether the running process traces calls and whether the pattern's
// match specification takes these arguments, then sends the trace messages around the call.

import { Atom, Term, atom, list, tuple, type ErlFunction } from './term.js';
import type { TraceEffects } from './match_spec.js';
import { PREEMPT, TailCall, trampoline } from './abi.js';
import { ErlangException, ERROR_CLASS, EXIT_CLASS } from './exception.js';
import { currentlyRunning } from './scheduler.js';
import { emitTrace } from './trace.js';

/**
 * A function's trace pattern, global or local: its match specification as given ([] for `true`),
 * and whether it takes an argument list (recording its actions), undefined for every call.
 */
export interface CallPattern {
  readonly source: Term;
  readonly takes: ((args: Term, fx: TraceEffects) => boolean) | undefined;
  readonly local: boolean;
}

const TRACE = atom('trace');
const CALL = atom('call');
const RETURN_FROM = atom('return_from');
const EXCEPTION_FROM = atom('exception_from');
const TRUE = atom('true');
const FALSE = atom('false');
const UNDEFINED = atom('undefined');
const ERROR = atom('error');
const EXIT = atom('exit');
const THROW = atom('throw');

/** Where a call comes from, for the caller() action: the calling function (a compiled function's frame). */
export interface CallerFrame {
  readonly module: Atom;
  readonly name: Atom;
  readonly arity: number;
}

/** Shell code's calls: in erl the shell's expressions are run by erl_eval, which makes the call. */
const SHELL_CALLER: CallerFrame = { module: atom('erl_eval'), name: atom('do_apply'), arity: 7 };

/** Compiled code's caller argument: undefined from shell code, null when it is not known. */
function callerOf(c: CallerFrame | null | undefined): CallerFrame | undefined {
  return c === undefined ? SHELL_CALLER : (c ?? undefined);
}

/** What one traced call does besides the call message. */
interface Traced {
  returnTrace: boolean;
  exceptionTrace: boolean;
}
const PLAIN: Traced = { returnTrace: false, exceptionTrace: false };

/**
 * Local call tracing of a compiled module: its functions entered through CallTracing.local
 * (src/compile/trace_instrument.ts), or put back; the module's code, or undefined when it cannot be.
 */
export type Instrumenter = (module: Atom, on: boolean) => unknown;

class CallTracing {
  /** some function has a pattern: compiled code and the code server look here first */
  on = false;
  private instrumenter: Instrumenter | undefined;
  private readonly patterns = new Map<Atom, Map<Atom, (CallPattern | undefined)[]>>();
  private readonly wrappers = new WeakMap<ErlFunction, ErlFunction>();
  private readonly isWrapper = new WeakSet<ErlFunction>();
  private count = 0;
  /** the caller of the wrapped function about to be entered (set by compiled code just before) */
  private nextCaller: CallerFrame | undefined;

  /** The caller the wrapper being entered was called from, once. */
  takeCaller(): CallerFrame | undefined {
    const c = this.nextCaller;
    this.nextCaller = undefined;
    return c;
  }

  pattern(m: Atom, f: Atom, arity: number): CallPattern | undefined {
    return this.patterns.get(m)?.get(f)?.[arity];
  }

  /** Set (or, with undefined, clear) the pattern of M:F/Arity. */
  set(m: Atom, f: Atom, arity: number, p: CallPattern | undefined): void {
    let byName = this.patterns.get(m);
    if (byName === undefined) {
      if (p === undefined) return;
      this.patterns.set(m, (byName = new Map()));
    }
    let byArity = byName.get(f);
    if (byArity === undefined) {
      if (p === undefined) return;
      byName.set(f, (byArity = []));
    }
    const had = byArity[arity] !== undefined;
    byArity[arity] = p;
    this.count += (p !== undefined ? 1 : 0) - (had ? 1 : 0);
    this.on = this.count > 0;
  }

  /** The functions of M with a pattern, as [Name, Arity, Pattern]. */
  patternsOf(m: Atom): [Atom, number, CallPattern][] {
    const out: [Atom, number, CallPattern][] = [];
    for (const [f, arr] of this.patterns.get(m) ?? []) arr.forEach((p, a) => p !== undefined && out.push([f, a, p]));
    return out;
  }

  setInstrumenter(i: Instrumenter): void {
    this.instrumenter = i;
  }

  /** Make M's code trace its local calls, or stop (when its last local pattern goes). */
  instrument(m: Atom, on: boolean): void {
    this.instrumenter?.(m, on);
  }

  /**
   * The function to call for M:F/Arity from outside its module: fn itself, or fn wrapped when it
   * has a pattern (an instrumented module's own calls go through local() instead).
   */
  wrap(m: Atom, f: Atom, arity: number, fn: ErlFunction): ErlFunction {
    if (this.pattern(m, f, arity) === undefined) return fn;
    return this.wrapped(m, f, arity, fn);
  }

  /** A library BIF that returns its value directly (compiled code's pure calls), called traced. */
  pure(fn: (...args: Term[]) => Term, m: Atom, f: Atom, args: Term[], caller?: CallerFrame | null): Term {
    const how = callMessage(m, f, args, callerOf(caller));
    if (how === undefined) return fn(...args);
    if (!how.returnTrace && !how.exceptionTrace) return fn(...args);
    try {
      const r = fn(...args);
      if (how.returnTrace) returned(m, f, args.length, r);
      return r;
    } catch (e) {
      if (how.exceptionTrace) raised(m, f, args.length, e);
      throw e;
    }
  }

  /**
   * The same from generator code: after each trace message the process gives way, so its tracer
   * (which BEAM runs beside it) prints the event before what this process does next is printed.
   */
  *pureYielding(fn: (...args: Term[]) => Term, m: Atom, f: Atom, args: Term[], caller?: CallerFrame | null): Generator<unknown, Term, unknown> {
    const how = callMessage(m, f, args, callerOf(caller));
    if (how === undefined) return fn(...args);
    yield PREEMPT;
    if (!how.returnTrace && !how.exceptionTrace) return fn(...args);
    let r: Term;
    try {
      r = fn(...args);
    } catch (e) {
      if (how.exceptionTrace) raised(m, f, args.length, e);
      throw e;
    }
    if (how.returnTrace) {
      returned(m, f, args.length, r);
      yield PREEMPT;
    }
    return r;
  }

  /** An instrumented module's function entered (every call, local or not): traced when its pattern is local. */
  *local(fn: ErlFunction, m: Atom, f: Atom, args: Term[]): Generator<unknown, Term, unknown> {
    if (this.pattern(m, f, args.length)?.local !== true) return (yield* fn(...args)) as Term;
    return (yield* this.wrapped(m, f, args.length, fn)(...args)) as Term;
  }

  private wrapped(m: Atom, f: Atom, arity: number, fn: ErlFunction): ErlFunction {
    let w = this.wrappers.get(fn);
    if (w === undefined) {
      w = tracedFunction(m, f, arity, fn);
      this.wrappers.set(fn, w);
      this.isWrapper.add(w);
    }
    return w;
  }

  /** Compiled code's M:F(...) while a pattern is set: the function, told who calls it (undefined: shell code). */
  code(lookup: { fn(m: Atom, f: Atom, arity: number): ErlFunction }, m: Atom, f: Atom, arity: number, caller?: CallerFrame | null): ErlFunction {
    const fn = lookup.fn(m, f, arity);
    if (this.isWrapper.has(fn)) this.nextCaller = callerOf(caller);
    return fn;
  }

  /** A generator BIF (compiled code's gen calls), wrapped when it has a pattern. */
  gen(fn: ErlFunction, m: Atom, f: Atom, arity: number, caller?: CallerFrame | null): ErlFunction {
    const w = this.wrap(m, f, arity, fn);
    if (w !== fn) this.nextCaller = callerOf(caller);
    return w;
  }
}

export const callTracing = new CallTracing();

/** fn wrapped: a call of it from a process tracing calls sends the trace messages its pattern asks for. */
function tracedFunction(m: Atom, f: Atom, arity: number, fn: ErlFunction): ErlFunction {
  return function* (...args: Term[]) {
    const how = callMessage(m, f, args, callTracing.takeCaller());
    if (how === undefined) return yield* fn(...args);
    // the process gives way after each trace message (see pureYielding)
    yield PREEMPT;
    if (!how.returnTrace && !how.exceptionTrace) return yield* fn(...args);
    let r: Term | TailCall;
    try {
      r = yield* fn(...args);
      // return_trace: the call is no longer a tail call, its value is seen here
      if (r instanceof TailCall) r = yield* trampoline(r);
    } catch (e) {
      if (how.exceptionTrace) raised(m, f, arity, e);
      throw e;
    }
    if (how.returnTrace) {
      returned(m, f, arity, r);
      yield PREEMPT;
    }
    return r;
  } as ErlFunction;
}

/**
 * The call trace message for M:F(Args) from the running process, when it traces calls and the
 * pattern takes the arguments; what else the call must report, or undefined when it is not traced.
 */
function callMessage(m: Atom, f: Atom, args: Term[], caller: CallerFrame | undefined): Traced | undefined {
  const p = currentlyRunning();
  const t = p?.trace;
  if (p === undefined || t === undefined || !t.call) return undefined;
  const pat = callTracing.pattern(m, f, args.length);
  if (pat === undefined) return undefined;
  const argList = list(args);
  let how: Traced = PLAIN;
  let extra: Term | undefined;
  if (pat.takes !== undefined) {
    const fx: TraceEffects = { returnTrace: false, exceptionTrace: false, message: undefined, caller: caller === undefined ? UNDEFINED : tuple(caller.module, caller.name, caller.arity) };
    if (!pat.takes(argList, fx)) return undefined;
    how = fx;
    extra = fx.message;
  }
  if (extra === FALSE) return how;
  const mfa = tuple(m, f, argList);
  emitTrace(t, extra === undefined || extra === TRUE ? tuple(TRACE, p.pid, CALL, mfa) : tuple(TRACE, p.pid, CALL, mfa, extra));
  return how;
}

function returned(m: Atom, f: Atom, arity: number, value: Term): void {
  const p = currentlyRunning();
  const t = p?.trace;
  if (p !== undefined && t !== undefined) emitTrace(t, tuple(TRACE, p.pid, RETURN_FROM, tuple(m, f, arity), value));
}

function raised(m: Atom, f: Atom, arity: number, e: unknown): void {
  const p = currentlyRunning();
  const t = p?.trace;
  if (p === undefined || t === undefined || !(e instanceof ErlangException)) return;
  const cls = e.cls === ERROR_CLASS ? ERROR : e.cls === EXIT_CLASS ? EXIT : THROW;
  emitTrace(t, tuple(TRACE, p.pid, EXCEPTION_FROM, tuple(m, f, arity), tuple(cls, e.reason)));
}
