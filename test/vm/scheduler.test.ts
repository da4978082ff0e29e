// The scheduler: many processes and messages, fairness under spinning processes, the event loop
// kept alive, bounded memory for a long-running server, promises, and the interrupt flag.
// No speed assertions: the bounds are generous liveness checks (benchmarks live in bench/).

import { describe, test, expect } from 'vitest';
import { getHeapStatistics } from 'node:v8';
import { run, call, recv, spawn, A, tuple } from './support.js';
import { S, SLICE_REDS, awaitPromise, bumpReductions, setInterrupt, setInterruptHandler } from '../../runtime/vm/scheduler.js';
import { PREEMPT, wait } from '../../runtime/vm/abi.js';
import { node, send } from '../../runtime/vm/node.js';
import { Pid, Term, Tuple, atom } from '../../runtime/vm/term.js';
import type { Process } from '../../runtime/vm/process.js';

const FOREVER = wait(Infinity);

/** receive anything, compiled-code style */
function* next(): Generator<unknown, Term, unknown> {
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

/** loop() -> loop(). as compiled code: a reduction per turn, nothing else */
function* spin(counter: { n: number }): Generator<unknown, Term, unknown> {
  for (;;) {
    if (--S.reds <= 0) yield PREEMPT;
    counter.n++;
  }
}

describe('many processes, many messages', () => {
  test('a ring of 1000 processes passes a token 1000 laps', async () => {
    const r = await run(function* () {
      const me = S.current.pid;
      let next_: Pid = me;
      for (let i = 1; i < 1000; i++) {
        const to = next_;
        next_ = node.spawn(function* () {
          for (;;) {
            if (--S.reds <= 0) yield PREEMPT;
            const k = (yield* next()) as number;
            send(to, k === 0 ? 0 : k - 1);
            if (k === 0) return atom('ok');
          }
        }, []).pid;
      }
      send(next_, 1000 * 1000);
      let hops = 0;
      for (;;) {
        const k = (yield* next()) as number;
        hops++;
        if (k === 0) break;
        send(next_, k - 1);
      }
      return hops;
    });
    // the count drops by one a hop: the leader sees it once a lap (1000 laps), then the final 0
    // that every relay passes on before it ends
    expect(r).toBe(1001);
  });

  test('100,000 processes spawned, each answers', async () => {
    const before = node.processCount();
    const r = await run(function* () {
      const me = S.current.pid;
      const pids: Pid[] = [];
      for (let i = 0; i < 100000; i++) {
        if (--S.reds <= 0) yield PREEMPT;
        pids.push(
          node.spawn(function* () {
            const m = (yield* next()) as Tuple;
            send(m.elements[1], tuple(atom('pong'), S.current.pid));
            return atom('ok');
          }, []).pid,
        );
      }
      for (const p of pids) send(p, tuple(atom('ping'), me));
      const seen = new Set<number>();
      for (let i = 0; i < 100000; i++) seen.add(((yield* next()) as Tuple).elements[1] instanceof Pid ? i : -1);
      return seen.size;
    });
    expect(r).toBe(100000);
    expect(node.processCount()).toBeLessThanOrEqual(before);
  });

  test('a server handles 1,000,000 requests with bounded heap growth', async () => {
    const baseline = getHeapStatistics().used_heap_size;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, getHeapStatistics().used_heap_size);
    }, 5);
    const r = await run(function* () {
      const me = S.current.pid;
      const server = node.spawn(function* () {
        let state = 0;
        for (;;) {
          if (--S.reds <= 0) yield PREEMPT;
          const m = (yield* next()) as Tuple;
          if (m.elements[0] === atom('stop')) return state;
          state += m.elements[1] as number;
          send(m.elements[0], state);
        }
      }, []).pid;
      let last: Term = 0;
      for (let i = 0; i < 1000000; i++) {
        if (--S.reds <= 0) yield PREEMPT;
        send(server, tuple(me, 1));
        last = yield* next();
      }
      send(server, tuple(atom('stop')));
      return last;
    });
    clearInterval(sampler);
    expect(r).toBe(1000000);
    // young-generation garbage comes and goes; what must not happen is growth with the message count
    expect(peak - baseline).toBeLessThan(50 * 1024 * 1024);
  });
});

describe('fairness', () => {
  test('two spinning processes do not starve a third that answers', async () => {
    const c1 = { n: 0 };
    const c2 = { n: 0 };
    const s1 = node.spawn(() => spin(c1), []);
    const s2 = node.spawn(() => spin(c2), []);
    const t0 = Date.now();
    const answer = await run(function* () {
      const me = S.current.pid;
      const echo = node.spawn(function* () {
        const m = (yield* next()) as Tuple;
        send(m.elements[0], m.elements[1]);
        return atom('ok');
      }, []).pid;
      send(echo, tuple(me, atom('hello')));
      return yield* next();
    });
    const elapsed = Date.now() - t0;
    yield_kill(s1);
    yield_kill(s2);
    expect(answer).toBe(atom('hello'));
    expect(elapsed).toBeLessThan(1000);
    // both spinners got to run, about evenly (generous bounds)
    const total = c1.n + c2.n;
    expect(c1.n).toBeGreaterThan(total / 5);
    expect(c2.n).toBeGreaterThan(total / 5);
  });

  test('the event loop keeps turning while processes spin', async () => {
    const c = { n: 0 };
    const s1 = node.spawn(() => spin(c), []);
    const s2 = node.spawn(() => spin(c), []);
    const t0 = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waited = Date.now() - t0;
    yield_kill(s1);
    yield_kill(s2);
    expect(waited).toBeLessThan(1000);
    expect(c.n).toBeGreaterThan(0);
  });

  test('processes that preempt go to the back of the queue in turn', async () => {
    const order: string[] = [];
    await run(function* () {
      const me = S.current.pid;
      for (const name of ['a', 'b', 'c']) {
        node.spawn(function* () {
          for (let i = 0; i < 3; i++) {
            order.push(name);
            yield PREEMPT;
          }
          send(me, atom('done'));
          return atom('ok');
        }, []);
      }
      for (let i = 0; i < 3; i++) yield* next();
      return atom('ok');
    });
    expect(order.join('')).toBe('abcabcabc');
  });

  test('a slice that ran past its budget by whole slices (a long BIF) lets the others have as many turns first', async () => {
    const order: string[] = [];
    await run(function* () {
      const me = S.current.pid;
      node.spawn(function* () {
        for (let i = 0; i < 2; i++) {
          order.push('A');
          // five slices' work done at once, as lists:sort of a long list charges
          bumpReductions(5 * SLICE_REDS);
          yield PREEMPT;
        }
        send(me, atom('done'));
        return atom('ok');
      }, []);
      node.spawn(function* () {
        for (let i = 0; i < 12; i++) {
          order.push('b');
          yield PREEMPT;
        }
        send(me, atom('done'));
        return atom('ok');
      }, []);
      for (let i = 0; i < 2; i++) yield* next();
      return atom('ok');
    });
    // A's overrun of four slices: b runs five turns (one its own, four A's) before A's next
    expect(order.join('')).toBe('AbbbbbAbbbbbbb');
  });
});

function yield_kill(p: Process): void {
  run(function* () {
    yield* call('exit', p.pid, atom('kill'));
    return atom('ok');
  });
}

describe('promises and interrupts', () => {
  test('a process awaiting a promise parks; others run; it resumes with the value or the error', async () => {
    let resolveIt: (v: Term) => void = () => {};
    const p = new Promise<Term>((r) => (resolveIt = r));
    const r = await run(function* () {
      const me = S.current.pid;
      node.spawn(function* () {
        const v = yield* awaitPromise(p);
        send(me, tuple(atom('resolved'), v));
        try {
          yield* awaitPromise(Promise.reject(new Error('nope')));
        } catch (e) {
          send(me, atom((e as Error).message));
        }
        return atom('ok');
      }, []);
      // a message to the awaiting process does not wake it
      yield* recv(10);
      resolveIt(42);
      const a = yield* next();
      const b = yield* next();
      return tuple(a, b);
    });
    expect(r.elements).toEqual([tuple(atom('resolved'), 42), atom('nope')]);
  });

  test('the interrupt flag is polled between slices and calls the handler once', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    let calls = 0;
    setInterrupt(flag, 0, () => calls++);
    const c = { n: 0 };
    const s = node.spawn(() => spin(c), []);
    Atomics.store(flag, 0, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    yield_kill(s);
    setInterruptHandler(() => {});
    expect(calls).toBe(1);
    expect(Atomics.load(flag, 0)).toBe(0);
  });
});
