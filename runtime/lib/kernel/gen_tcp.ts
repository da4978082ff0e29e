// Module gen_tcp: listen/2, accept/1,2, connect/3,4, send/2, recv/2,3, close/1, shutdown/2,
// controlling_process/2, on the TCP ports of runtime/lib/kernel/tcp_socket.ts. A call that waits
// (accept, connect, recv, a send to a busy socket) parks the calling process until it is answered.
// Results and errors are erl's: {ok, _} / {error, Posix}, exit(badarg) for bad arguments.

import { Atom, Pid, Port, Term, atom, list, listToArray } from '../../vm/term.js';
import { ErlangException, EXIT_CLASS, bifError } from '../../vm/exception.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { S, awaitPromise } from '../../vm/scheduler.js';
import { fnClause, iodataBytes, items, libFrame } from '../common.js';
import { portOf } from '../../vm/port_table.js';
import { logText } from './error_logger.js';
import { legacyHeader } from '../stdlib/format/report.js';
import { tcpDefaults } from './inet_options.js';
import { bindAddress, hostAddress, hostText, openOptions, servicePort } from './inet_open.js';
import { nodeAddress } from './inet_address.js';
import { TcpListener, TcpSocket } from './tcp_socket.js';
import { error, handOver, OK } from './inet_socket.js';

const M = 'gen_tcp';
const BADARG = atom('badarg');
const INFINITY = atom('infinity');

/** exit(badarg) from library code: the frame names the function and line erl's source raises it at. */
function exitBadarg(module: string, name: string, arity: number, line: number): never {
  throw new ErlangException(EXIT_CLASS, BADARG, list([libFrame(module, name, arity, line)]));
}

/** A negative timeout fails where erl's inet:start_timer/1 starts its timer. */
function badTimer(t: Term): ErlangException {
  const e = bifError(BADARG, 'erlang', 'start_timer', [t, S.current.pid, atom('inet')], { 1: 'out of range' });
  e.stack = list([...listToArray(e.stack)!, libFrame('inet', 'start_timer', 1, 2293), libFrame(M, 'connect', 4, 215)]);
  return e;
}

/** A timeout argument: milliseconds, Infinity, or undefined when it is neither. */
export function timeoutMs(t: Term): number | undefined {
  if (t === INFINITY) return Infinity;
  if (typeof t === 'number' && Number.isInteger(t) && t >= 0) return t;
  return undefined;
}

/** Yield until a socket call is answered (it may be answered at once). */
function* answer(r: Term | Promise<Term>): Generator<unknown, Term, unknown> {
  return r instanceof Promise ? yield* awaitPromise(r) : r;
}

// ---------- listen, accept, connect ----------

function* listen(port: Term, opts: Term): Generator<unknown, Term, unknown> {
  const p = servicePort(port, 'tcp');
  if (p === undefined) {
    if (typeof port === 'number' && Number.isInteger(port)) exitBadarg('inet_tcp', 'listen', 2, 212);
    exitBadarg(M, 'listen', 2, 279);
  }
  const so = tcpDefaults();
  const given = items(opts);
  const o = given === undefined ? undefined : openOptions(given, 'listen', so);
  if (o === undefined) exitBadarg('inet_tcp', 'listen', 2, 179);
  return yield* answer(TcpListener.listen(S.current, bindAddress(o), p, o.backlog, so, o.family));
}

defineGenBif(M, 'listen', 2, listen);

function* accept(ls: Term, timeout: Term, args: Term[]): Generator<unknown, Term, unknown> {
  const ms = timeoutMs(timeout);
  if (!(ls instanceof Port) || ms === undefined) throw fnClause(M, 'accept', args, args.length === 1 ? 295 : 311);
  const p = portOf(ls);
  if (p === undefined) return error('closed');
  if (!(p instanceof TcpListener)) return error('einval');
  return yield* answer(p.accept(S.current, ms));
}

defineGenBif(M, 'accept', 1, function* (ls: Term) {
  return yield* accept(ls, INFINITY, [ls]);
});
defineGenBif(M, 'accept', 2, function* (ls: Term, timeout: Term) {
  return yield* accept(ls, timeout, [ls, timeout]);
});

function* connect(address: Term, port: Term, opts: Term, timeout: Term): Generator<unknown, Term, unknown> {
  const ms = timeoutMs(timeout);
  const host = hostText(address);
  const p = servicePort(port, 'tcp');
  if (typeof timeout === 'number' && Number.isInteger(timeout) && timeout < 0) throw badTimer(timeout);
  if (host === undefined || p === undefined || ms === undefined) exitBadarg(M, 'connect', 4, 220);
  const so = tcpDefaults();
  const given = items(opts);
  const o = given === undefined ? undefined : openOptions(given, 'connect', so);
  if (o === undefined) exitBadarg(M, 'connect', 4, 221);
  const to = yield* awaitPromise(hostAddress(host, o.family));
  if (to instanceof Atom) {
    if (to.name === 'einval') exitBadarg(M, 'connect', 4, 221);
    return error(to);
  }
  const local = { address: o.ip !== undefined ? nodeAddress(o.ip) : undefined, port: o.port };
  // (a connection the kernel answers at once, refused or made, is answered even with timeout 0)
  return yield* answer(TcpSocket.connect(S.current, to, p, local, so, o.family, Math.max(ms, 1)));
}

defineGenBif(M, 'connect', 3, function* (address: Term, port: Term, opts: Term) {
  return yield* connect(address, port, opts, INFINITY);
});
defineGenBif(M, 'connect', 4, connect);

// ---------- using a socket ----------

/** The connected socket an argument names, or an error term for one that is closed or listening. */
function connected(s: Term, fn: string, args: Term[], line: number): TcpSocket | Term {
  const p = portOf(s);
  if (p instanceof TcpSocket) return p;
  if (p instanceof TcpListener) return error('enotconn');
  if (p !== undefined) return error('einval');
  if (!(s instanceof Port)) throw fnClause(M, fn, args, line);
  return error('closed');
}

defineGenBif(M, 'send', 2, function* (s: Term, data: Term) {
  const sock = connected(s, 'send', [s, data], 362);
  if (!(sock instanceof TcpSocket)) return sock;
  const bytes = iodataBytes(data);
  if (bytes === undefined) {
    // the emulator complains about what reached the port, and the send fails
    logText(legacyHeader('ERROR REPORT') + "\nBad value on output port 'tcp_inet'\n\n\n");
    return error('einval');
  }
  return yield* answer(sock.send(bytes));
});

function* recv(s: Term, length: Term, timeout: Term, args: Term[]): Generator<unknown, Term, unknown> {
  const line = args.length === 2 ? 383 : 401;
  const sock = connected(s, 'recv', args, line);
  const ms = timeoutMs(timeout);
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || ms === undefined) throw fnClause(M, 'recv', args, line);
  if (!(sock instanceof TcpSocket)) return sock;
  return yield* answer(sock.recv(S.current, length, ms));
}

defineGenBif(M, 'recv', 2, function* (s: Term, length: Term) {
  return yield* recv(s, length, INFINITY, [s, length]);
});
defineGenBif(M, 'recv', 3, function* (s: Term, length: Term, timeout: Term) {
  return yield* recv(s, length, timeout, [s, length, timeout]);
});

defineGenBif(M, 'close', 1, function* (s: Term) {
  const p = portOf(s);
  if (p instanceof TcpSocket || p instanceof TcpListener) {
    // the owner's link goes first, so closing sends no exit signal (as prim_inet:close)
    p.unlinkFrom(S.current);
    p.exit(atom('normal'), false);
  } else if (!(s instanceof Port)) {
    throw fnClause('inet', 'tcp_close', [s], 2179);
  }
  return OK;
});

const HOW = new Set(['read', 'write', 'read_write']);

defineGenBif(M, 'shutdown', 2, function* (s: Term, how: Term) {
  const sock = connected(s, 'shutdown', [s, how], 330);
  if (!(how instanceof Atom) || !HOW.has(how.name)) throw fnClause(M, 'shutdown', [s, how], 332);
  if (!(sock instanceof TcpSocket)) return sock;
  return sock.shutdown(how.name as 'read' | 'write' | 'read_write');
});

defineGenBif(M, 'controlling_process', 2, function* (s: Term, pid: Term) {
  const p = portOf(s);
  if (!(pid instanceof Pid)) throw fnClause('inet', 'tcp_controlling_process', [s, pid], 2133);
  if (!(p instanceof TcpSocket) && !(p instanceof TcpListener)) return error(p === undefined ? 'einval' : 'badarg');
  return handOver(p, S.current, pid);
});
