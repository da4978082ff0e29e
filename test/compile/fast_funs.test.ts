import { describe, expect, it } from 'vitest';
import { parseExprs } from '../../src/parse.js';
import { compileShell } from '../../src/compile/shell.js';
import { writeTerm } from '../../runtime/lib/stdlib/format/term.js';
import { evalShell } from './harness.js';

// A pure named fun typed at the shell runs as plain JS first, as a module's pure functions do
// (src/compile/fast.ts fastFun): same results and errors, still preemptible, deep recursion works.

const FIB = 'Fib = fun F(0) -> 0; F(1) -> 1; F(N) -> F(N - 1) + F(N - 2) end';

async function shell(text: string): Promise<string> {
  return writeTerm((await evalShell(text)).value);
}

function js(text: string): string {
  const r = compileShell(parseExprs(text) as never, new Set());
  if (!r.ok) throw new Error('does not compile');
  return r.js;
}

describe('plain versions of shell funs', () => {
  it('a pure named fun has one; a fun that sends, calls another fun or has no name has none', () => {
    expect(js(FIB + '.')).toMatch(/function MK\d+_p\(SELF, a0\)/);
    expect(js('fun G(0) -> self() ! done; G(N) -> G(N - 1) end.')).not.toMatch(/_p\(/);
    expect(js('H = fun(X) -> X end, fun G(N) -> H(N) end.')).not.toMatch(/_p\(/);
    expect(js('fun(N) -> N + 1 end.')).not.toMatch(/_p\(/);
  });
  it('body recursion: results as on the generator path, also far past a slice', async () => {
    expect(await shell(FIB + ', {Fib(20), Fib(30)}.')).toBe('{6765,832040}');
  });
  it('free variables reach the plain version', async () => {
    expect(await shell('K = 3, Add = fun A(0, Acc) -> Acc; A(N, Acc) -> A(N - 1, Acc + K) end, Add(1000, 0).')).toBe('3000');
  });
  it('a tail-recursive loop far longer than a slice gives way and finishes', async () => {
    expect(await shell('L = fun Loop(0, A) -> A; Loop(N, A) -> Loop(N - 1, A + 1) end, L(3000000, 0).')).toBe('3000000');
  });
  it('an endless pure fun does not starve other processes', async () => {
    const text =
      'Me = self(), Spin = fun S(N) -> S(N + 1) end, Spinner = spawn(fun() -> Spin(0) end), ' +
      'spawn(fun() -> Me ! {done, lists:sum(lists:seq(1, 1000))} end), ' +
      'receive {done, X} -> exit(Spinner, kill), X after 5000 -> exit(Spinner, kill), starved end.';
    expect(await shell(text)).toBe('500500');
  });
  it('recursion deeper than the plain stack falls back to the generator path', async () => {
    expect(await shell('D = fun Deep(0) -> 0; Deep(N) -> 1 + Deep(N - 1) end, D(1500).')).toBe('1500');
  });
  it('errors are those of the generator path', async () => {
    expect(await shell(FIB + ', catch Fib(a).')).toMatch(/^\{'EXIT',\{badarith,\[\{erlang,'-',\[a,1\]/);
    expect(await shell('G = fun One(1) -> one end, catch G(2).')).toMatch(/^\{'EXIT',\{function_clause,\[\{erl_eval,'-inside-an-interpreted-fun-',\[2\]/);
  });
});
