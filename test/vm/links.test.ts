// Links and exit signals, scenario by scenario. Each expected outcome was recorded by running the
// same scenario in real Erlang/OTP 25 (erl -noshell, a module with one fun per case).

import { describe, test, expect } from 'vitest';
import { run, call, callError, recv, flush, sleep, spawn, waiter, isTagged, A, tuple } from './support.js';
import { receive } from '../../runtime/vm/receive.js';
import { node } from '../../runtime/vm/node.js';
import { erlError, erlExit, erlThrow } from '../../runtime/vm/exception.js';
import { Pid, Term, Tuple, TRUE, FALSE, atom, list, listToArray } from '../../runtime/vm/term.js';

const dead = function* () {
  const p = spawn(function* () {
    return A('ok');
  });
  yield* sleep(5);
  return p;
};

function reasonOf(t: Term | undefined): Term {
  expect(t).toBeInstanceOf(Tuple);
  return (t as Tuple).elements[(t as Tuple).elements.length - 1];
}

describe('link/1', () => {
  test('to a dead process without trapping exits: error noproc, catchable, no message', async () => {
    // erl: {{'EXIT',{noproc,[{erlang,link,[<0.80.0>],...}|_]}}, []}
    const r = await run(function* () {
      const d = yield* dead();
      const e = yield* callError('link', d);
      const frame = (listToArray(e.stack) ?? [])[0] as Tuple;
      return tuple(e.cls, e.reason, frame.elements[0], frame.elements[1], A(String((yield* flush()).length)));
    });
    expect(r.elements).toEqual([A('error'), A('noproc'), A('erlang'), A('link'), A('0')]);
  });

  test('to a dead process while trapping exits: true and {EXIT, Pid, noproc}', async () => {
    // erl: {true,[{'EXIT',<0.82.0>,noproc}]}
    const r = await run(function* () {
      yield* call('process_flag', A('trap_exit'), TRUE);
      const d = yield* dead();
      const ok = yield* call('link', d);
      const msgs = yield* flush();
      return tuple(ok, ...msgs, d);
    });
    const [ok, msg, d] = r.elements;
    expect(ok).toBe(TRUE);
    expect(msg).toEqual(tuple(A('EXIT'), d, A('noproc')));
  });

  test('to itself is true; to a non-pid is badarg', async () => {
    const r = await run(function* () {
      const t = yield* call('link', (yield* call('self')) as Pid);
      const e = yield* callError('link', A('foo'));
      return tuple(t, e.reason);
    });
    expect(r.elements).toEqual([TRUE, A('badarg')]);
  });

  test('unlink of a dead process is true', async () => {
    const r = await run(function* () {
      return yield* call('unlink', yield* dead());
    });
    expect(r).toBe(TRUE);
  });

  test('links go both ways and show in process_info', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const p = spawn(waiter);
      yield* call('link', p);
      const mine = yield* call('process_info', me, A('links'));
      const theirs = yield* call('process_info', p, A('links'));
      yield* call('unlink', p);
      const after = yield* call('process_info', p, A('links'));
      return tuple(mine, theirs, after, p, me);
    });
    const [mine, theirs, after, p, me] = r.elements;
    expect(mine).toEqual(tuple(A('links'), list([p])));
    expect(theirs).toEqual(tuple(A('links'), list([me])));
    expect(after).toEqual(tuple(A('links'), list([])));
  });
});


describe('exit/2', () => {
  test('exit(self(), normal) ends a process that does not trap exits', async () => {
    // erl: {false,[]}
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const p = spawn(function* () {
        yield* call('exit', (yield* call('self')) as Pid, A('normal'));
        yield* call('send', me, A('still_alive'));
        return A('ok');
      });
      yield* sleep(20);
      return tuple(yield* call('is_process_alive', p), ...(yield* flush()));
    });
    expect(r.elements).toEqual([FALSE]);
  });

  test('exit(self(), normal) while trapping exits is a message', async () => {
    // erl: {true,[{alive,[{'EXIT',<0.88.0>,normal}]}]}
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const p = spawn(function* () {
        yield* call('process_flag', A('trap_exit'), TRUE);
        const s = (yield* call('self')) as Pid;
        yield* call('exit', s, A('normal'));
        yield* call('send', me, tuple(A('alive'), ...(yield* flush())));
        return yield* waiter();
      });
      yield* sleep(30);
      return tuple(yield* call('is_process_alive', p), (yield* recv())!, p);
    });
    const [alive, msg, p] = r.elements;
    expect(alive).toBe(TRUE);
    expect(msg).toEqual(tuple(A('alive'), tuple(A('EXIT'), p, A('normal'))));
  });

  test('exit(Pid, kill) kills even a trapping process, with reason killed', async () => {
    // erl: exit_self_kill_trap -> killed; exit_kill_trap -> killed
    const r = await run(function* () {
      const p = spawn(function* () {
        yield* call('process_flag', A('trap_exit'), TRUE);
        return yield* waiter();
      });
      const selfKiller = spawn(function* () {
        yield* call('process_flag', A('trap_exit'), TRUE);
        yield* call('exit', (yield* call('self')) as Pid, A('kill'));
        return A('not_reached');
      });
      const m1 = yield* call('monitor', A('process'), p);
      const m2 = yield* call('monitor', A('process'), selfKiller);
      yield* sleep(5);
      yield* call('exit', p, A('kill'));
      const got = yield* flush(30);
      const byRef = (ref: Term) => got.find((m) => isTagged(m, 'DOWN') && (m as Tuple).elements[1] === ref);
      return tuple(reasonOf(byRef(m1)), reasonOf(byRef(m2)));
    });
    expect(r.elements).toEqual([A('killed'), A('killed')]);
  });

  test('exit(Pid, normal) is ignored by a process that does not trap exits', async () => {
    // erl: true
    const r = await run(function* () {
      const p = spawn(waiter);
      yield* call('exit', p, A('normal'));
      yield* sleep(5);
      return yield* call('is_process_alive', p);
    });
    expect(r).toBe(TRUE);
  });

  test('exit(Pid, normal) reaches a trapping process as {EXIT, From, normal}', async () => {
    // erl: {'EXIT',<0.102.0>,normal}
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const p = spawn(function* () {
        yield* call('process_flag', A('trap_exit'), TRUE);
        const m = (yield* recv())!;
        yield* call('send', me, tuple(A('got'), m));
        return A('ok');
      });
      yield* sleep(5);
      yield* call('exit', p, A('normal'));
      return tuple(((yield* recv()) as Tuple).elements[1], me);
    });
    const [m, me] = r.elements;
    expect(m).toEqual(tuple(A('EXIT'), me, A('normal')));
  });

  test('exit/2 with a non-pid is badarg', async () => {
    const r = await run(function* () {
      return (yield* callError('exit', A('foo'), A('bar'))).reason;
    });
    expect(r).toBe(A('badarg'));
  });

  test('a catch does not stop an exit signal to self', async () => {
    const r = await run(function* () {
      const p = spawn(function* () {
        try {
          yield* call('exit', (yield* call('self')) as Pid, A('boom'));
        } catch {
          return A('caught');
        }
        return A('returned');
      });
      const ref = yield* call('monitor', A('process'), p);
      const down = (yield* receive((m) => (isTagged(m, 'DOWN') && m.elements[1] === ref ? m : undefined), 1000))!;
      return reasonOf(down);
    });
    expect(r).toBe(A('boom'));
  });
});

describe('exit signals through links', () => {
  test('killed propagates as killed; a trapping linker sees {EXIT, A, killed}', async () => {
    // erl: {killed,[{'EXIT',<0.94.0>,killed}]}
    const r = await run(function* () {
      yield* call('process_flag', A('trap_exit'), TRUE);
      const a = (yield* call('spawn_link', funOf(waiter))) as Pid;
      const b = spawn(function* () {
        yield* call('link', a);
        return yield* waiter();
      });
      const m = yield* call('monitor', A('process'), b);
      yield* sleep(5);
      yield* call('exit', a, A('kill'));
      const down = (yield* receive((x) => (isTagged(x, 'DOWN') && x.elements[1] === m ? x : undefined), 1000))!;
      return tuple(reasonOf(down), ...(yield* flush()), a);
    });
    const [bReason, exitMsg, a] = r.elements;
    expect(bReason).toBe(A('killed'));
    expect(exitMsg).toEqual(tuple(A('EXIT'), a, A('killed')));
  });

  test('a process that exits with reason kill kills its links with reason kill (trappable)', async () => {
    // erl: {kill,{got,{'EXIT',<0.97.0>,kill}}}
    const r = await run(function* () {
      const a = spawn(function* () {
        yield* recv(Infinity);
        throw erlExitOf(A('kill'));
      });
      const b = spawn(function* () {
        yield* call('link', a);
        return yield* waiter();
      });
      const c = spawn(function* () {
        yield* call('process_flag', A('trap_exit'), TRUE);
        yield* call('link', a);
        const x = (yield* recv(Infinity))!;
        throw erlExitOf(tuple(A('got'), x));
      });
      const mb = yield* call('monitor', A('process'), b);
      const mc = yield* call('monitor', A('process'), c);
      yield* sleep(5);
      yield* call('send', a, A('go'));
      const downOf = (ref: Term) => receive((x) => (isTagged(x, 'DOWN') && x.elements[1] === ref ? x : undefined), 1000);
      const rb = reasonOf(yield* downOf(mb));
      const rc = reasonOf(yield* downOf(mc));
      return tuple(rb, rc, a);
    });
    const [rb, rc, a] = r.elements;
    expect(rb).toBe(A('kill'));
    expect(rc).toEqual(tuple(A('got'), tuple(A('EXIT'), a, A('kill'))));
  });

  test('a normal exit does not take a non-trapping linked process along', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const p = spawn(function* () {
        yield* recv();
        return A('done');
      });
      yield* call('link', p);
      yield* call('send', p, A('go'));
      yield* sleep(10);
      return tuple(yield* call('is_process_alive', me));
    });
    expect(r.elements).toEqual([TRUE]);
  });

  test('spawn_link: error and throw reasons carry the stack; a trapping parent sees them', async () => {
    // erl: {bad,[...stack...]} and {{nocatch,bad},[...stack...]}
    const r = await run(function* () {
      yield* call('process_flag', A('trap_exit'), TRUE);
      const p1 = (yield* call('spawn_link', funOf(function* () {
        throw erlError(A('bad'));
      }))) as Pid;
      const m1 = (yield* recv())!;
      const p2 = (yield* call('spawn_link', funOf(function* () {
        throw erlThrowOf(A('bad'));
      }))) as Pid;
      const m2 = (yield* recv())!;
      return tuple(m1, m2, p1, p2);
    });
    const [m1, m2, p1, p2] = r.elements as Tuple[];
    expect(m1.elements[1]).toBe(p1);
    expect((m1.elements[2] as Tuple).elements[0]).toBe(A('bad'));
    expect(m2.elements[1]).toBe(p2);
    expect((m2.elements[2] as Tuple).elements[0]).toEqual(tuple(A('nocatch'), A('bad')));
  });

  test('a chain of 20000 linked processes dies without exhausting the JS stack', async () => {
    const r = await run(function* () {
      yield* call('process_flag', A('trap_exit'), TRUE);
      let prev = spawn(waiter);
      const first = prev;
      yield* call('link', first);
      for (let i = 0; i < 20000; i++) {
        const next = prev;
        prev = spawn(function* () {
          yield* call('link', next);
          return yield* waiter();
        });
      }
      yield* sleep(50);
      const before = node.processCount();
      yield* call('exit', first, A('boom'));
      const m = (yield* recv())!;
      return tuple(m, A(String(before - node.processCount() >= 20001)));
    });
    expect(reasonOf(r.elements[0])).toBe(A('boom'));
    expect(r.elements[1]).toBe(A('true'));
  });
});

describe('process_flag(trap_exit, _)', () => {
  test('returns the old value; a non-boolean is badarg', async () => {
    // erl: {false,true}; process_flag(trap_exit, maybe) -> badarg
    const r = await run(function* () {
      const a = yield* call('process_flag', A('trap_exit'), TRUE);
      const b = yield* call('process_flag', A('trap_exit'), FALSE);
      const e = yield* callError('process_flag', A('trap_exit'), A('maybe'));
      const pr = yield* call('process_flag', A('priority'), A('high'));
      const pr2 = yield* call('process_flag', A('priority'), A('normal'));
      return tuple(a, b, e.reason, pr, pr2);
    });
    expect(r.elements).toEqual([FALSE, TRUE, A('badarg'), A('normal'), A('high')]);
  });
});

// ---- small helpers: funs and exceptions as compiled code would make them ----
import { Fun } from '../../runtime/vm/term.js';
function funOf(body: () => Generator<unknown, Term, unknown>): Fun {
  return new Fun(0, body, { kind: 'local', module: atom('runtime_links_test'), index: 0, uniq: 0, md5: new Uint8Array(16), free: [] });
}
const erlExitOf = erlExit;
const erlThrowOf = erlThrow;
