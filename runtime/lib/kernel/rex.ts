// The `rex` server (kernel's rpc gen_server): what other nodes' rpc:block_call, gen_server calls to
// {rex, Node}, and C/Java nodes (ei_rpc, jinterface) send. OTP 25's own rpc:call goes through a
// spawn request instead (runtime/lib/kernel/erpc.ts).
//
//   {'$gen_call', From, {call, M, F, A, GL}}        a worker runs it with GL as group leader and
//   {'$gen_call', From, {block_call, M, F, A, GL}}  replies {Tag, Result} to From
//   {From, {call, M, F, A, GL}}                     the same, answered {rex, Result} (ei style)
//   {'$gen_cast', {cast, M, F, A, GL}}              run it, no answer (old rpc:cast)
//   {From, features_request}                        {features_reply, Node, [erpc]}
//
// Result follows rpc's conventions: the value, a thrown term as it is, {badrpc, {'EXIT', Reason}}
// for an exit, {badrpc, {'EXIT', {Reason, Stack}}} for an error.

import { Atom, Pid, Term, Tuple, atom, list, listToArray, tuple } from '../../vm/term.js';
import { ERROR_CLASS, EXIT_CLASS, THROW_CLASS } from '../../vm/exception.js';
import { node } from '../../vm/node.js';
import { receiveAny } from '../../vm/receive.js';
import { tryApply, trimStack } from './erpc.js';
import { genReply } from '../stdlib/gen_call.js';

const A = {
  rex: atom('rex'),
  gen_call: atom('$gen_call'),
  gen_cast: atom('$gen_cast'),
  call: atom('call'),
  block_call: atom('block_call'),
  cast: atom('cast'),
  features_request: atom('features_request'),
  features_reply: atom('features_reply'),
  erpc: atom('erpc'),
  badrpc: atom('badrpc'),
  EXIT: atom('EXIT'),
  user: atom('user'),
};

/** rpc's execute_call/3: M:F(Args) as rpc:call reports it. */
export function* rpcResult(m: Term, f: Term, a: Term): Generator<unknown, Term, unknown> {
  const args = listToArray(a);
  if (!(m instanceof Atom) || !(f instanceof Atom) || args === undefined) {
    return tuple(A.badrpc, tuple(A.EXIT, atom('badarg')));
  }
  const r = yield* tryApply(m, f, args);
  if (r.ok) return r.value;
  if (r.cls === THROW_CLASS) return r.reason;
  if (r.cls === EXIT_CLASS) return tuple(A.badrpc, tuple(A.EXIT, r.reason));
  if (r.cls === ERROR_CLASS) return tuple(A.badrpc, tuple(A.EXIT, tuple(r.reason, trimStack(r.stack, m, f, args))));
  return tuple(A.badrpc, tuple(A.EXIT, r.reason));
}

/** The group leader a request names: a pid, or `user` (this node's). */
function groupLeaderOf(gl: Term): Pid | undefined {
  if (gl instanceof Pid) return gl;
  if (gl === A.user) return node.userPid;
  return undefined;
}

/** A worker for one call: runs it, then `answer(result)`. */
function work(req: Tuple, answer: (result: Term) => void): void {
  const [, m, f, a, gl] = req.elements;
  node.spawn(worker, [m, f, a, answer], { groupLeader: groupLeaderOf(gl) });
}

/** A call's own process (one generator for all of them: a closure per call costs more to start). */
function* worker(m: Term, f: Term, a: Term, answer: (result: Term) => void): Generator<unknown, Term, unknown> {
  answer(yield* rpcResult(m, f, a));
  return atom('normal');
}

function isCall(t: Term): t is Tuple {
  return t instanceof Tuple && t.size === 5 && (t.elements[0] === A.call || t.elements[0] === A.block_call);
}

export function startRex(): void {
  if (node.whereis(A.rex) !== undefined) return;
  const p = node.spawn(function* () {
    for (;;) {
      const m = yield* receiveAny();
      if (!(m instanceof Tuple)) continue;
      const e = m.elements;
      if (m.size === 3 && e[0] === A.gen_call) {
        const from = e[1];
        if (isCall(e[2])) work(e[2], (r) => genReply(from, r));
        // any other call is ignored, as rex does
      } else if (m.size === 2 && e[0] === A.gen_cast) {
        const req = e[1];
        if (req instanceof Tuple && req.size === 5 && req.elements[0] === A.cast) work(req, () => undefined);
      } else if (m.size === 2 && e[0] instanceof Pid) {
        const from = e[0];
        const req = e[1];
        if (req === A.features_request) node.sendToPid(from, tuple(A.features_reply, node.name, list([A.erpc])));
        else if (req instanceof Tuple && req.size === 5 && req.elements[0] === A.call) {
          work(req, (r) => node.sendToPid(from, tuple(A.rex, r)));
        }
      }
    }
  }, []);
  node.register(A.rex, p);
}

