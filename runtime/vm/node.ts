// The local node: its name, pids and refs, the process table, the registry of names, message
// delivery, and the hooks distribution fills in.
//
// API for compiled code and built-in modules (one node per worker thread, module-level singletons):
//
//   S                      runtime/vm/scheduler.ts   reductions left (S.reds) and the running process (S.current)
//   codeServer             runtime/vm/code_server.ts codeServer.fn(Mod, Name, Arity): the CodeLookup of runtime/vm/abi.ts;
//                                                 codeServer.load(ModuleCode) loads a compiled module;
//                                                 codeServer.setLoader(fn) the hook that finds Mod.erl
//   send(Dest, Msg)        here                   `Dest ! Msg`: Dest a pid, a registered name or {Name, Node};
//                                                 raises badarg like erlang:send/2; returns Msg
//   sendOp(Dest, Msg)      here                   the same for the shell's evaluator (frame erlang:'!')
//   self()                 here                   S.current.pid
//   node.spawn(fn, args, opts)  here              a new process running fn(...args); returns its Process
//   node.spawnMFA(m, f, args)   here              spawn/3: the function is looked up when the process starts
//   node.makeRef()         here                   make_ref()
//   node.process(pid)      here                   the live local Process of a pid, or undefined
//   node.whereis(name)     here                   the Process registered as name
//   node.deliver(p, msg)   here                   put a message in a live local process's mailbox
//   receive(match, ms)     runtime/vm/receive.ts     selective receive for TypeScript code (BIFs, the shell, tests)
//   asErlangException(e)   runtime/vm/process.ts     any caught JS value as an ErlangException (for `catch`/`try`):
//                                                 JS stack overflow -> error:system_limit
//   exitReasonOf(e)        runtime/vm/process.ts     the reason a process dies with when e escapes it
//   awaitPromise(p)        runtime/vm/scheduler.ts   `yield* awaitPromise(p)` in a BIF parks the process on a JS promise
//   setInterrupt(flag, i, handler)  runtime/vm/scheduler.ts   the Ctrl-C flag the scheduler polls between slices
//   link/unlink/monitor/demonitor/exit2/exitSignal  runtime/vm/signals.ts   links, monitors and exit signals
//   setLogger(l)           runtime/vm/logger.ts     where crash reports go (the library's error_logger, at boot)
//
// The core imports nothing above it. runtime/vm/signals.ts installs the scheduler's exit handler and
// node.aliasSend when it is loaded; runtime/lib/index.ts loads it with the library's modules (the
// erlang BIFs, io, timer, ...), so importing the library is what gives working processes.
//
// Pids print as <0.N.S> for this node, N the low 15 bits of the process number, S the rest, as
// OTP. Local pids keep the node name current when they were made (nonode@nohost before
// distribution starts): use node.isLocal(pid) / node.nodeOf(pid) / node.isPidOf(pid, p), never
// compare pid.node with node.name or pid objects with === across the wire.
//
// Distribution plugs in through node.dist (DistHooks below); the inbound side calls the functions of
// runtime/vm/signals.ts (remote link/exit/monitor/DOWN, nodeDown) and node.deliver / node.sendLocalName.

import { Atom, Pid, Port, Ref, Term, Tuple, Fun, atom, tuple, list as listOf } from './term.js';
import { RefTable } from './ref_table.js';
import type { ErlFunction } from './term.js';
import { badarg, erlError } from './exception.js';
import { Process, PidKey } from './process.js';
import { S, schedule, messageArrived, currentlyRunning } from './scheduler.js';
import { codeServer } from './code_server.js';
import { traceDefaults, traceProcs, traceSend, traceSpawn } from './trace.js';
import { logger } from './logger.js';
import { seqSend, type SeqToken } from './seq_trace.js';

export const NONODE = atom('nonode@nohost');
const INVALID_DESTINATION = { 1: 'invalid destination' };

/**
 * Built-ins that end their process another way when they are its first function (see
 * runtime/lib/kernel/erpc.ts): the function spawn/3 runs instead of the one it names.
 */
export const processStarts = new WeakMap<ErlFunction, ErlFunction>();

/** The code of a process spawn/3 starts: M:F is looked up as it starts, so a missing one is its undef. */
function* startMFA(m: Atom, f: Atom, args: Term[]): Generator<unknown, Term, unknown> {
  const fn = codeServer.fn(m, f, args.length);
  return yield* (processStarts.get(fn) ?? fn)(...args);
}

/** What distribution (runtime/distribution/) provides for signals that leave this node. */
export interface DistHooks {
  /** Pid ! Msg for a pid of another node (`token`: the seq_trace token the message carries) */
  send(to: Pid, msg: Term, from: Pid | undefined, token?: SeqToken): void;
  /** {Name, Node} ! Msg for another node */
  sendReg(name: Atom, node: Atom, msg: Term, from: Pid | undefined, token?: SeqToken): void;
  /** a local process linked to a remote one */
  link(from: Pid, to: Pid): void;
  unlink(from: Pid, to: Pid): void;
  /** a local process died: the exit signal for a remote process linked to it */
  exit(from: Pid, to: Pid, reason: Term): void;
  /** exit(To, Reason) called by a local process on a remote pid */
  exit2(from: Pid, to: Pid, reason: Term): void;
  /** a local process monitors a remote process (by pid, or by registered name on `node`) */
  monitor(watcher: Pid, target: Pid | Atom, node: Atom, ref: Ref): void;
  demonitor(watcher: Pid, target: Pid | Atom, node: Atom, ref: Ref): void;
  /** a local process monitored by a remote process died: send the remote watcher its 'DOWN' */
  down(target: Pid, watcher: Pid, ref: Ref, reason: Term): void;
  /** Alias ! Msg for an alias of another node (ALIAS_SEND) */
  sendAlias?(alias: Ref, msg: Term, from: Pid | undefined, token?: SeqToken): void;
  /** the connected nodes of a kind (nodes/0,1): visible ones by default */
  nodes?(kind?: 'visible' | 'hidden' | 'connected'): Atom[];
  /** the number another node's pids print with (<N.Id.Serial>): stable for that node's life */
  channelOf?(peer: Atom): number;
  /** the node whose pids print with number n, if any (list_to_pid/1) */
  nodeOfChannel?(n: number): Atom | undefined;
  /** the creation of a connected node (its pids carry it) */
  creationOf?(peer: Atom): number | undefined;
  /** spawn_request to another node; the reply comes back as a message to `from` */
  spawnRequest?(node: Atom, module: Atom, name: Atom, args: Term, opts: Term, from: Pid, ref: Ref): void;
}

export interface SpawnOptions {
  /** group leader of the new process (default: the spawner's, else the node's `user`) */
  groupLeader?: Pid;
  /** {M, F, A} for process_info initial_call (default {erlang, apply, 2}) */
  initialCall?: Tuple;
  priority?: Atom;
}

const APPLY_MFA = tuple(atom('erlang'), atom('apply'), 2);

/**
 * A pid made by this node: it points at its process while the process lives, so sending to it
 * needs no table lookup. (Pids of this node decoded from the wire are plain Pids: looked up.)
 */
export class LocalPid extends Pid {
  proc: Process | undefined = undefined;
}
const NO_OPTIONS: SpawnOptions = Object.freeze({});

const PID_NUMBER_MASK = 0x7fff;
/** erlang:system_info(process_limit) by default (+P sets another), and the size of the process table */
export const PROCESS_LIMIT = 262144;
/** the smallest process table +P gives */
const MIN_PROCESS_LIMIT = 1024;
const SYSTEM_LIMIT = atom('system_limit');

/** The process number behind a local pid <0.N.S>: S * 2^15 + N. */
export function pidNumber(pid: Pid): number {
  return pid.serial * (PID_NUMBER_MASK + 1) + pid.id;
}

export class Node {
  /** this node's name: nonode@nohost until distribution starts */
  name: Atom = NONODE;
  /** the creation number distribution got from epmd (0 when not distributed) */
  creation = 0;
  /** set by distribution */
  dist: DistHooks | undefined = undefined;
  /** Alias ! Msg for one of this node's aliases: runtime/vm/signals.ts sets it (an alias may end with its message) */
  aliasSend: (alias: Ref, msg: Term) => void = () => {};
  /** Port ! Msg, and an exit signal from a dying linked process to a port: runtime/vm/port_table.ts sets them */
  portSend: (port: Port, msg: Term) => void = () => {};
  portExit: (port: Port, from: Pid, reason: Term) => void = () => {};
  /** the `user` io server, default group leader; set at boot */
  userPid: Pid | undefined = undefined;
  /** erlang:halt/0,1: set by whoever hosts the node (the worker flushes output and exits) */
  onHalt: (status: number | string) => void = (status) => {
    process.exit(typeof status === 'number' ? status : 1);
  };

  /**
   * The process table: a slot per process, at its number modulo the table size, as OTP's (whose
   * default size, 262144, is also the process limit). A new process takes the next number whose
   * slot is free, so a long-lived process is never shadowed after the numbers wrap. It grows as
   * numbers are taken: an idle node keeps no slot for every process it might have (2 MB at 262144).
   */
  private table: (Process | undefined)[] = [];
  private tableMask = PROCESS_LIMIT - 1;
  private live = 0;
  private readonly registry = new Map<Atom, Process>();
  /** active aliases of local processes, by ref key (runtime/vm/signals.ts keeps it) */
  readonly aliases = new RefTable<Process>();
  private nextId = 0;
  // OTP's reference counter does not start at 0, and its upper part fills the middle word: refs
  // print as #Ref<0.3270264489.437780482.74909>, and a DOWN message wraps where erl's does
  private refCounter = Math.floor(Math.random() * 0x40000 * 0x100000000);
  private readonly refBase = (Math.random() * 0x100000000) >>> 0;
  /** processes spawned since the start (statistics, tests) */
  spawned = 0;

  // ----- identities -----

  /** Is pid one of this node's? (Also true for pids made before the node got its name.) */
  isLocal(pid: Pid | Ref | Port): boolean {
    return pid.node === NONODE || (pid.node === this.name && pid.creation === this.creation);
  }

  /** node(Pid): this node's current name for local pids. */
  nodeOf(x: Pid | Ref | Port): Atom {
    return this.isLocal(x) ? this.name : x.node;
  }

  /** The key of a pid in link tables: its process number for local pids. */
  pidKey(pid: Pid): PidKey {
    return this.isLocal(pid) ? pidNumber(pid) : `${pid.node.name}.${pid.id}.${pid.serial}.${pid.creation}`;
  }

  /** Is pid the pid of process p (whatever object it came in)? */
  isPidOf(pid: Pid, p: Process): boolean {
    return pid === p.pid || (pid.id === p.pid.id && pid.serial === p.pid.serial && this.isLocal(pid));
  }

  /** The counter a ref of this node was made with (its key in tables), or undefined for another node's. */
  ownRefNumber(ref: Ref): number | undefined {
    const ids = ref.ids;
    if (ids.length !== 3 || ids[2] !== this.refBase || !this.isLocal(ref)) return undefined;
    return ids[0] + ids[1] * 0x40000;
  }

  makeRef(): Ref {
    const n = ++this.refCounter;
    // three words like OTP's: the low 18 bits, the rest, and a per-node random word
    const ref = new Ref(this.name, [n % 0x40000, Math.floor(n / 0x40000) >>> 0, this.refBase], this.creation);
    // its key in the tables of monitors and aliases (ownRefNumber's), known already
    ref.key = n;
    return ref;
  }

  /** Where the next pid numbers start (boot reserves the low ones for system processes). */
  get nextPidNumber(): number {
    return this.nextId;
  }
  setNextPidNumber(n: number): void {
    this.nextId = n;
  }

  // ----- processes -----

  /** Start a process running fn(...args). It runs in a coming slice. */
  spawn<A extends unknown[]>(fn: (...args: A) => Generator<unknown, Term, unknown>, args: A, opts: SpawnOptions = NO_OPTIONS): Process {
    if (this.live > this.tableMask) {
      // as the emulator does, each time
      logger().report('ERROR REPORT', 'Too many processes\n');
      throw erlError(SYSTEM_LIMIT);
    }
    let id = this.nextId++;
    while (this.table[id & this.tableMask] !== undefined) id = this.nextId++;
    // <0.N.S>: N is 15 bits and S counts the wraps of N, as in OTP
    const pid = new LocalPid(this.name, id & PID_NUMBER_MASK, Math.floor(id / (PID_NUMBER_MASK + 1)), this.creation);
    const parent = currentlyRunning();
    const gl = opts.groupLeader ?? parent?.groupLeader ?? this.userPid ?? pid;
    const p = new Process(pid, gl, opts.initialCall ?? APPLY_MFA);
    if (opts.priority !== undefined) p.priority = opts.priority;
    p.parent = parent?.pid;
    if (traceDefaults.forNew !== undefined) p.trace = traceDefaults.forNew;
    else if (parent?.trace?.setOnSpawn) p.trace = parent.trace;
    p.gen = fn(...args); // a TailCall it returns is followed by the scheduler
    pid.proc = p;
    this.table[id & this.tableMask] = p;
    this.live++;
    this.spawned++;
    schedule(p);
    return p;
  }

  /** spawn(Fun): badarg unless Fun is a fun of arity 0 this node can run. */
  spawnFun(f: Term, opts: SpawnOptions = {}, bif = 'spawn'): Process {
    if (!(f instanceof Fun) || f.arity !== 0 || f.fn === undefined) throw badarg('erlang', bif, [f]);
    return this.spawn(f.fn, [], opts);
  }

  /** spawn(M, F, A): the function is looked up when the process starts, so a missing one is its undef. */
  spawnMFA(m: Atom, f: Atom, args: Term[], opts: SpawnOptions = {}): Process {
    const p = this.spawn(startMFA, [m, f, args], { initialCall: tuple(m, f, args.length), ...opts });
    const parent = currentlyRunning();
    if (parent?.trace !== undefined) traceSpawn(parent, p.pid, tuple(m, f, listOf(args)));
    return p;
  }

  /** The live local process of a pid, or undefined (dead, or another node's). */
  process(pid: Pid): Process | undefined {
    if (pid instanceof LocalPid) return pid.proc;
    if (!this.isLocal(pid)) return undefined;
    const n = pidNumber(pid);
    const p = this.table[n & this.tableMask];
    return p !== undefined && pidNumber(p.pid) === n ? p : undefined;
  }

  /** Called by the signal layer when a process has died. */
  forget(p: Process): void {
    (p.pid as LocalPid).proc = undefined;
    const slot = pidNumber(p.pid) & this.tableMask;
    if (this.table[slot] === p) {
      this.table[slot] = undefined;
      this.live--;
    }
    if (p.registeredName !== undefined) {
      this.registry.delete(p.registeredName);
      if (p.trace !== undefined) traceProcs(p, 'unregister', p.registeredName);
      p.registeredName = undefined;
    }
  }

  /** All live local processes, in process table order (processes/0). */
  processes(): Process[] {
    const out: Process[] = [];
    for (const p of this.table) if (p !== undefined) out.push(p);
    return out;
  }

  processCount(): number {
    return this.live;
  }

  /** erlang:system_info(process_limit) */
  get processLimit(): number {
    return this.tableMask + 1;
  }

  /** +P N: room for at least n processes, as erl a power of two (at boot, before the first spawn). */
  setProcessLimit(n: number): void {
    let limit = MIN_PROCESS_LIMIT;
    while (limit < n) limit *= 2;
    const live = this.processes();
    this.tableMask = limit - 1;
    this.table = [];
    for (const p of live) this.table[pidNumber(p.pid) & this.tableMask] = p;
  }

  // ----- the registry -----

  /** register/2: the failure cause OTP's error_info names, or undefined on success. */
  register(name: Atom, p: Process): 'registered_name' | 'already_registered' | 'undefined' | undefined {
    if (name.name === 'undefined') return 'undefined';
    // (a process that has a name is refused for that first, as OTP does)
    if (p.registeredName !== undefined) return 'registered_name';
    if (this.registry.has(name)) return 'already_registered';
    this.registry.set(name, p);
    p.registeredName = name;
    if (p.trace !== undefined) traceProcs(p, 'register', name);
    return undefined;
  }

  unregister(name: Atom): boolean {
    const p = this.registry.get(name);
    if (p === undefined) return false;
    this.registry.delete(name);
    p.registeredName = undefined;
    if (p.trace !== undefined) traceProcs(p, 'unregister', name);
    return true;
  }

  whereis(name: Atom): Process | undefined {
    return this.registry.get(name);
  }

  registered(): Atom[] {
    return [...this.registry.keys()];
  }

  // ----- messages -----

  /** Put msg in a local process's mailbox (waking it). */
  deliver(p: Process, msg: Term): void {
    p.mailbox.push(msg);
    messageArrived(p);
  }

  /** Send to a pid, local or remote; a dead or unknown local pid swallows the message. */
  sendToPid(to: Pid, msg: Term, from?: Pid, token?: SeqToken): void {
    if (to instanceof LocalPid) {
      const p = to.proc;
      if (p !== undefined) {
        p.mailbox.push(msg);
        messageArrived(p);
      }
    } else if (this.isLocal(to)) {
      const p = this.process(to);
      if (p !== undefined) {
        p.mailbox.push(msg);
        messageArrived(p);
      }
    } else {
      this.dist?.send(to, msg, from, token);
    }
  }

  /** The local process a message to dest reaches, if any (seq_trace gives it the sender's token). */
  private receiverOf(dest: Term): Process | undefined {
    if (dest instanceof Pid) return this.process(dest);
    if (dest instanceof Atom) return this.registry.get(dest);
    if (dest instanceof Tuple && dest.elements.length === 2 && dest.elements[1] === this.name && dest.elements[0] instanceof Atom) {
      return this.registry.get(dest.elements[0]);
    }
    return undefined;
  }

  /** {Name, Node} ! Msg for this node: an unregistered name swallows the message (as OTP does). */
  sendLocalName(name: Atom, msg: Term): void {
    const p = this.registry.get(name);
    if (p !== undefined) this.deliver(p, msg);
  }

  /**
   * Dest ! Msg from `from` (default: the running process). Throws badarg (frame erlang:send/2)
   * for an unregistered name or something that is not a destination.
   */
  send(dest: Term, msg: Term, from?: Pid): Term {
    const sender = currentlyRunning();
    if (sender?.trace !== undefined) traceSend(sender, dest, msg, !(dest instanceof Pid && this.isLocal(dest) && this.process(dest) === undefined));
    const token = sender?.seq?.token !== undefined ? seqSend(sender, dest, msg, this.receiverOf(dest)) : undefined;
    if (dest instanceof LocalPid) {
      // the common case, kept short: a live local process gets it, a dead one drops it
      const p = dest.proc;
      if (p !== undefined) {
        p.push(msg);
        messageArrived(p);
      }
      return msg;
    }
    if (dest instanceof Pid) {
      this.sendToPid(dest, msg, from ?? currentlyRunning()?.pid, token);
      return msg;
    }
    if (dest instanceof Atom) {
      const p = this.registry.get(dest);
      if (p === undefined) throw badarg('erlang', 'send', [dest, msg], INVALID_DESTINATION);
      this.deliver(p, msg);
      return msg;
    }
    if (dest instanceof Ref) {
      // an alias: this node's, or another node's through distribution
      if (this.isLocal(dest)) this.aliasSend(dest, msg);
      else this.dist?.sendAlias?.(dest, msg, from ?? currentlyRunning()?.pid, token);
      return msg;
    }
    if (dest instanceof Tuple && dest.elements.length === 2) {
      const [name, nodeName] = dest.elements;
      if (name instanceof Atom && nodeName instanceof Atom) {
        if (nodeName === this.name) this.sendLocalName(name, msg);
        else this.dist?.sendReg(name, nodeName, msg, from ?? currentlyRunning()?.pid, token);
        return msg;
      }
    }
    if (dest instanceof Port && this.isLocal(dest)) {
      this.portSend(dest, msg);
      return msg;
    }
    throw badarg('erlang', 'send', [dest, msg], INVALID_DESTINATION);
  }
}

/** This node (one per worker thread). */
export const node = new Node();

/** `Dest ! Msg` for compiled code. */
export function send(dest: Term, msg: Term): Term {
  return node.send(dest, msg);
}

/**
 * `Dest ! Msg` typed at the shell: erl_eval sends through erlang:'!', so a bad destination's
 * frame names the operator (the shell prints `in operator  !/2`).
 */
export function sendOp(dest: Term, msg: Term): Term {
  try {
    return node.send(dest, msg);
  } catch (e) {
    throw badarg('erlang', '!', [dest, msg], {});
  }
}

/** self() for compiled code. */
export function self(): Pid {
  return S.current.pid;
}
