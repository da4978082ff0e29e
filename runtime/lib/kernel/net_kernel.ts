// The net_kernel process of a distributed node: the registered process that answers
// {is_auth, Node} (net_adm:ping). The connections themselves are runtime/distribution/net_kernel.ts's.

import { Tuple, atom, tuple } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { receiveAny } from '../../vm/receive.js';
import { genReply } from '../stdlib/gen_call.js';

const GEN_CALL = atom('$gen_call');
const IS_AUTH = atom('is_auth');
const YES = atom('yes');
const ERROR = atom('error');
const NET_KERNEL = atom('net_kernel');

export function startNetKernelProcess(): void {
  if (node.whereis(NET_KERNEL) !== undefined) return;
  const p = node.spawn(function* () {
    for (;;) {
      const m = yield* receiveAny();
      if (!(m instanceof Tuple) || m.size !== 3 || m.elements[0] !== GEN_CALL) continue;
      const [, from, req] = m.elements;
      if (req instanceof Tuple && req.size === 2 && req.elements[0] === IS_AUTH) {
        // the cookie was checked in the handshake: a node that got this far is authorised
        genReply(from, YES);
      } else {
        genReply(from, tuple(ERROR, atom('unsupported_request')));
      }
    }
  }, []);
  node.register(NET_KERNEL, p);
}
