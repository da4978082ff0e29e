import { describe, expect, it } from 'vitest';
import { Fun, Term, atom } from '../../runtime/vm/term.js';
import { TailCall } from '../../runtime/vm/abi.js';
import { writeTerm } from '../../runtime/lib/stdlib/format/term.js';
import { printShellValue } from '../../runtime/lib/stdlib/format/pretty.js';
import { parseForms } from '../../src/parse.js';
import { compileModule } from '../../src/compile/module.js';
import { inProcess, loadSource } from './harness.js';

// What compileModule hands the code server and the distribution layer: exports, every function,
// attributes, the module's hash, and funs that can be rebuilt from {Index, Free} (NEW_FUN_EXT).

const SRC = `-module(modinfo).
-author("someone").
-behaviour(gen_server).
-custom([1, 2]).
-export([adder/1, ref/0, call/2]).
adder(N) -> fun(X) -> X + N end.
ref() -> fun helper/1.
helper(X) -> {helper, X}.
call(F, X) -> F(X).
`;

function run(fn: (...a: Term[]) => Generator<unknown, Term, unknown>, ...args: Term[]): Promise<Term> {
  return inProcess(function* () {
    let r: Term | TailCall = yield* fn(...args);
    while (r instanceof TailCall) r = yield* r.fn(...r.args);
    return r;
  });
}

describe('compiled modules', () => {
  const mod = loadSource(SRC, 'modinfo.erl');

  it('exports the exported functions and module_info/0,1; knows all', () => {
    expect([...mod.exports.keys()].sort()).toEqual(['adder/1', 'call/2', 'module_info/0', 'module_info/1', 'ref/0']);
    expect(mod.functions.has('helper/1')).toBe(true);
  });
  it('module_info as erl answers it (vsn first, then the other attributes as lists)', async () => {
    const attrs = writeTerm(await run(mod.exports.get('module_info/1')!, atom('attributes')));
    expect(attrs).toMatch(/^\[\{vsn,\[\d+\]\},\{author,\[115,111,109,101,111,110,101\]\},\{behaviour,\[gen_server\]\},\{custom,\[1,2\]\}\]$/);
    expect(writeTerm(await run(mod.exports.get('module_info/1')!, atom('exports')))).toBe(
      '[{adder,1},{ref,0},{call,2},{module_info,0},{module_info,1}]',
    );
    expect(writeTerm(await run(mod.exports.get('module_info/1')!, atom('module')))).toBe('modinfo');
  });
  it('the same source gives the same hash, another source another', () => {
    const again = compileModule(parseForms(SRC, 'modinfo.erl').forms, 'modinfo.erl', { source: SRC });
    const other = compileModule(parseForms(SRC + '\n', 'modinfo.erl').forms, 'modinfo.erl', { source: SRC + '\n' });
    if (!again.ok || !other.ok) throw new Error('no');
    expect(Buffer.from(again.module.md5).equals(Buffer.from(mod.md5))).toBe(true);
    expect(Buffer.from(other.module.md5).equals(Buffer.from(mod.md5))).toBe(false);
  });
  it('funs print as #Fun<Module.Index.Uniq> and are rebuilt from their index and free variables', async () => {
    const f = (await run(mod.exports.get('adder/1')!, 10)) as Fun;
    expect(f.info.kind).toBe('local');
    if (f.info.kind !== 'local') return;
    expect(printShellValue(f)).toBe(`#Fun<modinfo.${f.info.index}.${mod.uniq}>`);
    expect(f.info.free).toEqual([10]);
    const g = mod.makeFun(f.info.index, [5])!;
    expect(await run(mod.exports.get('call/2')!, g, 1)).toBe(6);
    expect(writeTerm(mod.makeFun(f.info.index, [10])!) === writeTerm(f)).toBe(true);
    expect(mod.makeFun(f.info.index, [])).toBeUndefined();
  });
  it('fun helper/1 is a local fun of the module', async () => {
    const h = (await run(mod.exports.get('ref/0')!)) as Fun;
    expect(h.info.kind).toBe('local');
    expect(writeTerm(await run(mod.exports.get('call/2')!, h, 3))).toBe('{helper,3}');
  });
});
