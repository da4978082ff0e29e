// net_kernel: this node's life as a distributed node, as kernel's net_kernel and its helpers:
//
//   start        the node name from -sname/-name, a listen socket (inet_dist_listen_min/max),
//                registration with EPMD (served in this process when none answers: epmd_host.ts)
//   connections  one per peer; connect on demand when a local process sends, links, monitors or
//                spawns towards a node we are not connected to (what a send does while the
//                connection is being set up waits in order, and is dropped if it fails);
//                incoming connections through the acceptor's handshake; simultaneous connects
//                decided by comparing node names, as dist_util does
//   nodes        nodes(), monitor_node/2, net_kernel:monitor_nodes/1, disconnect_node/1
//   cookies      the node's cookie and per-node cookies (erlang:set_cookie/2)
//   net_kernel   the registered process answering {is_auth, Node} (net_adm:ping)
//
// The DistHooks of runtime/vm/node.ts are implemented here: the signals leaving this node go to the
// peer's Connection (runtime/distribution/connection.ts), which also dispatches what comes in.

import { isIP, connect as tcpConnect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { Atom, Pid, Ref, type RefKey, Term, Tuple, atom, list, listToArray, tuple, OK, existingAtom } from '../vm/term.js';
import { RefTable } from '../vm/ref_table.js';
import { node, NONODE } from '../vm/node.js';
import type { DistHooks } from '../vm/node.js';
import type { Process } from '../vm/process.js';
import { nodeDown as signalsNodeDown, refKey } from '../vm/signals.js';
import { currentlyRunning } from '../vm/scheduler.js';
import { DistStartError, hostKindError, nodeNameFor, validNodeName, type DistOptions } from './node_name.js';
import { fullHostName } from './host_name.js';
import { debug, logError } from './dist_log.js';
import { listenInRange } from './listen.js';
import { hostname } from 'node:os';
import { receiveAny } from '../vm/receive.js';
import { logText, remoteEventText } from '../lib/kernel/error_logger.js';
import { legacyHeader } from '../lib/stdlib/format/report.js';
import { tierUpSooner } from './tier_up.js';
import { Connection, SPAWN_REPLY_LINK, SPAWN_REPLY_MONITOR } from './connection.js';
import { carryToken } from './trace_token.js';
import { seqSpawnRequest, type SeqToken } from '../vm/seq_trace.js';
import type { ConnectionOwner } from './connection.js';
import { TERL_FLAGS, TERL_HIDDEN_FLAGS } from './flags.js';
import { handshakeOtherStarted, simultaneousConnect, handshakeWeStarted } from './handshake.js';
import { dial, ignoreSocketError, isDialFailure } from './dial.js';
import { handshakeFailure, recordFailure } from './failure.js';
import type { HandshakeResult, PendingStatus } from './handshake.js';
import { EpmdError, portPlease } from './epmd_client.js';
import { registerAgain, registerNode } from './epmd_host.js';
import { reportHandshakeCrash } from './handshake_crash.js';
import { DistStrangers } from './strangers.js';
import type { Registration } from './epmd_client.js';
import { NODE_TYPE_NORMAL } from './epmd_wire.js';
import { readCookie, CookieError } from './cookie.js';

// ---------- connections ----------

/** Something a local process wants done on a connection that is not up yet. */
interface Waiter {
  run(c: Connection): void;
  fail?(): void;
}

/** A connection being set up (ours, theirs, or both at once). */
interface Pending {
  waiters: Waiter[];
  /** our outgoing attempt is under way (looking up the port, connecting, or in its handshake) */
  dialling: boolean;
  /** the peer's simultaneous attempt won before our socket was open: do not start our handshake */
  dialAbandoned: boolean;
  /** our outgoing attempt's socket, while it runs */
  outgoing?: Socket;
  /** an incoming handshake from that node is running */
  incoming: boolean;
  /** our attempt got `nok`: the peer's own attempt wins; fail if it does not come */
  giveUpTimer?: ReturnType<typeof setTimeout>;
  /** resolves with whether the node ended up connected */
  done: Promise<boolean>;
  resolve(ok: boolean): void;
}

interface SpawnWait {
  ref: Ref;
  from: Pid;
  peer: Atom;
  /** spawn_request's {reply, ...}: which spawn_reply messages the requester wants */
  reply: 'yes' | 'no' | 'error_only' | 'success_only';
}

/** What a net_kernel:monitor_nodes/2 subscriber asked for. */
export interface NodeSubscription {
  /** {nodeup, Node, InfoList} instead of {nodeup, Node} (any option given) */
  info: boolean;
  /** {node_type, visible | hidden} in the info list */
  nodeType: boolean;
  /** {nodedown_reason, R} in nodedown's info list */
  reason: boolean;
  visible: boolean;
  hidden: boolean;
}

type NodeEvent = 'nodeup' | 'nodedown';
type NodeListener = (event: NodeEvent, peer: Atom, conn: Connection, reason: string) => void;

const NODEUP = atom('nodeup');
const NODEDOWN = atom('nodedown');
const SPAWN_REPLY = atom('spawn_reply');
const SPAWN_REQUEST = atom('spawn_request');
const ERROR = atom('error');
const NOCONNECTION = atom('noconnection');
const NODE_TYPE = atom('node_type');
const VISIBLE = atom('visible');
const HIDDEN = atom('hidden');
const NODEDOWN_REASON = atom('nodedown_reason');

class NetKernel implements DistHooks, ConnectionOwner {
  alive = false;
  hidden = false;
  /** -name (fully qualified host names; other nodes' hosts must be too, or addresses) or -sname */
  longNames = false;
  connectAll = true;
  tickTimeMs = 60_000;
  /** how long a handshake step may wait (net_setuptime, 7 s) */
  setupTimeMs = 7000;
  listenPort = 0;
  private listener: Server | undefined;
  private registration: Registration | undefined;
  private cookie = 'nocookie';
  private readonly nodeCookies = new Map<Atom, string>();
  private readonly conns = new Map<Atom, Connection>();
  private readonly pending = new Map<Atom, Pending>();
  /** incoming handshakes from names that are no atom yet */
  private readonly strangerNames = new Set<string>();
  /** connections to the listen port that have not authenticated: limits and wrong-cookie bursts */
  private readonly strangers = new DistStrangers(this.setupTimeMs, logError);
  private readonly spawns = new Map<RefKey, SpawnWait>();
  /** monitor_node/2: node → watching process → how many times */
  private readonly nodeMonitors = new Map<Atom, Map<Pid, number>>();
  /** net_kernel:monitor_nodes/1,2 subscribers and what their messages carry */
  private readonly subscribers = new Map<Pid, NodeSubscription>();
  private readonly listeners: NodeListener[] = [];
  /** print numbers for other nodes' pids: <N.Id.Serial> */
  private readonly channels = new Map<Atom, number>();
  private readonly env: NodeJS.ProcessEnv = process.env;

  // ----- starting and stopping -----

  async start(o: DistOptions): Promise<void> {
    if (this.alive) throw new DistStartError('distribution is already started');
    const full = nodeNameFor(o.name, o.longNames, o.longNames && !o.name.includes('@') ? await fullHostName({ env: o.env ?? process.env }) : undefined);
    this.longNames = o.longNames;
    const alive = full.slice(0, full.indexOf('@'));
    const env = o.env ?? process.env;
    if (o.cookie !== undefined) this.cookie = o.cookie;
    else {
      try {
        this.cookie = readCookie(env);
      } catch (e) {
        if (e instanceof CookieError) throw new DistStartError(`${e.message}\n`);
        throw e;
      }
    }
    this.hidden = o.hidden ?? false;
    this.connectAll = o.connectAll ?? true;
    this.tickTimeMs = (o.tickTime ?? 60) * 1000;
    const server = await listenInRange(o.listenMin, o.listenMax);
    const port = (server.address() as { port: number }).port;
    let reg: Registration;
    try {
      reg = await registerNode(alive, port, env);
    } catch (e) {
      server.close();
      if (e instanceof EpmdError && e.code === 'duplicate_name') {
        throw new DistStartError(`Protocol 'inet_tcp': the name ${full} seems to be in use by another Erlang node\n`);
      }
      throw new DistStartError(`Protocol 'inet_tcp': register/listen error: ${e instanceof EpmdError ? 'econnrefused' : (e as Error).message}\n`);
    }
    this.listener = server;
    this.listenPort = port;
    this.registration = reg;
    // pids made from now on carry the name and creation together
    node.name = atom(full);
    node.creation = reg.creation;
    node.dist = this;
    this.alive = true;
    // halt/0,1 takes the connections down before anything else the halting node does gets out
    const halt = node.onHalt;
    node.onHalt = (status) => {
      for (const c of [...this.conns.values()]) c.endForHalt();
      halt(status);
    };
    server.on('connection', (s) => this.accepted(s));
    server.on('error', (e) => logError(`** Distribution listen socket failed: ${e.message} **`));
    this.watchRegistration(reg, full, env);
    // the processes of a distributed node (net_kernel, logger_proxy, rex, global, ...): the library's
    for (const hook of startHooks) hook();
  }

  /**
   * The registration ends when the port mapper does. Told to take it over (its terl host left:
   * epmd_takeover.ts), the node registers again under the same name and port, keeping its creation
   * (its pids carry it; peers learn it in the handshake); otherwise, or if that fails, it says so.
   */
  private watchRegistration(reg: Registration, full: string, env: NodeJS.ProcessEnv): void {
    const current = (): boolean => this.registration === reg && this.alive;
    void reg.closed.then(async (leaving) => {
      if (!current()) return;
      if (leaving !== undefined) {
        const again = await registerAgain(reg.name, this.listenPort, env, node.creation, leaving);
        if (again !== undefined && current()) {
          this.registration = again;
          this.watchRegistration(again, full, env);
          return;
        }
        // the node stopped meanwhile: the new registration is not wanted
        again?.close();
        if (!current()) return;
      }
      logError(`** EPMD closed the registration of ${full} **`);
    });
  }

  /** net_kernel:stop/0: every connection goes, the node is nonode@nohost again. */
  stop(): void {
    if (!this.alive) return;
    for (const c of [...this.conns.values()]) c.close('disconnect');
    for (const [peer, p] of [...this.pending]) this.settle(peer, p, undefined);
    this.listener?.close();
    this.registration?.close();
    this.listener = undefined;
    this.registration = undefined;
    this.alive = false;
    node.dist = undefined;
    const nk = node.whereis(atom('net_kernel'));
    if (nk !== undefined) node.unregister(atom('net_kernel'));
    node.name = NONODE;
    node.creation = 0;
  }

  // ----- cookies -----

  cookieFor(peer: string): string {
    // existingAtom: a stranger's name must not become an atom before it authenticates
    const known = existingAtom(peer);
    return (known !== undefined ? this.nodeCookies.get(known) : undefined) ?? this.cookie;
  }

  getCookie(peer?: Atom): string {
    if (peer === undefined || peer === node.name) return this.cookie;
    return this.nodeCookies.get(peer) ?? this.cookie;
  }

  setCookie(cookie: string, peer?: Atom): void {
    if (peer === undefined || peer === node.name) this.cookie = cookie;
    else this.nodeCookies.set(peer, cookie);
  }

  // ----- lookups -----

  connection(peer: Atom): Connection | undefined {
    const c = this.conns.get(peer);
    return c !== undefined && c.up ? c : undefined;
  }

  /** nodes(visible) / nodes(hidden), oldest connection first */
  nodes(kind: 'visible' | 'hidden' | 'connected' = 'visible'): Atom[] {
    const out: Atom[] = [];
    for (const [peer, c] of this.conns) {
      if (!c.up) continue;
      if (kind === 'connected' || (kind === 'visible') === c.visible) out.push(peer);
    }
    return out;
  }

  onNode(l: NodeListener): void {
    this.listeners.push(l);
  }

  /** The number printed for another node's pids (<N.Id.Serial>): stable for the node's life. */
  channelOf(peer: Atom): number {
    let n = this.channels.get(peer);
    if (n === undefined) {
      // OTP's numbers look like 9123: derive one from the name, and keep them distinct
      let h = 0;
      for (const ch of peer.name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
      n = 1000 + (h % 9000);
      const used = new Set(this.channels.values());
      while (used.has(n)) n = n >= 9999 ? 1000 : n + 1;
      this.channels.set(peer, n);
    }
    return n;
  }

  /** The node another node's pids print with number n (<n.Id.Serial>), if any. */
  nodeOfChannel(n: number): Atom | undefined {
    for (const [peer, k] of this.channels) if (k === n) return peer;
    return undefined;
  }

  /** The creation of a connected node (its pids carry it). */
  creationOf(peer: Atom): number | undefined {
    return this.connection(peer)?.peerCreation;
  }

  // ----- connecting -----

  /**
   * Run `run` on the connection to `peer` now, or once it is up (connecting on demand);
   * `fail` runs instead if it cannot be set up.
   */
  private withConnection(peer: Atom, run: (c: Connection) => void, fail?: () => void): void {
    const c = this.connection(peer);
    if (c !== undefined) {
      run(c);
      return;
    }
    if (!this.alive || !validNodeName(peer.name) || peer === node.name) {
      fail?.();
      return;
    }
    const p = this.pending.get(peer) ?? this.connectTo(peer);
    p.waiters.push({ run, fail });
  }

  /** net_kernel:connect_node/1: true once connected, false when that fails. */
  connect(peer: Atom): Promise<boolean> {
    if (peer === node.name) return Promise.resolve(this.alive);
    if (this.connection(peer) !== undefined) return Promise.resolve(true);
    if (!this.alive || !validNodeName(peer.name)) return Promise.resolve(false);
    return (this.pending.get(peer) ?? this.connectTo(peer)).done;
  }

  private newPending(peer: Atom): Pending {
    let resolve!: (ok: boolean) => void;
    const done = new Promise<boolean>((r) => (resolve = r));
    const p: Pending = { waiters: [], incoming: false, dialling: false, dialAbandoned: false, done, resolve };
    this.pending.set(peer, p);
    return p;
  }

  /** Start our own attempt to reach peer. */
  private connectTo(peer: Atom): Pending {
    debug(`connecting to ${peer.name}`);
    const p = this.newPending(peer);
    p.dialling = true;
    void this.dial(peer, p).finally(() => (p.dialling = false));
    return p;
  }

  private async dial(peer: Atom, p: Pending): Promise<void> {
    // a node of the other kind (-name and -sname) is refused before anything goes out, as erl does
    const wrongKind = hostKindError(peer.name, this.longNames);
    const host = peer.name.slice(peer.name.indexOf('@') + 1);
    if (wrongKind !== undefined) {
      logError(wrongKind);
      recordFailure({ kind: 'name_mode', node: peer.name, host, longNames: this.longNames });
      if (this.pending.get(peer) === p && !p.incoming) this.settle(peer, p, undefined);
      return;
    }
    let socket: Socket | undefined;
    const r = await dial(peer.name, {
      thisNode: node.name.name,
      thisFlags: this.flags(),
      creation: node.creation,
      cookie: (other) => this.cookieFor(other),
      setupTimeMs: this.setupTimeMs,
      epmd: { env: this.env, timeoutMs: this.setupTimeMs },
      connectTimeoutMs: this.setupTimeMs,
      connected: (s) => {
        // the peer's own attempt got there first
        if (p.dialAbandoned || this.pending.get(peer) !== p || this.connection(peer) !== undefined) return false;
        p.outgoing = socket = s;
        return true;
      },
      // status `alive`: the peer still has a connection from an earlier us; take over (never
      // a connection of ours that is up: that one is the peer's, made a moment ago)
      isPending: () => this.pending.get(peer) === p && this.connection(peer) === undefined,
    });
    if (isDialFailure(r)) {
      if (r.reason === 'abandoned') {
        debug(`not dialling ${peer.name}: its own attempt got there first`);
        return;
      }
      debug(`cannot reach ${peer.name}: ${r.detail}`);
      if (r.failure !== undefined) recordFailure(r.failure);
      if (this.pending.get(peer) === p && !p.incoming) this.settle(peer, p, undefined);
      return;
    }
    if (p.outgoing === socket) p.outgoing = undefined;
    if (r.ok) {
      if (this.pending.get(peer) !== p) {
        // given up meanwhile
        r.socket.destroy();
        return;
      }
      this.established(r);
      return;
    }
    debug(`handshake to ${peer.name} failed: ${r.reason} ${r.detail ?? ''}`);
    if (r.reason !== 'nok' && r.reason !== 'alive') recordFailure(handshakeFailure(peer.name, r, true));
    if (r.report !== undefined) logError(r.report);
    if (r.crash !== undefined) reportHandshakeCrash(r.crash);
    if (this.pending.get(peer) !== p) return;
    if (r.reason === 'nok' || p.incoming) {
      // the peer's attempt wins: wait for it a while
      p.giveUpTimer ??= setTimeout(() => {
        if (this.pending.get(peer) === p && !p.incoming) this.settle(peer, p, undefined);
      }, this.setupTimeMs);
      return;
    }
    this.settle(peer, p, undefined);
  }

  private flags(): bigint {
    return this.hidden ? TERL_HIDDEN_FLAGS : TERL_FLAGS;
  }

  /** A connection to our listen port. */
  private accepted(socket: Socket): void {
    socket.on('error', ignoreSocketError);
    if (!this.strangers.admit(socket)) return;
    const address = socket.remoteAddress ?? '?';
    let peer: Atom | undefined;
    let mine: Pending | undefined;
    let stranger: string | undefined;
    void handshakeOtherStarted({
      socket,
      thisNode: node.name.name,
      thisFlags: this.flags(),
      creation: node.creation,
      cookie: (other) => this.cookieFor(other),
      setupTimeMs: this.setupTimeMs,
      challengeDelay: () => this.strangers.challengeDelay(socket),
      markPending: (other) => {
        // a name no one here has used yet stays a string until the peer has authenticated:
        // strangers must not fill the atom table (nothing can be pending towards such a name)
        const known = existingAtom(other);
        if (known === undefined) {
          if (this.strangerNames.has(other)) return 'nok';
          this.strangerNames.add(other);
          stranger = other;
          return 'ok';
        }
        peer = known;
        const status = this.markPending(peer);
        // (`alive`: the connection that is up stays the one sends use, unless this one replaces it)
        if (status === 'ok' || status === 'ok_simultaneous') {
          mine = this.pending.get(peer) ?? this.newPending(peer);
          mine.incoming = true;
        }
        return status;
      },
      waitPending: async (other) => {
        // the peer restarted while we still had its old connection: drop that one first
        this.conns.get(atom(other))?.close('connection_closed');
      },
    }).then((r: HandshakeResult) => {
      if (stranger !== undefined) this.strangerNames.delete(stranger);
      // its report, if any, is logged there (wrong cookies once per burst)
      this.strangers.done(socket, r.ok ? undefined : r, address);
      if (r.ok) {
        this.established(r);
        return;
      }
      debug(`handshake from ${r.otherNode ?? '?'} failed: ${r.reason} ${r.detail ?? ''}`);
      if (r.reason === 'bad_cookie' && r.otherNode !== undefined) recordFailure(handshakeFailure(r.otherNode, r, false));
      if (r.crash !== undefined) reportHandshakeCrash(r.crash);
      if (peer !== undefined && mine !== undefined && this.pending.get(peer) === mine) {
        mine.incoming = false;
        if (mine.outgoing === undefined && mine.giveUpTimer === undefined) this.settle(peer, mine, undefined);
      }
    });
  }

  /** dist_util's verdict on an incoming attempt from `peer`. */
  private markPending(peer: Atom): PendingStatus {
    const status = this.pendingStatus(peer);
    debug(`incoming attempt from ${peer.name}: ${status}`);
    return status;
  }

  private pendingStatus(peer: Atom): PendingStatus {
    if (this.connection(peer) !== undefined) return 'alive';
    const p = this.pending.get(peer);
    if (p === undefined) return 'ok';
    if (p.incoming) return 'nok';
    // an attempt of ours that is still looking up the port counts too: in OTP its pending entry
    // is there from the start, so an incoming attempt meanwhile gets the simultaneous verdict
    if (!p.dialling) return 'ok';
    const verdict = simultaneousConnect(node.name.name, peer.name);
    if (verdict === 'ok_simultaneous') {
      // their attempt wins: drop ours (its handshake fails and leaves the pending entry alone)
      p.dialAbandoned = true;
      const s = p.outgoing;
      p.outgoing = undefined;
      s?.destroy();
    }
    return verdict;
  }

  private established(r: Extract<HandshakeResult, { ok: true }>): void {
    const peer = atom(r.otherNode);
    const old = this.conns.get(peer);
    if (old !== undefined && old.up) old.close('connection_closed');
    const c = new Connection({
      socket: r.socket,
      peer,
      flags: r.flags,
      peerCreation: r.otherCreation,
      rest: r.rest,
      tickTimeMs: this.tickTimeMs,
      owner: this,
    });
    this.conns.set(peer, c);
    tierUpSooner();
    this.channelOf(peer);
    const p = this.pending.get(peer);
    if (p !== undefined) this.settle(peer, p, c);
    this.nodeUp(peer, c);
    c.start();
  }

  /** The pending attempt is over: run what waited on it, or fail it. */
  private settle(peer: Atom, p: Pending, c: Connection | undefined): void {
    if (this.pending.get(peer) === p) this.pending.delete(peer);
    if (p.giveUpTimer !== undefined) clearTimeout(p.giveUpTimer);
    p.outgoing?.destroy();
    p.outgoing = undefined;
    const ws = p.waiters.splice(0);
    if (c !== undefined) {
      for (const w of ws) w.run(c);
    } else if (this.connection(peer) !== undefined) {
      // a failed extra attempt while a connection is up: what waited goes through that one
      const up = this.connection(peer)!;
      for (const w of ws) w.run(up);
    } else {
      for (const w of ws) w.fail?.();
      // links and monitors made towards the node break with noconnection
      signalsNodeDown(peer);
      this.nodeMonitorsFire(peer);
    }
    p.resolve(c !== undefined || this.connection(peer) !== undefined);
  }

  private nodeUp(peer: Atom, c: Connection): void {
    debug(`connection to ${peer.name} up (flags ${c.flags.toString(16)})`);
    this.tellSubscribers(NODEUP, peer, c, undefined);
    for (const l of this.listeners) l('nodeup', peer, c, '');
  }

  /** {nodeup, Node} / {nodedown, Node}, or with an info list when monitor_nodes/2 asked for one. */
  private tellSubscribers(what: Atom, peer: Atom, c: Connection, reason: string | undefined): void {
    for (const [pid, s] of this.subscribers) {
      const proc = node.process(pid);
      if (proc === undefined) {
        this.subscribers.delete(pid);
        continue;
      }
      if (c.visible ? !s.visible : !s.hidden) continue;
      if (!s.info) {
        node.deliver(proc, tuple(what, peer));
        continue;
      }
      const info: Term[] = [];
      if (s.nodeType) info.push(tuple(NODE_TYPE, c.visible ? VISIBLE : HIDDEN));
      if (s.reason && reason !== undefined) info.push(tuple(NODEDOWN_REASON, atom(reason)));
      node.deliver(proc, tuple(what, peer, list(info)));
    }
  }

  // ----- ConnectionOwner -----

  connectionDown(c: Connection, reason: string): void {
    const peer = c.peer;
    debug(`connection to ${peer.name} down: ${reason}`);
    if (this.conns.get(peer) === c) this.conns.delete(peer);
    else return; // replaced by a newer connection already
    recordFailure({ kind: 'connection_down', node: peer.name, reason });
    for (const [key, w] of [...this.spawns]) {
      if (w.peer !== peer) continue;
      this.spawns.delete(key);
      this.spawnFailed(w, w.ref, NOCONNECTION);
    }
    signalsNodeDown(peer);
    this.nodeMonitorsFire(peer);
    this.tellSubscribers(NODEDOWN, peer, c, reason);
    for (const l of this.listeners) l('nodedown', peer, c, reason);
  }

  spawnReply(reqId: Ref, to: Pid, flags: number, result: Term, token?: SeqToken): void {
    const key = refKey(reqId);
    const w = this.spawns.get(key);
    if (w === undefined || w.from.id !== to.id) return;
    this.spawns.delete(key);
    const p = node.process(w.from);
    if (!(result instanceof Pid)) {
      this.spawnFailed(w, reqId, result);
      return;
    }
    if (p === undefined) {
      // the requester is gone: undo what the reply set up on the other side
      const c = this.connection(w.peer);
      if (flags & SPAWN_REPLY_LINK) c?.exit(w.from, result, atom('noproc'));
      if (flags & SPAWN_REPLY_MONITOR) c?.demonitor(w.from, result, reqId);
      return;
    }
    if (flags & SPAWN_REPLY_LINK) (p.links ??= new Map()).set(node.pidKey(result), result);
    if (flags & SPAWN_REPLY_MONITOR) (p.monitors ??= new RefTable()).set(key, { ref: reqId, watcher: p.pid, target: result, item: result });
    if (w.reply !== 'yes' && w.reply !== 'success_only') return;
    const msg = tuple(SPAWN_REPLY, reqId, OK, result);
    carryToken(p, msg, token);
    node.deliver(p, msg);
  }

  /** spawn_request_abandon: true when the request had no reply yet (none will be delivered now). */
  abandonSpawn(reqId: Ref): boolean {
    return this.spawns.delete(refKey(reqId));
  }

  private spawnFailed(w: SpawnWait, reqId: Ref, reason: Term): void {
    if (w.reply === 'no' || w.reply === 'success_only') return;
    const p = node.process(w.from);
    if (p !== undefined) node.deliver(p, tuple(SPAWN_REPLY, reqId, ERROR, reason));
  }

  logError(text: string): void {
    logError(text);
  }

  // ----- DistHooks: signals leaving this node -----

  send(to: Pid, msg: Term, from: Pid | undefined, token?: SeqToken): void {
    // SEND_SENDER names the sender: the running process when the caller gave none
    const sender = from ?? currentlyRunning()?.pid;
    this.withConnection(to.node, (c) => c.send(sender, to, msg, token));
  }

  sendReg(name: Atom, peer: Atom, msg: Term, from: Pid | undefined, token?: SeqToken): void {
    const sender = from ?? currentlyRunning()?.pid;
    this.withConnection(peer, (c) => c.regSend(sender, name, msg, token));
  }

  sendAlias(alias: Ref, msg: Term, from: Pid | undefined, token?: SeqToken): void {
    const sender = from ?? currentlyRunning()?.pid;
    this.withConnection(alias.node, (c) => c.aliasSend(sender, alias, msg, token));
  }

  link(from: Pid, to: Pid): void {
    // a failed connection breaks the link with noconnection (settle → signals.nodeDown)
    this.withConnection(to.node, (c) => c.link(from, to));
  }

  unlink(from: Pid, to: Pid): void {
    this.connection(to.node)?.unlink(from, to);
  }

  exit(from: Pid, to: Pid, reason: Term): void {
    this.connection(to.node)?.exit(from, to, reason);
  }

  exit2(from: Pid, to: Pid, reason: Term): void {
    this.withConnection(to.node, (c) => c.exit2(from, to, reason));
  }

  monitor(watcher: Pid, target: Pid | Atom, peer: Atom, ref: Ref): void {
    this.withConnection(peer, (c) => c.monitor(watcher, target, ref));
  }

  demonitor(watcher: Pid, target: Pid | Atom, peer: Atom, ref: Ref): void {
    this.connection(peer)?.demonitor(watcher, target, ref);
  }

  down(target: Pid, watcher: Pid, ref: Ref, reason: Term): void {
    this.connection(watcher.node)?.monitorExit(target, watcher, ref, reason);
  }

  spawnRequest(peer: Atom, module: Atom, name: Atom, args: Term, opts: Term, from: Pid, ref: Ref): void {
    this.spawnRequestFull(peer, module, name, args, opts, from, ref, 'yes');
  }

  /** spawn_request to peer: the answer comes to `from` as {spawn_reply, Ref, ok | error, PidOrReason}. */
  spawnRequestFull(peer: Atom, module: Atom, name: Atom, args: Term, opts: Term, from: Pid, ref: Ref, reply: SpawnWait['reply']): void {
    const w: SpawnWait = { ref, from, peer, reply };
    const key = refKey(ref);
    const argList = listToArray(args) ?? [];
    const p = node.process(from);
    const gl = p?.groupLeader ?? from;
    // a requester with a seq_trace token: the request carries it on (counted as BEAM counts it)
    const token = p?.seq?.token !== undefined ? seqSpawnRequest(p, peer, tuple(SPAWN_REQUEST, ref, from, gl, tuple(module, name, argList.length), opts), args) : undefined;
    this.spawns.set(key, w);
    // connected (every call after the first): straight to the connection, no closures made
    const up = this.connection(peer);
    if (up !== undefined) return up.spawnRequest(ref, from, gl, module, name, argList, opts, token);
    this.withConnection(
      peer,
      (c) => {
        if (this.spawns.get(key) === w) c.spawnRequest(ref, from, gl, module, name, argList, opts, token);
      },
      () => {
        if (this.spawns.get(key) !== w) return;
        this.spawns.delete(key);
        this.spawnFailed(w, ref, NOCONNECTION);
      },
    );
  }

  // ----- monitor_node -----

  /** monitor_node(Node, Flag) by p. Monitoring an unconnected node connects to it. */
  monitorNode(p: Process, peer: Atom, flag: boolean): void {
    if (!flag) {
      const m = this.nodeMonitors.get(peer);
      const n = m?.get(p.pid);
      if (m !== undefined && n !== undefined) {
        if (n <= 1) m.delete(p.pid);
        else m.set(p.pid, n - 1);
      }
      return;
    }
    if (peer === node.name) return;
    let m = this.nodeMonitors.get(peer);
    if (m === undefined) this.nodeMonitors.set(peer, (m = new Map()));
    m.set(p.pid, (m.get(p.pid) ?? 0) + 1);
    if (this.connection(peer) === undefined) {
      if (!this.alive || !validNodeName(peer.name)) {
        this.nodeMonitorsFire(peer);
        return;
      }
      void this.connect(peer);
    }
  }

  /** {nodedown, Node} to every process monitoring peer, once per monitor_node call. */
  private nodeMonitorsFire(peer: Atom): void {
    const m = this.nodeMonitors.get(peer);
    if (m === undefined) return;
    this.nodeMonitors.delete(peer);
    const msg = tuple(NODEDOWN, peer);
    for (const [pid, n] of m) {
      const proc = node.process(pid);
      if (proc === undefined) continue;
      for (let i = 0; i < n; i++) node.deliver(proc, msg);
    }
  }

  /** net_kernel:monitor_nodes(Flag, Options) */
  monitorNodes(p: Process, flag: boolean, sub: NodeSubscription): void {
    if (flag) this.subscribers.set(p.pid, sub);
    else this.subscribers.delete(p.pid);
  }

  /** disconnect_node/1: true when it was connected (or the node is this one). */
  disconnect(peer: Atom): boolean {
    const c = this.connection(peer);
    if (c === undefined) return false;
    c.close('disconnect');
    return true;
  }
}

/** The node's net_kernel. */
export const netKernel = new NetKernel();

/** Things to start once the node is distributed (rex, global): registered by their modules. */
const startHooks: (() => void)[] = [];
export function onDistributionStart(hook: () => void): void {
  startHooks.push(hook);
  if (netKernel.alive) hook();
}
