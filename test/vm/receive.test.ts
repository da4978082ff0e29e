// Selective receive: message order, the save position (no rescans), after timeouts, and the
// Mailbox contract of runtime/vm/abi.ts used directly.

import { describe, test, expect } from 'vitest';
import { run, call, flush, spawn, sleep, A, tuple } from './support.js';
import { receive } from '../../runtime/vm/receive.js';
import { MessageQueue } from '../../runtime/vm/mailbox.js';
import { S } from '../../runtime/vm/scheduler.js';
import { wait } from '../../runtime/vm/abi.js';
import { Pid, Term, Tuple } from '../../runtime/vm/term.js';

describe('selective receive', () => {
  test('takes the first matching message and leaves the others in order', async () => {
    // erl: self() ! one, self() ! two, self() ! three, receive two, then any: {two,one,[three]}
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      for (const m of ['one', 'two', 'three']) yield* call('send', me, A(m));
      const a = yield* receive((m) => (m === A('two') ? m : undefined));
      const b = yield* receive((m) => m);
      return tuple(a!, b!, ...(yield* flush()));
    });
    expect(r.elements).toEqual([A('two'), A('one'), A('three')]);
  });

  test('after 0 looks without waiting; a timeout leaves the mailbox as it was', async () => {
    // erl: {timeout,a}
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      yield* call('send', me, A('a'));
      const r1 = (yield* receive((m) => (m === A('b') ? m : undefined), 0)) ?? A('timeout');
      const r2 = (yield* receive((m) => (m === A('a') ? m : undefined), 0)) ?? A('none');
      return tuple(r1, r2);
    });
    expect(r.elements).toEqual([A('timeout'), A('a')]);
  });

  test('after N waits at least N milliseconds', async () => {
    const r = await run(function* () {
      const t0 = performance.now();
      yield* receive(() => undefined, 50);
      return A(String(performance.now() - t0 >= 50));
    });
    expect(r).toBe(A('true'));
  });

  test('a message that arrives later is the only one looked at again', async () => {
    // 1000 messages that do not match, then the one that does: each is examined once
    const examined = new Map<Term, number>();
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const feeder = spawn(function* () {
        for (let i = 0; i < 1000; i++) {
          yield* call('send', me, i);
          if (i % 10 === 0) yield* sleep(0);
        }
        yield* call('send', me, A('wanted'));
        return A('ok');
      });
      void feeder;
      const got = yield* receive((m) => {
        examined.set(m, (examined.get(m) ?? 0) + 1);
        return m === A('wanted') ? m : undefined;
      });
      const rest = yield* flush(0);
      return tuple(got!, A(String(rest.length)));
    });
    expect(r.elements).toEqual([A('wanted'), A('1000')]);
    expect(Math.max(...examined.values())).toBe(1);
    expect(examined.size).toBe(1001);
  });

  test('selective receive of the last of 200,000 queued messages, then the rest in order', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      for (let i = 0; i < 200000; i++) yield* call('send', me, i);
      yield* call('send', me, A('last'));
      const got = yield* receive((m) => (m === A('last') ? m : undefined));
      let expectNext = 0;
      let inOrder = true;
      for (;;) {
        const m = yield* receive((x) => x, 0);
        if (m === undefined) break;
        if (m !== expectNext++) inOrder = false;
      }
      return tuple(got!, A(String(inOrder && expectNext === 200000)));
    });
    expect(r.elements).toEqual([A('last'), A('true')]);
  });
});

describe('the Mailbox of runtime/vm/abi.ts', () => {
  test('next/take/rewind', () => {
    const q = new MessageQueue();
    for (const m of [1, 2, 3, 4]) q.push(m);
    expect(q.next()).toBe(1);
    expect(q.next()).toBe(2);
    q.take(); // takes 2, back to the start
    expect(q.length).toBe(3);
    expect(q.next()).toBe(1);
    expect(q.next()).toBe(3);
    expect(q.next()).toBe(4);
    expect(q.next()).toBeUndefined();
    q.push(5);
    expect(q.next()).toBe(5); // the save position stayed at the end
    q.rewind();
    expect(q.next()).toBe(1);
    q.take();
    expect(q.toArray()).toEqual([3, 4, 5]);
  });

  test('a long-lived queue taken from the front and the middle stays compact and ordered', () => {
    const q = new MessageQueue();
    let next = 0;
    let expected: number[] = [];
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 500; i++) {
        q.push(next);
        expected.push(next++);
      }
      // take every third message by selective receive, then the first
      const drop = new Set<number>();
      q.rewind();
      for (let m = q.next(); m !== undefined; ) {
        if ((m as number) % 3 === 0) {
          drop.add(m as number);
          q.take();
        }
        m = q.next();
      }
      expected = expected.filter((x) => !drop.has(x));
      q.rewind();
      q.next();
      q.take();
      expected.shift();
      expect(q.length).toBe(expected.length);
    }
    expect(q.toArray()).toEqual(expected);
  });

  test('compiled-style receive loop against S.current.mailbox', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      spawn(function* () {
        yield* call('send', me, tuple(A('other'), 1));
        yield* call('send', me, tuple(A('reply'), 42));
        return A('ok');
      });
      const mb = S.current.mailbox;
      let result: Term = A('none');
      recv: for (;;) {
        let m: Term | undefined;
        while ((m = mb.next()) !== undefined) {
          if (m instanceof Tuple && m.elements[0] === A('reply')) {
            mb.take();
            result = m.elements[1];
            break recv;
          }
        }
        if (!(yield wait(performance.now() + 1000))) {
          mb.rewind();
          break;
        }
      }
      return tuple(result, A(String(mb.length)));
    });
    expect(r.elements).toEqual([42, A('1')]);
  });
});

