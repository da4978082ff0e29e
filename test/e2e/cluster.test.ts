// The cluster window (terl --cluster, terl --tour): the real binary in a pty, its nodes on a port
// mapper of the test's own (ERL_EPMD_PORT), HOME and the history file in a temporary folder. The
// seed's two-node session typed into two panes, the pane switch and zoom, the wire pane decoding
// the calls between them, a cookie mismatch explained on both sides, the tour's first hint.

import { describe, it, expect, beforeAll, afterAll, afterEach, type TestContext } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTerm, killAll, KEY, ptySkipReason, type Term } from './pty.js';
import { TERL, ROOT } from '../helpers/terl.js';
import { HAVE_ERL, HOST, startEpmd, stopAll, uniq, type Epmd } from '../helpers/dist_nodes.js';
import { PID, REF, esc } from '../helpers/wire.js';
import { boxes, full, typeIn, waitForBox, waitForBoxes, waitForFocus } from './cluster_window.js';
import { TOUR } from '../../shell/tour.js';
import { names } from '../../runtime/distribution/epmd_client.js';

const ROWS = 40;
let epmd: Epmd;
let home: string;

beforeAll(async () => {
  epmd = await startEpmd('terl');
  home = mkdtempSync(join(tmpdir(), 'terl-cluster-'));
}, 60000);

afterEach(() => killAll());

afterAll(async () => {
  killAll();
  await stopAll();
  rmSync(home, { recursive: true, force: true });
});

function cluster(ctx: TestContext, args: string[], cols = 200, cwd = join(ROOT, 'examples')): Term {
  const t = spawnTerm(process.execPath, [TERL, ...args], {
    cwd,
    env: { NO_COLOR: '1', HOME: home, TERL_HISTORY: join(home, 'history'), ...epmd.env },
    cols,
    rows: ROWS,
  });
  ctx.onTestFinished(() => t.kill());
  return t;
}

/** The names the test's port mapper lists, and their ports (as `epmd -names` shows them). */
async function epmdPorts(): Promise<Map<string, number>> {
  const r = await names({ port: epmd.port, host: '127.0.0.1' });
  return new Map(r.nodes.map((n) => [n.name, n.port]));
}

/** Wait for both nodes' first prompts. */
async function started(t: Term, names: string[]): Promise<void> {
  for (const n of names) await waitForBox(t, ROWS, full(n), new RegExp(`^\\(${esc(full(n))}\\)1>`, 'm'), 30000);
}

describe.skipIf(ptySkipReason !== '')(`the cluster window${ptySkipReason ? ` (skipped: ${ptySkipReason})` : ''}`, { timeout: 120000 }, () => {
  it('two panes side by side: the seed session typed into them, Ctrl-O between them, the wire pane decoding the calls', async (ctx) => {
    const id = uniq();
    const [server, client] = [`kvs_${id}`, `client_${id}`];
    const t = cluster(ctx, ['--cluster', `${server},${client}`, '-setcookie', 'abc']);
    await started(t, [server, client]);

    // side by side, the first in focus, the status line naming it and the keys
    const shown = await waitForBoxes(t, ROWS, (b) => b.size === 2, 'two panes');
    const [s, c] = [shown.get(full(server))!, shown.get(full(client))!];
    expect(s.row).toBe(c.row);
    expect(c.col).toBeGreaterThan(s.col);
    expect(s.focused).toBe(true);
    expect(c.focused).toBe(false);
    await t.waitFor(new RegExp(`^${esc(full(server))}  ·  Ctrl-O/F2 next pane  ·  Ctrl-X/F3 zoom  ·  Ctrl-V/F4 wire view  ·  Ctrl-S/F5 cluster$`, 'm'));

    // the store on the server node
    expect(await typeIn(t, ROWS, server, 1, 'kvs:start().')).toEqual([`(${full(server)})1> kvs:start().`, 'true']);

    // Ctrl-O: the client's pane takes the keys; Ctrl-V: the wire pane shows the client's wire
    t.write(KEY.ctrl('o'));
    await waitForFocus(t, ROWS, full(client));
    t.write(KEY.ctrl('v'));
    await waitForBox(t, ROWS, `wire: ${full(client)}`, /ALIVE2_REQ/);

    const [S, C] = [full(server), full(client)];
    expect(await typeIn(t, ROWS, client, 1, `rpc:call(${S}, kvs, store, [weather, fine]).`)).toEqual([
      `(${C})1> rpc:call(${S}, kvs, store, [weather, fine]).`,
      'true',
    ]);

    // Ctrl-O on to the wire pane, Ctrl-X to read it all: the port mapper, the handshake, and the
    // rpc:call (OTP 25's is erpc's spawn request; its answer is the spawned process's exit)
    t.write(KEY.ctrl('o'));
    await waitForFocus(t, ROWS, `wire: ${C}`);
    t.write(KEY.ctrl('x'));
    const zoomed = await waitForBoxes(t, ROWS, (b) => b.size === 1 && b.has(`wire: ${C}`), 'the wire pane alone');
    const wire = zoomed.get(`wire: ${C}`)!.rows.join('\n');
    expect(wire).toMatch(new RegExp(`^${esc(C)} → epmd@${esc(HOST)}  PORT_PLEASE2_REQ ${server}  PORT2_RESP port \\d+$`, 'm'));
    expect(wire).toContain(`${C} → ${S}  send_name  ${C} version 6`);
    expect(wire).toContain(`${S} → ${C}  recv_status  ok`);
    expect(wire).toContain(`${S} → ${C}  recv_challenge_ack  digest ok`);
    expect(wire.replace(/\n/g, '')).toMatch(
      new RegExp(`${esc(C)} → ${esc(S)}  SPAWN_REQUEST ${REF} ${PID} ${PID} \\{erpc,execute_call,4\\} \\[monitor\\]  \\[${REF},kvs,store,\\[weather,fine\\]\\]`),
    );
    expect(wire.replace(/\n/g, '')).toMatch(new RegExp(`${esc(S)} → ${esc(C)}  PAYLOAD_MONITOR_P_EXIT ${PID} ${PID} ${REF}  \\{${REF},return,true\\}`));
    expect(wire).not.toMatch(/ tick$/m);

    // back: Ctrl-X, then Ctrl-O to the server, where the value is
    t.write(KEY.ctrl('x'));
    await waitForBoxes(t, ROWS, (b) => b.size === 3, 'three panes again');
    t.write(KEY.ctrl('o'));
    await waitForFocus(t, ROWS, S);
    expect(await typeIn(t, ROWS, server, 2, 'kvs:lookup(weather).')).toEqual([`(${S})2> kvs:lookup(weather).`, '{ok,fine}']);

    // and on to the client, whose pane kept its session as it was
    t.write(KEY.ctrl('o'));
    await waitForFocus(t, ROWS, C);
    expect(await typeIn(t, ROWS, client, 2, `net_adm:ping(${S}).`)).toEqual([`(${C})2> net_adm:ping(${S}).`, 'pong']);
    expect(await typeIn(t, ROWS, client, 3, 'nodes().')).toEqual([`(${C})3> nodes().`, `[${S}]`]);
    // a message to the registered name, and its reply, decoded at the foot of the wire pane
    expect(await typeIn(t, ROWS, client, 4, `{kvs, ${S}} ! {self(), {lookup, weather}}, receive R -> R end.`)).toEqual([
      `(${C})4> {kvs, ${S}} ! {self(), {lookup, weather}}, receive R -> R end.`,
      '{kvs,{ok,fine}}',
    ]);
    const tail = (await waitForBox(t, ROWS, `wire: ${C}`, /SEND_SENDER \S+  \{kvs,/)).slice(-2);
    expect(tail).toEqual([
      expect.stringMatching(new RegExp(`^${esc(C)} → ${esc(S)}  REG_SEND kvs  \\{${PID},\\{lookup,weather\\}\\}$`)),
      expect.stringMatching(new RegExp(`^${esc(S)} → ${esc(C)}  SEND_SENDER ${PID}  \\{kvs,\\{ok,fine\\}\\}$`)),
    ]);
  });

  it('zooms the pane in focus with Ctrl-X, stacks the panes on a narrow terminal, F2 moves on as Ctrl-O does, q(). halts one node', async (ctx) => {
    const id = uniq();
    const [a, b] = [`a_${id}`, `b_${id}`];
    const t = cluster(ctx, ['--cluster', `${a},${b}`, '-setcookie', 'abc'], 80);
    // typed before the first node is up: kept for its pane
    t.write('40 + 2.' + KEY.enter);
    await started(t, [a, b]);
    await waitForBox(t, ROWS, full(a), new RegExp(`^\\(${esc(full(a))}\\)1> 40 \\+ 2\\.\n42$`, 'm'));
    const shown = await waitForBoxes(t, ROWS, (x) => x.size === 2, 'two panes');
    // stacked: one above the other, each as wide as the terminal
    expect(shown.get(full(a))!.col).toBe(0);
    expect(shown.get(full(b))!.col).toBe(0);
    expect(shown.get(full(b))!.row).toBeGreaterThan(shown.get(full(a))!.row);

    t.write('\x1bOQ'); // F2
    await waitForFocus(t, ROWS, full(b));
    t.write(KEY.ctrl('x'));
    // alone, as tall as the window: the terminal less its last row, the status line and the borders
    const tall = (): boolean => t.screen().split('\n').slice(-ROWS).filter((l) => l.startsWith('║')).length === ROWS - 4;
    await waitForBoxes(t, ROWS, (x) => x.size === 1 && x.has(full(b)) && tall(), 'b alone, as tall as the window');
    expect(await typeIn(t, ROWS, b, 1, 'node().')).toEqual([`(${full(b)})1> node().`, full(b)]);
    t.write(KEY.ctrl('x'));
    await waitForBoxes(t, ROWS, (x) => x.size === 2, 'both panes again');
    await waitForBox(t, ROWS, full(b), new RegExp(`^${esc(full(b))}$`, 'm'));

    // q(). halts a pane's node (the focus moves on); the window ends with the last node
    t.write('q().' + KEY.enter);
    await waitForBox(t, ROWS, full(b), '[the node has halted (status 0)]');
    await waitForFocus(t, ROWS, full(a));
    t.write('q().' + KEY.enter);
    expect(await t.exited()).toBe(0);
  });

  it('a cookie mismatch (client:cookie=wrong): pang and its cause on the client, the rejection report and its cause on the server', async (ctx) => {
    const id = uniq();
    const [server, client] = [`kvs_${id}`, `bad_${id}`];
    const t = cluster(ctx, ['--cluster', `${server},${client}:cookie=wrong`, '-setcookie', 'abc']);
    await started(t, [server, client]);
    const [S, C] = [full(server), full(client)];
    t.write(KEY.ctrl('o'));
    await waitForFocus(t, ROWS, C);
    const ping = await typeIn(t, ROWS, client, 1, `net_adm:ping(${S}).`);
    expect(ping.slice(0, 2)).toEqual([`(${C})1> net_adm:ping(${S}).`, 'pang']);
    // the explanation line, wrapped at the pane's width
    expect(ping.slice(2).join('')).toBe(
      `${S} rejected our challenge reply: the two nodes' cookies differ; compare erlang:get_cookie() on both nodes (set it with -setcookie or in ~/.erlang.cookie)`,
    );
    const serverRows = await waitForBox(t, ROWS, S, /Invalid challenge reply/);
    const report = serverRows.join('\n');
    expect(report).toMatch(/^=ERROR REPORT==== \d{1,2}-[A-Z][a-z]{2}-\d{4}::\d\d:\d\d:\d\d\.\d{6} ===$/m);
    expect(report).toContain(`** Connection attempt from node ${C} rejected. Invalid challenge reply. **`);
    const explained = (await waitForBox(t, ROWS, S, /its cookie differs/)).join('');
    expect(explained).toContain(`${C} tried to connect, and we rejected its challenge reply: its cookie differs from ours`);
  });

  it('the glance pane (Ctrl-S): both nodes and their ports, then connected to each other after a ping, then apart after disconnect_node', async (ctx) => {
    const id = uniq();
    const [a, b] = [`ga_${id}`, `gb_${id}`];
    const [A, B] = [full(a), full(b)];
    const t = cluster(ctx, ['--cluster', `${a},${b}`, '-setcookie', 'abc']);
    await started(t, [a, b]);
    t.write(KEY.ctrl('s'));
    // a row: the node, its port, its status, whom it is connected to
    const row = (node: string, status: string, links: string) => new RegExp(`^${esc(node)} +(\\d+)  ${status} +${links}$`, 'm');
    const before = (await waitForBox(t, ROWS, 'cluster', row(B, 'not connected', 'none'))).join('\n');
    expect(before.split('\n')[0]).toMatch(/^node +port +status +connected to$/);
    expect(before).toMatch(row(A, 'not connected', 'none'));
    // the ports are those the port mapper gives
    const ports = await epmdPorts();
    expect(Number(row(A, 'not connected', 'none').exec(before)![1])).toBe(ports.get(a));
    expect(Number(row(B, 'not connected', 'none').exec(before)![1])).toBe(ports.get(b));
    await t.waitFor(/  ·  Ctrl-S\/F5 cluster$/m);

    // a ping typed in a's pane: the table changes without a key pressed
    expect(await typeIn(t, ROWS, a, 1, `net_adm:ping(${B}).`)).toEqual([`(${A})1> net_adm:ping(${B}).`, 'pong']);
    const linked = (await waitForBox(t, ROWS, 'cluster', row(B, 'connected', esc(A)))).join('\n');
    expect(linked).toMatch(row(A, 'connected', esc(B)));

    // disconnect_node: both sides not connected again
    expect(await typeIn(t, ROWS, a, 2, `erlang:disconnect_node(${B}).`)).toEqual([`(${A})2> erlang:disconnect_node(${B}).`, 'true']);
    await waitForBox(t, ROWS, 'cluster', row(A, 'not connected', 'none'));
    await waitForBox(t, ROWS, 'cluster', row(B, 'not connected', 'none'));

    // connected again from b's pane; then b halts: shown so (one row, no port), a alone again
    t.write(KEY.ctrl('o'));
    await waitForFocus(t, ROWS, B);
    expect(await typeIn(t, ROWS, b, 1, `net_adm:ping(${A}).`)).toEqual([`(${B})1> net_adm:ping(${A}).`, 'pong']);
    await waitForBox(t, ROWS, 'cluster', row(A, 'connected', esc(B)));
    t.write('q().' + KEY.enter);
    const halted = (await waitForBox(t, ROWS, 'cluster', new RegExp(`^${esc(B)} +-  halted +none$`, 'm'))).join('\n');
    await waitForBox(t, ROWS, 'cluster', row(A, 'not connected', 'none'));
    expect(halted.split('\n').filter((r) => r.startsWith(`${b}@`))).toHaveLength(1);

    // Ctrl-S again hides it
    t.write(KEY.ctrl('s'));
    await waitForBoxes(t, ROWS, (x) => !x.has('cluster') && x.has(A), 'the glance pane hidden');
  });

  it.skipIf(!HAVE_ERL)('the glance pane shows a real erl node that registers with the port mapper, and the pane that connects to it', async (ctx) => {
    const id = uniq();
    const [a, probe] = [`ga_${id}`, `gerl_${id}`];
    const [A, P] = [full(a), full(probe)];
    const t = cluster(ctx, ['--cluster', a, '-setcookie', 'abc']);
    await started(t, [a]);
    t.write('\x1b[15~'); // F5
    await waitForBox(t, ROWS, 'cluster', new RegExp(`^${esc(A)} +\\d+  not connected +none$`, 'm'));
    const erl = spawn('erl', ['-sname', probe, '-setcookie', 'abc', '-noshell', '-start_epmd', 'false'], { env: { ...process.env, ...epmd.env }, stdio: 'ignore' });
    ctx.onTestFinished(() => void erl.kill('SIGKILL'));
    // once it has registered: its row, with its port, never dialled
    const seen = (await waitForBox(t, ROWS, 'cluster', new RegExp(`^${esc(P)} +\\d+  not in window +not asked$`, 'm'), 30000)).join('\n');
    expect(Number(new RegExp(`^${esc(P)} +(\\d+)`, 'm').exec(seen)![1])).toBe((await epmdPorts()).get(probe));
    expect(await typeIn(t, ROWS, a, 1, `net_adm:ping(${P}).`)).toEqual([`(${A})1> net_adm:ping(${P}).`, 'pong']);
    await waitForBox(t, ROWS, 'cluster', new RegExp(`^${esc(A)} +\\d+  connected +${esc(P)}$`, 'm'));
    await waitForBox(t, ROWS, 'cluster', new RegExp(`^${esc(P)} +\\d+  not in window +${esc(A)}; others not asked$`, 'm'));
    // it stops: gone from the table
    erl.kill('SIGKILL');
    const after = await waitForBox(t, ROWS, 'cluster', new RegExp(`^${esc(A)} +\\d+  not connected +none$`, 'm'));
    await waitForBoxes(t, ROWS, (b) => !(b.get('cluster')?.rows.some((r) => r.startsWith(P)) ?? true), `${P} gone`);
    expect(after[0]).toMatch(/^node +port +status +connected to$/);
  });

  it.skipIf(!HAVE_ERL)('its nodes are real nodes: a real erl reaches them through the same port mapper', async (ctx) => {
    const id = uniq();
    const node = `kvs_${id}`;
    const t = cluster(ctx, ['--cluster', node, '-setcookie', 'abc']);
    await started(t, [node]);
    await typeIn(t, ROWS, node, 1, 'kvs:start(), kvs:store(weather, fine).');
    const probe = spawnSync(
      'erl',
      ['-sname', `probe_${id}`, '-setcookie', 'abc', '-noshell', '-eval', `io:format("~p~n", [rpc:call('${full(node)}', kvs, lookup, [weather])]), halt().`],
      { env: { ...process.env, ...epmd.env }, encoding: 'utf8', timeout: 30000 },
    );
    expect(probe.stdout).toBe('{ok,fine}\n');
  });

  it('the tour starts the seed\'s two nodes and shows its first hint, then the next once it is typed, to its end', async (ctx) => {
    // from a folder without kvs.erl: the tour finds it among terl's examples
    const t = cluster(ctx, ['--tour'], 240, home);
    await started(t, ['kvs_server', 'client']);
    const S = full('kvs_server');
    const hint = await waitForBox(t, ROWS, S, /^tour 1\/\d+: /m);
    expect(hint.slice(-2)).toEqual([
      expect.stringMatching(/^tour 1\/\d+: One node: start the key-value store of kvs\.erl/),
      `next, on ${S}: kvs:start().`,
    ]);
    // the tour shows the client's wire from the start
    await waitForBox(t, ROWS, `wire: ${full('client')}`, /ALIVE2_REQ client/);
    t.write('kvs:start().' + KEY.enter);
    // the next hint as soon as the line is typed; the result under the line, then the next prompt
    const next = await waitForBox(t, ROWS, S, new RegExp(`^\\(${esc(S)}\\)2>$`, 'm'));
    expect(next).toContainEqual(expect.stringMatching(/^tour 2\/\d+: Store a value on this node/));
    expect(next).toContain(`(${S})1> kvs:start().`);
    expect(next).toContain('true');
    expect(next.at(-1)).toBe(`next, on ${S}: kvs:store(weather, raining).`);
    await waitForBox(t, ROWS, `wire: ${full('client')}`, /^what the wire shows: Nothing: a local call never leaves the node/m);

    // the rest of the tour, each step typed where its hint says: every step is real
    const names = [S, full('client')];
    const prompt = [2, 1];
    let focus = 0;
    const results: string[][] = [];
    for (const step of TOUR.slice(1)) {
      const expr = step.expr(names);
      // the hint is in the pane in focus (cut at blanks where it is long)
      const hint = (await waitForBox(t, ROWS, names[focus]!, new RegExp(`^tour ${TOUR.indexOf(step) + 1}/${TOUR.length}: `, 'm'))).join(' ');
      expect(hint).toContain(`next, on ${names[step.pane]}${step.pane === focus ? '' : ' (Ctrl-O to go there)'}: ${expr}`);
      // Ctrl-O goes kvs_server → client → the wire pane → kvs_server
      while (focus !== step.pane) {
        t.write(KEY.ctrl('o'));
        focus = focus === 0 ? 1 : 0;
        if (focus === 0) t.write(KEY.ctrl('o'));
        await waitForFocus(t, ROWS, names[focus]!);
      }
      const name = step.pane === 0 ? 'kvs_server' : 'client';
      results.push(await typeIn(t, ROWS, name, prompt[step.pane]!++, expr));
    }
    const said = results.map((r) => r.slice(1).join('\n'));
    expect(said).toEqual([
      'true', // kvs:store
      'pong',
      'true', // rpc:call
      '{kvs,{ok,fine}}',
      '{ok,fine}',
      'true', // set_cookie wrong
      expect.stringMatching(new RegExp(`^pang\n${esc(S)} rejected our challenge reply: the two nodes' cookies differ`)),
      'true',
      expect.stringMatching(new RegExp(`^<\\d+\\.\\d+\\.0>$`)),
      `{${S},hello}`,
      'true', // monitor_node
      'true', // disconnect_node
      `Shell got {nodedown,${S}}\nok`,
    ]);
    expect(said[8]).not.toMatch(/^<0\./); // the spawned process is on kvs_server
    await waitForBox(t, ROWS, names[1]!, 'tour: done. Both nodes are yours; q(). in a pane halts its node.');
  });
});
