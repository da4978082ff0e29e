// global: names registered across the visible nodes, kept by each node's global_name_server, and
// OTP 25's protocol (version 8) for merging two partitions when a connection comes up:
//
//   nodeup        cast {init_connect, {8, MyTag}, Me, {locker, no_longer_a_pid, #{}, Locker}}
//   init_connect  answer {init_connect_ack, Me, HisTag, MyTag} and a spontaneous
//                 {lock_set, Locker, true, [], HisTag}: OTP's locker locks its side and answers
//                 with its own lock_set
//   lock_set      (with our tag) cast {exchange, Me, Names, [], HisTag}
//   exchange      a resolver compares his names with ours: a name both have for different
//                 processes is resolved, when we are the smaller node, by calling the name's
//                 method (random_exit_name by default) where our process runs; then cast
//                 {resolved, Me, HisOps, Known, unused, [], HisTag}
//   resolved      run our operations and his; every node he knows is connected and told
//                 {in_sync, Me, true} (connect_all's mesh), and every node we knew is told of
//                 the new ones: {new_nodes, Me, Ops, [], NewNodes, ExtraInfo}
//   new_nodes     the same, from a node of our partition that merged with another
//   in_sync       a node of the other partition is synced with us
//
// With prevent_overlapping_partitions (kernel's default), a lost connection to a known node is
// told to every other known node ({lost_connection, Me, XCreation, OpId, Node}); a node that hears
// of it and is still connected to that node asks it to disconnect ({remove_connection, Me}), so
// no node stays in two partitions. -connect_all false, or a hidden node, takes no part. Locks are
// global_locks.ts's.

import { Atom, Pid, Ref, type RefKey, Term, Tuple, Fun, atom, canonical, list, listToArray, tuple, ErlMap, TRUE, OK, UNDEFINED, NIL } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { S } from '../../vm/scheduler.js';
import { receiveAny, receive } from '../../vm/receive.js';
import { monitor, demonitor, refKey, exit2 } from '../../vm/signals.js';
import { callExport, callFun } from '../../vm/abi.js';
import { codeServer } from '../../vm/code_server.js';
import { logger } from '../../vm/logger.js';
import type { Process } from '../../vm/process.js';
import { netKernel } from '../../distribution/net_kernel.js';
import { genCall, genCast, genReply } from '../stdlib/gen_call.js';
import { writeAtom } from '../stdlib/format/chars.js';
import { ErlangException, EXIT_CLASS } from '../../vm/exception.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { A as D, self, errorIn, otpFrame } from './dist_common.js';
import { kernelParameter } from '../erts/init.js';
import { delLock, delLockOn, lockHolderDown, setLock, setLockOn } from './global_locks.js';

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
  get_known: atom('get_known'),
  get_synced: atom('get_synced'),
  get_protocol_version: atom('get_protocol_version'),
  whereis: atom('whereis'),
  lost_connection: atom('lost_connection'),
  remove_connection: atom('remove_connection'),
  yes: atom('yes'),
  no: atom('no'),
  none: atom('none'),
  kill: atom('kill'),
  global: atom('global'),
  resolve_it: atom('resolve_it'),
  random_exit_name: atom('random_exit_name'),
  global_name_conflict: atom('global_name_conflict'),
  vsn: atom('vsn'),
  lock: atom('lock'),
  rex: atom('rex'),
  call: atom('call'),
  user: atom('user'),
  DOWN: atom('DOWN'),
  synced: atom('$terl_global_synced'),
  exchange_ops: atom('$terl_global_exchange_ops'),
};

/** fun global:random_exit_name/3: the conflict method register_name/2 uses. */
const RANDOM_EXIT_NAME = new Fun(3, (...args: Term[]) => callExport(codeServer, A.global, A.random_exit_name, 3, args), {
  kind: 'export',
  module: A.global,
  name: A.random_exit_name,
  arity: 3,
});

interface NameEntry {
  name: Term;
  pid: Pid;
  method: Term;
  /** the server's monitor on the pid */
  ref?: Ref;
}

/** One merge with a peer, from nodeup (or its init_connect) to resolved. */
interface Session {
  myTag: number;
  hisTag?: Term;
  hisVsn: number;
  sentExchange: boolean;
  /** what our resolver made of his names: ours to run, and his (sent in resolved) */
  myOps?: Term[];
  /** his resolved, when it came before our resolver was done */
  his?: { ops: Term[]; known: Term[] };
}

const names = new Map<string, NameEntry>();
const byMonitor = new Map<RefKey, string>();
const sessions = new Map<Atom, Session>();
/** the nodes of our partition (node → protocol version), as OTP's Known */
const known = new Map<Atom, number>();
/** nodes we are merging with (OTP's {pending, Node}) */
const pending = new Set<Atom>();
/** nodes whose nodedown we caused (remove_connection): not told to the others */
const removing = new Set<Atom>();
const synced = new Set<Atom>();
/** lost_connection messages handled: {NodeA, NodeB} → his creation and operation id */
const lostSeen = new Map<string, { creation: Term; opId: number }>();
const syncWaiters = new Set<Pid>();
let server: Process | undefined;
let nextTag = Math.floor(Math.random() * 0x10000000);
let nextOpId = 1;
/** what lost_connection carries as our creation (unique per incarnation) */
const creationExtension = Math.floor(Math.random() * 0x40000000);

function connectAll(): boolean {
  return netKernel.connectAll;
}

function preventOverlappingPartitions(): boolean {
  return kernelParameter('prevent_overlapping_partitions') !== 'false';
}

function warning(text: string): void {
  logger().report('WARNING REPORT', text);
}

// ---------- the name table ----------

function samePid(a: Pid, b: Pid): boolean {
  return a === b || (a.node === b.node && a.id === b.id && a.serial === b.serial);
}

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

/** {insert, {Name, Pid, Method}} and {delete, Name}, as a resolver made them. */
function doOps(ops: Term[]): void {
  for (const op of ops) {
    if (!(op instanceof Tuple) || op.size !== 2) continue;
    const [kind, what] = op.elements;
    if (kind === A.insert && what instanceof Tuple && what.size === 3 && what.elements[1] instanceof Pid) {
      insertName(what.elements[0], what.elements[1], what.elements[2]);
    } else if (kind === A.delete) {
      deleteName(what);
    }
  }
}

// ---------- resolving name clashes ----------

/** global:resolve_it/4: the method decides which of two processes keeps the name. */
function* resolveIt(method: Term, name: Term, pid1: Term, pid2: Term): Generator<unknown, Term, unknown> {
  try {
    return yield* callFun(method, [name, pid1, pid2]);
  } catch (e) {
    if (!(e instanceof ErlangException)) throw e;
    return e.cls === EXIT_CLASS ? tuple(atom('EXIT'), e.reason) : tuple(atom('EXIT'), tuple(e.reason, e.stack));
  }
}

/** The process on the smaller node keeps the name. */
function minmax(p1: Pid, p2: Pid): [Pid, Pid] {
  return p1.node.name < p2.node.name ? [p1, p2] : [p2, p1];
}

/** global:random_exit_name/3: the other process is killed. */
function randomExitName(name: Term, pid1: Pid, pid2: Pid): Pid {
  const [min, max] = minmax(pid1, pid2);
  // logged at level info in OTP, which erl does not print by default
  exit2(S.current as Process, max, A.kill);
  void name;
  return min;
}

/**
 * His names against ours (OTP's exchange_names): the operations we run and those he runs. A
 * clash is ours to resolve when we are the smaller node; the method runs where our process is.
 */
function* exchangeNames(peer: Atom, his: Term): Generator<unknown, { ops: Term[]; res: Term[] }, unknown> {
  const ops: Term[] = [];
  const res: Term[] = [];
  for (const t of listToArray(his) ?? []) {
    if (!(t instanceof Tuple) || t.size !== 3 || !(t.elements[1] instanceof Pid)) continue;
    const [name, pid] = t.elements as [Term, Pid];
    const mine = names.get(canonical(name));
    if (mine === undefined) {
      ops.push(tuple(A.insert, t));
      continue;
    }
    if (samePid(mine.pid, pid) || !(node.name.name < peer.name)) continue;
    const args = [mine.method, name, pid, mine.pid];
    let winner: Term;
    if (node.isLocal(mine.pid)) winner = yield* resolveIt(mine.method, name, pid, mine.pid);
    else {
      const r = yield* genCall({ name: A.rex, node: mine.pid.node }, tuple(A.call, A.global, A.resolve_it, list(args), A.user), 10000);
      winner = r.ok ? r.reply : pid;
    }
    if (winner instanceof Pid && samePid(winner, pid)) ops.push(tuple(A.insert, t));
    else if (winner instanceof Pid && samePid(winner, mine.pid)) res.push(tuple(A.insert, tuple(name, mine.pid, mine.method)));
    else if (winner instanceof Tuple && winner.elements[0] === atom('badrpc')) ops.push(tuple(A.insert, t));
    else {
      const del = tuple(A.delete, name);
      ops.push(del);
      res.push(del);
    }
  }
  return { ops, res };
}

// ---------- merging with a peer ----------

function isParticipant(peer: Atom): boolean {
  return connectAll() && !netKernel.hidden && netKernel.connection(peer)?.visible === true;
}

function cast(peer: Atom, msg: Term): void {
  genCast(A.global_name_server, peer, msg);
}

/** A message for a peer's global_name_server itself (handle_info), as OTP's gns_volatile_send. */
function tell(peer: Atom, msg: Term): void {
  if (netKernel.connection(peer) === undefined) return;
  node.send(tuple(A.global_name_server, peer), msg, server?.pid);
}

function newSession(peer: Atom): Session {
  const s: Session = { myTag: ++nextTag, hisVsn: VSN, sentExchange: false };
  sessions.set(peer, s);
  cast(peer, tuple(A.init_connect, tuple(VSN, s.myTag), node.name, tuple(A.locker, A.no_longer_a_pid, new ErlMap(), server!.pid)));
  return s;
}

function nodeUp(peer: Atom): void {
  // a node of our partition already (new_nodes told us of it): its in_sync comes instead
  if (!isParticipant(peer) || known.has(peer)) return;
  sessions.delete(peer);
  newSession(peer);
}

function onInitConnect(peer: Atom, vsn: Term): void {
  if (!isParticipant(peer)) return;
  const s = sessions.get(peer) ?? newSession(peer);
  if (!(vsn instanceof Tuple) || vsn.size < 2) return;
  const hisVsn = vsn.elements[0];
  s.hisVsn = typeof hisVsn === 'number' ? Math.min(hisVsn, VSN) : VSN;
  s.hisTag = vsn.elements[1];
  pending.add(peer);
  tell(peer, tuple(A.init_connect_ack, node.name, s.hisTag, s.myTag));
  cast(peer, tuple(A.lock_set, server!.pid, TRUE, NIL, s.hisTag));
}

function mine(peer: Atom, tag: Term): Session | undefined {
  const s = sessions.get(peer);
  return s !== undefined && tag === s.myTag ? s : undefined;
}

function sendExchange(peer: Atom, s: Session): void {
  if (s.sentExchange || s.hisTag === undefined) return;
  s.sentExchange = true;
  cast(peer, tuple(A.exchange, node.name, namesList(), NIL, s.hisTag));
}

function onLockSet(peer: Atom, tag: Term): void {
  const s = mine(peer, tag);
  if (s !== undefined) sendExchange(peer, s);
}

function onExchange(peer: Atom, nameList: Term, tag: Term): void {
  const s = mine(peer, tag);
  if (s === undefined) return;
  sendExchange(peer, s);
  // a resolver of its own: resolving a clash may call another node
  const myTag = s.myTag;
  node.spawn(function* () {
    const { ops, res } = yield* exchangeNames(peer, nameList);
    if (server !== undefined) node.deliver(server, tuple(A.exchange_ops, peer, myTag, list(ops), list(res)));
    return atom('normal');
  }, []);
}

/** Our known nodes as resolved and new_nodes carry them: {Node, Vsn}. */
function knownList(): Term {
  return list([...known].map(([n, v]) => tuple(n, v)));
}

function onExchangeOps(peer: Atom, tag: Term, ops: Term, res: Term): void {
  const s = mine(peer, tag);
  if (s === undefined || s.hisTag === undefined) return;
  s.myOps = listToArray(ops) ?? [];
  cast(peer, tuple(A.resolved, node.name, res, knownList(), A.unused, NIL, s.hisTag));
  if (s.his !== undefined) merged(peer, s);
}

function onResolved(peer: Atom, hisResolved: Term, hisKnown: Term, tag: Term): void {
  const s = mine(peer, tag);
  if (s === undefined) return;
  s.his = { ops: listToArray(hisResolved) ?? [], known: listToArray(hisKnown) ?? [] };
  if (s.myOps !== undefined) merged(peer, s);
}

/** A node name from a known list ({Node, Vsn} or, from older nodes, Node). */
function knownNode(t: Term): [Atom, number] | undefined {
  if (t instanceof Atom) return [t, 0];
  if (t instanceof Tuple && t.size === 2 && t.elements[0] instanceof Atom) {
    const v = t.elements[1];
    return [t.elements[0], typeof v === 'number' ? v : 0];
  }
  return undefined;
}

/** Add nodes to our partition: the ones we did not know yet. */
function addToKnown(nodes: Term[]): Atom[] {
  const added: Atom[] = [];
  for (const t of nodes) {
    const k = knownNode(t);
    if (k === undefined || k[0] === node.name || known.has(k[0])) continue;
    known.set(k[0], k[1]);
    added.push(k[0]);
  }
  return added;
}

/** OTP's sync_other: connect to each node and tell it we are in sync (its global:sync() waits for that). */
function syncOthers(nodes: Atom[]): void {
  for (const n of nodes) {
    void netKernel.connect(n).then((up) => {
      if (up) cast(n, tuple(A.in_sync, node.name, TRUE));
      else warning(`'global' at ${writeAtom(node.name)} failed to connect to ${writeAtom(n)}\n`);
    });
  }
}

/** Both sides resolved: the partitions are one. */
function merged(peer: Atom, s: Session): void {
  const ops = [...(s.myOps ?? []), ...(s.his?.ops ?? [])];
  const hisKnown = s.his?.known ?? [];
  sessions.delete(peer);
  pending.delete(peer);
  const newNodes = [tuple(peer, s.hisVsn), ...hisKnown];
  syncOthers(hisKnown.map(knownNode).filter((k): k is [Atom, number] => k !== undefined && k[0] !== node.name).map((k) => k[0]));
  doOps(ops);
  // the nodes of our partition hear of the other one (before they join ours)
  const extra = list([tuple(A.vsn, s.hisVsn), tuple(A.lock, tuple(A.global, list([server!.pid])))]);
  for (const n of known.keys()) if (n !== peer) cast(n, tuple(A.new_nodes, node.name, list(ops), NIL, list(newNodes), extra));
  addToKnown(newNodes);
  synced.add(peer);
  wakeSyncWaiters();
}

function onNewNodes(ops: Term, nodes: Term): void {
  const added = addToKnown(listToArray(nodes) ?? []);
  syncOthers(added);
  doOps(listToArray(ops) ?? []);
  wakeSyncWaiters();
}

function onInSync(peer: Atom): void {
  synced.add(peer);
  pending.delete(peer);
  sessions.delete(peer);
  wakeSyncWaiters();
}

// ---------- losing nodes ----------

/** OTP's handle_nodedown: what this node knew of the peer goes. */
function forget(peer: Atom, how: 'disconnected' | 'remove_connection'): void {
  sessions.delete(peer);
  if (how === 'remove_connection') removing.add(peer);
  else if (removing.has(peer)) removing.delete(peer);
  else informConnectionLoss(peer);
  pending.delete(peer);
  known.delete(peer);
  synced.delete(peer);
}

function informConnectionLoss(peer: Atom): void {
  if (!connectAll() || !preventOverlappingPartitions()) return;
  const msg = tuple(A.lost_connection, node.name, node.creation + creationExtension, nextOpId++, peer);
  multicast(msg, peer);
}

/** To every node we know or are merging with, but `except`. */
function multicast(msg: Term, except: Atom): void {
  const to = new Set<Atom>([...known.keys(), ...pending]);
  for (const n of to) if (n !== except) tell(n, msg);
}

function potentiallyKnown(n: Atom): boolean {
  return known.has(n) || pending.has(n);
}

function nodeDown(peer: Atom): void {
  forget(peer, 'disconnected');
  // names of processes on that node go (their monitors fire with noconnection too)
  for (const e of [...names.values()]) if (!node.isLocal(e.pid) && e.pid.node === peer) deleteName(e.name);
  wakeSyncWaiters();
}

/** {lost_connection, NodeA, XCreation, OpId, NodeB}: NodeA lost NodeB; we must not keep both. */
function onLostConnection(msg: Tuple): void {
  if (!connectAll() || !preventOverlappingPartitions()) return;
  const [, a, creation, opId, b] = msg.elements;
  if (!(a instanceof Atom) || !(b instanceof Atom) || typeof opId !== 'number') return;
  const key = `${a.name} ${b.name}`;
  const seen = lostSeen.get(key);
  if (seen !== undefined && canonical(seen.creation) === canonical(creation) && opId <= seen.opId) return;
  // passed on, so every node hears of it even if NodeA goes meanwhile
  multicast(msg, a);
  lostSeen.set(key, { creation, opId });
  const rm = b === node.name ? a : b;
  if (!potentiallyKnown(rm)) return;
  tell(rm, tuple(A.remove_connection, node.name));
  warning(`'global' at node ${writeAtom(node.name)} requested disconnect from node ${writeAtom(rm)} in order to prevent overlapping partitions`);
  forget(rm, 'remove_connection');
}

/** {remove_connection, Node}: Node asks us to drop our connection to it. */
function onRemoveConnection(n: Atom): void {
  if (!potentiallyKnown(n)) return;
  netKernel.disconnect(n);
  forget(n, 'remove_connection');
  warning(`'global' at node ${writeAtom(node.name)} disconnected node ${writeAtom(n)} in order to prevent overlapping partitions`);
}

// ---------- global:sync() ----------

function allSynced(): boolean {
  for (const n of netKernel.nodes('visible')) {
    if (!isParticipant(n)) continue;
    if (!synced.has(n)) return false;
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
  if (!netKernel.alive || netKernel.hidden || !connectAll()) return OK;
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

/** The nodes the registrar locks and tells: this one and the partition's. */
function registrarNodes(): Atom[] {
  const out = new Set<Atom>([node.name, ...known.keys()]);
  return [...out].filter((n) => n === node.name || netKernel.connection(n) !== undefined);
}

/** global:register_name(Name, Pid): yes or no. */
export function* registerName(name: Term, pid: Pid, method: Term = RANDOM_EXIT_NAME): Generator<unknown, Term, unknown> {
  return yield* registrar(function* (nodes) {
    if (whereisName(name) !== undefined) return A.no;
    for (const e of names.values()) if (samePid(e.pid, pid)) return A.no;
    for (const n of nodes) {
      // a node that is not distributed has no global_name_server yet: its table is changed here
      if (n === node.name && server === undefined) insertName(name, pid, method);
      else yield* genCall({ name: A.global_name_server, node: n }, tuple(A.register, name, pid, method));
    }
    return A.yes;
  });
}

/** global:unregister_name(Name) */
export function* unregisterName(name: Term): Generator<unknown, Term, unknown> {
  return yield* registrar(function* (nodes) {
    if (names.has(canonical(name))) {
      for (const n of nodes) {
        if (n === node.name && server === undefined) deleteName(name);
        else yield* genCall({ name: A.global_name_server, node: n }, tuple(A.unregister, name));
      }
    }
    return OK;
  });
}

/** What OTP's registrar does around a name change: the global lock on every node of the partition. */
function* registrar(change: (nodes: Atom[]) => Generator<unknown, Term, unknown>): Generator<unknown, Term, unknown> {
  // a partition being merged right now would miss the change: let the merges finish first
  yield* sync(5000);
  const id = tuple(A.global, (S.current as Process).pid);
  for (;;) {
    const nodes = registrarNodes();
    if (!(yield* setLockOn(id, nodes, Number.POSITIVE_INFINITY))) continue;
    try {
      // a node that joined meanwhile is locked too before anything changes
      if (registrarNodes().every((n) => nodes.includes(n))) return yield* change(nodes);
    } finally {
      yield* delLockOn(id, nodes);
    }
  }
}

// ---------- the global_name_server process ----------

function handleCall(from: Term, req: Term): void {
  const caller = from instanceof Tuple && from.elements[0] instanceof Pid ? from.elements[0] : undefined;
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
    if (e[0] === A.set_lock && req.size === 2 && caller !== undefined) return genReply(from, setLock(server!, e[1], caller));
    if (e[0] === A.del_lock && req.size === 2 && caller !== undefined) {
      delLock(server!, e[1], caller);
      return genReply(from, TRUE);
    }
  }
  if (req === A.get_known) return genReply(from, list([...known.keys()]));
  if (req === A.get_synced) return genReply(from, list([...synced]));
  if (req === A.get_protocol_version) return genReply(from, VSN);
}

function handleCast(msg: Term): void {
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
      if (msg.size === 6) onNewNodes(e[2], e[4]);
      return;
    case A.in_sync:
      if (msg.size === 3 && e[1] instanceof Atom) onInSync(e[1]);
      return;
  }
}

function handleInfo(m: Tuple): void {
  const e = m.elements;
  if (e[0] === A.gen_call && m.size === 3) handleCall(e[1], e[2]);
  else if (e[0] === A.gen_cast && m.size === 2) handleCast(e[1]);
  else if (e[0] === A.whereis && m.size === 3) genReply(e[2], whereisName(e[1]) ?? UNDEFINED);
  else if (e[0] === A.exchange_ops && m.size === 5 && e[1] instanceof Atom) onExchangeOps(e[1], e[2], e[3], e[4]);
  else if (e[0] === A.lost_connection && m.size === 5) onLostConnection(m);
  else if (e[0] === A.remove_connection && m.size === 2 && e[1] instanceof Atom) onRemoveConnection(e[1]);
  else if (e[0] === A.DOWN && m.size === 5 && e[1] instanceof Ref) {
    if (lockHolderDown(e[1])) return;
    const key = byMonitor.get(refKey(e[1]));
    if (key === undefined) return;
    byMonitor.delete(refKey(e[1]));
    const entry = names.get(key);
    if (entry !== undefined && entry.ref !== undefined && refKey(entry.ref) === refKey(e[1])) names.delete(key);
  }
  // init_connect_ack, cancel_connect, ...: nothing to do for terl
}

export function startGlobal(): void {
  if (node.whereis(A.global_name_server) !== undefined) return;
  const p = node.spawn(function* () {
    for (;;) {
      const m = yield* receiveAny();
      if (m instanceof Tuple) handleInfo(m);
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
defineGenBif('global', 'resolve_it', 4, function* (method: Term, name: Term, pid1: Term, pid2: Term) {
  return yield* resolveIt(method, name, pid1, pid2);
});
defineGenBif('global', 'random_exit_name', 3, function* (name: Term, pid1: Term, pid2: Term) {
  if (!(pid1 instanceof Pid) || !(pid2 instanceof Pid)) throw errorIn(atom('function_clause'), 'global', 'random_exit_name', [name, pid1, pid2]);
  return randomExitName(name, pid1, pid2);
});
defineGenBif('global', 'random_notify_name', 3, function* (name: Term, pid1: Term, pid2: Term) {
  if (!(pid1 instanceof Pid) || !(pid2 instanceof Pid)) throw errorIn(atom('function_clause'), 'global', 'random_notify_name', [name, pid1, pid2]);
  const [min, max] = minmax(pid1, pid2);
  node.send(max, tuple(A.global_name_conflict, name), self().pid);
  return min;
});
defineGenBif('global', 'notify_all_name', 3, function* (name: Term, pid1: Term, pid2: Term) {
  if (!(pid1 instanceof Pid) || !(pid2 instanceof Pid)) throw errorIn(atom('function_clause'), 'global', 'notify_all_name', [name, pid1, pid2]);
  node.send(pid1, tuple(A.global_name_conflict, name, pid2), self().pid);
  node.send(pid2, tuple(A.global_name_conflict, name, pid1), self().pid);
  return A.none;
});
