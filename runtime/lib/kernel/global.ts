// global: names registered across the visible nodes, and the part of OTP 25's global protocol
// (version 8) that makes terl a synced member of a partition (reference §6.3):
//
//   nodeup        cast {init_connect, {8, MyTag}, Me, {locker, no_longer_a_pid, #{}, Locker}}
//   init_connect  answer {init_connect_ack, Me, HisTag, MyTag} and a spontaneous
//                 {lock_set, Locker, true, [], HisTag}: OTP's locker locks its side and answers
//                 with its own lock_set
//   lock_set      (with our tag) cast {exchange, Me, Names, [], HisTag}
//   exchange      his names come in; cast ours (if not yet) and {resolved, Me, Ops, [], unused, [], HisTag}
//   resolved      apply his operations: synced, so global:sync() returns
//   calls         set_lock / del_lock / register / unregister from OTP's registrar: answered
//
// A hidden node takes no part (OTP sends hidden nodes nothing for global). Names registered here
// go to every synced node with the registrar's calls (set_lock, register, del_lock), as OTP does.

import { Atom, Pid, Ref, Term, Tuple, Fun, atom, canonical, list, listToArray, tuple, ErlMap, TRUE, OK, UNDEFINED } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { S } from '../../vm/scheduler.js';
import { receiveAny, receive } from '../../vm/receive.js';
import { monitor, demonitor, refKey } from '../../vm/signals.js';
import type { Process } from '../../vm/process.js';
import { netKernel } from '../../distribution/net_kernel.js';
import { genCall, genCast, genReply } from '../stdlib/gen_call.js';
import { ErlangException, EXIT_CLASS } from '../../vm/exception.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { timeoutMs } from './erpc.js';
import { A as D, self, errorIn, otpFrame } from './dist_common.js';

const VSN = 8;
const A = {
  global_name_server: atom('global_name_server'),
  gen_call: atom('$gen_call'),
  gen_cast: atom('$gen_cast'),
  init_connect: atom('init_connect'),
  init_connect_ack: atom('init_connect_ack'),
  locker: atom('locker'),
  no_longer_a_pid: atom('no_longer_a_pid'),
  lock_set: atom('lock_set'),
  exchange: atom('exchange'),
  resolved: atom('resolved'),
  unused: atom('unused'),
  new_nodes: atom('new_nodes'),
  in_sync: atom('in_sync'),
  insert: atom('insert'),
  delete: atom('delete'),
  set_lock: atom('set_lock'),
  del_lock: atom('del_lock'),
  register: atom('register'),
  register_ext: atom('register_ext'),
  unregister: atom('unregister'),
  whereis: atom('whereis'),
  yes: atom('yes'),
  no: atom('no'),
  global: atom('global'),
  random_exit_name: atom('random_exit_name'),
  DOWN: atom('DOWN'),
  synced: atom('$terl_global_synced'),
};

/** fun global:random_exit_name/3: the conflict method register_name/2 uses. */
const RANDOM_EXIT_NAME = new Fun(3, undefined, { kind: 'export', module: A.global, name: A.random_exit_name, arity: 3 });

interface NameEntry {
  name: Term;
  pid: Pid;
  method: Term;
  /** the server's monitor on the pid */
  ref?: Ref;
}

interface PeerSync {
  myTag: number;
  hisTag?: Term;
  sentExchange: boolean;
  sentResolved: boolean;
  synced: boolean;
}

const names = new Map<string, NameEntry>();
const byMonitor = new Map<string, string>();
const peers = new Map<Atom, PeerSync>();
/** nodes of the partition we are synced with, learned from resolved, new_nodes and in_sync */
const known = new Set<Atom>();
const syncWaiters = new Set<Pid>();
let server: Process | undefined;
let nextTag = Math.floor(Math.random() * 0x10000000);

// ---------- the name table ----------

function insertName(name: Term, pid: Pid, method: Term): void {
  deleteName(name);
  const e: NameEntry = { name, pid, method };
  if (server !== undefined) {
    e.ref = monitor(server, pid);
    byMonitor.set(refKey(e.ref), canonical(name));
  }
  names.set(canonical(name), e);
}

function deleteName(name: Term): void {
  const key = canonical(name);
  const e = names.get(key);
  if (e === undefined) return;
  names.delete(key);
  if (e.ref !== undefined) {
    byMonitor.delete(refKey(e.ref));
    if (server !== undefined) demonitor(server, e.ref, true);
  }
}

/** global:whereis_name/1 */
export function whereisName(name: Term): Pid | undefined {
  const e = names.get(canonical(name));
  if (e === undefined) return undefined;
  if (node.isLocal(e.pid) && node.process(e.pid) === undefined) return undefined;
  return e.pid;
}

/** global:registered_names/0 */
export function registeredNames(): Term[] {
  return [...names.values()].map((e) => e.name);
}

function namesList(): Term {
  return list([...names.values()].map((e) => tuple(e.name, e.pid, e.method)));
}

/** {insert, {Name, Pid, Method}} and {delete, Name} from another node's resolver. */
function doOps(ops: Term): void {
  for (const op of listToArray(ops) ?? []) {
    if (!(op instanceof Tuple) || op.size !== 2) continue;
    const [kind, what] = op.elements;
    if (kind === A.insert && what instanceof Tuple && what.size === 3 && what.elements[1] instanceof Pid) {
      insertName(what.elements[0], what.elements[1], what.elements[2]);
    } else if (kind === A.delete) {
      deleteName(what);
    }
  }
}

/** His names from an exchange: ours where we have none (a clash keeps ours; the smaller node resolves in OTP). */
function takeNames(list_: Term): Term[] {
  const ops: Term[] = [];
  for (const t of listToArray(list_) ?? []) {
    if (!(t instanceof Tuple) || t.size !== 3 || !(t.elements[1] instanceof Pid)) continue;
    const [name, pid, method] = t.elements;
    if (!names.has(canonical(name))) {
      insertName(name, pid as Pid, method);
      ops.push(tuple(A.insert, t));
    }
  }
  return ops;
}

// ---------- syncing with a peer ----------

function isParticipant(peer: Atom): boolean {
  return !netKernel.hidden && netKernel.connection(peer)?.visible === true;
}

function peerState(peer: Atom): PeerSync {
  let p = peers.get(peer);
  if (p === undefined) {
    p = { myTag: ++nextTag, sentExchange: false, sentResolved: false, synced: false };
    peers.set(peer, p);
  }
  return p;
}

function cast(peer: Atom, msg: Term): void {
  genCast(A.global_name_server, peer, msg);
}

function sendInitConnect(peer: Atom, p: PeerSync): void {
  const locker = server!.pid;
  cast(peer, tuple(A.init_connect, tuple(VSN, p.myTag), node.name, tuple(A.locker, A.no_longer_a_pid, new ErlMap(), locker)));
}

function nodeUp(peer: Atom): void {
  if (!isParticipant(peer)) return;
  peers.delete(peer);
  sendInitConnect(peer, peerState(peer));
}

function nodeDown(peer: Atom): void {
  peers.delete(peer);
  known.delete(peer);
  // names of processes on that node go (their monitors fire with noconnection too)
  for (const e of [...names.values()]) if (!node.isLocal(e.pid) && e.pid.node === peer) deleteName(e.name);
  wakeSyncWaiters();
}

function onInitConnect(peer: Atom, vsn: Term): void {
  if (!isParticipant(peer)) return;
  const fresh = !peers.has(peer);
  const p = peerState(peer);
  if (fresh) sendInitConnect(peer, p);
  const hisTag = vsn instanceof Tuple && vsn.size >= 2 ? vsn.elements[1] : undefined;
  if (hisTag === undefined) return;
  p.hisTag = hisTag;
  node.send(tuple(A.global_name_server, peer), tuple(A.init_connect_ack, node.name, hisTag, p.myTag), server!.pid);
  cast(peer, tuple(A.lock_set, server!.pid, TRUE, list([]), hisTag));
}

function tagIsMine(p: PeerSync | undefined, tag: Term): p is PeerSync {
  return p !== undefined && tag === p.myTag;
}

function sendExchange(peer: Atom, p: PeerSync): void {
  if (p.sentExchange || p.hisTag === undefined) return;
  p.sentExchange = true;
  cast(peer, tuple(A.exchange, node.name, namesList(), list([]), p.hisTag));
}

function onLockSet(peer: Atom, tag: Term): void {
  const p = peers.get(peer);
  if (!tagIsMine(p, tag)) return;
  sendExchange(peer, p);
}

function onExchange(peer: Atom, nameList: Term, tag: Term): void {
  const p = peers.get(peer);
  if (!tagIsMine(p, tag)) return;
  sendExchange(peer, p);
  takeNames(nameList);
  if (!p.sentResolved && p.hisTag !== undefined) {
    p.sentResolved = true;
    cast(peer, tuple(A.resolved, node.name, list([]), list([]), A.unused, list([]), p.hisTag));
  }
}

function onResolved(peer: Atom, hisResolved: Term, hisKnown: Term, tag: Term): void {
  const p = peers.get(peer);
  if (!tagIsMine(p, tag)) return;
  doOps(hisResolved);
  p.synced = true;
  known.add(peer);
  meet(hisKnown);
  wakeSyncWaiters();
}

/** connect_all: the nodes a peer knows become ours too. */
function meet(nodesList: Term): void {
  for (const n of listToArray(nodesList) ?? []) {
    const name = n instanceof Tuple ? n.elements[0] : n;
    if (!(name instanceof Atom) || name === node.name) continue;
    known.add(name);
    // OTP's sync_other: connect, and tell it we are in sync (its global:sync() waits for that)
    if (netKernel.connectAll) cast(name, tuple(A.in_sync, node.name, TRUE));
  }
}

// ---------- global:sync() ----------

function allSynced(): boolean {
  for (const n of netKernel.nodes('visible')) {
    if (!isParticipant(n)) continue;
    if (peers.get(n)?.synced !== true) return false;
  }
  return true;
}

function wakeSyncWaiters(): void {
  for (const pid of syncWaiters) {
    const p = node.process(pid);
    if (p === undefined) syncWaiters.delete(pid);
    else node.deliver(p, A.synced);
  }
}

/** global:sync(): returns once every visible node is synced with this one (or after timeoutMs). */
export function* sync(timeoutMs = Infinity): Generator<unknown, Term, unknown> {
  if (!netKernel.alive || netKernel.hidden) return OK;
  const self = S.current as Process;
  const deadline = performance.now() + timeoutMs;
  syncWaiters.add(self.pid);
  try {
    while (!allSynced() && performance.now() < deadline) yield* receive((m) => (m === A.synced ? m : undefined), 200);
  } finally {
    syncWaiters.delete(self.pid);
  }
  return OK;
}

// ---------- registering from this node ----------

/** The nodes global knows: those synced with us and those they told us of (OTP's registrar calls them all). */
function knownNodes(): Atom[] {
  const out = new Set<Atom>(known);
  for (const [n, p] of peers) if (p.synced) out.add(n);
  return [...out].filter((n) => netKernel.connection(n) !== undefined || netKernel.connectAll);
}

/** global:register_name(Name, Pid): yes or no. */
export function* registerName(name: Term, pid: Pid, method: Term = RANDOM_EXIT_NAME): Generator<unknown, Term, unknown> {
  if (whereisName(name) !== undefined) return A.no;
  for (const e of names.values()) if (e.pid === pid || (e.pid.node === pid.node && e.pid.id === pid.id && e.pid.serial === pid.serial)) return A.no;
  yield* registrar(tuple(A.register, name, pid, method));
  insertName(name, pid, method);
  return A.yes;
}

/** global:unregister_name(Name) */
export function* unregisterName(name: Term): Generator<unknown, Term, unknown> {
  if (!names.has(canonical(name))) return OK;
  yield* registrar(tuple(A.unregister, name));
  deleteName(name);
  return OK;
}

/** What OTP's registrar does around a name change: lock every synced node, tell it, unlock. */
function* registrar(request: Term): Generator<unknown, void, unknown> {
  // a partition being merged right now would miss the change: let the syncs finish first, as
  // OTP's registrar waits for the global lock the syncing lockers hold (a node that never syncs,
  // connect_all false, delays it only so long)
  yield* sync(5000);
  const self = S.current as Process;
  const lockId = tuple(A.global, self.pid);
  for (const peer of knownNodes()) {
    const dest = { name: A.global_name_server, node: peer };
    for (let tries = 0; tries < 50; tries++) {
      const r = yield* genCall(dest, tuple(A.set_lock, lockId), 5000);
      if (!r.ok || r.reply === TRUE) break;
      yield* receive(() => undefined, 20 + tries * 10);
    }
    yield* genCall(dest, request, 5000);
    yield* genCall(dest, tuple(A.del_lock, lockId), 5000);
  }
}

// ---------- the global_name_server process ----------

function handleCall(from: Term, req: Term): void {
  if (req instanceof Tuple) {
    const e = req.elements;
    if (e[0] === A.register && req.size === 4 && e[2] instanceof Pid) {
      insertName(e[1], e[2], e[3]);
      return genReply(from, A.yes);
    }
    if (e[0] === A.register_ext && req.size === 5 && e[2] instanceof Pid) {
      insertName(e[1], e[2], e[3]);
      return genReply(from, A.yes);
    }
    if (e[0] === A.unregister && req.size === 2) {
      deleteName(e[1]);
      return genReply(from, OK);
    }
  }
  // set_lock, del_lock and whatever else the registrar asks: granted
  genReply(from, TRUE);
}

function handleCast(peer: Atom | undefined, msg: Term): void {
  if (!(msg instanceof Tuple)) return;
  const e = msg.elements;
  switch (e[0]) {
    case A.init_connect:
      if (msg.size === 4 && e[2] instanceof Atom) onInitConnect(e[2], e[1]);
      return;
    case A.lock_set:
      if (msg.size === 5 && e[1] instanceof Pid) onLockSet(e[1].node, e[4]);
      return;
    case A.exchange:
      if (msg.size === 5 && e[1] instanceof Atom) onExchange(e[1], e[2], e[4]);
      return;
    case A.resolved:
      if (msg.size === 7 && e[1] instanceof Atom) onResolved(e[1], e[2], e[3], e[6]);
      return;
    case A.new_nodes:
      if (msg.size === 6) {
        doOps(e[2]);
        meet(e[4]);
      }
      return;
    case A.in_sync:
      if (msg.size === 3 && e[1] instanceof Atom) {
        const p = peers.get(e[1]);
        if (p !== undefined) p.synced = true;
        known.add(e[1]);
        wakeSyncWaiters();
      }
      return;
    default:
      void peer;
  }
}

export function startGlobal(): void {
  if (node.whereis(A.global_name_server) !== undefined) return;
  const p = node.spawn(function* () {
    for (;;) {
      const m = yield* receiveAny();
      if (!(m instanceof Tuple)) continue;
      const e = m.elements;
      if (e[0] === A.gen_call && m.size === 3) handleCall(e[1], e[2]);
      else if (e[0] === A.gen_cast && m.size === 2) handleCast(undefined, e[1]);
      else if (e[0] === A.whereis && m.size === 3) genReply(e[2], whereisName(e[1]) ?? atom('undefined'));
      else if (e[0] === A.DOWN && m.size === 5 && e[1] instanceof Ref) {
        const key = byMonitor.get(refKey(e[1]));
        if (key !== undefined) {
          byMonitor.delete(refKey(e[1]));
          const entry = names.get(key);
          if (entry !== undefined && entry.ref !== undefined && refKey(entry.ref) === refKey(e[1])) names.delete(key);
        }
      }
      // init_connect_ack, cancel_connect, lost_connection, ...: nothing to do for terl
    }
  }, []);
  server = p;
  node.register(A.global_name_server, p);
  // names registered before distribution started are monitored now
  for (const e of names.values()) if (e.ref === undefined) e.ref = monitor(p, e.pid);
  netKernel.onNode((event, peer) => (event === 'nodeup' ? nodeUp(peer) : nodeDown(peer)));
}


export { A as GLOBAL_ATOMS };

// ---------- global ----------

defineGenBif('global', 'register_name', 2, function* (name: Term, pid: Term) {
  if (!(pid instanceof Pid)) throw errorIn(atom('function_clause'), 'global', 'register_name', [name, pid]);
  return yield* registerName(name, pid);
});
defineGenBif('global', 'register_name', 3, function* (name: Term, pid: Term, method: Term) {
  if (!(pid instanceof Pid)) throw errorIn(atom('function_clause'), 'global', 'register_name', [name, pid, method]);
  return yield* registerName(name, pid, method);
});
defineGenBif('global', 'unregister_name', 1, function* (name: Term) {
  return yield* unregisterName(name);
});
defineGenBif('global', 'whereis_name', 1, function* (name: Term) {
  return whereisName(name) ?? UNDEFINED;
});
defineGenBif('global', 'registered_names', 0, function* () {
  return list(registeredNames());
});
defineGenBif('global', 'send', 2, function* (name: Term, msg: Term) {
  const pid = whereisName(name);
  if (pid === undefined) throw new ErlangException(EXIT_CLASS, tuple(D.badarg, tuple(name, msg)), otpFrame('global', 'send', 2, 253));
  node.send(pid, msg, self().pid);
  return pid;
});
defineGenBif('global', 'sync', 0, function* () {
  return yield* sync();
});
