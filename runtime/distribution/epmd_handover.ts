// Handing a running port mapper to another process, so that no registered node notices: what
// `epmd -daemon` gives erl (a port mapper that outlives the node that started it), for a port
// mapper a terl node served in its own process (epmd_host.ts), when a node other than terl's (a real
// erl) is among those registered; terl nodes alone take it over themselves (epmd_takeover.ts).
//
// The host and the daemon it spawned (dist/epmd_daemon.cjs -handover) talk over Node's IPC channel,
// which passes open sockets along with messages (SCM_RIGHTS): the kernel's sockets move, so a
// registered node's ALIVE2 connection never closes and the listening socket never stops accepting.
//
//   daemon → host   ready                       the daemon's port mapper exists, listening on nothing
//   host → daemon   registration + its socket   one per registered node of another process
//                   listener + its socket       each listening socket; the host closes its copy once sent
//                   registration + its socket   the registrations that came in meanwhile
//                   done                        how many of each were sent, and the creations given so far
//   daemon → host   adopted                     the daemon serves; both sides drop the channel
//
// Registrations go before the listening sockets, so the daemon answers NAMES and PORT_PLEASE2 from
// its first connection as the host did. Until the host's copy of a listening socket is closed both
// processes accept on it, and both know every registration; the host finishes the requests it took.

import type { ChildProcess } from 'node:child_process';
import type { Server, Socket } from 'node:net';
import type { EpmdServer, RegistrationRecord } from './epmd_server.js';

/** A registration as it travels (the IPC channel carries JSON: the extra bytes as numbers). */
interface RecordText extends Omit<RegistrationRecord, 'extra'> {
  extra: number[];
}

/** host → daemon */
type ToDaemon =
  | { t: 'registration'; record: RecordText }
  | { t: 'listener' }
  | { t: 'done'; registrations: number; listeners: number; last: [string, number][]; nextFd: number };

/** daemon → host */
type ToHost = { t: 'ready' } | { t: 'adopted' };

/** How long the requests the host accepted may take to finish before it hands the rest over. */
const REQUESTS_GRACE_MS = 1000;

/** The requests a port mapper that stopped listening had accepted are answered (or took too long). */
export async function requestsFinished(server: EpmdServer): Promise<void> {
  const end = Date.now() + REQUESTS_GRACE_MS;
  while (server.requestsUnderWay() > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

function sendWith(child: ChildProcess, msg: ToDaemon, handle?: Socket | Server): Promise<void> {
  return new Promise((resolve, reject) => {
    child.send(msg, handle, {}, (e) => (e ? reject(e) : resolve()));
  });
}

function reply(child: ChildProcess, t: ToHost['t'], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`the port mapper's daemon did not answer (${t})`)), timeoutMs);
    const onMessage = (m: ToHost): void => {
      if (m?.t === t) done();
    };
    const onExit = (): void => done(new Error('the port mapper daemon exited during the hand-over'));
    const onError = (e: Error): void => done(e);
    const done = (e?: Error): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
      if (e) reject(e);
      else resolve();
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    // it could not be started (no node binary, no daemon script)
    child.once('error', onError);
  });
}

/**
 * The host's side: hand `server`'s listening sockets and the registrations `handed` picks (those of
 * nodes in other processes) to `child`, a daemon started with an IPC channel. Resolves once the
 * daemon serves them; the host's port mapper then listens on nothing.
 */
export async function handOver(server: EpmdServer, child: ChildProcess, handed: (socket: Socket) => boolean, timeoutMs = 5000): Promise<void> {
  await reply(child, 'ready', timeoutMs);
  const sent = new Set<Socket>();
  const sendRegistrations = async (): Promise<void> => {
    for (const { record, socket } of server.registrations()) {
      if (sent.has(socket) || socket.destroyed || !handed(socket)) continue;
      sent.add(socket);
      await sendWith(child, { t: 'registration', record: { ...record, extra: [...record.extra] } }, socket);
    }
  };
  await sendRegistrations();
  const listeners = server.listeners();
  for (const l of listeners) await sendWith(child, { t: 'listener' }, l);
  // the daemon holds the listening sockets now: close ours, finish what we accepted
  server.stopListening();
  await requestsFinished(server);
  await sendRegistrations();
  const { last, nextFd } = server.creations();
  const adopted = reply(child, 'adopted', timeoutMs);
  await sendWith(child, { t: 'done', registrations: sent.size, listeners: listeners.length, last, nextFd });
  await adopted;
}

/**
 * The daemon's side: adopt what the host hands over into `server` (made with listen: false), over
 * this process's IPC channel. Resolves once everything announced has arrived and the host is told.
 */
export function takeOver(server: EpmdServer): Promise<void> {
  return new Promise((resolve, reject) => {
    let registrations = 0;
    let listeners = 0;
    let done: Extract<ToDaemon, { t: 'done' }> | undefined;
    const finish = (): void => {
      // a listening socket arrives a moment after its message was read (Node listens on it first)
      if (done === undefined || registrations < done.registrations || listeners < done.listeners) return;
      server.adoptCreations(done);
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      process.send!({ t: 'adopted' } satisfies ToHost, undefined, {}, () => {
        process.disconnect();
        resolve();
      });
    };
    const onMessage = (m: ToDaemon, handle: unknown): void => {
      switch (m.t) {
        case 'registration':
          // no socket: the node closed it while it was being sent (Node then sends the message alone)
          if (handle !== undefined) server.adopt({ ...m.record, extra: Uint8Array.from(m.record.extra) }, handle as Socket);
          registrations++;
          break;
        case 'listener':
          server.serve(handle as Server);
          listeners++;
          break;
        case 'done':
          done = m;
          break;
      }
      finish();
    };
    // the host gave up (or was killed) half-way: what came is no port mapper
    const onDisconnect = (): void => reject(new Error('the host left before the hand-over was done'));
    process.on('message', onMessage);
    process.once('disconnect', onDisconnect);
    process.send!({ t: 'ready' } satisfies ToHost);
  });
}
