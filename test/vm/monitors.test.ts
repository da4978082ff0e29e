// Monitors: 'DOWN' messages, monitoring by name, noproc, demonitor with flush/info, spawn_monitor,
// process_info monitors/monitored_by. Expected values recorded from real Erlang/OTP 25.

import { describe, test, expect } from 'vitest';
import { run, call, callError, recv, flush, sleep, spawn, waiter, A, tuple } from './support.js';
import { receive } from '../../runtime/vm/receive.js';
import { erlExit } from '../../runtime/vm/exception.js';
import { Fun, NIL as NIL_, Pid, Ref, Term, Tuple, TRUE, FALSE, atom, list } from '../../runtime/vm/term.js';

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

describe('aliases and monitor/3', () => {
  // expected values recorded from OTP 25 (a module running each case in a fresh process)
  test('alias/0: messages arrive until unalias; unalias answers true, then false', async () => {
    // erl: {true,false,[hi]}
    const r = await run(function* () {
      const a = yield* call('alias');
      spawn(function* () {
        return yield* call('send', a, A('hi'));
      });
      yield* sleep(10);
      return tuple(yield* call('unalias', a), yield* call('unalias', a), ...(yield* flush()));
    });
    expect(r.elements).toEqual([TRUE, FALSE, A('hi')]);
  });

  test('alias([reply]) ends with its first message; a message to an inactive alias is dropped', async () => {
    // erl: {[one],false} and []
    const r = await run(function* () {
      const a = yield* call('alias', list([A('reply')]));
      spawn(function* () {
        yield* call('send', a, A('one'));
        return yield* call('send', a, A('two'));
      });
      yield* sleep(10);
      const got = yield* flush();
      const b = yield* call('alias');
      yield* call('unalias', b);
      yield* call('send', b, A('hi'));
      const none = yield* flush();
      return tuple(list(got), yield* call('unalias', a), list(none), yield* call('send', yield* call('make_ref'), A('x')));
    });
    // erl: make_ref() ! x -> x
    expect(r.elements).toEqual([list([A('one')]), FALSE, NIL_, A('x')]);
  });

  test('monitor/3 {alias, reply_demonitor}: the reply ends the alias and the monitor', async () => {
    // erl: {true,[],false}
    const r = await run(function* () {
      const p = spawn(function* () {
        const m = (yield* recv(Infinity)) as Tuple;
        yield* call('send', m.elements[0], tuple(m.elements[1], A('reply')));
        yield* sleep(10);
        return A('ok');
      });
      const ref = yield* call('monitor', A('process'), p, list([tuple(A('alias'), A('reply_demonitor'))]));
      yield* call('send', p, tuple(ref, ref));
      const reply = (yield* recv()) as Tuple;
      const rest = yield* flush(40);
      return tuple(reply.elements[0] === ref ? TRUE : FALSE, list(rest), yield* call('unalias', ref));
    });
    expect(r.elements).toEqual([TRUE, NIL_, FALSE]);
  });

  test('{alias, demonitor} ends with the DOWN or demonitor; explicit_unalias outlives the DOWN', async () => {
    // erl: mon_alias_down -> {1,[],false}; mon_alias_explicit -> {1,[late],true}; mon_alias_demon -> {[],false}
    const r = await run(function* () {
      const out: Term[] = [];
      for (const mode of ['demonitor', 'explicit_unalias']) {
        const p = spawn(function* () {
          return A('ok');
        });
        const ref = yield* call('monitor', A('process'), p, list([tuple(A('alias'), A(mode))]));
        yield* sleep(10);
        const downs = (yield* flush()).length;
        spawn(function* () {
          return yield* call('send', ref, A('late'));
        });
        yield* sleep(10);
        out.push(tuple(downs, list(yield* flush()), yield* call('unalias', ref)));
      }
      const p = spawn(waiter);
      const ref = yield* call('monitor', A('process'), p, list([tuple(A('alias'), A('demonitor'))]));
      yield* call('demonitor', ref);
      yield* call('send', p, A('go'));
      yield* call('send', ref, A('late'));
      out.push(tuple(list(yield* flush()), yield* call('unalias', ref)));
      return list(out);
    });
    expect(r).toEqual(list([tuple(1, NIL_, FALSE), tuple(1, list([A('late')]), TRUE), tuple(NIL_, FALSE)]));
  });

  test('{tag, Tag} replaces DOWN; bad options are badarg', async () => {
    // erl: {mytag,ref,process,<0.92.0>,normal}; monitor(process, self(), [foo]) -> badarg
    const r = await run(function* () {
      const p = spawn(function* () {
        return A('ok');
      });
      const ref = yield* call('monitor', A('process'), p, list([tuple(A('tag'), A('mytag'))]));
      const m = (yield* recv()) as Tuple;
      const me = (yield* call('self')) as Pid;
      return tuple(
        m.elements[0],
        m.elements[1] === ref ? TRUE : FALSE,
        m.elements[4],
        (yield* callError('monitor', A('process'), me, list([A('foo')]))).reason,
        (yield* callError('alias', list([A('foo')]))).reason,
        (yield* callError('unalias', A('foo'))).reason,
      );
    });
    expect(r.elements).toEqual([A('mytag'), TRUE, A('normal'), A('badarg'), A('badarg'), A('badarg')]);
  });
});
