// Limits and failures that must not take the node down: JS stack overflow, JS exceptions from
// bugs, a generator yielding something the scheduler does not know, huge mailboxes, deep
// (body-recursive) generator chains.

import { describe, test, expect } from 'vitest';
import { run, call, recv, spawn, A, tuple } from './support.js';
import { receive } from '../../runtime/vm/receive.js';
import { setFallbackSink } from '../../runtime/lib/kernel/error_logger.js';
import { asErlangException } from '../../runtime/vm/process.js';
import { S } from '../../runtime/vm/scheduler.js';
import { PREEMPT } from '../../runtime/vm/abi.js';
import { node } from '../../runtime/vm/node.js';
import { ErlangException } from '../../runtime/vm/exception.js';
import { Fun, Pid, Term, Tuple, atom, listToString } from '../../runtime/vm/term.js';

setFallbackSink(() => {});

function funOf(body: () => Generator<unknown, Term, unknown>): Fun {
  return new Fun(0, body, { kind: 'local', module: atom('runtime_limits_test'), index: 0, uniq: 0, md5: new Uint8Array(16), free: [] });
}

function* downReason(body: () => Generator<unknown, Term, unknown>): Generator<unknown, Term, unknown> {
  const pr = (yield* call('spawn_monitor', funOf(body))) as Tuple;
  const ref = pr.elements[1];
  const down = (yield* receive((m) => (m instanceof Tuple && m.elements[1] === ref ? m : undefined), 5000)) as Tuple;
  return down.elements[4];
}

function recurse(n: number): number {
  return n === 0 ? 0 : 1 + recurse(n - 1);
}

describe('failures inside a process', () => {
  test('JS stack overflow is error:system_limit in that process only', async () => {
    const r = await run(function* () {
      return yield* downReason(function* () {
        recurse(1e9);
        return A('ok');
      });
    });
    expect((r as Tuple).elements[0]).toBe(A('system_limit'));
  });

  test('a JS error from a bug is error:{internal_error, Text}', async () => {
    const r = await run(function* () {
      return yield* downReason(function* () {
        throw new TypeError('broken');
      });
    });
    const reason = (r as Tuple).elements[0] as Tuple;
    expect(reason.elements[0]).toBe(A('internal_error'));
    expect(listToString(reason.elements[1])).toBe('TypeError: broken');
  });

  test('asErlangException lets catch see JS errors as Erlang errors', () => {
    const e = asErlangException(new RangeError('Maximum call stack size exceeded'));
    expect(e).toBeInstanceOf(ErlangException);
    expect(e.cls).toBe(A('error'));
    expect(e.reason).toBe(A('system_limit'));
  });

  test('a generator that yields something unknown dies; the node goes on', async () => {
    const r = await run(function* () {
      const reason = yield* downReason(function* () {
        yield 'what is this';
        return A('ok');
      });
      return tuple((reason as Tuple).elements[0] as Tuple, A('still_here'));
    });
    expect(((r.elements[0] as Tuple).elements[0] as Term)).toBe(A('internal_error'));
    expect(r.elements[1]).toBe(A('still_here'));
  });
});

describe('big things', () => {
  test('a mailbox of 1,000,000 messages, then drained in order', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const p = spawn(function* () {
        for (let i = 0; i < 1000000; i++) {
          if (--S.reds <= 0) yield PREEMPT;
          node.send(me, i);
        }
        return A('ok');
      });
      void p;
      let expected = 0;
      while (expected < 1000000) {
        const m = yield* recv(5000);
        if (m !== expected) return A('out_of_order');
        expected++;
      }
      return A('in_order');
    });
    expect(r).toBe(A('in_order'));
  });

  test('body recursion 2,000 generator frames deep survives preemption', async () => {
    function* depth(n: number): Generator<unknown, Term, unknown> {
      if (--S.reds <= 0) yield PREEMPT;
      if (n === 0) return 0;
      const r = (yield* depth(n - 1)) as number;
      return r + 1;
    }
    const r = await run(function* () {
      return yield* depth(2000);
    });
    expect(r).toBe(2000);
  });
});
