// What the distribution's modules share (erlang's node BIFs in runtime/lib/erts/nodes.ts, rpc,
// net_adm, net_kernel and global): their atoms and the shapes of their errors, as OTP 25's.

import { Atom, Term, atom, charlist, list, tuple, OK } from '../../vm/term.js';
import { ErlangException, badarg, erlError, frame } from '../../vm/exception.js';
import { S } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import { link, monitor } from '../../vm/signals.js';
import { Process } from '../../vm/process.js';
import { genCall } from '../stdlib/gen_call.js';

export const A = {
  erlang: atom('erlang'),
  apply: atom('apply'),
  link: atom('link'),
  monitor: atom('monitor'),
  spawn_reply: atom('spawn_reply'),
  ok: OK,
  error: atom('error'),
  badrpc: atom('badrpc'),
  EXIT: atom('EXIT'),
  exception: atom('exception'),
  signal: atom('signal'),
  erpc: atom('erpc'),
  badarg: atom('badarg'),
  noconnection: atom('noconnection'),
  notsup: atom('notsup'),
  badopt: atom('badopt'),
  timeout: atom('timeout'),
  nodedown: atom('nodedown'),
  infinity: atom('infinity'),
  ignored: atom('ignored'),
  nocookie: atom('nocookie'),
  pong: atom('pong'),
  pang: atom('pang'),
  net_kernel: atom('net_kernel'),
  is_auth: atom('is_auth'),
  yes: atom('yes'),
  visible: atom('visible'),
  hidden: atom('hidden'),
  connected: atom('connected'),
  known: atom('known'),
  this: atom('this'),
  shortnames: atom('shortnames'),
  longnames: atom('longnames'),
  already_started: atom('already_started'),
  not_allowed: atom('not_allowed'),
  notalive: atom('notalive'),
  distribution_not_started: atom('distribution_not_started'),
  address: atom('address'),
  node_type: atom('node_type'),
  nodedown_reason: atom('nodedown_reason'),
  all: atom('all'),
};

export type Gen = Generator<unknown, Term, unknown>;

export function self(): Process {
  return S.current as Process;
}

export function fail(module: string, name: string, args: Term[], why?: Record<number, string>): never {
  throw badarg(module, name, args, why);
}

/** An error with the frame {M, F, Args} (the shell prints `called as`). */
export function errorIn(reason: Term, module: string, name: string, args: Term[]): ErlangException {
  return erlError(reason, list([frame(module, name, args)]));
}

/** A stack naming an OTP source line (`in function  auth:set_cookie/1 (auth.erl, line 131)`). */
export function otpFrame(module: string, name: string, arity: number, line: number): Term {
  return list([tuple(atom(module), atom(name), arity, list([tuple(atom('file'), charlist(`${module}.erl`)), tuple(atom('line'), line)]))]);
}

export function isMFA(m: Term, f: Term): boolean {
  return m instanceof Atom && f instanceof Atom;
}

/** rpc:call through the peer's rex ({call, M, F, A, user}): its reply, or undefined when none came in time. */
export function* rexCall(peer: Atom, m: Atom, f: Atom, args: Term[], timeoutMs: number): Generator<unknown, Term | undefined, unknown> {
  const r = yield* genCall({ name: atom('rex'), node: peer }, tuple(atom('call'), m, f, list(args), atom('user')), timeoutMs);
  return r.ok ? r.reply : undefined;
}
