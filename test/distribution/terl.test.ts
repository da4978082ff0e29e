// Two (and three) real terl nodes on loopback, each with its own shell, through terl's own port
// mapper: the seed's distribution transcripts (kvs over rpc, dist_demo, monitor_node), remote
// spawns, links and monitors, io to the caller, global names, and cookie mismatches.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ROOT } from '../helpers/terl.js';
import { HOST, REPORT_HEADER, Shell, startEpmd, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';

const EXAMPLES = join(ROOT, 'examples');

afterAll(stopAll);

describe('two terl nodes', () => {
  let epmd: Epmd;
  let a: Shell;
  let b: Shell;
  const A = `kvsa${uniq()}`;
  const B = `kvsb${uniq()}`;
  const AN = `${A}@${HOST}`;
  const BN = `${B}@${HOST}`;

  beforeAll(async () => {
    epmd = await startEpmd('terl');
    [a, b] = await Promise.all([
      startTerlNode({ name: A, cookie: 'kvs', epmd, cwd: EXAMPLES }),
      startTerlNode({ name: B, cookie: 'kvs', epmd, cwd: EXAMPLES }),
    ]);
    expect(await a.eval('kvs:start().')).toBe('true');
  });

  test('rpc:call stores and looks up in the other node kvs', async () => {
    expect(await b.eval(`rpc:call(${AN}, kvs, store, [weather, fine]).`)).toBe('true');
    expect(await b.eval(`rpc:call(${AN}, kvs, lookup, [weather]).`)).toBe('{ok,fine}');
    // the server's own view of its store
    expect(await a.eval('kvs:lookup(weather).')).toBe('{ok,fine}');
  });

  test('both nodes see each other', async () => {
    expect(await b.eval(`net_adm:ping(${AN}).`)).toBe('pong');
    expect(await b.eval('nodes().')).toBe(`[${AN}]`);
    expect(await a.eval('nodes().')).toBe(`[${BN}]`);
    expect(await a.eval('is_alive().')).toBe('true');
  });

  test('{Name, Node} ! Msg reaches a registered process there', async () => {
    expect(await b.eval(`{kvs, ${AN}} ! {self(), {lookup, weather}}.`)).toMatch(/^\{<0\.\d+\.0>,\{lookup,weather\}\}$/);
    expect(await b.eval('receive {kvs, R} -> R after 5000 -> none end.')).toBe('{ok,fine}');
  });

  test('dist_demo:start(Node) runs a compiled fun there; rpc through it answers that node', async () => {
    expect(await b.eval('c(dist_demo).')).toBe('{ok,dist_demo}');
    const pid = await b.eval(`P = dist_demo:start(${AN}).`);
    // another node's pid prints with that node's number, never 0
    expect(pid).toMatch(/^<[1-9]\d*\.\d+\.0>$/);
    expect(await b.eval('node(P).')).toBe(AN);
    expect(await b.eval('pid_to_list(P).')).toBe(`"${pid}"`);
    expect(await b.eval('list_to_pid(pid_to_list(P)) =:= P.')).toBe('true');
    expect(await b.eval('dist_demo:rpc(P, erlang, node, []).')).toBe(AN);
    expect(await b.eval('dist_demo:rpc(P, lists, reverse, [[1,2,3]]).')).toBe('[3,2,1]');
  });

  test('rpc:call errors come back as {badrpc, ...}', async () => {
    expect(await b.eval(`rpc:call(${AN}, erlang, error, [boom]).`)).toBe("{badrpc,{'EXIT',{boom,[{erlang,error,[boom],[]}]}}}");
    expect(await b.eval(`rpc:call(${AN}, nomod, nofun, []).`)).toBe("{badrpc,{'EXIT',{undef,[{nomod,nofun,[],[]}]}}}");
    expect(await b.eval(`rpc:call(${AN}, erlang, exit, [bye]).`)).toBe("{badrpc,{'EXIT',bye}}");
    expect(await b.eval(`rpc:call(${AN}, erlang, throw, [ball]).`)).toBe('ball');
    expect(await b.eval(`catch erpc:call(${AN}, erlang, throw, [ball]).`)).toBe('ball');
  });

  test("io:format in a remote call prints on the caller's shell", async () => {
    expect(await b.eval(`rpc:call(${AN}, io, format, ["from ~p~n", [there]]).`)).toBe('from there\nok');
    expect(await b.eval(`rpc:call(${AN}, erlang, apply, [fun io:format/2, ["node ~p~n", [${AN}]]]).`)).toBe(`node ${AN}\nok`);
    expect(a.out).not.toContain('from there');
  });

  test("spawn(Node, M, F, A) of a missing module: the undef report prints on the caller's node", async () => {
    const pid = (await b.eval(`spawn(${AN}, nomod, f, [1]).`)).split('\n')[0];
    const [, num, id] = /^<(\d+)\.(\d+)\.0>$/.exec(pid)!;
    await b.waitFor(`Error in process <${num}.${id}.0> on node ${AN} with exit value:\n{undef,[{nomod,f,[1],[]}]}\n`);
    expect(b.out).toMatch(REPORT_HEADER);
  });

  test('spawn_monitor and spawn_link across nodes', async () => {
    expect(await b.eval(`{P2, R2} = spawn_monitor(${AN}, timer, sleep, [50]).`)).toMatch(/^\{<\d+\.\d+\.0>,#Ref<[\d.]+>\}$/);
    expect(await b.eval("receive {'DOWN', R2, process, P2, Why} -> Why after 5000 -> none end.")).toBe('normal');
    expect(await b.eval('process_flag(trap_exit, true).')).toBe('false');
    await b.eval(`L = spawn_link(${AN}, timer, sleep, [infinity]).`);
    expect(await b.eval('exit(L, kill).')).toBe('true');
    expect(await b.eval("receive {'EXIT', L, R3} -> R3 after 5000 -> none end.")).toBe('killed');
    expect(await b.eval('process_flag(trap_exit, false).')).toBe('true');
  });

  test('monitoring a name that does not exist there gives noproc at once', async () => {
    expect(await b.eval(`M = erlang:monitor(process, {nosuchname, ${AN}}).`)).toMatch(/^#Ref</);
    expect(await b.eval("receive {'DOWN', M, process, Who, NoProc} -> {Who, NoProc} after 5000 -> none end.")).toBe(`{{nosuchname,${AN}},noproc}`);
  });

  test('global names are seen on both nodes', async () => {
    expect(await b.eval('global:sync().')).toBe('ok');
    expect(await a.eval('global:sync().')).toBe('ok');
    expect(await b.eval(`global:register_name(bname${B}, self()).`)).toBe('yes');
    expect(await a.eval(`node(global:whereis_name(bname${B})).`)).toBe(BN);
    expect(await a.eval(`global:send(bname${B}, hello_from_a).`)).toMatch(/^<\d+\.\d+\.0>$/);
    expect(await b.eval('receive hello_from_a -> got after 5000 -> none end.')).toBe('got');
    expect(await a.eval(`global:register_name(bname${B}, self()).`)).toBe('no');
    // unregistering on one node, and a registered process dying, are seen on the other
    expect(await b.eval(`global:unregister_name(bname${B}).`)).toBe('ok');
    expect(await a.eval(`global:whereis_name(bname${B}).`)).toBe('undefined');
    await b.eval(`G = spawn(fun() -> receive stop -> ok end end), global:register_name(gone${B}, G).`);
    expect(await a.eval(`node(global:whereis_name(gone${B})).`)).toBe(BN);
    await b.eval('G ! stop.');
    // the name goes when node A's monitor of G fires: wait for that, not for a fixed time
    let seen = '';
    for (let i = 0; i < 100 && seen !== 'undefined'; i++) seen = await a.eval(`global:whereis_name(gone${B}).`);
    expect(seen).toBe('undefined');
    expect(await b.eval(`global:whereis_name(gone${B}).`)).toBe('undefined');
  });

  test('nl(Mod) loads a module on the other terl node, which has no source for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'terl-nl-'));
    writeFileSync(join(dir, 'nlmod.erl'), '-module(nlmod).\n-export([where/0]).\nwhere() -> {loaded_on, node()}.\n');
    await b.eval(`cd("${dir}").`);
    expect(await b.eval('c(nlmod).')).toBe('{ok,nlmod}');
    expect(await b.eval(`rpc:call(${AN}, nlmod, where, []).`)).toBe("{badrpc,{'EXIT',{undef,[{nlmod,where,[],[]}]}}}");
    expect(await b.eval('nl(nlmod).')).toBe('abcast');
    expect(await b.eval(`rpc:call(${AN}, nlmod, where, []).`)).toBe(`{loaded_on,${AN}}`);
    expect(await b.eval('nl(no_such_module).')).toBe('error');
    await b.eval(`cd("${EXAMPLES}").`);
  });

  test('monitor_node, then the server halts: {nodedown, Node} in flush()', async () => {
    expect(await b.eval(`monitor_node(${AN}, true).`)).toBe('true');
    expect(await b.eval(`rpc:call(${AN}, erlang, halt, []).`)).toBe('{badrpc,nodedown}');
    await a.exited;
    expect(await b.eval('flush().')).toBe(`Shell got {nodedown,${AN}}\nok`);
    expect(await b.eval('nodes().')).toBe('[]');
  });
});

describe('cookies', () => {
  test('a wrong cookie: pang and {badrpc,nodedown}; the accepting side reports it', async () => {
    const epmd = await startEpmd('terl');
    const S = `srv${uniq()}`;
    const C = `cli${uniq()}`;
    const [srv, cli] = await Promise.all([
      startTerlNode({ name: S, cookie: 'right', epmd }),
      startTerlNode({ name: C, cookie: 'wrong', epmd }),
    ]);
    const SN = `${S}@${HOST}`;
    const CN = `${C}@${HOST}`;
    expect(await cli.eval(`net_adm:ping(${SN}).`)).toBe('pang');
    expect(await cli.eval(`rpc:call(${SN}, erlang, node, []).`)).toBe('{badrpc,nodedown}');
    expect(await cli.eval('nodes().')).toBe('[]');
    const line = `** Connection attempt from node ${CN} rejected. Invalid challenge reply. **\n`;
    await srv.waitFor(line);
    // once for the ping, once for the rpc:call, as erl
    await srv.waitFor(new RegExp(`${REPORT_HEADER.source}\\n\\*\\* Connection attempt from node ${CN} rejected\\. Invalid challenge reply\\. \\*\\*\\n\\n[^]*${REPORT_HEADER.source}\\n\\*\\* Connection attempt from node ${CN}`));
    // the connecting side prints nothing about it
    expect(cli.out).not.toContain('REPORT');
    // the other way round: now the node with the wrong cookie accepts, and reports
    expect(await srv.eval(`net_adm:ping(${CN}).`)).toBe('pang');
    await cli.waitFor(`** Connection attempt from node ${SN} rejected. Invalid challenge reply. **\n`);
    // per-node cookies: with the right one for that node, the connection is made
    expect(await cli.eval(`erlang:set_cookie(${SN}, right).`)).toBe('true');
    expect(await cli.eval(`net_adm:ping(${SN}).`)).toBe('pong');
    expect(await cli.eval(`erlang:get_cookie(${SN}).`)).toBe('right');
    expect(await cli.eval('erlang:get_cookie().')).toBe('wrong');
  });
});
