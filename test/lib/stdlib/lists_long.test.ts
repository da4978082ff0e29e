import { describe, expect, it } from 'vitest';
import { List, NIL, Term, Tuple, atom } from '../../../runtime/vm/term.js';
import { ErlangException } from '../../../runtime/vm/exception.js';
import { call as rawCall, stdFuns } from '../bifs_harness.js';

/** A BIF call whose Erlang exception is reported briefly (the arguments are huge). */
function call(m: string, f: string, args: Term[]): Term {
  try {
    return rawCall(m, f, args);
  } catch (e) {
    if (e instanceof ErlangException) {
      const top = e.stack instanceof List && e.stack.head instanceof Tuple ? e.stack.head.elements.slice(0, 2).map(String).join(':') : '';
      throw new Error(`${m}:${f}/${args.length} raised ${e.cls.name}:${String(e.reason instanceof Tuple ? e.reason.elements[0] : e.reason)} at ${top}`);
    }
    throw e;
  }
}

// Long inputs must not hit JS recursion or argument-spreading limits (every BIF iterates).

const N = 100_000;

function len(t: Term): number {
  let n = 0;
  while (t instanceof List) {
    n++;
    t = t.tail;
  }
  expect(t).toBe(NIL);
  return n;
}

describe('BIFs on long lists', () => {
  const seq = call('lists', 'seq', [1, N]);

  it('lists functions', () => {
    expect(len(seq)).toBe(N);
    expect(len(call('lists', 'map', [stdFuns.Double, seq]))).toBe(N);
    expect(call('lists', 'foldl', [stdFuns.Add, 0, seq])).toBe((N * (N + 1)) / 2);
    expect(call('lists', 'sum', [seq])).toBe((N * (N + 1)) / 2);
    expect(len(call('lists', 'reverse', [seq]))).toBe(N);
    expect(len(call('lists', 'sort', [call('lists', 'reverse', [seq])]))).toBe(N);
    expect(len(call('lists', 'sort', [stdFuns.Ge, seq]))).toBe(N);
    expect(len(call('lists', 'filter', [stdFuns.IsEven, seq]))).toBe(N / 2);
    expect(call('lists', 'last', [seq])).toBe(N);
    expect(len(call('lists', 'append', [seq, seq]))).toBe(2 * N);
    expect(len(call('erlang', '--', [seq, call('lists', 'seq', [1, N, 2])]))).toBe(N / 2);
    // a deeply nested list: [[[...[1]...]]]
    let deep: Term = new List(1, NIL);
    for (let i = 0; i < N; i++) deep = new List(deep, NIL);
    expect(len(call('lists', 'flatten', [deep]))).toBe(1);
    expect(call('erlang', 'length', [seq])).toBe(N);
  });

  it('strings, binaries and conversions', () => {
    const text = call('lists', 'duplicate', [N, 97]);
    const bin = call('erlang', 'list_to_binary', [text]);
    expect(call('erlang', 'byte_size', [bin])).toBe(N);
    expect(len(call('unicode', 'characters_to_list', [bin]))).toBe(N);
    expect(call('string', 'length', [text])).toBe(N);
    expect(len(call('string', 'uppercase', [text]))).toBe(N);
    expect(call('erlang', 'iolist_size', [call('lists', 'duplicate', [N, bin])])).toBe(N * N);
    const withCommas = call('lists', 'append', [text, call('lists', 'duplicate', [3, 44])]);
    expect(len(call('string', 'split', [withCommas, new List(44, NIL), atom('all')]))).toBe(4);
    expect((call('erlang', 'list_to_tuple', [seq]) as Tuple).elements.length).toBe(N);
    expect(call('erlang', 'list_to_existing_atom', [new List(111, new List(107, NIL))])).toBe(atom('ok'));
  });
});
