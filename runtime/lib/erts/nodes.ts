// erlang's node BIFs: nodes/0,1, is_alive, monitor_node, disconnect_node, the cookie, and
// spawn*/2,4 on other nodes (as SPAWN_REQUEST), as OTP 25 behaves (return values and error shapes
// checked against real erl). What is not distributed yet (nonode@nohost) answers as erl does.

import { Atom, Fun, Pid, Ref, Term, Tuple, atom, bool, list, listToArray, tuple, NIL, OK, TRUE, FALSE } from '../../vm/term.js';
import { ErlangException, EXIT_CLASS, erlError } from '../../vm/exception.js';
import { defineGenBif, lookupBif } from '../../vm/bif_registry.js';
import { node, NONODE } from '../../vm/node.js';
import { receive } from '../../vm/receive.js';
import { refKey, link, monitor } from '../../vm/signals.js';
import { netKernel } from '../../distribution/net_kernel.js';
import { logWarning } from '../../distribution/dist_log.js';
import { spawnRequest } from '../kernel/erpc.js';
import { writeTerm } from '../stdlib/format/term.js';
import { A, type Gen, self, fail, errorIn, otpFrame, isMFA } from '../kernel/dist_common.js';

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
