// terl's own port mapper: the EPMD server side of the protocol, enough for real OTP nodes and the
// real `epmd` command-line client (epmd -names, -dump, -kill, -stop).
//
//   ALIVE2_REQ        register; the name is freed when that socket closes; a taken name gets result 1
//   PORT_PLEASE2_REQ  the registration of a name, or [119, 1]
//   NAMES_REQ         EpmdPort:32 and "name N at port P\n" lines
//   DUMP_REQ          EpmdPort:32 and "active name <N> at port P, fd = F\n" lines
//   KILL_REQ          "OK" and stop; "NO" while nodes are registered (like epmd, unless relaxed)
//   STOP_REQ          unregister a name: "STOPPED" / "NOEXIST" (only when relaxed, like epmd)
//
// Registering and the maintenance requests are accepted only from this host, as epmd does.
// "Relaxed" is epmd's -relaxed_command_check (env ERL_EPMD_RELAXED_COMMAND_CHECK).
//
// A port mapper can be handed to another process (epmd_handover.ts): its listening sockets, its
// registrations with their open sockets, and the creations it gave; the other side adopts them.
// When only terl nodes are left it is handed to one of them instead (epmd_takeover.ts).


import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import {
  EpmdOp,
  alive2Resp,
  alive2XResp,
  namesResp,
  parseAlive2Req,
  port2Resp,
} from './epmd_wire.js';
import type { NodeEntry } from './epmd_wire.js';
import { MAX_REQUEST, aliveName, portPleaseName } from './epmd_names.js';
import { keptCreation } from './epmd_takeover.js';

export interface EpmdServerOptions {
  /** 0 picks a free port */
  port: number;
  /** addresses to listen on (ERL_EPMD_ADDRESS); loopback is always added. Default: every interface. */
  addresses?: string[];
  /** allow KILL with registered nodes, and STOP (epmd -relaxed_command_check) */
  relaxed?: boolean;
  /** called after KILL was answered "OK" */
  onKill?: () => void;
  /** debug trace of each request */
  log?: (line: string) => void;
  /** false: listen on nothing yet, the listening sockets are adopted later (a hand-over) */
  listen?: boolean;
  /** the last creation a previous port mapper gave each name (a take-over: epmd_takeover.ts) */
  lastCreations?: [string, number][];
}

/** A registration as the port mapper keeps it, apart from its socket: what a hand-over carries. */
export interface RegistrationRecord extends NodeEntry {
  creation: number;
  /** a small number standing for the registration socket in DUMP (epmd shows its fd) */
  fd: number;
}

interface Registered extends RegistrationRecord {
  socket: Socket;
}

export interface EpmdServer {
  /** the port actually listened on */
  readonly port: number;
  /** registered nodes */
  nodes(): { name: string; port: number; creation: number }[];
  close(): Promise<void>;
  // ----- handing the port mapper over, and taking it over -----
  /** the listening sockets */
  listeners(): Server[];
  /** the registrations, with their open sockets */
  registrations(): { record: RegistrationRecord; socket: Socket }[];
  /** connections accepted that are no registration (yet): requests under way */
  requestsUnderWay(): number;
  /** stop accepting here (the listening sockets went to another process); registrations stay */
  stopListening(): void;
  /** the last creation given to each name, and the next DUMP number */
  creations(): { last: [string, number][]; nextFd: number };
  adoptCreations(c: { last: [string, number][]; nextFd: number }): void;
  /** take a registration over with its socket, as if its ALIVE2_REQ had come here */
  adopt(record: RegistrationRecord, socket: Socket): void;
  /** accept connections on a listening socket handed over from another process */
  serve(listener: Server): void;
}


function isLoopback(addr: string | undefined): boolean {
  if (addr === undefined) return false;
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

/** Listen addresses: the given ones plus loopback, or every interface. */
function listenAddresses(addresses: string[] | undefined): string[] {
  if (addresses === undefined || addresses.length === 0) return ['::'];
  const out = [...addresses];
  if (!out.some((a) => a.startsWith('127.'))) out.push('127.0.0.1');
  return [...new Set(out)];
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen({ port, host, ipv6Only: false }, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
}

/** The port mapper's state, and a method per request of the EPMD protocol. */
class PortMapper {
  private readonly registry = new Map<string, Registered>();
  private readonly lastCreation = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  readonly servers: Server[] = [];
  private nextFd = 3;
  private closing: Promise<void> | undefined;
  private readonly log: (text: string) => void;

  constructor(
    private readonly opts: EpmdServerOptions,
    public port: number,
  ) {
    this.log = opts.log ?? (() => {});
    for (const [name, c] of opts.lastCreations ?? []) this.lastCreation.set(name, c);
  }

  nodes(): { name: string; port: number; creation: number }[] {
    return [...this.registry.values()].map((e) => ({ name: e.name, port: e.port, creation: e.creation }));
  }

  /** A connection: one request, framed by a 2-byte length. */
  accept(s: Socket): void {
    if (this.closing) {
      s.destroy();
      return;
    }
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => s.destroy());
    let got = new Uint8Array(0);
    let handled = false;
    s.on('data', (d: Buffer) => {
      if (handled) return; // one request per connection; a registration socket just stays open
      const b = new Uint8Array(got.length + d.length);
      b.set(got);
      b.set(d, got.length);
      got = b;
      if (got.length < 2) return;
      const len = (got[0] << 8) | got[1];
      if (len === 0 || len > MAX_REQUEST) {
        s.destroy();
        return;
      }
      if (got.length < 2 + len) return;
      handled = true;
      this.request(s, got.subarray(2, 2 + len));
    });
  }

  private request(s: Socket, body: Uint8Array): void {
    const local = isLoopback(s.remoteAddress);
    const name = (): string => new TextDecoder().decode(body.subarray(1));
    let answered = true;
    switch (body[0]) {
      case EpmdOp.ALIVE2_REQ:
        this.alive2(s, body);
        break;
      case EpmdOp.PORT_PLEASE2_REQ: {
        // the name as epmd checks it (epmd_names.ts): a bad one gets "not found", or the socket closed
        const verdict = portPleaseName(body.subarray(1));
        if (verdict.ok) this.portPlease2(s, name());
        else if (verdict.answer) s.end(port2Resp(undefined));
        else answered = false;
        break;
      }
      case EpmdOp.NAMES_REQ:
        this.names(s);
        break;
      case EpmdOp.DUMP_REQ:
        answered = local && this.dump(s);
        break;
      case EpmdOp.KILL_REQ:
        answered = local && this.kill(s);
        break;
      case EpmdOp.STOP_REQ:
        answered = local && this.opts.relaxed === true && this.stop(s, name());
        break;
      default:
        answered = false;
    }
    // unknown or refused requests: hang up without an answer, as epmd does
    if (!answered) s.destroy();
  }

  /** A fresh 32-bit creation, never the one the name had last time (so old pids stay recognisably old). */
  private newCreation(name: string): number {
    let c: number;
    do c = 4 + Math.floor(Math.random() * (0x100000000 - 4));
    while (c === this.lastCreation.get(name));
    this.lastCreation.set(name, c);
    return c;
  }

  /** ALIVE2_REQ: register a node, for as long as this socket stays open (local nodes only). */
  private alive2(s: Socket, body: Uint8Array): void {
    const e = parseAlive2Req(body);
    if (e === undefined || !isLoopback(s.remoteAddress)) {
      s.destroy();
      return;
    }
    const extended = e.highest >= 6;
    // the name as epmd checks it (epmd_names.ts); a refusal carries creation 99, as epmd's
    const verdict = aliveName(body.subarray(11, 11 + ((body[9]! << 8) | body[10]!)));
    if (!verdict.ok) {
      this.log('ALIVE2_REQ refused: bad name');
      if (verdict.answer) s.write(extended ? alive2XResp(1, 99) : alive2Resp(1, 99));
      else s.destroy();
      return;
    }
    if (this.registry.has(e.name)) {
      this.log(`ALIVE2_REQ ${e.name}: name taken`);
      s.end(extended ? alive2XResp(1, 99) : alive2Resp(1, 99));
      return;
    }
    // a terl node registering again after a take-over keeps its creation: it is the name's last now
    const kept = keptCreation(e.extra);
    if (kept !== undefined) this.lastCreation.set(e.name, kept);
    const creation = kept ?? this.newCreation(e.name);
    const entry: Registered = { ...e, creation, socket: s, fd: this.nextFd++ };
    this.enter(entry);
    this.log(`ALIVE2_REQ ${e.name} port ${e.port} creation ${creation}`);
    // version 5 nodes get a 16-bit creation 1..3, as epmd gives them
    s.write(extended ? alive2XResp(0, creation) : alive2Resp(0, (creation % 3) + 1));
  }

  /** A registration lasts as long as its socket stays open. */
  private enter(entry: Registered): void {
    this.registry.set(entry.name, entry);
    entry.socket.on('close', () => {
      if (this.registry.get(entry.name) === entry) {
        this.registry.delete(entry.name);
        this.log(`unregistered ${entry.name}`);
      }
    });
  }

  // ----- hand-over (epmd_handover.ts) -----

  registrations(): { record: RegistrationRecord; socket: Socket }[] {
    return [...this.registry.values()].map(({ socket, ...record }) => ({ record, socket }));
  }

  requestsUnderWay(): number {
    const registered = new Set([...this.registry.values()].map((e) => e.socket));
    return [...this.sockets].filter((s) => !registered.has(s)).length;
  }

  stopListening(): void {
    for (const srv of this.servers.splice(0)) srv.close();
  }

  creations(): { last: [string, number][]; nextFd: number } {
    return { last: [...this.lastCreation], nextFd: this.nextFd };
  }

  adoptCreations(c: { last: [string, number][]; nextFd: number }): void {
    for (const [name, creation] of c.last) this.lastCreation.set(name, creation);
    this.nextFd = Math.max(this.nextFd, c.nextFd);
  }

  adopt(record: RegistrationRecord, socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // nothing more is expected from a registered node; what comes is read and dropped, as here
    socket.on('data', () => {});
    socket.setNoDelay(true);
    this.enter({ ...record, socket });
    this.log(`adopted ${record.name} port ${record.port} creation ${record.creation}`);
  }

  serve(listener: Server): void {
    this.servers.push(listener);
    listener.on('connection', (s: Socket) => this.accept(s));
  }

  /** PORT_PLEASE2_REQ: where a node listens. */
  private portPlease2(s: Socket, name: string): void {
    const e = this.registry.get(name);
    this.log(`PORT_PLEASE2_REQ ${name}: ${e ? e.port : 'not found'}`);
    s.end(port2Resp(e));
  }

  /** NAMES_REQ: the registered nodes, as epmd -names lists them. */
  private names(s: Socket): void {
    const lines = [...this.registry.values()].map((e) => `name ${e.name} at port ${e.port}\n`).join('');
    s.end(namesResp(this.port, lines));
  }

  /** DUMP_REQ (local only): the registrations with their descriptors, as epmd -dump. */
  private dump(s: Socket): boolean {
    const lines = [...this.registry.values()].map((e) => `active name     <${e.name}> at port ${e.port}, fd = ${e.fd}\n`).join('');
    s.end(namesResp(this.port, lines));
    return true;
  }

  /** KILL_REQ (local only): stop, unless nodes are registered (relaxed: even then). */
  private kill(s: Socket): boolean {
    if (this.registry.size > 0 && !this.opts.relaxed) {
      this.log('KILL_REQ refused: living nodes');
      s.end('NO');
      return true;
    }
    this.log('KILL_REQ');
    s.end('OK', () => {
      void this.close().then(() => this.opts.onKill?.());
    });
    return true;
  }

  /** STOP_REQ (local and relaxed only): drop a node's registration. */
  private stop(s: Socket, name: string): boolean {
    const e = this.registry.get(name);
    if (e === undefined) {
      s.end('NOEXIST');
      return true;
    }
    this.registry.delete(e.name);
    e.socket.destroy();
    s.end('STOPPED');
    return true;
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      for (const s of this.sockets) s.destroy();
      this.registry.clear();
      await Promise.all(this.servers.map((srv) => new Promise<void>((r) => srv.close(() => r()))));
    })();
    return this.closing;
  }
}

export async function startEpmdServer(opts: EpmdServerOptions): Promise<EpmdServer> {
  const pm = new PortMapper(opts, opts.port);
  try {
    for (const host of opts.listen === false ? [] : listenAddresses(opts.addresses)) {
      const srv = createServer((s) => pm.accept(s));
      try {
        await listen(srv, pm.port, host);
      } catch (e) {
        // no IPv6 on this host: every IPv4 interface instead
        if (host === '::' && (e as NodeJS.ErrnoException).code === 'EAFNOSUPPORT') await listen(srv, pm.port, '0.0.0.0');
        else throw e;
      }
      pm.servers.push(srv);
      pm.port = (srv.address() as AddressInfo).port; // later addresses share the port picked for the first
    }
  } catch (e) {
    await pm.close();
    throw e;
  }
  return {
    get port() {
      return pm.port;
    },
    nodes: () => pm.nodes(),
    close: () => pm.close(),
    listeners: () => [...pm.servers],
    registrations: () => pm.registrations(),
    requestsUnderWay: () => pm.requestsUnderWay(),
    stopListening: () => pm.stopListening(),
    creations: () => pm.creations(),
    adoptCreations: (c) => pm.adoptCreations(c),
    adopt: (record, socket) => pm.adopt(record, socket),
    serve: (listener) => pm.serve(listener),
  };
}
