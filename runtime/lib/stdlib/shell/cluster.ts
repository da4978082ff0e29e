// cluster/0, a terl-only shell command: the cluster as this node sees it, at a glance. A table of
// this node, every node it is connected to (hidden ones too), every node those are connected to,
// and every node the port mapper on this host lists; each node's distribution port and whom it is
// connected to:
//
//   (kvs_server@vm)3> cluster().
//   node           port   status         connected to
//   kvs_server@vm  41617  this node      client@vm
//   client@vm      38719  connected      kvs_server@vm
//   lonely@vm      42111  not connected  not asked
//   ok
//
// A connected node is asked for its connections over the connection there is (rex runs
// erlang:nodes(connected) there); a node that is not connected is never dialled: only the port
// mappers are asked (this host's, and the hosts of connected nodes elsewhere), as net_adm:names does.

import { Atom, Term, atom, listToArray, OK } from '../../../vm/term.js';
import { erlError } from '../../../vm/exception.js';
import { awaitPromise } from '../../../vm/scheduler.js';
import { node } from '../../../vm/node.js';
import { netKernel } from '../../../distribution/net_kernel.js';
import { names as epmdNames } from '../../../distribution/epmd_client.js';
import { rexCall } from '../../kernel/dist_common.js';
import { glanceRows, glanceTable, isThisMachine, type KnownNode, type PortMapperName } from './cluster_table.js';
import { hostname } from 'node:os';

/** How long a connected node has to say whom it is connected to. */
const ASK_MS = 3000;
/** How long a port mapper has to list its names. */
const NAMES_MS = 2000;

/** cluster() in the shell: the table, printed to the shell's group leader; ok. */
export function* clusterCommand(args: Term[], columns: number, put: (text: string) => Generator<unknown, void, unknown>): Generator<unknown, Term, unknown> {
  if (args.length !== 0) throw erlError(atom('badarg'));
  const lines = glanceTable(yield* clusterRows(), columns);
  yield* put(lines.join('\n') + '\n');
  return OK;
}

/** This node's view of the cluster, as the table's rows. */
function* clusterRows(): Generator<unknown, KnownNode[], unknown> {
  const me = node.name.name;
  // a node that is not distributed (nonode@nohost) lists the port mapper's names on this machine's short name
  const host = netKernel.alive ? me.slice(me.indexOf('@') + 1) : hostname().split('.')[0]!;
  const known: KnownNode[] = [];
  if (!netKernel.alive) {
    known.push({ node: me, status: 'this node', links: 'not distributed' });
  } else {
    const connected = netKernel.nodes('connected');
    known.push({ node: me, port: netKernel.listenPort, status: netKernel.hidden ? 'this node (hidden)' : 'this node', links: connected.map((n) => n.name) });
    const hidden = new Set(netKernel.nodes('hidden'));
    for (const peer of connected) {
      const theirs = yield* rexCall(peer, atom('erlang'), atom('nodes'), [atom('connected')], ASK_MS);
      const links = theirs === undefined ? undefined : listToArray(theirs);
      known.push({
        node: peer.name,
        status: hidden.has(peer) ? 'hidden' : 'connected',
        links: links?.every((l) => l instanceof Atom) ? (links as Atom[]).map((l) => l.name) : 'no answer',
      });
    }
  }
  const names = yield* portMapperNames(undefined);
  // connected nodes on other hosts: their host's port mapper knows their ports
  const elsewhere = new Set(known.map((k) => k.node.slice(k.node.indexOf('@') + 1)).filter((h) => h !== host && !isThisMachine(h, hostname())));
  for (const h of elsewhere) {
    for (const n of yield* portMapperNames(h)) {
      const row = known.find((k) => k.node === `${n.name}@${h}`);
      if (row !== undefined) row.port ??= n.port;
    }
  }
  return glanceRows({ known, names, host, machine: hostname(), strangerStatus: 'not connected' });
}

function* portMapperNames(host: string | undefined): Generator<unknown, PortMapperName[], unknown> {
  try {
    const r = yield* awaitPromise(epmdNames({ ...(host !== undefined ? { host } : {}), timeoutMs: NAMES_MS }));
    return r.nodes;
  } catch {
    return [];
  }
}
