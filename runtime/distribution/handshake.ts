// The distribution handshake (erts "Distribution Protocol", Distribution Handshake; OTP 23+
// version 6 messages only, which is all OTP 25 speaks), one function per step as in dist_util:
//
//   initiator (A, "we started")            acceptor (B, "other started")
//   send_name            'N' ───────────▶  recv_name
//   recv_status          ◀─────────── 's'  send_status
//   recv_challenge       ◀─────────── 'N'  send_challenge
//   send_challenge_reply 'r' ───────────▶  recv_challenge_reply
//   recv_challenge_ack   ◀─────────── 'a'  send_challenge_ack
//
// Every message has a 2-byte length; after 'a' both sides switch to 4-byte packets, and whatever
// followed the last handshake message in the same TCP read is handed to the connection.
// Digest = MD5(Cookie ++ integer_to_list(Challenge)), challenges from the CSPRNG, digests compared
// in constant time.

import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import { FrameReader, frame2 } from './framing.js';
import { DFLAG, expandMandatory25, missingMandatory, negotiate } from './flags.js';
import { quoteAtom } from './node_name.js';
import { emitWire, tapped } from './wire_tap.js';

// ---------- results ----------

export type HandshakeFailureReason =
  /** the peer's digest was wrong: a different cookie */
  | 'bad_cookie'
  /** the acceptor answered not_allowed (net_kernel:allow/1, or flags it cannot handle) */
  | 'not_allowed'
  /** simultaneous connect lost: the other side's attempt wins */
  | 'nok'
  /** a connection was up already and we did not take it over */
  | 'alive'
  /** the peer lacks flags we require */
  | 'missing_flags'
  /** the peer's node name is malformed or not the node we dialled */
  | 'bad_name'
  /** a message that is not what this step expects */
  | 'protocol'
  | 'closed'
  | 'timeout';

export interface HandshakeFailure {
  ok: false;
  reason: HandshakeFailureReason;
  /** the peer, when it said who it is */
  otherNode?: string;
  /** what OTP logs as an error report for this failure (without the =ERROR REPORT==== header), if anything */
  report?: string;
  /** the handshake process died (as dist_util's does on a BIF error): net_kernel reports it as a crash */
  crash?: HandshakeCrash;
  detail?: string;
  /** the step it failed at (send_name, recv_status, ..., recv_challenge_ack) */
  step?: string;
}

/**
 * Where OTP's handshake process dies of a BIF error rather than refusing: erlang:md5/1 of a cookie
 * that is not Latin-1 (badarg), list_to_atom/1 of a name longer than 255 (system_limit).
 */
export type HandshakeCrash =
  | { kind: 'cookie'; cookie: string; challenge: number; step: 'handshake_we_started' | 'recv_challenge_reply' }
  | { kind: 'name'; name: string };

export interface HandshakeSuccess {
  ok: true;
  otherNode: string;
  /** the flags the peer sent (with MANDATORY_25_DIGEST expanded) */
  otherFlags: bigint;
  /** the flags this connection uses: ours band theirs */
  flags: bigint;
  otherCreation: number;
  /** bytes already received after the handshake: the start of the 4-byte-framed stream */
  rest: Uint8Array;
  /** the socket, paused: attach a 'data' listener, then resume() it */
  socket: Socket;
}

export type HandshakeResult = HandshakeSuccess | HandshakeFailure;

class Failed extends Error {
  constructor(
    readonly reason: HandshakeFailureReason,
    readonly otherNode?: string,
    readonly report?: string,
    detail?: string,
    readonly crash?: HandshakeCrash,
  ) {
    super(detail ?? reason);
  }
}

// ---------- options ----------

/** What the acceptor tells the initiator in recv_status/send_status. */
export type PendingStatus = 'ok' | 'ok_simultaneous' | 'nok' | 'alive';

export interface HandshakeOptions {
  socket: Socket;
  /** our full node name, e.g. "terl@host" */
  thisNode: string;
  /** our flags (runtime/distribution/flags.ts TERL_FLAGS or TERL_HIDDEN_FLAGS) */
  thisFlags: bigint;
  /** our creation, from EPMD */
  creation: number;
  /** the cookie to use with a node (auth:get_cookie/1) */
  cookie: string | ((otherNode: string) => string);
  /** flags required of the peer beyond OTP 25's mandatory ones */
  requireFlags?: bigint;
  /** net_setuptime: how long each step may wait for the peer (default 7 s) */
  setupTimeMs?: number;
}

export interface InitiatorOptions extends HandshakeOptions {
  /** the node we dialled: the challenge must name exactly it */
  otherNode: string;
  /**
   * Status `alive`: the acceptor has a connection from us already. true takes over (the old one is
   * dropped), false gives up. OTP answers whether this attempt is still the pending one: usually true.
   */
  isPending?: (otherNode: string) => boolean | Promise<boolean>;
}

export interface AcceptorOptions extends HandshakeOptions {
  /** net_kernel:allow/1's list; undefined or empty allows everyone */
  allowed?: string[];
  /**
   * net_kernel's verdict on an incoming connection (mark_pending): 'ok'; 'ok_simultaneous' or 'nok'
   * when we are dialling that node ourselves (see simultaneousConnect); 'alive' when a connection
   * to that node is up already.
   */
  markPending?: (otherNode: string, otherFlags: bigint) => PendingStatus | Promise<PendingStatus>;
  /** after status 'alive' and a good challenge reply: wait until the old connection is gone */
  waitPending?: (otherNode: string) => Promise<void>;
  /** ms to hold the challenge back (an address sending wrong cookies) */
  challengeDelay?: () => number;
}

/**
 * Both nodes dial each other at once: the acceptor whose own name is greater keeps its own attempt
 * and answers nok; otherwise it drops its attempt and answers ok_simultaneous (atom order).
 */
export function simultaneousConnect(thisNode: string, otherNode: string): 'nok' | 'ok_simultaneous' {
  return Buffer.compare(Buffer.from(thisNode, 'utf8'), Buffer.from(otherNode, 'utf8')) > 0 ? 'nok' : 'ok_simultaneous';
}

// ---------- the wire ----------

/** erlang:system_info: an atom has at most 255 characters */
const MAX_ATOM_CHARACTERS = 255;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Handshake messages in and out of a socket, 2-byte framed. */
class HandshakeChannel {
  private readonly reader = new FrameReader(2);
  private waiter?: { resolve: (b: Uint8Array) => void; reject: (e: Error) => void };
  private ended?: Failed;

  constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
  }

  private readonly onData = (d: Buffer): void => {
    this.reader.push(d);
    this.deliver();
  };

  private readonly onClose = (): void => {
    this.ended ??= new Failed('closed', undefined, undefined, 'connection closed during the handshake');
    this.deliver();
  };

  private readonly onError = (e: Error): void => {
    this.ended ??= new Failed('closed', undefined, undefined, e.message);
    this.deliver();
  };

  private deliver(): void {
    const w = this.waiter;
    if (w === undefined) return;
    let msg: Uint8Array | undefined;
    try {
      msg = this.reader.next();
    } catch (e) {
      this.waiter = undefined;
      w.reject(new Failed('protocol', undefined, undefined, (e as Error).message));
      return;
    }
    if (msg !== undefined) {
      this.waiter = undefined;
      w.resolve(msg);
    } else if (this.ended) {
      this.waiter = undefined;
      w.reject(this.ended);
    }
  }

  send(body: Uint8Array): void {
    this.socket.write(frame2(body));
  }

  /** The next handshake message (a step waits at most setupTime for it). */
  recv(): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Failed('timeout', undefined, undefined, 'handshake timed out'));
      }, this.timeoutMs);
      this.waiter = {
        resolve: (b) => {
          clearTimeout(timer);
          resolve(b);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.deliver();
    });
  }

  /** Stop reading: the socket is paused and what was read beyond the handshake is returned. */
  release(): Uint8Array {
    this.socket.pause();
    this.socket.removeListener('data', this.onData);
    this.socket.removeListener('close', this.onClose);
    this.socket.removeListener('error', this.onError);
    return this.reader.takeRest();
  }
}

function cookieFor(o: HandshakeOptions, otherNode: string): string {
  return typeof o.cookie === 'string' ? o.cookie : o.cookie(otherNode);
}

/**
 * dist_util:gen_digest/2: MD5 of the cookie text and the challenge as an unsigned decimal. The
 * cookie's characters are its bytes, so one above 255 has none: undefined (erlang:md5 fails with
 * badarg there, and the handshake with it). Never a lossy encoding: two cookies must not collide.
 */
export function genDigest(challenge: number, cookie: string): Buffer | undefined {
  for (let i = 0; i < cookie.length; i++) if (cookie.charCodeAt(i) > 255) return undefined;
  return createHash('md5')
    .update(Buffer.from(cookie, 'latin1'))
    .update(String(challenge >>> 0))
    .digest();
}

/** The digest, or the crash OTP's handshake process dies of at that step. */
function digestAt(challenge: number, cookie: string, other: string, step: 'handshake_we_started' | 'recv_challenge_reply'): Buffer {
  const d = genDigest(challenge, cookie);
  if (d === undefined) throw new Failed('bad_cookie', other, undefined, 'the cookie is not Latin-1', { kind: 'cookie', cookie, challenge, step });
  return d;
}

/** A 32-bit challenge from the CSPRNG. */
export function genChallenge(): number {
  return randomInt(0, 0x100000000);
}

function digestMatches(got: Uint8Array, expected: Buffer): boolean {
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** Alive@Host with both parts non-empty (dist_util:is_name_ok/2 for static names). */
export function isNodeName(name: string): boolean {
  const parts = name.split('@');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '';
}

/** ~p of a list of strings, as dist_util's "cannot handle ~p" prints it (short lists). */
function printStrings(xs: string[]): string {
  return '[' + xs.map((x) => JSON.stringify(x)).join(',') + ']';
}

function u64(b: Uint8Array, at: number): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(at);
}

function u32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at);
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

// ---------- the messages ----------

/** 'N' | Flags:64 | Creation:32 | Nlen:16 | Name */
function nameMessage(flags: bigint, creation: number, name: string): Uint8Array {
  const n = enc.encode(name);
  const out = new Uint8Array(1 + 8 + 4 + 2 + n.length);
  const v = new DataView(out.buffer);
  out[0] = 78;
  v.setBigUint64(1, flags);
  v.setUint32(9, creation >>> 0);
  v.setUint16(13, n.length);
  out.set(n, 15);
  return out;
}

/** 'N' | Flags:64 | Challenge:32 | Creation:32 | Nlen:16 | Name */
function challengeMessage(flags: bigint, challenge: number, creation: number, name: string): Uint8Array {
  const n = enc.encode(name);
  const out = new Uint8Array(1 + 8 + 4 + 4 + 2 + n.length);
  const v = new DataView(out.buffer);
  out[0] = 78;
  v.setBigUint64(1, flags);
  v.setUint32(9, challenge >>> 0);
  v.setUint32(13, creation >>> 0);
  v.setUint16(17, n.length);
  out.set(n, 19);
  return out;
}

function statusMessage(status: string): Uint8Array {
  return enc.encode('s' + status);
}

/** 'r' | Challenge:32 | Digest:16 */
function challengeReplyMessage(challenge: number, digest: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + 4 + 16);
  out[0] = 114;
  new DataView(out.buffer).setUint32(1, challenge >>> 0);
  out.set(digest, 5);
  return out;
}

/** 'a' | Digest:16 */
function challengeAckMessage(digest: Uint8Array): Uint8Array {
  const out = new Uint8Array(17);
  out[0] = 97;
  out.set(digest, 1);
  return out;
}

// ---------- initiator: handshake_we_started ----------

/** The connecting side's handshake, on a socket already connected to the peer's distribution port. */
export async function handshakeWeStarted(o: InitiatorOptions): Promise<HandshakeResult> {
  const ch = new HandshakeChannel(o.socket, o.setupTimeMs ?? 7000);
  const other = o.otherNode;
  let step = 'send_name';
  try {
    sendName(ch, o);
    tap(other, 'out', step, `${o.thisNode} version 6`);
    step = 'recv_status';
    tap(other, 'in', step, await recvStatus(ch, o));
    step = 'recv_challenge';
    const { otherFlags, challengeA, otherCreation } = await recvChallenge(ch, o);
    tap(other, 'in', step, `challenge ${challengeA >>> 0}`);
    const flags = negotiate(o.thisFlags, otherFlags);
    checkFlags(o, other, otherFlags, false);
    const cookie = cookieFor(o, other);
    const challengeB = genChallenge();
    step = 'send_challenge_reply';
    sendChallengeReply(ch, challengeB, digestAt(challengeA, cookie, other, 'handshake_we_started'));
    tap(other, 'out', step, `digest, challenge ${challengeB >>> 0}`);
    step = 'recv_challenge_ack';
    await recvChallengeAck(ch, other, challengeB, cookie);
    tap(other, 'in', step, 'digest ok');
    return { ok: true, otherNode: other, otherFlags, flags, otherCreation, rest: ch.release(), socket: o.socket };
  } catch (e) {
    return fail(ch, o.socket, e, other, step, true);
  }
}

function sendName(ch: HandshakeChannel, o: InitiatorOptions): void {
  ch.send(nameMessage(o.thisFlags, o.creation, o.thisNode));
}

async function recvStatus(ch: HandshakeChannel, o: InitiatorOptions): Promise<string> {
  const m = await ch.recv();
  if (m[0] !== 115) throw new Failed('protocol', o.otherNode, undefined, `expected a status message, got ${m[0]}`);
  const status = dec.decode(m.subarray(1));
  switch (status) {
    case 'ok':
    case 'ok_simultaneous':
      return status;
    case 'nok':
      // the other node's own attempt to reach us wins; OTP's initiator waits to be killed
      throw new Failed('nok', o.otherNode);
    case 'not_allowed':
      throw new Failed('not_allowed', o.otherNode);
    case 'alive': {
      const takeOver = o.isPending ? await o.isPending(o.otherNode) : true;
      ch.send(statusMessage(takeOver ? 'true' : 'false'));
      if (!takeOver) throw new Failed('alive', o.otherNode);
      return status;
    }
    default:
      // includes "named:", which only answers a NAME_ME request
      throw new Failed('protocol', o.otherNode, undefined, `unexpected status ${JSON.stringify(status)}`);
  }
}

async function recvChallenge(
  ch: HandshakeChannel,
  o: InitiatorOptions,
): Promise<{ otherFlags: bigint; challengeA: number; otherCreation: number }> {
  const m = await ch.recv();
  if (m[0] !== 78 || m.length < 19) throw new Failed('protocol', o.otherNode, undefined, 'expected the challenge');
  const flags = u64(m, 1);
  const challengeA = u32(m, 9);
  const otherCreation = u32(m, 13);
  const nlen = u16(m, 17);
  if (m.length < 19 + nlen) throw new Failed('protocol', o.otherNode, undefined, 'short challenge');
  const name = dec.decode(m.subarray(19, 19 + nlen));
  // it must be exactly the node we dialled (list_to_existing_atom(Name) =:= Node)
  if (name !== o.otherNode) throw new Failed('bad_name', name, undefined, `dialled ${o.otherNode}, answered by ${name}`);
  return { otherFlags: expandMandatory25(flags), challengeA, otherCreation };
}

function sendChallengeReply(ch: HandshakeChannel, challengeB: number, digest: Uint8Array): void {
  ch.send(challengeReplyMessage(challengeB, digest));
}

async function recvChallengeAck(ch: HandshakeChannel, other: string, challengeB: number, cookie: string): Promise<void> {
  const m = await ch.recv();
  if (m[0] !== 97 || m.length !== 17) throw new Failed('protocol', other, undefined, 'expected the challenge ack');
  // a cookie without a digest never got this far (the reply needed one)
  if (!digestMatches(m.subarray(1), genDigest(challengeB, cookie)!)) {
    throw new Failed('bad_cookie', other, `** Connection attempt to node ${quoteAtom(other)} cancelled. Invalid challenge ack. **`);
  }
}

// ---------- acceptor: handshake_other_started ----------

/** The accepting side's handshake, on a socket our distribution listener accepted. */
export async function handshakeOtherStarted(o: AcceptorOptions): Promise<HandshakeResult> {
  const ch = new HandshakeChannel(o.socket, o.setupTimeMs ?? 7000);
  let other: string | undefined;
  let step = 'recv_name';
  try {
    const named = await recvName(ch, o);
    other = named.otherNode;
    tap(other, 'in', step, `${other} version 6`);
    const otherFlags = named.otherFlags;
    checkFlags(o, other, otherFlags, true, ch);
    step = 'send_status';
    const status = await markPending(ch, o, other, otherFlags);
    tap(other, 'out', step, status);
    const cookie = cookieFor(o, other);
    const challengeA = genChallenge();
    const delay = o.challengeDelay?.() ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    step = 'send_challenge';
    sendChallenge(ch, o, challengeA);
    tap(other, 'out', step, `challenge ${challengeA >>> 0}`);
    const flags = negotiate(o.thisFlags, otherFlags);
    step = 'recv_challenge_reply';
    const challengeB = await recvChallengeReply(ch, other, challengeA, cookie);
    tap(other, 'in', step, 'digest ok');
    if (status === 'alive' && o.waitPending) await o.waitPending(other);
    step = 'send_challenge_ack';
    sendChallengeAck(ch, digestAt(challengeB, cookie, other, 'recv_challenge_reply'));
    tap(other, 'out', step, 'digest');
    return { ok: true, otherNode: other, otherFlags, flags, otherCreation: named.otherCreation, rest: ch.release(), socket: o.socket };
  } catch (e) {
    return fail(ch, o.socket, e, other, step, false);
  }
}

async function recvName(
  ch: HandshakeChannel,
  o: AcceptorOptions,
): Promise<{ otherNode: string; otherFlags: bigint; otherCreation: number }> {
  const m = await ch.recv();
  // only the version 6 'N' message: OTP 25 closes on 'n' too
  if (m[0] !== 78 || m.length < 15) throw new Failed('protocol', undefined, undefined, 'expected a name message');
  const flags = u64(m, 1);
  const otherCreation = u32(m, 9);
  const nlen = u16(m, 13);
  if (m.length < 15 + nlen) throw new Failed('protocol', undefined, undefined, 'short name message');
  const name = dec.decode(m.subarray(15, 15 + nlen));
  // dynamic names (NAME_ME) are not offered by terl
  if ((flags & DFLAG.NAME_ME) !== 0n || !isNodeName(name)) throw new Failed('bad_name', undefined, undefined, 'bad node name');
  checkAllowed(ch, o, name);
  // OTP makes the name an atom here (list_to_atom of its bytes): over 255 it dies of system_limit
  if (nlen > MAX_ATOM_CHARACTERS) {
    const bytes = Buffer.from(m.subarray(15, 15 + nlen)).toString('latin1');
    throw new Failed('bad_name', undefined, undefined, 'node name too long', { kind: 'name', name: bytes });
  }
  return { otherNode: name, otherFlags: expandMandatory25(flags), otherCreation };
}

function checkAllowed(ch: HandshakeChannel, o: AcceptorOptions, name: string): void {
  if (o.allowed === undefined || o.allowed.length === 0) return;
  if (isAllowed(name, o.allowed)) return;
  ch.send(statusMessage('not_allowed'));
  throw new Failed('not_allowed', name, `** Connection attempt from disallowed node ${name} ** `);
}

/** dist_util:is_allowed/2: entries are node names, host names, or "name@" prefixes. */
export function isAllowed(node: string, allowed: string[]): boolean {
  const [name, host] = node.split('@');
  for (const entry of allowed) {
    if (entry === node) return true;
    const parts = entry.split('@');
    if (parts.length === 2 && parts[0] !== '' && parts[1] !== '' && parts[0] === name && parts[1] === host) return true;
    if (parts.length === 1 && parts[0] !== '' && parts[0] === host) return true;
    if (parts.length === 2 && parts[0] !== '' && parts[1] === '' && parts[0] === name) return true;
  }
  return false;
}

async function markPending(ch: HandshakeChannel, o: AcceptorOptions, other: string, otherFlags: bigint): Promise<PendingStatus> {
  const status = o.markPending ? await o.markPending(other, otherFlags) : 'ok';
  sendStatus(ch, status);
  if (status === 'nok') throw new Failed('nok', other);
  if (status === 'alive') {
    const reply = await ch.recv();
    const text = reply[0] === 115 ? dec.decode(reply.subarray(1)) : '';
    if (text === 'false') throw new Failed('alive', other);
    if (text !== 'true') throw new Failed('protocol', other, undefined, `unexpected status reply ${JSON.stringify(text)}`);
  }
  return status;
}

function sendStatus(ch: HandshakeChannel, status: PendingStatus | 'not_allowed'): void {
  ch.send(statusMessage(status));
}

function sendChallenge(ch: HandshakeChannel, o: AcceptorOptions, challenge: number): void {
  ch.send(challengeMessage(o.thisFlags, challenge, o.creation, o.thisNode));
}

async function recvChallengeReply(ch: HandshakeChannel, other: string, challengeA: number, cookie: string): Promise<number> {
  const m = await ch.recv();
  if (m[0] !== 114 || m.length !== 21) throw new Failed('protocol', other, undefined, 'expected the challenge reply');
  const challengeB = u32(m, 1);
  if (!digestMatches(m.subarray(5), digestAt(challengeA, cookie, other, 'recv_challenge_reply'))) {
    throw new Failed('bad_cookie', other, `** Connection attempt from node ${quoteAtom(other)} rejected. Invalid challenge reply. **`);
  }
  return challengeB;
}

function sendChallengeAck(ch: HandshakeChannel, digest: Uint8Array): void {
  ch.send(challengeAckMessage(digest));
}

// ---------- shared ----------

/** dist_util:check_dflags/2: the peer must have every mandatory (and required) flag. */
function checkFlags(o: HandshakeOptions, other: string, otherFlags: bigint, otherStarted: boolean, ch?: HandshakeChannel): void {
  const missing = missingMandatory(otherFlags, undefined).concat(
    o.requireFlags !== undefined ? missingMandatory(otherFlags, o.requireFlags) : [],
  );
  if (missing.length === 0) return;
  if (otherStarted) ch?.send(statusMessage('not_allowed'));
  const [dir, how] = otherStarted ? ['from', 'rejected'] : ['to', 'aborted'];
  throw new Failed(
    'missing_flags',
    other,
    `** ${quoteAtom(o.thisNode)}: Connection attempt ${dir} node ${quoteAtom(other)} ${how} since it cannot handle ${printStrings([...new Set(missing)])}.**`,
  );
}

function fail(ch: HandshakeChannel, socket: Socket, e: unknown, other: string | undefined, step: string, weStarted: boolean): HandshakeFailure {
  ch.release();
  // end() lets a last status message (not_allowed, nok) reach the peer before the socket goes
  socket.end();
  setTimeout(() => socket.destroy(), 1000).unref();
  const r: HandshakeFailure =
    e instanceof Failed
      ? { ok: false, reason: e.reason, otherNode: e.otherNode ?? other, report: e.report, crash: e.crash, detail: e.message, step }
      : { ok: false, reason: 'protocol', otherNode: other, detail: (e as Error).message, step };
  if (tapped) {
    const dir = step.startsWith('send') ? 'out' : 'in';
    emitWire({ kind: 'handshake', peer: r.otherNode ?? '?', dir, step, failed: failedAt(r, weStarted) });
  }
  return r;
}

/** Why a handshake ended at its step, in the protocol's words. */
export function failedAt(r: HandshakeFailure, weStarted: boolean): string {
  if (weStarted && r.step === 'recv_challenge_ack' && r.reason === 'closed') return 'challenge reply rejected — cookies differ';
  if (weStarted && r.reason === 'bad_cookie') return 'challenge ack invalid — cookies differ';
  if (r.reason === 'bad_cookie') return 'their challenge reply rejected — cookies differ';
  return `${r.reason}${r.detail !== undefined && r.detail !== r.reason ? ': ' + r.detail : ''}`;
}

function tap(peer: string, dir: 'in' | 'out', step: string, detail: string): void {
  if (tapped) emitWire({ kind: 'handshake', peer, dir, step, detail });
}
