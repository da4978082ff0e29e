// Fuzzing a {packet, 4} gen_tcp server on a terl node: seeded random connections send random bytes,
// well-formed frames cut at random places, oversized or unfinished length headers, and end with a
// close or a reset. The server's processes (half passive, half {active, true}) must each end with
// data or an error, whole frames must arrive whole, and the node must keep running with no socket
// left behind.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect, type Socket } from 'node:net';
import { startEpmd, startTerlNode, stopAll, uniq, type Shell } from '../helpers/dist_nodes.js';
import { prng } from '../helpers/prng.js';

const SEED = 18;
const CONNECTIONS = 120;

// the server: a collector of outcomes, and acceptors that each start the next one and then read
const SERVER = [
  `Log = spawn(fun() -> register(fuzz_log, self()), (fun L(Acc) -> receive {get, From} -> From ! {log, Acc}, L(Acc); X -> L([X | Acc]) end end)([]) end), ok.`,
  `Handle = fun(S, Active) -> Peer = case inet:peername(S) of {ok, {_, PP}} -> PP; {error, _} -> unknown end, _ = inet:setopts(S, [{active, Active}]), (fun Loop(N, B) -> R = case Active of false -> gen_tcp:recv(S, 0); true -> receive {tcp, S, D} -> {ok, D}; {tcp_closed, S} -> {error, closed}; {tcp_error, S, E} -> {error, E} end end, case R of {ok, D1} -> Loop(N + 1, B + byte_size(D1)); {error, Why} -> fuzz_log ! {Peer, N, B, Why} end end)(0, 0) end, ok.`,
  `Acceptor = fun Acc(L, I) -> case gen_tcp:accept(L) of {ok, S} -> spawn(fun() -> Acc(L, I + 1) end), Handle(S, I rem 2 =:= 0); {error, closed} -> done end end, ok.`,
  `{ok, Listen} = gen_tcp:listen(0, [binary, {packet, 4}, {active, false}]), spawn(fun() -> Acceptor(Listen, 0) end), {ok, FuzzPort} = inet:port(Listen), FuzzPort.`,
];

interface Plan {
  /** the bytes to send, in chunks */
  chunks: Buffer[];
  /** reset instead of close at the end */
  reset: boolean;
  /** whole frames the server must count, and their bytes, when the plan sends only whole frames */
  frames?: { n: number; bytes: number };
}

function frame(payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32BE(payload.length);
  return Buffer.concat([h, payload]);
}

function plan(rand: () => number): Plan {
  const int = (n: number) => Math.floor(rand() * n);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const cut = (b: Buffer): Buffer[] => {
    const out: Buffer[] = [];
    for (let i = 0; i < b.length; ) {
      const n = 1 + int(Math.max(1, Math.min(b.length - i, 700)));
      out.push(b.subarray(i, i + n));
      i += n;
    }
    return out;
  };
  const reset = rand() < 0.2;
  switch (int(5)) {
    case 0: // random bytes
      return { chunks: cut(bytes(1 + int(3000))), reset };
    case 1: {
      // well-formed frames, cut anywhere
      const payloads = Array.from({ length: int(6) }, () => bytes(int(2000)));
      const all = Buffer.concat(payloads.map(frame));
      return { chunks: cut(all), reset: false, frames: { n: payloads.length, bytes: all.length - 4 * payloads.length } };
    }
    case 2: // a length erl's driver refuses, then more
      return { chunks: [Buffer.from([0xff, 0xff, 0xff, 0xf0 + int(16)]), bytes(int(100))], reset };
    case 3: {
      // a frame announced longer than what comes
      const h = Buffer.alloc(4);
      h.writeUInt32BE(1000 + int(1_000_000));
      return { chunks: [h, bytes(int(900))], reset };
    }
    default: // a frame, then garbage
      return { chunks: [frame(bytes(int(100))), ...cut(bytes(1 + int(500)))], reset };
  }
}

/** Run one plan against the server: resolves with this end's port once the connection is over. */
function run(port: number, p: Plan, rand: () => number): Promise<number> {
  return new Promise((resolve) => {
    const s: Socket = connect({ host: '127.0.0.1', port }, async () => {
      const local = s.localPort!;
      for (const c of p.chunks) {
        if (s.destroyed) break;
        s.write(c);
        if (rand() < 0.3) await new Promise((r) => setTimeout(r, 1 + Math.floor(rand() * 5)));
      }
      if (p.reset) s.resetAndDestroy();
      else s.end();
      s.once('close', () => resolve(local));
      if (s.destroyed) resolve(local);
    });
    s.on('error', () => undefined);
    s.on('data', () => undefined);
  });
}

describe('a {packet, 4} gen_tcp server on a terl node under random input', () => {
  let sh: Shell;
  let port: number;

  beforeAll(async () => {
    const epmd = await startEpmd('terl');
    sh = await startTerlNode({ name: `fuzz_${uniq()}`, epmd });
    for (const line of SERVER.slice(0, -1)) expect(await sh.eval(line)).toBe('ok');
    port = Number(await sh.eval(SERVER[SERVER.length - 1]));
    expect(port).toBeGreaterThan(0);
  }, 30000);
  afterAll(() => stopAll());

  it(`every one of ${CONNECTIONS} connections ends in data or an error, and the node lives on`, async () => {
    const rand = prng(SEED);
    const plans = Array.from({ length: CONNECTIONS }, () => plan(rand));
    // this end's port → the plans run from it: a port whose connection the server closed first (or
    // that was reset) is free again at once, and the system may give it to a later connection
    const expected = new Map<number, Plan[]>();
    // ten at a time, so the server has several readers at once
    for (let i = 0; i < plans.length; i += 10) {
      const ports = await Promise.all(plans.slice(i, i + 10).map((p) => run(port, p, rand)));
      ports.forEach((local, j) => expected.set(local, [...(expected.get(local) ?? []), plans[i + j]]));
    }
    // wait until every reader has reported
    const count = `(fun W(0) -> timeout; W(N) -> fuzz_log ! {get, self()}, receive {log, L} when length(L) >= ${CONNECTIONS} -> length(L); {log, _} -> timer:sleep(100), W(N - 1) end end)(100).`;
    const got = await sh.eval(count, 30000);
    expect(got).toBe(String(CONNECTIONS));
    const log = await sh.eval(`fuzz_log ! {get, self()}, receive {log, L} -> [io:format("~w ~w ~w ~w~n", [P, N, B, W]) || {P, N, B, W} <- L], done end.`, 30000);
    const lines = log.split('\n');
    expect(lines.pop()).toBe('done');
    const outcomes = new Map<number, { n: number; bytes: number }[]>();
    // (a connection reset before its reader asked for the peer's address has none to tell)
    let unknown = 0;
    for (const line of lines) {
      const [p, n, b, why] = line.split(' ');
      // a reader ends with the peer's close or an error (a reset shows as a close, as in erl)
      expect(['closed', 'emsgsize']).toContain(why);
      if (p === 'unknown') unknown++;
      else outcomes.set(Number(p), [...(outcomes.get(Number(p)) ?? []), { n: Number(n), bytes: Number(b) }]);
    }
    expect(lines.length).toBe(CONNECTIONS);
    expect(unknown).toBeLessThanOrEqual(plans.filter((p) => p.reset).length);
    for (const [local, ps] of expected) {
      const os = outcomes.get(local) ?? [];
      // every connection from this port that was not reset has its reader's outcome
      expect(os.length, `connections from port ${local}`).toBeGreaterThanOrEqual(ps.filter((p) => !p.reset).length);
      expect(os.length, `connections from port ${local}`).toBeLessThanOrEqual(ps.length);
      for (const p of ps) if (p.frames !== undefined) expect(os).toContainEqual(p.frames);
    }
    // the node still answers, and only the listening socket is left
    expect(await sh.eval('lists:sum(lists:seq(1, 100)).')).toBe('5050');
    expect(await sh.eval('[element(2, erlang:port_info(P, name)) || P <- erlang:ports()].')).toBe('["tcp_inet"]');
  }, 120000);
});
