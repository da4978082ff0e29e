// Module net_adm: ping, names and localhost.

import { Atom, Term, atom, charlist, list, listToArray, tuple, OK } from '../../vm/term.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { awaitPromise } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import { netKernel } from '../../distribution/net_kernel.js';
import { genCall } from '../stdlib/gen_call.js';
import { names as epmdNames } from '../../distribution/epmd_client.js';
import { hostname } from 'node:os';
import { A, type Gen, fail, errorIn } from './dist_common.js';

// ---------- net_adm ----------

/** net_adm:ping/1: pong when Node's net_kernel says yes to {is_auth, node()}; else pang (and disconnect). */
defineGenBif('net_adm', 'ping', 1, function* (n: Term) {
  if (!(n instanceof Atom)) throw errorIn(atom('function_clause'), 'net_adm', 'ping', [n]);
  if (!netKernel.alive) return n === node.name ? A.pong : A.pang;
  if (n !== node.name) {
    const up = yield* awaitPromise(netKernel.connect(n));
    if (!up) return A.pang;
  }
  const r = yield* genCall({ name: A.net_kernel, node: n }, tuple(A.is_auth, node.name));
  if (r.ok && r.reply === A.yes) return A.pong;
  netKernel.disconnect(n);
  return A.pang;
});

defineGenBif('net_adm', 'names', 0, function* () {
  return yield* names(undefined);
});
defineGenBif('net_adm', 'names', 1, function* (host: Term) {
  const h = host instanceof Atom ? host.name : listToString(host);
  if (h === undefined) fail('net_adm', 'names', [host]);
  return yield* names(h);
});

function listToString(t: Term): string | undefined {
  const items = listToArray(t);
  if (items === undefined || !items.every((c) => typeof c === 'number')) return undefined;
  return String.fromCodePoint(...(items as number[]));
}

function* names(host: string | undefined): Gen {
  try {
    const r = yield* awaitPromise(epmdNames(host === undefined ? {} : { host }));
    return tuple(OK, list(r.nodes.map((x) => tuple(charlist(x.name), x.port))));
  } catch {
    return tuple(A.error, A.address);
  }
}

defineGenBif('net_adm', 'localhost', 0, function* () {
  return charlist(hostname());
});
