import { describe, expect, it } from 'vitest';
import { parseExprs } from '../../src/parse.js';
import { compileShell } from '../../src/compile/shell.js';
import type { RecordDef } from '../../src/compile/context.js';
import { writeTerm } from '../../runtime/lib/stdlib/format/term.js';
import { printShellValue } from '../../runtime/lib/stdlib/format/pretty.js';
import { ErlangException } from '../../runtime/vm/exception.js';
import { Fun, Term, Tuple, atom } from '../../runtime/vm/term.js';
import { inProcess, evalShell } from './harness.js';

// Shell expressions (compileShell): what erl's shell checks before evaluating, the bindings it
// carries between prompts, its commands, records and funs. Expected texts are real erl's.

function errorsOf(text: string, bound: string[] = []): string[] {
  const c = compileShell(parseExprs(text), new Set(bound));
  return c.ok ? [] : c.errors.map((d) => `* ${d.line}:${d.col}: ${d.message}`);
}

async function value(text: string, bindings = new Map<string, Term>()): Promise<string> {
  return writeTerm((await evalShell(text, bindings)).value);
}

async function raised(text: string, opts: Parameters<typeof compileShell>[2] = {}): Promise<ErlangException> {
  const c = compileShell(parseExprs(text), new Set(), opts);
  if (!c.ok) throw new Error('did not compile');
  try {
    await inProcess(() => c.run(new Map()));
  } catch (e) {
    if (e instanceof ErlangException) return e;
    throw e;
  }
  throw new Error('did not raise');
}

describe('shell: checks before evaluation', () => {
  it('an unbound variable, at its line and column (erl: * 1:1: variable ...)', () => {
    expect(errorsOf('Z.')).toEqual(["* 1:1: variable 'Z' is unbound"]);
    expect(errorsOf('X = 1, {X, Y}.')).toEqual(["* 1:12: variable 'Y' is unbound"]);
    expect(errorsOf('[Q || Q <- [1]], Q.')).toEqual(["* 1:18: variable 'Q' is unbound"]);
    expect(errorsOf('fun(A) -> B end.')).toEqual(["* 1:11: variable 'B' is unbound"]);
  });
  it('variables bound at earlier prompts are known', () => {
    expect(errorsOf('Z + 1.', ['Z'])).toEqual([]);
  });
  it('only the first error is reported', () => {
    expect(errorsOf('{A, B}.')).toEqual(["* 1:2: variable 'A' is unbound"]);
  });
  it('a variable bound in one branch is usable after it (erl checks expression by expression)', async () => {
    expect(errorsOf('case 1 of 1 -> Y = 1; 2 -> ok end, Y.')).toEqual([]);
    expect(await value('case 1 of 1 -> Y = 1; 2 -> ok end, Y.')).toBe('1');
    const e = await raised('case 2 of 1 -> Y = 1; 2 -> ok end, Y.');
    expect(writeTerm(e.reason)).toBe("{unbound_var,'Y'}");
  });
  it('f(V) does not need V bound', () => {
    expect(errorsOf('f(V).')).toEqual([]);
  });
  it('records the shell does not know', () => {
    expect(errorsOf('#nope{}.')).toEqual(['* 1:1: record nope undefined']);
  });
});

describe('shell: bindings between prompts', () => {
  it('answers the new bindings with the old ones', async () => {
    const r1 = await evalShell('X = 1, Y = X + 1.');
    expect(writeTerm(r1.value)).toBe('2');
    expect([...r1.bindings.keys()].sort()).toEqual(['X', 'Y']);
    const r2 = await evalShell('Z = X * 10 + Y.', r1.bindings);
    expect(writeTerm(r2.value)).toBe('12');
    expect([...r2.bindings.keys()].sort()).toEqual(['X', 'Y', 'Z']);
  });
  it('a bound variable in a pattern is a match', async () => {
    const r1 = await evalShell('X = 5.');
    await expect(evalShell('X = 6.', r1.bindings)).rejects.toMatchObject({ reason: { elements: [atom('badmatch'), 6] } });
    expect(await value('{X, Y} = {5, 7}, Y.', r1.bindings)).toBe('7');
  });
  it('variables local to funs and comprehensions do not leak', async () => {
    const r = await evalShell('F = fun(A) -> B = A, B end, L = [C || C <- [1]], F(1).');
    expect([...r.bindings.keys()].sort()).toEqual(['F', 'L']);
  });
});

describe('shell: commands and local calls', () => {
  it('a local call that is no BIF goes to the shell command hook, with the bindings', async () => {
    const seen: string[] = [];
    const c = compileShell(parseExprs('X = 3, mycmd(X, 4).'), new Set(), {
      *shellCommand(name, args, bindings) {
        seen.push(`${name}(${args.map((a) => writeTerm(a)).join(',')}) with ${[...bindings.keys()].join(',')}`);
        return atom('done');
      },
    });
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    const r = await inProcess(() => c.run(new Map()));
    expect(writeTerm(r.value)).toBe('done');
    expect(seen).toEqual(['mycmd(3,4) with X']);
  });
  it('without a hook it is an undefined shell command: undef with the frame {shell, F, Args, []}', async () => {
    const e = await raised('foo(1).');
    expect(writeTerm(e.reason)).toBe('undef');
    expect(writeTerm(e.stack)).toBe('[{shell,foo,[1],[]}]');
  });
  it('f(X) hands the variable name to the command', async () => {
    const got: Term[] = [];
    const c = compileShell(parseExprs('f(Unbound).'), new Set(), {
      *shellCommand(_name, args) {
        got.push(...args);
        return atom('ok');
      },
    });
    if (!c.ok) throw new Error('no');
    await inProcess(() => c.run(new Map()));
    expect(got).toEqual([atom('Unbound')]);
  });
  it('rd/2 defines a record for the shell and answers its name', async () => {
    const defs: RecordDef[] = [];
    const c = compileShell(parseExprs('rd(person, {name = "", age}).'), new Set(), { defineRecord: (d) => defs.push(d) });
    if (!c.ok) throw new Error('no');
    const r = await inProcess(() => c.run(new Map()));
    expect(writeTerm(r.value)).toBe('person');
    expect(defs.map((d) => [d.name, d.fields.map((f) => f.name), d.fields.map((f) => f.default?.type)])).toEqual([
      ['person', ['name', 'age'], ['string', undefined]],
    ]);
  });
  it('records passed in (rd/2, rr/1) are usable', async () => {
    const records = new Map<string, RecordDef>([
      ['person', { name: 'person', fields: [{ pos: { line: 1, col: 1 }, name: 'name', default: { type: 'string', pos: { line: 1, col: 1 }, value: '' } }, { pos: { line: 1, col: 1 }, name: 'age' }] }],
    ]);
    const c = compileShell(parseExprs('P = #person{age = 3}, {P, P#person.age, P#person{name = "x"}}.'), new Set(), { records });
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
    const r = await inProcess(() => c.run(new Map()));
    expect(writeTerm(r.value)).toBe('{{person,[],3},3,{person,[120],3}}');
  });
});

describe('shell: funs', () => {
  it('fun f/1 at the shell is undefined function erl_eval:f/1 (raised when made, as erl_eval does)', async () => {
    const e = await raised('lists:all(fun is_integer/1, [1, 2, a]).');
    expect(writeTerm(e.reason)).toBe('undef');
    expect(writeTerm(e.stack)).toBe('[{erl_eval,is_integer,1,[]}]');
  });
  it("a shell fun is an erl_eval fun: {Anno, Bindings, Lf, Ef, FUVs, Clauses}, named ones with the name", async () => {
    const r = await evalShell('A = 1, F = fun(X) -> X + A end, G = fun Loop(0) -> A; Loop(N) -> Loop(N - 1) end, {F, G}.');
    const [f, g] = (r.value as Tuple).elements as Fun[];
    expect(f.info.kind).toBe('eval');
    const envF = f.info.kind === 'eval' ? (f.info.env as Tuple) : undefined;
    const envG = g.info.kind === 'eval' ? (g.info.env as Tuple) : undefined;
    expect(envF?.elements.length).toBe(6);
    expect(writeTerm(envF!.elements[1])).toBe("[{'A',1}]");
    expect(envG?.elements.length).toBe(7);
    expect(envG?.elements[6]).toBe(atom('Loop'));
    expect(printShellValue(f)).toBe('#Fun<erl_eval.42.3316493>');
  });
  it("its env is erl_eval's, with the clauses in the abstract format (erl -eval: erlang:fun_info(F, env))", async () => {
    const r = await evalShell('X = 7, F = fun(Y) -> X + Y end.');
    const f = r.value as Fun;
    expect(f.info.kind === 'eval' && writeTerm(f.info.env)).toBe("{1,[{'X',7}],none,none,#{},[{clause,1,[{var,1,'Y'}],[],[{op,1,'+',{var,1,'X'},{var,1,'Y'}}]}]}");
  });
  it('no clause matching: erl_eval:-inside-an-interpreted-fun-(Args)', async () => {
    const e = await raised('F = fun(a) -> ok end, F(b).');
    expect(writeTerm(e.reason)).toBe('function_clause');
    expect(writeTerm(e.stack)).toBe("[{erl_eval,'-inside-an-interpreted-fun-',[b],[]}]");
  });
});

describe('shell: catch shows the frames erl_eval and shell add', () => {
  it('catch error(oops) (conformance corpus)', async () => {
    expect(printShellValue((await evalShell('catch error(oops).')).value)).toBe(
      `{'EXIT',{oops,[{shell,apply_fun,3,
                      [{file,"shell.erl"},{line,912}]},
               {erl_eval,do_apply,7,[{file,"erl_eval.erl"},{line,748}]},
               {erl_eval,expr,6,[{file,"erl_eval.erl"},{line,480}]},
               {shell,exprs,7,[{file,"shell.erl"},{line,691}]},
               {shell,eval_exprs,7,[{file,"shell.erl"},{line,647}]},
               {shell,eval_loop,3,[{file,"shell.erl"},{line,632}]}]}}`,
    );
  });
  it('try ... catch _:_:S in the shell', async () => {
    expect(await value('try error(q) catch _:_:S -> S end.')).toBe(
      '[{shell,apply_fun,3,[{file,"shell.erl"},{line,912}]},{erl_eval,do_apply,7,[{file,"erl_eval.erl"},{line,748}]},{erl_eval,try_clauses,10,[{file,"erl_eval.erl"},{line,987}]},{shell,exprs,7,[{file,"shell.erl"},{line,691}]},{shell,eval_exprs,7,[{file,"shell.erl"},{line,647}]},{shell,eval_loop,3,[{file,"shell.erl"},{line,632}]}]'.replace(/"([a-z_.]+)"/g, (_, s: string) => '[' + [...s].map((c) => c.charCodeAt(0)).join(',') + ']'),
    );
  });
});

describe('shell: binary construction failures carry eval_bits frames, as in erl', () => {
  it('the cause of the failed segment is in the first frame (the shell prints it)', async () => {
    const e = await raised('X = foo, <<X:8>>.');
    expect(writeTerm(e.reason)).toBe('badarg');
    expect(writeTerm(e.stack)).toBe(
      '[{eval_bits,eval_exp_field,6,[{file,"eval_bits.erl"},{line,143},{error_info,#{cause => {1,integer,type,foo},function => format_bs_fail,module => erl_erts_errors,override_segment_position => 1}}]},{eval_bits,create_binary,2,[{file,"eval_bits.erl"},{line,77}]},{eval_bits,expr_grp,5,[{file,"eval_bits.erl"},{line,68}]}]'.replace(
        /"([a-z_.]+)"/g,
        (_, s: string) => '[' + [...s].map((c) => c.charCodeAt(0)).join(',') + ']',
      ),
    );
  });
});
