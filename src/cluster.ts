// `terl --cluster kvs_server,client:cookie=wrong` and `terl --tour`: several nodes, each a real node in
// its own worker, from one command line. This reads the spec into one set of flags per node: the
// command line's other flags for every node, then the node's name and its own options.
//
//   Spec    = Node ("," Node)*
//   Node    = Name (":" Option)*
//   Option  = "cookie=" Cookie   this node's cookie (-setcookie), e.g. a wrong one for the lesson
//           | "name"             a long name (-name Name), as erl -name
//           | "sname"            a short name (-sname Name), the default

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlagError, type Flags } from './flags.js';

/** The seed's two nodes, as the tour starts them. */
export const TOUR_SPEC = 'kvs_server,client';

export interface ClusterNode {
  /** the name as given (before the host is added) */
  name: string;
  flags: Flags;
}

/** One node's flags for each node of `--cluster` (or of `--tour`). */
export function clusterNodes(common: Flags): ClusterNode[] {
  if (common.tour && common.cluster !== undefined) throw new FlagError('terl: --tour starts its own cluster; it cannot be used with --cluster');
  for (const [flag, given] of [
    ['-sname', common.sname],
    ['-name', common.name],
    ['-remsh', common.remsh],
  ] as const) {
    if (given !== undefined) throw new FlagError(`terl: --cluster names its nodes itself; ${flag} cannot be used with it`);
  }
  if (common.noshell) throw new FlagError('terl: --cluster gives every node a shell; -noshell cannot be used with it');
  const spec = common.tour ? TOUR_SPEC : common.cluster!;
  // the tour's nodes find the seed's modules (kvs.erl) in the examples terl ships with
  const pa = common.tour ? [...common.pa, examplesDir()] : common.pa;
  const nodes = spec.split(',').map((part) => clusterNode(part.trim(), { ...common, pa, cluster: undefined, tour: false }));
  const seen = new Set<string>();
  for (const n of nodes) {
    if (seen.has(n.name)) throw new FlagError(`terl: --cluster names ${n.name} twice`);
    seen.add(n.name);
  }
  return nodes;
}

function clusterNode(part: string, common: Flags): ClusterNode {
  const [name, ...options] = part.split(':');
  if (name === undefined || !/^[A-Za-z0-9_.@-]+$/.test(name)) throw new FlagError(`terl: --cluster: bad node name '${name ?? ''}'`);
  let long = false;
  let cookie = common.setcookie;
  for (const o of options) {
    if (o === 'name') long = true;
    else if (o === 'sname') long = false;
    else if (o.startsWith('cookie=') && o.length > 'cookie='.length) cookie = o.slice('cookie='.length);
    else throw new FlagError(`terl: --cluster: unknown option '${o}' for ${name} (cookie=C, name or sname)`);
  }
  const flags: Flags = { ...common, sname: long ? undefined : name, name: long ? name : undefined, setcookie: cookie };
  return { name, flags };
}

/** examples/ beside dist/ (the package) or beside src/ (the checkout). */
function examplesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');
}
