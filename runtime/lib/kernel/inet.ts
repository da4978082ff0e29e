// Module inet: socket options and addresses (setopts/2, getopts/2, peername/1, sockname/1, port/1,
// getstat/1,2), names and addresses (getaddr/2, getaddrs/2, gethostname/0, gethostbyname/1,2,
// parse_address/1 and its kin, ntoa/1), and i/0,1, the table of the node's sockets.

import { putText } from '../stdlib/io_protocol.js';
import { hostname } from 'node:os';
import { Atom, NIL, Port, Term, Tuple, atom, charlist, list, tuple } from '../../vm/term.js';
import { ErlangException, erlError } from '../../vm/exception.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { awaitPromise } from '../../vm/scheduler.js';
import { trampoline } from '../../vm/abi.js';
import { codeServer } from '../../vm/code_server.js';
import { chardataString, fnClause, items, libFrame, str } from '../common.js';
import { formatPid } from '../stdlib/format/term.js';
import { openPorts, portOf } from '../../vm/port_table.js';
import { activeValue, getOption, optionPair, setOption, type Active } from './inet_options.js';
import { ipOf, ipTuple, ntoa, parseAddress, parseIpv4, parseIpv4Strict, parseIpv6, type Ip } from './inet_address.js';
import { hostText, resolve, serviceName, type Family } from './inet_open.js';
import { InetPort, error, OK } from './inet_socket.js';

const M = 'inet';

/**
 * function_clause from prim_inet (compiled without line information), called from inet's
 * `caller` (name, arity, line) unless inet called it last.
 */
function primClause(fn: string, args: Term[], caller?: [string, number, number]): ErlangException {
  const frames: Term[] = [tuple(atom('prim_inet'), atom(fn), list(args), NIL)];
  if (caller !== undefined) frames.push(libFrame(M, caller[0], caller[1], caller[2]));
  return erlError(atom('function_clause'), list(frames));
}

/** The socket a port names (undefined when it is closed); function_clause for a non-port. */
function socketOf(s: Term, fn: string, args: Term[], caller?: [string, number, number]): InetPort | undefined {
  if (!(s instanceof Port)) throw primClause(fn, args, caller);
  const p = portOf(s);
  return p instanceof InetPort ? p : undefined;
}

// ---------- options ----------

defineGenBif(M, 'setopts', 2, function* (s: Term, opts: Term) {
  const sock = socketOf(s, 'setopts', [s, opts]);
  const given = items(opts);
  if (given === undefined) {
    // inet:setopts/2 runs a list comprehension over the options first
    const at = libFrame(M, 'setopts', 2, 401);
    throw erlError(tuple(atom('bad_generator'), opts), list([libFrame(M, '-setopts/2-lc$^0/1-0-', 1, 401), at]));
  }
  if (sock === undefined) return error('einval');
  // every option is checked before any takes effect, as the driver does
  const next = { ...sock.opts, linger: [...sock.opts.linger] as [boolean, number] };
  let active: Active | undefined;
  for (const x of given) {
    const pair = optionPair(x);
    if (pair === undefined) return error('einval');
    const [name, v] = pair;
    if (name === 'active') {
      active = activeValue(v);
      if (active === undefined) return error('einval');
    } else if (!setOption(next, sock.kind, name, v)) return error('einval');
  }
  next.active = sock.opts.active;
  sock.opts = next;
  if (active !== undefined) sock.setActive(active);
  sock.optionsChanged();
  return OK;
});

defineGenBif(M, 'getopts', 2, function* (s: Term, names: Term) {
  const sock = socketOf(s, 'getopts', [s, names], ['getopts', 2, 414]);
  const want = items(names);
  if (want === undefined) throw primClause('getopts', [s, names], ['getopts', 2, 414]);
  if (sock === undefined) return error('einval');
  const out: Term[] = [];
  for (const n of want) {
    if (!(n instanceof Atom)) return error('einval');
    // (an IPv4 socket has no ipv6_v6only to show: erl leaves it out)
    if (n.name === 'ipv6_v6only' && sock.family === 'inet') continue;
    const v = getOption(sock.opts, sock.kind, n.name);
    if (v === undefined) return error('einval');
    out.push(tuple(n, v));
  }
  return tuple(OK, list(out));
});

defineGenBif(M, 'peername', 1, function* (s: Term) {
  const sock = socketOf(s, 'peername', [s]);
  return sock === undefined ? error('einval') : sock.peername();
});

defineGenBif(M, 'sockname', 1, function* (s: Term) {
  const sock = socketOf(s, 'sockname', [s]);
  return sock === undefined ? error('einval') : sock.sockname();
});

defineGenBif(M, 'port', 1, function* (s: Term) {
  const sock = socketOf(s, 'sockname', [s], ['port', 1, 377]);
  if (sock === undefined) return error('einval');
  const r = sock.sockname();
  if (r instanceof Tuple && r.elements[0] === OK) return tuple(OK, (r.elements[1] as Tuple).elements[1]);
  return r;
});

const STATS = ['recv_oct', 'recv_cnt', 'recv_max', 'recv_avg', 'recv_dvi', 'send_oct', 'send_cnt', 'send_max', 'send_avg', 'send_pend'];

function stat(sock: InetPort, name: string): Term | undefined {
  switch (name) {
    case 'recv_oct':
      return sock.input;
    case 'send_oct':
      return sock.output;
    case 'recv_cnt':
    case 'recv_max':
    case 'recv_avg':
    case 'recv_dvi':
    case 'send_cnt':
    case 'send_max':
    case 'send_avg':
    case 'send_pend':
      return 0;
  }
  return undefined;
}

function getstat(s: Term, names: Term[]): Term {
  const sock = socketOf(s, 'getstat', [s]);
  if (sock === undefined) return error('einval');
  const out: Term[] = [];
  for (const n of names) {
    const v = n instanceof Atom ? stat(sock, n.name) : undefined;
    if (v === undefined) return error('einval');
    out.push(tuple(n, v));
  }
  return tuple(OK, list(out));
}

defineGenBif(M, 'getstat', 1, function* (s: Term) {
  return getstat(s, STATS.map((n) => atom(n)));
});
defineGenBif(M, 'getstat', 2, function* (s: Term, names: Term) {
  const want = items(names);
  if (want === undefined) return error('einval');
  return getstat(s, want);
});

// ---------- names and addresses ----------

function family(t: Term): Family | undefined {
  return t instanceof Atom && (t.name === 'inet' || t.name === 'inet6') ? t.name : undefined;
}

function fitsFamily(ip: Ip, f: Family): Ip | undefined {
  if (ip.length === 4) return f === 'inet' ? ip : [0, 0, 0, 0, 0, 0xffff, ip[0] * 256 + ip[1], ip[2] * 256 + ip[3]];
  return f === 'inet6' ? ip : undefined;
}

function* getaddrs(host: Term, fam: Term): Generator<unknown, Ip[] | Atom, unknown> {
  const f = family(fam);
  const h = hostText(host);
  if (f === undefined || h === undefined) return atom('einval');
  if ('ip' in h) {
    const ip = fitsFamily(h.ip, f);
    return ip === undefined ? atom('nxdomain') : [ip];
  }
  return yield* awaitPromise(resolve(h.name, f));
}

defineGenBif(M, 'getaddr', 2, function* (host: Term, fam: Term) {
  const r = yield* getaddrs(host, fam);
  return r instanceof Atom ? error(r) : tuple(OK, ipTuple(r[0]));
});

defineGenBif(M, 'getaddrs', 2, function* (host: Term, fam: Term) {
  const r = yield* getaddrs(host, fam);
  return r instanceof Atom ? error(r) : tuple(OK, list(r.map(ipTuple)));
});

defineBif(M, 'gethostname', 0, () => tuple(OK, str(hostname().split('.')[0])));

function* gethostbyname(name: Term, fam: Term): Generator<unknown, Term, unknown> {
  const f = family(fam);
  if (f === undefined || ipOf(name) !== undefined) return error('einval');
  const text = name instanceof Atom ? name.name : chardataString(name);
  if (text === undefined) return error('einval');
  const parsed = parseAddress(text);
  const r = parsed !== undefined ? [fitsFamily(parsed, f)].filter((x): x is Ip => x !== undefined) : yield* awaitPromise(resolve(text, f));
  if (r instanceof Atom) return error(r);
  if (r.length === 0) return error('nxdomain');
  return tuple(OK, tuple(atom('hostent'), str(text), list([]), atom(f), f === 'inet' ? 4 : 16, list(r.map(ipTuple))));
}

defineGenBif(M, 'gethostbyname', 1, function* (name: Term) {
  return yield* gethostbyname(name, atom('inet'));
});
defineGenBif(M, 'gethostbyname', 2, gethostbyname);

function parser(fn: (text: string) => Ip | undefined): (t: Term) => Term {
  return (t: Term) => {
    const text = t instanceof Tuple || t instanceof Atom ? undefined : chardataString(t);
    const ip = text === undefined ? undefined : fn(text);
    return ip === undefined ? error('einval') : tuple(OK, ipTuple(ip));
  };
}

defineBif(M, 'parse_address', 1, parser(parseAddress));
defineBif(M, 'parse_strict_address', 1, parser((s) => parseIpv4Strict(s) ?? parseIpv6(s)));
defineBif(M, 'parse_ipv4_address', 1, parser(parseIpv4));
defineBif(M, 'parse_ipv4strict_address', 1, parser(parseIpv4Strict));
defineBif(M, 'parse_ipv6_address', 1, parser((s) => {
  const v4 = parseIpv4(s);
  return v4 !== undefined ? fitsFamily(v4, 'inet6') : parseIpv6(s);
}));
defineBif(M, 'parse_ipv6strict_address', 1, parser(parseIpv6));

defineBif(M, 'ntoa', 1, (t: Term) => {
  const ip = ipOf(t);
  return ip === undefined ? error('einval') : charlist(ntoa(ip));
});

defineBif(M, 'is_ipv4_address', 1, (t: Term) => atom(String(ipOf(t)?.length === 4)));
defineBif(M, 'is_ipv6_address', 1, (t: Term) => atom(String(ipOf(t)?.length === 8)));
defineBif(M, 'is_ip_address', 1, (t: Term) => atom(String(ipOf(t) !== undefined)));

defineBif(M, 'getservbyport', 2, (port: Term, proto: Term) => {
  const p = proto instanceof Atom ? proto.name : chardataString(proto);
  const n = typeof port === 'number' && (p === 'tcp' || p === 'udp') ? serviceName(port, p) : undefined;
  return n === undefined ? error('einval') : tuple(OK, str(n));
});

// ---------- i/0: the node's sockets ----------

const COLUMNS = ['port', 'module', 'recv', 'sent', 'owner', 'local_address', 'foreign_address', 'state', 'type'];

/** An address as inet:i shows it: * for any, localhost for loopback, the service name for a port. */
function shownAddress(r: Term, proto: 'tcp' | 'udp'): string {
  if (!(r instanceof Tuple)) return ' ';
  if (r.elements[0] !== OK) return r.elements[1] === atom('enotconn') ? '*:*' : ' ';
  const [ipT, port] = (r.elements[1] as Tuple).elements;
  const ip = ipOf(ipT)!;
  const p = serviceName(port as number, proto) ?? String(port);
  if (ip.every((x) => x === 0)) return '*:' + p;
  if ((ip.length === 4 && ip.join('.') === '127.0.0.1') || (ip.length === 8 && ip.slice(0, 7).every((x) => x === 0) && ip[7] === 1)) return 'localhost:' + p;
  return ntoa(ip) + ':' + p;
}

/** erl's socket state text for a set of status flags (prim_inet:getstatus). */
function shownStatus(flags: string[]): string {
  const sorted = [...flags].sort();
  const key = sorted.join(',');
  if (sorted[0] === 'accepting') return 'ACCEPTING';
  if (key.startsWith('bound,busy,connected')) return 'CONNECTED(BB)';
  if (key.startsWith('bound,connected')) return 'CONNECTED(B)';
  if (key.startsWith('bound,listen,listening')) return 'LISTENING';
  if (key.startsWith('bound,listen')) return 'LISTEN';
  if (key.startsWith('bound,connecting')) return 'CONNECTING';
  if (key === 'bound,open') return 'BOUND';
  if (key === 'connected,open') return 'CONNECTED(O)';
  if (key === 'open') return 'IDLE';
  if (key === '') return 'CLOSED';
  const short: Record<string, string> = { accepting: 'A', bound: 'BD', busy: 'BY', connected: 'CD', connecting: 'CG', listen: 'LN', listening: 'LG', open: 'O', selected: 'SD' };
  return sorted.map((f) => short[f] ?? f.toUpperCase()).join(':');
}

function column(sock: InetPort, c: string, proto: 'tcp' | 'udp'): string {
  switch (c) {
    case 'port':
      return String(sock.id);
    case 'module':
      return proto === 'tcp' ? (sock.family === 'inet6' ? 'inet6_tcp' : 'inet_tcp') : sock.family === 'inet6' ? 'inet6_udp' : 'inet_udp';
    case 'recv':
      return String(sock.input);
    case 'sent':
      return String(sock.output);
    case 'owner':
      return formatPid(sock.owner.pid);
    case 'local_address':
      return shownAddress(sock.sockname(), proto);
    case 'foreign_address':
      return shownAddress(sock.peername(), proto);
    case 'state':
      return shownStatus(sock.status);
    case 'type':
      return proto === 'tcp' ? 'STREAM' : 'DGRAM';
  }
  return ' ';
}

/** The table inet:i(Proto) prints: a header and a line per socket, each column as wide as its widest cell. */
function table(proto: 'tcp' | 'udp'): string {
  const socks = openPorts().filter((p): p is InetPort => p instanceof InetPort && p.kind === proto);
  if (socks.length === 0) return '';
  const header = COLUMNS.map((c) => c.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' '));
  const rows = [header, ...socks.map((s) => COLUMNS.map((c) => column(s, c, proto)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]) + ' ').join('') + '\n').join('');
}


defineGenBif(M, 'i', 0, function* () {
  yield* putText(table('tcp') + table('udp'));
  return OK;
});

defineGenBif(M, 'i', 1, function* (proto: Term) {
  if (proto instanceof Atom && (proto.name === 'tcp' || proto.name === 'udp')) yield* putText(table(proto.name));
  else if (!(proto instanceof Atom && proto.name === 'sctp')) throw fnClause(M, 'i', [proto], 1918);
  return OK;
});
