// More of the distribution API between terl nodes, with the answers real erl gives (recorded from
// OTP 25.2.3): monitor_nodes and disconnect_node, multicall and cast, spawns to a node that cannot
// be reached, timeouts, simultaneous connects, hidden nodes.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HOST, Shell, startEpmd, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';

afterAll(stopAll);

describe('terl nodes: more of the API', () => {
  let epmd: Epmd;
  let a: Shell;
  let b: Shell;
  const [A, B] = [`morea${uniq()}`, `moreb${uniq()}`];
  const [AN, BN] = [A, B].map((n) => `${n}@${HOST}`);
  const NOSUCH = `nosuch${uniq()}@${HOST}`;

  beforeAll(async () => {
    epmd = await startEpmd('terl');
    [a, b] = await Promise.all([startTerlNode({ name: A, cookie: 'm', epmd }), startTerlNode({ name: B, cookie: 'm', epmd })]);
  });

  test('nodes connect at the same moment from both sides: one connection, both pong', async () => {
    const [x, y] = await Promise.all([a.eval(`net_adm:ping(${BN}).`), b.eval(`net_adm:ping(${AN}).`)]);
    expect([x, y]).toEqual(['pong', 'pong']);
    expect(await a.eval('nodes().')).toBe(`[${BN}]`);
    expect(await b.eval('nodes().')).toBe(`[${AN}]`);
    expect(await a.eval(`rpc:call(${BN}, erlang, node, []).`)).toBe(BN);
  });

  test('connecting from both sides at once, again and again: one nodeup each time, no connection lost', async () => {
    const drain = '(fun Loop(Acc) -> receive M -> Loop([M | Acc]) after 300 -> lists:reverse(Acc) end end)([]).';
    expect(await a.eval(`disconnect_node(${BN}).`)).toMatch(/^(true|false)$/);
    await Promise.all([a.eval(drain), b.eval(drain)]);
    expect(await a.eval('net_kernel:monitor_nodes(true).')).toBe('ok');
    expect(await b.eval('net_kernel:monitor_nodes(true).')).toBe('ok');
    for (let round = 0; round < 8; round++) {
      const [x, y] = await Promise.all([a.eval(`net_adm:ping(${BN}).`), b.eval(`net_adm:ping(${AN}).`)]);
      expect([x, y]).toEqual(['pong', 'pong']);
      expect(await a.eval(drain)).toBe(`[{nodeup,${BN}}]`);
      expect(await b.eval(drain)).toBe(`[{nodeup,${AN}}]`);
      expect(await a.eval(`disconnect_node(${BN}).`)).toBe('true');
      expect(await a.eval(drain)).toBe(`[{nodedown,${BN}}]`);
      expect(await b.eval(drain)).toBe(`[{nodedown,${AN}}]`);
    }
    expect(await a.eval('net_kernel:monitor_nodes(false).')).toBe('ok');
    expect(await b.eval('net_kernel:monitor_nodes(false).')).toBe('ok');
    // connected again for the tests after this one
    expect(await a.eval(`net_adm:ping(${BN}).`)).toBe('pong');
  });

  test('net_kernel:monitor_nodes/1,2 and disconnect_node/1', async () => {
    expect(await a.eval('net_kernel:monitor_nodes(true).')).toBe('ok');
    expect(await a.eval(`disconnect_node(${BN}).`)).toBe('true');
    expect(await a.eval(`net_adm:ping(${BN}).`)).toBe('pong');
    expect(await a.eval('flush().')).toBe(`Shell got {nodedown,${BN}}\nShell got {nodeup,${BN}}\nok`);
    expect(await a.eval('net_kernel:monitor_nodes(false).')).toBe('ok');
    expect(await a.eval('net_kernel:monitor_nodes(true, [nodedown_reason]).')).toBe('ok');
    expect(await a.eval(`disconnect_node(${BN}).`)).toBe('true');
    expect(await a.eval('flush().')).toBe(`Shell got {nodedown,${BN},[{nodedown_reason,disconnect}]}\nok`);
    expect(await a.eval(`net_adm:ping(${BN}).`)).toBe('pong');
    expect(await a.eval('flush().')).toBe(`Shell got {nodeup,${BN},[]}\nok`);
    expect(await a.eval('net_kernel:monitor_nodes(false, [nodedown_reason]).')).toBe('ok');
    expect(await a.eval(`disconnect_node(${NOSUCH}).`)).toBe('false');
  });

  test('rpc:multicall/4,3 and rpc:cast/4', async () => {
    expect(await a.eval(`rpc:multicall([node(), ${NOSUCH}, ${BN}], erlang, node, []).`)).toBe(`{[${AN},${BN}],[${NOSUCH}]}`);
    expect(await a.eval('rpc:multicall(erlang, node, []).')).toBe(`{[${AN},${BN}],[]}`);
    expect(await a.eval(`rpc:multicall([${BN}], erlang, error, [x]).`)).toBe("{[{badrpc,{'EXIT',{x,[{erlang,error,[x],[]}]}}}],[]}");
    await a.eval('Me = self().');
    expect(await a.eval(`rpc:cast(${BN}, erlang, send, [Me, cast_arrived]).`)).toBe('true');
    expect(await a.eval('receive cast_arrived -> yes after 5000 -> no end.')).toBe('yes');
  });

  test('erpc:execute_call/4 called directly exits with its tagged result; as a process, its DOWN carries it', async () => {
    // erl: both as below (a process that starts in execute_call ends without a JS throw in terl)
    await a.eval('R = make_ref().');
    expect(await a.eval("(catch erpc:execute_call(R, lists, reverse, [[1,2]])) =:= {'EXIT', {R, return, [2,1]}}.")).toBe('true');
    expect(await a.eval("{P, M} = spawn_monitor(erpc, execute_call, [R, erlang, element, [5, {a}]]), receive {'DOWN', M, process, P, {R, K, Why, [{Mod, F, Args, _} | _]}} -> {K, Why, Mod, F, Args} after 5000 -> timeout end.")).toBe(
      '{error,badarg,erlang,element,[5,{a}]}',
    );
    expect(await a.eval(`rpc:call(${BN}, erlang, element, [5, {a}]).`)).toBe(
      "{badrpc,\n    {'EXIT',\n        {badarg,\n            [{erlang,element,\n                 [5,{a}],\n                 [{error_info,#{module => erl_erts_errors}}]}]}}}",
    );
  });

  test('a node that cannot be reached: a warning and a pid that exits noconnection, {erpc,noconnection}', async () => {
    const out = await a.eval(`spawn(${NOSUCH}, m, f, []).`);
    expect(out).toMatch(/^<0\.\d+\.0>/);
    await a.waitFor(`=WARNING REPORT==== `);
    await a.waitFor(`===\n** Can not start m:f,[] on ${NOSUCH} **\n\n`);
    expect(await a.eval(`catch spawn_link(${NOSUCH}, m, f, []).`)).toMatch(/^<0\.\d+\.0>/);
    await a.waitFor(`** Can not start m:f,[] ([link]) on ${NOSUCH} **\n`);
    expect(await a.eval(`catch erpc:call(${NOSUCH}, m, f, []).`)).toMatch(/^\{'EXIT',\{\{erpc,noconnection\},\n?\s*\[\{erpc,call,5,\[\{file,"erpc.erl"\},\{line,710\}\]\}/);
    expect(await a.eval(`rpc:call(${NOSUCH}, m, f, []).`)).toBe('{badrpc,nodedown}');
    expect(await a.eval(`net_adm:ping(${NOSUCH}).`)).toBe('pang');
  });

  test('timeouts', async () => {
    expect(await a.eval(`erpc:call(${BN}, erlang, node, [], 0).`)).toBe('** exception error: {erpc,timeout}\n     in function  erpc:call/5 (erpc.erl, line 714)');
    expect(await a.eval(`rpc:call(${BN}, timer, sleep, [500], 10).`)).toBe('{badrpc,timeout}');
    expect(await a.eval(`rpc:call(${BN}, erlang, exit, [normal]).`)).toBe("{badrpc,{'EXIT',normal}}");
  });
});

describe('a hidden terl node', () => {
  test('is not in nodes() on either side, only in nodes(hidden); global:sync() returns', async () => {
    const epmd = await startEpmd('terl');
    const [V, H] = [`vis${uniq()}`, `hid${uniq()}`];
    const [v, h] = await Promise.all([
      startTerlNode({ name: V, cookie: 'h', epmd }),
      startTerlNode({ name: H, cookie: 'h', epmd, args: ['-hidden'] }),
    ]);
    expect(await h.eval(`net_adm:ping(${V}@${HOST}).`)).toBe('pong');
    expect(await h.eval('nodes().')).toBe('[]');
    expect(await h.eval('nodes(hidden).')).toBe(`[${V}@${HOST}]`);
    expect(await v.eval('nodes().')).toBe('[]');
    expect(await v.eval('nodes(hidden).')).toBe(`[${H}@${HOST}]`);
    expect(await v.eval('nodes(connected).')).toBe(`[${H}@${HOST}]`);
    expect(await v.eval('global:sync().')).toBe('ok');
    expect(await h.eval('global:sync().')).toBe('ok');
    expect(await h.eval(`rpc:call(${V}@${HOST}, erlang, node, []).`)).toBe(`${V}@${HOST}`);
  });
});
