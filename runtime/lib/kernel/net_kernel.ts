// Module net_kernel: connect_node, monitor_nodes, start and stop, the tick time, as OTP 25's; and
// the net_kernel process of a distributed node, which answers {is_auth, Node} (net_adm:ping). The
// connections themselves are runtime/distribution/net_kernel.ts's.

import { Atom, Term, Tuple, atom, bool, list, listToArray, tuple, NIL, OK, TRUE, FALSE } from '../../vm/term.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { awaitPromise } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import { receive } from '../../vm/receive.js';
import { netKernel } from '../../distribution/net_kernel.js';
import { DistStartError } from '../../distribution/node_name.js';
import { receiveAny } from '../../vm/receive.js';
import { genReply } from '../stdlib/gen_call.js';
import { A, type Gen, self, fail } from './dist_common.js';

const GEN_CALL = atom('$gen_call');
const IS_AUTH = atom('is_auth');
const YES = atom('yes');
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
        genReply(from, tuple(A.error, atom('unsupported_request')));
      }
    }
  }, []);
  node.register(NET_KERNEL, p);
}

// ---------- net_kernel ----------

defineGenBif('net_kernel', 'connect_node', 1, function* (n: Term) {
  if (!(n instanceof Atom)) fail('net_kernel', 'connect_node', [n]);
  if (!netKernel.alive) return A.ignored;
  return bool(yield* awaitPromise(netKernel.connect(n)));
});

defineGenBif('net_kernel', 'hidden_connect_node', 1, function* (n: Term) {
  if (!(n instanceof Atom)) fail('net_kernel', 'hidden_connect_node', [n]);
  if (!netKernel.alive) return A.ignored;
  return bool(yield* awaitPromise(netKernel.connect(n)));
});

defineGenBif('net_kernel', 'disconnect', 1, function* (n: Term) {
  if (!(n instanceof Atom)) fail('net_kernel', 'disconnect', [n]);
  if (!netKernel.alive) return A.ignored;
  return bool(netKernel.disconnect(n));
});

/** net_kernel:start([Name, NameType, TickTime]) / start(Name, #{name_domain => ...}) from a running node. */
function* netKernelStart(name: Term, longNames: boolean, tick: number | undefined): Gen {
  const nk = node.whereis(A.net_kernel);
  if (netKernel.alive && nk !== undefined) return tuple(A.error, tuple(A.already_started, nk.pid));
  if (!(name instanceof Atom)) return tuple(A.error, A.badarg);
  try {
    yield* awaitPromise(netKernel.start({ name: name.name, longNames, tickTime: tick }));
  } catch (e) {
    if (e instanceof DistStartError) {
      // erl logs the reason and returns {error, Reason}
      return tuple(A.error, tuple(atom('shutdown'), tuple(atom('failed_to_start_child'), A.net_kernel, tuple(A.EXIT, atom('nodistribution')))));
    }
    throw e;
  }
  startedDynamically = true;
  return tuple(OK, node.whereis(A.net_kernel)!.pid);
}

let startedDynamically = false;

defineGenBif('net_kernel', 'start', 1, function* (opts: Term) {
  const items = listToArray(opts);
  if (items === undefined || items.length === 0) return tuple(A.error, A.badarg);
  const longNames = items[1] !== A.shortnames;
  const tick = typeof items[2] === 'number' ? items[2] : undefined;
  return yield* netKernelStart(items[0], longNames, tick);
});
defineGenBif('net_kernel', 'start', 2, function* (name: Term, opts: Term) {
  let longNames = true;
  if (opts instanceof Object && 'get' in opts && typeof (opts as { get: unknown }).get === 'function') {
    const domain = (opts as unknown as { get(k: Term): Term | undefined }).get(atom('name_domain'));
    if (domain === A.shortnames) longNames = false;
  }
  return yield* netKernelStart(name, longNames, undefined);
});
defineGenBif('net_kernel', 'stop', 0, function* () {
  if (!netKernel.alive) return tuple(A.error, atom('not_found'));
  if (!startedDynamically) return tuple(A.error, A.not_allowed);
  netKernel.stop();
  startedDynamically = false;
  return OK;
});

defineGenBif('net_kernel', 'get_net_ticktime', 0, function* () {
  return Math.round(netKernel.tickTimeMs / 1000);
});

function* monitorNodes(flag: Term, opts: Term): Gen {
  if (flag !== TRUE && flag !== FALSE) return A.error;
  const items = listToArray(opts);
  if (items === undefined) return A.error;
  const sub = { info: items.length > 0, nodeType: false, reason: false, visible: true, hidden: false };
  for (const it of items) {
    if (it === A.nodedown_reason) sub.reason = true;
    else if (it instanceof Tuple && it.size === 2 && it.elements[0] === A.node_type) {
      const kind = it.elements[1];
      sub.nodeType = true;
      sub.visible = kind === A.all || kind === A.visible;
      sub.hidden = kind === A.all || kind === A.hidden;
      if (!sub.visible && !sub.hidden) return tuple(A.error, tuple(atom('options_not_a_list'), opts));
    } else return tuple(A.error, tuple(atom('unknown_options'), list([it])));
  }
  netKernel.monitorNodes(self(), flag === TRUE, sub);
  return OK;
}

defineGenBif('net_kernel', 'monitor_nodes', 1, function* (flag: Term) {
  return yield* monitorNodes(flag, NIL);
});
defineGenBif('net_kernel', 'monitor_nodes', 2, function* (flag: Term, opts: Term) {
  return yield* monitorNodes(flag, opts);
});
