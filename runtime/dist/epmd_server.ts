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

import { randomInt } from 'node:crypto';
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
}

interface Registered extends NodeEntry {
  creation: number;
  socket: Socket;
  /** a small number standing for the registration socket in DUMP (epmd shows its fd) */
  fd: number;
}

export interface EpmdServer {
  /** the port actually listened on */
  readonly port: number;
  /** registered nodes */
  nodes(): { name: string; port: number; creation: number }[];
  close(): Promise<void>;
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

export async function startEpmdServer(opts: EpmdServerOptions): Promise<EpmdServer> {
  const registry = new Map<string, Registered>();
  const lastCreation = new Map<string, number>();
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  let nextFd = 3;
  let port = opts.port;
  let closing: Promise<void> | undefined;
  const log = opts.log ?? (() => {});

  /** A fresh 32-bit creation, never the one the name had last time (so old pids stay recognisably old). */
  const newCreation = (name: string): number => {
    let c: number;
    do c = randomInt(4, 0x100000000);
    while (c === lastCreation.get(name));
    lastCreation.set(name, c);
    return c;
  };

  const reply = (s: Socket, bytes: Uint8Array | string): void => {
    s.end(bytes);
  };

  const alive2 = (s: Socket, body: Uint8Array): void => {
    const e = parseAlive2Req(body);
    if (e === undefined || !isLoopback(s.remoteAddress)) {
      s.destroy();
      return;
    }
    const extended = e.highest >= 6;
    // the name as epmd checks it (runtime/dist/epmd_names.ts); a refusal carries creation 99, as epmd's
    const verdict = aliveName(body.subarray(11, 11 + ((body[9] << 8) | body[10])));
    if (!verdict.ok) {
      log(`ALIVE2_REQ refused: bad name`);
      if (verdict.answer) s.write(extended ? alive2XResp(1, 99) : alive2Resp(1, 99));
      else s.destroy();
      return;
    }
    if (registry.has(e.name)) {
      log(`ALIVE2_REQ ${e.name}: name taken`);
      s.end(extended ? alive2XResp(1, 99) : alive2Resp(1, 99));
      return;
    }
    const creation = newCreation(e.name);
    const entry: Registered = { ...e, creation, socket: s, fd: nextFd++ };
    registry.set(e.name, entry);
    log(`ALIVE2_REQ ${e.name} port ${e.port} creation ${creation}`);
    // version 5 nodes get a 16-bit creation 1..3, as epmd gives them
    s.write(extended ? alive2XResp(0, creation) : alive2Resp(0, (creation % 3) + 1));
    // the registration lasts as long as this socket
    s.on('close', () => {
      if (registry.get(e.name) === entry) {
        registry.delete(e.name);
        log(`unregistered ${e.name}`);
      }
    });
  };

  const handle = (s: Socket, body: Uint8Array): void => {
    const op = body[0];
    const text = (): string => new TextDecoder().decode(body.subarray(1));
    switch (op) {
      case EpmdOp.ALIVE2_REQ:
        alive2(s, body);
        return;
      case EpmdOp.PORT_PLEASE2_REQ: {
        const verdict = portPleaseName(body.subarray(1));
        if (!verdict.ok) {
          if (verdict.answer) reply(s, port2Resp(undefined));
          else s.destroy();
          return;
        }
        const e = registry.get(text());
        log(`PORT_PLEASE2_REQ ${text()}: ${e ? e.port : 'not found'}`);
        reply(s, port2Resp(e));
        return;
      }
      case EpmdOp.NAMES_REQ: {
        const lines = [...registry.values()].map((e) => `name ${e.name} at port ${e.port}\n`).join('');
        reply(s, namesResp(port, lines));
        return;
      }
      case EpmdOp.DUMP_REQ: {
        if (!isLoopback(s.remoteAddress)) break;
        const lines = [...registry.values()].map((e) => `active name     <${e.name}> at port ${e.port}, fd = ${e.fd}\n`).join('');
        reply(s, namesResp(port, lines));
        return;
      }
      case EpmdOp.KILL_REQ: {
        if (!isLoopback(s.remoteAddress)) break;
        if (registry.size > 0 && !opts.relaxed) {
          log('KILL_REQ refused: living nodes');
          reply(s, 'NO');
          return;
        }
        log('KILL_REQ');
        s.end('OK', () => {
          void close().then(() => opts.onKill?.());
        });
        return;
      }
      case EpmdOp.STOP_REQ: {
        if (!isLoopback(s.remoteAddress) || !opts.relaxed) break;
        const e = registry.get(text());
        if (e === undefined) {
          reply(s, 'NOEXIST');
          return;
        }
        registry.delete(e.name);
        e.socket.destroy();
        reply(s, 'STOPPED');
        return;
      }
    }
    // unknown or refused requests: hang up without an answer, as epmd does
    s.destroy();
  };

  const onConnection = (s: Socket): void => {
    if (closing) {
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
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
      handle(s, got.subarray(2, 2 + len));
    });
  };

  const close = (): Promise<void> => {
    if (closing) return closing;
    closing = (async () => {
      for (const s of sockets) s.destroy();
      registry.clear();
      await Promise.all(servers.map((srv) => new Promise<void>((r) => srv.close(() => r()))));
    })();
    return closing;
  };

  try {
    for (const host of listenAddresses(opts.addresses)) {
      const srv = createServer(onConnection);
      try {
        await listen(srv, port, host);
      } catch (e) {
        // no IPv6 on this host: every IPv4 interface instead
        if (host === '::' && (e as NodeJS.ErrnoException).code === 'EAFNOSUPPORT') await listen(srv, port, '0.0.0.0');
        else throw e;
      }
      servers.push(srv);
      port = (srv.address() as AddressInfo).port; // later addresses share the port picked for the first
    }
  } catch (e) {
    await close();
    throw e;
  }

  return {
    get port() {
      return port;
    },
    nodes: () => [...registry.values()].map((e) => ({ name: e.name, port: e.port, creation: e.creation })),
    close,
  };
}
