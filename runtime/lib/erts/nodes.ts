// The distribution API: erlang's node BIFs (nodes/0,1, is_alive, monitor_node, disconnect_node,
// spawn*/2,4 on other nodes, the cookie), and the modules rpc, net_adm, net_kernel and global as
// OTP 25 behaves (return values and error shapes checked against real erl).
//
// Remote spawns go as SPAWN_REQUEST; rpc:call is erpc:call with rpc's {badrpc, Reason} forms, as in
// OTP 25's rpc.erl. What is not distributed yet (nonode@nohost) answers as erl does: pang,
// {badrpc,nodedown}, ignored, nocookie, distribution_not_started.

import { Atom, Fun, Pid, Ref, Term, Tuple, atom, bool, charlist, list, listToArray, tuple, NIL, OK, TRUE, FALSE, UNDEFINED } from '../../vm/term.js';
import { ErlangException, ERROR_CLASS, EXIT_CLASS, THROW_CLASS, badarg, erlError, frame } from '../../vm/exception.js';
import { defineBif, defineGenBif, lookupBif } from '../../vm/bif_registry.js';
import { S, awaitPromise } from '../../vm/scheduler.js';
import { node, NONODE } from '../../vm/node.js';
import { receive } from '../../vm/receive.js';
import { refKey, link, monitor } from '../../vm/signals.js';
import { asErlangException, Process } from '../../vm/process.js';
import { netKernel, logWarning, DistStartError } from '../../distribution/net_kernel.js';
import { erpcCall, spawnRequest, erpcCast, timeoutMs } from '../kernel/erpc.js';
import { genCall } from '../stdlib/gen_call.js';
import { names as epmdNames } from '../../distribution/epmd_client.js';
import { hostname } from 'node:os';
import * as globalNames from '../kernel/global.js';
import { writeTerm } from '../stdlib/format/term.js';

const A = {
  erlang: atom('erlang'),
  apply: atom('apply'),
  link: atom('link'),
  monitor: atom('monitor'),
  spawn_reply: atom('spawn_reply'),
  ok: OK,
  error: atom('error'),
  badrpc: atom('badrpc'),
  EXIT: atom('EXIT'),
  exception: atom('exception'),
  signal: atom('signal'),
  erpc: atom('erpc'),
  badarg: atom('badarg'),
  noconnection: atom('noconnection'),
  notsup: atom('notsup'),
  badopt: atom('badopt'),
  timeout: atom('timeout'),
  nodedown: atom('nodedown'),
  infinity: atom('infinity'),
  ignored: atom('ignored'),
  nocookie: atom('nocookie'),
  pong: atom('pong'),
  pang: atom('pang'),
  net_kernel: atom('net_kernel'),
  is_auth: atom('is_auth'),
  yes: atom('yes'),
  visible: atom('visible'),
  hidden: atom('hidden'),
  connected: atom('connected'),
  known: atom('known'),
  this: atom('this'),
  shortnames: atom('shortnames'),
  longnames: atom('longnames'),
  already_started: atom('already_started'),
  not_allowed: atom('not_allowed'),
  notalive: atom('notalive'),
  distribution_not_started: atom('distribution_not_started'),
  address: atom('address'),
  node_type: atom('node_type'),
  nodedown_reason: atom('nodedown_reason'),
  all: atom('all'),
};

type Gen = Generator<unknown, Term, unknown>;

function self(): Process {
  return S.current as Process;
}

function fail(module: string, name: string, args: Term[], why?: Record<number, string>): never {
  throw badarg(module, name, args, why);
}

/** An error with the frame {M, F, Args} (the shell prints `called as`). */
function errorIn(reason: Term, module: string, name: string, args: Term[]): ErlangException {
  return erlError(reason, list([frame(module, name, args)]));
}

/** A stack naming an OTP source line (`in function  auth:set_cookie/1 (auth.erl, line 131)`). */
function otpFrame(module: string, name: string, arity: number, line: number): Term {
  return list([tuple(atom(module), atom(name), arity, list([tuple(atom('file'), charlist(`${module}.erl`)), tuple(atom('line'), line)]))]);
}

// ---------- nodes ----------

/** The connected nodes of a kind, as distribution knows them (none when the node is not distributed). */
function connected(kind: 'visible' | 'hidden' | 'connected'): Atom[] {
  return node.dist?.nodes?.(kind) ?? [];
}

defineGenBif('erlang', 'nodes', 0, function* () {
  return list(connected('visible'));
});

defineGenBif('erlang', 'nodes', 1, function* (kind: Term) {
  const kinds = kind instanceof Atom ? [kind] : listToArray(kind);
  if (kinds === undefined || kinds.length === 0 || !kinds.every((k) => k instanceof Atom)) fail('erlang', 'nodes', [kind], { 1: 'not a list of node types' });
  const out: Term[] = [];
  for (const k of kinds as Atom[]) {
    if (k === A.this) out.push(node.name);
    else if (k === A.visible) out.push(...connected('visible'));
    else if (k === A.hidden) out.push(...connected('hidden'));
    else if (k === A.connected) out.push(...connected('connected'));
    else if (k === A.known) out.push(node.name, ...connected('connected'));
    else fail('erlang', 'nodes', [kind], { 1: 'invalid node type' });
  }
  return list(out);
});

defineGenBif('erlang', 'is_alive', 0, function* () {
  return bool(node.name !== NONODE);
});

// ---------- monitor_node, disconnect_node ----------

function monitorNode(name: string, args: Term[]): Term {
  const [n, flag] = args;
  if (!(n instanceof Atom)) fail('erlang', name, args, { 1: 'not an atom' });
  if (flag !== TRUE && flag !== FALSE) fail('erlang', name, args, { 2: "not a boolean ('true' or 'false')" });
  if (args.length === 3 && listToArray(args[2]) === undefined) fail('erlang', name, args, { 3: 'not a list' });
  if (!netKernel.alive && n !== node.name) throw errorIn(A.notalive, 'erlang', name, args);
  netKernel.monitorNode(self(), n, flag === TRUE);
  return TRUE;
}

defineGenBif('erlang', 'monitor_node', 2, function* (n: Term, flag: Term) {
  return monitorNode('monitor_node', [n, flag]);
});
defineGenBif('erlang', 'monitor_node', 3, function* (n: Term, flag: Term, opts: Term) {
  return monitorNode('monitor_node', [n, flag, opts]);
});

defineGenBif('erlang', 'disconnect_node', 1, function* (n: Term) {
  if (!(n instanceof Atom)) fail('erlang', 'disconnect_node', [n], { 1: 'not an atom' });
  if (!netKernel.alive) return A.ignored;
  return bool(netKernel.disconnect(n));
});

// ---------- cookies ----------

function cookieAtom(c: Term, name: string, args: Term[], argNo: number): string {
  if (!(c instanceof Atom)) fail('erlang', name, args, { [argNo]: 'not an atom' });
  return c.name;
}

defineGenBif('erlang', 'get_cookie', 0, function* () {
  return netKernel.alive ? atom(netKernel.getCookie()) : A.nocookie;
});
defineGenBif('erlang', 'get_cookie', 1, function* (n: Term) {
  if (!(n instanceof Atom)) fail('erlang', 'get_cookie', [n], { 1: 'not an atom' });
  return netKernel.alive ? atom(netKernel.getCookie(n)) : A.nocookie;
});
defineGenBif('erlang', 'set_cookie', 1, function* (c: Term) {
  const cookie = cookieAtom(c, 'set_cookie', [c], 1);
  if (!netKernel.alive) throw erlError(A.distribution_not_started, otpFrame('auth', 'set_cookie', 1, 131));
  netKernel.setCookie(cookie);
  return TRUE;
});
defineGenBif('erlang', 'set_cookie', 2, function* (n: Term, c: Term) {
  if (!(n instanceof Atom)) fail('erlang', 'set_cookie', [n, c], { 1: 'not an atom' });
  const cookie = cookieAtom(c, 'set_cookie', [n, c], 2);
  if (!netKernel.alive) throw erlError(A.distribution_not_started, otpFrame('auth', 'set_cookie', 2, 143));
  netKernel.setCookie(cookie, n);
  return TRUE;
});

// ---------- spawning on other nodes ----------

interface RemoteSpawn {
  link: boolean;
  monitor: boolean;
  /** spawn_opt's other options, passed on (priority, ...) */
  wire: Term[];
}

/** The local BIFs (runtime/lib/erts/processes.ts) for spawns that name this node. */
const local = {
  spawn3: localBif('spawn', 3),
  spawn1: localBif('spawn', 1),
  spawnLink3: localBif('spawn_link', 3),
  spawnLink1: localBif('spawn_link', 1),
  spawnMonitor3: localBif('spawn_monitor', 3),
  spawnMonitor1: localBif('spawn_monitor', 1),
  spawnOpt4: localBif('spawn_opt', 4),
};

/** erlang:Name/Arity as processes.ts defines it, looked up when called (not while this file loads). */
function localBif(name: string, arity: number): (...args: Term[]) => Gen {
  return (...args) => lookupBif('erlang', name, arity)!.fn(...args) as Gen;
}

/** erts_internal:crasher/6: the dummy process a failed remote spawn returns (it logs and exits). */
function* crasher(n: Atom, m: Atom, f: Atom, args: Term, userOpts: Term[], reason: Atom, o: RemoteSpawn): Gen {
  const text =
    userOpts.length === 0
      ? `** Can not start ${writeTerm(m)}:${writeTerm(f)},${writeTerm(args)} on ${writeTerm(n)} **`
      : `** Can not start ${writeTerm(m)}:${writeTerm(f)},${writeTerm(args)} (${writeTerm(list(userOpts))}) on ${writeTerm(n)} **`;
  const me = self();
  const p = node.spawn(function* () {
    logWarning(text);
    throw new ErlangException(EXIT_CLASS, reason);
  }, []);
  if (o.link) link(me, p.pid);
  if (o.monitor) return tuple(p.pid, monitor(me, p.pid));
  return p.pid;
}

/** spawn_opt(N, M, F, A, O) to another node: the pid (or {Pid, Ref}), as erlang.erl does it. */
function* remoteSpawn(name: string, n: Atom, m: Atom, f: Atom, a: Term, o: RemoteSpawn, bifArgs: Term[], userOpts: Term[]): Gen {
  const args = listToArray(a);
  if (args === undefined) fail('erlang', name, bifArgs);
  const me = self();
  const wireOpts: Term[] = [...(o.link ? [A.link] : []), ...(o.monitor ? [A.monitor] : []), ...o.wire];
  const reqId = spawnRequest(me, n, m, f, args, wireOpts, 'yes');
  const key = refKey(reqId);
  const reply = (yield* receive((msg) => {
    if (msg instanceof Tuple && msg.size === 4 && msg.elements[0] === A.spawn_reply && msg.elements[1] instanceof Ref && refKey(msg.elements[1]) === key) {
      return msg;
    }
    return undefined;
  }))!;
  const [, , status, result] = reply.elements;
  if (status === OK && result instanceof Pid) return o.monitor ? tuple(result, reqId) : result;
  if (result === A.badopt) fail('erlang', name, bifArgs);
  if (result === A.noconnection || result === A.notsup) return yield* crasher(n, m, f, a, userOpts, result as Atom, o);
  throw errorIn(result, 'erlang', name, bifArgs);
}

const PLAIN: RemoteSpawn = { link: false, monitor: false, wire: [] };
const LINKED: RemoteSpawn = { link: true, monitor: false, wire: [] };
const MONITORED: RemoteSpawn = { link: false, monitor: true, wire: [] };

function isMFA(m: Term, f: Term): boolean {
  return m instanceof Atom && f instanceof Atom;
}

defineGenBif('erlang', 'spawn', 4, function* (n: Term, m: Term, f: Term, a: Term) {
  const args = [n, m, f, a];
  if (n === node.name) return yield* local.spawn3(m, f, a);
  if (!(n instanceof Atom) || !isMFA(m, f)) fail('erlang', 'spawn', args);
  return yield* remoteSpawn('spawn', n, m as Atom, f as Atom, a, PLAIN, args, []);
});
defineGenBif('erlang', 'spawn_link', 4, function* (n: Term, m: Term, f: Term, a: Term) {
  const args = [n, m, f, a];
  if (n === node.name) return yield* local.spawnLink3(m, f, a);
  if (!(n instanceof Atom) || !isMFA(m, f)) fail('erlang', 'spawn_link', args);
  return yield* remoteSpawn('spawn_link', n, m as Atom, f as Atom, a, LINKED, args, [A.link]);
});
defineGenBif('erlang', 'spawn_monitor', 4, function* (n: Term, m: Term, f: Term, a: Term) {
  const args = [n, m, f, a];
  if (n === node.name) return yield* local.spawnMonitor3(m, f, a);
  if (!(n instanceof Atom) || !isMFA(m, f)) fail('erlang', 'spawn_monitor', args);
  return yield* remoteSpawn('spawn_monitor', n, m as Atom, f as Atom, a, MONITORED, args, [A.monitor]);
});

/** spawn(N, Fun) and friends: Fun runs as erlang:apply(Fun, []) there. */
function* spawnFunOn(name: string, n: Term, fun: Term, o: RemoteSpawn, userOpts: Term[], localFn: (f: Term) => Gen): Gen {
  const args = [n, fun];
  if (n === node.name) return yield* localFn(fun);
  if (!(n instanceof Atom)) fail('erlang', name, args);
  let target = fun;
  if (fun instanceof Tuple && fun.size === 2 && isMFA(fun.elements[0], fun.elements[1])) target = fun;
  else if (!(fun instanceof Fun)) fail('erlang', name, args);
  return yield* remoteSpawn(name, n, A.erlang, A.apply, list([target, NIL]), o, args, userOpts);
}

defineGenBif('erlang', 'spawn', 2, function* (n: Term, fun: Term) {
  return yield* spawnFunOn('spawn', n, fun, PLAIN, [], local.spawn1);
});
defineGenBif('erlang', 'spawn_link', 2, function* (n: Term, fun: Term) {
  return yield* spawnFunOn('spawn_link', n, fun, LINKED, [A.link], local.spawnLink1);
});
defineGenBif('erlang', 'spawn_monitor', 2, function* (n: Term, fun: Term) {
  if (!(n instanceof Atom) || !(fun instanceof Fun) || fun.arity !== 0) fail('erlang', 'spawn_monitor', [n, fun]);
  return yield* spawnFunOn('spawn_monitor', n, fun, MONITORED, [A.monitor], local.spawnMonitor1);
});

/** spawn_opt(N, M, F, A, Opts) */
defineGenBif('erlang', 'spawn_opt', 5, function* (n: Term, m: Term, f: Term, a: Term, opts: Term) {
  const args = [n, m, f, a, opts];
  const items = listToArray(opts);
  if (n === node.name) return yield* local.spawnOpt4(m, f, a, opts);
  if (!(n instanceof Atom) || !isMFA(m, f) || items === undefined) fail('erlang', 'spawn_opt', args);
  const o: RemoteSpawn = { link: false, monitor: false, wire: [] };
  for (const it of items) {
    if (it === A.link) o.link = true;
    else if (it === A.monitor || (it instanceof Tuple && it.elements[0] === A.monitor)) o.monitor = true;
    else o.wire.push(it);
  }
  return yield* remoteSpawn('spawn_opt', n, m as Atom, f as Atom, a, o, args, items);
});

// ---------- rpc ----------

/** rpc's rpcify_exception/2: an erpc exception as rpc:call's result (or raised again). */
function rpcify(e: ErlangException): Term {
  const r = e.reason;
  const el = r instanceof Tuple ? r.elements : [];
  const tagged = (tag: Atom, size: number): boolean => el.length === size && el[0] === tag;
  if (e.cls === THROW_CLASS) {
    if (r instanceof Tuple && r.size === 2 && r.elements[0] === A.EXIT) return tuple(A.badrpc, r);
    return r;
  }
  if (e.cls === EXIT_CLASS) {
    if (tagged(A.exception, 2)) return tuple(A.badrpc, tuple(A.EXIT, el[1]));
    if (tagged(A.signal, 2)) return tuple(A.badrpc, tuple(A.EXIT, el[1]));
    throw e;
  }
  if (tagged(A.exception, 3)) return tuple(A.badrpc, tuple(A.EXIT, tuple(el[1], el[2])));
  if (tagged(A.erpc, 2)) {
    const why = el[1];
    if (why === A.badarg) throw erlError(A.badarg);
    if (why === A.noconnection) return tuple(A.badrpc, A.nodedown);
    if (why === A.timeout) return tuple(A.badrpc, A.timeout);
    if (why === A.notsup) return tuple(A.badrpc, A.notsup);
    return tuple(A.badrpc, tuple(A.EXIT, why));
  }
  throw e;
}

/** rpc:call(N, M, F, A, T) */
function* rpcCall(n: Term, m: Term, f: Term, a: Term, t: Term): Gen {
  try {
    const v = yield* erpcCall(n, m, f, a, t);
    if (v instanceof Tuple && v.size === 2 && v.elements[0] === A.EXIT) return tuple(A.badrpc, v);
    return v;
  } catch (e) {
    return rpcify(asErlangException(e));
  }
}

defineGenBif('rpc', 'call', 4, function* (n: Term, m: Term, f: Term, a: Term) {
  return yield* rpcCall(n, m, f, a, A.infinity);
});
defineGenBif('rpc', 'call', 5, function* (n: Term, m: Term, f: Term, a: Term, t: Term) {
  return yield* rpcCall(n, m, f, a, t);
});
defineGenBif('rpc', 'block_call', 4, function* (n: Term, m: Term, f: Term, a: Term) {
  return yield* rpcCall(n, m, f, a, A.infinity);
});
defineGenBif('rpc', 'block_call', 5, function* (n: Term, m: Term, f: Term, a: Term, t: Term) {
  return yield* rpcCall(n, m, f, a, t);
});

defineGenBif('rpc', 'cast', 4, function* (n: Term, m: Term, f: Term, a: Term) {
  const args = listToArray(a);
  if (!(n instanceof Atom) || !isMFA(m, f) || args === undefined) throw erlError(A.badarg);
  erpcCast(self(), n, m as Atom, f as Atom, args);
  return TRUE;
});

/** rpc:multicall(Nodes, M, F, A, T): every node at once; {Results, BadNodes}. */
function* multicall(nodes: Term, m: Term, f: Term, a: Term, t: Term): Gen {
  const ns = listToArray(nodes);
  const args = listToArray(a);
  const ms = timeoutMs(t);
  if (ns === undefined || !ns.every((x) => x instanceof Atom) || !isMFA(m, f) || args === undefined || ms === undefined) throw erlError(A.badarg);
  const me = self();
  const deadline = performance.now() + ms;
  // each node's call runs in a helper process, so they all run at once; each answers {Tag, I, Result}
  const tag = node.makeRef();
  const tagKey = refKey(tag);
  ns.forEach((n, i) => {
    node.spawn(function* () {
      const left = Math.max(0, deadline - performance.now());
      let r: Term;
      try {
        r = tuple(OK, yield* erpcCall(n, m, f, a, ms === Infinity ? A.infinity : Math.ceil(left)));
      } catch (e) {
        const x = asErlangException(e);
        r = tuple(x.cls, x.reason);
      }
      node.sendToPid(me.pid, tuple(tag, i, r));
      return OK;
    }, []);
  });
  const results: Term[] = new Array(ns.length);
  for (let got = 0; got < ns.length; got++) {
    const msg = (yield* receive((x) =>
      x instanceof Tuple && x.size === 3 && x.elements[0] instanceof Ref && refKey(x.elements[0]) === tagKey ? x : undefined,
    ))!;
    results[msg.elements[1] as number] = msg.elements[2];
  }
  const ok: Term[] = [];
  const bad: Term[] = [];
  results.forEach((r, i) => {
    const [cls, v] = (r as Tuple).elements;
    if (cls === OK) {
      ok.push(v instanceof Tuple && v.size === 2 && v.elements[0] === A.EXIT ? tuple(A.badrpc, v) : v);
    } else if (cls === ERROR_CLASS && v instanceof Tuple && v.size === 2 && v.elements[0] === A.erpc && (v.elements[1] === A.timeout || v.elements[1] === A.noconnection)) {
      bad.push(ns[i]);
    } else {
      ok.push(rpcify(new ErlangException(cls as Atom, v)));
    }
  });
  return tuple(list(ok), list(bad));
}

defineGenBif('rpc', 'multicall', 3, function* (m: Term, f: Term, a: Term) {
  return yield* multicall(list([node.name, ...netKernel.nodes('visible')]), m, f, a, A.infinity);
});
defineGenBif('rpc', 'multicall', 4, function* (x: Term, m: Term, f: Term, a: Term) {
  if (listToArray(x) !== undefined) return yield* multicall(x, m, f, a, A.infinity);
  return yield* multicall(list([node.name, ...netKernel.nodes('visible')]), x, m, f, a);
});
defineGenBif('rpc', 'multicall', 5, function* (ns: Term, m: Term, f: Term, a: Term, t: Term) {
  return yield* multicall(ns, m, f, a, t);
});

// ---------- net_adm ----------

/** net_adm:ping/1: pong when Node's net_kernel says yes to {is_auth, node()}; else pang (and disconnect). */
defineGenBif('net_adm', 'ping', 1, function* (n: Term) {
  if (!(n instanceof Atom)) throw errorIn(atom('function_clause'), 'net_adm', 'ping', [n]);
  if (!netKernel.alive) return n === node.name ? A.pong : A.pang;
  if (n !== node.name) {
    const up = yield* awaitPromise(netKernel.connect(n));
    if (!up) return A.pang;
  }
  const r = yield* genCall({ name: A.net_kernel, node: n }, tuple(A.is_auth, node.name));
  if (r.ok && r.reply === A.yes) return A.pong;
  netKernel.disconnect(n);
  return A.pang;
});

defineGenBif('net_adm', 'names', 0, function* () {
  return yield* names(undefined);
});
defineGenBif('net_adm', 'names', 1, function* (host: Term) {
  const h = host instanceof Atom ? host.name : listToString(host);
  if (h === undefined) fail('net_adm', 'names', [host]);
  return yield* names(h);
});

function listToString(t: Term): string | undefined {
  const items = listToArray(t);
  if (items === undefined || !items.every((c) => typeof c === 'number')) return undefined;
  return String.fromCodePoint(...(items as number[]));
}

function* names(host: string | undefined): Gen {
  try {
    const r = yield* awaitPromise(epmdNames(host === undefined ? {} : { host }));
    return tuple(OK, list(r.nodes.map((x) => tuple(charlist(x.name), x.port))));
  } catch {
    return tuple(A.error, A.address);
  }
}

defineGenBif('net_adm', 'localhost', 0, function* () {
  return charlist(hostname());
});

// ---------- net_kernel ----------

defineGenBif('net_kernel', 'connect_node', 1, function* (n: Term) {
  if (!(n instanceof Atom)) fail('net_kernel', 'connect_node', [n]);
  if (!netKernel.alive) return A.ignored;
  return bool(yield* awaitPromise(netKernel.connect(n)));
});

defineGenBif('net_kernel', 'hidden_connect_node', 1, function* (n: Term) {
  if (!(n instanceof Atom)) fail('net_kernel', 'hidden_connect_node', [n]);
  if (!netKernel.alive) return A.ignored;
  return bool(yield* awaitPromise(netKernel.connect(n)));
});

defineGenBif('net_kernel', 'disconnect', 1, function* (n: Term) {
  if (!(n instanceof Atom)) fail('net_kernel', 'disconnect', [n]);
  if (!netKernel.alive) return A.ignored;
  return bool(netKernel.disconnect(n));
});

/** net_kernel:start([Name, NameType, TickTime]) / start(Name, #{name_domain => ...}) from a running node. */
function* netKernelStart(name: Term, longNames: boolean, tick: number | undefined): Gen {
  const nk = node.whereis(A.net_kernel);
  if (netKernel.alive && nk !== undefined) return tuple(A.error, tuple(A.already_started, nk.pid));
  if (!(name instanceof Atom)) return tuple(A.error, A.badarg);
  try {
    yield* awaitPromise(netKernel.start({ name: name.name, longNames, tickTime: tick }));
  } catch (e) {
    if (e instanceof DistStartError) {
      // erl logs the reason and returns {error, Reason}
      return tuple(A.error, tuple(atom('shutdown'), tuple(atom('failed_to_start_child'), A.net_kernel, tuple(A.EXIT, atom('nodistribution')))));
    }
    throw e;
  }
  startedDynamically = true;
  return tuple(OK, node.whereis(A.net_kernel)!.pid);
}

let startedDynamically = false;

defineGenBif('net_kernel', 'start', 1, function* (opts: Term) {
  const items = listToArray(opts);
  if (items === undefined || items.length === 0) return tuple(A.error, A.badarg);
  const longNames = items[1] !== A.shortnames;
  const tick = typeof items[2] === 'number' ? items[2] : undefined;
  return yield* netKernelStart(items[0], longNames, tick);
});
defineGenBif('net_kernel', 'start', 2, function* (name: Term, opts: Term) {
  let longNames = true;
  if (opts instanceof Object && 'get' in opts && typeof (opts as { get: unknown }).get === 'function') {
    const domain = (opts as unknown as { get(k: Term): Term | undefined }).get(atom('name_domain'));
    if (domain === A.shortnames) longNames = false;
  }
  return yield* netKernelStart(name, longNames, undefined);
});
defineGenBif('net_kernel', 'stop', 0, function* () {
  if (!netKernel.alive) return tuple(A.error, atom('not_found'));
  if (!startedDynamically) return tuple(A.error, A.not_allowed);
  netKernel.stop();
  startedDynamically = false;
  return OK;
});

defineGenBif('net_kernel', 'get_net_ticktime', 0, function* () {
  return Math.round(netKernel.tickTimeMs / 1000);
});

function* monitorNodes(flag: Term, opts: Term): Gen {
  if (flag !== TRUE && flag !== FALSE) return A.error;
  const items = listToArray(opts);
  if (items === undefined) return A.error;
  const sub = { info: items.length > 0, nodeType: false, reason: false, visible: true, hidden: false };
  for (const it of items) {
    if (it === A.nodedown_reason) sub.reason = true;
    else if (it instanceof Tuple && it.size === 2 && it.elements[0] === A.node_type) {
      const kind = it.elements[1];
      sub.nodeType = true;
      sub.visible = kind === A.all || kind === A.visible;
      sub.hidden = kind === A.all || kind === A.hidden;
      if (!sub.visible && !sub.hidden) return tuple(A.error, tuple(atom('options_not_a_list'), opts));
    } else return tuple(A.error, tuple(atom('unknown_options'), list([it])));
  }
  netKernel.monitorNodes(self(), flag === TRUE, sub);
  return OK;
}

defineGenBif('net_kernel', 'monitor_nodes', 1, function* (flag: Term) {
  return yield* monitorNodes(flag, NIL);
});
defineGenBif('net_kernel', 'monitor_nodes', 2, function* (flag: Term, opts: Term) {
  return yield* monitorNodes(flag, opts);
});

// ---------- global ----------

defineGenBif('global', 'register_name', 2, function* (name: Term, pid: Term) {
  if (!(pid instanceof Pid)) throw errorIn(atom('function_clause'), 'global', 'register_name', [name, pid]);
  return yield* globalNames.registerName(name, pid);
});
defineGenBif('global', 'register_name', 3, function* (name: Term, pid: Term, method: Term) {
  if (!(pid instanceof Pid)) throw errorIn(atom('function_clause'), 'global', 'register_name', [name, pid, method]);
  return yield* globalNames.registerName(name, pid, method);
});
defineGenBif('global', 'unregister_name', 1, function* (name: Term) {
  return yield* globalNames.unregisterName(name);
});
defineGenBif('global', 'whereis_name', 1, function* (name: Term) {
  return globalNames.whereisName(name) ?? UNDEFINED;
});
defineGenBif('global', 'registered_names', 0, function* () {
  return list(globalNames.registeredNames());
});
defineGenBif('global', 'send', 2, function* (name: Term, msg: Term) {
  const pid = globalNames.whereisName(name);
  if (pid === undefined) throw new ErlangException(EXIT_CLASS, tuple(A.badarg, tuple(name, msg)), otpFrame('global', 'send', 2, 253));
  node.send(pid, msg, self().pid);
  return pid;
});
defineGenBif('global', 'sync', 0, function* () {
  return yield* globalNames.sync();
});

