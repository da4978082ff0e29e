import { describe, expect, it } from 'vitest';
import { Tuple, atom, normInt } from '../../../runtime/vm/term.js';
import { call, w } from '../bifs_harness.js';

// Clock BIFs cannot be compared with erl's output; check their shapes and their agreement with the host clock.

function nums(t: unknown, n: number): number[] {
  expect(t).toBeInstanceOf(Tuple);
  const es = (t as Tuple).elements;
  expect(es.length).toBe(n);
  for (const e of es) expect(typeof e).toBe('number');
  return es as number[];
}

describe('time BIFs', () => {
  it('system_time agrees with the host clock in every unit', () => {
    const ms = Date.now();
    const s = call('erlang', 'system_time', [atom('second')]) as number;
    expect(Math.abs(s - ms / 1000)).toBeLessThan(5);
    const us = call('erlang', 'system_time', [atom('microsecond')]);
    expect(Math.abs(Number(us) / 1000 - ms)).toBeLessThan(5000);
    const native = call('erlang', 'system_time', []);
    expect(typeof native === 'bigint' || typeof native === 'number').toBe(true);
    expect(Math.abs(Number(native) / 1e6 - ms)).toBeLessThan(5000);
  });

  it('monotonic_time never goes back', () => {
    let prev = call('erlang', 'monotonic_time', []) as number | bigint;
    for (let i = 0; i < 1000; i++) {
      const t = call('erlang', 'monotonic_time', []) as number | bigint;
      expect(BigInt(t) >= BigInt(prev)).toBe(true);
      prev = t;
    }
  });

  it('now/0 is strictly increasing and timestamp/0 is {Mega, Secs, Micro}', () => {
    const a = nums(call('erlang', 'now', []), 3);
    const b = nums(call('erlang', 'now', []), 3);
    const us = (x: number[]): bigint => BigInt(x[0]) * 1_000_000_000_000n + BigInt(x[1]) * 1_000_000n + BigInt(x[2]);
    expect(us(b) > us(a)).toBe(true);
    const [mega, secs, micro] = nums(call('os', 'timestamp', []), 3);
    expect(Math.abs(mega * 1e6 + secs - Date.now() / 1000)).toBeLessThan(5);
    expect(micro).toBeLessThan(1_000_000);
  });

  it('localtime, universaltime, date and time are valid calendar tuples', () => {
    for (const name of ['localtime', 'universaltime']) {
      const t = call('erlang', name, []) as Tuple;
      const [y, mo, d] = nums(t.elements[0], 3);
      const [h, mi, s] = nums(t.elements[1], 3);
      expect(call('calendar', 'valid_date', [normInt(BigInt(y)), mo, d])).toBe(atom('true'));
      expect(h < 24 && mi < 60 && s < 60).toBe(true);
    }
    const u = call('erlang', 'universaltime', []) as Tuple;
    expect(nums(u.elements[0], 3)[0]).toBe(new Date().getUTCFullYear());
    // round trip through the local time zone
    expect(w(call('erlang', 'localtime_to_universaltime', [call('erlang', 'universaltime_to_localtime', [u])]))).toBe(w(u));
    expect(w(call('calendar', 'universal_time', []))).toMatch(/^\{\{\d+,\d+,\d+\},\{\d+,\d+,\d+\}\}$/);
  });
});
