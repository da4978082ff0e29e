// The registry of names and sending by name. Expected values and badarg texts recorded from real
// Erlang/OTP 25 (the texts are what the shell prints after `*** argument N:`).

import { describe, test, expect } from 'vitest';
import { run, call, callError, recv, sleep, spawn, waiter, explain, A, tuple } from './support.js';
import { ErlangException } from '../../runtime/vm/exception.js';
import { Pid, Tuple, TRUE, atom, list, listToArray } from '../../runtime/vm/term.js';
import { node, send } from '../../runtime/vm/node.js';

describe('register/2, unregister/1, whereis/1', () => {
  test('register, whereis, registered, unregister', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const ok = yield* call('register', A('reg_test_a'), me);
      const w = yield* call('whereis', A('reg_test_a'));
      const names = listToArray(yield* call('registered'))!;
      const u = yield* call('unregister', A('reg_test_a'));
      const w2 = yield* call('whereis', A('reg_test_a'));
      return tuple(ok, w === me ? TRUE : A('no'), names.includes(A('reg_test_a')) ? TRUE : A('no'), u, w2);
    });
    expect(r.elements).toEqual([TRUE, TRUE, TRUE, TRUE, A('undefined')]);
  });

  test('the errors, with the texts erl prints', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const other = spawn(waiter);
      yield* call('register', A('reg_test_taken'), other);
      const dead = spawn(function* () {
        return A('ok');
      });
      yield* sleep(5);
      const out: ErlangException[] = [];
      out.push(yield* callError('register', A('undefined'), me));
      out.push(yield* callError('register', A('foo'), A('bar')));
      out.push(yield* callError('register', 1, me));
      out.push(yield* callError('register', A('reg_test_taken'), me));
      out.push(yield* callError('register', A('reg_test_dead'), dead));
      yield* call('register', A('reg_test_mine'), me);
      out.push(yield* callError('register', A('reg_test_second'), me));
      out.push(yield* callError('unregister', A('reg_test_nosuch')));
      out.push(yield* callError('unregister', 1));
      out.push(yield* callError('whereis', 1));
      yield* call('unregister', A('reg_test_mine'));
      yield* call('send', other, A('stop'));
      return list(out.map((e) => tuple(atom(explain(e).fn), atom(JSON.stringify(explain(e).why)))));
    });
    const got = listToArray(r)!.map((t) => (t as Tuple).elements.map((x) => (x as { name: string }).name));
    expect(got).toEqual([
      ['erlang:register/2', JSON.stringify({ 1: "'undefined' is not a valid name" })],
      ['erlang:register/2', JSON.stringify({ 2: 'not a pid or port' })],
      ['erlang:register/2', JSON.stringify({ 1: 'not an atom' })],
      ['erlang:register/2', JSON.stringify({ 1: 'name is in use' })],
      ['erlang:register/2', JSON.stringify({ 2: 'the pid does not refer to an existing process' })],
      ['erlang:register/2', JSON.stringify({ 2: 'this process or port already has a name' })],
      ['erlang:unregister/1', JSON.stringify({ 1: 'not a pid' })],
      ['erlang:unregister/1', JSON.stringify({ 1: 'not a pid' })],
      ['erlang:whereis/1', JSON.stringify({ 1: 'not an atom' })],
    ]);
  });

  test('a name is freed when its process dies', async () => {
    // erl: undefined
    const r = await run(function* () {
      const p = spawn(waiter);
      yield* call('register', A('reg_test_freed'), p);
      yield* call('send', A('reg_test_freed'), A('x'));
      yield* sleep(5);
      const w = yield* call('whereis', A('reg_test_freed'));
      // and can be taken again
      const again = yield* call('register', A('reg_test_freed'), (yield* call('self')) as Pid);
      yield* call('unregister', A('reg_test_freed'));
      return tuple(w, again);
    });
    expect(r.elements).toEqual([A('undefined'), TRUE]);
  });
});

describe('sending', () => {
  test('to a name delivers; to an unregistered name is badarg from erlang:send/2', async () => {
    // erl: {'EXIT',{badarg,[{erlang,send,[nosuch,hello],_}|_]}}; the shell prints "invalid destination"
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      yield* call('register', A('reg_test_me'), me);
      yield* call('send', A('reg_test_me'), A('hello'));
      const got = yield* recv();
      yield* call('unregister', A('reg_test_me'));
      const e = yield* callError('send', A('nosuch'), A('hello'));
      const e2 = yield* callError('send', 1, A('hello'));
      return tuple(got!, atom(explain(e).fn), atom(explain(e).why[1]), e2.reason);
    });
    expect(r.elements).toEqual([A('hello'), A('erlang:send/2'), A('invalid destination'), A('badarg')]);
  });

  test('{Name, node()} ! Msg for an unregistered name is silently dropped, as is {Name, OtherNode} when not distributed', async () => {
    // erl: hi, hi
    const r = await run(function* () {
      const a = yield* call('send', tuple(A('nosuch'), node.name), A('hi'));
      const b = yield* call('send', tuple(A('nosuch'), A('foo@bar')), A('hi'));
      return tuple(a, b);
    });
    expect(r.elements).toEqual([A('hi'), A('hi')]);
  });

  test('send to a dead pid returns the message', async () => {
    // erl: hi
    const r = await run(function* () {
      const d = spawn(function* () {
        return A('ok');
      });
      yield* sleep(5);
      return yield* call('send', d, A('hi'));
    });
    expect(r).toBe(A('hi'));
  });

  test('the `!` operator helper raises the same badarg', async () => {
    await run(function* () {
      let e: unknown;
      try {
        send(A('nosuch_op'), A('x'));
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(ErlangException);
      expect((e as ErlangException).reason).toBe(A('badarg'));
      return A('ok');
    });
  });
});

