// What gen_tcp:connect/listen and gen_udp:open take besides socket options: the address family,
// the local address and port, the listen backlog; host names resolved to addresses; service names
// (/etc/services) as port numbers.

import { lookup } from 'node:dns';
import { readFileSync } from 'node:fs';
import { Atom, Term, Tuple, atom } from '../../vm/term.js';
import { chardataString } from '../common.js';
import { activeValue, optionPair, setOption, type Kind, type SocketOptions } from './inet_options.js';
import { fromNodeAddress, ipOf, nodeAddress, parseAddress, type Ip } from './inet_address.js';

export type Family = 'inet' | 'inet6';

export interface OpenOptions {
  family: Family;
  /** {ip, A} / {ifaddr, A}: the local address */
  ip: Ip | undefined;
  /** {port, P}: the local port (connect, gen_udp:open/1) */
  port: number | undefined;
  backlog: number;
}

/** The options each open call takes (erl's inet:connect_options/0, listen_options/0, udp_options/0). */
const COMMON = 'debug tos tclass priority reuseaddr sndbuf recbuf recvtos recvtclass ttl recvttl header active buffer mode deliver raw bind_to_device high_msgq_watermark low_msgq_watermark ip ifaddr port tcp_module udp_module inet_backend';
const TCP = 'keepalive linger nodelay packet packet_size exit_on_close high_watermark low_watermark send_timeout send_timeout_close delay_send show_econnreset';
const TAKES: Record<OpenCall, Set<string>> = {
  connect: new Set(`${COMMON} ${TCP} line_delimiter`.split(' ')),
  listen: new Set(`${COMMON} ${TCP} backlog ipv6_v6only`.split(' ')),
  udp: new Set(`${COMMON} ipv6_v6only broadcast dontroute multicast_if multicast_ttl multicast_loop add_membership drop_membership read_packets`.split(' ')),
};

export type OpenCall = 'connect' | 'listen' | 'udp';

/**
 * Split an option list into socket options (applied to `opts`) and open options; undefined when an
 * option is unknown to the call or its value bad (the caller exits with badarg, as erl's gen_tcp does).
 */
export function openOptions(list: Term[], call: OpenCall, opts: SocketOptions): OpenOptions | undefined {
  const kind: Kind = call === 'udp' ? 'udp' : 'tcp';
  const o: OpenOptions = { family: 'inet', ip: undefined, port: undefined, backlog: 5 };
  for (const x of list) {
    if (x instanceof Atom) {
      if (x.name === 'inet' || x.name === 'inet6') {
        o.family = x.name;
        continue;
      }
      if (x.name === 'binary' || x.name === 'list') {
        opts.binary = x.name === 'binary';
        continue;
      }
      return undefined;
    }
    const pair = optionPair(x);
    if (pair === undefined) return undefined;
    const [name, v] = pair;
    if (!TAKES[call].has(name)) return undefined;
    switch (name) {
      case 'ip':
      case 'ifaddr': {
        const ip = ipOf(v);
        if (ip === undefined) return undefined;
        o.ip = ip;
        continue;
      }
      case 'port':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) return undefined;
        o.port = v;
        continue;
      case 'backlog':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return undefined;
        o.backlog = v;
        continue;
      case 'active': {
        const a = activeValue(v);
        if (a === undefined) return undefined;
        opts.active = typeof a === 'number' && a <= 0 ? false : a;
        continue;
      }
      case 'tcp_module':
      case 'udp_module':
      case 'inet_backend':
      case 'debug':
      case 'recvtos':
      case 'recvtclass':
      case 'recvttl':
      case 'ttl':
      case 'tclass':
      case 'dontroute':
      case 'bind_to_device':
      case 'ipv6_v6only':
      case 'raw':
      case 'multicast_if':
      case 'add_membership':
      case 'drop_membership':
      case 'read_packets':
        continue;
    }
    if (!setOption(opts, kind, name, v)) return undefined;
  }
  // an IPv6 address makes an inet6 socket (an explicit inet6 is never undone)
  if (o.ip !== undefined && o.ip.length === 8) o.family = 'inet6';
  return o;
}

/** The address to bind for an open call: {ip, A}, else every interface of the family. */
export function bindAddress(o: OpenOptions): string {
  if (o.ip !== undefined) return nodeAddress(o.ip);
  return o.family === 'inet6' ? '::' : '0.0.0.0';
}

/** A host as gen_tcp:connect / gen_udp:send / inet:getaddr take it: an address tuple, a string or an atom. */
export function hostText(t: Term): { ip: Ip } | { name: string } | undefined {
  const ip = ipOf(t);
  if (ip !== undefined) return { ip };
  if (t instanceof Tuple) return undefined;
  const s = t instanceof Atom ? t.name : chardataString(t);
  if (s === undefined) return undefined;
  const parsed = parseAddress(s);
  return parsed !== undefined ? { ip: parsed } : { name: s };
}

/** The addresses of a host name in a family (the resolver's answer), or the POSIX reason it has none. */
export function resolve(name: string, family: Family): Promise<Ip[] | Atom> {
  return new Promise((done) => {
    lookup(name, { family: family === 'inet6' ? 6 : 4, all: true }, (err, addrs) => {
      if (err || addrs.length === 0) return done(atom('nxdomain'));
      const ips = addrs.map((a) => fromNodeAddress(a.address)).filter((x): x is Ip => x !== undefined);
      done(ips.length > 0 ? ips : atom('nxdomain'));
    });
  });
}

/** A host's address to connect or send to, as Node.js takes it, or the POSIX reason there is none. */
export async function hostAddress(host: { ip: Ip } | { name: string }, family: Family): Promise<string | Atom> {
  if ('ip' in host) {
    if (host.ip.length === 4 && family === 'inet6') return nodeAddress([0, 0, 0, 0, 0, 0xffff, host.ip[0] * 256 + host.ip[1], host.ip[2] * 256 + host.ip[3]]);
    if (host.ip.length === 8 && family === 'inet') return atom('einval');
    return nodeAddress(host.ip);
  }
  const r = await resolve(host.name, family);
  return r instanceof Atom ? r : nodeAddress(r[0]);
}

// ---------- services ----------

let services: { byName: Map<string, number>; byPort: Map<string, string> } | undefined;

function serviceTable(): NonNullable<typeof services> {
  if (services !== undefined) return services;
  services = { byName: new Map(), byPort: new Map() };
  let text = '';
  try {
    text = readFileSync('/etc/services', 'utf8');
  } catch {
    return services;
  }
  for (const line of text.split('\n')) {
    const m = /^([^\s#]+)\s+(\d+)\/(tcp|udp)((?:\s+[^\s#]+)*)/.exec(line);
    if (m === null) continue;
    const [, name, port, proto, aliases] = m;
    for (const n of [name, ...aliases.trim().split(/\s+/).filter(Boolean)]) {
      if (!services.byName.has(`${n}/${proto}`)) services.byName.set(`${n}/${proto}`, Number(port));
    }
    if (!services.byPort.has(`${port}/${proto}`)) services.byPort.set(`${port}/${proto}`, name);
  }
  return services;
}

/** A port number, or a service name (an atom or a string) looked up in /etc/services. */
export function servicePort(t: Term, proto: 'tcp' | 'udp'): number | undefined {
  if (typeof t === 'number') return Number.isInteger(t) && t >= 0 && t <= 65535 ? t : undefined;
  const name = t instanceof Atom ? t.name : chardataString(t);
  if (name === undefined) return undefined;
  return serviceTable().byName.get(`${name}/${proto}`);
}

/** inet:getservbyport/2: the service name of a port, if /etc/services has one. */
export function serviceName(port: number, proto: 'tcp' | 'udp'): string | undefined {
  return serviceTable().byPort.get(`${port}/${proto}`);
}
