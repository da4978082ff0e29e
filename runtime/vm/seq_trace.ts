// Sequential tracing (seq_trace): a process's trace token travels with the messages it sends; the
// receiver takes it over when it receives one of them, and each step is reported to the system
// tracer as BEAM reports it:
//
//   {seq_trace, Label, {send, {Prev, Curr}, From, To, Message}}       token flag send
//   {seq_trace, Label, {'receive', {Prev, Curr}, From, To, Message}}  token flag 'receive'
//   {seq_trace, Label, {print, {Prev, Curr}, From, [], Info}}         seq_trace:print/1,2, flag print
//
// The counters follow seq_trace's documented algorithm, kept as BEAM keeps them: besides its token
// a process has a clock (curr) and the serial it last received (prev). Passing the token on (a
// send, a print) makes curr one more and hands {prev, curr} along in the token, with the process as
// its sender; receiving a token {P, C} makes it the process's token as it came, curr max(curr, C)
// and prev C. A message without a token clears the receiver's token, as in BEAM.
//
// A message to another node carries the token the send answers (runtime/distribution/trace_token.ts
// puts it on the wire); one from another node brings its token here through seqCarry.
// Nothing here runs for a process that has no token and was sent none: node.ts looks at
// `sender.seq` before a send, process.ts at `seq` when a message is taken.

import { Atom, NIL, Pid, Term, atom, tuple, type Tuple } from './term.js';

/** The token: flags (send 1, 'receive' 2, print 4), label, curr (serial), who passed it on, prev (lastcnt). */
export interface SeqToken {
  flags: number;
  label: Term;
  serial: number;
  /** a pid; a node's name for a token that came from outside any process on another node */
  from: Pid | Atom;
  lastcnt: number;
}

export const SEQ_SEND = 1;
export const SEQ_RECEIVE = 2;
export const SEQ_PRINT = 4;

/**
 * A process's side of it: its token, its clock and the serial it last received, and the tokens of
 * messages sent to it it has not received yet.
 */
export interface SeqState {
  token: SeqToken | undefined;
  clock: number;
  lastcnt: number;
  incoming: Map<Term, SeqToken[]> | undefined;
}

function stateOf(p: SeqTraced): SeqState {
  return (p.seq ??= { token: undefined, clock: 0, lastcnt: 0, incoming: undefined });
}

/** One step of p's token (a send, a print): the token as it is passed on, p as its sender. */
function step(p: SeqTraced, st: SeqState, t: SeqToken): void {
  t.lastcnt = st.lastcnt;
  t.serial = ++st.clock;
  t.from = p.pid;
}

/** What a process must offer: its pid and its state (process.ts). */
export interface SeqTraced {
  readonly pid: Pid;
  seq: SeqState | undefined;
}

const SEQ_TRACE = atom('seq_trace');
const SEND = atom('send');
const RECEIVE = atom('receive');
const PRINT = atom('print');

/** The system tracer (seq_trace:set_system_tracer/1), and how a message reaches it (the library's). */
export const seqTracing: { tracer: Pid | undefined; deliver: (to: Pid, msg: Term) => void } = {
  tracer: undefined,
  deliver: () => undefined,
};

function report(label: Term, info: Tuple): void {
  if (seqTracing.tracer !== undefined) seqTracing.deliver(seqTracing.tracer, tuple(SEQ_TRACE, label, info));
}

/**
 * `sender` (which has a token) sends msg to `to`; `receiver` is the local process that gets it,
 * if any. Counts the step, reports it, and answers the token the message carries (the receiver,
 * if here, takes it on; a message to another node carries it on the wire).
 */
export function seqSend(sender: SeqTraced, to: Term, msg: Term, receiver: SeqTraced | undefined): SeqToken | undefined {
  const st = sender.seq;
  const t = st?.token;
  if (t === undefined) return undefined;
  step(sender, st!, t);
  if (t.flags & SEQ_SEND) report(t.label, tuple(SEND, tuple(t.lastcnt, t.serial), sender.pid, to, msg));
  const carried: SeqToken = { flags: t.flags, label: t.label, serial: t.serial, from: sender.pid, lastcnt: t.lastcnt };
  if (receiver !== undefined) seqCarry(receiver, msg, carried);
  return carried;
}

/** msg, on its way to `receiver`, carries `carried`: the receiver takes it on when it receives msg. */
export function seqCarry(receiver: SeqTraced, msg: Term, carried: SeqToken): void {
  const st = stateOf(receiver);
  const pending = (st.incoming ??= new Map()).get(msg);
  if (pending !== undefined) pending.push(carried);
  else st.incoming.set(msg, [carried]);
}

/**
 * p asks node `to` to spawn a process (spawn_request): BEAM counts two steps, the request and
 * then its argument list, and the request carries the token of the second.
 */
export function seqSpawnRequest(p: SeqTraced, to: Term, request: Term, argList: Term): SeqToken | undefined {
  seqSend(p, to, request, undefined);
  return seqSend(p, to, argList, undefined);
}

/**
 * p was spawned for a remote spawn request that carried `carried` (the request's second step):
 * as BEAM reports it, p receives the request (the step before), sends its reply to the requester
 * and receives the argument list. Answers the token the reply carries.
 */
export function seqSpawned(p: SeqTraced, carried: SeqToken, request: Term, argList: Term, requester: Pid, reply: Term): SeqToken | undefined {
  seqCarry(p, request, { ...carried, serial: carried.serial - 1 });
  seqReceived(p, request);
  const replied = seqSend(p, requester, reply, undefined);
  seqCarry(p, argList, carried);
  seqReceived(p, argList);
  return replied;
}

/** p receives msg (a receive matched it): p takes over its token, or loses its own if it has none. */
export function seqReceived(p: SeqTraced, msg: Term): void {
  const st = p.seq!;
  const pending = st.incoming?.get(msg);
  const carried = pending?.shift();
  if (pending !== undefined && pending.length === 0) st.incoming!.delete(msg);
  if (carried === undefined) {
    st.token = undefined;
  } else {
    st.token = { ...carried };
    st.clock = Math.max(st.clock, carried.serial);
    st.lastcnt = carried.serial;
    if (carried.flags & SEQ_RECEIVE) report(carried.label, tuple(RECEIVE, tuple(carried.lastcnt, carried.serial), carried.from, p.pid, msg));
  }
  if (st.token === undefined && (st.incoming === undefined || st.incoming.size === 0)) p.seq = undefined;
}

/** seq_trace:print(Label, Info): reported when p's token has the print flag and this label. */
export function seqPrint(p: SeqTraced, label: Term | undefined, info: Term, same: (a: Term, b: Term) => boolean): void {
  const t = p.seq?.token;
  if (t === undefined || !(t.flags & SEQ_PRINT) || (label !== undefined && !same(label, t.label))) return;
  step(p, p.seq!, t);
  report(t.label, tuple(PRINT, tuple(t.lastcnt, t.serial), p.pid, NIL, info));
}

/** The token as get_token/0 shows it: {Flags, Label, Serial, From, LastCnt}, or []. */
export function seqTokenTerm(p: SeqTraced): Term {
  const t = p.seq?.token;
  return t === undefined ? NIL : tuple(t.flags, t.label, t.serial, t.from, t.lastcnt);
}

/** p's token, made if it has none (a new token starts at serial 0 with p as its sender). */
export function seqTokenOf(p: SeqTraced): SeqToken {
  const st = stateOf(p);
  return (st.token ??= { flags: 0, label: 0, serial: 0, from: p.pid, lastcnt: st.lastcnt });
}

/** set_token(serial, {LastCnt, Serial}) or a whole token set: p's counters start from there. */
export function seqSetSerial(p: SeqTraced, lastcnt: number, serial: number): void {
  const st = stateOf(p);
  const t = seqTokenOf(p);
  t.lastcnt = st.lastcnt = lastcnt;
  t.serial = st.clock = serial;
}

/** Drop p's token (set_token([])). */
export function seqClear(p: SeqTraced): void {
  if (p.seq === undefined) return;
  p.seq.token = undefined;
  if (p.seq.incoming === undefined || p.seq.incoming.size === 0) p.seq = undefined;
}
