// The client end of lib_chan:connect/5: a middle man that dials, runs the handshake, reports to
// the caller and then serves the channel with the caller as its controller.
//
//   → {startService, Service, ArgsC}
//   ← ack                                     (service without password)
//   ← {challenge, C}   → {response, md5hex(C ++ Password)}   ← ack | authFail
//   ← badService
//
// The whole connect (DNS, TCP, handshake) has one deadline. Until `ack` the server is a stranger:
// its frames are small and decoded without creating atoms.

import { Pid, Ref, Term, Tuple, atom, tuple, exactEqual } from '../../vm/term.js';
import { iodataBytes, str } from '../common.js';
import { S } from '../../vm/scheduler.js';
import { unlink } from '../../vm/signals.js';
import { ChanSocket, type HostName } from './socket.js';
import { decodeFrame, encodeFrame } from './wire.js';
import { makeResponse } from './auth.js';
import { latin1String } from './config.js';
import { middleMan, socketEvent, reply } from './middle_man.js';
import { receive, deadlineIn } from './proc.js';

const OK = atom('ok');
const ERROR = atom('error');
const ACK = atom('ack');
const CHALLENGE = atom('challenge');
const RESPONSE = atom('response');
const AUTH_FAIL = atom('authFail');
const BAD_SERVICE = atom('badService');
const START_SERVICE = atom('startService');
const EXIT = atom('EXIT');
const TCP_CONNECTED = atom('tcp_connected');
const TCP_ERROR = atom('tcp_error');
const TIMEOUT = atom('timeout');
const CLOSED = atom('closed');
/** What the MM reports when the password is not iodata: connect raises badarg in the caller. */
export const BAD_PASSWORD = atom('$badPassword');

export interface ConnectRequest {
  readonly host: HostName;
  readonly port: number;
  readonly service: Term;
  /** the caller's password term, only looked at when the server asks for it */
  readonly password: Term;
  readonly argsC: Term;
  readonly timeoutMs: number;
  readonly caller: Pid;
  readonly tag: Ref;
}

type Step = { kind: 'frame'; term: Term } | { kind: 'error'; why: Term } | { kind: 'callerDied' };

/** The client MM process: handshake, then the channel. It traps exits and is linked to the caller. */
export function* clientMiddleMan(req: ConnectRequest): Generator<unknown, Term, unknown> {
  const deadline = deadlineIn(req.timeoutMs);
  const sock = ChanSocket.connect(req.host, req.port, S.current);
  const fail = (why: Term): Term => {
    sock.close();
    unlink(S.current, req.caller); // a failed connect leaves no trace in a trapping caller's mailbox
    reply(req.caller, req.tag, why === BAD_PASSWORD ? why : tuple(ERROR, why));
    return why;
  };

  // every wait of the handshake: the next frame, or why there will be none
  function* next(connecting = false): Generator<unknown, Step, unknown> {
    const step = yield* receive<Step>((m) => {
      if (m instanceof Tuple && m.size === 3 && m.elements[0] === EXIT && exactEqual(m.elements[1], req.caller))
        return { kind: 'callerDied' };
      if (connecting && m instanceof Tuple && m.elements[0] === TCP_CONNECTED && m.elements[1] === sock.id) return { kind: 'frame', term: OK };
      if (m instanceof Tuple && m.size === 3 && m.elements[0] === TCP_ERROR && m.elements[1] === sock.id)
        return connecting ? { kind: 'error', why: m.elements[2] } : undefined;
      const ev = socketEvent(sock, m);
      if (ev === undefined) return undefined;
      if (ev.kind === 'closed') return { kind: 'error', why: CLOSED };
      if (ev.kind === 'error') return undefined;
      const t = decodeFrame(ev.bytes, true);
      return t === undefined ? { kind: 'error', why: tuple(atom('protocolError'), atom('badFrame')) } : { kind: 'frame', term: t };
    }, deadline);
    return step ?? { kind: 'error', why: TIMEOUT };
  }

  let step = yield* next(true);
  if (step.kind === 'callerDied') return fail(CLOSED);
  if (step.kind === 'error') return fail(step.why);

  sock.send(encodeFrame(tuple(START_SERVICE, req.service, req.argsC)));
  step = yield* next();
  if (step.kind === 'callerDied') return fail(CLOSED);
  if (step.kind === 'error') return fail(step.why);
  let answer = step.term;

  if (answer instanceof Tuple && answer.size === 2 && answer.elements[0] === CHALLENGE) {
    const challenge = latin1String(answer.elements[1]);
    if (challenge === undefined) return fail(tuple(atom('protocolError'), answer));
    const secret = passwordBytes(req.password);
    if (secret === undefined) return fail(BAD_PASSWORD);
    sock.send(encodeFrame(tuple(RESPONSE, str(makeResponse(challenge, secret)))));
    step = yield* next();
    if (step.kind === 'callerDied') return fail(CLOSED);
    if (step.kind === 'error') return fail(step.why);
    answer = step.term;
  }

  if (answer === AUTH_FAIL || answer === BAD_SERVICE) return fail(answer);
  if (answer !== ACK) return fail(tuple(atom('protocolError'), answer));

  sock.open();
  reply(req.caller, req.tag, tuple(OK, S.current.pid));
  return yield* middleMan(sock, req.caller);
}

/** The bytes erlang:md5 hashes for Challenge ++ Password: the password as iodata (a Latin-1 string, binaries). */
export function passwordBytes(t: Term): Uint8Array | undefined {
  return iodataBytes(t);
}
