import { describe, expect, it } from 'vitest';
import { Term, atom } from '../../runtime/vm/term.js';
import { TailCall } from '../../runtime/vm/abi.js';
import { writeTerm } from '../../runtime/lib/stdlib/format/term.js';
import { inProcess, loadSource } from './harness.js';

// Pure functions run as plain JS first (src/compile/fast.ts). They must still give way: a long or
// endless pure computation becomes preemptible, with the same result and no effect done twice.

const mod = loadSource(
  `-module(fast_paths).
-export([sum/2, spin/1, race/0, fib/1, fib_reductions/1, deep/1, mixed/1, effects/1, counted/1, peek/2, nested/1, squeeze/2, packed/1]).
sum(0, Acc) -> Acc;
sum(N, Acc) -> sum(N - 1, Acc + N).
spin(N) -> spin(N + 1).
fib(0) -> 0;
fib(1) -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).
deep(0) -> [];
deep(N) -> [N | deep(N - 1)].
%% a pure loop in one process does not stop another from running
race() ->
    Me = self(),
    Spinner = spawn(fun() -> spin(0) end),
    spawn(fun() -> Me ! {done, sum(1000, 0)} end),
    receive {done, X} -> exit(Spinner, kill), X after 5000 -> exit(Spinner, kill), starved end.
mixed(N) -> {fib(N), [X * 2 || X <- deep(3)], catch 1 + a}.
%% not plain: it sends
effects(N) -> self() ! N, sum(N, 0).
%% the table is made before the counting (receive: not plain), which counts in a loop called from
%% a function: were it plain, running past its slice would start it again and count twice
counted(N) ->
    T = ets:new(t, []),
    ets:insert(T, {c, 0}),
    self() ! go,
    receive go -> ok end,
    run_count(T, N),
    ets:lookup(T, c).
run_count(T, N) -> count(T, N), ok.
count(_, 0) -> ok;
count(T, N) -> ets:update_counter(T, c, 1), count(T, N - 1).
%% reading a table is plain
peek(T, K) -> ets:lookup(T, K).
%% a tail loop called from plain code, not in tail position: it cannot give way where it runs
nested(N) -> sum(N, 0) + 1.
%% a zlib stream changes as it is fed: not plain; a one-shot compress is
squeeze(Z, Data) -> zlib:deflate(Z, Data).
packed(Data) -> zlib:compress(Data).
%% the reductions a computation costs, as process_info counts them
fib_reductions(N) ->
    {reductions, R0} = process_info(self(), reductions),
    fib(N),
    {reductions, R1} = process_info(self(), reductions),
    R1 - R0.
`,
  'fast_paths.erl',
);

function call(name: string, ...args: Term[]): Promise<Term> {
  const f = mod.exports.get(`${name}/${args.length}`)!;
  return inProcess(function* () {
    let r: Term | TailCall = yield* f(...args);
    while (r instanceof TailCall) r = yield* r.fn(...r.args);
    return r;
  });
}

describe('plain versions of pure functions', () => {
  it('pure functions have one, others not', () => {
    expect(mod.js).toContain('function f0_sum_2$plain(');
    expect(mod.js).toContain('function f2_fib_1$plain(');
    expect(mod.js).not.toContain('f5_race_0$plain');
    expect(mod.js).not.toContain('f7_effects_1$plain');
    expect(mod.js).not.toContain('count_2$plain');
    expect(mod.js).toContain('_peek_2$plain(');
    expect(mod.js).not.toContain('_squeeze_2$plain');
    expect(mod.js).toContain('_packed_1$plain(');
  });
  it('a tail loop nested in plain code runs on past its slice, and past the overrun restarts, with the same result', async () => {
    expect(mod.js).toContain('if (S.reds <= 0 && H.plainNesting.depth === 0) return new TailCall(f0_sum_2$plain');
    expect(await call('nested', 1_500_000)).toBe(1125000750001);
    expect(await call('nested', 2_500_000)).toBe(3125001250001);
  });
  it('a function that writes to a table (or counters) is not plain: it is never run twice', async () => {
    expect(writeTerm(await call('counted', 2_100_000))).toBe('[{c,2100000}]');
  });
  it('a tail-recursive loop far longer than a slice stays plain and preemptible', async () => {
    expect(await call('sum', 3_000_000, 0)).toBe(4500001500000);
  });
  it('an endless pure loop does not starve other processes', async () => {
    expect(await call('race')).toBe(500500);
  });
  it('body recursion far past its slice runs on in plain code while its time lasts, with the same result', async () => {
    // fib(30) makes 2.7 million calls: more than FAST_OVERRUN past the end of its slice
    expect(await call('fib', 30)).toBe(832040);
  });
  it('the reductions plain code ran past its slice are counted', async () => {
    // each call of fib/1 is a reduction, as in BEAM (erl counts 5.4 million for fib(30): two a call)
    expect(Number(await call('fib_reductions', 30))).toBeGreaterThan(2_692_000);
  });
  it('results and errors are those of the generator path', async () => {
    // erl 25 keeps the operator's frame for `catch 1 + a` (its JIT inlines only X + 1, X - 1 and floats)
    expect(writeTerm(await call('mixed', 20))).toBe("{6765,[6,4,2],{'EXIT',{badarith,[{erlang,'+',[1,a],[{error_info,#{module => erl_erts_errors}}]},{fast_paths,mixed,1,[{file,\"fast_paths.erl\"},{line,17}]}]}}}".replace(/"([a-z_.]+)"/g, (_, s: string) => '[' + [...s].map((c) => c.charCodeAt(0)).join(',') + ']'));
  });
  it('deep body recursion beyond the plain stack falls back', async () => {
    const r = await call('deep', 1500);
    expect(writeTerm(r).startsWith('[1500,1499,')).toBe(true);
  });
  it('an impure function is unchanged', async () => {
    expect(await call('effects', 10)).toBe(55);
  });
  it('atoms are still atoms', () => {
    expect(atom('ok').name).toBe('ok');
  });
});
