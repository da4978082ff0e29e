// A distribution connection after the handshake (erts "Distribution Protocol", Protocol between
// connected nodes): 4-byte length-prefixed frames, each `112 | 131 Control | [131 Message]`
// (PASS_THROUGH: terl never negotiates the atom cache or fragments), or an empty frame: a tick.
//
//   out   the operations this node sends, one method per control message, each only in the form
//         the connection's flags allow (SEND_SENDER, EXIT_PAYLOAD, UNLINK_ID); never an op OTP
//         does not know, since OTP kills a connection that sends one
//   in    every control message OTP 25 may send dispatched to the local processes through
//         runtime/vm/signals.ts; a trace-token variant's token goes with its message (trace_token.ts)
//   ticks write 4 zero bytes when nothing was written for net_ticktime/4; a peer from which
//         nothing at all was read for four such periods (≈ net_ticktime) is dropped
//
// Whatever a peer sends, the worst it gets is its own connection closed: a frame that does not
// decode, a control message of the wrong shape or an op we do not know closes this connection
// with a logged reason, and the node serves its other connections as before.

import type { Socket } from 'node:net';
import { Atom, OK, Pid, Ref, Term, Tuple, atom, list, listToArray, tuple } from '../vm/term.js';
import { appendFrame, decodeControlAtOnce, decodeControlInSteps, EtfError, Writer } from '../vm/etf.js';
import type { ControlFrame, DecodeOptions, EncodeOptions } from '../vm/etf.js';
import { FrameReader, TICK } from './framing.js';
import { FunTableNeeded, funNaming } from './fun_naming.js';
import { quoteAtom } from './node_name.js';
import { DFLAG, isPublished } from './flags.js';
import { emitWire, tapped } from './wire_tap.js';
import { carryToken, tokenFromWire, tokenToWire } from './trace_token.js';
import { seqSpawned, type SeqToken } from '../vm/seq_trace.js';
import { node } from '../vm/node.js';
import { NOPROC } from '../vm/process.js';
import { chargeElements, runQueued } from '../vm/scheduler.js';
import { heapHasRoom } from '../vm/memory.js';
import {
  remoteLink,
  remoteUnlink,
  remoteLinkExit,
  remoteExit2,
  remoteMonitor,
  remoteDemonitor,
  remoteDown,
  sendToAlias,
  refKey,
} from '../vm/signals.js';

/** Control message operations (erts "Distribution Protocol", Control Messages). */
export const Op = {
  LINK: 1,
  SEND: 2,
  EXIT: 3,
  UNLINK: 4,
  NODE_LINK: 5,
  REG_SEND: 6,
  GROUP_LEADER: 7,
  EXIT2: 8,
  SEND_TT: 12,
  EXIT_TT: 13,
  REG_SEND_TT: 16,
  EXIT2_TT: 18,
  MONITOR_P: 19,
  DEMONITOR_P: 20,
  MONITOR_P_EXIT: 21,
  SEND_SENDER: 22,
  SEND_SENDER_TT: 23,
  PAYLOAD_EXIT: 24,
  PAYLOAD_EXIT_TT: 25,
  PAYLOAD_EXIT2: 26,
  PAYLOAD_EXIT2_TT: 27,
  PAYLOAD_MONITOR_P_EXIT: 28,
  SPAWN_REQUEST: 29,
  SPAWN_REQUEST_TT: 30,
  SPAWN_REPLY: 31,
  SPAWN_REPLY_TT: 32,
  ALIAS_SEND: 33,
  ALIAS_SEND_TT: 34,
  UNLINK_ID: 35,
  UNLINK_ID_ACK: 36,
} as const;

/** SPAWN_REPLY flags: the link / the monitor the request asked for is set up. */
export const SPAWN_REPLY_LINK = 1;
export const SPAWN_REPLY_MONITOR = 2;

const EMPTY = atom('');
const LINK = atom('link');
const MONITOR = atom('monitor');
const PRIORITY = atom('priority');
const BADARG = atom('badarg');
const SPAWN_REQUEST = atom('spawn_request');
const SPAWN_REPLY = atom('spawn_reply');

/** What the node above the connection (net_kernel) does for it. */
export interface ConnectionOwner {
  /** the connection is gone; `reason` is OTP's nodedown_reason (connection_closed, net_tick_timeout, ...) */
  connectionDown(conn: Connection, reason: string): void;
  /** SPAWN_REPLY to a spawn_request a local process made (with the seq_trace token it carries) */
  spawnReply(reqId: Ref, to: Pid, flags: number, result: Term, token?: SeqToken): void;
  /** an error report's text (without the header) */
  logError(text: string): void;
}

export interface ConnectionOptions {
  socket: Socket;
  /** the peer's node name */
  peer: Atom;
  /** the negotiated flags (ours band theirs) */
  flags: bigint;
  /** the peer's creation */
  peerCreation: number;
  /** bytes read after the handshake: the start of the frame stream (read when start() is called) */
  rest: Uint8Array;
  /** net_ticktime in milliseconds */
  tickTimeMs: number;
  owner: ConnectionOwner;
}

/** Bytes the outgoing buffer starts with (it grows as a callback's frames need). */
const OUT_BUFFER = 16 * 1024;

/**
 * Frames handled from one read before their replies go out. A burst of requests (ten callers at
 * once) is answered in pieces, so the peer works on the first answers while this node works on
 * the rest: both nodes busy at once instead of taking turns, for one more write per piece.
 */
const FRAMES_PER_FLUSH = 5;

/** Terms decoded per slice of a frame: a frame this big or bigger is decoded over several event-loop turns. */
const SLICE_TERMS = 20_000;

/**
 * What a peer's frame may decode to: no deeper than a million (what terl's own code can build
 * and walk), and a compressed term inflated to no more than 8 MB or the frame's own size (OTP
 * never compresses what it sends on a connection: a compressed term that inflates a thousandfold
 * is an attack, which an uncompressed one costs its sender the bytes of).
 */
const MAX_DEPTH = 1_000_000;
const MAX_INFLATED = 8 * 1024 * 1024;
const SMALL_FRAME_LIMITS: DecodeOptions = { mapPid: localPid, maxDepth: MAX_DEPTH, maxSize: MAX_INFLATED };
function decodeLimits(frame: Uint8Array): DecodeOptions {
  return frame.length <= MAX_INFLATED ? SMALL_FRAME_LIMITS : { mapPid: localPid, maxDepth: MAX_DEPTH, maxSize: frame.length };
}

/** A control message that does not have the shape its op requires. */
class BadControl extends Error {}

export class Connection {
  readonly peer: Atom;
  readonly flags: bigint;
  readonly peerCreation: number;
  /** both sides published themselves: the peer is in nodes() (else in nodes(hidden)) */
  readonly visible: boolean;
  /** false once down: nothing more is written or dispatched */
  up = true;
  /** frames and bytes through this connection, for net_kernel:node_info and tests */
  readonly stats = { framesIn: 0, framesOut: 0, ticksIn: 0, ticksOut: 0 };

  private readonly socket: Socket;
  private readonly reader = new FrameReader(4);
  private readonly owner: ConnectionOwner;
  private readonly encodeOpts: EncodeOptions = { thisNode: node, utf8Atoms: true, localFun: (info) => funNaming()?.wireName(this.peer, info) };
  /** frames waiting, in order, until the peer has told how it numbers a module's funs (fun_naming.ts) */
  private held: { control: Tuple; payload: Term | undefined }[] | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private wroteSinceTick = false;
  private readSinceTick = false;
  private silentPeriods = 0;
  private nextUnlinkId = 1;
  private out = new Writer(OUT_BUFFER);
  private flushQueued = false;
  /** frames handled since the last flush from received */
  private handled = 0;
  private rest: Uint8Array;
  /** a big frame is being decoded a slice at a time: the socket is paused until it is done */
  private slicing = false;
  private readonly heldBytes: Uint8Array[] = [];

  constructor(o: ConnectionOptions) {
    this.socket = o.socket;
    this.peer = o.peer;
    this.flags = o.flags;
    this.peerCreation = o.peerCreation;
    this.owner = o.owner;
    this.visible = isPublished(o.flags);
    this.socket.setNoDelay(true);
    this.socket.on('data', (d: Buffer) => this.received(d));
    this.socket.on('close', () => this.down('connection_closed'));
    this.socket.on('error', () => this.down('connection_closed'));
    // intensity 4, as OTP: a tick period is a quarter of net_ticktime
    const period = Math.max(50, Math.floor(o.tickTimeMs / 4));
    this.tickTimer = setInterval(() => this.tick(), period);
    this.tickTimer.unref();
    this.rest = o.rest;
  }

  /** Start reading (once the owner knows the connection): first what came with the handshake. */
  start(): void {
    const rest = this.rest;
    this.rest = new Uint8Array(0);
    if (rest.length > 0) this.received(rest);
    if (this.up && !this.slicing) this.socket.resume();
  }

  has(flag: bigint): boolean {
    return (this.flags & flag) !== 0n;
  }

  // ---------- ticks ----------

  private tick(): void {
    if (!this.up) return;
    if (this.readSinceTick) {
      this.silentPeriods = 0;
    } else if (++this.silentPeriods >= 4) {
      this.owner.logError(`** Node ${quoteAtom(this.peer.name)} not responding **\n** Removing (timedout) connection **`);
      this.close('net_tick_timeout');
      return;
    }
    this.readSinceTick = false;
    if (!this.wroteSinceTick) {
      this.socket.write(TICK);
      this.stats.ticksOut++;
      if (tapped) emitWire({ kind: 'tick', peer: this.peer.name, dir: 'out' });
    }
    this.wroteSinceTick = false;
  }

  // ---------- closing ----------

  /** Close the connection (disconnect_node, a bad frame, tick timeout); the owner hears of it once. */
  close(reason: string): void {
    if (!this.up) return;
    this.flush();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 500).unref();
    this.down(reason);
  }

  /**
   * The node halts: the socket ends with what is written, and nobody hears of it (the node is
   * going). Every connection ends in one go, as a real node's do when it halts: one that went a
   * moment before the others would reach the peers first, and their global would see an
   * overlapping partition.
   */
  endForHalt(): void {
    if (!this.up) return;
    this.flush();
    this.up = false;
    if (this.tickTimer !== undefined) clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.socket.destroy();
  }

  private down(reason: string): void {
    if (!this.up) return;
    this.up = false;
    if (this.tickTimer !== undefined) clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.socket.destroy();
    this.owner.connectionDown(this, reason);
  }

  // ---------- out ----------

  /** Write a frame for a signal `sender` sends (held behind frames waiting for a fun table). */
  private write(control: Tuple, payload?: Term, sender?: Pid): void {
    if (!this.up) return;
    if (this.held !== undefined && !funNaming()?.asks(sender)) {
      this.held.push({ control, payload });
      return;
    }
    const needs = this.emit(control, payload);
    if (needs !== undefined) this.hold([{ control, payload }], needs);
  }

  /** Encode a frame into the outgoing buffer; the module whose fun table is needed first, if any. */
  private emit(control: Tuple, payload: Term | undefined): Atom | undefined {
    const from = this.out.pos;
    try {
      appendFrame(this.out, control, payload, this.encodeOpts);
      // the sender pays for the encoding as for term_to_binary's: about a term per four bytes
      chargeElements((this.out.pos - from) >>> 2);
    } catch (e) {
      if (e instanceof FunTableNeeded) return e.module;
      // a term that cannot go on the wire (an over-wide shell fun): the message is lost, not the node
      this.owner.logError(`** Cannot send to node ${this.peer.name}: ${(e as Error).message} **`);
      return undefined;
    }
    this.wroteSinceTick = true;
    this.stats.framesOut++;
    if (tapped) emitWire({ kind: 'control', peer: this.peer.name, dir: 'out', control, payload });
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flush);
    }
    return undefined;
  }

  /** Hold these frames (and whatever follows) until the peer's numbers for module's funs are known. */
  private hold(frames: { control: Tuple; payload: Term | undefined }[], module: Atom): void {
    this.held = [...frames, ...(this.held ?? [])];
    const naming = funNaming();
    if (naming === undefined) return this.release();
    void naming.learn(this.peer, module).then(() => this.release());
  }

  private release(): void {
    const q = this.held ?? [];
    this.held = undefined;
    for (let i = 0; i < q.length; i++) {
      if (!this.up) return;
      const needs = this.emit(q[i].control, q[i].payload);
      if (needs !== undefined) {
        this.hold(q.slice(i), needs);
        return;
      }
    }
  }

  /**
   * Frames written in one callback (a scheduler turn, a received chunk) leave in one write when it
   * returns: a system call costs more than a frame (a spawn reply and the exit that follows it
   * usually share one), and waiting for a later pass of the event loop would add to every round trip.
   */
  private readonly flush = (): void => {
    this.flushQueued = false;
    const w = this.out;
    if (w.pos === 0 || !this.up) return;
    this.socket.write(w.buf.slice(0, w.pos));
    w.pos = 0;
    // a buffer grown for one big message is not kept for every small one after it
    if (w.buf.length > 1 << 20) this.out = new Writer(OUT_BUFFER);
  };

  /** Pid ! Msg (the _TT variant when the message carries a seq_trace token) */
  send(from: Pid | undefined, to: Pid, msg: Term, token?: SeqToken): void {
    const c = from !== undefined && this.has(DFLAG.SEND_SENDER) ? tuple(Op.SEND_SENDER, from, to) : tuple(Op.SEND, EMPTY, to);
    this.write(token === undefined ? c : withToken(c, token), msg, from);
  }

  /** {Name, Node} ! Msg */
  regSend(from: Pid | undefined, name: Atom, msg: Term, token?: SeqToken): void {
    // REG_SEND needs a sender; a message from outside any process names none (OTP uses a system pid)
    const c = tuple(Op.REG_SEND, from ?? new Pid(node.name, 0, 0, node.creation), EMPTY, name);
    this.write(token === undefined ? c : withToken(c, token), msg, from);
  }

  link(from: Pid, to: Pid): void {
    this.write(tuple(Op.LINK, from, to), undefined, from);
  }

  unlink(from: Pid, to: Pid): void {
    if (this.has(DFLAG.UNLINK_ID)) this.write(tuple(Op.UNLINK_ID, this.nextUnlinkId++, from, to), undefined, from);
    else this.write(tuple(Op.UNLINK, from, to), undefined, from);
  }

  /** a local process linked to `to` died */
  exit(from: Pid, to: Pid, reason: Term): void {
    if (this.has(DFLAG.EXIT_PAYLOAD)) this.write(tuple(Op.PAYLOAD_EXIT, from, to), reason);
    else this.write(tuple(Op.EXIT, from, to, reason));
  }

  /** exit(To, Reason) */
  exit2(from: Pid, to: Pid, reason: Term): void {
    if (this.has(DFLAG.EXIT_PAYLOAD)) this.write(tuple(Op.PAYLOAD_EXIT2, from, to), reason);
    else this.write(tuple(Op.EXIT2, from, to, reason));
  }

  monitor(watcher: Pid, target: Pid | Atom, ref: Ref): void {
    this.write(tuple(Op.MONITOR_P, watcher, target, ref), undefined, watcher);
  }

  demonitor(watcher: Pid, target: Pid | Atom, ref: Ref): void {
    this.write(tuple(Op.DEMONITOR_P, watcher, target, ref), undefined, watcher);
  }

  /** a local process (or name) the remote `watcher` monitors is gone */
  monitorExit(target: Pid | Atom, watcher: Pid, ref: Ref, reason: Term): void {
    if (this.has(DFLAG.EXIT_PAYLOAD)) this.write(tuple(Op.PAYLOAD_MONITOR_P_EXIT, target, watcher, ref), reason);
    else this.write(tuple(Op.MONITOR_P_EXIT, target, watcher, ref, reason));
  }

  /** Alias ! Msg (only with ALIAS negotiated; OTP would not know the op otherwise) */
  aliasSend(from: Pid | undefined, alias: Ref, msg: Term, token?: SeqToken): void {
    if (!this.has(DFLAG.ALIAS)) return;
    const c = tuple(Op.ALIAS_SEND, from ?? new Pid(node.name, 0, 0, node.creation), alias);
    this.write(token === undefined ? c : withToken(c, token), msg, from);
  }

  spawnRequest(reqId: Ref, from: Pid, groupLeader: Pid, m: Atom, f: Atom, args: Term[], opts: Term, token?: SeqToken): void {
    const c = tuple(Op.SPAWN_REQUEST, reqId, from, groupLeader, tuple(m, f, args.length), opts);
    this.write(token === undefined ? c : withToken(c, token), list(args), from);
  }

  spawnReply(reqId: Ref, to: Pid, flags: number, result: Term, token?: SeqToken): void {
    const c = tuple(Op.SPAWN_REPLY, reqId, to, flags, result);
    this.write(token === undefined ? c : withToken(c, token));
  }

  groupLeader(from: Pid, to: Pid): void {
    this.write(tuple(Op.GROUP_LEADER, from, to));
  }

  // ---------- in ----------

  private received(d: Uint8Array): void {
    if (!this.up) return;
    if (this.slicing) {
      // a read that was under way when the socket paused waits behind the frame being decoded
      // (not in the reader yet: that frame is a view of the reader's buffer)
      this.heldBytes.push(d);
      return;
    }
    this.readSinceTick = true;
    this.reader.push(d);
    for (;;) {
      if (!this.up) return;
      let frame: Uint8Array | undefined;
      try {
        frame = this.reader.nextView();
      } catch (e) {
        this.malformed((e as Error).message);
        return;
      }
      if (frame === undefined) break;
      if (frame.length === 0) {
        this.stats.ticksIn++;
        if (tapped) emitWire({ kind: 'tick', peer: this.peer.name, dir: 'in' });
        continue;
      }
      this.stats.framesIn++;
      const limits = decodeLimits(frame);
      // a frame of fewer bytes than a slice's terms fits in one slice (unless it inflates): decoded
      // at once, without the generators of the sliced decoding
      let whole: ControlFrame | undefined;
      if (frame.length <= SLICE_TERMS) {
        try {
          whole = decodeControlAtOnce(frame, limits, SLICE_TERMS);
        } catch (e) {
          if (!(e instanceof EtfError)) throw e;
          this.malformed(e.message, frame);
          return;
        }
      }
      if (whole !== undefined) {
        this.handle(whole, frame);
      } else {
        const steps = decodeControlInSteps(frame, limits, SLICE_TERMS);
        if (!this.decodeStep(steps, frame)) {
          // a big frame: decoded a slice at a time, the socket paused, so one message from one peer
          // does not hold up every process and connection of the node
          this.socket.pause();
          this.slicing = true;
          setImmediate(() => this.decodeSlices(steps, frame));
          break;
        }
      }
      if (!this.up) return;
      if (++this.handled === FRAMES_PER_FLUSH) {
        this.handled = 0;
        runQueued();
        this.flush();
      }
    }
    this.handled = 0;
    runQueued();
  }

  /**
   * One slice of a frame's decoding: false while there is more to do; true when it is done (the
   * message dispatched, or the connection closed for a frame that does not decode).
   */
  private decodeStep(steps: Generator<void, ControlFrame, unknown>, frame: Uint8Array): boolean {
    let r: IteratorResult<void, ControlFrame>;
    try {
      r = steps.next();
    } catch (e) {
      if (!(e instanceof EtfError)) throw e;
      this.malformed(e.message, frame);
      return true;
    }
    if (r.done !== true) return false;
    this.handle(r.value, frame);
    return true;
  }

  /** A decoded frame's control message (and payload) to the local processes. */
  private handle(cf: ControlFrame, frame: Uint8Array): void {
    try {
      if (tapped) emitWire({ kind: 'control', peer: this.peer.name, dir: 'in', control: cf.control, payload: cf.payload });
      this.dispatch(cf.control as Tuple, cf.payload);
    } catch (e) {
      if (e instanceof EtfError || e instanceof BadControl) {
        this.malformed(e.message, frame);
        return;
      }
      // a bug of ours while handling a good message: report it, keep the connection
      this.owner.logError(`** Distribution message from ${this.peer.name} could not be handled: ${(e as Error).stack ?? e} **`);
    }
  }

  private decodeSlices(steps: Generator<void, ControlFrame, unknown>, frame: Uint8Array): void {
    if (!this.up) return;
    this.readSinceTick = true;
    if (!heapHasRoom()) {
      // the term would take the node's memory: it goes, with its connection, not the node
      this.slicing = false;
      this.malformed('the message is too large for the memory left', frame);
      return;
    }
    if (!this.decodeStep(steps, frame)) {
      setImmediate(() => this.decodeSlices(steps, frame));
      return;
    }
    this.slicing = false;
    runQueued();
    if (!this.up) return;
    // the frames that came behind it, then the socket again
    const held = this.heldBytes.splice(0);
    if (held.length === 0) this.received(new Uint8Array(0));
    for (const d of held) this.received(d);
    if (this.up && !this.slicing) this.socket.resume();
  }

  private malformed(why: string, frame?: Uint8Array): void {
    const head = frame === undefined ? '' : ` (frame of ${frame.length} bytes starting <<${[...frame.subarray(0, 16)].join(',')}${frame.length > 16 ? ',...' : ''}>>)`;
    this.owner.logError(`** Got invalid data on distribution channel from ${this.peer.name}: ${why}${head} **\n** Connection closed **`);
    this.close('invalid_data');
  }

  /** One control message from the peer. */
  private dispatch(c: Tuple, payload: Term | undefined): void {
    const e = c.elements;
    const op = e[0];
    switch (op) {
      case Op.LINK:
        checkShape(e, 3, false, payload);
        return remoteLink(this.peerPid(e[1]), this.pid(e[2]));
      case Op.SEND:
      case Op.SEND_TT:
        checkShape(e, op === Op.SEND ? 3 : 4, true, payload);
        return this.deliver(this.pid(e[2]), payload!, this.token(op === Op.SEND_TT, e[3]));
      case Op.SEND_SENDER:
      case Op.SEND_SENDER_TT:
        checkShape(e, op === Op.SEND_SENDER ? 3 : 4, true, payload);
        this.pid(e[1]);
        return this.deliver(this.pid(e[2]), payload!, this.token(op === Op.SEND_SENDER_TT, e[3]));
      case Op.EXIT:
      case Op.EXIT_TT:
        checkShape(e, op === Op.EXIT ? 4 : 5, false, payload);
        // an exit signal's token is checked, not kept: exits here carry none (OTP 25 sends none either)
        this.token(op === Op.EXIT_TT, e[3]);
        return remoteLinkExit(this.peerPid(e[1]), this.pid(e[2]), e[e.length - 1]);
      case Op.PAYLOAD_EXIT:
      case Op.PAYLOAD_EXIT_TT:
        checkShape(e, op === Op.PAYLOAD_EXIT ? 3 : 4, true, payload);
        this.token(op === Op.PAYLOAD_EXIT_TT, e[3]);
        return remoteLinkExit(this.peerPid(e[1]), this.pid(e[2]), payload!);
      case Op.UNLINK:
        checkShape(e, 3, false, payload);
        return remoteUnlink(this.peerPid(e[1]), this.pid(e[2]));
      case Op.UNLINK_ID: {
        checkShape(e, 4, false, payload);
        const from = this.peerPid(e[2]);
        const to = this.pid(e[3]);
        remoteUnlink(from, to);
        this.write(tuple(Op.UNLINK_ID_ACK, e[1], to, from));
        return;
      }
      case Op.UNLINK_ID_ACK:
        checkShape(e, 4, false, payload);
        return;
      case Op.NODE_LINK:
        return;
      case Op.REG_SEND:
      case Op.REG_SEND_TT: {
        checkShape(e, op === Op.REG_SEND ? 4 : 5, true, payload);
        this.pid(e[1]);
        const name = this.atom(e[3]);
        carryToken(node.whereis(name), payload!, this.token(op === Op.REG_SEND_TT, e[4]));
        node.sendLocalName(name, payload!);
        return;
      }
      case Op.GROUP_LEADER: {
        checkShape(e, 3, false, payload);
        const gl = this.pid(e[1]);
        const p = node.process(this.pid(e[2]));
        if (p !== undefined) p.groupLeader = gl;
        return;
      }
      case Op.EXIT2:
      case Op.EXIT2_TT:
        checkShape(e, op === Op.EXIT2 ? 4 : 5, false, payload);
        this.token(op === Op.EXIT2_TT, e[3]);
        return remoteExit2(this.peerPid(e[1]), this.pid(e[2]), e[e.length - 1]);
      case Op.PAYLOAD_EXIT2:
      case Op.PAYLOAD_EXIT2_TT:
        checkShape(e, op === Op.PAYLOAD_EXIT2 ? 3 : 4, true, payload);
        this.token(op === Op.PAYLOAD_EXIT2_TT, e[3]);
        return remoteExit2(this.peerPid(e[1]), this.pid(e[2]), payload!);
      case Op.MONITOR_P: {
        checkShape(e, 4, false, payload);
        const watcher = this.peerPid(e[1]);
        const target = this.pidOrAtom(e[2]);
        const ref = this.ref(e[3]);
        // a process that does not exist: its 'DOWN' at once, naming what was asked for
        if (!remoteMonitor(watcher, target, ref)) this.monitorExit(target, watcher, ref, NOPROC);
        return;
      }
      case Op.DEMONITOR_P:
        checkShape(e, 4, false, payload);
        this.peerPid(e[1]);
        return remoteDemonitor(this.pidOrAtom(e[2]), this.ref(e[3]));
      case Op.MONITOR_P_EXIT:
        checkShape(e, 5, false, payload);
        this.pidOrAtom(e[1]);
        return remoteDown(this.pid(e[2]), this.ref(e[3]), e[4]);
      case Op.PAYLOAD_MONITOR_P_EXIT:
        checkShape(e, 4, true, payload);
        this.pidOrAtom(e[1]);
        return remoteDown(this.pid(e[2]), this.ref(e[3]), payload!);
      case Op.SPAWN_REQUEST:
      case Op.SPAWN_REQUEST_TT:
        checkShape(e, op === Op.SPAWN_REQUEST ? 6 : 7, true, payload);
        return this.spawnRequested(this.ref(e[1]), this.peerPid(e[2]), this.pid(e[3]), e[4], e[5], payload!, this.token(op === Op.SPAWN_REQUEST_TT, e[6]));
      case Op.SPAWN_REPLY:
      case Op.SPAWN_REPLY_TT: {
        checkShape(e, op === Op.SPAWN_REPLY ? 5 : 6, false, payload);
        const flags = e[3];
        if (typeof flags !== 'number') throw new BadControl('SPAWN_REPLY flags not an integer');
        const result = e[4];
        if (!(result instanceof Atom) && !(result instanceof Pid)) throw new BadControl('SPAWN_REPLY result');
        return this.owner.spawnReply(this.ref(e[1]), this.pid(e[2]), flags, result, this.token(op === Op.SPAWN_REPLY_TT, e[5]));
      }
      case Op.ALIAS_SEND:
      case Op.ALIAS_SEND_TT: {
        checkShape(e, op === Op.ALIAS_SEND ? 3 : 4, true, payload);
        this.pid(e[1]);
        const alias = this.ref(e[2]);
        const token = this.token(op === Op.ALIAS_SEND_TT, e[3]);
        // an alias that is not (or no longer) active drops the message, as in OTP
        if (!node.isLocal(alias)) return;
        carryToken(node.aliases.get(refKey(alias)), payload!, token);
        sendToAlias(alias, payload!);
        return;
      }
      default:
        throw new BadControl(`unknown control message ${typeof op === 'number' ? op : 'with a non-integer op'}`);
    }
  }

  private deliver(to: Pid, msg: Term, token: SeqToken | undefined): void {
    // a pid of another node or of an earlier incarnation of this one: dropped, as erts does
    if (!node.isLocal(to)) return;
    carryToken(node.process(to), msg, token);
    node.sendToPid(to, msg);
  }

  /** SPAWN_REQUEST: start M:F(Args) here for the peer's process `from`, and answer at once. */
  private spawnRequested(reqId: Ref, from: Pid, gl: Pid, mfa: Term, opts: Term, argList: Term, token: SeqToken | undefined): void {
    if (!(mfa instanceof Tuple) || mfa.size !== 3) throw new BadControl('SPAWN_REQUEST without {M, F, A}');
    const [m, f, a] = mfa.elements;
    const args = listToArray(argList);
    const optList = listToArray(opts);
    if (!(m instanceof Atom) || !(f instanceof Atom) || typeof a !== 'number' || args === undefined || args.length !== a || optList === undefined) {
      this.spawnReply(reqId, from, 0, BADARG);
      return;
    }
    let wantLink = false;
    let wantMonitor = false;
    let priority: Atom | undefined;
    for (const o of optList) {
      if (o === LINK) wantLink = true;
      else if (o === MONITOR) wantMonitor = true;
      else if (o instanceof Tuple && o.size === 2 && o.elements[0] === PRIORITY && o.elements[1] instanceof Atom) priority = o.elements[1];
      else if (o instanceof Tuple && o.size === 2 && o.elements[0] === MONITOR) wantMonitor = true;
    }
    const p = node.spawnMFA(m, f, args, { groupLeader: gl, priority });
    p.parent = from;
    let flags = 0;
    if (wantLink) {
      remoteLink(from, p.pid);
      flags |= SPAWN_REPLY_LINK;
    }
    if (wantMonitor) {
      remoteMonitor(from, p.pid, reqId);
      flags |= SPAWN_REPLY_MONITOR;
    }
    // the reply goes before anything the new process can make us send (it runs in a later slice)
    if (token === undefined) return this.spawnReply(reqId, from, flags, p.pid);
    const request = tuple(SPAWN_REQUEST, reqId, from, gl, mfa, opts);
    this.spawnReply(reqId, from, flags, p.pid, seqSpawned(p, token, request, argList, from, tuple(SPAWN_REPLY, reqId, OK, p.pid)));
  }

  // ---------- field checks ----------

  /** The seq_trace token of a _TT control message (`tt`), if it carries one. */
  private token(tt: boolean, t: Term): SeqToken | undefined {
    if (!tt) return undefined;
    const token = tokenFromWire(t);
    if (token === null) throw new BadControl('a malformed seq_trace token');
    return token;
  }

  private pid(t: Term): Pid {
    if (!(t instanceof Pid)) throw new BadControl('a pid was expected');
    return t;
  }

  /** A pid that must be the peer's own (links and monitors are kept per connection). */
  private peerPid(t: Term): Pid {
    const p = this.pid(t);
    if (p.node !== this.peer) throw new BadControl(`pid of node ${p.node.name} sent by ${this.peer.name}`);
    return p;
  }

  private pidOrAtom(t: Term): Pid | Atom {
    if (t instanceof Pid || t instanceof Atom) return t;
    throw new BadControl('a pid or a name was expected');
  }

  private ref(t: Term): Ref {
    if (!(t instanceof Ref)) throw new BadControl('a reference was expected');
    return t;
  }

  private atom(t: Term): Atom {
    if (!(t instanceof Atom)) throw new BadControl('an atom was expected');
    return t;
  }
}

/** A control message of the shape its op requires: n elements, and a payload or none. */
function checkShape(e: Term[], n: number, withPayload: boolean, payload: Term | undefined): void {
  if (e.length !== n) throw new BadControl(`control message ${e[0]} with ${e.length} elements`);
  if (withPayload !== (payload !== undefined)) throw new BadControl(`control message ${e[0]} ${withPayload ? 'without' : 'with'} a message`);
}

/** A control message's trace-token variant: its _TT op, the token last. */
function withToken(c: Tuple, token: SeqToken): Tuple {
  const [op, ...rest] = c.elements;
  return tuple(TT_OF[op as number], ...rest, tokenToWire(token));
}

const TT_OF: Record<number, number> = {
  [Op.SEND]: Op.SEND_TT,
  [Op.SEND_SENDER]: Op.SEND_SENDER_TT,
  [Op.REG_SEND]: Op.REG_SEND_TT,
  [Op.ALIAS_SEND]: Op.ALIAS_SEND_TT,
  [Op.SPAWN_REQUEST]: Op.SPAWN_REQUEST_TT,
  [Op.SPAWN_REPLY]: Op.SPAWN_REPLY_TT,
};

/** This node's pids from the wire become the live processes' own pid objects (so =:= holds). */
function localPid(p: Pid): Pid {
  if (!node.isLocal(p)) return p;
  return node.process(p)?.pid ?? p;
}

