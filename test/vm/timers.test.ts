// Timers: erlang:send_after/start_timer/cancel_timer/read_timer and module timer. Expected values
// recorded from real Erlang/OTP 25 (no assertion is tighter than "at least N ms").

import { describe, test, expect } from 'vitest';
import '../helpers/library.js';
import { run, call, callError, recv, flush, sleep, spawn, waiter, A, tuple } from './support.js';
import { Fun, Pid, Ref, Term, Tuple, TRUE, FALSE, atom, list } from '../../runtime/vm/term.js';

function funOf(arity: number, body: (...a: Term[]) => Generator<unknown, Term, unknown>): Fun {
  return new Fun(arity, body, { kind: 'local', module: atom('runtime_timers_test'), index: 0, uniq: 0, md5: new Uint8Array(16), free: [] });
}

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

describe('module timer', () => {
  test('sleep, send_after, apply_after, cancel, and their return shapes', async () => {
    // erl: timer:send_after(0, x) -> {ok,{instant,Ref}}; send_after(10, x) -> {ok,{send_local,Ref}};
    //      apply_after -> {ok,{once,Ref}}; cancel(foo) -> {error,badarg}; send_after(-1, x) -> {error,badarg}
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const a = (yield* call('timer:send_after', 0, A('x0'))) as Tuple;
      const b = (yield* call('timer:send_after', 10, A('x1'))) as Tuple;
      const c = (yield* call('timer:apply_after', 10, A('erlang'), A('send'), list([me, A('applied')]))) as Tuple;
      yield* call('timer:sleep', 40);
      const msgs = yield* flush();
      const cancelled = yield* call('timer:cancel', ((yield* call('timer:send_after', 1000, A('never'))) as Tuple).elements[1]);
      return tuple(
        (a.elements[1] as Tuple).elements[0],
        (b.elements[1] as Tuple).elements[0],
        (c.elements[1] as Tuple).elements[0],
        list(msgs),
        cancelled,
        yield* call('timer:cancel', A('foo')),
        yield* call('timer:send_after', -1, A('x')),
      );
    });
    expect(r.elements).toEqual([
      A('instant'),
      A('send_local'),
      A('once'),
      list([A('x0'), A('x1'), A('applied')]),
      tuple(A('ok'), A('cancel')),
      tuple(A('error'), A('badarg')),
      tuple(A('error'), A('badarg')),
    ]);
  });

  test('sleep keeps messages; infinity parks the process (status waiting)', async () => {
    // erl: {status,waiting}
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      yield* call('send', me, A('kept'));
      yield* call('timer:sleep', 5);
      const p = spawn(function* () {
        return yield* call('timer:sleep', A('infinity'));
      });
      yield* sleep(5);
      const st = yield* call('process_info', p, A('status'));
      yield* call('exit', p, A('kill'));
      return tuple(...(yield* flush()), st);
    });
    expect(r.elements).toEqual([A('kept'), tuple(A('status'), A('waiting'))]);
  });

  test('sleep with a bad time is error timeout_value', async () => {
    const r = await run(function* () {
      return (yield* callError('timer:sleep', A('foo'))).reason;
    });
    expect(r).toBe(A('timeout_value'));
  });

  test('send_interval repeats until cancelled', async () => {
    // erl: {true,true} for 4..6 ticks in 55 ms at 10 ms
    const r = await run(function* () {
      const t = (yield* call('timer:send_interval', 10, A('tick'))) as Tuple;
      yield* sleep(55);
      yield* call('timer:cancel', t.elements[1]);
      const n = (yield* flush(30)).length;
      return A(String(n >= 3 && n <= 7));
    });
    expect(r).toBe(A('true'));
  });

  test('kill_after and exit_after', async () => {
    // erl: kill_after(10, P) -> is_process_alive(P) false; exit_after(10, self(), bye) trapped -> {'EXIT', TimerServer, bye}
    const r = await run(function* () {
      const p = spawn(waiter);
      yield* call('timer:kill_after', 10, p);
      yield* call('process_flag', A('trap_exit'), TRUE);
      yield* call('timer:exit_after', 10, (yield* call('self')) as Pid, A('bye'));
      yield* sleep(40);
      const m = (yield* recv(500)) as Tuple;
      return tuple(yield* call('is_process_alive', p), m.elements[0], m.elements[2]);
    });
    expect(r.elements).toEqual([FALSE, A('EXIT'), A('bye')]);
  });

  test('tc/1,2,3 and the unit helpers', async () => {
    // erl: timer_tc3: {true,[1,2,3]}; tc2: {true,42}; {2000,60000,3600000,3723000}; now_diff 1000001000002
    const r = await run(function* () {
      const t1 = (yield* call('timer:tc', funOf(0, function* () {
        return 42;
      }))) as Tuple;
      const t2 = (yield* call('timer:tc', funOf(1, function* (x) {
        return (x as number) * 2;
      }), list([21]))) as Tuple;
      const t3 = (yield* call('timer:tc', A('erlang'), A('tuple_size'), list([tuple(1, 2, 3)]))) as Tuple;
      return tuple(
        t1.elements[1],
        t2.elements[1],
        t3.elements[1],
        typeof t1.elements[0] === 'number' ? TRUE : FALSE,
        yield* call('timer:seconds', 2),
        yield* call('timer:minutes', 1),
        yield* call('timer:hours', 1),
        yield* call('timer:hms', 1, 2, 3),
        yield* call('timer:now_diff', tuple(1, 2, 3), tuple(0, 1, 1)),
      );
    });
    expect(r.elements).toEqual([42, 42, 3, TRUE, 2000, 60000, 3600000, 3723000, 1000001000002]);
  });
});

describe('timer at time 0 acts in the caller', () => {
  test('send_after(0, Name, _) raises for an unknown name; exit_after(0, ...) comes from the caller', async () => {
    // erl: timer:send_after(0, nosuchname, hi) -> badarg in erlang:send/2;
    //      exit_after(0, self(), bye) while trapping -> {'EXIT', Self, bye}
    const r = await run(function* () {
      const e = yield* callError('timer:send_after', 0, A('timer_test_nosuch'), A('hi'));
      yield* call('process_flag', A('trap_exit'), TRUE);
      const me = (yield* call('self')) as Pid;
      yield* call('timer:exit_after', 0, me, A('bye'));
      const m = (yield* recv()) as Tuple;
      return tuple(e.reason, m.elements[1] === me ? TRUE : FALSE, m.elements[2]);
    });
    expect(r.elements).toEqual([A('badarg'), TRUE, A('bye')]);
  });
});
