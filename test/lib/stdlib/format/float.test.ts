// Float texts against real erl 25 (test/fixtures/format/float.json, made by gen_float.escript):
// ~w's shortest form, float_to_list/1,2, and io_lib's ~e ~f ~g.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErlFloat } from '../../../../runtime/vm/term.js';
import { FloatOptionError, floatToList, formatFloat } from '../../../../runtime/lib/stdlib/format/float.js';
import { format } from '../../../../runtime/lib/stdlib/format/io_lib.js';

interface Case {
  bits: string;
  w: string;
  default: string;
  d0: string | null;
  d4: string | null;
  d10c: string | null;
  d0c: string | null;
  d19: string | null;
  s3: string | null;
  e: string;
  f: string;
  g: string;
  f2: string;
  e3: string;
  g3: string;
}

const cases: Case[] = JSON.parse(readFileSync(new URL('../../../fixtures/format/float.json', import.meta.url), 'utf8'));

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt('0x' + hex));
  return view.getFloat64(0);
}

function orNull(f: () => string): string | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof FloatOptionError) return null;
    throw e;
  }
}

describe('floats as erl writes them', () => {
  it.each(cases.map((c) => [c.w, c] as const))('%s', (_w, c) => {
    const v = fromBits(c.bits);
    expect(formatFloat(v)).toBe(c.w);
    expect(floatToList(v)).toBe(c.default);
    expect(orNull(() => floatToList(v, [{ decimals: 0 }]))).toBe(c.d0);
    expect(orNull(() => floatToList(v, [{ decimals: 4 }]))).toBe(c.d4);
    expect(orNull(() => floatToList(v, [{ decimals: 10 }, 'compact']))).toBe(c.d10c);
    expect(orNull(() => floatToList(v, [{ decimals: 0 }, 'compact']))).toBe(c.d0c);
    expect(orNull(() => floatToList(v, [{ decimals: 19 }]))).toBe(c.d19);
    expect(orNull(() => floatToList(v, [{ scientific: 3 }]))).toBe(c.s3);
    const f = new ErlFloat(v);
    expect(format('~e|~f|~g|~.2f|~.3e|~.3g', [f, f, f, f, f, f])).toBe([c.e, c.f, c.g, c.f2, c.e3, c.g3].join('|'));
  });

  it('rejects options erts rejects', () => {
    expect(() => floatToList(1.0, [{ decimals: 254 }])).toThrow(FloatOptionError);
    expect(() => floatToList(1.0, [{ scientific: 250 }])).toThrow(FloatOptionError);
    expect(floatToList(1.0, [{ decimals: 253 }]).length).toBe(255);
  });

  it('lets the last of decimals/scientific/short win', () => {
    expect(floatToList(2.5, [{ decimals: 1 }, { scientific: 2 }])).toBe('2.50e+00');
    expect(floatToList(2.5, [{ scientific: 2 }, { decimals: 1 }])).toBe('2.5');
    expect(floatToList(2.5, [{ decimals: 3 }, 'compact'])).toBe('2.5');
  });
});
