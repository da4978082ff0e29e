// Trapping exits, and exit signals from other nodes (through a stand-in distribution layer).
// Expected values recorded from real Erlang/OTP 25.

import { describe, test, expect, afterEach } from 'vitest';
import { run, call, callError, recv, flush, sleep, spawn, A, tuple } from './support.js';
import { receive } from '../../runtime/vm/receive.js';
import { node, type DistHooks } from '../../runtime/vm/node.js';
import { nodeDown, remoteLinkExit, remoteExit2, remoteDown, remoteMonitor, remoteLink } from '../../runtime/vm/signals.js';
import { erlExit } from '../../runtime/vm/exception.js';
import { Fun, Pid, Ref, Term, Tuple, TRUE, FALSE, atom, list } from '../../runtime/vm/term.js';

function funOf(body: () => Generator<unknown, Term, unknown>): Fun {
  return new Fun(0, body, { kind: 'local', module: atom('runtime_trap_exit_test'), index: 0, uniq: 0, md5: new Uint8Array(16), free: [] });
}

/** A pid of node foo@bar, as binary_to_term would make it. */
const remote = new Pid(atom('foo@bar'), 1, 0, 5);

describe('trap_exit', () => {
  test('a trapping process gets {EXIT, Pid, normal} when a linked process ends normally', async () => {
    // erl: normal
    const r = await run(function* () {
      yield* call('process_flag', A('trap_exit'), TRUE);
      const p = (yield* call('spawn_link', funOf(function* () {
        return A('ok');
      }))) as Pid;
      const m = (yield* recv()) as Tuple;
      return tuple(m.elements[1] === p ? TRUE : FALSE, m.elements[2]);
    });
    expect(r.elements).toEqual([TRUE, A('normal')]);
  });

  test('turning trap_exit off again: the next abnormal exit kills', async () => {
    // erl: b
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const p = spawn(function* () {
        yield* call('process_flag', A('trap_exit'), TRUE);
        const a = (yield* call('spawn_link', funOf(function* () {
          throw erlExit(A('a'));
        }))) as Pid;
        yield* receive((m) => (m instanceof Tuple && m.elements[1] === a ? m : undefined));
        yield* call('process_flag', A('trap_exit'), FALSE);
        yield* call('spawn_link', funOf(function* () {
          throw erlExit(A('b'));
        }));
        yield* sleep(100);
        yield* call('send', me, A('survived'));
        return A('ok');
      });
      const ref = yield* call('monitor', A('process'), p);
      const m = (yield* receive((x) => (x === A('survived') || (x instanceof Tuple && x.elements[1] === ref) ? x : undefined))) as Term;
      return m instanceof Tuple ? m.elements[4] : m;
    });
    expect(r).toBe(A('b'));
  });
});

describe('order of signals from one dying process', () => {
  test('a linked and monitoring trapper gets the EXIT before the DOWN', async () => {
    // erl: [{'EXIT',<0.79.0>,bye},{'DOWN',Ref,process,<0.79.0>,bye}] (whichever came first, link or monitor)
    const r = await run(function* () {
      yield* call('process_flag', A('trap_exit'), TRUE);
      const out: Term[] = [];
      for (const linkFirst of [true, false]) {
        const p = spawn(function* () {
          yield* recv(Infinity);
          throw erlExit(A('bye'));
        });
        if (linkFirst) yield* call('link', p);
        yield* call('monitor', A('process'), p);
        if (!linkFirst) yield* call('link', p);
        yield* call('send', p, A('go'));
        out.push(list((yield* flush()).map((m) => (m as Tuple).elements[0])));
      }
      return list(out);
    });
    expect(r).toEqual(list([list([A('EXIT'), A('DOWN')]), list([A('EXIT'), A('DOWN')])]));
  });
});

describe('remote pids without distribution', () => {
  test('link: a trapping process gets noconnection; send and exit/2 are quiet; monitor by pid fires noconnection', async () => {
    // erl: link_remote_trap -> {true,[{'EXIT',<8395.1.0>,noconnection}]}; send_remote -> hi; exit_remote -> true
    //      monitor_remote -> [{'DOWN',Ref,process,<8395.1.0>,noconnection}]
    const r = await run(function* () {
      yield* call('process_flag', A('trap_exit'), TRUE);
      const l = yield* call('link', remote);
      const m1 = (yield* flush())[0];
      const s = yield* call('send', remote, A('hi'));
      const e = yield* call('exit', remote, A('kill'));
      const ref = yield* call('monitor', A('process'), remote);
      const m2 = (yield* flush())[0];
      return tuple(l, m1, s, e, m2, ref);
    });
    const [l, m1, s, e, m2, ref] = r.elements;
    expect([l, m1, s, e]).toEqual([TRUE, tuple(A('EXIT'), remote, A('noconnection')), A('hi'), TRUE]);
    expect(m2).toEqual(tuple(A('DOWN'), ref, A('process'), remote, A('noconnection')));
  });

  test('link without trapping: the process dies of noconnection', async () => {
    // erl: link_remote_notrap -> the process is gone (the test timed out waiting for it)
    const r = await run(function* () {
      const pr = (yield* call('spawn_monitor', funOf(function* () {
        yield* call('link', remote);
        yield* sleep(1000);
        return A('survived');
      }))) as Tuple;
      const ref = pr.elements[1];
      const down = (yield* receive((m) => (m instanceof Tuple && m.elements[1] === ref ? m : undefined), 2000)) as Tuple;
      return down.elements[4];
    });
    expect(r).toBe(A('noconnection'));
  });

  test('monitor of {Name, OtherNode}, is_process_alive and process_info of a remote pid are badarg', async () => {
    const r = await run(function* () {
      return tuple(
        (yield* callError('monitor', A('process'), tuple(A('foo'), A('bar@baz')))).reason,
        (yield* callError('is_process_alive', remote)).reason,
        (yield* callError('process_info', remote, A('status'))).reason,
      );
    });
    expect(r.elements).toEqual([A('badarg'), A('badarg'), A('badarg')]);
  });
});

describe('signals through the distribution hooks', () => {
  const calls: string[] = [];
  const fake: DistHooks = {
    send: (to, msg) => calls.push(`send ${to.id} ${String(msg)}`),
    sendReg: (name, n) => calls.push(`sendReg ${name.name}@${n.name}`),
    link: (from, to) => calls.push(`link ${from.id}->${to.id}`),
    unlink: (from, to) => calls.push(`unlink ${from.id}->${to.id}`),
    exit: (from, to, reason) => calls.push(`exit ${from.id}->${to.id} ${String(reason)}`),
    exit2: (from, to, reason) => calls.push(`exit2 ${from.id}->${to.id} ${String(reason)}`),
    monitor: (w, t) => calls.push(`monitor ${w.id}->${t instanceof Pid ? t.id : (t as { name: string }).name}`),
    demonitor: (w, t) => calls.push(`demonitor ${w.id}->${t instanceof Pid ? t.id : (t as { name: string }).name}`),
    down: (t, w, _ref, reason) => calls.push(`down ${t.id}->${w.id} ${String(reason)}`),
    nodes: () => [atom('foo@bar')],
  };
  afterEach(() => {
    node.dist = undefined;
    calls.length = 0;
  });

  test('outgoing: link, unlink, exit/2, monitor, demonitor, send, and the exit signal of a dying linked process', async () => {
    node.dist = fake;
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      yield* call('link', remote);
      yield* call('unlink', remote);
      yield* call('exit', remote, A('bye'));
      const ref = (yield* call('monitor', A('process'), remote)) as Ref;
      yield* call('demonitor', ref);
      yield* call('send', remote, A('hi'));
      yield* call('send', tuple(A('reg'), A('foo@bar')), A('hi'));
      const p = spawn(function* () {
        yield* call('link', remote);
        throw erlExit(A('boom'));
      });
      yield* sleep(10);
      return tuple(me, p, yield* call('nodes'));
    });
    const [me, p] = r.elements as Pid[];
    expect(calls).toEqual([
      `link ${me.id}->1`,
      `unlink ${me.id}->1`,
      `exit2 ${me.id}->1 bye`,
      `monitor ${me.id}->1`,
      `demonitor ${me.id}->1`,
      'send 1 hi',
      'sendReg reg@foo@bar',
      `link ${p.id}->1`,
      `exit ${p.id}->1 boom`,
    ]);
    expect(r.elements[2]).toEqual(list([atom('foo@bar')]));
  });

  test('incoming: LINK then EXIT, EXIT2, MONITOR_P / DOWN, and nodedown', async () => {
    node.dist = fake;
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      yield* call('process_flag', A('trap_exit'), TRUE);
      remoteLink(remote, me);
      remoteLinkExit(remote, me, A('gone'));
      remoteExit2(remote, me, A('hey'));
      const got1 = yield* flush();
      // a remote process monitors us; we monitor it; the node goes down
      const ref = (yield* call('monitor', A('process'), remote)) as Ref;
      yield* call('link', remote);
      remoteMonitor(remote, me, node.makeRef());
      nodeDown(atom('foo@bar'));
      const got2 = yield* flush();
      const ref2 = (yield* call('monitor', A('process'), remote)) as Ref;
      remoteDown(me, ref2, A('crashed'));
      const got3 = yield* flush();
      return tuple(tuple(...got1), tuple(...got2), tuple(...got3), ref, ref2);
    });
    const [g1, g2, g3, ref, ref2] = r.elements as Tuple[];
    expect(g1.elements).toEqual([tuple(A('EXIT'), remote, A('gone')), tuple(A('EXIT'), remote, A('hey'))]);
    expect(g2.elements).toEqual([tuple(A('EXIT'), remote, A('noconnection')), tuple(A('DOWN'), ref, A('process'), remote, A('noconnection'))]);
    expect(g3.elements).toEqual([tuple(A('DOWN'), ref2, A('process'), remote, A('crashed'))]);
  });
});
