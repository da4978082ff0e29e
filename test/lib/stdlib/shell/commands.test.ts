// The shell's own commands, piped into terl as into erl; the expected texts are what real
// erl 25 printed for the same lines.

import { describe, it, expect } from 'vitest';
import { runTerl } from '../../../helpers/terl.js';

async function session(lines: string[]): Promise<string[]> {
  const r = await runTerl([], lines.join('\n') + '\n');
  return r.stdout.split('\n').slice(1);
}

describe('shell commands', () => {
  it('b/0, v/1, f/1, flush/0, h/0 and f/0 as erl prints them', async () => {
    const out = await session([
      'X = 1.',
      'Y = {a, "b"}.',
      'b().',
      'v(1).',
      'f(X).',
      'b().',
      'self() ! hello.',
      'flush().',
      'f().',
      'b().',
      'foo(1).',
    ]);
    expect(out).toEqual([
      '1> 1',
      '2> {a,"b"}',
      '3> X = 1',
      'Y = {a,"b"}',
      'ok',
      '4> 1',
      '5> ok',
      '6> Y = {a,"b"}',
      'ok',
      '7> hello',
      '8> Shell got hello',
      'ok',
      '9> ok',
      '10> ok',
      '11> ** exception error: undefined shell command foo/1',
      '12> *** Terminating erlang (nonode@nohost)',
      '',
    ]);
  });

  it('h/0 lists the numbered history with results', async () => {
    const out = await session(['X = 1.', 'Y = {a, "b"}.', 'h().']);
    expect(out.slice(2, 8)).toEqual(['3> 1: X = 1', '-> 1', '2: Y = {a, "b"}', '-> {a,"b"}', 'ok', '4> *** Terminating erlang (nonode@nohost)']);
  });

  it('rd/2 defines a record the shell prints by name', async () => {
    const out = await session(['rd(person, {name, age = 0}).', '#person{name = joe}.', 'P = #person{name = "x"}, P#person.age.', 'rd(x, y).']);
    expect(out.slice(0, 4)).toEqual([
      '1> person',
      '2> #person{name = joe,age = 0}',
      '3> 0',
      '4> ** exception exit: "bad record declaration"',
    ]);
  });

  it('a new evaluator after an exception: self() changes, bindings stay', async () => {
    const out = await session(['X = self().', '1 = 2.', 'X =:= self().', 'is_pid(X).']);
    expect(out.slice(1, 4)).toEqual(['2> ** exception error: no match of right hand side value 2', '3> false', '4> true']);
  });

  it('help() prints erl\'s command list', async () => {
    const out = await session(['help().']);
    expect(out[0]).toBe('1> ** shell internal commands **');
    expect(out).toContain('b()        -- display all variable bindings');
    expect(out).toContain('c(Mod)     -- compile and load module or file <Mod>');
    expect(out).toContain('true');
  });

  it('a syntax error keeps the prompt number, a lint error moves on', async () => {
    const out = await session(['foo(.', 'Z.', '1.']);
    expect(out.slice(0, 3)).toEqual(["1> * 1:5: syntax error before: '.'", "1> * 1:1: variable 'Z' is unbound", '2> 1']);
  });

  it('several expressions on one line run one after another, each under its own prompt', async () => {
    const out = await session(['1. 2.', 'X = 3, X. foo(.', '4.']);
    expect(out.slice(0, 6)).toEqual(['1> 1', '2> 2', '3> 3', "4> * 1:5: syntax error before: '.'", '4> 4', '5> *** Terminating erlang (nonode@nohost)']);
  });
});
