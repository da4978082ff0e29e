// lib_chan's challenge/response: the shape of challenges and responses computed like erlang:md5.

import { describe, it, expect } from 'vitest';
import { makeChallenge, makeResponse, isResponseCorrect, latin1Bytes, CHALLENGE_LENGTH } from '../../../runtime/lib/lib_chan/auth.js';
import { HAVE_ERL, runErl } from '../../interop/lib_chan_erl.js';

const bytes = (s: string) => latin1Bytes(s)!;

describe('lib_chan challenge', () => {
  it('is 25 lowercase letters', () => {
    for (let i = 0; i < 200; i++) expect(makeChallenge()).toMatch(/^[a-z]{25}$/);
    expect(CHALLENGE_LENGTH).toBe(25);
  });

  it('does not repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(makeChallenge());
    expect(seen.size).toBe(2000);
  });

  it('throws away bytes that would bias the letters (rejection sampling)', () => {
    // 234 and above would make a–v more likely than w–z; 233 = 8*26+25 is the last byte kept ('z')
    let calls = 0;
    const fake = (n: number) => {
      calls++;
      return calls === 1 ? new Uint8Array(n).fill(250) : new Uint8Array(n).fill(233);
    };
    expect(makeChallenge(fake)).toBe('z'.repeat(25));
    expect(calls).toBe(2);
  });

  it('uses every letter', () => {
    const letters = new Set([...Array.from({ length: 400 }, () => makeChallenge()).join('')]);
    expect(letters.size).toBe(26);
  });
});

describe('lib_chan response', () => {
  // vectors captured from a real OTP 25 session and lib_md5:string/1
  it('matches the captured handshake', () => {
    expect(makeResponse(bytes('sozdyvsidrdccyxnuajuvpcmk'), bytes('ABXy45'))).toBe('bf5c25f5c64e5aa9d1b99d43eacff9a2');
    expect(makeResponse(bytes('ynsbrxyuavrknszkretvjvqao'), bytes('qwerty'))).toBe('604d2f11af598096e1b2dd158ba46421');
  });

  it('hashes Latin-1 bytes, not UTF-8', () => {
    expect(makeResponse(bytes('abc'), bytes('\u00e4'))).toBe('f25f15e46cca9f6908950207f4478869');
    expect(latin1Bytes('\u0101')).toBeUndefined();
  });

  it('accepts exactly the right response', () => {
    const c = bytes(makeChallenge());
    const r = makeResponse(c, bytes('secret'));
    expect(isResponseCorrect(c, bytes(r), bytes('secret'))).toBe(true);
    expect(isResponseCorrect(c, bytes(r.toUpperCase()), bytes('secret'))).toBe(false);
    expect(isResponseCorrect(c, bytes(r), bytes('Secret'))).toBe(false);
    expect(isResponseCorrect(c, bytes(r.slice(1)), bytes('secret'))).toBe(false);
    expect(isResponseCorrect(c, bytes(''), bytes('secret'))).toBe(false);
  });

  it.skipIf(!HAVE_ERL)('agrees with erlang:md5 on real Erlang', async () => {
    const cases = Array.from({ length: 5 }, (_, i) => [makeChallenge(), ['ABXy45', '', 'p\u00e4ss', 'x'.repeat(100), 'a b"c'][i]]);
    const erlList = cases.map(([c, p]) => `{"${c}", [${[...p].map((ch) => ch.charCodeAt(0)).join(',')}]}`).join(',');
    const out = await runErl(
      `[io:format("~s~n", [lists:flatten([io_lib:format("~2.16.0b", [B]) || <<B>> <= erlang:md5(C ++ P)])]) || {C, P} <- [${erlList}]], halt().`,
    );
    expect(out.trim().split('\n')).toEqual(cases.map(([c, p]) => makeResponse(bytes(c), bytes(p))));
  });
});
