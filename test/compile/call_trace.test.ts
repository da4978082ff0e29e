// Call tracing's cost and its local instrumentation at the compiler's level: local calls carry no
// check at all, a call of another module's function one boolean (CT.on); a module's functions can
// be rebound (RELINK), which is how a local trace pattern reaches calls of running code too.

import { describe, expect, it } from 'vitest';
import { loadSource } from './harness.js';

const SRC = `-module(ct_cost).
-export([fib/1, run/1]).
fib(0) -> 0;
fib(1) -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).
run(N) -> lists:reverse(lists:seq(1, fib(N))).
`;

/** The text of one generated function, from its declaration to the next one. */
function fnText(js: string, decl: string): string {
  const at = js.indexOf(decl);
  expect(at).toBeGreaterThanOrEqual(0);
  const next = js.indexOf('\nfunction', at + 1);
  return js.slice(at, next < 0 ? undefined : next);
}

describe('call tracing in compiled code', () => {
  it('local calls look at nothing; library calls at one boolean', () => {
    const m = loadSource(SRC, 'ct_cost.erl');
    const fib = fnText(m.js, 'function f0_fib_1$plain(');
    expect(fib).not.toContain('CT');
    expect(fnText(m.js, 'function* f0_fib_1(')).not.toContain('CT');
    const run = fnText(m.js, 'function* f1_run_1(');
    expect(run.match(/CT\.on \?/g)?.length).toBe(2);
  });

  it('RELINK rebinds a function for every caller and answers the one it replaced', () => {
    const m = loadSource(SRC, 'ct_cost.erl');
    const relink = m.relink!;
    const orig = relink('f0_fib_1', undefined);
    expect(typeof orig).toBe('function');
    expect(relink('f0_fib_1', orig)).toBeUndefined();
    expect(relink('no_such_function', () => 0)).toBeUndefined();
  });
});
