// The process BIFs of module erlang: spawning, links, monitors, exit signals, the registry,
// sending, the process dictionary, process_info, timers, node identity, apply, halt.
// Badarg texts are erl_erts_errors' (what the shell prints under `*** argument N:`).

import {
  Atom,
  ErlMap,
  Fun,
  List,
  NIL,
  Pid,
  Port,
  Ref,
  Term,
  Tuple,
  atom,
  bool,
  exactEqual,
  isInteger,
  list,
  listToArray,
  mapKey,
  tuple,
  TRUE,
  FALSE,
  UNDEFINED,
  OK,
  charlist,
  listToString,
} from '../../vm/term.js';
import { PREEMPT, TailCall, wait } from '../../vm/abi.js';
import { badarg, bifError, erlError } from '../../vm/exception.js';
import { defineGenBif, lookupBif } from '../../vm/bif_registry.js';
import { processBif, processReader } from './bif.js';
import { Process, RUNNABLE, RUNNING, WAITING, SUSPENDED, type AliasMode } from '../../vm/process.js';
import { S, SLICE_REDS, bumpReductions, chargeElements, runQueueLength, totalReductions, stopScheduling, handingOffProcess } from '../../vm/scheduler.js';
import { node, NONODE } from '../../vm/node.js';
import { codeServer } from '../../vm/code_server.js';
import { exit2, link, unlink, monitor, demonitor, addAlias, removeAlias, type MonitorOptions } from '../../vm/signals.js';
import { traceSpawn } from '../../vm/trace.js';
import { seqTokenTerm } from '../../vm/seq_trace.js';
import { TimerEntry, addTimer, removeTimer } from '../../vm/timers.js';
import { heapUsed, maxHeapTerm, parseMaxHeap, type MaxHeap } from '../../vm/memory.js';
import { displayTerm } from './display.js';
import { writeStdout, writeStderr } from '../kernel/user.js';
import { formatPid, formatRef, formatPort } from '../stdlib/format/term.js';
import { portOf, linkPort, unlinkPort } from '../../vm/port_table.js';

type Why = Record<number, string>;

/** badarg from erlang:name; cause is the `cause` OTP's error_info carries for it, where it has one. */
function fail(name: string, args: Term[], why?: Why, cause?: string): never {
  throw badarg('erlang', name, args, why, cause);
}

const A = {
  process: atom('process'),
  trap_exit: atom('trap_exit'),
  priority: atom('priority'),
  low: atom('low'),
  normal: atom('normal'),
  high: atom('high'),
  max: atom('max'),
  link: atom('link'),
  monitor: atom('monitor'),
  flush: atom('flush'),
  info: atom('info'),
  timeout: atom('timeout'),
  abs: atom('abs'),
  async: atom('async'),
  running: atom('running'),
  runnable: atom('runnable'),
  waiting: atom('waiting'),
  exiting: atom('exiting'),
  error_handler: atom('error_handler'),
  min_heap_size: atom('min_heap_size'),
  min_bin_vheap_size: atom('min_bin_vheap_size'),
  fullsweep_after: atom('fullsweep_after'),
  max_heap_size: atom('max_heap_size'),
  message_queue_data: atom('message_queue_data'),
  on_heap: atom('on_heap'),
  off_heap: atom('off_heap'),
  sensitive: atom('sensitive'),
  save_calls: atom('save_calls'),
  async_dist: atom('async_dist'),
  spawn_reply: atom('spawn_reply'),
  alias: atom('alias'),
  tag: atom('tag'),
  reply: atom('reply'),
  explicit_unalias: atom('explicit_unalias'),
  ok: OK,
  error: atom('error'),
};

function isPriority(t: Term): t is Atom {
  return t === A.low || t === A.normal || t === A.high || t === A.max;
}

// ---------- spawning ----------

interface SpawnOpts {
  link: boolean;
  monitor: boolean;
  priority?: Atom;
  maxHeap?: MaxHeap;
}

/** spawn_opt options, or undefined when one is not valid. */
function spawnOptions(t: Term): SpawnOpts | undefined {
  const items = listToArray(t);
  if (items === undefined) return undefined;
  const o: SpawnOpts = { link: false, monitor: false };
  for (const it of items) {
    if (it === A.link) o.link = true;
    else if (it === A.monitor) o.monitor = true;
    else if (it instanceof Tuple && it.elements.length === 2) {
      const [k, v] = it.elements;
      if (k === A.monitor && listToArray(v) !== undefined) o.monitor = true;
      else if (k === A.priority && isPriority(v)) o.priority = v;
      else if ((k === A.min_heap_size || k === A.min_bin_vheap_size || k === A.fullsweep_after) && typeof v === 'number' && v >= 0) continue;
      else if (k === A.max_heap_size) {
        const m = parseMaxHeap(v);
        if (m === undefined) return undefined;
        o.maxHeap = m;
      }
      else if (k === A.message_queue_data && (v === A.on_heap || v === A.off_heap)) continue;
      else if (k === A.async_dist && (v === TRUE || v === FALSE)) continue;
      else return undefined;
    } else return undefined;
  }
  return o;
}

/** A process's max_heap_size from now on: its heap is counted from here. */
function setMaxHeap(p: Process, m: MaxHeap): void {
  if (m.size > 0 && p.maxHeap.size === 0) {
    p.heapAtStart = heapUsed();
    p.heapWords = 0;
  }
  p.maxHeap = m;
  p.heapReported = false;
}

/** Start a process (already made by node.spawn*), then link/monitor it before it ever runs. */
function started(self: Process, p: Process, o: SpawnOpts): Term {
  if (o.maxHeap !== undefined) setMaxHeap(p, o.maxHeap);
  if (o.link) link(self, p.pid);
  if (o.monitor) return tuple(p.pid, monitor(self, p.pid));
  return p.pid;
}

function spawnFun(self: Process, name: string, f: Term, o: SpawnOpts, args: Term[] = [f]): Term {
  if (!(f instanceof Fun)) fail(name, args, { 1: 'not a fun' });
  return started(self, spawnFunProcess(self, f), o);
}

/**
 * spawn(Fun): the new process applies Fun to []. A fun of another arity (or one this node cannot
 * run) is accepted and the process dies of it, in erlang:apply/2 as in OTP.
 */
function spawnFunProcess(self: Process, f: Fun): Process {
  const p =
    f.arity === 0 && f.fn !== undefined
      ? node.spawn(f.fn, [])
      : node.spawn(function* () {
          const reason = f.fn === undefined ? tuple(atom('badfun'), f) : tuple(atom('badarity'), tuple(f, NIL));
          throw erlError(reason, list([tuple(atom('erlang'), atom('apply'), 2, NIL)]));
        }, []);
  // a traced parent's spawn event names the fun as BEAM does: erlang:apply(Fun, [])
  if (self.trace !== undefined) traceSpawn(self, p.pid, tuple(atom('erlang'), atom('apply'), list([f, NIL])));
  return p;
}

function mfaWhy(m: Term, f: Term, a: Term): Why | undefined {
  const why: Why = {};
  if (!(m instanceof Atom)) why[1] = 'not an atom';
  if (!(f instanceof Atom)) why[2] = 'not an atom';
  if (listToArray(a) === undefined) why[3] = 'not a list';
  return Object.keys(why).length > 0 ? why : undefined;
}

function spawnMFA(self: Process, name: string, args: Term[], o: SpawnOpts): Term {
  const [m, f, a] = args;
  const why = mfaWhy(m, f, a);
  if (why !== undefined) fail(name, args, why);
  return started(self, node.spawnMFA(m as Atom, f as Atom, listToArray(a)!), o);
}

const PLAIN: SpawnOpts = { link: false, monitor: false };
const LINKED: SpawnOpts = { link: true, monitor: false };
const MONITORED: SpawnOpts = { link: false, monitor: true };

processBif('spawn', 1, (self, f) => spawnFun(self, 'spawn', f, PLAIN));
processBif('spawn', 3, (self, m, f, a) => spawnMFA(self, 'spawn', [m, f, a], PLAIN));
processBif('spawn_link', 1, (self, f) => spawnFun(self, 'spawn_link', f, LINKED));
processBif('spawn_link', 3, (self, m, f, a) => spawnMFA(self, 'spawn_link', [m, f, a], LINKED));
processBif('spawn_monitor', 1, (self, f) => spawnFun(self, 'spawn_monitor', f, MONITORED));
processBif('spawn_monitor', 3, (self, m, f, a) => spawnMFA(self, 'spawn_monitor', [m, f, a], MONITORED));
processBif('spawn_opt', 2, (self, f, opts) => {
  const o = spawnOptions(opts);
  if (!(f instanceof Fun)) fail('spawn_opt', [f, opts], { 1: 'not a fun' });
  if (o === undefined) fail('spawn_opt', [f, opts], { 2: 'invalid spawn option' }, 'badopt');
  const p = spawnFunProcess(self, f);
  if (o.priority) p.priority = o.priority;
  return started(self, p, o);
});
processBif('spawn_opt', 4, (self, m, f, a, opts) => {
  const o = spawnOptions(opts);
  const args = [m, f, a, opts];
  const why = mfaWhy(m, f, a) ?? (o === undefined ? { 4: 'invalid spawn option' } : undefined);
  if (why !== undefined) fail('spawn_opt', args, why, o === undefined ? 'badopt' : undefined);
  const p = node.spawnMFA(m as Atom, f as Atom, listToArray(a)!);
  if (o!.priority) p.priority = o!.priority;
  return started(self, p, o!);
});

// spawn/2,4 and spawn_link/2,4 (a node argument) are distribution's: runtime/lib/erts/nodes.ts

// ---------- identity, liveness ----------

processReader('self', 0, (self) => self.pid, true);

processReader('is_process_alive', 1, (_self, p) => {
  if (!(p instanceof Pid) || !node.isLocal(p)) fail('is_process_alive', [p], { 1: 'not a pid' });
  const q = node.process(p);
  return bool(q !== undefined && q.pendingExit === undefined);
});

processReader('make_ref', 0, () => node.makeRef());

// ---------- pids, refs and ports as text ----------

processReader('pid_to_list', 1, (_self, p) => {
  if (!(p instanceof Pid)) fail('pid_to_list', [p], { 1: 'not a pid' });
  return charlist(formatPid(p));
});
processReader('ref_to_list', 1, (_self, r) => {
  if (!(r instanceof Ref)) fail('ref_to_list', [r], { 1: 'not a reference' });
  return charlist(formatRef(r));
});
processReader('port_to_list', 1, (_self, p) => {
  if (!(p instanceof Port)) fail('port_to_list', [p], { 1: 'not a port' });
  return charlist(formatPort(p));
});

/** The numbers of "<Prefix>N.N...>" text exactly (no spaces, no signs), or undefined. */
function textNumbers(t: Term, prefix: string): number[] | undefined {
  const text = listToString(t);
  if (text === undefined || !text.startsWith(prefix) || !text.endsWith('>')) return undefined;
  const parts = text.slice(prefix.length, -1).split('.');
  if (!parts.every((x) => /^[0-9]+$/.test(x))) return undefined;
  return parts.map(Number);
}

/** list_to_pid("<N.Id.Serial>") for N other than 0: the connected node whose pids print with N. */
function otherNodePid(t: Term): Pid | undefined {
  const text = listToString(t);
  const m = text === undefined ? null : /^<([1-9][0-9]*)\.([0-9]+)\.([0-9]+)>$/.exec(text);
  if (m === null) return undefined;
  const peer = node.dist?.nodeOfChannel?.(Number(m[1]));
  const creation = peer === undefined ? undefined : node.dist?.creationOf?.(peer);
  const [id, serial] = [Number(m[2]), Number(m[3])];
  if (peer === undefined || creation === undefined || id > 0x7fff || serial > 0x1fff) {
    fail('list_to_pid', [t], { 1: 'not a textual representation of a pid' });
  }
  return new Pid(peer, id, serial, creation);
}

processReader('list_to_pid', 1, (_self, t) => {
  const other = otherNodePid(t);
  if (other !== undefined) return other;
  const n = textNumbers(t, '<');
  if (n === undefined || n.length !== 3 || n[0] !== 0 || n[1] > 0x7fff || n[2] > 0x1fff) {
    fail('list_to_pid', [t], { 1: 'not a textual representation of a pid' });
  }
  const pid = new Pid(node.name, n[1], n[2], node.creation);
  return node.process(pid)?.pid ?? pid;
});
processReader('list_to_ref', 1, (_self, t) => {
  const n = textNumbers(t, '#Ref<');
  if (n === undefined || n.length !== 4 || n[0] !== 0 || n.slice(1).some((x) => x > 0xffffffff)) {
    fail('list_to_ref', [t], { 1: 'not a textual representation of a reference' });
  }
  return new Ref(node.name, [n[3], n[2], n[1]], node.creation);
});
processReader('list_to_port', 1, (_self, t) => {
  const n = textNumbers(t, '#Port<');
  if (n === undefined || n.length !== 2 || n[0] !== 0) fail('list_to_port', [t], { 1: 'not a textual representation of a port' });
  return new Port(node.name, n[1], node.creation);
});

processReader('processes', 0, () => list(node.processes().map((p) => p.pid)));

processReader('node', 0, () => node.name, true);
processReader('node', 1, (_self, x) => {
  if (x instanceof Pid || x instanceof Ref) return node.nodeOf(x);
  if (x instanceof Port) return node.isLocal(x as unknown as Pid) ? node.name : x.node;
  return fail('node', [x], { 1: 'not a pid' });
}, true);
// nodes/0,1 and is_alive/0 for a node without distribution; runtime/lib/erts/nodes.ts replaces them

// ---------- links, exit signals, flags ----------

processBif('link', 1, (self, to) => {
  if (to instanceof Port) {
    if (!linkPort(self, to)) throw bifError(atom('noproc'), 'erlang', 'link', [to], { 1: 'the port does not exist' });
    return TRUE;
  }
  if (!(to instanceof Pid)) fail('link', [to], { 1: 'not a pid' });
  if (!link(self, to)) throw bifError(atom('noproc'), 'erlang', 'link', [to], { 1: 'the pid does not refer to an existing process' });
  return TRUE;
});

processBif('unlink', 1, (self, to) => {
  if (to instanceof Port) {
    unlinkPort(self, to);
    return TRUE;
  }
  if (!(to instanceof Pid)) fail('unlink', [to], { 1: 'not a pid' });
  unlink(self, to);
  return TRUE;
});

defineGenBif('erlang', 'exit', 2, function* (to: Term, reason: Term) {
  const self = S.current;
  if (to instanceof Port) {
    portOf(to)?.exitSignal(self.pid, reason, false);
    return TRUE;
  }
  if (!(to instanceof Pid)) fail('exit', [to, reason], { 1: 'not a pid' });
  exit2(self, to, reason);
  // a signal to itself takes effect before exit/2 returns
  if (self.pendingExit !== undefined) yield PREEMPT;
  return TRUE;
});

processBif('process_flag', 2, (self, flag, value) => {
  const args = [flag, value];
  const bad = () => fail('process_flag', args, { 2: 'invalid value for this process flag' });
  switch (flag instanceof Atom ? flag.name : '') {
    case 'trap_exit': {
      if (value !== TRUE && value !== FALSE) bad();
      const old = self.trapExit;
      self.trapExit = value === TRUE;
      return bool(old);
    }
    case 'priority': {
      if (!isPriority(value)) bad();
      const old = self.priority;
      self.priority = value as Atom;
      return old;
    }
    case 'error_handler':
      if (!(value instanceof Atom)) bad();
      return A.error_handler;
    case 'min_heap_size':
    case 'min_bin_vheap_size':
      if (typeof value !== 'number' || value < 0) bad();
      return flag === A.min_heap_size ? 233 : 46422;
    case 'max_heap_size': {
      const m = parseMaxHeap(value, self.maxHeap);
      if (m === undefined) bad();
      const old = maxHeapTerm(self.maxHeap);
      setMaxHeap(self, m!);
      return old;
    }
    case 'message_queue_data':
      if (value !== A.on_heap && value !== A.off_heap) bad();
      return A.on_heap;
    case 'sensitive':
      if (value !== TRUE && value !== FALSE) bad();
      return FALSE;
    case 'save_calls':
      if (typeof value !== 'number' || value < 0 || value > 10000) bad();
      return 0;
    case 'async_dist':
      if (value !== TRUE && value !== FALSE) bad();
      return FALSE;
    default:
      return fail('process_flag', args, { 1: 'invalid process flag' }, 'badopt');
  }
});

processReader('group_leader', 0, (self) => self.groupLeader);
processBif('group_leader', 2, (_self, gl, p) => {
  if (!(gl instanceof Pid)) fail('group_leader', [gl, p], { 1: 'not a pid' });
  if (!(p instanceof Pid)) fail('group_leader', [gl, p], { 2: 'not a pid' });
  const q = node.process(p);
  if (q !== undefined) q.groupLeader = gl;
  return TRUE;
});

// ---------- monitors ----------

/** Is t a proper list? (option lists are checked in place, without an array made of them) */
function isProperList(t: Term): boolean {
  while (t instanceof List) t = t.tail;
  return t === NIL;
}

/** monitor/2,3: the target checks shared by both (optList: monitor/3's, named in its errors) */
function monitorBif(self: Process, type: Term, target: Term, opts?: MonitorOptions, optList?: Term): Term {
  if (type !== A.process) fail('monitor', monitorArgs(type, target, optList), { 1: 'invalid monitor type' }, 'badtype');
  if (target instanceof Pid || target instanceof Atom) return monitor(self, target, undefined, opts);
  if (target instanceof Tuple && target.elements.length === 2) {
    const [name, on] = target.elements;
    // a name on another node needs distribution: without it OTP says badarg
    if (name instanceof Atom && on instanceof Atom && (on === node.name || node.name !== NONODE)) return monitor(self, name, on, opts);
  }
  return fail('monitor', monitorArgs(type, target, optList), { 2: 'not a pid' });
}

/** The arguments a failed monitor/2,3 names (made only for the error). */
function monitorArgs(type: Term, target: Term, optList: Term | undefined): Term[] {
  return optList === undefined ? [type, target] : [type, target, optList];
}

processBif('monitor', 2, (self, type, target) => monitorBif(self, type, target));

const ALIAS_MODES = new Set<string>(['explicit_unalias', 'demonitor', 'reply_demonitor']);

// monitor/3 options: {alias, explicit_unalias | demonitor | reply_demonitor} and {tag, Tag}
// (read off the list as it is: gen's every call passes [{alias, demonitor}])
processBif('monitor', 3, (self, type, target, optList) => {
  let opts: MonitorOptions | undefined;
  let l = optList;
  for (; l instanceof List; l = l.tail) {
    const o = l.head;
    if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === A.alias && o.elements[1] instanceof Atom && ALIAS_MODES.has(o.elements[1].name)) {
      (opts ??= {}).alias = o.elements[1].name as AliasMode;
    } else if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === A.tag) {
      (opts ??= {}).tag = o.elements[1];
    } else if (isProperList(l)) fail('monitor', [type, target, optList], { 3: 'invalid option in list' }, 'badopt');
    else break;
  }
  if (l !== NIL) fail('monitor', [type, target, optList], { 3: 'not a list' }, 'badopt');
  return monitorBif(self, type, target, opts, optList);
});

// ---------- aliases ----------

processBif('alias', 0, (self) => {
  const ref = node.makeRef();
  addAlias(self, ref, 'explicit_unalias');
  return ref;
});
processBif('alias', 1, (self, optList) => {
  const items = listToArray(optList);
  if (items === undefined) fail('alias', [optList], { 1: 'not a list' });
  let mode: AliasMode = 'explicit_unalias';
  for (const o of items) {
    if (o === A.reply) mode = 'reply';
    else if (o === A.explicit_unalias) mode = 'explicit_unalias';
    else fail('alias', [optList], { 1: 'invalid option in list' });
  }
  const ref = node.makeRef();
  addAlias(self, ref, mode);
  return ref;
});
processBif('unalias', 1, (self, ref) => {
  if (!(ref instanceof Ref)) fail('unalias', [ref], { 1: 'not a reference' });
  return bool(removeAlias(self, ref));
});

processBif('demonitor', 1, (self, ref) => {
  if (!(ref instanceof Ref)) fail('demonitor', [ref], { 1: 'not a reference' });
  demonitor(self, ref, false);
  return TRUE;
});

processBif('demonitor', 2, (self, ref, opts) => {
  if (!(ref instanceof Ref)) fail('demonitor', [ref, opts], { 1: 'not a reference' });
  let flush = false;
  let info = false;
  let l = opts;
  for (; l instanceof List; l = l.tail) {
    const o = l.head;
    if (o === A.flush) flush = true;
    else if (o === A.info) info = true;
    else if (isProperList(l)) fail('demonitor', [ref, opts], { 2: 'invalid option in list' });
    else break;
  }
  if (l !== NIL) fail('demonitor', [ref, opts], { 2: 'not a list' });
  const removed = demonitor(self, ref, flush);
  return info ? bool(removed) : TRUE;
});

// ---------- the registry ----------

processBif('register', 2, (_self, name, p) => {
  const args = [name, p];
  if (!(name instanceof Atom)) fail('register', args, { 1: 'not an atom' }, 'none');
  if (name === UNDEFINED) fail('register', args, { 1: "'undefined' is not a valid name" }, 'none');
  if (!(p instanceof Pid) && !(p instanceof Port)) fail('register', args, { 2: 'not a pid or port' }, 'none');
  const q = p instanceof Pid ? node.process(p) : undefined;
  if (q === undefined) fail('register', args, { 2: 'the pid does not refer to an existing process' }, 'notalive');
  const err = node.register(name, q);
  if (err === 'already_registered') fail('register', args, { 1: 'name is in use' }, 'none');
  if (err === 'registered_name') fail('register', args, { 2: 'this process or port already has a name' }, 'registered_name');
  return TRUE;
});

processBif('unregister', 1, (_self, name) => {
  if (!(name instanceof Atom) || !node.unregister(name)) fail('unregister', [name], { 1: 'not a pid' });
  return TRUE;
});

processReader('whereis', 1, (_self, name) => {
  if (!(name instanceof Atom)) fail('whereis', [name], { 1: 'not an atom' });
  return node.whereis(name)?.pid ?? UNDEFINED;
});

processReader('registered', 0, () => list(node.registered()));

// ---------- sending ----------

processBif('send', 2, (self, dest, msg) => node.send(dest, msg, self.pid));
processBif('send', 3, (self, dest, msg, opts) => {
  if (!isProperList(opts)) fail('send', [dest, msg, opts], { 3: 'not a list' }, 'badopt');
  node.send(dest, msg, self.pid);
  return OK;
});

// ---------- the process dictionary ----------

function dictOf(self: Process): Map<unknown, [Term, Term]> {
  return (self.dict ??= new Map());
}

/** Entries newest first (erts builds its lists by consing over the hash table). */
function dictEntries(p: Process): [Term, Term][] {
  return p.dict ? [...p.dict.values()].reverse() : [];
}

processBif('put', 2, (self, k, v) => {
  const d = dictOf(self);
  const key = mapKey(k);
  const entry = d.get(key);
  if (entry === undefined) {
    d.set(key, [k, v]);
    return UNDEFINED;
  }
  const old = entry[1];
  entry[1] = v;
  return old;
});

processReader('get', 1, (self, k) => self.dict?.get(mapKey(k))?.[1] ?? UNDEFINED);
processReader('get', 0, (self) => list(dictEntries(self).map(([k, v]) => tuple(k, v))));
processReader('get_keys', 0, (self) => list(dictEntries(self).map(([k]) => k)));
processReader('get_keys', 1, (self, val) => list(dictEntries(self).filter(([, v]) => exactEqual(v, val)).map(([k]) => k)));
processBif('erase', 1, (self, k) => {
  const key = mapKey(k);
  const e = self.dict?.get(key);
  if (e === undefined) return UNDEFINED;
  self.dict!.delete(key);
  return e[1];
});
processBif('erase', 0, (self) => {
  const all = list(dictEntries(self).map(([k, v]) => tuple(k, v)));
  self.dict = undefined;
  return all;
});

// ---------- process_info ----------

const DEFAULT_ITEMS = [
  'current_function',
  'initial_call',
  'status',
  'message_queue_len',
  'links',
  'dictionary',
  'trap_exit',
  'error_handler',
  'priority',
  'group_leader',
  'total_heap_size',
  'heap_size',
  'stack_size',
  'reductions',
  'garbage_collection',
  'suspending',
].map(atom);

function statusOf(p: Process): Atom {
  if (p.pendingExit !== undefined) return A.exiting;
  switch (p.status) {
    case RUNNING:
      // a receive running another process's slice (scheduler.ts handoff) is a process waiting
      return p === handingOffProcess() ? A.waiting : A.running;
    case RUNNABLE:
      return A.runnable;
    case WAITING:
    case SUSPENDED:
      return A.waiting;
    default:
      return A.exiting;
  }
}

/** The default max_heap_size, as system_info(max_heap_size) gives it: no limit. */
const MAX_HEAP_SIZE = ErlMap.from([
  [atom('error_logger'), TRUE],
  [atom('kill'), TRUE],
  [atom('size'), 0],
]);

/** The function the process last waited in (a receive), else the one it started in. */
function currentFunction(p: Process): Tuple {
  const w = p.waitingIn;
  return w === undefined ? p.initialCall : tuple(w.module, w.name, w.arity);
}

/** A rough heap size in words: what the process holds grows with its mailbox and dictionary. */
function heapWords(p: Process): number {
  return 233 + 3 * p.mailbox.length + 5 * (p.dict?.size ?? 0);
}

/** The value of one process_info item, or undefined when the item is not valid. */
function infoItem(p: Process, item: Term): Term | undefined {
  if (!(item instanceof Atom)) return undefined;
  const v = (x: Term) => tuple(item, x);
  switch (item.name) {
    case 'registered_name':
      return v(p.registeredName ?? NIL);
    case 'sequential_trace_token':
      return v(seqTokenTerm(p));
    case 'message_queue_len':
      return v(p.mailbox.length);
    case 'messages':
      return v(list(p.mailbox.toArray()));
    case 'links':
      return v(list(p.links ? [...p.links.values()].reverse() : []));
    case 'monitors':
      return v(list(p.monitors ? [...p.monitors.values()].map((m) => tuple(A.process, m.item)) : []));
    case 'monitored_by':
      return v(list(p.monitoredBy ? [...p.monitoredBy.values()].map((m) => m.watcher) : []));
    case 'dictionary':
      return v(list(dictEntries(p).map(([k, x]) => tuple(k, x))));
    case 'status':
      return v(statusOf(p));
    case 'initial_call':
      return v(p.initialCall);
    case 'current_function':
      return v(currentFunction(p));
    case 'current_location': {
      const [m, f, a] = currentFunction(p).elements;
      return v(tuple(m, f, a, NIL));
    }
    case 'current_stacktrace': {
      const [m, f, a] = currentFunction(p).elements;
      return v(list([tuple(m, f, a, NIL)]));
    }
    case 'trap_exit':
      return v(bool(p.trapExit));
    case 'group_leader':
      return v(p.groupLeader);
    case 'priority':
      return v(p.priority);
    case 'error_handler':
      return v(A.error_handler);
    case 'heap_size':
    case 'total_heap_size':
      return v(heapWords(p));
    case 'stack_size':
      return v(1);
    case 'memory':
      return v(8 * heapWords(p) + 2000);
    case 'reductions':
      return v(p.reductions + (p === S.current ? SLICE_REDS - S.reds : 0));
    case 'garbage_collection':
      return v(
        list([
          tuple(A.max_heap_size, maxHeapTerm(p.maxHeap)),
          tuple(A.min_bin_vheap_size, 46422),
          tuple(A.min_heap_size, 233),
          tuple(A.fullsweep_after, 65535),
          tuple(atom('minor_gcs'), 0),
        ]),
      );
    case 'suspending':
      return v(NIL);
    case 'min_heap_size':
      return v(233);
    case 'max_heap_size':
      return v(maxHeapTerm(p.maxHeap));
    case 'min_bin_vheap_size':
      return v(46422);
    case 'message_queue_data':
      return v(A.on_heap);
    case 'parent':
      return v(p.parent ?? UNDEFINED);
    default:
      return undefined;
  }
}

processBif('process_info', 1, (_self, pid) => {
  if (!(pid instanceof Pid) || !node.isLocal(pid)) fail('process_info', [pid], { 1: 'not a pid' });
  const p = node.process(pid);
  if (p === undefined) return UNDEFINED;
  const items: Term[] = [];
  if (p.registeredName !== undefined) items.push(tuple(atom('registered_name'), p.registeredName));
  for (const it of DEFAULT_ITEMS) items.push(infoItem(p, it)!);
  return list(items);
});

processBif('process_info', 2, (_self, pid, what) => {
  const args = [pid, what];
  if (!(pid instanceof Pid) || !node.isLocal(pid)) fail('process_info', args, { 1: 'not a pid' });
  const p = node.process(pid);
  const many = what instanceof List || what === NIL;
  const items = many ? listToArray(what) : [what];
  if (items === undefined) fail('process_info', args, { 2: 'invalid item or item list' });
  const out: Term[] = [];
  for (const it of items) {
    // check every item even for a dead process: a bad item is badarg either way
    const r = p === undefined ? (infoItemValid(it) ? NIL : undefined) : infoItem(p, it);
    if (r === undefined) fail('process_info', args, { 2: 'invalid item or item list' });
    out.push(r);
  }
  if (p === undefined) return UNDEFINED;
  if (!many) {
    // a process without a name answers [] for registered_name alone
    if (what === atom('registered_name') && p.registeredName === undefined) return NIL;
    return out[0];
  }
  return list(out);
});

const ITEM_NAMES = new Set(
  'registered_name message_queue_len messages links monitors monitored_by dictionary status current_function initial_call current_location current_stacktrace trap_exit group_leader priority error_handler heap_size total_heap_size stack_size memory reductions garbage_collection suspending min_heap_size min_bin_vheap_size max_heap_size message_queue_data parent sequential_trace_token'.split(' '),
);
function infoItemValid(it: Term): boolean {
  return it instanceof Atom && ITEM_NAMES.has(it.name);
}

// ---------- timers ----------

/** An erlang:send_after/start_timer timer. */
class ErlangTimer extends TimerEntry {
  constructor(
    readonly ref: Ref,
    readonly dest: Pid | Atom,
    readonly msg: Term,
  ) {
    super();
  }
  fire(): void {
    timers.delete(timerKey(this.ref));
    if (this.dest instanceof Pid) node.sendToPid(this.dest, this.msg);
    else {
      const p = node.whereis(this.dest);
      if (p !== undefined) node.deliver(p, this.msg);
    }
  }
}

const timers = new Map<string, ErlangTimer>();

function timerKey(ref: Ref): string {
  return ref.ids.join('.');
}

/**
 * Start an Erlang timer: after `ms` milliseconds (or at monotonic millisecond `ms` when abs),
 * `msg` goes to dest (a pid, or a name looked up when it fires). Returns the timer's ref.
 */
export function startTimer(ms: number, dest: Pid | Atom, msg: (ref: Ref) => Term, abs = false): Ref {
  const ref = node.makeRef();
  // a timer for a local process that is not alive is cancelled at once (OTP does the same)
  if (dest instanceof Pid && node.isLocal(dest) && node.process(dest) === undefined) return ref;
  const t = new ErlangTimer(ref, dest, msg(ref));
  timers.set(timerKey(ref), t);
  addTimer(t, abs ? monotonicMsToNow(ms) : performance.now() + ms);
  return ref;
}

/** erlang:monotonic_time(millisecond) is performance.now() shifted; map an absolute time back. */
function monotonicMsToNow(ms: number): number {
  return ms - monotonicOffsetMs();
}
let monoOffset: number | undefined;
function monotonicOffsetMs(): number {
  if (monoOffset === undefined) {
    const f = codeServer.find(atom('erlang'), atom('monotonic_time'), 1);
    if (f === undefined) return (monoOffset = 0);
    const g = f(atom('millisecond'));
    let r = g.next();
    while (!r.done) r = g.next();
    monoOffset = Number(r.value) - performance.now();
  }
  return monoOffset;
}

/** Milliseconds left on a timer, or undefined when it is not running (fired, cancelled, unknown). */
export function readTimer(ref: Ref): number | undefined {
  const t = timers.get(timerKey(ref));
  if (t === undefined) return undefined;
  if (t.dest instanceof Pid && node.isLocal(t.dest) && node.process(t.dest) === undefined) {
    // its process died: the timer went with it
    timers.delete(timerKey(ref));
    removeTimer(t);
    return undefined;
  }
  return Math.max(0, Math.ceil(t.deadline - performance.now()));
}

/** Stop a timer; its milliseconds left, or undefined when it was not running. */
export function cancelTimer(ref: Ref): number | undefined {
  const left = readTimer(ref);
  if (left === undefined) return undefined;
  const t = timers.get(timerKey(ref))!;
  timers.delete(timerKey(ref));
  removeTimer(t);
  return left;
}

function timerArgs(name: string, args: Term[], withOpts: boolean): { ms: number; dest: Pid | Atom; abs: boolean } {
  const [time, dest] = args;
  let abs = false;
  if (withOpts) {
    const opts = listToArray(args[3]);
    if (opts === undefined) fail(name, args, { 4: 'invalid options' }, 'badopt');
    for (const o of opts) {
      if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === A.abs && (o.elements[1] === TRUE || o.elements[1] === FALSE)) {
        abs = o.elements[1] === TRUE;
      } else fail(name, args, { 4: 'invalid options' }, 'badopt');
    }
  }
  if (!isInteger(time)) fail(name, args, { 1: 'not an integer' }, 'time');
  if (!abs && (time as number) < 0) fail(name, args, { 1: 'out of range' }, 'time');
  if (!(dest instanceof Pid) && !(dest instanceof Atom)) fail(name, args, { 2: 'not a pid or an atom' });
  return { ms: Number(time), dest, abs };
}

processBif('send_after', 3, (_self, time, dest, msg) => {
  const a = timerArgs('send_after', [time, dest, msg], false);
  return startTimer(a.ms, a.dest, () => msg);
});
processBif('send_after', 4, (_self, time, dest, msg, opts) => {
  const a = timerArgs('send_after', [time, dest, msg, opts], true);
  return startTimer(a.ms, a.dest, () => msg, a.abs);
});
processBif('start_timer', 3, (_self, time, dest, msg) => {
  const a = timerArgs('start_timer', [time, dest, msg], false);
  return startTimer(a.ms, a.dest, (ref) => tuple(A.timeout, ref, msg));
});
processBif('start_timer', 4, (_self, time, dest, msg, opts) => {
  const a = timerArgs('start_timer', [time, dest, msg, opts], true);
  return startTimer(a.ms, a.dest, (ref) => tuple(A.timeout, ref, msg), a.abs);
});

/** The {async, B}, {info, B} options of cancel_timer/read_timer. */
function timerOpts(name: string, args: Term[]): { async: boolean; info: boolean } {
  const opts = listToArray(args[1]);
  const o = { async: false, info: true };
  if (opts === undefined) fail(name, args, { 2: 'invalid options' });
  for (const x of opts) {
    if (x instanceof Tuple && x.elements.length === 2 && (x.elements[1] === TRUE || x.elements[1] === FALSE)) {
      if (x.elements[0] === A.async) o.async = x.elements[1] === TRUE;
      else if (x.elements[0] === A.info) o.info = x.elements[1] === TRUE;
      else fail(name, args, { 2: 'invalid options' });
    } else fail(name, args, { 2: 'invalid options' });
  }
  return o;
}

function timerResult(self: Process, ref: Ref, left: number | undefined, o: { async: boolean; info: boolean }, kind: Atom): Term {
  const r: Term = left === undefined ? FALSE : left;
  if (!o.async) return o.info ? r : OK;
  if (o.info) node.deliver(self, tuple(kind, ref, r));
  return OK;
}

processBif('cancel_timer', 1, (_self, ref) => {
  if (!(ref instanceof Ref)) fail('cancel_timer', [ref], { 1: 'not a reference' });
  return cancelTimer(ref) ?? FALSE;
});
processBif('cancel_timer', 2, (self, ref, opts) => {
  if (!(ref instanceof Ref)) fail('cancel_timer', [ref, opts], { 1: 'not a reference' });
  const o = timerOpts('cancel_timer', [ref, opts]);
  return timerResult(self, ref, cancelTimer(ref), o, atom('cancel_timer'));
});
processBif('read_timer', 1, (_self, ref) => {
  if (!(ref instanceof Ref)) fail('read_timer', [ref], { 1: 'not a reference' });
  return readTimer(ref) ?? FALSE;
});
processBif('read_timer', 2, (self, ref, opts) => {
  if (!(ref instanceof Ref)) fail('read_timer', [ref, opts], { 1: 'not a reference' });
  const o = timerOpts('read_timer', [ref, opts]);
  return timerResult(self, ref, readTimer(ref), o, atom('read_timer'));
});

// ---------- apply, yield, hibernate ----------

function* applyFun(f: Term, args: Term[]): Generator<unknown, Term | TailCall, unknown> {
  if (!(f instanceof Fun) || f.fn === undefined) throw erlError(tuple(atom('badfun'), f));
  if (f.arity !== args.length) throw erlError(tuple(atom('badarity'), tuple(f, list(args))));
  return new TailCall(f.fn, args);
}

// apply returns a tail call, so `loop() -> apply(?MODULE, loop, []).` runs in constant space
defineGenBif('erlang', 'apply', 2, function* (f: Term, a: Term) {
  const args = listToArray(a);
  // BEAM's apply/2 says no more than badarg (erl's shell, evaluating it itself, fails in length/1)
  if (args === undefined) fail('apply', [f, a]);
  return (yield* applyFun(f, args)) as Term;
});

defineGenBif('erlang', 'apply', 3, function* (m: Term, f: Term, a: Term) {
  const why = mfaWhy(m, f, a);
  if (why !== undefined) fail('apply', [m, f, a], why);
  const args = listToArray(a)!;
  const fn = codeServer.fn(m as Atom, f as Atom, args.length);
  return new TailCall(fn, args) as unknown as Term;
});

defineGenBif('erlang', 'yield', 0, function* () {
  yield PREEMPT;
  return TRUE;
});

// bump_reductions: charge the caller as for work done, as BEAM does up to what is left of its
// slice (it then yields at its next call; process_info does not show more than that)
defineGenBif('erlang', 'bump_reductions', 1, function* (n: Term) {
  if (typeof n !== 'number' && typeof n !== 'bigint') fail('bump_reductions', [n], { 1: 'not an integer' });
  if (typeof n !== 'number' || n < 0) fail('bump_reductions', [n], {});
  bumpReductions(Math.min(n, Math.max(0, S.reds)));
  return TRUE;
});

const FOREVER = wait(Infinity);

// hibernate: wait for a message (without taking it), then continue in M:F(A) with an empty stack
defineGenBif('erlang', 'hibernate', 3, function* (m: Term, f: Term, a: Term) {
  const why = mfaWhy(m, f, a);
  if (why !== undefined) fail('hibernate', [m, f, a], why);
  const mb = S.current.mailbox;
  mb.rewind();
  while (mb.length === 0) yield FOREVER;
  mb.rewind();
  const args = listToArray(a)!;
  return new TailCall(codeServer.fn(m as Atom, f as Atom, args.length), args) as unknown as Term;
});

processBif('garbage_collect', 0, () => TRUE);
processBif('garbage_collect', 1, (_self, p) => {
  if (!(p instanceof Pid)) fail('garbage_collect', [p], { 1: 'not a pid' });
  return bool(node.process(p) !== undefined);
});

// ---------- output, halting, statistics ----------

processBif('display', 1, (_self, t) => {
  const text = displayTerm(t);
  chargeElements(text.length); // a long term's text is written in one native step
  writeStdout(text + '\n');
  return TRUE;
});

// erlang:process_display(Pid, backtrace) prints the process's stack to standard error; terl keeps no
// stack of a process, so it prints the function the process is in (see currentFunction)
processBif('process_display', 2, (_self, pid, type) => {
  const args = [pid, type];
  if (!(pid instanceof Pid) || !node.isLocal(pid)) return fail('process_display', args, { 1: 'not a pid' });
  if (type !== atom('backtrace')) return fail('process_display', args, { 2: 'invalid value' });
  const p = node.process(pid);
  if (p === undefined) return fail('process_display', args, { 1: 'the pid does not refer to an existing process' });
  const [m, f, a] = currentFunction(p).elements;
  writeStderr(`Program counter: ${displayTerm(m)}:${displayTerm(f)}/${displayTerm(a)}\n`);
  return TRUE;
});

function haltStatus(name: string, args: Term[]): number | string {
  const s = args[0];
  if (typeof s === 'number' && Number.isInteger(s) && s >= 0) return s;
  if (s === atom('abort')) return 'abort';
  const text = listToArray(s);
  if (text !== undefined && text.every((c) => typeof c === 'number')) return String.fromCodePoint(...(text as number[]));
  return fail(name, args, { 1: 'invalid status' });
}

/**
 * halt: the host ends the node (node.onHalt flushes the output first); nothing runs after it, as
 * in erl: the scheduler stops and the calling process never continues.
 */
function* halt(status: number | string): Generator<unknown, Term, unknown> {
  node.onHalt(status);
  stopScheduling();
  for (;;) yield FOREVER;
}

defineGenBif('erlang', 'halt', 0, function* () {
  return yield* halt(0);
});
defineGenBif('erlang', 'halt', 1, function* (s: Term) {
  return yield* halt(haltStatus('halt', [s]));
});
defineGenBif('erlang', 'halt', 2, function* (s: Term, opts: Term) {
  if (listToArray(opts) === undefined) fail('halt', [s, opts], { 2: 'not a list' });
  return yield* halt(haltStatus('halt', [s, opts]));
});

const startedAt = performance.now();
let lastWall = startedAt;
let lastRuntime = 0;
let lastReductions = 0;

function cpuMs(): number {
  const u = process.cpuUsage();
  return Math.floor((u.user + u.system) / 1000);
}

processBif('statistics', 1, (_self, item) => {
  const name = item instanceof Atom ? item.name : '';
  switch (name) {
    case 'runtime': {
      const now = cpuMs();
      const r = tuple(now, now - lastRuntime);
      lastRuntime = now;
      return r;
    }
    case 'wall_clock': {
      const now = performance.now();
      const r = tuple(Math.floor(now - startedAt), Math.floor(now - lastWall));
      lastWall = now;
      return r;
    }
    case 'reductions':
    case 'exact_reductions': {
      const total = totalReductions() + (SLICE_REDS - S.reds);
      const r = tuple(total, total - lastReductions);
      lastReductions = total;
      return r;
    }
    case 'run_queue':
    case 'total_run_queue_lengths':
    case 'total_run_queue_lengths_all':
    case 'total_active_tasks':
    case 'total_active_tasks_all':
      return runQueueLength();
    case 'run_queue_lengths':
    case 'run_queue_lengths_all':
    case 'active_tasks':
    case 'active_tasks_all':
      return list([runQueueLength()]);
    case 'context_switches':
      return tuple(totalReductions(), 0);
    case 'garbage_collection':
      return tuple(0, 0, 0);
    case 'io':
      return tuple(tuple(atom('input'), 0), tuple(atom('output'), 0));
    case 'scheduler_wall_time':
    case 'scheduler_wall_time_all':
      return UNDEFINED;
    default:
      return fail('statistics', [item], { 1: 'invalid statistics item' });
  }
});
