// Issue 19, break 7: lib_chan and the distribution listener against strangers. 100 silent sockets
// (lib_chan's per-port limit) once locked every client out for up to 10 s a round, and passwords
// could be guessed a thousand a second, each failure logged. Now the oldest silent stranger makes
// room for a new connection, an address that keeps failing waits longer for each answer, and a
// burst of failures is logged once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { FailureThrottle } from '../../runtime/vm/strangers.js';
import { handshakeWeStarted } from '../../runtime/distribution/handshake.js';
import { TERL_HIDDEN_FLAGS } from '../../runtime/distribution/flags.js';
import { runTerl, startTerl } from '../helpers/terl.js';
import { startLibChanServer } from '../helpers/lib_chan_server.js';
import { HOST, startEpmd, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd, Shell } from '../helpers/dist_nodes.js';
import { distPort, openTcp } from './dist_raw.js';

afterAll(stopAll);

describe('the throttle', () => {
  it('answers the first failures at once, then each later one after longer, up to its most', () => {
    const starts: string[] = [];
    const ends: [string, number][] = [];
    const t = new FailureThrottle({
      free: 3,
      baseMs: 100,
      maxMs: 1000,
      quietMs: 60_000,
      onBurstStart: (a) => starts.push(a),
      onBurstEnd: (a, n) => ends.push([a, n]),
    });
    for (let i = 0; i < 3; i++) {
      expect(t.delayFor('10.0.0.1')).toBe(0);
      t.failed('10.0.0.1');
    }
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      waits.push(t.delayFor('10.0.0.1'));
      t.failed('10.0.0.1');
    }
    expect(waits).toEqual([100, 200, 400, 800, 1000, 1000]);
    // another address is not slowed
    expect(t.delayFor('10.0.0.2')).toBe(0);
    // one burst: announced once
    expect(starts).toEqual(['10.0.0.1']);
    expect(ends).toEqual([]);
  });
});

function closedCount(sockets: Socket[]): number {
  return sockets.filter((s) => s.destroyed || s.readyState === 'closed').length;
}

describe('a lib_chan server', () => {
  let port: number;
  let server: ReturnType<typeof startTerl>;

  beforeAll(async () => {
    ({ port, server } = await startLibChanServer());
  }, 30000);
  afterAll(() => server?.stop());

  it('150 silent sockets: the client with the password still gets in, the oldest silent ones are closed', async () => {
    const idle: Socket[] = [];
    for (let i = 0; i < 150; i++) {
      const s = await openTcp(port);
      s.on('close', () => s.destroy());
      idle.push(s);
    }
    const r = await runTerl(
      [],
      [`{ok, Pid} = lib_chan:connect("localhost", ${port}, nameServer, "ABXy45", "").`, 'lib_chan:rpc(Pid, {lookup, nobody}).'].join('\n') + '\n',
      { timeoutMs: 30000 },
    );
    expect(r.stdout).toMatch(/1> \{ok,<0\.\d+\.0>\}\n2> undefined\n/);
    expect(closedCount(idle)).toBeGreaterThanOrEqual(50);
    for (const s of idle) s.destroy();
  }, 60000);

  it('wrong passwords: logged once for the burst, and the right one still works', async () => {
    const before = server.output().length;
    const wrong = Array.from({ length: 8 }, (_, i) => `lib_chan:connect("localhost", ${port}, nameServer, "guess${i}", "").`);
    const r = await runTerl([], [...wrong, `element(1, lib_chan:connect("localhost", ${port}, nameServer, "ABXy45", "")).`].join('\n') + '\n', {
      timeoutMs: 60000,
    });
    expect(r.stdout.match(/\{error,authFail\}/g)).toHaveLength(8);
    expect(r.stdout).toContain('9> ok\n');
    const log = server.output().slice(before);
    expect(log.match(/wrong password from 127\.0\.0\.1/g)).toHaveLength(1);
  }, 90000);
});

describe('a distribution listener', () => {
  let epmd: Epmd;
  let target: Shell;
  let friend: Shell;
  const T = `guarded${uniq()}`;
  const TN = `${T}@${HOST}`;

  beforeAll(async () => {
    epmd = await startEpmd('terl');
    [target, friend] = await Promise.all([
      startTerlNode({ name: T, cookie: 'right', epmd }),
      startTerlNode({ name: `friend${uniq()}`, cookie: 'right', epmd }),
    ]);
  });

  it('150 silent sockets: a node with the cookie still connects, the oldest silent ones are closed', async () => {
    const port = await distPort(epmd, T);
    const idle: Socket[] = [];
    for (let i = 0; i < 150; i++) idle.push(await openTcp(port));
    expect(await friend.eval(`net_adm:ping(${TN}).`)).toBe('pong');
    expect(closedCount(idle)).toBeGreaterThanOrEqual(50);
    for (const s of idle) s.destroy();
  });

  it('wrong cookies from one address: the first three reported as erl does, not every one of a burst', async () => {
    const port = await distPort(epmd, T);
    const before = target.out.length;
    for (let i = 0; i < 8; i++) {
      const socket = await openTcp(port);
      const r = await handshakeWeStarted({
        socket,
        thisNode: `guesser${i}@${HOST}`,
        otherNode: TN,
        thisFlags: TERL_HIDDEN_FLAGS,
        creation: 1,
        cookie: `wrong${i}`,
        setupTimeMs: 10000,
      });
      expect(r.ok).toBe(false);
      socket.destroy();
    }
    expect(await friend.eval(`rpc:call(${TN}, erlang, node, []).`)).toBe(TN);
    const log = target.out.slice(before);
    expect(log.match(/rejected\. Invalid challenge reply\./g)).toHaveLength(3);
    expect(log).toContain(`** Connection attempt from node guesser0@${HOST} rejected. Invalid challenge reply. **`);
  }, 60000);
});
