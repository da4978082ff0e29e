// global's locks, as OTP 25 keeps them: a lock is {ResourceId, LockRequesterId}, set on a list of
// nodes. Each node's global_name_server holds its part of the table (the server side here:
// {set_lock, Id} and {del_lock, Id} calls, a holder's death frees what it held); set_lock/1,2,3
// asks every node, frees what it got when one says no, and tries again after a random sleep
// (a quarter of a second at first, doubling up to 8 s) until its retries are used up; trans/2..4
// runs a fun under a lock.

import { Atom, Pid, Ref, type RefKey, Term, Tuple, atom, canonical, listToArray, tuple, TRUE, FALSE } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { receive } from '../../vm/receive.js';
import { demonitor, monitor, refKey } from '../../vm/signals.js';
import { callExport, callFun } from '../../vm/abi.js';
import { codeServer } from '../../vm/code_server.js';
import type { Process } from '../../vm/process.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { errorIn } from './dist_common.js';
import { genCall } from '../stdlib/gen_call.js';

const GLOBAL_NAME_SERVER = atom('global_name_server');
const SET_LOCK = atom('set_lock');
const DEL_LOCK = atom('del_lock');
const ABORTED = atom('aborted');
const INFINITY = atom('infinity');

interface Lock {
  resource: Term;
  requester: Term;
  /** the processes holding it and the server's monitor on each */
  holders: Map<string, { pid: Pid; ref: Ref }>;
}

const locks = new Map<string, Lock>();
const byRef = new Map<RefKey, string>();

function pidKey(p: Pid): string {
  return `${p.node.name}/${p.id}/${p.serial}`;
}

/** The server's answer to {set_lock, {ResourceId, LockRequesterId}} from pid. */
export function setLock(server: Process, id: Term, pid: Pid): Term {
  if (!(id instanceof Tuple) || id.size !== 2) return FALSE;
  const [resource, requester] = id.elements;
  const key = canonical(resource);
  let l = locks.get(key);
  if (l !== undefined && canonical(l.requester) !== canonical(requester)) return FALSE;
  if (l === undefined) locks.set(key, (l = { resource, requester, holders: new Map() }));
  if (!l.holders.has(pidKey(pid))) {
    const ref = monitor(server, pid);
    l.holders.set(pidKey(pid), { pid, ref });
    byRef.set(refKey(ref), key);
  }
  return TRUE;
}

/** {del_lock, Id} from pid: its hold goes; the lock goes with its last holder. */
export function delLock(server: Process, id: Term, pid: Pid): void {
  if (!(id instanceof Tuple) || id.size !== 2) return;
  const key = canonical(id.elements[0]);
  const l = locks.get(key);
  if (l === undefined || canonical(l.requester) !== canonical(id.elements[1])) return;
  const h = l.holders.get(pidKey(pid));
  if (h === undefined) return;
  demonitor(server, h.ref, true);
  release(key, l, pidKey(pid), h.ref);
}

function release(key: string, l: Lock, holder: string, ref: Ref): void {
  byRef.delete(refKey(ref));
  l.holders.delete(holder);
  if (l.holders.size === 0) locks.delete(key);
}

/** A monitored holder died: true when the DOWN was one of the locks'. */
export function lockHolderDown(ref: Ref): boolean {
  const key = byRef.get(refKey(ref));
  if (key === undefined) return false;
  const l = locks.get(key);
  if (l !== undefined) for (const [k, h] of l.holders) if (refKey(h.ref) === refKey(ref)) release(key, l, k, ref);
  byRef.delete(refKey(ref));
  return true;
}

/** Is the resource locked by someone else than requester? (the global lock's registrar check) */
export function lockedByOther(resource: Term, requester: Term): boolean {
  const l = locks.get(canonical(resource));
  return l !== undefined && canonical(l.requester) !== canonical(requester);
}

// ---------- the client side ----------

function* callAll(nodes: Atom[], request: Term): Generator<unknown, Map<Atom, Term>, unknown> {
  const replies = new Map<Atom, Term>();
  for (const n of nodes) {
    const r = yield* genCall({ name: GLOBAL_NAME_SERVER, node: n }, request);
    if (r.ok) replies.set(n, r.reply);
  }
  return replies;
}

/** One attempt on every node: true, or false with what was got given back. */
function* setLockOnNodes(id: Term, nodes: Atom[]): Generator<unknown, boolean, unknown> {
  if (nodes.length === 0) return true;
  const replies = yield* callAll(nodes, tuple(SET_LOCK, id));
  // a node that did not answer (down) counts as granted, as multi_call's bad nodes do
  const granted = [...replies].filter(([, r]) => r === TRUE).map(([n]) => n);
  if (granted.length === replies.size) return true;
  yield* callAll(granted, tuple(DEL_LOCK, id));
  return false;
}

/** OTP's random_sleep: a random time up to 1/4 s, doubling with each try up to 8 s. */
function* randomSleep(times: number): Generator<unknown, void, unknown> {
  const max = times > 5 ? 8000 : Math.floor(((1 << times) * 1000) / 8);
  yield* receive(() => undefined, 1 + Math.floor(Math.random() * max));
}

export function* setLockOn(id: Term, nodes: Atom[], retries: number): Generator<unknown, boolean, unknown> {
  for (let times = 1; ; times++) {
    if (yield* setLockOnNodes(id, nodes)) return true;
    if (retries-- <= 0) return false;
    yield* randomSleep(times);
  }
}

export function* delLockOn(id: Term, nodes: Atom[]): Generator<unknown, void, unknown> {
  yield* callAll(nodes, tuple(DEL_LOCK, id));
}

function allNodes(): Atom[] {
  return [node.name, ...(node.dist?.nodes?.('visible') ?? [])];
}

function isId(id: Term): boolean {
  return id instanceof Tuple && id.size === 2;
}

function nodeList(t: Term): Atom[] | undefined {
  const l = listToArray(t);
  return l !== undefined && l.every((n) => n instanceof Atom) ? (l as Atom[]) : undefined;
}

function retriesOf(t: Term): number | undefined {
  if (t === INFINITY) return Number.POSITIVE_INFINITY;
  return typeof t === 'number' && Number.isInteger(t) && t >= 0 ? t : undefined;
}

function* setLockBif(name: string, args: Term[], id: Term, nodesT: Term | undefined, retriesT: Term | undefined): Generator<unknown, Term, unknown> {
  const nodes = nodesT === undefined ? allNodes() : nodeList(nodesT);
  const retries = retriesT === undefined ? Number.POSITIVE_INFINITY : retriesOf(retriesT);
  if (!isId(id) || nodes === undefined || retries === undefined) throw errorIn(atom('function_clause'), 'global', name, args);
  return (yield* setLockOn(id, nodes, retries)) ? TRUE : FALSE;
}

defineGenBif('global', 'set_lock', 1, function* (id: Term) {
  return yield* setLockBif('set_lock', [id], id, undefined, undefined);
});
defineGenBif('global', 'set_lock', 2, function* (id: Term, nodes: Term) {
  return yield* setLockBif('set_lock', [id, nodes], id, nodes, undefined);
});
defineGenBif('global', 'set_lock', 3, function* (id: Term, nodes: Term, retries: Term) {
  return yield* setLockBif('set_lock', [id, nodes, retries], id, nodes, retries);
});

function* delLockBif(args: Term[], id: Term, nodesT: Term | undefined): Generator<unknown, Term, unknown> {
  const nodes = nodesT === undefined ? allNodes() : nodeList(nodesT);
  if (!isId(id) || nodes === undefined) throw errorIn(atom('function_clause'), 'global', 'del_lock', args);
  yield* delLockOn(id, nodes);
  return TRUE;
}

defineGenBif('global', 'del_lock', 1, function* (id: Term) {
  return yield* delLockBif([id], id, undefined);
});
defineGenBif('global', 'del_lock', 2, function* (id: Term, nodes: Term) {
  return yield* delLockBif([id, nodes], id, nodes);
});

function* trans(args: Term[], id: Term, fun: Term, nodesT: Term | undefined, retriesT: Term | undefined): Generator<unknown, Term, unknown> {
  const nodes = nodesT === undefined ? allNodes() : nodeList(nodesT);
  const retries = retriesT === undefined ? Number.POSITIVE_INFINITY : retriesOf(retriesT);
  if (!isId(id) || nodes === undefined || retries === undefined) throw errorIn(atom('function_clause'), 'global', 'trans', args);
  if (!(yield* setLockOn(id, nodes, retries))) return ABORTED;
  try {
    // {M, F} is called as M:F() (OTP allows it still)
    if (fun instanceof Tuple && fun.size === 2 && fun.elements[0] instanceof Atom && fun.elements[1] instanceof Atom) {
      return yield* callExport(codeServer, fun.elements[0], fun.elements[1], 0, []);
    }
    return yield* callFun(fun, []);
  } finally {
    yield* delLockOn(id, nodes);
  }
}

defineGenBif('global', 'trans', 2, function* (id: Term, fun: Term) {
  return yield* trans([id, fun], id, fun, undefined, undefined);
});
defineGenBif('global', 'trans', 3, function* (id: Term, fun: Term, nodes: Term) {
  return yield* trans([id, fun, nodes], id, fun, nodes, undefined);
});
defineGenBif('global', 'trans', 4, function* (id: Term, fun: Term, nodes: Term, retries: Term) {
  return yield* trans([id, fun, nodes, retries], id, fun, nodes, retries);
});

