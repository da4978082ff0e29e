// Timers: erlang:send_after/start_timer/cancel_timer/read_timer (module timer is Erlang, tested by
// transcripts in test/lib/stdlib/timer*.in). Expected values recorded from real Erlang/OTP 25 (no
// assertion is tighter than "at least N ms").

import { describe, test, expect } from 'vitest';
import '../helpers/library.js';
import { run, call, callError, recv, flush, sleep, spawn, waiter, A, tuple } from './support.js';
import { Pid, Ref, Tuple, TRUE, FALSE, list } from '../../runtime/vm/term.js';

describe('erlang timers', () => {
  test('send_after delivers in deadline order (ties in start order)', async () => {
    // erl: [a,b,b2,c]
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      // deadlines 100 ms apart: a thread descheduled between two calls on a busy machine keeps the order
      yield* call('send_after', 300, me, A('c'));
      yield* call('send_after', 100, me, A('a'));
      yield* call('send_after', 200, me, A('b'));
      yield* call('send_after', 200, me, A('b2'));
      yield* sleep(500);
      return list(yield* flush());
    });
    expect(r).toEqual(list([A('a'), A('b'), A('b2'), A('c')]));
  });

  test('cancel_timer returns the time left, then false; read_timer false after cancel', async () => {
    // erl: {true,true,false,false}
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const t = (yield* call('send_after', 1000, me, A('x'))) as Ref;
      const left = (yield* call('cancel_timer', t)) as number;
      return tuple(typeof left === 'number' ? TRUE : FALSE, left > 900 ? TRUE : FALSE, yield* call('cancel_timer', t), yield* call('read_timer', t));
    });
    expect(r.elements).toEqual([TRUE, TRUE, FALSE, FALSE]);
  });

  test('start_timer sends {timeout, Ref, Msg}', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const t = yield* call('start_timer', 10, me, A('x'));
      const m = (yield* recv()) as Tuple;
      return tuple(m.elements[0], m.elements[1] === t ? TRUE : FALSE, m.elements[2]);
    });
    expect(r.elements).toEqual([A('timeout'), TRUE, A('x')]);
  });

  test('a name is looked up when the timer fires', async () => {
    // erl: send_after(20, latename, hi), then register(latename, self()) -> got
    const r = await run(function* () {
      yield* call('send_after', 20, A('timer_test_late'), A('hi'));
      yield* call('register', A('timer_test_late'), (yield* call('self')) as Pid);
      const m = yield* recv(500);
      yield* call('unregister', A('timer_test_late'));
      return m ?? A('none');
    });
    expect(r).toBe(A('hi'));
  });

  test('a timer for a dead process is cancelled at once', async () => {
    // erl: {true,false}
    const r = await run(function* () {
      const d = spawn(function* () {
        return A('ok');
      });
      yield* sleep(5);
      const t = yield* call('send_after', 10, d, A('x'));
      return tuple(t instanceof Ref ? TRUE : FALSE, yield* call('read_timer', t));
    });
    expect(r.elements).toEqual([TRUE, FALSE]);
  });

  test('async and info options', async () => {
    // erl: read_timer(T, [{async, true}]) -> ok, then {read_timer, T, Ms};
    //      cancel_timer(T, [{info, false}]) -> ok and no message
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const t = yield* call('send_after', 500, me, A('x'));
      const a = yield* call('read_timer', t, list([tuple(A('async'), TRUE)]));
      const m = (yield* recv()) as Tuple;
      const c = yield* call('cancel_timer', t, list([tuple(A('info'), FALSE)]));
      return tuple(a, m.elements[0], m.elements[1] === t ? TRUE : FALSE, c, ...(yield* flush()));
    });
    expect(r.elements).toEqual([A('ok'), A('read_timer'), TRUE, A('ok')]);
  });

  test('{abs, true} takes a monotonic time', async () => {
    // erl: true
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const now = (yield* call('monotonic_time', A('millisecond'))) as number;
      yield* call('send_after', now + 20, me, A('abs_msg'), list([tuple(A('abs'), TRUE)]));
      const m = yield* recv(1000);
      const later = (yield* call('monotonic_time', A('millisecond'))) as number;
      return tuple(m ?? A('none'), later - now >= 20 ? TRUE : FALSE);
    });
    expect(r.elements).toEqual([A('abs_msg'), TRUE]);
  });

  test('bad arguments', async () => {
    // erl: send_after(-1,...) out of range; send_after(foo,...) not an integer; (10, 1, x) not a pid or an atom
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const es = [
        yield* callError('send_after', -1, me, A('x')),
        yield* callError('send_after', A('foo'), me, A('x')),
        yield* callError('send_after', 10, 1, A('x')),
        yield* callError('cancel_timer', A('foo')),
        yield* callError('read_timer', A('foo')),
      ];
      return list(es.map((e) => e.reason));
    });
    expect(r).toEqual(list([A('badarg'), A('badarg'), A('badarg'), A('badarg'), A('badarg')]));
  });
});
