import { describe, expect, it } from 'vitest';
import { runTerl } from '../../helpers/terl.js';

// maps:iterator/2 is OTP 26's (erl 25, the oracle of the transcripts, has iterator/1 only), so these
// expectations follow OTP 26's documentation: an ordered iterator is [Keys | Map] with the keys in
// the order asked for, and every function taking an iterator visits the entries in that order.
const input = [
  'maps:iterator(#{b => 2, a => 1, c => 3}, ordered).',
  'maps:next(maps:iterator(#{b => 2, a => 1}, ordered)).',
  'maps:fold(fun(K, _, A) -> [K | A] end, [], maps:iterator(#{b => 2, a => 1, c => 3}, reversed)).',
  'maps:foreach(fun(K, _) -> io:format("~p ", [K]) end, maps:iterator(#{x => 1, y => 2, z => 3}, fun(A, B) -> A >= B end)).',
  'maps:next(maps:iterator(#{a => 1}, undefined)).',
  'maps:next(element(3, maps:next(maps:iterator(#{a => 1}, ordered)))).',
  'maps:iterator(#{}, foo).',
  'maps:iterator(foo, ordered).',
].join('\n');

describe('maps:iterator/2 (OTP 26)', () => {
  it('orders the iteration as asked, and refuses what is not an order', async () => {
    const r = await runTerl([], input, { timeoutMs: 60000 });
    const lines = r.stdout.split('\n');
    expect(lines).toContain('1> [[a,b,c]|#{a => 1,b => 2,c => 3}]');
    expect(lines).toContain('2> {a,1,[[b]|#{a => 1,b => 2}]}');
    expect(lines).toContain('3> [a,b,c]');
    expect(lines).toContain('4> z y x ok');
    expect(lines).toContain('5> {a,1,none}');
    expect(lines).toContain('6> none');
    expect(r.stdout).toContain('7> ** exception error: bad argument\n     in function  maps:iterator/2\n        called as maps:iterator(#{},foo)');
    expect(r.stdout).toContain('8> ** exception error: bad map: foo\n     in function  maps:iterator/2');
  }, 60000);
});
