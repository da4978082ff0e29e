// The control messages of a live terl node, seen from a bare peer that speaks the protocol by hand
// (the shapes real OTP 25 sends and expects, reference §4-§6): trace-token variants, MONITOR_P for
// a name nobody has (noproc at once, the name echoed), UNLINK_ID answered with UNLINK_ID_ACK,
// rex's gen_server and ei-style calls, net_kernel's is_auth, a SPAWN_REQUEST of erpc:execute_call.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { HOST, Shell, startEpmd, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';
import { portPlease } from '../../runtime/distribution/epmd_client.js';
import { handshakeWeStarted } from '../../runtime/distribution/handshake.js';
import { TERL_HIDDEN_FLAGS } from '../../runtime/distribution/flags.js';
import { FrameReader, frame4 } from '../../runtime/distribution/framing.js';
import { decodeControl, encodeControl } from '../../runtime/vm/etf.js';
import type { ControlFrame } from '../../runtime/vm/etf.js';
import { Atom, Pid, Ref, Tuple, atom, list, tuple, NIL, exactEqual } from '../../runtime/vm/term.js';
import type { Term } from '../../runtime/vm/term.js';
import { format } from '../../runtime/lib/stdlib/format/io_lib.js';

afterAll(stopAll);

const ME = `peer${uniq()}@${HOST}`;
const me = (n: number) => new Pid(atom(ME), n, 0, 5);
let refs = 0;
const ref = () => new Ref(atom(ME), [++refs, 0, 77], 5);
const show = (t: Term) => format('~w', [t]);

/** A hand-made peer on a distribution connection to the node: send control messages, read what comes back. */
class Peer {
  private readonly reader = new FrameReader(4);
  private readonly got: ControlFrame[] = [];
  private wake: (() => void) | undefined;

  constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.reader.push(d);
      for (let f = this.reader.next(); f !== undefined; f = this.reader.next()) {
        if (f.length > 0) this.got.push(decodeControl(f));
      }
      this.wake?.();
    });
    socket.resume();
  }

  send(control: Tuple, payload?: Term): void {
    this.socket.write(frame4(encodeControl(control, payload)));
  }

  /** Several control messages in one write, so the node reads them as one burst. */
  sendBurst(frames: [Tuple, Term?][]): void {
    this.socket.write(Buffer.concat(frames.map(([c, p]) => frame4(encodeControl(c, p)))));
  }

  /** The next n control messages matching `pick`, in the order they arrived. */
  async expectMany(pick: (c: ControlFrame) => boolean, n: number): Promise<ControlFrame[]> {
    const out: ControlFrame[] = [];
    while (out.length < n) {
      out.push(await this.expect(pick));
    }
    return out;
  }

  /** The next control message matching `pick` (others are kept). */
  async expect(pick: (c: ControlFrame) => boolean, timeoutMs = 5000): Promise<ControlFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.got.findIndex(pick);
      if (i >= 0) return this.got.splice(i, 1)[0];
      if (Date.now() > deadline) throw new Error(`no such control message; got ${this.got.map((c) => show(c.control)).join(' ')}`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 50);
      });
    }
  }
}

const op = (n: number) => (c: ControlFrame) => (c.control as Tuple).elements[0] === n;

describe('control messages against a live node', () => {
  let epmd: Epmd;
  let node: Shell;
  let peer: Peer;
  const N = `proto${uniq()}`;
  const NN = `${N}@${HOST}`;

  beforeAll(async () => {
    epmd = await startEpmd('terl');
    node = await startTerlNode({ name: N, cookie: 'proto', epmd });
    const entry = (await portPlease(N, '127.0.0.1', { env: { ...process.env, ...epmd.env } }))!;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: entry.port });
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
    const r = await handshakeWeStarted({ socket, thisNode: ME, thisFlags: TERL_HIDDEN_FLAGS, creation: 5, cookie: 'proto', otherNode: NN });
    if (!r.ok) throw new Error(r.reason);
    peer = new Peer(socket);
    if (r.rest.length > 0) socket.emit('data', Buffer.from(r.rest));
  });

  test('MONITOR_P of a name nobody has: PAYLOAD_MONITOR_P_EXIT with the name and noproc, at once', async () => {
    const r = ref();
    peer.send(tuple(19, me(1), atom('nobody_here'), r));
    const c = await peer.expect(op(28));
    expect(show(c.control)).toBe(show(tuple(28, atom('nobody_here'), me(1), r)));
    expect(c.payload).toBe(atom('noproc'));
  });

  test("net_kernel answers {is_auth, Node} with yes (what net_adm:ping sends)", async () => {
    const r = ref();
    peer.send(tuple(19, me(2), atom('net_kernel'), r));
    peer.send(tuple(6, me(2), atom(''), atom('net_kernel')), tuple(atom('$gen_call'), tuple(me(2), list([atom('alias')], r)), tuple(atom('is_auth'), atom(ME))));
    const c = await peer.expect(op(22));
    expect(exactEqual((c.control as Tuple).elements[2], me(2))).toBe(true);
    expect(show(c.payload!)).toBe(show(tuple(list([atom('alias')], r), atom('yes'))));
    peer.send(tuple(20, me(2), atom('net_kernel'), r));
  });

  test('rex: gen_server call, ei-style call, features_request; trace-token variants of sends', async () => {
    const r = ref();
    peer.send(tuple(6, me(3), atom(''), atom('rex')), tuple(atom('$gen_call'), tuple(me(3), r), tuple(atom('call'), atom('lists'), atom('reverse'), list([list([1, 2, 3])]), atom('user'))));
    let c = await peer.expect((x) => op(22)(x) && (x.payload as Tuple).elements[0] instanceof Ref);
    expect(show(c.payload!)).toBe(show(tuple(r, list([3, 2, 1]))));
    // REG_SEND_TT {16, From, '', Name, Token}: a token with no flags set traces nothing
    peer.send(tuple(16, me(4), atom(''), atom('rex'), tuple(0, 0, 1, me(4), 0)), tuple(me(4), tuple(atom('call'), atom('erlang'), atom('node'), NIL, atom('user'))));
    c = await peer.expect((x) => op(22)(x) && exactEqual((x.control as Tuple).elements[2], me(4)));
    expect(show(c.payload!)).toBe(`{rex,${NN}}`);
    peer.send(tuple(6, me(5), atom(''), atom('rex')), tuple(me(5), atom('features_request')));
    c = await peer.expect((x) => op(22)(x) && exactEqual((x.control as Tuple).elements[2], me(5)));
    expect(show(c.payload!)).toBe(`{features_reply,${NN},[erpc]}`);
    // an error in a rex call comes back in rpc's words
    peer.send(tuple(6, me(6), atom(''), atom('rex')), tuple(me(6), tuple(atom('call'), atom('nomod'), atom('f'), NIL, atom('user'))));
    c = await peer.expect((x) => op(22)(x) && exactEqual((x.control as Tuple).elements[2], me(6)));
    expect(show(c.payload!)).toBe("{rex,{badrpc,{'EXIT',{undef,[{nomod,f,[],[]}]}}}}");
  });

  test('SPAWN_REQUEST of erpc:execute_call: SPAWN_REPLY with the monitor flag, then the exit as PAYLOAD_MONITOR_P_EXIT', async () => {
    const req = ref();
    const res = ref();
    peer.send(tuple(29, req, me(7), me(8), tuple(atom('erpc'), atom('execute_call'), 4), list([atom('monitor')])), list([res, atom('erlang'), atom('node'), NIL]));
    const reply = await peer.expect(op(31));
    const [, rid, to, flags, pid] = (reply.control as Tuple).elements;
    expect(exactEqual(rid, req) && exactEqual(to, me(7))).toBe(true);
    expect(flags).toBe(2);
    expect(pid instanceof Pid && (pid.node as Atom).name === NN).toBe(true);
    const exit = await peer.expect((x) => op(28)(x) && exactEqual((x.control as Tuple).elements[3], req));
    expect(show(exit.payload!)).toBe(show(tuple(res, atom('return'), atom(NN))));
  });

  test('a burst of twelve SPAWN_REQUESTs in one read: every reply, each before its exit, in request order', async () => {
    // the node answers a burst in pieces (so the peer can start on the first answers): nothing
    // may be lost or reordered on the way
    const reqs = Array.from({ length: 12 }, () => ref());
    const ress = Array.from({ length: 12 }, () => ref());
    peer.sendBurst(
      reqs.map((req, i) => [
        tuple(29, req, me(20), me(8), tuple(atom('erpc'), atom('execute_call'), 4), list([atom('monitor')])),
        list([ress[i], atom('erlang'), atom('abs'), list([-i])]),
      ]),
    );
    const isOurs = (c: ControlFrame) => {
      const e = (c.control as Tuple).elements;
      return (e[0] === 31 || e[0] === 28) && reqs.some((r) => exactEqual(r, e[0] === 31 ? e[1] : e[3]));
    };
    const got = await peer.expectMany(isOurs, 24);
    const replies = got.filter(op(31)).map((c) => reqs.findIndex((r) => exactEqual(r, (c.control as Tuple).elements[1])));
    expect(replies).toEqual([...reqs.keys()]);
    for (const [i, req] of reqs.entries()) {
      const at = (o: number) => got.findIndex((c) => op(o)(c) && exactEqual(req, (c.control as Tuple).elements[o === 31 ? 1 : 3]));
      expect(at(31)).toBeLessThan(at(28));
      expect(show(got[at(28)].payload!)).toBe(show(tuple(ress[i], atom('return'), i)));
    }
  });

  test('LINK then UNLINK_ID: answered with UNLINK_ID_ACK', async () => {
    await node.eval('register(linkme, spawn(fun() -> receive stop -> ok end end)).');
    // find the pid through rex
    peer.send(tuple(6, me(9), atom(''), atom('rex')), tuple(me(9), tuple(atom('call'), atom('erlang'), atom('whereis'), list([atom('linkme')]), atom('user'))));
    const c = await peer.expect((x) => op(22)(x) && exactEqual((x.control as Tuple).elements[2], me(9)));
    const pid = (c.payload as Tuple).elements[1] as Pid;
    peer.send(tuple(1, me(10), pid));
    peer.send(tuple(35, 42, me(10), pid));
    const ack = await peer.expect(op(36));
    expect(show(ack.control)).toBe(show(tuple(36, 42, pid, me(10))));
  });

  test('an op OTP does not know closes only this connection, with a report; the node lives on', async () => {
    peer.send(tuple(99, me(11), atom('whatever')));
    await new Promise<void>((r) => peer.socket.once('close', () => r()));
    await node.waitFor(`** Got invalid data on distribution channel from ${ME}: unknown control message 99`);
    expect(await node.eval('1 + 1.')).toBe('2');
  });
});
