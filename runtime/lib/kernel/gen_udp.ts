// Module gen_udp: open/1,2, send/4, recv/2,3, close/1, controlling_process/2, on the UDP ports of
// runtime/lib/kernel/udp_socket.ts.

import { Atom, Pid, Port, Term, atom, list } from '../../vm/term.js';
import { ErlangException, EXIT_CLASS } from '../../vm/exception.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { S, awaitPromise } from '../../vm/scheduler.js';
import { fnClause, iodataBytes, items, libFrame } from '../common.js';
import { portOf } from '../../vm/port_table.js';
import { udpDefaults } from './inet_options.js';
import { bindAddress, hostAddress, hostText, openOptions, servicePort } from './inet_open.js';
import { UdpSocket } from './udp_socket.js';
import { error, handOver, OK } from './inet_socket.js';
import { timeoutMs } from './gen_tcp.js';

const M = 'gen_udp';
const BADARG = atom('badarg');

function exitBadarg(module: string, name: string, arity: number, line: number): never {
  throw new ErlangException(EXIT_CLASS, BADARG, list([libFrame(module, name, arity, line)]));
}

function* open(port: Term, opts: Term): Generator<unknown, Term, unknown> {
  const p = servicePort(port, 'udp');
  if (p === undefined) exitBadarg(M, 'open', 2, 115);
  const so = udpDefaults();
  const given = items(opts);
  const o = given === undefined ? undefined : openOptions(given, 'udp', so);
  if (o === undefined) exitBadarg('inet_udp', 'open', 2, 56);
  const r = UdpSocket.open(S.current, bindAddress(o), p === 0 && o.port !== undefined ? o.port : p, so, o.family);
  return yield* awaitPromise(r);
}

defineGenBif(M, 'open', 1, function* (port: Term) {
  return yield* open(port, list([]));
});
defineGenBif(M, 'open', 2, open);

/** The open UDP socket an argument names, or an error term. */
function udp(s: Term, fn: string, args: Term[], line: number): UdpSocket | Term {
  if (!(s instanceof Port)) throw fnClause(M, fn, args, line);
  const p = portOf(s);
  if (p instanceof UdpSocket) return p;
  return error(p === undefined ? 'closed' : 'einval');
}

defineGenBif(M, 'send', 4, function* (s: Term, host: Term, port: Term, data: Term) {
  const args = [s, host, port, data];
  const sock = udp(s, 'send', args, 230);
  const h = hostText(host);
  const p = servicePort(port, 'udp');
  if (h === undefined || p === undefined) exitBadarg(M, 'send', 5, 292);
  if (!(sock instanceof UdpSocket)) return sock;
  const bytes = iodataBytes(data);
  if (bytes === undefined) return error('closed');
  const to = yield* awaitPromise(hostAddress(h, sock.family));
  if (to instanceof Atom) return error(to);
  return sock.send(to, p, bytes);
});

function* recv(s: Term, length: Term, timeout: Term, args: Term[]): Generator<unknown, Term, unknown> {
  const sock = udp(s, 'recv', args, args.length === 2 ? 313 : 336);
  const ms = timeoutMs(timeout);
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || ms === undefined) throw fnClause(M, 'recv', args, args.length === 2 ? 313 : 336);
  if (!(sock instanceof UdpSocket)) return sock;
  const r = sock.recv(S.current, ms);
  return r instanceof Promise ? yield* awaitPromise(r) : r;
}

defineGenBif(M, 'recv', 2, function* (s: Term, length: Term) {
  return yield* recv(s, length, atom('infinity'), [s, length]);
});
defineGenBif(M, 'recv', 3, function* (s: Term, length: Term, timeout: Term) {
  return yield* recv(s, length, timeout, [s, length, timeout]);
});

defineGenBif(M, 'close', 1, function* (s: Term) {
  const p = portOf(s);
  if (p instanceof UdpSocket) {
    p.unlinkFrom(S.current);
    p.exit(atom('normal'), false);
  } else if (!(s instanceof Port)) throw fnClause('inet', 'udp_close', [s], 2243);
  return OK;
});

defineGenBif(M, 'controlling_process', 2, function* (s: Term, pid: Term) {
  const p = portOf(s);
  if (!(pid instanceof Pid)) throw fnClause('inet', 'udp_controlling_process', [s, pid], 2255);
  if (!(p instanceof UdpSocket)) return error(p === undefined ? 'einval' : 'badarg');
  return handOver(p, S.current, pid);
});
