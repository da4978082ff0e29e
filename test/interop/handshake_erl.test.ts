// The distribution handshake against real Erlang/OTP 25 nodes on loopback, both directions,
// right and wrong cookies. A real epmd on a free port serves as port mapper for everyone.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { epmdAnswers, register } from '../../runtime/distribution/epmd_client.js';
import { dial, type DialResult } from '../../runtime/distribution/dial.js';
import type { Registration } from '../../runtime/distribution/epmd_client.js';
import { handshakeOtherStarted } from '../../runtime/distribution/handshake.js';
import type { HandshakeResult } from '../../runtime/distribution/handshake.js';
import { DFLAG, TERL_FLAGS, TERL_HIDDEN_FLAGS } from '../../runtime/distribution/flags.js';
import { FrameReader } from '../../runtime/distribution/framing.js';
import { decodeControl } from '../../runtime/vm/etf.js';
import { Atom, Tuple } from '../../runtime/vm/term.js';
import { HOST, freePort, haveErl, startErl, startRealEpmd, stopAll } from './dist_peer.js';
import type { Proc } from './dist_peer.js';

const COOKIE = 'abc';
let epmdPort = 0;
let srv: Proc;
const srvNode = `srv@${HOST}`;
const sockets: Socket[] = [];
const servers: Server[] = [];
const regs: Registration[] = [];

const until = async (cond: () => boolean | Promise<boolean>, ms = 10000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

// the server node reports every node coming and going, and what it is connected to
const SRV_EVAL = `
  net_kernel:monitor_nodes(true, [{node_type, all}]),
  io:format("ready~n"),
  Loop = fun Loop() ->
    receive
      {nodeup, N, Info} -> io:format("nodeup ~p ~p connected=~p~n", [N, Info, nodes(connected)]);
      {nodedown, N, _} -> io:format("nodedown ~p~n", [N])
    end,
    Loop()
  end,
  Loop().`;

beforeAll(async () => {
  if (!haveErl) return;
  epmdPort = await freePort();
  startRealEpmd(epmdPort);
  await until(() => epmdAnswers({ port: epmdPort, timeoutMs: 200 }));
  srv = startErl({ sname: 'srv', cookie: COOKIE, epmdPort, eval: SRV_EVAL });
  await srv.waitFor('ready\n');
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
  for (const r of regs) r.close();
  await stopAll();
});

/** Register `thisAlive`, then dial `alive@HOST` (EPMD lookup, connect, initiator handshake). */
async function dialAs(alive: string, thisAlive: string, cookie: string, flags: bigint): Promise<DialResult> {
  const reg = await register(thisAlive, 1, { port: epmdPort });
  regs.push(reg);
  const r = await dial(`${alive}@${HOST}`, {
    thisNode: `${thisAlive}@${HOST}`,
    thisFlags: flags,
    creation: reg.creation,
    cookie,
    epmd: { port: epmdPort },
  });
  if (r.ok) sockets.push(r.socket);
  return r;
}

/** A terl acceptor registered as `alive`: resolves with the result of the first handshake. */
async function listenAs(alive: string, cookie: string, flags: bigint): Promise<{ result: Promise<HandshakeResult> }> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const reg = await register(alive, (server.address() as AddressInfo).port, { port: epmdPort });
  regs.push(reg);
  const result = new Promise<HandshakeResult>((resolve) => {
    server.once('connection', (socket) => {
      sockets.push(socket);
      resolve(handshakeOtherStarted({ socket, thisNode: `${alive}@${HOST}`, thisFlags: flags, creation: reg.creation, cookie }));
    });
  });
  return { result };
}

describe.skipIf(!haveErl)('terl dials a real erl node', () => {
  it('hidden: the handshake completes and erl reports the node up, then down', async () => {
    const r = await dialAs('srv', 'ts1', COOKIE, TERL_HIDDEN_FLAGS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.otherNode).toBe(srvNode);
    expect(r.flags & DFLAG.PUBLISHED).toBe(0n);
    await srv.waitFor(`nodeup ts1@${HOST} [{node_type,hidden}] connected=[ts1@${HOST}]`);
    r.socket.destroy();
    await srv.waitFor(`nodedown ts1@${HOST}`);
  });

  it("visible: erl's first distribution frames arrive 4-byte framed and decode as control messages", async () => {
    const r = await dialAs('srv', 'ts2', COOKIE, TERL_FLAGS);
    if (!r.ok) throw new Error('handshake failed: ' + r.reason);
    expect(r.flags & DFLAG.PUBLISHED).toBe(DFLAG.PUBLISHED);
    await srv.waitFor(`nodeup ts2@${HOST} [{node_type,visible}] connected=[ts2@${HOST}]`);
    // OTP greets a visible node at once: global's init_connect and rex's features_request
    const reader = new FrameReader(4);
    reader.push(r.rest);
    const targets: string[] = [];
    const collect = (): void => {
      for (let f = reader.next(); f !== undefined; f = reader.next()) {
        if (f.length === 0) continue; // tick
        const { control } = decodeControl(f);
        const c = control as Tuple;
        if (c.elements[0] === 6 && c.elements[3] instanceof Atom) targets.push(c.elements[3].name);
      }
    };
    r.socket.on('data', (d: Buffer) => {
      reader.push(d);
      collect();
    });
    r.socket.resume();
    collect();
    await until(() => targets.includes('global_name_server') && targets.includes('rex'));
    r.socket.destroy();
    await srv.waitFor(`nodedown ts2@${HOST}`);
  });

  it('wrong cookie: erl logs the OTP 25 report and terl gets a failure', async () => {
    const r = await dialAs('srv', 'ts3', 'wrong', TERL_HIDDEN_FLAGS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('closed');
    const out = await srv.waitFor(`** Connection attempt from node ts3@${HOST} rejected. Invalid challenge reply. **`);
    expect(out).toMatch(new RegExp(`=ERROR REPORT==== .* ===\\n\\*\\* Connection attempt from node ts3@${HOST} rejected\\. Invalid challenge reply\\. \\*\\*`));
    expect(out).not.toContain(`nodeup ts3@${HOST}`);
  });
});

describe.skipIf(!haveErl)('a real erl node dials terl', () => {
  const CLI_EVAL = (target: string): string => `
    R = net_kernel:connect_node('${target}@${HOST}'),
    io:format("connect ~p nodes=~p hidden=~p dflags=~p~n", [R, nodes(), nodes(hidden), element(2, erts_internal:get_dflags())]),
    halt().`;

  it('visible: the handshake completes, terl learns the peer and its flags, erl sees terl in nodes()', async () => {
    const { result } = await listenAs('acc1', COOKIE, TERL_FLAGS);
    const cli = startErl({ sname: 'cli1', cookie: COOKIE, epmdPort, eval: CLI_EVAL('acc1') });
    const r = await result;
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.otherNode).toBe(`cli1@${HOST}`);
    const out = await cli.waitFor(/connect .*\n/);
    expect(out).toContain(`connect true nodes=[acc1@${HOST}] hidden=[]`);
    // the flags erl sent: its erts defaults plus PUBLISHED
    const dflags = BigInt(/dflags=(\d+)/.exec(out)![1]);
    expect(r.otherFlags).toBe(dflags | DFLAG.PUBLISHED);
    expect(r.flags).toBe(TERL_FLAGS & (dflags | DFLAG.PUBLISHED));
    await cli.exited;
    expect(cli.output()).not.toContain('ERROR REPORT');
  });

  it('hidden terl: erl lists it under nodes(hidden)', async () => {
    const { result } = await listenAs('acc2', COOKIE, TERL_HIDDEN_FLAGS);
    const cli = startErl({ sname: 'cli2', cookie: COOKIE, epmdPort, eval: CLI_EVAL('acc2') });
    const r = await result;
    expect(r).toMatchObject({ ok: true, otherNode: `cli2@${HOST}` });
    const out = await cli.waitFor(/connect .*\n/);
    expect(out).toContain(`connect true nodes=[] hidden=[acc2@${HOST}]`);
  });

  it('wrong cookie: terl produces the OTP 25 report text and erl gets false', async () => {
    const { result } = await listenAs('acc3', COOKIE, TERL_FLAGS);
    const cli = startErl({ sname: 'cli3', cookie: 'wrong', epmdPort, eval: CLI_EVAL('acc3') });
    const r = await result;
    expect(r).toMatchObject({
      ok: false,
      reason: 'bad_cookie',
      otherNode: `cli3@${HOST}`,
      report: `** Connection attempt from node cli3@${HOST} rejected. Invalid challenge reply. **`,
    });
    const out = await cli.waitFor(/connect .*\n/);
    expect(out).toContain('connect false nodes=[] hidden=[]');
  });
});
