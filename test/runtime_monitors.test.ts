// Monitors: 'DOWN' messages, monitoring by name, noproc, demonitor with flush/info, spawn_monitor,
// process_info monitors/monitored_by. Expected values recorded from real Erlang/OTP 25.

import { describe, test, expect } from 'vitest';
import { run, call, callError, recv, flush, sleep, spawn, waiter, A, tuple } from './runtime_support.js';
import { receive } from '../runtime/receive.js';
import { erlExit } from '../runtime/exception.js';
import { Fun, Pid, Ref, Term, Tuple, TRUE, FALSE, atom, list } from '../runtime/term.js';

const NONODE = A('nonode@nohost');

function funOf(body: () => Generator<unknown, Term, unknown>): Fun {
  return new Fun(0, body, { kind: 'local', module: atom('runtime_monitors_test'), index: 0, uniq: 0, md5: new Uint8Array(16), free: [] });
}

describe('monitor/2', () => {
  test('a dead pid gets its DOWN with noproc at once', async () => {
    // erl: [{'DOWN',#Ref<...>,process,<0.105.0>,noproc}]
    const r = await run(function* () {
      const d = spawn(function* () {
        return A('ok');
      });
      yield* sleep(10);
      const ref = yield* call('monitor', A('process'), d);
      return tuple(ref, d, ...(yield* flush()));
    });
    const [ref, d, msg] = r.elements;
    expect(msg).toEqual(tuple(A('DOWN'), ref, A('process'), d, A('noproc')));
  });

  test('an unregistered name gets DOWN naming {Name, Node}', async () => {
    // erl: [{'DOWN',#Ref<...>,process,{nosuchname,nonode@nohost},noproc}]
    const r = await run(function* () {
      const ref = yield* call('monitor', A('process'), A('nosuchname'));
      return tuple(ref, ...(yield* flush()));
    });
    const [ref, msg] = r.elements;
    expect(msg).toEqual(tuple(A('DOWN'), ref, A('process'), tuple(A('nosuchname'), NONODE), A('noproc')));
  });

  test('a registered name: DOWN names {Name, Node} and carries the exit reason', async () => {
    // erl: [{'DOWN',#Ref<...>,process,{mn,nonode@nohost},bye}]
    const r = await run(function* () {
      const p = spawn(function* () {
        yield* recv(Infinity);
        throw erlExit(A('bye'));
      });
      yield* call('register', A('mon_test_mn'), p);
      const ref = yield* call('monitor', A('process'), A('mon_test_mn'));
      yield* call('send', p, A('x'));
      return tuple(ref, ...(yield* flush()));
    });
    const [ref, msg] = r.elements;
    expect(msg).toEqual(tuple(A('DOWN'), ref, A('process'), tuple(A('mon_test_mn'), NONODE), A('bye')));
  });

  test('{Name, Node} for this node works like the name', async () => {
    const r = await run(function* () {
      const ref = yield* call('monitor', A('process'), tuple(A('nosuch2'), NONODE));
      return tuple(ref, ...(yield* flush()));
    });
    const [ref, msg] = r.elements;
    expect(msg).toEqual(tuple(A('DOWN'), ref, A('process'), tuple(A('nosuch2'), NONODE), A('noproc')));
  });

  test('monitoring itself sends nothing', async () => {
    // erl: {true,[]}
    const r = await run(function* () {
      const ref = yield* call('monitor', A('process'), (yield* call('self')) as Pid);
      return tuple(ref, ...(yield* flush()));
    });
    expect(r.elements.length).toBe(1);
    expect(r.elements[0]).toBeInstanceOf(Ref);
  });

  test('bad arguments are badarg', async () => {
    const r = await run(function* () {
      const a = yield* callError('monitor', A('process'), 1);
      const b = yield* callError('monitor', A('foo'), (yield* call('self')) as Pid);
      const c = yield* callError('demonitor', A('foo'));
      return tuple(a.reason, b.reason, c.reason);
    });
    expect(r.elements).toEqual([A('badarg'), A('badarg'), A('badarg')]);
  });

  test('each monitor gets its own DOWN; the normal reason included', async () => {
    const r = await run(function* () {
      const p = spawn(function* () {
        yield* recv(Infinity);
        return A('ok');
      });
      const r1 = yield* call('monitor', A('process'), p);
      const r2 = yield* call('monitor', A('process'), p);
      yield* call('send', p, A('go'));
      return tuple(r1, r2, p, ...(yield* flush()));
    });
    const [r1, r2, p, m1, m2] = r.elements;
    expect(r1).not.toEqual(r2);
    expect([m1, m2]).toEqual([tuple(A('DOWN'), r1, A('process'), p, A('normal')), tuple(A('DOWN'), r2, A('process'), p, A('normal'))]);
  });
});

describe('demonitor', () => {
  test('[flush, info] after the target died: false, and the DOWN is gone', async () => {
    // erl: {false,[]}
    const r = await run(function* () {
      const p = spawn(function* () {
        return A('ok');
      });
      const ref = (yield* call('monitor', A('process'), p)) as Ref;
      yield* sleep(10);
      const res = yield* call('demonitor', ref, list([A('flush'), A('info')]));
      return tuple(res, ...(yield* flush()));
    });
    expect(r.elements).toEqual([FALSE]);
  });

  test('[info] on a live monitor: true, then false', async () => {
    // erl: {true,false}
    const r = await run(function* () {
      const p = spawn(waiter);
      const ref = (yield* call('monitor', A('process'), p)) as Ref;
      const a = yield* call('demonitor', ref, list([A('info')]));
      const b = yield* call('demonitor', ref, list([A('info')]));
      yield* call('send', p, A('stop'));
      return tuple(a, b, ...(yield* flush()));
    });
    expect(r.elements).toEqual([TRUE, FALSE]);
  });

  test('an unknown option is badarg; demonitor/1 always returns true', async () => {
    const r = await run(function* () {
      const ref = (yield* call('make_ref')) as Ref;
      const e = yield* callError('demonitor', ref, list([A('foo')]));
      return tuple(e.reason, yield* call('demonitor', ref));
    });
    expect(r.elements).toEqual([A('badarg'), TRUE]);
  });

  test('no DOWN arrives after demonitor', async () => {
    const r = await run(function* () {
      const p = spawn(function* () {
        yield* recv(Infinity);
        return A('ok');
      });
      const ref = (yield* call('monitor', A('process'), p)) as Ref;
      yield* call('demonitor', ref);
      yield* call('send', p, A('go'));
      return tuple(...(yield* flush(30)));
    });
    expect(r.elements).toEqual([]);
  });
});

describe('spawn_monitor', () => {
  test('returns {Pid, Ref}; the DOWN carries the exit reason', async () => {
    // erl: {true,x}
    const r = await run(function* () {
      const pr = (yield* call('spawn_monitor', funOf(function* () {
        throw erlExit(A('x'));
      }))) as Tuple;
      const [p, ref] = pr.elements;
      const down = (yield* receive((m) => (m instanceof Tuple && m.elements[1] === ref ? m : undefined), 1000)) as Tuple;
      return tuple(down.elements[3] === p ? TRUE : FALSE, down.elements[4]);
    });
    expect(r.elements).toEqual([TRUE, A('x')]);
  });

  test('a non-fun is badarg naming spawn_monitor/1', async () => {
    const r = await run(function* () {
      const e = yield* callError('spawn_monitor', A('foo'));
      return tuple(e.reason, (e.stack as unknown as { head: Tuple }).head.elements[1]);
    });
    expect(r.elements).toEqual([A('badarg'), A('spawn_monitor')]);
  });
});

describe('process_info monitors and monitored_by', () => {
  test('lists monitors by name as {process, {Name, Node}} and by pid as {process, Pid}', async () => {
    // erl: {{monitors,[{process,{pm,nonode@nohost}},{process,<0.151.0>}]},{monitored_by,[<0.150.0>,<0.150.0>]}}
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const p = spawn(waiter);
      yield* call('register', A('mon_test_pm'), p);
      yield* call('monitor', A('process'), A('mon_test_pm'));
      yield* call('monitor', A('process'), p);
      const mons = yield* call('process_info', me, A('monitors'));
      const by = yield* call('process_info', p, A('monitored_by'));
      return tuple(mons, by, p, me);
    });
    const [mons, by, p, me] = r.elements;
    expect(mons).toEqual(tuple(A('monitors'), list([tuple(A('process'), tuple(A('mon_test_pm'), NONODE)), tuple(A('process'), p)])));
    expect(by).toEqual(tuple(A('monitored_by'), list([me, me])));
  });
});
