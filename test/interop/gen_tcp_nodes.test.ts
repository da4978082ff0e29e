// gen_tcp and gen_udp between separate nodes: echo servers and clients in every packet mode and
// {active, _} mode, between two terl nodes and between terl and real Erlang/OTP (each side the
// server once). The oracle is erl talking to erl in the same run: every pairing must print what it
// printed.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { HAVE_ERL, startEpmd, startErlNode, startTerlNode, stopAll, uniq, type Shell } from '../helpers/dist_nodes.js';

// The same shell funs on every node (one line each, as typed at the shell).
const HELPERS = [
  // an echo server on a free port for one connection, in server mode SA; returns the port
  `Serve = fun(Opts, SA) -> {ok, L} = gen_tcp:listen(0, [{active, false} | Opts]), {ok, P} = inet:port(L), Loop = fun Loop(S) -> R = case inet:setopts(S, [{active, SA}]) of {error, _} -> {error, closed}; ok when SA =:= false -> gen_tcp:recv(S, 0); ok -> receive {tcp, S, D0} -> {ok, D0}; {tcp_closed, S} -> {error, closed} end end, case R of {ok, D} -> ok = gen_tcp:send(S, D), Loop(S); {error, closed} -> gen_tcp:close(L), done end end, spawn(fun() -> {ok, S} = gen_tcp:accept(L), Loop(S) end), P end, ok.`,
  // a client in mode CA: sends each message and shows what came back
  `Client = fun(Host, P, Opts, CA, Msgs) -> {ok, C} = gen_tcp:connect(Host, P, [{active, CA} | Opts]), Get = fun() -> case CA of false -> gen_tcp:recv(C, 0, 5000); _ -> receive {tcp, C, D} -> {ok, D}; {tcp_passive, C} -> {passive, gen_tcp:recv(C, 0, 5000)} after 5000 -> timeout end end end, R = [begin ok = gen_tcp:send(C, M), X = Get(), CA =:= once andalso inet:setopts(C, [{active, once}]), X end || M <- Msgs], ok = gen_tcp:close(C), R end, ok.`,
  `Modes = [{SA, CA} || SA <- [false, true, once], CA <- [false, true, once, 2]], ok.`,
  `Servers = fun(Opts) -> [Serve(Opts, SA) || {SA, _} <- Modes] end, ok.`,
  `Clients = fun(Host, Ports, Opts, Msgs) -> [{SA, CA, Client(Host, P, Opts, CA, Msgs)} || {P, {SA, CA}} <- lists:zip(Ports, Modes)] end, ok.`,
];

/** Packet modes and the messages each sends (line mode: whole lines). */
const CASES: [string, string, string][] = [
  ['raw', '[binary, {packet, raw}]', '[<<"abc">>, <<"de">>, <<"f">>]'],
  ['0, list', '[list, {packet, 0}]', '["abc", [1, 2], <<"xyz">>]'],
  ['1', '[binary, {packet, 1}]', '[<<"a">>, <<>>, binary:copy(<<"x">>, 255)]'],
  ['2', '[list, {packet, 2}]', '["one", "", lists:duplicate(1000, $y)]'],
  ['4', '[binary, {packet, 4}]', '[<<"hello">>, <<>>, binary:copy(<<"z">>, 100000)]'],
  ['4, header', '[binary, {packet, 4}, {header, 2}]', '[<<"abcd">>, <<"xy">>, <<"z">>]'],
  ['line', '[list, {packet, line}]', '["first line\\n", "second\\n", "\\n"]'],
];

describe.skipIf(!HAVE_ERL)('gen_tcp between nodes: terl and terl, terl and erl', () => {
  let terl1: Shell;
  let terl2: Shell;
  let erl: Shell;

  beforeAll(async () => {
    const epmd = await startEpmd('terl');
    [terl1, terl2, erl] = await Promise.all([
      startTerlNode({ name: `tcp_a_${uniq()}`, epmd, cookie: 'sockets' }),
      startTerlNode({ name: `tcp_b_${uniq()}`, epmd, cookie: 'sockets' }),
      startErlNode({ name: `tcp_e_${uniq()}`, epmd, cookie: 'sockets' }),
    ]);
    for (const sh of [terl1, terl2, erl]) for (const h of HELPERS) expect(await sh.eval(h)).toBe('ok');
  }, 60000);
  afterAll(() => stopAll());

  /** Start the twelve servers (one per mode pair) on `server`, run the clients on `client`. */
  async function pair(server: Shell, client: Shell, opts: string, msgs: string): Promise<string> {
    const ports = await server.eval(`Servers(${opts}).`);
    expect(ports).toMatch(/^\[\d+(,\s*\d+)*\]$/);
    const out = await client.eval(`Clients("localhost", ${ports.replace(/\s+/g, '')}, ${opts}, ${msgs}).`, 60000);
    // a summary when the data is long: equal results print equally
    return out;
  }

  for (const [name, opts, msgs] of CASES) {
    it(`{packet, ${name}}: every active mode on both sides, each node the server once`, async () => {
      const oracle = await pair(erl, erl, opts, msgs);
      expect(oracle).not.toMatch(/timeout|error/);
      expect(await pair(terl1, terl2, opts, msgs)).toBe(oracle);
      expect(await pair(terl1, erl, opts, msgs)).toBe(oracle);
      expect(await pair(erl, terl2, opts, msgs)).toBe(oracle);
    }, 120000);
  }

  it('gen_udp: a round trip each way between terl and erl', async () => {
    const open = 'begin {ok, U} = gen_udp:open(0, [binary, {active, false}]), {ok, UP} = inet:port(U), UP end.';
    const tp = await terl1.eval(open);
    const ep = await erl.eval(open);
    expect(await terl1.eval(`gen_udp:send(U, "localhost", ${ep}, <<"from terl">>).`)).toBe('ok');
    expect(await erl.eval(`{ok, {_, ${tp}, D1}} = gen_udp:recv(U, 0, 5000), D1.`)).toBe('<<"from terl">>');
    expect(await erl.eval(`gen_udp:send(U, {127, 0, 0, 1}, ${tp}, "from erl").`)).toBe('ok');
    expect(await terl1.eval(`{ok, {{127, 0, 0, 1}, ${ep}, D2}} = gen_udp:recv(U, 0, 5000), D2.`)).toBe('<<"from erl">>');
  }, 30000);

  it('sends ports over distribution both ways (NEW_PORT_EXT), printed as erl prints another node\'s port', async () => {
    expect(await terl1.eval('{ok, PL} = gen_tcp:listen(0, []), ok.')).toBe('ok');
    expect(await terl1.eval(`rpc:call('${erl.node}', erlang, is_port, [PL]).`)).toBe('true');
    expect(await terl1.eval(`rpc:call('${erl.node}', erlang, node, [PL]) =:= node().`)).toBe('true');
    expect(await terl1.eval(`rpc:call('${erl.node}', erlang, hd, [[PL]]) =:= PL.`)).toBe('true');
    // erl's own port seen from terl: #Port<N.Id>, N the number terl gives erl's node, as for its pids
    const theirs = await terl1.eval(`{hd(rpc:call('${erl.node}', erlang, ports, [])), rpc:call('${erl.node}', erlang, self, [])}.`);
    const m = /^\{#Port<(\d+)\.0>,<(\d+)\.\d+\.\d+>\}$/.exec(theirs);
    expect(m, theirs).not.toBeNull();
    expect(m![1]).toBe(m![2]);
    expect(m![1]).not.toBe('0');
    expect(await terl1.eval('gen_tcp:close(PL).')).toBe('ok');
  }, 30000);

  it('inet:i() shows a listener and both ends of a connection as erl shows them', async () => {
    const setup = '{ok, IL} = gen_tcp:listen(0, []), {ok, IP} = inet:port(IL), {ok, IC} = gen_tcp:connect("localhost", IP, []), {ok, IA} = gen_tcp:accept(IL), {ok, {_, ICP}} = inet:sockname(IC), {IP, ICP}.';
    /** The header and the rows of these sockets (erl also lists its distribution's), numbers named. */
    const table = async (sh: Shell): Promise<string> => {
      const [, lp, cp] = /^\{(\d+),(\d+)\}$/.exec(await sh.eval(setup))!;
      const out = await sh.eval('inet:i().');
      // the TCP table only (the UDP one follows under its own header)
      const all = out.split('\n');
      const udp = all.findIndex((l, i) => i > 0 && l.startsWith('Port '));
      const lines = (udp < 0 ? all : all.slice(0, udp)).filter((l) => l.startsWith('Port ') || l.includes(`:${lp} `));
      await sh.eval('[gen_tcp:close(X) || X <- [IA, IC, IL]].');
      return lines
        .map((l) => l.replace(/^\d+ /, 'ID ').replace(/<\d+\.\d+\.\d+>/g, '<PID>').split(`:${lp} `).join(':LP ').split(`:${cp} `).join(':CP ').replace(/\s+/g, ' '))
        .join('\n');
    };
    const want = await table(erl);
    expect(want.split('\n'), want).toHaveLength(4);
    expect(await table(terl1)).toBe(want);
  }, 30000);

  it('leaves no socket open on a terl node once its servers and clients are done', async () => {
    const count = '(fun W(0) -> timeout; W(N) -> case [P || P <- erlang:ports(), element(2, erlang:port_info(P, name)) =:= "tcp_inet"] of [] -> none_left; _ -> timer:sleep(50), W(N - 1) end end)(100).';
    for (const sh of [terl1, terl2]) expect(await sh.eval(count)).toBe('none_left');
  }, 30000);
});
