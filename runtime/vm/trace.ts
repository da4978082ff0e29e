// Process tracing (erlang:trace/3): which events of a process are traced, and the trace messages
// they send to its tracer, as BEAM sends them:
//
//   send      {trace, Pid, send, Msg, To}, {trace, Pid, send_to_non_existing_process, Msg, To}
//   'receive' {trace, Pid, 'receive', Msg}            (as the message enters the mailbox)
//   procs     {trace, Pid, spawn, Pid2, {M,F,Args}} (runtime/lib/erts/processes.ts for funs), {trace, Pid, exit, Reason},
//             {trace, Pid, link | unlink | getting_linked | getting_unlinked, Pid2},
//             {trace, Pid, register | unregister, Name}
//
// The VM calls these from the points the events happen (runtime/vm/process.ts for 'receive',
// node.ts for send and spawn, signals.ts for exit). How a trace message reaches the tracer is the
// library's (runtime/lib/erts/trace.ts installs it), which keeps this file free of the node.

import { Pid, Term, atom, tuple } from './term.js';

export interface TraceFlags {
  send: boolean;
  receive: boolean;
  procs: boolean;
  /** calls of functions with a trace pattern (runtime/vm/call_trace.ts) */
  call: boolean;
  /** set_on_spawn: processes it spawns get these flags too */
  setOnSpawn: boolean;
  tracer: Pid;
}

/** The process side of tracing: its pid, its flags, the call that started it. */
export interface Traced {
  pid: Pid;
  trace: TraceFlags | undefined;
}

const TRACE = atom('trace');
const SEND = atom('send');
const SEND_TO_NON_EXISTING = atom('send_to_non_existing_process');
const RECEIVE = atom('receive');
const SPAWN = atom('spawn');
const EXIT = atom('exit');

/** The flags new processes start with (erlang:trace(new, true, Flags)). */
export const traceDefaults: { forNew: TraceFlags | undefined } = { forNew: undefined };

let deliver: (tracer: Pid, msg: Term) => void = () => undefined;

/** The library's way to put a trace message in the tracer's mailbox. */
export function setTraceDelivery(d: (tracer: Pid, msg: Term) => void): void {
  deliver = d;
}

function emit(t: TraceFlags, msg: Term): void {
  deliver(t.tracer, msg);
}

/** A trace message to a process's tracer (call tracing's, from runtime/vm/call_trace.ts). */
export const emitTrace = emit;

export function traceReceive(p: Traced, msg: Term): void {
  const t = p.trace;
  // the tracer's own mailbox is not traced through itself
  if (t?.receive && t.tracer !== p.pid) emit(t, tuple(TRACE, p.pid, RECEIVE, msg));
}

/** `exists`: false when `to` is a local pid no process has any more */
export function traceSend(p: Traced, to: Term, msg: Term, exists: boolean): void {
  const t = p.trace;
  if (t?.send) emit(t, tuple(TRACE, p.pid, exists ? SEND : SEND_TO_NON_EXISTING, msg, to));
}

export function traceSpawn(parent: Traced, child: Pid, mfa: Term): void {
  const t = parent.trace;
  if (t?.procs) emit(t, tuple(TRACE, parent.pid, SPAWN, child, mfa));
}

/** A procs event with one argument: link, getting_linked, getting_unlinked, register, unregister. */
export function traceProcs(p: Traced, event: string, arg: Term): void {
  const t = p.trace;
  if (t?.procs) emit(t, tuple(TRACE, p.pid, atom(event), arg));
}

export function traceExit(p: Traced, reason: Term): void {
  const t = p.trace;
  if (t?.procs) emit(t, tuple(TRACE, p.pid, EXIT, reason));
}
