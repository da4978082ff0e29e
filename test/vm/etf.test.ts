// The external term format against real erl: term_to_binary must write exactly erl's bytes, and
// binary_to_term must read them back to the same term.

import { describe, it, expect } from 'vitest';
import { inflateSync } from 'node:zlib';
import {
  Atom,
  Bin,
  ErlMap,
  Fun,
  NIL,
  Pid,
  Port,
  Ref,
  Tuple,
  atom,
  binary,
  charlist,
  cons,
  exactEqual,
  float,
  list,
  listToArray,
  tuple,
} from '../../runtime/vm/term.js';
import type { Term } from '../../runtime/vm/term.js';
import { EtfError, Writer, appendFrame, decode, decodeControl, decodeTerm, encode, encodeControl } from '../../runtime/vm/etf.js';
import type { EncodeOptions } from '../../runtime/vm/etf.js';
import { erlEval, erlTermToBinary, haveErl } from './etf_erl.js';

const nonode = atom('nonode@nohost');
const seq = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

interface Case {
  src: string;
  term: Term;
  opts?: string;
  enc?: EncodeOptions;
  /** Node's bundled zlib (Chromium's fork) may pick other matches than the system zlib OTP links:
   *  the compressed stream can differ while inflating to the same bytes */
  zlibMayDiffer?: boolean;
}

const cases: Case[] = [
  // integers: SMALL_INTEGER, INTEGER, SMALL_BIG, LARGE_BIG
  { src: '0', term: 0 },
  { src: '255', term: 255 },
  { src: '256', term: 256 },
  { src: '-1', term: -1 },
  { src: '2147483647', term: 2147483647 },
  { src: '-2147483648', term: -2147483648 },
  { src: '2147483648', term: 2147483648 },
  { src: '-2147483649', term: -2147483649 },
  { src: '9007199254740991', term: 9007199254740991 },
  { src: '1 bsl 70', term: 1n << 70n },
  { src: '-(1 bsl 70)', term: -(1n << 70n) },
  { src: '1 bsl 2100', term: 1n << 2100n },
  { src: '-(1 bsl 2047) + 12345', term: -(1n << 2047n) + 12345n },
  // floats
  { src: '1.5', term: float(1.5) },
  { src: '-0.0', term: float(-0) },
  { src: '0.1', term: float(0.1) },
  { src: '1.0e300', term: float(1e300) },
  { src: '5.0e-324', term: float(5e-324) },
  { src: '1.5', term: float(1.5), opts: '[{minor_version,0}]', enc: { minorVersion: 0 } },
  { src: '-123456.789', term: float(-123456.789), opts: '[{minor_version,0}]', enc: { minorVersion: 0 } },
  { src: '1.0e300', term: float(1e300), opts: '[{minor_version,0}]', enc: { minorVersion: 0 } },
  { src: '5.0e-324', term: float(5e-324), opts: '[{minor_version,0}]', enc: { minorVersion: 0 } },
  { src: '0.1', term: float(0.1), opts: '[{minor_version,0}]', enc: { minorVersion: 0 } },
  // atoms: Latin-1 as ATOM_EXT, others as UTF-8; minor_version 2 makes all UTF-8
  { src: 'abc', term: atom('abc') },
  { src: "''", term: atom('') },
  { src: "'hé'", term: atom('hé') },
  { src: "'ſx'", term: atom('ſx') },
  { src: `'${'ж'.repeat(200)}'`, term: atom('ж'.repeat(200)) },
  { src: 'abc', term: atom('abc'), opts: '[{minor_version,2}]', enc: { minorVersion: 2 } },
  { src: "'hé'", term: atom('hé'), opts: '[{minor_version,2}]', enc: { minorVersion: 2 } },
  { src: 'true', term: atom('true') },
  // tuples, lists, strings
  { src: '{}', term: tuple() },
  { src: '{a, 1, {b}}', term: tuple(atom('a'), 1, tuple(atom('b'))) },
  { src: 'list_to_tuple(lists:seq(1,300))', term: new Tuple(seq(1, 300)) },
  { src: '[]', term: NIL },
  { src: '""', term: NIL },
  { src: '"hello"', term: charlist('hello') },
  { src: '[1,2,255,0]', term: list([1, 2, 255, 0]) },
  { src: '[256]', term: list([256]) },
  { src: '[a|b]', term: cons(atom('a'), atom('b')) },
  { src: '[1,2|3]', term: list([1, 2], 3) },
  { src: '[1,2|<<>>]', term: list([1, 2], binary([])) },
  { src: '"héllo wörld ж"', term: charlist('héllo wörld ж') },
  { src: 'lists:seq(1,300)', term: list(seq(1, 300)) },
  { src: 'lists:duplicate(65535, 7)', term: list(new Array(65535).fill(7)) },
  { src: 'lists:duplicate(65536, 7)', term: list(new Array(65536).fill(7)) },
  { src: '[[1,2],[],"x",[a]]', term: list([list([1, 2]), NIL, charlist('x'), list([atom('a')])]) },
  // binaries and bitstrings
  { src: '<<>>', term: binary([]) },
  { src: '<<1,2,3>>', term: binary([1, 2, 3]) },
  { src: '<<1:3>>', term: new Bin(Uint8Array.from([32]), 3) },
  { src: '<<255,7:7>>', term: new Bin(Uint8Array.from([255, 14]), 15) },
  // maps: integers before floats, then term order
  { src: '#{}', term: new ErlMap() },
  { src: '#{a => 1, b => 2}', term: ErlMap.from([[atom('b'), 2], [atom('a'), 1]]) },
  {
    src: '#{2 => a, 1.5 => b, -1 => c, 1 bsl 70 => d, 2.0e30 => e}',
    term: ErlMap.from([
      [2, atom('a')],
      [float(1.5), atom('b')],
      [-1, atom('c')],
      [1n << 70n, atom('d')],
      [float(2e30), atom('e')],
    ]),
  },
  { src: '#{1 => a, 1.0 => b}', term: ErlMap.from([[float(1), atom('b')], [1, atom('a')]]) },
  {
    src: '#{a=>1, 1=>2, "x"=>3, {}=>4, <<>>=>5, []=>6, #{}=>7, {1.0}=>8, {2}=>9}',
    term: ErlMap.from([
      [atom('a'), 1],
      [1, 2],
      [charlist('x'), 3],
      [tuple(), 4],
      [binary([]), 5],
      [NIL, 6],
      [new ErlMap(), 7],
      [tuple(float(1)), 8],
      [tuple(2), 9],
    ]),
  },
  { src: '#{k => #{1 => [x]}}', term: ErlMap.from([[atom('k'), ErlMap.from([[1, list([atom('x')])]])]]) },
  // more than 32 keys: OTP's order is its hash order, except with [deterministic], where it is key order like small maps
  {
    src: 'maps:from_list([{I, I} || I <- lists:seq(1, 40)] ++ [{I + 0.5, f} || I <- lists:seq(1, 5)] ++ [{a, 1}, {{b}, 2}, {"s", 3}])',
    term: ErlMap.from([
      ...seq(1, 40).map((i) => [i, i] as [Term, Term]),
      ...seq(1, 5).map((i) => [float(i + 0.5), atom('f')] as [Term, Term]),
      [atom('a'), 1],
      [tuple(atom('b')), 2],
      [charlist('s'), 3],
    ]),
    opts: '[deterministic]',
  },
  // pids, references and ports of a non-distributed node
  { src: 'list_to_pid("<0.77.5>")', term: new Pid(nonode, 77, 5, 0) },
  { src: 'list_to_ref("#Ref<0.1.2.3>")', term: new Ref(nonode, [3, 2, 1], 0) },
  { src: 'list_to_ref("#Ref<0.4294967295.2.3>")', term: new Ref(nonode, [3, 2, 4294967295], 0) },
  { src: 'list_to_port("#Port<0.7>")', term: new Port(nonode, 7, 0) },
  // fun M:F/A
  { src: 'fun lists:map/2', term: new Fun(2, undefined, { kind: 'export', module: atom('lists'), name: atom('map'), arity: 2 }) },
  // compression
  { src: 'lists:duplicate(100, abc)', term: list(new Array(100).fill(atom('abc'))), opts: '[compressed]', enc: { compressed: true } },
  { src: 'lists:duplicate(100, abc)', term: list(new Array(100).fill(atom('abc'))), opts: '[{compressed,9}]', enc: { compressed: 9 } },
  { src: 'lists:duplicate(100, abc)', term: list(new Array(100).fill(atom('abc'))), opts: '[{compressed,1}]', enc: { compressed: 1 } },
  { src: 'lists:duplicate(100, abc)', term: list(new Array(100).fill(atom('abc'))), opts: '[{compressed,0}]', enc: { compressed: 0 } },
  { src: 'abc', term: atom('abc'), opts: '[compressed]', enc: { compressed: true } },
  { src: 'lists:seq(1,100)', term: list(seq(1, 100)), opts: '[compressed]', enc: { compressed: true } },
  {
    src: '{"text", <<"text text text text text">>, [1.5, 1.5, 1.5, 1.5]}',
    term: tuple(charlist('text'), binary([...Buffer.from('text text text text text')]), list([float(1.5), float(1.5), float(1.5), float(1.5)])),
    opts: '[compressed]',
    enc: { compressed: true },
    zlibMayDiffer: true,
  },
];

describe.skipIf(!haveErl)('term_to_binary writes the bytes real erl writes', () => {
  const erlBytes = haveErl ? erlTermToBinary(cases.map((c) => ({ src: c.src, opts: c.opts }))) : [];

  it.each(cases.map((c, i) => [c.src + (c.opts ? ' ' + c.opts : ''), i] as const))('encode %s', (_name, i) => {
    const c = cases[i];
    const ours = encode(c.term, c.enc);
    if (c.zlibMayDiffer) {
      expect(Array.from(ours.subarray(0, 6))).toEqual(Array.from(erlBytes[i].subarray(0, 6)));
      expect(Array.from(inflateSync(ours.subarray(6)))).toEqual(Array.from(inflateSync(erlBytes[i].subarray(6))));
    } else if (!Buffer.from(ours).equals(Buffer.from(erlBytes[i]))) {
      expect(Array.from(ours)).toEqual(Array.from(erlBytes[i])); // shows the difference
    }
  });

  it.each(cases.map((c, i) => [c.src + (c.opts ? ' ' + c.opts : ''), i] as const))('decode %s', (_name, i) => {
    const c = cases[i];
    const { term, used } = decode(erlBytes[i]);
    expect(exactEqual(term, c.term)).toBe(true);
    expect(used).toBe(erlBytes[i].length);
  });
});

describe.skipIf(!haveErl)('real erl reads what terl writes', () => {
  it('binary_to_term in erl gives back each term exactly (=:=)', () => {
    // (the huge lists are left out: erl_scan takes seconds over their byte lists, and their bytes are compared above)
    const small = cases.map((c) => ({ c, bytes: encode(c.term, c.enc) })).filter((x) => x.bytes.length < 5000);
    const checks = small.map(({ c, bytes }) => `binary_to_term(list_to_binary(${JSON.stringify(Array.from(bytes))})) =:= (${c.src})`);
    const out = erlEval(`io:format("~w~n", [[${checks.join(',\n')}]])`);
    expect(out.trim()).toBe('[' + small.map(() => 'true').join(',') + ']');
  });
});

describe.skipIf(!haveErl)('funs from real erl', () => {
  // shell funs (erl_eval closures): with a captured variable, of arity 2, and a named fun
  const srcs = [
    'begin X = 7, fun() -> {node(), X} end end',
    'fun(A, B) -> A + B end',
    'fun F(0) -> done; F(N) -> F(N-1) end',
  ];
  const erlBytes = haveErl ? erlTermToBinary(srcs.map((src) => ({ src }))) : [];

  it('a fun terl cannot run decodes as foreign and re-encodes to the same bytes', () => {
    for (const bytes of erlBytes.slice(0, 3)) {
      const f = decodeTerm(bytes);
      expect(f).toBeInstanceOf(Fun);
      const fun = f as Fun;
      expect(fun.fn).toBeUndefined();
      expect(fun.info.kind).toBe('foreign');
      expect(Array.from(encode(fun))).toEqual(Array.from(bytes));
    }
  });

  it('the foreign fun keeps module, arity, creator and free variables', () => {
    const fun = decodeTerm(erlBytes[1]) as Fun;
    expect(fun.arity).toBe(2);
    if (fun.info.kind !== 'foreign') throw new Error('not foreign');
    expect(fun.info.module).toBe(atom('erl_eval'));
    expect(fun.info.index).toBe(41);
    expect(fun.info.pid.node).toBe(nonode);
    expect(fun.info.free.length).toBe(1);
  });

  it("a terl shell fun ('eval' kind) encodes as erl_eval's closure, exactly as erl writes it", () => {
    for (const bytes of erlBytes.slice(0, 3)) {
      const orig = decodeTerm(bytes) as Fun;
      if (orig.info.kind !== 'foreign') throw new Error('not foreign');
      const shellFun = new Fun(orig.arity, undefined, { kind: 'eval', env: orig.info.free[0], pid: orig.info.pid });
      expect(Array.from(encode(shellFun))).toEqual(Array.from(bytes));
    }
  });
});

describe('decoding what OTP accepts and rejects', () => {
  const ok = (bytes: number[]): Term => decodeTerm(Uint8Array.from(bytes));
  const bad = (bytes: number[]): void => {
    expect(() => decode(Uint8Array.from(bytes))).toThrow(EtfError);
  };

  it('old and alternative tags', () => {
    expect(ok([131, 115, 1, 97])).toBe(atom('a')); // SMALL_ATOM_EXT
    expect(ok([131, 118, 0, 2, 195, 169])).toBe(atom('é')); // ATOM_UTF8_EXT
    expect(exactEqual(ok([131, 99, ...Buffer.from('1.5'), ...new Array(28).fill(0)]), float(1.5))).toBe(true); // FLOAT_EXT
    expect(exactEqual(ok([131, 103, 100, 0, 1, 110, 0, 0, 0, 1, 0, 0, 0, 2, 3]), new Pid(atom('n'), 1, 2, 3))).toBe(true); // PID_EXT
    expect(exactEqual(ok([131, 101, 100, 0, 1, 110, 0, 0, 0, 9, 1]), new Ref(atom('n'), [9], 1))).toBe(true); // REFERENCE_EXT
    expect(exactEqual(ok([131, 114, 0, 2, 100, 0, 1, 110, 2, 0, 0, 0, 1, 0, 0, 0, 2]), new Ref(atom('n'), [1, 2], 2))).toBe(true);
    expect(exactEqual(ok([131, 102, 100, 0, 1, 110, 0, 0, 0, 5, 1]), new Port(atom('n'), 5, 1))).toBe(true); // PORT_EXT
    expect(exactEqual(ok([131, 120, 100, 0, 1, 110, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]), new Port(atom('n'), 2 ** 32 + 2, 3))).toBe(true);
    expect(exactEqual(ok([131, 108, 0, 0, 0, 0, 97, 1]), 1)).toBe(true); // LIST_EXT of no elements: just the tail
    expect(ok([131, 110, 2, 0, 5, 0])).toBe(5); // unnormalised bignum
    expect(ok([131, 110, 0, 0])).toBe(0);
    expect(ok([131, 105, 0, 0, 0, 1, 97, 1])).toBeInstanceOf(Tuple);
  });

  it('binary_to_term ignores bytes after the term and reports what it used', () => {
    expect(decode(Uint8Array.from([131, 97, 1, 2, 3]))).toEqual({ term: 1, used: 3 });
    const c = encode(list(new Array(100).fill(atom('abc'))), { compressed: true });
    const r = decode(Uint8Array.from([...c, 1, 2, 3]));
    expect(r.used).toBe(c.length);
  });

  it('bitstrings: unused bits are cleared, bit counts checked', () => {
    const b = ok([131, 77, 0, 0, 0, 1, 3, 255]) as Bin;
    expect(b.bitSize).toBe(3);
    expect(b.bytes[0]).toBe(0xe0);
    bad([131, 77, 0, 0, 0, 1, 0, 5]);
    bad([131, 77, 0, 0, 0, 1, 9, 5]);
    bad([131, 77, 0, 0, 0, 0, 3]);
  });

  it('rejects what OTP rejects', () => {
    bad([]);
    bad([131]);
    bad([130, 97, 1]);
    bad([131, 131, 97, 1]);
    bad([1, 2]);
    bad([131, 116, 0, 0, 0, 2, 97, 1, 97, 2, 97, 1, 97, 3]); // duplicate map key
    bad([131, 100, 1, 0, ...new Array(256).fill(97)]); // atom of 256 characters
    bad([131, 118, 0, 2, 195, 40]); // bad UTF-8
    bad([131, 70, 127, 240, 0, 0, 0, 0, 0, 0]); // infinity
    bad([131, 90, 0, 6, 100, 0, 1, 97, 0, 0, 0, 0, ...new Array(24).fill(0)]); // 6-word reference
    bad([131, 88, 97, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]); // pid node not an atom
    bad([131, 99, ...Buffer.from('  1.5e3x'), ...new Array(23).fill(0)]);
    bad([131, 117, 0, 0, 0, 0]); // FUN_EXT is gone
    bad([131, 82, 0]); // atom cache ref outside a distribution header
  });

  it('absurd lengths are refused before anything is allocated', () => {
    bad([131, 108, 255, 255, 255, 255, 106]);
    bad([131, 105, 255, 255, 255, 255]);
    bad([131, 116, 255, 255, 255, 255]);
    bad([131, 109, 255, 255, 255, 255, 1]);
    bad([131, 111, 255, 255, 255, 255, 0, 1]);
    bad([131, 80, 255, 255, 255, 255, 120, 156, 3, 0]);
  });

  it('a compressed term must inflate to its stated size', () => {
    const c = encode(list(new Array(100).fill(atom('abc'))), { compressed: true });
    const wrong = Uint8Array.from(c);
    wrong[5] += 1;
    expect(() => decode(wrong)).toThrow(EtfError);
    expect(() => decode(c, { maxSize: 100 })).toThrow(EtfError);
  });

  it('safe mode never creates atoms, not even inside pids', () => {
    const name = 'etf_test_never_seen_' + process.pid;
    const bytes = Uint8Array.from([131, 100, 0, name.length, ...Buffer.from(name)]);
    expect(() => decode(bytes, { safe: true })).toThrow(EtfError);
    const pidBytes = Uint8Array.from([131, 88, 100, 0, name.length, ...Buffer.from(name), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(() => decode(pidBytes, { safe: true })).toThrow(EtfError);
    expect(decodeTerm(Uint8Array.from([131, 100, 0, 2, 111, 107]), { safe: true })).toBe(atom('ok'));
    // the unsafe decode creates it
    expect((decodeTerm(bytes) as Atom).name).toBe(name);
  });
});

describe('deep terms', () => {
  // far deeper than a recursive codec survives on the default stack
  it('100000 nested tuples and nested lists go both ways without recursion', () => {
    let t: Term = NIL;
    for (let i = 0; i < 100_000; i++) t = tuple(t);
    const bytes = encode(t);
    expect(bytes.length).toBe(1 + 2 * 100_000 + 1);
    let back = decodeTerm(bytes);
    let depth = 0;
    while (back instanceof Tuple) {
      back = back.elements[0];
      depth++;
    }
    expect(depth).toBe(100_000);

    // [[[...[end, 0]..., 49998], 49999]: each list nested in the head of the next
    let l: Term = atom('end');
    for (let i = 0; i < 50_000; i++) l = list([l, i]);
    let d = decodeTerm(encode(l));
    let wrong = 0;
    for (let i = 49_999; i >= 0; i--) {
      const items = listToArray(d)!;
      if (items[1] !== i) wrong++;
      d = items[0];
    }
    expect(wrong).toBe(0);
    expect(d).toBe(atom('end'));
  });
});

describe('distribution frames', () => {
  it('112 | 131 Control | 131 Message, atoms as UTF-8', () => {
    const ctrl = tuple(6, new Pid(atom('a@h'), 1, 0, 7), atom(''), atom('rex'));
    const msg = tuple(atom('hé'), binary([1]));
    const frame = encodeControl(ctrl, msg);
    expect(frame[0]).toBe(112);
    expect(frame[1]).toBe(131);
    expect(Array.from(frame.subarray(2, 6))).toEqual([104, 4, 97, 6]);
    expect(Array.from(frame.subarray(6, 13))).toEqual([88, 119, 3, 97, 64, 104, 0]);
    const back = decodeControl(frame);
    expect(exactEqual(back.control, ctrl)).toBe(true);
    expect(exactEqual(back.payload!, msg)).toBe(true);
    const only = decodeControl(encodeControl(tuple(20, atom('x'))));
    expect(only.payload).toBeUndefined();
  });

  it('frames appended to one buffer carry their lengths, and a term that cannot be encoded leaves the rest', () => {
    const w = new Writer(16);
    appendFrame(w, tuple(2, atom(''), new Pid(atom('a@h'), 1, 0, 7)), atom('one'), { utf8Atoms: true });
    expect(() => appendFrame(w, tuple(2, atom(''), atom('x')), { nonsense: true } as unknown as Term, {})).toThrow(EtfError);
    appendFrame(w, tuple(2, atom(''), new Pid(atom('a@h'), 1, 0, 7)), atom('two'), {});
    const out = w.buf.subarray(0, w.pos);
    const view = new DataView(out.buffer, out.byteOffset);
    const first = view.getUint32(0);
    const second = view.getUint32(4 + first);
    expect(4 + first + 4 + second).toBe(out.length);
    expect(decodeControl(out.subarray(4, 4 + first)).payload).toBe(atom('one'));
    expect(decodeControl(out.subarray(8 + first)).payload).toBe(atom('two'));
  });

  it('atoms read again are the same atoms, whatever their encoding and hash', () => {
    // 'a17wzx' and 'a1a6cd' have the same hash in the decoder's table of atoms seen before
    const read = (name: string) => decodeTerm(Uint8Array.from([131, 119, name.length, ...Buffer.from(name, 'latin1')]));
    for (let i = 0; i < 2; i++) {
      expect(read('a17wzx')).toBe(atom('a17wzx'));
      expect(read('a1a6cd')).toBe(atom('a1a6cd'));
    }
    // the same bytes as Latin-1 (ATOM_EXT) and as UTF-8 (SMALL_ATOM_UTF8_EXT) are different atoms
    const bytes = [0xc3, 0xa9];
    for (let i = 0; i < 2; i++) {
      expect(decodeTerm(Uint8Array.from([131, 100, 0, 2, ...bytes]))).toBe(atom('\u00c3\u00a9'));
      expect(decodeTerm(Uint8Array.from([131, 119, 2, ...bytes]))).toBe(atom('é'));
    }
  });

  it('refuses atom-cache headers and junk', () => {
    expect(() => decodeControl(Uint8Array.from([131, 68, 0]))).toThrow(EtfError);
    expect(() => decodeControl(Uint8Array.from([112, 131, 97, 1]))).toThrow(EtfError);
    expect(() => decodeControl(Uint8Array.from([112, 131, 104, 1, 97, 1, 131, 97, 1, 9]))).toThrow(EtfError);
  });
});
