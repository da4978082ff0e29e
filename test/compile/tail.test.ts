import { describe, expect, it } from 'vitest';
import { NIL, Term, atom } from '../../runtime/vm/term.js';
import { TailCall } from '../../runtime/vm/abi.js';
import { writeTerm } from '../../runtime/lib/stdlib/format/term.js';
import { inProcess, loadSource } from './harness.js';

// Tail calls: a self tail call is a loop, other tail calls go through the trampoline, so neither
// grows the JS stack (which holds only a few thousand nested calls in this test process).

const mod = loadSource(
  `-module(tail_calls).
-export([even/1, odd/1, loop/1, server/1, count_down/1, via_fun/2, via_case/1, via_receive/1, acc/2, drive/1]).
even(0) -> true;
even(N) -> odd(N - 1).
odd(0) -> false;
odd(N) -> even(N - 1).
loop(0) -> done;
loop(N) -> loop(N - 1).
count_down(N) when N > 0 -> ?MODULE:count_down(N - 1);
count_down(0) -> zero.
via_fun(_F, 0) -> done;
via_fun(F, N) -> F(F, N - 1).
via_case(N) -> case N of 0 -> done; _ -> via_case2(N - 1) end.
via_case2(N) -> if N >= 0 -> via_case(N) end.
via_receive(0) -> done;
via_receive(N) -> self() ! N, receive N -> via_receive(N - 1) end.
acc(0, L) -> length(L);
acc(N, L) -> acc(N - 1, [N | L]).
drive(N) ->
    S = spawn(?MODULE, server, [0]),
    feed(S, N),
    S ! {get, self()},
    receive {state, X} -> S ! stop, X end.
feed(_, 0) -> ok;
feed(S, N) -> S ! {add, 1}, feed(S, N - 1).
server(State) ->
    receive
        {add, N} -> server(State + N);
        {get, From} -> From ! {state, State}, server(State);
        stop -> State
    end.
`,
  'tail_calls.erl',
);

function call(name: string, ...args: Term[]): Promise<Term> {
  const f = mod.exports.get(`${name}/${args.length}`)!;
  return inProcess(function* () {
    let r: Term | TailCall = yield* f(...args);
    while (r instanceof TailCall) r = yield* r.fn(...r.args);
    return r;
  });
}

describe('tail calls run in constant stack', () => {
  it('mutual recursion 10 million deep (even/odd)', async () => {
    const before = process.memoryUsage().heapUsed;
    expect(await call('even', 10_000_000)).toBe(atom('true'));
    // the calls themselves leave nothing behind (no frames, no pending TailCalls)
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });
  it('a self tail call loops', async () => {
    expect(await call('loop', 5_000_000)).toBe(atom('done'));
  });
  it('remote self calls (?MODULE:f) in tail position', async () => {
    expect(await call('count_down', 300_000)).toBe(atom('zero'));
  });
  it('calls through a fun in tail position', async () => {
    const c = loadSource('-module(tail_fun).\n-export([go/1]).\ngo(N) -> tail_calls:via_fun(fun tail_calls:via_fun/2, N).\n', 'tail_fun.erl');
    const f = c.exports.get('go/1')!;
    const r = await inProcess(function* () {
      let x: Term | TailCall = yield* f(200_000);
      while (x instanceof TailCall) x = yield* x.fn(...x.args);
      return x;
    });
    expect(r).toBe(atom('done'));
  });
  it('tail calls from case and if branches', async () => {
    expect(await call('via_case', 300_000)).toBe(atom('done'));
  });
  it('tail calls from receive clauses', async () => {
    expect(await call('via_receive', 200_000)).toBe(atom('done'));
  });
  it('accumulating a long list', async () => {
    expect(await call('acc', 1_000_000, NIL)).toBe(1_000_000);
  });
  it('a server loop (receive, then call itself) handles a million messages', async () => {
    expect(writeTerm(await call('drive', 1_000_000))).toBe('1000000');
  });
});
