// Socket options as inet:setopts/2 and inet:getopts/2 (and gen_tcp/gen_udp's open calls) take and
// show them, with erl's defaults. The options that act on the OS socket (nodelay, keepalive, the
// buffer sizes) are applied by the socket (runtime/lib/kernel/inet_socket.ts) after they change.

import { Atom, Term, Tuple, atom, tuple, TRUE, FALSE } from '../../vm/term.js';
import type { PacketType } from '../erts/packet.js';

/** {active, _}: a count stands for {active, N} with N messages left. */
export type Active = boolean | 'once' | number;

export interface SocketOptions {
  active: Active;
  binary: boolean;
  packet: PacketType;
  header: number;
  packetSize: number;
  exitOnClose: boolean;
  /** milliseconds, or Infinity */
  sendTimeout: number;
  sendTimeoutClose: boolean;
  nodelay: boolean;
  reuseaddr: boolean;
  keepalive: boolean;
  delaySend: boolean;
  buffer: number;
  recbuf: number;
  sndbuf: number;
  lineDelimiter: number;
  showEconnreset: boolean;
  deliverPort: boolean;
  highWatermark: number;
  lowWatermark: number;
  highMsgqWatermark: number;
  lowMsgqWatermark: number;
  linger: [boolean, number];
  priority: number;
  tos: number;
  broadcast: boolean;
  multicastTtl: number;
  multicastLoop: boolean;
}

export function tcpDefaults(): SocketOptions {
  return {
    active: true,
    binary: false,
    packet: 'raw',
    header: 0,
    packetSize: 0,
    exitOnClose: true,
    sendTimeout: Infinity,
    sendTimeoutClose: false,
    nodelay: false,
    reuseaddr: false,
    keepalive: false,
    delaySend: false,
    buffer: 1460,
    recbuf: 131072,
    sndbuf: 2626560,
    lineDelimiter: 10,
    showEconnreset: false,
    deliverPort: false,
    highWatermark: 8192,
    lowWatermark: 4096,
    highMsgqWatermark: 8192,
    lowMsgqWatermark: 4096,
    linger: [false, 0],
    priority: 0,
    tos: 0,
    broadcast: false,
    multicastTtl: 1,
    multicastLoop: true,
  };
}

export function udpDefaults(): SocketOptions {
  return { ...tcpDefaults(), buffer: 8192, recbuf: 16384, sndbuf: 212992 };
}

export type Kind = 'tcp' | 'udp';

const isInt = (v: Term): v is number => typeof v === 'number' && Number.isInteger(v);
const isBool = (v: Term): boolean => v === TRUE || v === FALSE;
const INFINITY = atom('infinity');
const ONCE = atom('once');

function packetType(v: Term): PacketType | undefined {
  if (v === 0 || (v instanceof Atom && v.name === 'raw')) return 'raw';
  if (v === 1 || v === 2 || v === 4) return v;
  if (v instanceof Atom && v.name === 'line') return 'line';
  return undefined;
}

/** The value an {active, _} option gives (counts not yet added up), or undefined. */
export function activeValue(v: Term): Active | undefined {
  if (v === TRUE) return true;
  if (v === FALSE) return false;
  if (v === ONCE) return 'once';
  if (isInt(v) && v >= -32768 && v <= 32767) return v;
  return undefined;
}

/**
 * Set option `name` to `v` in `o`; false when the socket kind does not take it or the value is
 * bad (setopts then answers {error, einval}). {active, N} is not handled here (see activeValue).
 */
export function setOption(o: SocketOptions, kind: Kind, name: string, v: Term): boolean {
  const b = v === TRUE;
  switch (name) {
    case 'mode':
      if (!(v instanceof Atom) || (v.name !== 'binary' && v.name !== 'list')) return false;
      o.binary = v.name === 'binary';
      return true;
    case 'packet': {
      const t = packetType(v);
      if (t === undefined) return false;
      o.packet = t;
      return true;
    }
    case 'header':
      if (!isInt(v) || v < 0) return false;
      o.header = v;
      return true;
    case 'packet_size':
      if (!isInt(v) || v < 0 || v > 0x7fffffff) return false;
      o.packetSize = v;
      return true;
    case 'buffer':
      if (!isInt(v) || v < 0) return false;
      o.buffer = v;
      return true;
    case 'recbuf':
    case 'sndbuf':
      if (!isInt(v) || v < 0) return false;
      // Linux doubles what it is given (for its own bookkeeping), and getopts shows that
      if (name === 'recbuf') o.recbuf = v * 2;
      else o.sndbuf = v * 2;
      return true;
    case 'reuseaddr':
      if (!isBool(v)) return false;
      o.reuseaddr = b;
      return true;
    case 'priority':
    case 'tos':
      if (!isInt(v) || v < 0) return false;
      if (name === 'priority') o.priority = v;
      else o.tos = v;
      return true;
    case 'deliver':
      if (!(v instanceof Atom) || (v.name !== 'port' && v.name !== 'term')) return false;
      o.deliverPort = v.name === 'port';
      return true;
    case 'broadcast':
      if (kind !== 'udp' || !isBool(v)) return false;
      o.broadcast = b;
      return true;
    case 'multicast_ttl':
      if (kind !== 'udp' || !isInt(v) || v < 0 || v > 255) return false;
      o.multicastTtl = v;
      return true;
    case 'multicast_loop':
      if (kind !== 'udp' || !isBool(v)) return false;
      o.multicastLoop = b;
      return true;
  }
  if (kind !== 'tcp') return false;
  switch (name) {
    case 'nodelay':
      if (!isBool(v)) return false;
      o.nodelay = b;
      return true;
    case 'keepalive':
      if (!isBool(v)) return false;
      o.keepalive = b;
      return true;
    case 'exit_on_close':
      if (!isBool(v)) return false;
      o.exitOnClose = b;
      return true;
    case 'send_timeout':
      if (v === INFINITY) o.sendTimeout = Infinity;
      else if (isInt(v) && v >= 0) o.sendTimeout = v;
      else return false;
      return true;
    case 'send_timeout_close':
      if (!isBool(v)) return false;
      o.sendTimeoutClose = b;
      return true;
    case 'delay_send':
      if (!isBool(v)) return false;
      o.delaySend = b;
      return true;
    case 'show_econnreset':
      if (!isBool(v)) return false;
      o.showEconnreset = b;
      return true;
    case 'line_delimiter':
      if (!isInt(v) || v < 0 || v > 255) return false;
      o.lineDelimiter = v;
      return true;
    case 'high_watermark':
    case 'low_watermark':
    case 'high_msgq_watermark':
    case 'low_msgq_watermark':
      if (!isInt(v) || v < 0) return false;
      if (name === 'high_watermark') o.highWatermark = v;
      else if (name === 'low_watermark') o.lowWatermark = v;
      else if (name === 'high_msgq_watermark') o.highMsgqWatermark = v;
      else o.lowMsgqWatermark = v;
      return true;
    case 'linger':
      if (!(v instanceof Tuple) || v.elements.length !== 2 || !isBool(v.elements[0]) || !isInt(v.elements[1]) || v.elements[1] < 0) return false;
      o.linger = [v.elements[0] === TRUE, v.elements[1]];
      return true;
  }
  return false;
}

/** The value getopts shows for `name`, or undefined when the socket kind has no such option. */
export function getOption(o: SocketOptions, kind: Kind, name: string): Term | undefined {
  switch (name) {
    case 'active':
      return typeof o.active === 'number' ? o.active : o.active === 'once' ? ONCE : o.active ? TRUE : FALSE;
    case 'mode':
      return atom(o.binary ? 'binary' : 'list');
    case 'packet':
      return o.packet === 'raw' ? 0 : o.packet === 'line' ? atom('line') : o.packet;
    case 'header':
      return o.header;
    case 'packet_size':
      return o.packetSize;
    case 'buffer':
      return o.buffer;
    case 'recbuf':
      return o.recbuf;
    case 'sndbuf':
      return o.sndbuf;
    case 'reuseaddr':
      return o.reuseaddr ? TRUE : FALSE;
    case 'priority':
      return o.priority;
    case 'tos':
      return o.tos;
    case 'deliver':
      return atom(o.deliverPort ? 'port' : 'term');
  }
  if (kind === 'udp') {
    switch (name) {
      case 'broadcast':
        return o.broadcast ? TRUE : FALSE;
      case 'multicast_ttl':
        return o.multicastTtl;
      case 'multicast_loop':
        return o.multicastLoop ? TRUE : FALSE;
    }
    return undefined;
  }
  switch (name) {
    case 'nodelay':
      return o.nodelay ? TRUE : FALSE;
    case 'keepalive':
      return o.keepalive ? TRUE : FALSE;
    case 'exit_on_close':
      return o.exitOnClose ? TRUE : FALSE;
    case 'send_timeout':
      return o.sendTimeout === Infinity ? INFINITY : o.sendTimeout;
    case 'send_timeout_close':
      return o.sendTimeoutClose ? TRUE : FALSE;
    case 'delay_send':
      return o.delaySend ? TRUE : FALSE;
    case 'show_econnreset':
      return o.showEconnreset ? TRUE : FALSE;
    case 'line_delimiter':
      return o.lineDelimiter;
    case 'high_watermark':
      return o.highWatermark;
    case 'low_watermark':
      return o.lowWatermark;
    case 'high_msgq_watermark':
      return o.highMsgqWatermark;
    case 'low_msgq_watermark':
      return o.lowMsgqWatermark;
    case 'linger':
      return tuple(o.linger[0] ? TRUE : FALSE, o.linger[1]);
  }
  return undefined;
}

/** An option list item as {Name, Value}: `binary`/`list` are {mode, _}; undefined when neither form. */
export function optionPair(x: Term): [string, Term] | undefined {
  if (x instanceof Atom) {
    if (x.name === 'binary' || x.name === 'list') return ['mode', x];
    return undefined;
  }
  if (x instanceof Tuple && x.elements.length === 2 && x.elements[0] instanceof Atom) return [x.elements[0].name, x.elements[1]];
  return undefined;
}
