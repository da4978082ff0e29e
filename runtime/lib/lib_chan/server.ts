// The server side: a listener process per port, and per connection a middle man that runs the
// handshake itself and, once the client is in, spawns the service and serves the channel.
//
//   ← {startService, Service, ArgsC}
//   → badService (then close)  |  → ack  |  → {challenge, C}  ← {response, R}  → ack | authFail (then close)
//   after ack: spawn_link Mod:Func(MM, ArgsC, ArgsS), the service, as the MM's controller
//
// Until ack the client is a stranger: one deadline for the whole handshake, small frames, decoding
// that creates no atoms. When the client vanishes, sends garbage or is too slow, the MM just ends:
// no process is left waiting. A service that returns is a normal end of the channel; one that
// crashes is reported as `server error:Reason`.

import { Server, Socket, createServer } from 'node:net';
import { Atom, Pid, Term, Tuple, atom, tuple, exactEqual } from '../../vm/term.js';
import { S } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import { link } from '../../vm/signals.js';
import { codeServer } from '../../vm/code_server.js';
import { trampoline } from '../../vm/abi.js';
import { erlExit, EXIT_CLASS } from '../../vm/exception.js';
import { Process, NORMAL, asErlangException, exitReasonOf } from '../../vm/process.js';
import { ChanSocket } from './socket.js';
import { decodeFrame, decodeStartService, encodeFrame } from './wire.js';
import { makeChallenge, isResponseCorrect, latin1Bytes } from './auth.js';
import { ChanConfig, ServiceDef, findService, latin1String } from './config.js';
import { middleMan, socketEvent } from './middle_man.js';
import { receive, deadlineIn, ioFormat } from './proc.js';
import { str } from '../common.js';
import { FailureThrottle, StrangerGate } from '../../vm/strangers.js';
import { logText } from '../kernel/error_logger.js';
import { legacyHeader } from '../stdlib/format/report.js';

/** Limits for strangers; tests shorten them. */
export const limits = {
  /** how long a client has for the whole handshake, in milliseconds */
  handshakeMs: 10_000,
  /** how long a client may stay silent after connecting (the book's send at once) */
  silentMs: 5_000,
};
/**
 * Strangers (connections still in their handshake) at once per port, the book's limit; when the
 * port is full the oldest silent one makes room (runtime/strangers.ts), so idle sockets cannot
 * lock clients out.
 */
export const MAX_CONNECTIONS = 100;

/** Wrong passwords, per client address: slowed after three, and logged once per burst. */
const passwordFailures = new FailureThrottle({
  free: 3,
  baseMs: 250,
  maxMs: 2000,
  quietMs: 60_000,
  onBurstStart: (address) => logError(`** lib_chan: wrong password from ${address}; its further attempts are slowed down **`),
  onBurstEnd: (address, count) => {
    if (count > 1) logError(`** lib_chan: ${count} wrong passwords from ${address} in all **`);
  },
});

function logError(text: string): void {
  logText(`${legacyHeader('ERROR REPORT')}\n${text}\n\n`);
}

const ACK = atom('ack');
const CHALLENGE = atom('challenge');
const RESPONSE = atom('response');
const AUTH_FAIL = atom('authFail');
const BAD_SERVICE = atom('badService');
const STOP = atom('stop');

/** The registered name of the listener on a port, as in the book: portServer1234. */
export function listenerName(port: number): Atom {
  return atom('portServer' + port);
}

/** Listen on every interface (as the book's server does); resolves with the error code on failure. */
export function listen(port: number): Promise<{ server: Server } | { error: Atom }> {
  return new Promise((resolve) => {
    const server = createServer({ noDelay: true, pauseOnConnect: false });
    const onError = (err: NodeJS.ErrnoException) => resolve({ error: atom((err.code ?? 'einval').toLowerCase()) });
    server.once('error', onError);
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => {
      server.off('error', onError);
      // a listening socket that fails later (rare) stops accepting; it must not take the node down
      server.on('error', () => server.close());
      resolve({ server });
    });
  });
}

/**
 * The listener process of one port: hands each accepted connection to a new middle man and closes
 * the listening socket when it ends (stop_server, or killed).
 */
export function* listener(server: Server, config: ChanConfig): Generator<unknown, Term, unknown> {
  const self = S.current;
  const groupLeader = self.groupLeader;
  const gate = new StrangerGate(MAX_CONNECTIONS, limits.silentMs);
  const onConnection = (socket: Socket) => {
    if (!self.alive) {
      socket.destroy();
      server.close();
      return;
    }
    if (!gate.admit(socket)) return;
    const holder: { sock?: ChanSocket } = {};
    const stranger: Stranger = { address: socket.remoteAddress ?? '?', trusted: () => gate.trusted(socket) };
    const mm = node.spawn(function* () {
      return yield* serverMiddleMan(holder.sock!, config, stranger);
    }, [], { groupLeader, initialCall: tuple(atom('lib_chan_mm'), atom('start'), 0) });
    mm.trapExit = true;
    holder.sock = ChanSocket.accepted(socket, mm);
  };
  server.on('connection', onConnection);
  // a killed listener cannot close anything itself: look now and then
  const watch = setInterval(() => {
    if (!self.alive) {
      clearInterval(watch);
      server.close();
    }
  }, 1000);
  watch.unref();
  try {
    yield* receive((m) => (m === STOP ? m : undefined));
  } finally {
    clearInterval(watch);
    server.off('connection', onConnection);
    server.close();
  }
  return STOP;
}

type Step = { kind: 'frame'; bytes: Uint8Array } | { kind: 'gone' };

/** Who connected, and what to say once it is in. */
interface Stranger {
  address: string;
  trusted(): void;
}

/** The server MM of one accepted connection. */
function* serverMiddleMan(sock: ChanSocket, config: ChanConfig, stranger: Stranger): Generator<unknown, Term, unknown> {
  const deadline = deadlineIn(limits.handshakeMs);
  function* next(): Generator<unknown, Step, unknown> {
    const step = yield* receive<Step>((m) => {
      const ev = socketEvent(sock, m);
      if (ev === undefined || ev.kind === 'error') return undefined;
      return ev.kind === 'frame' ? { kind: 'frame', bytes: ev.bytes } : { kind: 'gone' };
    }, deadline);
    return step ?? { kind: 'gone' };
  }
  const refuse = (answer: Atom): Term => {
    sock.send(encodeFrame(answer));
    sock.close();
    return answer;
  };
  const hangUp = (): Term => {
    sock.close();
    return NORMAL;
  };

  let step = yield* next();
  if (step.kind === 'gone') return hangUp();
  const start = decodeStartService(step.bytes);
  if (start.kind === 'violation') return hangUp();
  if (start.kind === 'unknownService') return refuse(BAD_SERVICE);
  const service = findService(config, start.service, exactEqual);
  if (service === undefined) return refuse(BAD_SERVICE);

  if (service.password !== 'none') {
    const challenge = makeChallenge();
    sock.send(encodeFrame(tuple(CHALLENGE, str(challenge))));
    step = yield* next();
    if (step.kind === 'gone') return hangUp();
    // an address that keeps failing waits for every answer, right or wrong (else the wait would tell)
    const wait = passwordFailures.delayFor(stranger.address);
    if (wait > 0) yield* receive(() => undefined, deadlineIn(wait));
    const answer = decodeFrame(step.bytes, true);
    const response = answer instanceof Tuple && answer.size === 2 && answer.elements[0] === RESPONSE ? latin1String(answer.elements[1]) : undefined;
    if (response === undefined || !isResponseCorrect(latin1Bytes(challenge)!, response, service.password)) {
      passwordFailures.failed(stranger.address);
      return refuse(AUTH_FAIL);
    }
  }

  // the client is in: ArgsC may now bring its own atoms
  const argsC = start.kind === 'start' ? start.argsC : decodeFrame(start.argsC, false);
  if (argsC === undefined) return hangUp();
  stranger.trusted();
  sock.open();
  sock.send(encodeFrame(ACK));
  const svc = startService(service, S.current.pid, argsC);
  link(S.current, svc.pid);
  return yield* middleMan(sock, svc.pid);
}

/** Spawn the service: Mod:Func(MM, ArgsC, ArgsS) in a process of its own. */
function startService(def: ServiceDef, mm: Pid, argsC: Term): Process {
  return node.spawn(
    function* () {
      return yield* runService(def, mm, argsC);
    },
    [],
    { initialCall: tuple(def.module, def.func, 3) },
  );
}

function* runService(def: ServiceDef, mm: Pid, argsC: Term): Generator<unknown, Term, unknown> {
  try {
    return yield* trampoline(yield* codeServer.fn(def.module, def.func, 3)(mm, argsC, def.argsS));
  } catch (e) {
    const exc = asErlangException(e);
    if (exc.cls === EXIT_CLASS && exc.reason === NORMAL) return NORMAL;
    const reason = exitReasonOf(exc);
    yield* ioFormat('server error:~p~n', [reason]);
    throw erlExit(reason);
  }
}

/** Stop the listener of a port (open channels go on). */
export function stopListener(p: Process): void {
  node.deliver(p, STOP);
}
