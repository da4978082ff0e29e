// The node's ports: what a port is to the rest of the runtime, whatever it drives (an external
// program, a TCP or UDP socket). A port has a number (#Port<0.N>), a connected process (its owner,
// which gets its messages), links to processes, and byte counters; erlang:ports/0, port_info/1,2,
// link/unlink/exit and `Port ! Msg` see every port through this table.
//
// Life and death, as in erl:
//   - the opening process is the owner and is linked to the port;
//   - an exit signal reaching the port (a linked process dies, exit(Port, R)) closes it, unless it is
//     `normal` and does not come from the owner; the port then sends exit signals to its links;
//   - the port is a resource of its owner (runtime/vm/resources.ts): when the owner dies the port
//     closes, linked or not, so no file descriptor outlives the process that held it.

import { Atom, Pid, Port, Term, Tuple, atom, tuple } from './term.js';
import { iodataBytes } from './iodata.js';
import { node } from './node.js';
import type { Process, PidKey } from './process.js';
import { hold, letGo, type Resource } from './resources.js';
import { exitSignal } from './signals.js';

const NORMAL = atom('normal');
const KILL = atom('kill');
const KILLED = atom('killed');
const BADSIG = atom('badsig');

/** open ports by number; numbers only grow, so iteration order is port order */
const table = new Map<number, ErtsPort>();
// erl's own ports (the terminal, the forker) take the first numbers: user ports start after them
let nextNumber = 6;

/** The key a port has in a process's links. */
export function portKey(p: Port): PidKey {
  return '#Port' + p.id;
}

export abstract class ErtsPort implements Resource {
  readonly term: Port;
  /** the connected process: it gets the port's messages and owns the port */
  owner: Process;
  /** processes linked to the port */
  readonly links = new Map<PidKey, Pid>();
  /** bytes in and out (port_info input/output) */
  input = 0;
  output = 0;
  /** false once closed: out of the table, everything released */
  open = true;
  registeredName: Atom | undefined = undefined;

  /** port_info name: the command of a program, "tcp_inet", "udp_inet" */
  abstract get name(): string;

  constructor(owner: Process) {
    const n = nextNumber++;
    this.term = new Port(node.name, n, node.creation);
    this.owner = owner;
    table.set(n, this);
    hold(owner, this);
    this.linkTo(owner);
  }

  /** port_info id: erl's port index (its number shifted past the tag bits) */
  get id(): number {
    return this.term.id * 8;
  }

  /** port_info os_pid */
  get osPid(): number | undefined {
    return undefined;
  }

  /** What a write to the port does with the bytes (its driver's output). */
  protected abstract command(data: Uint8Array): void;

  /** Data written to the port (port_command, {command, Data}), counted in port_info output. */
  write(data: Uint8Array): void {
    this.output += data.length;
    this.command(data);
  }

  /** Release the OS side (file descriptors, child pipes). Called once, when the port closes. */
  protected abstract release(): void;

  // ----- ownership and links -----

  isOwner(pid: Pid): boolean {
    return node.isPidOf(pid, this.owner);
  }

  /** port_connect: `p` is the owner from now on (the old owner stays linked, as in erl). */
  connect(p: Process): void {
    if (p === this.owner) return;
    letGo(this.owner, this);
    this.owner = p;
    hold(p, this);
    this.linkTo(p);
  }

  /** Link the port and a local process, both ways. */
  linkTo(p: Process): void {
    this.links.set(node.pidKey(p.pid), p.pid);
    (p.links ??= new Map()).set(portKey(this.term), this.term);
  }

  unlinkFrom(p: Process): void {
    this.links.delete(node.pidKey(p.pid));
    p.links?.delete(portKey(this.term));
  }

  // ----- closing -----

  /**
   * The port ends with `reason`: it leaves the table, lets go of its OS side, and every linked
   * process gets an exit signal (silent: false means without those, as a socket's own close is).
   */
  exit(reason: Term, signal = true): void {
    if (!this.open) return;
    this.open = false;
    table.delete(this.term.id);
    letGo(this.owner, this);
    try {
      this.release();
    } finally {
      const links = [...this.links.values()];
      this.links.clear();
      const key = portKey(this.term);
      for (const pid of links) {
        const q = node.process(pid);
        if (q === undefined) continue;
        q.links?.delete(key);
        if (signal) exitSignal(this.term, q, reason, true);
      }
    }
  }

  /** The owner died (resources.ts): the port goes with it. */
  ownerDied(reason: Term): void {
    this.exit(reason);
  }

  /**
   * An exit signal from process `from` reaches the port: a linked process died (viaLink), or
   * exit(Port, Reason). `normal` closes it only from its owner; `kill` ends it as `killed`.
   */
  exitSignal(from: Pid, reason: Term, viaLink: boolean): void {
    if (viaLink) this.links.delete(node.pidKey(from));
    if (reason === NORMAL && !this.isOwner(from)) return;
    this.exit(!viaLink && reason === KILL ? KILLED : reason);
  }

  /** A message the port cannot take: its owner gets an exit signal `badsig`; the port stays open. */
  badsig(): void {
    exitSignal(this.term, this.owner, BADSIG, true);
  }

  /** Send a message to the owner. */
  tell(msg: Term): void {
    if (this.owner.alive) node.deliver(this.owner, msg);
  }

  /** {Port, closed} etc.: a message from the port to a process. */
  reply(to: Process, what: Term): void {
    node.deliver(to, tuple(this.term, what));
  }
}

/** The open port a term names (a local port that is still open), or undefined. */
export function portOf(t: Term): ErtsPort | undefined {
  if (!(t instanceof Port) || !node.isLocal(t)) return undefined;
  return table.get(t.id);
}

/** Every open port, in number order (erlang:ports/0). */
export function openPorts(): ErtsPort[] {
  return [...table.values()];
}

/** The number of open ports (erlang:system_info(port_count)). */
export function portCount(): number {
  return table.size;
}

const EXIT = atom('EXIT');
const NOPROC = atom('noproc');

/**
 * link(Port) by `self`: false when the port is closed and self does not trap exits (the BIF raises
 * noproc); a trapping process gets {'EXIT', Port, noproc} instead.
 */
export function linkPort(self: Process, port: Port): boolean {
  const p = portOf(port);
  if (p !== undefined) {
    p.linkTo(self);
    return true;
  }
  if (!self.trapExit) return false;
  node.deliver(self, tuple(EXIT, port, NOPROC));
  return true;
}

export function unlinkPort(self: Process, port: Port): void {
  const p = portOf(port);
  if (p !== undefined) p.unlinkFrom(self);
  else self.links?.delete(portKey(port));
}

const COMMAND = atom('command');
const CLOSE = atom('close');
const CLOSED = atom('closed');
const CONNECT = atom('connect');
const CONNECTED = atom('connected');

/**
 * `Port ! Msg`: {Owner, {command, Data}} writes Data, {Owner, close} closes the port (the owner
 * gets {Port, closed}), {Owner, {connect, Pid}} hands it to Pid (the old owner gets
 * {Port, connected}). Anything else, or a first element that is not the owner, is a badsig. A
 * message to a closed port is dropped, as erl drops it.
 */
export function portMessage(port: Port, msg: Term): void {
  const p = portOf(port);
  if (p === undefined) return;
  if (!(msg instanceof Tuple) || msg.elements.length !== 2) return p.badsig();
  const [from, what] = msg.elements;
  if (!(from instanceof Pid) || !p.isOwner(from)) return p.badsig();
  if (what === CLOSE) {
    const owner = p.owner;
    p.exit(NORMAL);
    p.reply(owner, CLOSED);
    return;
  }
  if (what instanceof Tuple && what.elements.length === 2) {
    const [op, arg] = what.elements;
    if (op === COMMAND) {
      const bytes = iodataBytes(arg);
      if (bytes === undefined) return p.badsig();
      p.write(bytes);
      return;
    }
    if (op === CONNECT && arg instanceof Pid) {
      const q = node.process(arg);
      if (q === undefined) return p.badsig();
      const old = p.owner;
      p.connect(q);
      p.reply(old, CONNECTED);
      return;
    }
  }
  p.badsig();
}

// the node reaches ports through these (it does not import this file: ports sit above processes)
node.portSend = portMessage;
node.portExit = (port, from, reason) => portOf(port)?.exitSignal(from, reason, true);
