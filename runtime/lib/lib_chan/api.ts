// The lib_chan module (Programming Erlang's socket-based distribution), built in:
//
//   start_server()                       config from $HOME/.erlang_config/lib_chan.conf
//   start_server(File)                   -> true, or exit {eDaemonConfig, Why} / {eDaemonListen, Port, Why}
//   stop_server(Port)                    -> stopped | {error, not_started}   (open channels go on)
//   connect(Host, Port, Service, Password, ArgsC [, Timeout])  -> {ok, MM} | {error, Why}
//   cast(MM, X)                          -> {send, X}
//   rpc(MM, X [, Timeout])               -> Reply | {error, closed} | {error, timeout}
//   disconnect(MM)                       -> close
//
// and lib_chan_mm's helpers for services: send(MM, X), close(MM), controller(MM, Pid).
//
// Unlike the book's code: connect and rpc take only their own channel's messages and time out
// (connect after 10 s, rpc after 5 s by default); the caller's MM is linked to it; start_server
// fails loudly instead of returning true with nothing listening.

import { Atom, Pid, Term, Tuple, atom, tuple, list, exactEqual, listToString, charlist } from '../../vm/term.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { badarg, erlExit } from '../../vm/exception.js';
import { S, awaitPromise } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import { link, monitor, demonitor } from '../../vm/signals.js';
import { checkConfig, daemonConfigError } from './config.js';
import { consult, fileName } from './consult.js';
import { listen, listener, listenerName, stopListener } from './server.js';
import { clientMiddleMan, BAD_PASSWORD, type ConnectRequest } from './client.js';
import { CHAN, isMiddleMan, rpcRequest, rpcCancel } from './middle_man.js';
import { isAddress, type HostName } from './socket.js';
import { receive, deadlineIn, ioFormat } from './proc.js';

export const CONNECT_TIMEOUT_MS = 10_000;
export const RPC_TIMEOUT_MS = 5_000;

const ERROR = atom('error');
const TRUE = atom('true');
const SEND = atom('send');
const CLOSE = atom('close');
const SET_CONTROLLER = atom('setController');
const DOWN = atom('DOWN');
const CLOSED = atom('closed');
const TIMEOUT = atom('timeout');
const INFINITY = atom('infinity');

// ---------- the server ----------

function* startServer(file: Term): Generator<unknown, Term, unknown> {
  yield* ioFormat('lib_chan starting:~p~n', [file]);
  const name = fileName(file);
  if (name === undefined) throw badarg('lib_chan', 'start_server', [file], { 1: 'not a file name' });
  const consulted = consult(name);
  if (!consulted.ok) throw erlExit(daemonConfigError(consulted.why));
  yield* ioFormat('ConfigData=~p~n', [list(consulted.terms)]);
  const checked = checkConfig(consulted.terms);
  if (!checked.ok) throw erlExit(daemonConfigError(checked.why));
  const { config } = checked;
  const registered = listenerName(config.port);
  const listenError = (why: Term) => erlExit(tuple(atom('eDaemonListen'), config.port, why));
  if (node.whereis(registered) !== undefined) throw listenError(atom('already_started'));
  const opened = yield* awaitPromise(listen(config.port));
  if ('error' in opened) throw listenError(opened.error);
  const p = node.spawn(
    function* () {
      return yield* listener(opened.server, config);
    },
    [],
    { initialCall: tuple(atom('lib_chan'), atom('start_port_server'), 1) },
  );
  if (node.register(registered, p) !== undefined) {
    stopListener(p);
    throw listenError(atom('already_started'));
  }
  return TRUE;
}

defineGenBif('lib_chan', 'start_server', 0, function* () {
  const home = process.env.HOME;
  if (home === undefined) throw erlExit(tuple(atom('ebadEnv'), charlist('HOME')));
  return yield* startServer(charlist(home + '/.erlang_config/lib_chan.conf'));
});

defineGenBif('lib_chan', 'start_server', 1, function* (file: Term) {
  return yield* startServer(file);
});

defineGenBif('lib_chan', 'stop_server', 1, function* (port: Term) {
  if (typeof port !== 'number' || !Number.isInteger(port)) throw badarg('lib_chan', 'stop_server', [port], { 1: 'not a port number' });
  const p = node.whereis(listenerName(port));
  if (p === undefined) return tuple(ERROR, atom('not_started'));
  node.unregister(listenerName(port));
  stopListener(p);
  return atom('stopped');
});

// ---------- the client ----------

/** gen_tcp's address forms: "host" or "1.2.3.4", an atom, or an address tuple. */
function hostOf(t: Term): HostName | undefined {
  if (t instanceof Atom) return { name: t.name };
  if (t instanceof Tuple && (t.size === 4 || t.size === 8)) {
    const max = t.size === 4 ? 255 : 65535;
    const parts = t.elements.map((e) => (typeof e === 'number' && Number.isInteger(e) && e >= 0 && e <= max ? e : undefined));
    if (parts.some((p) => p === undefined)) return undefined;
    return { address: t.size === 4 ? parts.join('.') : parts.map((p) => p!.toString(16)).join(':') };
  }
  const s = listToString(t);
  if (s === undefined || s === '') return undefined;
  return isAddress(s) ? { address: s } : { name: s };
}

/** A timeout argument: milliseconds, or infinity. */
function timeoutOf(t: Term): number | undefined {
  if (t === INFINITY) return Infinity;
  return typeof t === 'number' && Number.isInteger(t) && t >= 0 ? t : undefined;
}

function* connect(args: Term[], timeoutMs: number): Generator<unknown, Term, unknown> {
  const [hostT, portT, service, password, argsC] = args;
  const name = 'connect';
  const host = hostOf(hostT);
  if (host === undefined) throw badarg('lib_chan', name, args, { 1: 'not a host name or IP address' });
  if (typeof portT !== 'number' || !Number.isInteger(portT) || portT < 1 || portT > 65535)
    throw badarg('lib_chan', name, args, { 2: 'not a port number (1..65535)' });
  const caller = S.current;
  const tag = node.makeRef();
  const req: ConnectRequest = { host, port: portT, service, password, argsC, timeoutMs, caller: caller.pid, tag };
  const mm = node.spawn(
    function* () {
      return yield* clientMiddleMan(req);
    },
    [],
    { initialCall: tuple(atom('lib_chan_mm'), atom('start'), 0) },
  );
  mm.trapExit = true;
  link(caller, mm.pid);
  // the MM keeps the deadline; this is only a guard against an MM that never answers
  const result = yield* receive(
    (m) => (m instanceof Tuple && m.size === 2 && exactEqual(m.elements[0], tag) ? m.elements[1] : undefined),
    deadlineIn(timeoutMs + 5000),
  );
  if (result === undefined) return tuple(ERROR, TIMEOUT);
  if (result === BAD_PASSWORD) throw badarg('lib_chan', name, args, { 4: 'not a Latin-1 string or iodata' });
  return result;
}

defineGenBif('lib_chan', 'connect', 5, function* (host: Term, port: Term, service: Term, password: Term, argsC: Term) {
  return yield* connect([host, port, service, password, argsC], CONNECT_TIMEOUT_MS);
});

defineGenBif('lib_chan', 'connect', 6, function* (host: Term, port: Term, service: Term, password: Term, argsC: Term, timeout: Term) {
  const ms = timeoutOf(timeout);
  const args = [host, port, service, password, argsC, timeout];
  if (ms === undefined) throw badarg('lib_chan', 'connect', args, { 6: 'not a timeout (milliseconds or infinity)' });
  return yield* connect(args, ms);
});

defineGenBif('lib_chan', 'cast', 2, function* (mm: Term, x: Term) {
  return node.send(mm, tuple(SEND, x));
});

defineGenBif('lib_chan', 'disconnect', 1, function* (mm: Term) {
  return node.send(mm, CLOSE);
});

/**
 * rpc: send X and wait for the reply. A local MM routes the next frame to this very call, so rpc
 * works from any process and never takes a message that was already waiting. For any other pid
 * (the book's way) the reply is the next {chan, MM, Reply}.
 */
function* rpc(mmT: Term, x: Term, timeoutMs: number, args: Term[]): Generator<unknown, Term, unknown> {
  const mm = mmT instanceof Atom ? node.whereis(mmT)?.pid : mmT;
  if (!(mm instanceof Pid)) throw badarg('lib_chan', 'rpc', args, { 1: 'not a channel (the pid connect returned)' });
  const self = S.current;
  const ref = monitor(self, mm);
  const routed = isMiddleMan(mm);
  node.send(mm, routed ? rpcRequest(self.pid, ref, x) : tuple(SEND, x));
  const got = yield* receive<{ reply: Term } | { closed: true }>((m) => {
    if (!(m instanceof Tuple)) return undefined;
    if (routed && m.size === 2 && exactEqual(m.elements[0], ref)) return { reply: m.elements[1] };
    if (!routed && m.size === 3 && m.elements[0] === CHAN && exactEqual(m.elements[1], mm)) return { reply: m.elements[2] };
    if (m.size === 5 && m.elements[0] === DOWN && exactEqual(m.elements[1], ref)) return { closed: true };
    return undefined;
  }, deadlineIn(timeoutMs));
  if (got !== undefined && 'closed' in got) return tuple(ERROR, CLOSED);
  demonitor(self, ref, true);
  if (got === undefined) {
    if (routed) node.send(mm, rpcCancel(ref));
    return tuple(ERROR, TIMEOUT);
  }
  return got.reply;
}

defineGenBif('lib_chan', 'rpc', 2, function* (mm: Term, x: Term) {
  return yield* rpc(mm, x, RPC_TIMEOUT_MS, [mm, x]);
});

defineGenBif('lib_chan', 'rpc', 3, function* (mm: Term, x: Term, timeout: Term) {
  const ms = timeoutOf(timeout);
  if (ms === undefined) throw badarg('lib_chan', 'rpc', [mm, x, timeout], { 3: 'not a timeout (milliseconds or infinity)' });
  return yield* rpc(mm, x, ms, [mm, x, timeout]);
});

// ---------- lib_chan_mm, for services ----------

defineGenBif('lib_chan_mm', 'send', 2, function* (mm: Term, x: Term) {
  return node.send(mm, tuple(SEND, x));
});

defineGenBif('lib_chan_mm', 'close', 1, function* (mm: Term) {
  return node.send(mm, CLOSE);
});

defineGenBif('lib_chan_mm', 'controller', 2, function* (mm: Term, pid: Term) {
  return node.send(mm, tuple(SET_CONTROLLER, pid));
});
