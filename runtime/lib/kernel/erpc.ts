// Module erpc: calls into other nodes as OTP 25 makes them.
//
// An OTP 25 rpc:call/erpc:call arrives as a SPAWN_REQUEST for erpc:execute_call(Res, M, F, A)
// with a monitor: the new process runs M:F(A) and exits with {Res, return, Value}, {Res, throw, V},
// {Res, exit, R} or {Res, error, R, Stack}; the caller's 'DOWN' carries that exit reason. This module
// is both ends of that: execute_call/4 and execute_cast/3 for requests that come in, and call/2..5,
// cast/2,4 for this node's own calls (rpc:call is built on call/5, as in OTP).

import { Atom, Fun, Ref, Term, Tuple, atom, list, listToArray, tuple, NIL, OK } from '../../vm/term.js';
import type { ErlFunction } from '../../vm/term.js';
import { trampoline, TailCall } from '../../vm/abi.js';
import { ErlangException, ERROR_CLASS, EXIT_CLASS, THROW_CLASS, erlError } from '../../vm/exception.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { codeServer } from '../../vm/code_server.js';
import { asErlangException, Process } from '../../vm/process.js';
import { S } from '../../vm/scheduler.js';
import { node, processStarts } from '../../vm/node.js';
import { receive } from '../../vm/receive.js';
import { demonitor, monitor, refKey } from '../../vm/signals.js';
import { netKernel } from '../../distribution/net_kernel.js';

const A = {
  erpc: atom('erpc'),
  execute_call: atom('execute_call'),
  execute_cast: atom('execute_cast'),
  return: atom('return'),
  throw: atom('throw'),
  exit: atom('exit'),
  error: atom('error'),
  exception: atom('exception'),
  signal: atom('signal'),
  badarg: atom('badarg'),
  noconnection: atom('noconnection'),
  timeout: atom('timeout'),
  monitor: atom('monitor'),
  spawn_reply: atom('spawn_reply'),
  DOWN: atom('DOWN'),
  process: atom('process'),
  infinity: atom('infinity'),
  erlang: atom('erlang'),
  apply: atom('apply'),
  system_limit: atom('system_limit'),
};

/** M:F(Args...) from TypeScript, tail calls resolved. */
export function* applyMFA(m: Atom, f: Atom, args: Term[]): Generator<unknown, Term, unknown> {
  const r: Term | TailCall = yield* codeServer.fn(m, f, args.length)(...args);
  return yield* trampoline(r);
}

export type Outcome = { ok: true; value: Term } | { ok: false; cls: Atom; reason: Term; stack: Term };

/** Run M:F(Args) catching whatever it raises (JS errors become Erlang ones, as `catch` sees them). */
export function* tryApply(m: Atom, f: Atom, args: Term[]): Generator<unknown, Outcome, unknown> {
  try {
    return { ok: true, value: yield* applyMFA(m, f, args) };
  } catch (e) {
    const x: ErlangException = asErlangException(e);
    // a BIF raises without a frame of its own; the stack then names the call, as BEAM's does
    const stack = x.stack === NIL ? list([tuple(m, f, list(args), NIL)]) : x.stack;
    return { ok: false, cls: x.cls, reason: x.reason, stack };
  }
}

function isCutFrame(t: Term): boolean {
  return t instanceof Tuple && t.elements[0] === A.erpc && (t.elements[1] === A.execute_call || t.elements[1] === A.execute_cast);
}

/** erpc:trim_stack/4: the stack up to the frame that called M:F(A). */
export function trimStack(stack: Term, m: Atom, f: Atom, args: Term[]): Term {
  const frames = listToArray(stack);
  if (frames === undefined) return stack;
  if (frames.length > 0 && isCutFrame(frames[0])) return list([tuple(m, f, list(args), NIL)]);
  const out: Term[] = [];
  for (let i = 0; i < frames.length; i++) {
    if (isCutFrame(frames[i])) {
      out.push(tuple(m, f, args.length, NIL));
      return list(out);
    }
    out.push(frames[i]);
  }
  // no erpc frame: the whole stack (terl's built-in execute_call adds none)
  return stack;
}

/** erpc:is_arg_error/4: system_limit caused by the argument list itself. */
function isArgError(reason: Term, args: Term[]): boolean {
  return reason === A.system_limit && args.length > 255;
}

// ---------- the server side ----------

/** What erpc:execute_call(Res, M, F, A) exits with: M:F(A)'s outcome tagged with Res. */
function* executeCallReason(res: Term, m: Term, f: Term, a: Term): Generator<unknown, Term, unknown> {
  const args = listToArray(a);
  if (!(m instanceof Atom) || !(f instanceof Atom) || args === undefined) return tuple(res, A.error, tuple(A.erpc, A.badarg));
  const r = yield* tryApply(m, f, args);
  if (r.ok) return tuple(res, A.return, r.value);
  if (r.cls === THROW_CLASS) return tuple(res, A.throw, r.reason);
  if (r.cls === EXIT_CLASS) return tuple(res, A.exit, r.reason);
  if (isArgError(r.reason, args)) return tuple(res, A.error, tuple(A.erpc, r.reason));
  return tuple(res, A.error, r.reason, trimStack(r.stack, m, f, args));
}

const executeCall: ErlFunction = function* (res, m, f, a) {
  throw new ErlangException(EXIT_CLASS, yield* executeCallReason(res, m, f, a));
};
defineGenBif('erpc', 'execute_call', 4, executeCall);

// As the first function of a process (every rpc:call this node serves), execute_call ends its
// process by setting the exit reason: the same exit as the throw, without the microseconds a JS
// throw costs in V8.
processStarts.set(executeCall, function* (res, m, f, a) {
  const reason = yield* executeCallReason(res, m, f, a);
  S.current!.pendingExit = reason;
  return reason;
});

defineGenBif('erpc', 'execute_call', 3, function* (m: Term, f: Term, a: Term) {
  const args = listToArray(a) ?? [];
  return tuple(A.return, yield* applyMFA(m as Atom, f as Atom, args));
});

defineGenBif('erpc', 'execute_cast', 3, function* (m: Term, f: Term, a: Term) {
  const args = listToArray(a) ?? [];
  const r = yield* tryApply(m as Atom, f as Atom, args);
  if (r.ok) return r.value;
  if (r.cls !== ERROR_CLASS) throw new ErlangException(r.cls, r.reason, r.stack);
  // error exceptions of casts are reported with the call's stack, as erpc does
  throw erlError(tuple(A.exception, tuple(r.reason, trimStack(r.stack, m as Atom, f as Atom, args))));
});

// ---------- this node's calls ----------

/** The frame OTP's erpc:call/5 raises from (the shell prints `in function  erpc:call/5 (erpc.erl, line N)`). */
function callFrame(line: number): Term {
  return list([tuple(A.erpc, atom('call'), 5, list([tuple(atom('file'), list([...'erpc.erl'].map((c) => c.charCodeAt(0)))), tuple(atom('line'), line)]))]);
}

function raise(cls: Atom, reason: Term, line: number): never {
  throw new ErlangException(cls, reason, callFrame(line));
}

/** A timeout argument in milliseconds (Infinity for infinity), or undefined when it is not one. */
export function timeoutMs(t: Term): number | undefined {
  if (t === A.infinity) return Infinity;
  if (typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 4294967295) return t;
  return undefined;
}

/** What execute_call's exit reason means for the caller (erpc:result(down, ...)). */
function downResult(res: Ref, reason: Term): Term {
  if (reason instanceof Tuple && reason.size >= 3 && reason.elements[0] instanceof Ref && refKey(reason.elements[0]) === refKey(res)) {
    const [, kind, v] = reason.elements;
    if (kind === A.return && reason.size === 3) return v;
    if (kind === A.throw && reason.size === 3) raise(THROW_CLASS, v, 698);
    if (kind === A.exit && reason.size === 3) raise(EXIT_CLASS, tuple(A.exception, v), 700);
    if (kind === A.error && reason.size === 4) raise(ERROR_CLASS, tuple(A.exception, v, reason.elements[3]), 702);
    if (kind === A.error && reason.size === 3 && v instanceof Tuple && v.size === 2 && v.elements[0] === A.erpc) raise(ERROR_CLASS, v, 704);
  }
  if (reason === A.noconnection) raise(ERROR_CLASS, tuple(A.erpc, A.noconnection), 706);
  return raise(EXIT_CLASS, tuple(A.signal, reason), 708);
}

/** erpc:call(N, M, F, A, Timeout) by the running process. */
export function* erpcCall(n: Term, m: Term, f: Term, a: Term, t: Term): Generator<unknown, Term, unknown> {
  const args = listToArray(a);
  const ms = timeoutMs(t);
  if (!(n instanceof Atom) || !(m instanceof Atom) || !(f instanceof Atom) || args === undefined || ms === undefined) {
    throw erlError(tuple(A.erpc, A.badarg), callFrame(157));
  }
  const self = S.current as Process;
  if (n === node.name && ms === Infinity) {
    // the local call erpc optimises: run it here
    const r = yield* tryApply(m, f, args);
    if (r.ok) return r.value;
    if (r.cls === EXIT_CLASS) raise(EXIT_CLASS, tuple(A.exception, r.reason), 130);
    if (r.cls === THROW_CLASS) throw new ErlangException(THROW_CLASS, r.reason, r.stack);
    if (isArgError(r.reason, args)) raise(ERROR_CLASS, tuple(A.erpc, r.reason), 134);
    return raise(ERROR_CLASS, tuple(A.exception, r.reason, trimStack(r.stack, m, f, args)), 137);
  }
  const res = node.makeRef();
  const reqId = spawnRequest(self, n, A.erpc, A.execute_call, [res, m, f, list(args)], [A.monitor], 'error_only');
  const key = refKey(reqId);
  const match = (msg: Term): { spawnError: Term } | { down: Term } | undefined => {
    if (!(msg instanceof Tuple)) return undefined;
    const e = msg.elements;
    if (msg.size === 4 && e[0] === A.spawn_reply && e[1] instanceof Ref && refKey(e[1]) === key && e[2] === A.error) return { spawnError: e[3] };
    if (msg.size === 5 && e[0] === A.DOWN && e[1] instanceof Ref && refKey(e[1]) === key) return { down: e[4] };
    return undefined;
  };
  let got = yield* receive(match, ms);
  if (got === undefined) {
    // timed out: abandon the request, unless its answer came in meanwhile
    if (netKernel.abandonSpawn(reqId) || demonitor(self, reqId, false)) raise(ERROR_CLASS, tuple(A.erpc, A.timeout), 714);
    got = yield* receive(match, 0);
    if (got === undefined) raise(ERROR_CLASS, tuple(A.erpc, A.badarg), 723);
  }
  if ('spawnError' in got) raise(ERROR_CLASS, tuple(A.erpc, got.spawnError), 710);
  return downResult(res, got.down);
}

/**
 * spawn_request(Node, M, F, Args, Opts) for the running process `self`: the reply (as `reply`
 * asks) comes as {spawn_reply, ReqId, ok | error, PidOrReason}; returns ReqId.
 */
export function spawnRequest(
  self: Process,
  n: Atom,
  m: Atom,
  f: Atom,
  args: Term[],
  wireOpts: Term[],
  reply: 'yes' | 'no' | 'error_only' | 'success_only',
): Ref {
  if (n === node.name) {
    // this node: the process starts here, monitored with the request's ref, and the reply is local
    const p = node.spawnMFA(m, f, args);
    const monitored = wireOpts.includes(A.monitor);
    const reqId = monitored ? monitor(self, p.pid) : node.makeRef();
    if (reply === 'yes' || reply === 'success_only') node.deliver(self, tuple(A.spawn_reply, reqId, OK, p.pid));
    return reqId;
  }
  const reqId = node.makeRef();
  netKernel.spawnRequestFull(n, m, f, list(args), list(wireOpts), self.pid, reqId, reply);
  return reqId;
}

/** erpc:cast(N, M, F, A): fire and forget. */
export function erpcCast(self: Process, n: Atom, m: Atom, f: Atom, args: Term[]): void {
  if (n === node.name) {
    node.spawnMFA(A.erpc, A.execute_cast, [m, f, list(args)]);
    return;
  }
  spawnRequest(self, n, A.erpc, A.execute_cast, [m, f, list(args)], [], 'no');
}

defineGenBif('erpc', 'call', 4, function* (n: Term, m: Term, f: Term, a: Term) {
  return yield* erpcCall(n, m, f, a, A.infinity);
});
defineGenBif('erpc', 'call', 5, function* (n: Term, m: Term, f: Term, a: Term, t: Term) {
  return yield* erpcCall(n, m, f, a, t);
});
defineGenBif('erpc', 'call', 2, function* (n: Term, fun: Term) {
  if (!(fun instanceof Fun) || fun.arity !== 0) throw erlError(tuple(A.erpc, A.badarg), callFrame(99));
  return yield* erpcCall(n, A.erlang, A.apply, list([fun, NIL]), A.infinity);
});
defineGenBif('erpc', 'call', 3, function* (n: Term, fun: Term, t: Term) {
  if (!(fun instanceof Fun) || fun.arity !== 0) throw erlError(tuple(A.erpc, A.badarg), callFrame(99));
  return yield* erpcCall(n, A.erlang, A.apply, list([fun, NIL]), t);
});
defineGenBif('erpc', 'cast', 4, function* (n: Term, m: Term, f: Term, a: Term) {
  const args = listToArray(a);
  if (!(n instanceof Atom) || !(m instanceof Atom) || !(f instanceof Atom) || args === undefined) throw erlError(tuple(A.erpc, A.badarg));
  erpcCast(S.current as Process, n, m, f, args);
  return OK;
});
defineGenBif('erpc', 'cast', 2, function* (n: Term, fun: Term) {
  if (!(n instanceof Atom) || !(fun instanceof Fun) || fun.arity !== 0) throw erlError(tuple(A.erpc, A.badarg));
  erpcCast(S.current as Process, n, A.erlang, A.apply, [fun, NIL]);
  return OK;
});

