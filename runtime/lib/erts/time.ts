// erlang's time: monotonic and system time in every unit, now/0, date/0, time/0, localtime and
// universaltime conversions, timestamps, unique_integer.

import { performance } from 'node:perf_hooks';
import { Atom, Term, Tuple, atom, isInteger, normInt, tuple } from '../../vm/term.js';
import { isProperList, items } from '../common.js';
import { bif, fail, NOT_INTEGER, NOT_LIST, BAD_TIME_UNIT } from './bif.js';

// ---------- time ----------

/** native time unit: nanoseconds, as OTP on Linux. */
const NATIVE_PER_SEC = 1_000_000_000n;
/** monotonic time starts at an arbitrary (negative) point, as in OTP */
export const MONO_OFFSET = process.hrtime.bigint() + 576460752303423488n;

function nowNs(): bigint {
  const ms = performance.timeOrigin + performance.now();
  return BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.floor((ms % 1) * 1e6));
}

/** Units per second of a time unit term, or undefined. */
export function unitsPerSecond(u: Term): bigint | undefined {
  if (typeof u === 'number' && Number.isInteger(u) && u > 0) return BigInt(u);
  if (typeof u === 'bigint' && u > 0n) return u;
  if (!(u instanceof Atom)) return undefined;
  switch (u.name) {
    case 'second':
    case 'seconds':
      return 1n;
    case 'millisecond':
    case 'milli_seconds':
      return 1000n;
    case 'microsecond':
    case 'micro_seconds':
      return 1_000_000n;
    case 'nanosecond':
    case 'nano_seconds':
    case 'native':
    case 'perf_counter':
      return NATIVE_PER_SEC;
    default:
      return undefined;
  }
}

/** Convert by flooring, as erlang:convert_time_unit/3 does. */
export function convertTime(t: bigint, from: bigint, to: bigint): bigint {
  const num = t * to;
  let q = num / from;
  if (num % from !== 0n && num < 0n) q -= 1n;
  return q;
}

function timeIn(name: string, ns: bigint, unit: Term): Term {
  const u = unitsPerSecond(unit);
  if (u === undefined) throw fail(name, [unit], { 1: BAD_TIME_UNIT });
  return normInt(convertTime(ns, NATIVE_PER_SEC, u));
}

export function monotonicNs(): bigint {
  return process.hrtime.bigint() - MONO_OFFSET;
}

bif('monotonic_time', 0, () => normInt(monotonicNs()));
bif('monotonic_time', 1, (u) => timeIn('monotonic_time', monotonicNs(), u));
bif('system_time', 0, () => normInt(nowNs()));
bif('system_time', 1, (u) => timeIn('system_time', nowNs(), u));
bif('time_offset', 0, () => normInt(nowNs() - monotonicNs()));
bif('time_offset', 1, (u) => timeIn('time_offset', nowNs() - monotonicNs(), u));
bif('convert_time_unit', 3, (t, from, to) => {
  const f = unitsPerSecond(from);
  const g = unitsPerSecond(to);
  if (!isInteger(t) || f === undefined || g === undefined) {
    const why: Record<number, string> = {};
    if (!isInteger(t)) why[1] = NOT_INTEGER;
    if (f === undefined) why[2] = BAD_TIME_UNIT;
    if (g === undefined) why[3] = BAD_TIME_UNIT;
    throw fail('convert_time_unit', [t, from, to], why);
  }
  return normInt(convertTime(BigInt(t), f, g));
});

/** {MegaSecs, Secs, MicroSecs} of a time in microseconds. */
export function timestampTuple(us: bigint): Tuple {
  const mega = us / 1_000_000_000_000n;
  const secs = (us / 1_000_000n) % 1_000_000n;
  const micro = us % 1_000_000n;
  return tuple(Number(mega), Number(secs), Number(micro));
}

bif('timestamp', 0, () => timestampTuple(nowNs() / 1000n));

let lastNow = 0n;
bif('now', 0, () => {
  let us = nowNs() / 1000n;
  if (us <= lastNow) us = lastNow + 1n;
  lastNow = us;
  return timestampTuple(us);
});

export function dateTuple(d: Date, utc: boolean): Tuple {
  return utc
    ? tuple(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
    : tuple(d.getFullYear(), d.getMonth() + 1, d.getDate());
}
export function timeTuple(d: Date, utc: boolean): Tuple {
  return utc
    ? tuple(d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds())
    : tuple(d.getHours(), d.getMinutes(), d.getSeconds());
}

bif('date', 0, () => dateTuple(new Date(), false));
bif('time', 0, () => timeTuple(new Date(), false));
bif('localtime', 0, () => {
  const d = new Date();
  return tuple(dateTuple(d, false), timeTuple(d, false));
});
bif('universaltime', 0, () => {
  const d = new Date();
  return tuple(dateTuple(d, true), timeTuple(d, true));
});

/** {{Y,M,D},{H,Mi,S}} as numbers, or undefined when it is not a valid datetime. */
export function readDateTime(t: Term): [number, number, number, number, number, number] | undefined {
  if (!(t instanceof Tuple) || t.elements.length !== 2) return undefined;
  const [d, tm] = t.elements;
  if (!(d instanceof Tuple) || !(tm instanceof Tuple) || d.elements.length !== 3 || tm.elements.length !== 3) return undefined;
  const xs = [...d.elements, ...tm.elements];
  if (!xs.every((x) => typeof x === 'number' && Number.isInteger(x))) return undefined;
  const [y, mo, da, h, mi, s] = xs as number[];
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return undefined;
  const probe = new Date(Date.UTC(2000, mo - 1, da));
  if (probe.getUTCMonth() !== mo - 1 && !(mo === 2 && da === 29 && isLeap(y))) return undefined;
  if (mo === 2 && da === 29 && !isLeap(y)) return undefined;
  return [y, mo, da, h, mi, s];
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

bif('localtime_to_universaltime', 1, (t) => {
  const dt = readDateTime(t);
  if (dt === undefined) throw fail('localtime_to_universaltime', [t], { 1: 'not a valid local time' });
  const d = new Date(dt[0], dt[1] - 1, dt[2], dt[3], dt[4], dt[5]);
  if (dt[0] >= 0 && dt[0] < 100) d.setFullYear(dt[0]);
  return tuple(dateTuple(d, true), timeTuple(d, true));
});
bif('universaltime_to_localtime', 1, (t) => {
  const dt = readDateTime(t);
  if (dt === undefined) throw fail('universaltime_to_localtime', [t], { 1: 'not a valid universal time' });
  const d = new Date(Date.UTC(dt[0], dt[1] - 1, dt[2], dt[3], dt[4], dt[5]));
  if (dt[0] >= 0 && dt[0] < 100) d.setUTCFullYear(dt[0]);
  return tuple(dateTuple(d, false), timeTuple(d, false));
});

let uniqueCounter = 0;
bif('unique_integer', 0, () => ++uniqueCounter - 576460752303423487);
bif('unique_integer', 1, (mods) => {
  const ms = items(mods);
  if (ms === undefined || !ms.every((m) => m === atom('positive') || m === atom('monotonic'))) {
    throw fail('unique_integer', [mods], { 1: isProperList(mods) ? 'invalid modifier' : NOT_LIST });
  }
  const n = ++uniqueCounter;
  return ms.includes(atom('positive')) ? n : n - 576460752303423487;
});
