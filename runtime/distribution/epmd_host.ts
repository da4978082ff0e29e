// Where this host's port mapper lives when a node starting distribution finds none answering: in
// that node's own process, not in a process of its own. A separate Node process costs some 40 MB
// however little it does (the node binary's pages and a V8 heap); serving EPMD beside a running node
// costs that node a listening socket and a few objects.
//
// erl starts `epmd -daemon`, which outlives the node. Here the port mapper outlives the process that
// serves it by being handed over when that process leaves while nodes of other processes are
// registered: a daemon (dist/epmd_daemon.cjs -handover) is spawned detached, gets the listening
// socket and every such node's open registration (epmd_handover.ts), and goes on as `epmd -daemon`
// would. With only the process's own nodes registered, the port mapper ends with the process.
//
// A process killed outright (SIGKILL, a crash of Node itself) cannot hand anything over: the
// listening socket and the registrations close with it, and the other nodes lose their
// registration (a terl node logs `** EPMD closed the registration of ... **`) until they start
// distribution again.
//
// Which thread serves: terl's main thread (src/port_mapper.ts), which only draws the terminal and
// owns the process's exit, installs itself with setPortMapperPlace; elsewhere (tests running a node
// in their own thread) the port mapper is served in the thread that asks, and ends with it.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'node:net';
import { epmdAnswers } from './epmd_client.js';
import { epmdPort } from './epmd_wire.js';
import { startEpmdServer } from './epmd_server.js';
import type { EpmdServer } from './epmd_server.js';
import { handOver } from './epmd_handover.js';

/** dist/epmd_daemon.cjs: next to the bundle that runs, or in the project's dist/ when running from source. */
export function epmdDaemonScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'epmd_daemon.cjs'), join(here, '..', '..', 'dist', 'epmd_daemon.cjs')];
  return candidates.find((c) => existsSync(c)) ?? candidates[candidates.length - 1];
}

/**
 * Node's flags for the daemon, which lives as long as the host's nodes and answers a few short
 * requests: no JIT (V8's compilers' code is never paged in, about 1 MB of resident memory less;
 * --no-expose-wasm because --jitless would otherwise warn that it turns WebAssembly off).
 */
export const EPMD_DAEMON_FLAGS = ['--jitless', '--no-expose-wasm'];

/** ERL_EPMD_ADDRESS as a list of addresses (loopback is added by the server). */
function listenAddresses(env: NodeJS.ProcessEnv): string[] | undefined {
  return env.ERL_EPMD_ADDRESS?.split(/[,\s]+/)
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/** A port mapper served in this process. */
export class HostedPortMapper {
  /** the local ports of this process's own nodes' registration sockets */
  private readonly own = new Set<number>();

  constructor(
    readonly server: EpmdServer,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** A node of this process registered from this local port: it ends with the process, it is not handed over. */
  ownRegistration(localPort: number): void {
    this.own.add(localPort);
  }

  private othersSocket = (s: Socket): boolean => s.remotePort === undefined || !this.own.has(s.remotePort);

  /** Are nodes of other processes registered? */
  othersRegistered(): boolean {
    return this.server.registrations().some(({ socket }) => !socket.destroyed && this.othersSocket(socket));
  }

  /**
   * This process is leaving: with nodes of other processes registered, a detached daemon takes the
   * port mapper over (true once it serves); otherwise the port mapper just ends (false).
   */
  async leave(script = epmdDaemonScript()): Promise<boolean> {
    // the process's own registrations close as it exits, and the listening socket with them
    if (!this.othersRegistered()) return false;
    const args = [...EPMD_DAEMON_FLAGS, script, '-handover', '-port', String(this.server.port)];
    const child = spawn(process.execPath, args, {
      // its own session, and no hold on the node's working directory, as `epmd -daemon`
      detached: true,
      cwd: '/',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: { ...this.env, ERL_EPMD_PORT: String(this.server.port) },
    });
    // a daemon that cannot start or dies is a failed hand-over, never an uncaught error
    child.on('error', () => {});
    try {
      await handOver(this.server, child, this.othersSocket);
      return true;
    } catch {
      child.kill();
      return false;
    } finally {
      if (child.connected) child.disconnect();
      child.unref();
    }
  }
}

/**
 * Serve the port mapper in this process, on the EPMD port `env` says. Undefined when another port
 * mapper took the port first (two nodes starting at once: the other one serves them both).
 * `onKill`: KILL_REQ (`epmd -kill`) stopped it; the node goes on.
 */
export async function hostPortMapper(env: NodeJS.ProcessEnv, onKill?: () => void): Promise<HostedPortMapper | undefined> {
  try {
    const server = await startEpmdServer({
      port: epmdPort(env),
      addresses: listenAddresses(env),
      relaxed: env.ERL_EPMD_RELAXED_COMMAND_CHECK !== undefined,
      onKill,
    });
    return new HostedPortMapper(server, env);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') return undefined;
    throw e;
  }
}

// ---------- where a node's port mapper is served ----------

/** Who serves the port mapper when none answers, and hears of this process's registrations. */
export interface PortMapperPlace {
  /** serve a port mapper on the EPMD port of `env` (none answered); resolves once one answers */
  serve(env: NodeJS.ProcessEnv): Promise<void>;
  /** a node of this process registered from this local port */
  registered(localPort: number): void;
}

/** No host installed: serve in this thread, for as long as it lives. */
function inThisThread(): PortMapperPlace {
  let hosted: Promise<HostedPortMapper | undefined> | undefined;
  return {
    async serve(env) {
      const h = (hosted ??= hostPortMapper(env, () => (hosted = undefined)));
      if ((await h) === undefined) hosted = undefined;
    },
    registered(localPort) {
      void hosted?.then((h) => h?.ownRegistration(localPort));
    },
  };
}

let place: PortMapperPlace = inThisThread();

/** terl's main thread serves the port mapper for its nodes (src/port_mapper.ts). */
export function setPortMapperPlace(p: PortMapperPlace): void {
  place = p;
}

/** Make sure a port mapper answers on this host's EPMD port: if none does, serve one in this process. */
export async function ensurePortMapper(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (await epmdAnswers({ env })) return;
  await place.serve(env);
}

/** A node of this process registered with the port mapper from this local port. */
export function ownRegistration(localPort: number): void {
  place.registered(localPort);
}
