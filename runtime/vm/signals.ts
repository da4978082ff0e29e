// Exit signals, links and monitors, with Erlang's rules:
//
//   a process ends with Reason  → every linked process gets an exit signal {Pid, Reason};
//                                  every monitoring process gets {'DOWN', Ref, process, Item, Reason}
//   receiving an exit signal:      kill sent by exit/2 (not through a link) → dies with `killed`, trapping or not
//                                  trapping exits → message {'EXIT', From, Reason} (normal too)
//                                  normal → ignored, except exit(self(), normal), which ends the process
//                                  anything else → dies with the same Reason (`kill` through a link included)
//
// Signals are delivered at once (one thread: nothing can come between), and deaths they cause are
// handled from a work list, so a chain of 100,000 linked processes dies without deep recursion.
// A signal that kills the process running right now marks it (pendingExit) and empties its budget:
// it dies at its next yield, without running further `catch` or `after` code, as in BEAM.

import { Atom, Pid, Port, Ref, type RefKey, Term, Tuple, atom, exactEqual, tuple } from './term.js';
import { RefTable } from './ref_table.js';
import { ErlangException } from './exception.js';
import { Process, Monitor, AliasMode, DEAD, NORMAL, KILL, KILLED, NOPROC, isLoggedCrash } from './process.js';
import { S, setExitHandler, unschedule, currentlyRunning, handingOffProcess } from './scheduler.js';
import { node } from './node.js';
import { logger } from './logger.js';
import { releaseAll } from './resources.js';
import { traceExit, traceProcs } from './trace.js';

const EXIT = atom('EXIT');
const DOWN = atom('DOWN');
const PROCESS = atom('process');
export const NOCONNECTION = atom('noconnection');

/** monitor/3's options */
export interface MonitorOptions {
  tag?: Term;
  alias?: AliasMode;
}

export function refKey(ref: Ref): RefKey {
  if (ref.key !== undefined) return ref.key;
  // this node's refs (monitors, aliases, call tags): their counter, a number, hashed and compared cheaply
  const own = node.ownRefNumber(ref);
  if (own !== undefined) return (ref.key = own);
  const ids = ref.ids;
  // (most refs have three words: no join for them, it is the slow part on the hot path of rpc)
  const key = ids.length === 3 ? ref.node.name + '/' + ids[0] + '.' + ids[1] + '.' + ids[2] : ref.node.name + '/' + ids.join('.');
  ref.key = key;
  return key;
}

// ---------- dying ----------

interface Death {
  p: Process;
  reason: Term;
  crash?: ErlangException;
}
const deaths: Death[] = [];
let draining = false;

/** p ends with reason (from the scheduler, or because a signal killed it). */
export function terminate(p: Process, reason: Term, crash?: ErlangException): void {
  if (p.status === DEAD) return;
  deaths.push({ p, reason, crash });
  if (draining) return;
  draining = true;
  try {
    for (let i = 0; i < deaths.length; i++) die(deaths[i]);
  } finally {
    deaths.length = 0;
    draining = false;
  }
}

setExitHandler(terminate);
// a message to one of this node's aliases (node.send) goes through the alias rules here
node.aliasSend = sendToAlias;

function die({ p, reason, crash }: Death): void {
  if (p.status === DEAD) return;
  if (p.trace !== undefined) traceExit(p, reason);
  p.status = DEAD;
  p.gen = undefined;
  p.exitReason = reason;
  p.pendingExit = undefined;
  unschedule(p);
  node.forget(p);
  p.mailbox.clear();
  p.dict = undefined;
  if (p.aliases !== undefined) {
    for (const key of p.aliases.keys()) node.aliases.delete(key);
    p.aliases = undefined;
  }
  if (crash !== undefined && isLoggedCrash(crash)) logger().crash(p.pid, reason, p.groupLeader);
  // what it owns outside itself (ports, sockets, ets tables) goes first: a table's heir gets it before
  // anyone sees the 'DOWN', as BEAM hands tables over
  releaseAll(p, reason);

  const links = p.links;
  p.links = undefined;
  if (links !== undefined) {
    const myKey = node.pidKey(p.pid);
    for (const to of links.values()) {
      if (to instanceof Port) {
        node.portExit(to, p.pid, reason);
      } else if (node.isLocal(to)) {
        const q = node.process(to);
        if (q !== undefined) {
          if (q.links?.delete(myKey) && q.trace !== undefined) traceProcs(q, 'getting_unlinked', p.pid);
          exitSignal(p.pid, q, reason, true);
        }
      } else {
        node.dist?.exit(p.pid, to, reason);
      }
    }
  }

  const watchers = p.monitoredBy;
  p.monitoredBy = undefined;
  if (watchers !== undefined) {
    for (const [key, m] of watchers) {
      if (node.isLocal(m.watcher)) {
        const w = node.process(m.watcher);
        if (w !== undefined && w.monitors?.delete(key)) fired(w, m, reason);
      } else {
        node.dist?.down(p.pid, m.watcher, m.ref, reason);
      }
    }
  }

  const mine = p.monitors;
  p.monitors = undefined;
  if (mine !== undefined) {
    for (const [key, m] of mine) dropMonitorAtTarget(key, m);
  }

}

function downMessage(m: Monitor, reason: Term): Tuple {
  return tuple(m.tag ?? DOWN, m.ref, PROCESS, m.item, reason);
}

/** The watcher gets its 'DOWN': an alias made with the monitor goes with it (unless explicit_unalias). */
function fired(w: Process, m: Monitor, reason: Term): void {
  endAliasWithMonitor(w, m.ref);
  node.deliver(w, downMessage(m, reason));
}

// ---------- aliases ----------

/** Make ref an alias of p: a message sent to ref reaches p while the alias is active. */
export function addAlias(p: Process, ref: Ref, mode: AliasMode): void {
  const key = refKey(ref);
  (p.aliases ??= new RefTable()).set(key, mode);
  node.aliases.set(key, p);
}

/** unalias: true when ref was an active alias of p. */
export function removeAlias(p: Process, ref: Ref): boolean {
  const key = refKey(ref);
  if (!p.aliases?.delete(key)) return false;
  node.aliases.delete(key);
  return true;
}

function endAliasWithMonitor(p: Process, ref: Ref): void {
  const mode = p.aliases?.get(refKey(ref));
  if (mode === 'demonitor' || mode === 'reply_demonitor') removeAlias(p, ref);
}

/**
 * A message sent to an alias: delivered while the alias is active (dropped otherwise, as OTP
 * does). A `reply` alias ends with its first message; a reply_demonitor one also ends its monitor.
 */
export function sendToAlias(ref: Ref, msg: Term): void {
  const key = refKey(ref);
  const p = node.aliases.get(key);
  if (p === undefined) return;
  const mode = p.aliases?.get(key);
  if (mode === 'reply' || mode === 'reply_demonitor') {
    removeAlias(p, ref);
    if (mode === 'reply_demonitor') demonitor(p, ref, false);
  }
  node.deliver(p, msg);
}

/** Kill p with reason: now if it is parked or queued, at its next yield if it is running. */
function kill(p: Process, reason: Term): void {
  if (p === currentlyRunning()) {
    if (p.pendingExit === undefined) p.pendingExit = reason;
    S.reds = 0;
  } else if (p === handingOffProcess()) {
    // its receive is running another process (runtime/vm/scheduler.ts handoff): it dies when it waits
    if (p.pendingExit === undefined) p.pendingExit = reason;
  } else {
    terminate(p, reason);
  }
}

/**
 * An exit signal from `from` reaches local process `to`. `viaLink` is true for the signal a
 * dying linked process sends, false for exit/2.
 */
export function exitSignal(from: Pid | Port, to: Process, reason: Term, viaLink: boolean): void {
  if (to.status === DEAD) return;
  if (!viaLink && reason === KILL) {
    kill(to, KILLED);
  } else if (to.trapExit) {
    node.deliver(to, tuple(EXIT, from, reason));
  } else if (reason === NORMAL) {
    if (!viaLink && from instanceof Pid && node.isPidOf(from, to)) kill(to, NORMAL);
  } else {
    kill(to, reason);
  }
}

/** exit(To, Reason) called by process `self`. */
export function exit2(self: Process, to: Pid, reason: Term): void {
  if (node.isLocal(to)) {
    const q = node.process(to);
    if (q !== undefined) exitSignal(self.pid, q, reason, false);
  } else {
    node.dist?.exit2(self.pid, to, reason);
  }
}

// ---------- links ----------

function addLink(p: Process, to: Pid): void {
  (p.links ??= new Map()).set(node.pidKey(to), to);
}

/**
 * link(To) by process `self`: false when To is a local process that does not exist and self does
 * not trap exits (the BIF raises error:noproc); a trapping process gets {'EXIT', To, noproc} instead.
 */
export function link(self: Process, to: Pid): boolean {
  if (node.isPidOf(to, self)) return true;
  if (node.isLocal(to)) {
    const q = node.process(to);
    if (q === undefined) {
      if (!self.trapExit) return false;
      node.deliver(self, tuple(EXIT, to, NOPROC));
      return true;
    }
    addLink(self, to);
    addLink(q, self.pid);
    if (self.trace !== undefined) traceProcs(self, 'link', to);
    if (q.trace !== undefined) traceProcs(q, 'getting_linked', self.pid);
    return true;
  }
  if (node.dist === undefined) {
    exitSignal(to, self, NOCONNECTION, true);
    return true;
  }
  addLink(self, to);
  node.dist.link(self.pid, to);
  return true;
}

export function unlink(self: Process, to: Pid): void {
  const key = node.pidKey(to);
  if (!self.links?.delete(key)) return;
  if (self.trace !== undefined) traceProcs(self, 'unlink', to);
  if (node.isLocal(to)) {
    const q = node.process(to);
    if (q?.links?.delete(node.pidKey(self.pid)) && q.trace !== undefined) traceProcs(q, 'getting_unlinked', self.pid);
  } else node.dist?.unlink(self.pid, to);
}

// ---------- monitors ----------

/**
 * monitor(process, Target) by `self`: Target is a pid, a registered name, or {Name, Node}.
 * A target that does not exist gets its 'DOWN' with noproc at once (noconnection for an
 * unreachable node). Returns the monitor's ref.
 */
export function monitor(self: Process, target: Pid | Atom, targetNode?: Atom, opts?: MonitorOptions): Ref {
  const ref = node.makeRef();
  // a process watching itself gets a reference and nothing else, as in OTP: no monitor, no alias
  if (target === self.pid || (target instanceof Atom && (targetNode ?? node.name) === node.name && node.whereis(target) === self)) return ref;
  const tag = opts?.tag;
  if (opts?.alias !== undefined) addAlias(self, ref, opts.alias);
  let item: Term;
  let pid: Pid | undefined;
  if (target instanceof Pid) {
    item = target;
    pid = target;
  } else {
    const on = targetNode ?? node.name;
    item = tuple(target, on);
    if (on === node.name) pid = node.whereis(target)?.pid;
    else return monitorRemote(self, ref, target, on, item, tag);
  }
  if (pid === undefined) return monitorNoproc(self, ref, target, item, tag);
  if (!node.isLocal(pid)) return monitorRemote(self, ref, pid, pid.node, item, tag);
  const q = node.process(pid);
  if (q === undefined) return monitorNoproc(self, ref, target, item, tag);
  const m: Monitor = { ref, watcher: self.pid, target: q.pid, item, tag };
  const key = refKey(ref);
  (self.monitors ??= new RefTable()).set(key, m);
  (q.monitoredBy ??= new RefTable()).set(key, m);
  return ref;
}

/** A monitor on a process that does not exist: its 'DOWN' (noproc) at once. */
function monitorNoproc(self: Process, ref: Ref, target: Pid | Atom, item: Term, tag: Term | undefined): Ref {
  fired(self, { ref, watcher: self.pid, target, item, tag }, NOPROC);
  return ref;
}

function monitorRemote(self: Process, ref: Ref, target: Pid | Atom, on: Atom, item: Term, tag: Term | undefined): Ref {
  const m: Monitor = { ref, watcher: self.pid, target, item, tag };
  if (node.dist === undefined) {
    fired(self, m, NOCONNECTION);
    return ref;
  }
  (self.monitors ??= new RefTable()).set(refKey(ref), m);
  node.dist.monitor(self.pid, target, on, ref);
  return ref;
}

function dropMonitorAtTarget(key: RefKey, m: Monitor): void {
  const t = m.target;
  if (t instanceof Pid && node.isLocal(t)) {
    node.process(t)?.monitoredBy?.delete(key);
  } else {
    const on = t instanceof Pid ? t.node : ((m.item as Tuple).elements[1] as Atom);
    node.dist?.demonitor(m.watcher, t, on, m.ref);
  }
}

/**
 * demonitor(Ref, Options) by `self`: true when a monitor was removed. With flush, a 'DOWN' for
 * Ref already in the mailbox is removed too.
 */
export function demonitor(self: Process, ref: Ref, flush: boolean): boolean {
  const key = refKey(ref);
  const m = self.monitors?.get(key);
  if (m !== undefined) {
    self.monitors!.delete(key);
    dropMonitorAtTarget(key, m);
  }
  endAliasWithMonitor(self, ref);
  // (an empty mailbox, as a call's demonitor after its reply mostly finds, has nothing to flush)
  if (flush && self.mailbox.length > 0) {
    self.mailbox.removeWhere(
      (msg) =>
        msg instanceof Tuple &&
        msg.elements.length === 5 &&
        (msg.elements[0] === DOWN || (m?.tag !== undefined && exactEqual(msg.elements[0], m.tag))) &&
        msg.elements[1] instanceof Ref &&
        refKey(msg.elements[1]) === key,
    );
  }
  return m !== undefined;
}

// ---------- signals from other nodes (called by runtime/distribution) ----------

/** LINK from a remote process to local `to`: noproc goes back when `to` does not exist. */
export function remoteLink(from: Pid, to: Pid): void {
  const q = node.process(to);
  if (q === undefined) {
    node.dist?.exit(to, from, NOPROC);
    return;
  }
  addLink(q, from);
}

export function remoteUnlink(from: Pid, to: Pid): void {
  node.process(to)?.links?.delete(node.pidKey(from));
}

/** EXIT: the remote process `from`, linked to local `to`, died. */
export function remoteLinkExit(from: Pid, to: Pid, reason: Term): void {
  const q = node.process(to);
  if (q === undefined || !q.links?.delete(node.pidKey(from))) return;
  exitSignal(from, q, reason, true);
}

/** EXIT2: a remote process called exit(To, Reason). */
export function remoteExit2(from: Pid, to: Pid, reason: Term): void {
  const q = node.process(to);
  if (q !== undefined) exitSignal(from, q, reason, false);
}

/**
 * MONITOR_P from a remote watcher on a local pid or registered name. False when the target does
 * not exist: distribution then answers with a 'DOWN' carrying noproc.
 */
export function remoteMonitor(watcher: Pid, target: Pid | Atom, ref: Ref): boolean {
  const q = target instanceof Pid ? node.process(target) : node.whereis(target);
  if (q === undefined) return false;
  const item = target instanceof Pid ? target : tuple(target, node.name);
  (q.monitoredBy ??= new RefTable()).set(refKey(ref), { ref, watcher, target: q.pid, item });
  return true;
}

export function remoteDemonitor(target: Pid | Atom, ref: Ref): void {
  const q = target instanceof Pid ? node.process(target) : node.whereis(target);
  q?.monitoredBy?.delete(refKey(ref));
}

/** MONITOR_P_EXIT: a remote process that local `watcher` monitors died. */
export function remoteDown(watcher: Pid, ref: Ref, reason: Term): void {
  const w = node.process(watcher);
  if (w === undefined) return;
  const key = refKey(ref);
  const m = w.monitors?.get(key);
  if (m === undefined) return;
  w.monitors!.delete(key);
  fired(w, m, reason);
}

/** The connection to `down` is lost: links break with noconnection, monitors fire with noconnection. */
export function nodeDown(down: Atom): void {
  for (const p of node.processes()) {
    if (p.links !== undefined) {
      for (const [key, to] of [...p.links]) {
        if (to instanceof Pid && !node.isLocal(to) && to.node === down) {
          p.links.delete(key);
          exitSignal(to, p, NOCONNECTION, true);
        }
      }
    }
    if (p.monitors !== undefined) {
      for (const [key, m] of [...p.monitors]) {
        const on = m.target instanceof Pid ? m.target.node : ((m.item as Tuple).elements[1] as Atom);
        if (on === down && !(m.target instanceof Pid && node.isLocal(m.target))) {
          p.monitors.delete(key);
          fired(p, m, NOCONNECTION);
        }
      }
    }
    if (p.monitoredBy !== undefined) {
      for (const [key, m] of [...p.monitoredBy]) {
        if (!node.isLocal(m.watcher) && m.watcher.node === down) p.monitoredBy.delete(key);
      }
    }
  }
}
