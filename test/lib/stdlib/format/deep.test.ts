// deep character lists to text (runtime/lib/stdlib/format/deep.ts): a short text is gathered in
// an array of its size, a long one in runs, long strings join as they are
import { describe, expect, it } from 'vitest';
import { flatten } from '../../../../runtime/lib/stdlib/format/deep.js';

describe('flatten', () => {
  it('joins characters, strings and nested lists in order', () => {
    expect(flatten([123, ['1', 44, [91, '2', 93]], 125])).toBe('{1,[2]}');
    expect(flatten([])).toBe('');
    expect(flatten('as is')).toBe('as is');
  });
  it('writes characters above 0xFFFF as their two halves, and strings with them as they are', () => {
    expect(flatten([0x1f600, 'a\u{1f601}', [0x10ffff]])).toBe('\u{1f600}a\u{1f601}\u{10ffff}');
  });
  it('refuses a code above 0x10FFFF with a RangeError (badarg for the formatter)', () => {
    expect(() => flatten([65, 0x110000])).toThrow(RangeError);
    expect(() => flatten([65, ['x'.repeat(9000)], 0x110000])).toThrow(RangeError);
  });
  it('keeps long texts whole: many characters, long strings among them', () => {
    const codes = Array.from({ length: 20000 }, (_, i) => 0x41 + (i % 26));
    const long = 'y'.repeat(100);
    const want = String.fromCharCode(...codes.slice(0, 10000)) + long + 'z' + String.fromCharCode(...codes.slice(10000)) + '\u{1f600}';
    expect(flatten([codes.slice(0, 10000), long, 'z', [codes.slice(10000)], 0x1f600])).toBe(want);
  });
});
