// The cluster at a glance: one table of the nodes known, each node's distribution port, and whom
// each is connected to.
//
//   node           port   status         connected to
//   kvs_server@vm  41617  this node      client@vm
//   client@vm      38719  connected      kvs_server@vm
//   lonely@vm      42111  not connected  not asked
//
// Two views draw it: the shell's cluster/0 (cluster.ts beside this file) for one node's view, and
// the cluster window's glance pane (shell/cluster_glance.ts) for the window's nodes. This file
// imports nothing of the project's, so the terminal side can draw the same table.

/** A node whose connections are known (or said why not). */
export interface KnownNode {
  node: string;
  /** its distribution port, when known */
  port?: number;
  /** a word on it: this node, connected, not connected, halted, ... */
  status: string;
  /** the nodes it is connected to; a string says why they are not known */
  links: string[] | string;
}

/** A name this host's port mapper lists (net_adm:names/0), and the port it gave. */
export interface PortMapperName {
  name: string;
  port: number;
}

export interface GlanceInput {
  /** the nodes whose connections were asked, in the order the table shows them */
  known: KnownNode[];
  /** what the port mapper on this host lists */
  names: PortMapperName[];
  /** the host a listed name that is no known node is shown on (this node's host) */
  host: string;
  /** this machine's host name (os.hostname()), to tell which nodes are on this host */
  machine: string;
  /** the status of a node nobody asked: met in another's connections, or only listed by the port mapper */
  strangerStatus: string;
}

/** The table's rows: the known nodes, then the nodes they are connected to, then the port mapper's others. */
export function glanceRows(g: GlanceInput): KnownNode[] {
  const rows = g.known.map((k) => ({ ...k, links: Array.isArray(k.links) ? [...k.links].sort() : k.links }));
  const byName = new Map(rows.map((r) => [r.node, r]));
  const strangers = new Map<string, KnownNode>();
  const stranger = (name: string, port?: number): KnownNode => {
    let s = strangers.get(name);
    if (s === undefined) strangers.set(name, (s = { node: name, port, status: g.strangerStatus, links: [] }));
    return s;
  };
  // connections go both ways: a node nobody asked is connected at least to those that name it
  for (const r of rows) {
    if (!Array.isArray(r.links)) continue;
    for (const peer of r.links) {
      if (byName.has(peer)) continue;
      (stranger(peer).links as string[]).push(r.node);
    }
  }
  for (const n of g.names) {
    const named = [...rows, ...strangers.values()].find((r) => alivePart(r.node) === n.name && onThisHost(hostPart(r.node), g));
    if (named !== undefined) named.port ??= n.port;
    else stranger(`${n.name}@${g.host}`, n.port);
  }
  const others = [...strangers.values()]
    .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0))
    .map((s) => {
      const seen = [...(s.links as string[])].sort();
      return { ...s, links: seen.length === 0 ? 'not asked' : `${seen.join(', ')}; others not asked` };
    });
  return [...rows, ...others];
}

function alivePart(node: string): string {
  const at = node.indexOf('@');
  return at < 0 ? node : node.slice(0, at);
}

function hostPart(node: string): string {
  const at = node.indexOf('@');
  return at < 0 ? '' : node.slice(at + 1);
}

/** Is a node's host this machine (so this host's port mapper is the one that knows its port)? */
function onThisHost(host: string, g: GlanceInput): boolean {
  return host.toLowerCase() === g.host.toLowerCase() || isThisMachine(host, g.machine);
}

/** Does a node name's host part name `machine` (os.hostname()), or loopback? */
export function isThisMachine(host: string, machine: string): boolean {
  const m = machine.toLowerCase();
  const h = host.toLowerCase();
  return h === m || h === m.split('.')[0] || h === 'localhost' || h.startsWith('127.') || h === '::1';
}

const HEAD: [string, string, string, string] = ['node', 'port', 'status', 'connected to'];
const GAP = '  ';

/** The table as lines of at most `width` columns where it can: a long list of connections wraps under its column. */
export function glanceTable(rows: KnownNode[], width = 80): string[] {
  const cells = rows.map((r): [string, string, string, string[]] => [
    r.node,
    r.port === undefined ? '-' : String(r.port),
    r.status,
    typeof r.links === 'string' ? [r.links] : r.links.length === 0 ? ['none'] : r.links.map((l, i) => (i < r.links.length - 1 ? l + ',' : l)),
  ]);
  const w = [0, 1, 2].map((c) => Math.max(HEAD[c]!.length, ...cells.map((row) => (row[c] as string).length)));
  const lead = w[0]! + w[1]! + w[2]! + 3 * GAP.length;
  const room = Math.max(12, width - lead);
  const line = (a: string, b: string, c: string, d: string) => (a.padEnd(w[0]!) + GAP + b.padStart(w[1]!) + GAP + c.padEnd(w[2]!) + GAP + d).trimEnd();
  const out = [line(HEAD[0], HEAD[1].padEnd(w[1]!), HEAD[2], HEAD[3])];
  for (const [node, port, status, links] of cells) {
    const wrapped = wrapWords(links, room);
    out.push(line(node, port, status, wrapped[0] ?? ''));
    for (const more of wrapped.slice(1)) out.push(' '.repeat(lead) + more);
  }
  return out;
}

/** Words (node names, or the words of a sentence) put on lines of at most `room` columns, a long one on its own. */
function wrapWords(items: string[], room: number): string[] {
  const words = items.flatMap((i) => i.split(' '));
  const lines: string[] = [];
  let cur = '';
  for (const word of words) {
    if (cur !== '' && cur.length + 1 + word.length > room) {
      lines.push(cur);
      cur = word;
    } else cur = cur === '' ? word : `${cur} ${word}`;
  }
  if (cur !== '') lines.push(cur);
  return lines;
}
