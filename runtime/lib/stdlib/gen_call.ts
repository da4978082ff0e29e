// gen_server's call/reply conventions, for processes written in TypeScript (net_kernel, rex,
// global, net_adm:ping):
//
//   call   monitor the server, send {'$gen_call', {Self, Ref}, Request}, wait for {Ref, Reply} or
//          the monitor's 'DOWN' (noproc, noconnection) or a timeout
//   reply  to From = {Pid, Tag}: Pid ! {Tag, Reply}; OTP 25 callers use Tag = [alias|Ref], which is
//          echoed back as it came (a SEND_SENDER to the caller's pid reaches it)

import { Atom, Pid, Ref, Term, Tuple, atom, tuple } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { S } from '../../vm/scheduler.js';
import { receive } from '../../vm/receive.js';
import { demonitor, monitor, refKey } from '../../vm/signals.js';
import type { Process } from '../../vm/process.js';

const GEN_CALL = atom('$gen_call');
const GEN_CAST = atom('$gen_cast');
const DOWN = atom('DOWN');

export type CallResult = { ok: true; reply: Term } | { ok: false; reason: Term };

/** gen:call to a pid or to {Name, Node} from the running process. */
export function* genCall(dest: Pid | { name: Atom; node: Atom }, request: Term, timeoutMs = Infinity): Generator<unknown, CallResult, unknown> {
  const self = S.current as Process;
  const ref = dest instanceof Pid ? monitor(self, dest) : monitor(self, dest.name, dest.node);
  const key = refKey(ref);
  const msg = tuple(GEN_CALL, tuple(self.pid, ref), request);
  if (dest instanceof Pid) node.sendToPid(dest, msg, self.pid);
  else node.send(tuple(dest.name, dest.node), msg, self.pid);
  const got = yield* receive((m) => {
    if (!(m instanceof Tuple)) return undefined;
    const e = m.elements;
    if (m.size === 2 && e[0] instanceof Ref && refKey(e[0]) === key) return { ok: true as const, reply: e[1] };
    if (m.size === 5 && e[0] === DOWN && e[1] instanceof Ref && refKey(e[1]) === key) return { ok: false as const, reason: e[4] };
    return undefined;
  }, timeoutMs);
  if (got === undefined) {
    demonitor(self, ref, true);
    return { ok: false, reason: atom('timeout') };
  }
  if (got.ok) demonitor(self, ref, true);
  return got;
}

/** gen_server:reply(From, Reply) */
export function genReply(from: Term, reply: Term): void {
  if (!(from instanceof Tuple) || from.size !== 2 || !(from.elements[0] instanceof Pid)) return;
  node.sendToPid(from.elements[0], tuple(from.elements[1], reply));
}

/** gen_server:cast({Name, Node}, Msg) */
export function genCast(name: Atom, peer: Atom, msg: Term): void {
  node.send(tuple(name, peer), tuple(GEN_CAST, msg));
}
