// The port mapper a terl node serves in its own process when none answers (runtime/distribution/
// epmd_host.ts), and what becomes of it when the node's process leaves while nodes of other
// processes are registered: with only terl nodes left, one of them takes it over in its own process
// (epmd_takeover.ts); with any other node (real erl), a detached daemon does (epmd_handover.ts).
// Either way those nodes stay registered and reachable as with erl's `epmd -daemon`. Each test has
// its own ERL_EPMD_PORT.

import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { ROOT, TERL } from '../helpers/terl.js';
import { HAVE_ERL, HOST, answers, epmdEnv, freePort, startErlNode, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd, Shell } from '../helpers/dist_nodes.js';
import { names, portPlease, register } from '../../runtime/distribution/epmd_client.js';
import { hostPortMapper } from '../../runtime/distribution/epmd_host.js';
import { terlExtra } from '../../runtime/distribution/epmd_takeover.js';
import { join } from 'node:path';

/** Processes running terl's EPMD daemon for this port (cmdline and environment, from /proc). */
function daemonsFor(port: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('epmd_daemon')) continue;
      if (readFileSync(`/proc/${d}/environ`, 'utf8').split('\0').includes(`ERL_EPMD_PORT=${port}`)) out.push(Number(d));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

const ports: number[] = [];
/** nodes started here rather than by the helpers: killed after each test, even one that timed out */
const ownChildren: ChildProcess[] = [];

/** A port nothing serves yet, remembered so that any daemon left on it is killed afterwards. */
async function emptyPort(env: NodeJS.ProcessEnv = {}): Promise<Epmd> {
  const port = await freePort();
  ports.push(port);
  return { port, env: { ...epmdEnv(port), ...env } };
}

function epmdCli(port: number, arg: string): string {
  const r = spawnSync('epmd', [arg], { encoding: 'utf8', timeout: 10000, env: { ...process.env, ERL_EPMD_PORT: String(port) } });
  return (r.stdout ?? '') + (r.stderr ?? '');
}

async function until(cond: () => boolean | Promise<boolean>, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function nodeNames(port: number): Promise<string[]> {
  return (await names({ port })).nodes.map((n) => n.name).sort();
}

/** The registered names, or none while no port mapper answers (one is being taken over). */
function namesOrNone(port: number): Promise<string[]> {
  return nodeNames(port).catch(() => []);
}

/**
 * `node` leaves (`how`: what is typed at its shell) and the port mapper is taken over by the terl
 * nodes left, not given to a daemon: the names `left` are registered again, and none of `heirs` says
 * it lost its registration.
 */
async function leavesTo(node: Shell, how: string, port: number, left: string[], heirs: Shell[]): Promise<void> {
  node.send(how);
  expect(await node.exited).toBe(0);
  await until(async () => (await namesOrNone(port)).join() === [...left].sort().join());
  expect(daemonsFor(port)).toEqual([]);
  for (const h of heirs) expect(h.out).not.toContain('EPMD closed');
}

/** The last node registered halts: nothing to hand on, the port mapper ends with its process. */
async function leavesLast(node: Shell, port: number): Promise<void> {
  node.send('halt().');
  expect(await node.exited).toBe(0);
  expect(await answers(port)).toBe(false);
  expect(daemonsFor(port)).toEqual([]);
}

afterEach(async () => {
  for (const c of ownChildren.splice(0)) c.kill('SIGKILL');
  await stopAll();
  for (const port of ports.splice(0)) for (const pid of daemonsFor(port)) process.kill(pid, 'SIGKILL');
});
afterAll(stopAll);

const haveEpmdCli = spawnSync('epmd', ['-help'], { stdio: 'ignore' }).error === undefined;

describe("a node serves the port mapper in its own process when none answers", () => {
  test.skipIf(!haveEpmdCli)('`epmd -names` is answered by the node: no port mapper process; it ends with the node', async () => {
    const epmd = await emptyPort();
    const a = `host${uniq()}`;
    const sh = await startTerlNode({ name: a, epmd });
    const listed = epmdCli(epmd.port, '-names');
    expect(listed).toMatch(new RegExp(`^epmd: up and running on port ${epmd.port} with data:\nname ${a} at port \\d+\n$`));
    expect(daemonsFor(epmd.port)).toEqual([]);
    expect(await sh.eval('net_adm:names().')).toMatch(new RegExp(`^\\{ok,\\[\\{"${a}",\\d+\\}\\]\\}$`));
    // only its own node registered: nothing to hand over
    await leavesLast(sh, epmd.port);
  });

  test('only terl nodes left: the host halts and a second terl node takes the port mapper over in its own process, then a third from it', async () => {
    const epmd = await emptyPort();
    const [a, b] = [`first${uniq()}`, `second${uniq()}`];
    const host = await startTerlNode({ name: a, epmd, cookie: 'hostcookie' });
    const second = await startTerlNode({ name: b, epmd, cookie: 'hostcookie' });
    expect(await nodeNames(epmd.port)).toEqual([a, b].sort());
    const before = await portPlease(b, '127.0.0.1', { port: epmd.port });
    const creation = await second.eval('erlang:system_info(creation).');
    expect(creation).toMatch(/^[1-9]\d*$/);

    // the second node registers again, with the port mapper it now serves: no daemon
    await leavesTo(host, 'halt().', epmd.port, [b], [second]);
    expect((await portPlease(b, '127.0.0.1', { port: epmd.port }))?.port).toBe(before!.port);
    expect(await second.eval('erlang:system_info(creation).')).toBe(creation);
    expect(await second.eval('net_adm:names().')).toBe(`{ok,[{"${b}",${before!.port}}]}`);
    if (haveEpmdCli) expect(epmdCli(epmd.port, '-names')).toBe(`epmd: up and running on port ${epmd.port} with data:\nname ${b} at port ${before!.port}\n`);

    // the first node's name is free again: a third node takes it, and finds the second by name
    expect(await portPlease(a, '127.0.0.1', { port: epmd.port })).toBeUndefined();
    const third = await startTerlNode({ name: a, epmd, cookie: 'hostcookie' });
    expect(await third.eval(`net_adm:ping('${b}@${HOST}').`)).toBe('pong');
    expect(await nodeNames(epmd.port)).toEqual([a, b].sort());

    // the second halts in turn: the third serves it, and a fourth takes the second's name (with
    // another creation than the second had) and reaches the third
    const thirdCreation = await third.eval('erlang:system_info(creation).');
    await leavesTo(second, 'halt().', epmd.port, [a], [third]);
    expect(await third.eval('erlang:system_info(creation).')).toBe(thirdCreation);
    const fourth = await startTerlNode({ name: b, epmd, cookie: 'hostcookie' });
    expect(await fourth.eval(`net_adm:ping('${a}@${HOST}').`)).toBe('pong');
    expect(await fourth.eval('erlang:system_info(creation).')).not.toBe(creation);
    expect(await nodeNames(epmd.port)).toEqual([a, b].sort());

    // and so on: the third leaves, the fourth serves
    await leavesTo(third, 'q().', epmd.port, [b], [fourth]);
    // the last one leaves with nothing to hand on: the port mapper ends with it
    await leavesLast(fourth, epmd.port);
  }, 120000);

  test('two terl nodes of other processes told at once: one serves, the other registers with it', async () => {
    const epmd = await emptyPort();
    const [a, b, c] = [`first${uniq()}`, `heir${uniq()}`, `heir${uniq()}`];
    const host = await startTerlNode({ name: a, epmd });
    const [x, y] = [await startTerlNode({ name: b, epmd }), await startTerlNode({ name: c, epmd })];
    await leavesTo(host, 'halt().', epmd.port, [b, c], [x, y]);
    expect(await x.eval(`net_adm:ping('${c}@${HOST}').`)).toBe('pong');
    // whichever serves, the other is still registered once the first halts
    await leavesTo(x, 'halt().', epmd.port, [c], [y]);
    await leavesLast(y, epmd.port);
  }, 90000);

  test('a terl node and a node of another kind registered: the daemon takes over and serves both', async () => {
    const epmd = await emptyPort();
    const [a, b] = [`first${uniq()}`, `second${uniq()}`];
    const host = await startTerlNode({ name: a, epmd, cookie: 'hostcookie' });
    const second = await startTerlNode({ name: b, epmd, cookie: 'hostcookie' });
    // registered as real erl registers: no Extra
    const stranger = await register('stranger', 40003, { port: epmd.port });
    const before = await portPlease(b, '127.0.0.1', { port: epmd.port });

    host.send('halt().');
    expect(await host.exited).toBe(0);
    expect(await nodeNames(epmd.port)).toEqual([b, 'stranger'].sort());
    expect(await portPlease(b, '127.0.0.1', { port: epmd.port })).toEqual(before);
    expect(daemonsFor(epmd.port)).toHaveLength(1);

    // a third node finds the second by name through the daemon
    const third = await startTerlNode({ name: a, epmd, cookie: 'hostcookie' });
    expect(await third.eval(`net_adm:ping('${b}@${HOST}').`)).toBe('pong');
    expect(await nodeNames(epmd.port)).toEqual([a, b, 'stranger'].sort());
    // the second never heard of the hand-over
    expect(second.out).not.toContain('EPMD closed');
    expect(await second.eval('nodes().')).toBe(`[${a}@${HOST}]`);

    // it is a daemon like `epmd -daemon`: it refuses -kill while nodes live, and stops after
    if (haveEpmdCli) expect(epmdCli(epmd.port, '-kill')).toContain('Killing not allowed - living nodes in database.');
    stranger.close();
    await second.stop();
    await third.stop();
    await until(async () => (await nodeNames(epmd.port)).length === 0);
    if (haveEpmdCli) {
      expect(epmdCli(epmd.port, '-kill').trim()).toBe('Killed');
      await until(() => daemonsFor(epmd.port).length === 0);
    }
  }, 90000);

  test.skipIf(!HAVE_ERL)('a real erl node registered with it stays registered when the host quits with q()', async () => {
    const epmd = await emptyPort();
    const [a, b, c] = [`terlhost${uniq()}`, `erlnode${uniq()}`, `erlping${uniq()}`];
    const host = await startTerlNode({ name: a, epmd, cookie: 'erlcookie' });
    const erl = await startErlNode({ name: b, epmd, cookie: 'erlcookie' });
    expect(await nodeNames(epmd.port)).toEqual([a, b].sort());
    // erl looks the terl node up (its PORT2_RESP carries terl's Extra, which erl ignores) and connects
    expect(await erl.eval(`net_adm:ping('${a}@${HOST}').`)).toBe('pong');
    const before = await portPlease(b, '127.0.0.1', { port: epmd.port });

    host.send('q().');
    expect(await host.exited).toBe(0);
    expect(await nodeNames(epmd.port)).toEqual([b]);
    expect(await portPlease(b, '127.0.0.1', { port: epmd.port })).toEqual(before);
    expect(daemonsFor(epmd.port)).toHaveLength(1);
    expect(await erl.eval('net_adm:names().')).toBe(`{ok,[{"${b}",${before!.port}}]}`);
    // another erl finds it by name
    const other = await startErlNode({ name: c, epmd, cookie: 'erlcookie' });
    expect(await other.eval(`net_adm:ping('${b}@${HOST}').`)).toBe('pong');
    // and the daemon answers a later ALIVE2 as the host did: the name b is still taken
    const dup = await startTerlNode({ name: b, epmd, cookie: 'erlcookie' }).catch((e: Error) => e);
    expect(String(dup)).toContain(`the name ${b}@${HOST} seems to be in use by another Erlang node`);
  }, 90000);

  test('init:stop(), SIGTERM, SIGHUP and the BREAK menu\'s abort hand over too; SIGKILL cannot', async () => {
    const ways: Record<string, (host: Shell) => unknown> = {
      'init:stop()': (host) => host.send('init:stop().'),
      SIGTERM: (host) => host.child.kill('SIGTERM'),
      SIGHUP: (host) => host.child.kill('SIGHUP'),
      'BREAK abort': async (host) => {
        host.child.kill('SIGINT');
        await host.waitFor('BREAK: (a)bort');
        host.send('a');
      },
    };
    for (const [way, leave] of Object.entries(ways)) {
      const epmd = await emptyPort();
      const [a, b] = [`way${uniq()}`, `stays${uniq()}`];
      const host = await startTerlNode({ name: a, epmd });
      await startTerlNode({ name: b, epmd });
      await leave(host);
      await host.exited;
      // the second node takes the port mapper over and registers again
      await until(async () => (await namesOrNone(epmd.port)).join() === b).catch(() => undefined);
      expect({ way, names: await namesOrNone(epmd.port), daemons: daemonsFor(epmd.port).length }).toEqual({ way, names: [b], daemons: 0 });
    }
    // SIGKILL: nothing can be handed over; the other nodes lose their registration
    const epmd = await emptyPort();
    const [a, b] = [`killed${uniq()}`, `orphan${uniq()}`];
    const host = await startTerlNode({ name: a, epmd });
    const orphan = await startTerlNode({ name: b, epmd });
    await host.stop(); // SIGKILL
    await orphan.waitFor(`** EPMD closed the registration of ${b}@${HOST} **`);
    expect(await answers(epmd.port)).toBe(false);
    expect(daemonsFor(epmd.port)).toEqual([]);
  }, 90000);

  test('a busy host still answers while its node is inside one long BIF, with another process spinning', async () => {
    const epmd = await emptyPort();
    const a = `busy${uniq()}`;
    // one lists:sort of a million random terms keeps the node's thread for seconds; the node says
    // (by the wall clock this test shares) when it starts and ends. A port mapper served on the
    // node's thread could only answer after the sort: served on the main thread it answers during it
    const busy = [
      'spawn(fun Spin() -> Spin() end)',
      'L = [{rand:uniform(1 bsl 40)} || _ <- lists:seq(1, 1000000)]',
      'io:format("sorting ~p~n", [erlang:system_time(millisecond)])',
      'lists:sort(L)',
      'io:format("sorted ~p~n", [erlang:system_time(millisecond)])',
      'timer:sleep(infinity)',
    ].join(', ');
    const host = spawn(process.execPath, [TERL, '-sname', a, '-noshell', '-eval', busy], { env: { ...process.env, ...epmd.env }, stdio: ['ignore', 'pipe', 'inherit'] });
    ownChildren.push(host);
    let out = '';
    host.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    // ask all along (what the node prints reaches us only once its thread is free again), and keep
    // the times of the answers
    const answers: number[] = [];
    while (!/sorted \d+/.test(out)) {
      const found = await portPlease(a, '127.0.0.1', { port: epmd.port }).catch(() => undefined);
      if (found !== undefined) {
        expect(found).toMatchObject({ name: a });
        answers.push(Date.now());
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await nodeNames(epmd.port)).toEqual([a]);
    const sortingAt = Number(/sorting (\d+)/.exec(out)![1]);
    const sortedAt = Number(/sorted (\d+)/.exec(out)![1]);
    expect(answers.filter((t) => t > sortingAt && t < sortedAt).length).toBeGreaterThan(0);
  }, 120000);

  test('`epmd -kill` stops the node\'s port mapper, and the node goes on', async () => {
    const epmd = await emptyPort({ ERL_EPMD_RELAXED_COMMAND_CHECK: '1' });
    const a = `kill${uniq()}`;
    const sh = await startTerlNode({ name: a, epmd, env: epmd.env });
    const r = spawnSync('epmd', ['-kill'], { encoding: 'utf8', env: { ...process.env, ...epmd.env } });
    if (r.error !== undefined) return; // no epmd client here
    expect(r.stdout.trim()).toBe('Killed');
    await until(async () => !(await answers(epmd.port)));
    // what a terl node says when its registration goes; it is still itself
    await sh.waitFor(`** EPMD closed the registration of ${a}@${HOST} **`);
    expect(await sh.eval('node().')).toMatch(new RegExp(`${a}@${HOST}$`));
    expect(await sh.eval('1 + 1.')).toBe('2');
    expect(daemonsFor(epmd.port)).toEqual([]);
  });

  test('two nodes starting at once on an empty port: one serves, the other uses it', async () => {
    const epmd = await emptyPort();
    const [a, b] = [`twin${uniq()}`, `twin${uniq()}`];
    const [x, y] = await Promise.all([startTerlNode({ name: a, epmd }), startTerlNode({ name: b, epmd })]);
    expect(await nodeNames(epmd.port)).toEqual([a, b].sort());
    expect(await x.eval(`net_adm:ping('${b}@${HOST}').`)).toBe('pong');
    expect(daemonsFor(epmd.port)).toEqual([]);
    await y.stop();
  });
});

describe('HostedPortMapper.leave', () => {
  test("hands over the other processes' registrations, not its own; a daemon that cannot start is no hand-over", async () => {
    const epmd = await emptyPort();
    const hosted = (await hostPortMapper(epmd.env))!;
    const own = await register('mine', 40001, { port: epmd.port });
    const other = await register('theirs', 40002, { port: epmd.port });
    hosted.ownRegistration(own.localPort);
    expect(hosted.othersRegistered()).toBe(true);
    expect(await hosted.leave(join(ROOT, 'no_such_daemon.cjs'))).toBe(false);
    expect(daemonsFor(epmd.port)).toEqual([]);

    expect(await hosted.leave()).toBe(true);
    // the daemon answers now (this process listens no more), and knows only the other registration
    expect(daemonsFor(epmd.port)).toHaveLength(1);
    expect(await nodeNames(epmd.port)).toEqual(['theirs']);
    expect(await portPlease('theirs', '127.0.0.1', { port: epmd.port })).toMatchObject({ name: 'theirs', port: 40002 });
    expect(await portPlease('mine', '127.0.0.1', { port: epmd.port })).toBeUndefined();
    own.close();
    other.close();
    await hosted.server.close();
  });

  test('terl nodes of other processes only: it stops listening and tells them to take over, with the creations it gave; no daemon', async () => {
    const epmd = await emptyPort();
    const hosted = (await hostPortMapper(epmd.env))!;
    const own = await register('mine', 40001, { port: epmd.port, extra: terlExtra() });
    const heir = await register('heir', 40002, { port: epmd.port, extra: terlExtra() });
    hosted.ownRegistration(own.localPort);
    expect(await hosted.leave()).toBe(true);
    expect(await answers(epmd.port)).toBe(false);
    expect(daemonsFor(epmd.port)).toEqual([]);
    // the heir is told and its registration closed; this process's own node hears nothing
    const leaving = await heir.closed;
    expect(leaving).toEqual({ last: [['mine', own.creation], ['heir', heir.creation]] });
    // a port mapper taking over with that table: the heir registering again keeps its creation,
    // and a node taking the other name gets another creation than it had
    const next = (await hostPortMapper(epmd.env, undefined, leaving))!;
    expect(next.server.creations().last).toEqual([['mine', own.creation], ['heir', heir.creation]]);
    const again = await register('heir', 40002, { port: epmd.port, extra: terlExtra(heir.creation) });
    expect(again.creation).toBe(heir.creation);
    own.close();
    await own.closed;
    const newcomer = await register('mine', 40003, { port: epmd.port, extra: terlExtra() });
    expect(newcomer.creation).not.toBe(own.creation);
    expect(await nodeNames(epmd.port)).toEqual(['heir', 'mine']);
    again.close();
    newcomer.close();
    await next.server.close();
    await hosted.server.close();
  });
});
