// The process dictionary: put/get/erase/get_keys, per process, keys compared exactly (=:=).
// Expected values recorded from real Erlang/OTP 25.

import { describe, test, expect } from 'vitest';
import { run, call, spawn, recv, A, tuple } from './support.js';
import { ErlFloat, NIL, Pid, Tuple, charlist, list, listToArray } from '../../runtime/vm/term.js';

describe('process dictionary', () => {
  test('put returns the old value, get/erase, get() and erase() of everything', async () => {
    // erl: put(a,1), X = put(a,2), Y = get(a), Z = get(b), K = get_keys(), E = erase(a), E2 = erase(a), {X,Y,Z,K,E,E2,get()}
    //      -> {1,2,undefined,[a],2,undefined,[]}
    const r = await run(function* () {
      yield* call('put', A('a'), 1);
      const x = yield* call('put', A('a'), 2);
      const y = yield* call('get', A('a'));
      const z = yield* call('get', A('b'));
      const k = yield* call('get_keys');
      const e = yield* call('erase', A('a'));
      const e2 = yield* call('erase', A('a'));
      return tuple(x, y, z, k, e, e2, yield* call('get'));
    });
    expect(r.elements).toEqual([1, 2, A('undefined'), list([A('a')]), 2, A('undefined'), NIL]);
  });

  test('get_keys/1 finds keys by value', async () => {
    // erl: put(a, 1), put(b, 1), put(c, 2), get_keys(1) -> [b,a]
    const r = await run(function* () {
      yield* call('put', A('a'), 1);
      yield* call('put', A('b'), 1);
      yield* call('put', A('c'), 2);
      return yield* call('get_keys', 1);
    });
    expect(r).toEqual(list([A('b'), A('a')]));
  });

  test('integer keys come back newest first; erase/0 returns and clears everything', async () => {
    // erl: [put(K, K) || K <- lists:seq(1,20)], get_keys() -> [20,19,...,1]
    const r = await run(function* () {
      for (let k = 1; k <= 20; k++) yield* call('put', k, k);
      const keys = yield* call('get_keys');
      const all = listToArray(yield* call('erase'))!;
      return tuple(keys, all.length, yield* call('get'));
    });
    expect(r.elements).toEqual([list(Array.from({ length: 20 }, (_, i) => 20 - i)), 20, NIL]);
  });

  test('keys are compared exactly: 1 and 1.0 are different keys; compound keys work', async () => {
    const r = await run(function* () {
      yield* call('put', 1, A('int'));
      yield* call('put', new ErlFloat(1), A('float'));
      yield* call('put', tuple(A('k'), charlist('str')), A('compound'));
      return tuple(yield* call('get', 1), yield* call('get', new ErlFloat(1)), yield* call('get', tuple(A('k'), charlist('str'))));
    });
    expect(r.elements).toEqual([A('int'), A('float'), A('compound')]);
  });

  test('each process has its own dictionary', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      yield* call('put', A('who'), A('parent'));
      spawn(function* () {
        const before = yield* call('get', A('who'));
        yield* call('put', A('who'), A('child'));
        yield* call('send', me, tuple(before, yield* call('get', A('who'))));
        return A('ok');
      });
      const m = (yield* recv()) as Tuple;
      return tuple(m, yield* call('get', A('who')));
    });
    expect(r.elements).toEqual([tuple(A('undefined'), A('child')), A('parent')]);
  });
});
