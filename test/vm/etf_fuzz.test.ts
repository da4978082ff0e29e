// binary_to_term on hostile input: random and mutated bytes either decode or raise EtfError,
// never another exception, never a hang, never a huge allocation. Seeded, so failures reproduce.

import { describe, it, expect } from 'vitest';
import { atom, exactEqual, tuple, NIL } from '../../runtime/vm/term.js';
import { randomTerm, rng } from '../fuzz/gen.js';
import { EtfError, decode, decodeControl, encode, encodeControl } from '../../runtime/vm/etf.js';

/** decode must either give a term or throw EtfError. */
function survives(bytes: Uint8Array): void {
  try {
    decode(bytes);
  } catch (e) {
    if (!(e instanceof EtfError)) throw new Error(`${String(e)} for input [${Array.from(bytes).join(',')}]`);
  }
}

describe('decoding hostile input', () => {
  it('random terms round-trip', () => {
    const r = rng(1);
    for (let i = 0; i < 1500; i++) {
      const t = randomTerm(r, 0);
      const back = decode(encode(t)).term;
      expect(exactEqual(back, t)).toBe(true);
      const z = decode(encode(t, { compressed: 9, minorVersion: i % 3 === 0 ? 0 : 2 })).term;
      expect(exactEqual(z, t)).toBe(true);
    }
  });

  it('mutated encodings decode or raise EtfError', () => {
    const r = rng(2);
    const int = (n: number): number => Math.floor(r() * n);
    for (let i = 0; i < 5000; i++) {
      const good = encode(randomTerm(r, 0), { compressed: i % 10 === 0 });
      const b = Uint8Array.from(good);
      switch (int(5)) {
        case 0: // flip some bytes
          for (let k = 0; k <= int(3); k++) b[int(b.length)] = int(256);
          survives(b);
          break;
        case 1: // truncate
          survives(b.subarray(0, int(b.length)));
          break;
        case 2: {
          // a length field turned huge
          const at = 1 + int(Math.max(1, b.length - 4));
          b.set([0xff, 0xff, 0xff, int(256)].slice(0, Math.min(4, b.length - at)), at);
          survives(b);
          break;
        }
        case 3: {
          // bytes inserted
          const at = int(b.length);
          survives(Uint8Array.from([...b.subarray(0, at), ...Array.from({ length: 1 + int(4) }, () => int(256)), ...b.subarray(at)]));
          break;
        }
        default: // a tag replaced
          b[1 + int(b.length - 1)] = [70, 77, 80, 82, 88, 89, 90, 97, 98, 99, 100, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 116, 118, 119, 120][int(26)];
          survives(b);
      }
    }
  });

  it('random bytes after the version byte decode or raise EtfError', () => {
    const r = rng(3);
    for (let i = 0; i < 5000; i++) {
      const len = Math.floor(r() * 40);
      const b = new Uint8Array(len + 1);
      b[0] = 131;
      for (let k = 1; k <= len; k++) b[k] = Math.floor(r() * 256);
      survives(b);
    }
  });

  it('mutated distribution frames: decodeControl gives a control message or raises EtfError', () => {
    const r = rng(4);
    const int = (n: number): number => Math.floor(r() * n);
    for (let i = 0; i < 2000; i++) {
      const ctrl = tuple(int(40), randomTerm(r, 2), atom('x'), randomTerm(r, 2));
      const frame = encodeControl(ctrl, i % 2 === 0 ? randomTerm(r, 0) : undefined);
      const ok = decodeControl(frame);
      expect(exactEqual(ok.control, ctrl)).toBe(true);
      const b = Uint8Array.from(frame);
      for (let k = 0; k <= int(3); k++) b[int(b.length)] = int(256);
      const cut = i % 3 === 0 ? b.subarray(0, int(b.length)) : b;
      try {
        decodeControl(cut);
      } catch (e) {
        if (!(e instanceof EtfError)) throw new Error(`${String(e)} for frame [${Array.from(cut).join(',')}]`);
      }
    }
  });

  it('sizes claiming gigabytes are refused at once', () => {
    const tags = [105, 107, 108, 109, 111, 116];
    for (const tag of tags) {
      expect(() => decode(Uint8Array.from([131, tag, 0xff, 0xff, 0xff, 0xff, 0]))).toThrow(EtfError);
    }
    expect(() => decode(Uint8Array.from([131, 112, 0xff, 0xff, 0xff, 0xff, 0]))).toThrow(EtfError);
    expect(decode(Uint8Array.from([131, 106])).term).toBe(NIL);
  });
});
