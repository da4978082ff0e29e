// Scheduler workloads written directly as TypeScript processes (no compiler involved), so the
// runtime's own cost shows: ring message passing, spawning 100k processes, request/reply.
// Run with `node bench/runtime_procs.mjs` (bundles this file, runs it and the same workloads on
// real erl). Prints `name <best microseconds of 3 runs>` lines.

import { PREEMPT, wait } from '../runtime/vm/abi.js';
import { S } from '../runtime/vm/scheduler.js';
import { node, send } from '../runtime/vm/node.js';
import '../runtime/lib/index.js';
import { Pid, Term, Tuple, atom, tuple } from '../runtime/vm/term.js';

const FOREVER = wait(Infinity);
const PING = atom('ping');
const PONG = atom('pong');

/** receive any message */
function* recvAny(): Generator<unknown, Term, unknown> {
  const mb = S.current.mailbox;
  for (;;) {
    const m = mb.next();
    if (m !== undefined) {
      mb.take();
      return m;
    }
    yield FOREVER;
  }
}

function* relay(next: Term): Generator<unknown, Term, unknown> {
  for (;;) {
    if (--S.reds <= 0) yield PREEMPT;
    const k = (yield* recvAny()) as number;
    if (k === 0) {
      send(next, 0);
      return atom('ok');
    }
    send(next, k - 1);
  }
}

function ring(n: number, laps: number): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    node.spawn(function* () {
      const self = S.current.pid;
      let next: Pid = self;
      for (let i = 1; i < n; i++) {
        if (--S.reds <= 0) yield PREEMPT;
        next = node.spawn(relay, [next]).pid;
      }
      send(next, n * laps);
      for (;;) {
        const k = (yield* recvAny()) as number;
        if (k === 0) break;
        send(next, k - 1);
      }
      resolve(performance.now() - t0);
      return atom('ok');
    }, []);
  });
}

function* answerPing(): Generator<unknown, Term, unknown> {
  const m = (yield* recvAny()) as Tuple;
  send(m.elements[1], PONG);
  return atom('ok');
}

function spawnMany(n: number): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    node.spawn(function* () {
      const self = S.current.pid;
      const pids: Pid[] = [];
      for (let i = 0; i < n; i++) {
        if (--S.reds <= 0) yield PREEMPT;
        pids.push(node.spawn(answerPing, []).pid);
      }
      for (const p of pids) send(p, tuple(PING, self));
      for (let i = 0; i < n; i++) yield* recvAny();
      resolve(performance.now() - t0);
      return atom('ok');
    }, []);
  });
}

function requestReply(n: number): Promise<number> {
  return new Promise((resolve) => {
    const server = node.spawn(function* () {
      for (;;) {
        if (--S.reds <= 0) yield PREEMPT;
        const m = (yield* recvAny()) as Tuple;
        if (!(m instanceof Tuple)) return atom('ok');
        send(m.elements[0], m.elements[1]);
      }
    }, []).pid;
    const t0 = performance.now();
    node.spawn(function* () {
      const self = S.current.pid;
      for (let i = 0; i < n; i++) {
        if (--S.reds <= 0) yield PREEMPT;
        send(server, tuple(self, i));
        yield* recvAny();
      }
      send(server, atom('stop'));
      resolve(performance.now() - t0);
      return atom('ok');
    }, []);
  });
}

const only = process.argv.slice(2);
const runs: [string, () => Promise<number>][] = [
  ['ring_1000x1000', () => ring(1000, 1000)],
  ['ring_100000x10', () => ring(100000, 10)],
  ['spawn_100k', () => spawnMany(100000)],
  ['request_reply_1M', () => requestReply(1000000)],
];
const cpuMode = process.env.TERL_BENCH_CPU === '1';
for (const [name, run] of runs) {
  if (only.length && !only.includes(name)) continue;
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    // TERL_BENCH_CPU=1: CPU time of this process instead of wall time (steadier on a busy machine)
    const c0 = process.cpuUsage();
    const wall = await run();
    const c = process.cpuUsage(c0);
    times.push(cpuMode ? (c.user + c.system) / 1000 : wall);
  }
  console.log(`${name} ${Math.round(Math.min(...times) * 1000)}`);
}
