// Where this host's port mapper lives when a node starting distribution finds none answering: in
// that node's own process, not in a process of its own. A separate Node process costs some 40 MB
// however little it does (the node binary's pages and a V8 heap); serving EPMD beside a running node
// costs that node a listening socket and a few objects.
//
// erl starts `epmd -daemon`, which outlives the node. Here the port mapper outlives the process that
// serves it by being handed on when that process leaves while nodes of other processes are
// registered:
//   - all of them terl nodes (their ALIVE2 Extra says so): the host stops listening and tells each
//     of them, on its registration socket, that the port mapper leaves (epmd_takeover.ts); each
//     serves one in its own process if none answers (the first to take the port wins, the others
//     register with it) and registers again, keeping its creation. The new host does the same when
//     it leaves, and so on: no process of its own ever serves the port mapper.
//   - any other (a real erl node, or anything without the mark): a daemon
//     (dist/epmd_daemon.cjs -handover) is spawned detached, gets the listening socket and every such
//     node's open registration (epmd_handover.ts), and goes on as `epmd -daemon` would.
// With only the process's own nodes registered, the port mapper ends with the process.
//
// A process killed outright (SIGKILL, a crash of Node itself) cannot hand anything over: the
// listening socket and the registrations close with it, and the other nodes lose their
// registration (a terl node logs `** EPMD closed the registration of ... **`) until they start
// distribution again. So does `epmd -kill` (when relaxed) of a port mapper with nodes registered.
//
// Which thread serves: terl's main thread (src/port_mapper.ts), which only draws the terminal and
// owns the process's exit, installs itself with setPortMapperPlace; elsewhere (tests running a node
// in their own thread) the port mapper is served in the thread that asks, and ends with it.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'node:net';
import { epmdAnswers, register } from './epmd_client.js';
import type { Registration } from './epmd_client.js';
import { NODE_TYPE_NORMAL, epmdPort } from './epmd_wire.js';
import { startEpmdServer } from './epmd_server.js';
import type { EpmdServer } from './epmd_server.js';
import { handOver } from './epmd_handover.js';
import { handToNodes, isTerlExtra, terlExtra } from './epmd_takeover.js';
import type { PortMapperLeaving } from './epmd_takeover.js';

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

  /** The registrations of nodes of other processes. */
  private others(): { record: { extra: Uint8Array }; socket: Socket }[] {
    return this.server.registrations().filter(({ socket }) => !socket.destroyed && this.othersSocket(socket));
  }

  /** Are nodes of other processes registered? */
  othersRegistered(): boolean {
    return this.others().length > 0;
  }

  /**
   * This process is leaving: with nodes of other processes registered, they get the port mapper
   * (true once it is handed on): the terl nodes among them take it over when they are all terl
   * nodes, else a detached daemon does. Otherwise the port mapper just ends (false).
   */
  async leave(script = epmdDaemonScript()): Promise<boolean> {
    // the process's own registrations close as it exits, and the listening socket with them
    const others = this.others();
    if (others.length === 0) return false;
    if (others.every(({ record }) => isTerlExtra(record.extra))) {
      await handToNodes(this.server, others.map(({ socket }) => socket));
      return true;
    }
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
export async function hostPortMapper(
  env: NodeJS.ProcessEnv,
  onKill?: () => void,
  leaving?: PortMapperLeaving,
): Promise<HostedPortMapper | undefined> {
  try {
    const server = await startEpmdServer({
      port: epmdPort(env),
      // taking over from a port mapper that left: the creations it gave
      lastCreations: leaving?.last,
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
  /**
   * serve a port mapper on the EPMD port of `env` (none answered); resolves once one answers.
   * `leaving`: what the port mapper that left said (this one takes over from it)
   */
  serve(env: NodeJS.ProcessEnv, leaving?: PortMapperLeaving): Promise<void>;
  /** a node of this process registered from this local port */
  registered(localPort: number): void;
}

/** No host installed: serve in this thread, for as long as it lives. */
function inThisThread(): PortMapperPlace {
  let hosted: Promise<HostedPortMapper | undefined> | undefined;
  return {
    async serve(env, leaving) {
      const h = (hosted ??= hostPortMapper(env, () => (hosted = undefined), leaving));
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
export async function ensurePortMapper(env: NodeJS.ProcessEnv = process.env, leaving?: PortMapperLeaving): Promise<void> {
  if (await epmdAnswers({ env })) return;
  await place.serve(env, leaving);
}

/** A node of this process registered with the port mapper from this local port. */
export function ownRegistration(localPort: number): void {
  place.registered(localPort);
}

// ---------- a node's registration ----------

/**
 * Register a node of this process listening on `listenPort` as `alive`, serving the port mapper here
 * if none answers. `again`: the node registers again after its port mapper left (epmd_takeover.ts),
 * keeping its creation.
 */
export async function registerNode(
  alive: string,
  listenPort: number,
  env: NodeJS.ProcessEnv,
  again?: { creation: number; leaving: PortMapperLeaving },
): Promise<Registration> {
  await ensurePortMapper(env, again?.leaving);
  const reg = await register(alive, listenPort, { env, nodeType: NODE_TYPE_NORMAL, extra: terlExtra(again?.creation) });
  ownRegistration(reg.localPort);
  return reg;
}

/** How often, and how far apart, a node told to take the port mapper over tries to register again. */
const TAKE_OVER_TRIES = 5;
const TAKE_OVER_PAUSE_MS = 200;

/**
 * The port mapper this node was registered with left, telling it to take over: register again (with
 * the port mapper this process now serves, or another told node's), a few times while none answers
 * yet. Undefined when every try failed.
 */
export async function registerAgain(
  alive: string,
  listenPort: number,
  env: NodeJS.ProcessEnv,
  creation: number,
  leaving: PortMapperLeaving,
): Promise<Registration | undefined> {
  for (let i = 0; i < TAKE_OVER_TRIES; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, TAKE_OVER_PAUSE_MS));
    try {
      return await registerNode(alive, listenPort, env, { creation, leaving });
    } catch {
      // no port mapper answers yet (another told node is starting one), or it refused: try again
    }
  }
  return undefined;
}
