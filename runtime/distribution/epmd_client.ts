// Talking to the port mapper (EPMD), as kernel's erl_epmd does:
//   register     ALIVE2_REQ on a socket kept open for the node's lifetime (closing it unregisters)
//   portPlease   PORT_PLEASE2_REQ: the distribution port of a node on some host
//   names        NAMES_REQ: what net_adm:names/0,1 lists
// (When nothing answers on the EPMD port, a node serves one itself: epmd_host.ts. When that node's
// process leaves with only terl nodes of other processes registered, its port mapper tells them on
// their ALIVE2 sockets to take it over: epmd_takeover.ts.)

import { connect, isIP } from 'node:net';
import type { Socket } from 'node:net';
import {
  NODE_TYPE_NORMAL,
  PROTOCOL_TCP_IPV4,
  alive2Req,
  epmdPort,
  namesReq,
  parseAlive2Reply,
  parseNamesText,
  parsePort2Resp,
  portPlease2Req,
} from './epmd_wire.js';
import type { NodeEntry } from './epmd_wire.js';
import { emitWire, tapped } from './wire_tap.js';
import { parseLeaving } from './epmd_takeover.js';
import type { PortMapperLeaving } from './epmd_takeover.js';

/** What is kept of the bytes that come after the ALIVE2 answer: a leaving message's table, bounded. */
const LEAVING_MAX = 1 << 20;

export type { NodeEntry } from './epmd_wire.js';
export { epmdPort } from './epmd_wire.js';

export class EpmdError extends Error {
  constructor(
    message: string,
    /** duplicate_name: the name is registered already; unreachable: nothing answers; protocol: a bad answer */
    readonly code: 'duplicate_name' | 'unreachable' | 'protocol' | 'closed' | 'timeout',
  ) {
    super(message);
    this.name = 'EpmdError';
  }
}

export interface EpmdOptions {
  /** the EPMD port (default: ERL_EPMD_PORT, else 4369) */
  port?: number;
  /** where this host's EPMD is reached (default: from ERL_EPMD_ADDRESS, else 127.0.0.1) */
  host?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * The address of this host's EPMD. EPMD always listens on loopback besides the addresses in
 * ERL_EPMD_ADDRESS, so loopback is right unless that list names only other addresses.
 */
export function localEpmdHost(env: NodeJS.ProcessEnv = process.env): string {
  const listed = (env.ERL_EPMD_ADDRESS ?? '')
    .split(/[,\s]+/)
    .map((a) => a.trim())
    .filter((a) => isIP(a) !== 0);
  if (listed.length === 0) return '127.0.0.1';
  return listed.find((a) => a.startsWith('127.') || a === '::1') ?? listed[0];
}

function endpoint(o: EpmdOptions): { host: string; port: number; timeoutMs: number } {
  const env = o.env ?? process.env;
  return { host: o.host ?? localEpmdHost(env), port: o.port ?? epmdPort(env), timeoutMs: o.timeoutMs ?? 5000 };
}

function connectTo(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new EpmdError(`no answer from EPMD at ${host}:${port}`, 'timeout'));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new EpmdError(`cannot connect to EPMD at ${host}:${port}: ${e.code ?? e.message}`, 'unreachable'));
    });
  });
}

/** Send one request and collect the answer until `parse` says it is complete (or EPMD closes). */
async function ask<T>(
  o: EpmdOptions,
  req: Uint8Array,
  parse: (bytes: Uint8Array, closed: boolean) => T | undefined,
): Promise<T> {
  const { host, port, timeoutMs } = endpoint(o);
  const s = await connectTo(host, port, timeoutMs);
  return new Promise<T>((resolve, reject) => {
    let got = new Uint8Array(0);
    let done = false;
    const finish = (f: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      f();
    };
    const timer = setTimeout(() => finish(() => reject(new EpmdError('EPMD did not answer in time', 'timeout'))), timeoutMs);
    const attempt = (closed: boolean): void => {
      try {
        const r = parse(got, closed);
        if (r !== undefined) finish(() => resolve(r));
        else if (closed) finish(() => reject(new EpmdError('EPMD closed the connection before answering', 'closed')));
      } catch (e) {
        finish(() => reject(new EpmdError((e as Error).message, 'protocol')));
      }
    };
    s.on('data', (d: Buffer) => {
      const b = new Uint8Array(got.length + d.length);
      b.set(got);
      b.set(d, got.length);
      got = b;
      attempt(false);
    });
    s.on('end', () => attempt(true));
    s.on('close', () => attempt(true));
    s.on('error', () => attempt(true));
    s.write(req);
  });
}

// ---------- ALIVE2 ----------

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export interface Registration {
  readonly name: string;
  /** the creation EPMD handed out: this node incarnation's pids, refs and ports carry it */
  readonly creation: number;
  /** the local port of the registration socket (the port mapper sees it as the node's remote port) */
  readonly localPort: number;
  /**
   * resolves when the registration socket closes (EPMD died or close() was called); with what the
   * port mapper said first if it was terl's telling its nodes to take it over (epmd_takeover.ts)
   */
  readonly closed: Promise<PortMapperLeaving | undefined>;
  /** unregister (close the socket) */
  close(): void;
}

export interface RegisterOptions extends EpmdOptions {
  /** 77 normal (what erl uses, hidden or not) or 72 hidden */
  nodeType?: number;
  highest?: number;
  lowest?: number;
  extra?: Uint8Array;
}

/** Register `name` (the alive part) listening on `listenPort`; the socket stays open while registered. */
export async function register(name: string, listenPort: number, o: RegisterOptions = {}): Promise<Registration> {
  const { host, port, timeoutMs } = endpoint(o);
  const s = await connectTo(host, port, timeoutMs);
  const entry: NodeEntry = {
    name,
    port: listenPort,
    nodeType: o.nodeType ?? NODE_TYPE_NORMAL,
    protocol: PROTOCOL_TCP_IPV4,
    // what OTP 25's erl_epmd sends: highest 6, lowest 5
    highest: o.highest ?? 6,
    lowest: o.lowest ?? 5,
    extra: o.extra ?? new Uint8Array(0),
  };
  return new Promise<Registration>((resolve, reject) => {
    let got = new Uint8Array(0);
    let answered = false;
    let closedResolve!: (leaving: PortMapperLeaving | undefined) => void;
    const closed = new Promise<PortMapperLeaving | undefined>((r) => (closedResolve = r));
    const timer = setTimeout(() => {
      s.destroy();
      reject(new EpmdError('EPMD did not answer ALIVE2_REQ in time', 'timeout'));
    }, timeoutMs);
    const onClose = (): void => {
      clearTimeout(timer);
      closedResolve(after !== undefined && after.length > 0 ? parseLeaving(after) : undefined);
      if (!answered) {
        answered = true;
        reject(new EpmdError('EPMD closed the connection before answering ALIVE2_REQ', 'closed'));
      }
    };
    s.on('close', onClose);
    s.on('error', () => s.destroy());
    /** what came after a successful answer: nothing, unless terl's port mapper says it leaves (read at close) */
    let after: Uint8Array | undefined;
    s.on('data', (d: Buffer) => {
      if (answered) {
        if (after !== undefined && after.length < LEAVING_MAX) after = concat(after, d);
        return;
      }
      got = concat(got, d);
      let r;
      try {
        r = parseAlive2Reply(got);
      } catch (e) {
        answered = true;
        clearTimeout(timer);
        s.destroy();
        reject(new EpmdError((e as Error).message, 'protocol'));
        return;
      }
      if (r === undefined) return;
      answered = true;
      clearTimeout(timer);
      if (tapped) {
        const answer = r.result !== 0 ? `refused (result ${r.result})` : `registered, creation ${r.creation}`;
        emitWire({ kind: 'epmd', host, node: name, request: `ALIVE2_REQ ${name} port ${listenPort}`, answer });
      }
      if (r.result !== 0) {
        s.destroy();
        reject(new EpmdError(`the name ${name} is already registered with EPMD`, 'duplicate_name'));
        return;
      }
      s.setNoDelay(true);
      after = got.slice(r.size);
      resolve({ name, creation: r.creation, localPort: s.localPort ?? 0, closed, close: () => s.destroy() });
    });
    s.write(alive2Req(entry));
  });
}

// ---------- PORT_PLEASE2 ----------

/** The registration of `name` at the EPMD on `host`, or undefined when no such node is registered. */
export async function portPlease(name: string, host: string, o: EpmdOptions = {}): Promise<NodeEntry | undefined> {
  const request = `PORT_PLEASE2_REQ ${name}`;
  let r;
  try {
    r = await ask({ ...o, host }, portPlease2Req(name), (b, closed) => {
      const p = parsePort2Resp(b);
      if (p === undefined && closed && b.length >= 2) throw new Error('truncated PORT2_RESP');
      return p;
    });
  } catch (e) {
    if (tapped) emitWire({ kind: 'epmd', host, node: `${name}@${host}`, request, answer: `no answer: ${(e as Error).message}` });
    throw e;
  }
  if (tapped) emitWire({ kind: 'epmd', host, node: `${name}@${host}`, request, answer: r ? `PORT2_RESP port ${r.port}` : 'PORT2_RESP not registered' });
  return r ?? undefined;
}

// ---------- NAMES ----------

export interface NamesAnswer {
  /** the port EPMD says it listens on */
  epmdPort: number;
  nodes: { name: string; port: number }[];
}

/** NAMES_REQ: the nodes registered at the EPMD on `host` (default: this host's). */
export async function names(o: EpmdOptions = {}): Promise<NamesAnswer> {
  const { host, port } = endpoint(o);
  const r = await ask(o, namesReq(), (b, closed) => {
    if (!closed) return undefined; // the answer ends when EPMD closes
    if (b.length < 4) throw new Error('short NAMES answer');
    const epmd = new DataView(b.buffer, b.byteOffset).getUint32(0);
    // erl_epmd refuses an answer from an EPMD that says it is on another port
    if (epmd !== port) throw new Error(`EPMD answered for port ${epmd}, not ${port}`);
    return { epmdPort: epmd, nodes: parseNamesText(new TextDecoder().decode(b.subarray(4))) };
  });
  if (tapped) emitWire({ kind: 'epmd', host, request: 'NAMES_REQ', answer: r.nodes.map((n) => `${n.name} at port ${n.port}`).join(', ') || 'no names' });
  return r;
}

// ---------- is one there ----------

/** Does anything accept connections on the EPMD port? */
export async function epmdAnswers(o: EpmdOptions = {}): Promise<boolean> {
  const { host, port } = endpoint(o);
  try {
    const s = await connectTo(host, port, o.timeoutMs ?? 1000);
    s.destroy();
    return true;
  } catch {
    return false;
  }
}
