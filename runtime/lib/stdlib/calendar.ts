// Module calendar: the proleptic Gregorian calendar (day 0 is 0000-01-01), conversions between
// dates, days and seconds, and the current local and universal time.

import { List, NIL, Term, Tuple, atom, bool, isInteger, tuple } from '../../vm/term.js';
import { defineBif, lookupBif } from '../../vm/bif_registry.js';
import { fnClause } from '../common.js';
import { dateTuple, timeTuple } from '../erts/time.js';

const C = 'calendar';
const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(C, name, arity, impl);

const DAYS_PER_400_YEARS = 146097;
const SECONDS_PER_DAY = 86400;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function monthDays(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Days since 0000-01-01 (OTP's date_to_gregorian_days). */
export function gregorianDays(y: number, m: number, d: number): number {
  // days before year y
  const yy = y - 1;
  const before = y === 0 ? 0 : 366 + yy * 365 + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400);
  let days = before;
  for (let k = 1; k < m; k++) days += monthDays(y, k);
  return days + d - 1;
}

export function daysToDate(days: number): [number, number, number] {
  // estimate the year, then correct
  let y = Math.floor((days * 400) / DAYS_PER_400_YEARS);
  while (gregorianDays(y + 1, 1, 1) <= days) y++;
  while (gregorianDays(y, 1, 1) > days) y--;
  let rest = days - gregorianDays(y, 1, 1);
  let m = 1;
  while (rest >= monthDays(y, m)) {
    rest -= monthDays(y, m);
    m++;
  }
  return [y, m, rest + 1];
}

function ints(t: Term, n: number): number[] | undefined {
  if (!(t instanceof Tuple) || t.elements.length !== n || !t.elements.every((x) => typeof x === 'number')) return undefined;
  return t.elements as number[];
}

function dateArg(t: Term, name: string, args: Term[]): [number, number, number] {
  const d = ints(t, 3);
  if (d === undefined || !valid(d[0], d[1], d[2])) throw fnClause(C, name, args, 0);
  return d as [number, number, number];
}

function valid(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= monthDays(y, m);
}

function datetimeArg(t: Term, name: string, args: Term[]): [number, number, number, number, number, number] {
  if (!(t instanceof Tuple) || t.elements.length !== 2) throw fnClause(C, name, args, 0);
  const d = dateArg(t.elements[0], name, args);
  const tm = ints(t.elements[1], 3);
  if (tm === undefined) throw fnClause(C, name, args, 0);
  return [...d, ...tm] as [number, number, number, number, number, number];
}

def('is_leap_year', 1, (y) => {
  if (typeof y !== 'number') throw fnClause(C, 'is_leap_year', [y], 0);
  return bool(isLeap(y));
});
def('last_day_of_the_month', 2, (y, m) => {
  if (typeof y !== 'number' || typeof m !== 'number' || m < 1 || m > 12) throw fnClause(C, 'last_day_of_the_month', [y, m], 0);
  return monthDays(y, m);
});
def('valid_date', 1, (d) => {
  const x = ints(d, 3);
  return bool(x !== undefined && valid(x[0], x[1], x[2]));
});
def('valid_date', 3, (y, m, d) => bool(typeof y === 'number' && typeof m === 'number' && typeof d === 'number' && valid(y, m, d)));

def('date_to_gregorian_days', 1, (t) => gregorianDays(...dateArg(t, 'date_to_gregorian_days', [t])));
def('date_to_gregorian_days', 3, (y, m, d) => gregorianDays(...dateArg(tuple(y, m, d), 'date_to_gregorian_days', [y, m, d])));
def('gregorian_days_to_date', 1, (n) => {
  if (typeof n !== 'number' || n < 0) throw fnClause(C, 'gregorian_days_to_date', [n], 0);
  return tuple(...daysToDate(n));
});

def('datetime_to_gregorian_seconds', 1, (t) => {
  const [y, m, d, h, mi, s] = datetimeArg(t, 'datetime_to_gregorian_seconds', [t]);
  return gregorianDays(y, m, d) * SECONDS_PER_DAY + h * 3600 + mi * 60 + s;
});
def('gregorian_seconds_to_datetime', 1, (n) => {
  if (typeof n !== 'number' || n < 0) throw fnClause(C, 'gregorian_seconds_to_datetime', [n], 0);
  const days = Math.floor(n / SECONDS_PER_DAY);
  const secs = n % SECONDS_PER_DAY;
  return tuple(tuple(...daysToDate(days)), secondsToTime(secs));
});

function secondsToTime(secs: number): Tuple {
  return tuple(Math.floor(secs / 3600), Math.floor((secs % 3600) / 60), secs % 60);
}

def('day_of_the_week', 1, (t) => (gregorianDays(...dateArg(t, 'day_of_the_week', [t])) + 5) % 7 + 1);
def('day_of_the_week', 3, (y, m, d) => (gregorianDays(...dateArg(tuple(y, m, d), 'day_of_the_week', [y, m, d])) + 5) % 7 + 1);

def('seconds_to_time', 1, (s) => {
  if (typeof s !== 'number' || s < 0 || s >= SECONDS_PER_DAY) throw fnClause(C, 'seconds_to_time', [s], 0);
  return secondsToTime(s);
});
def('time_to_seconds', 1, (t) => {
  const x = ints(t, 3);
  if (x === undefined) throw fnClause(C, 'time_to_seconds', [t], 0);
  return x[0] * 3600 + x[1] * 60 + x[2];
});
def('seconds_to_daystime', 1, (s) => {
  if (typeof s !== 'number') throw fnClause(C, 'seconds_to_daystime', [s], 0);
  const days = Math.floor(s / SECONDS_PER_DAY);
  return tuple(days, secondsToTime(s - days * SECONDS_PER_DAY));
});

// ---------- now ----------

function nowDateTime(utc: boolean, d = new Date()): Tuple {
  return tuple(dateTuple(d, utc), timeTuple(d, utc));
}

def('local_time', 0, () => nowDateTime(false));
def('universal_time', 0, () => nowDateTime(true));

/** A {MegaSecs, Secs, MicroSecs} timestamp as a JS Date. */
function nowArg(t: Term, name: string): Date {
  const x = ints(t, 3);
  if (x === undefined) throw fnClause(C, name, [t], 0);
  return new Date((x[0] * 1e6 + x[1]) * 1000 + Math.floor(x[2] / 1000));
}

def('now_to_universal_time', 1, (t) => nowDateTime(true, nowArg(t, 'now_to_universal_time')));
def('now_to_datetime', 1, (t) => nowDateTime(true, nowArg(t, 'now_to_datetime')));
def('now_to_local_time', 1, (t) => nowDateTime(false, nowArg(t, 'now_to_local_time')));

function viaErlang(name: string, t: Term): Term {
  const b = lookupBif('erlang', name, 1)!;
  return b.pure!(t);
}

def('local_time_to_universal_time', 1, (t) => viaErlang('localtime_to_universaltime', t));
def('universal_time_to_local_time', 1, (t) => viaErlang('universaltime_to_localtime', t));
def('local_time_to_universal_time_dst', 1, (t) => listOfOne(viaErlang('localtime_to_universaltime', t)));

function listOfOne(t: Term): Term {
  return new List(t, NIL);
}

/** Unix epoch in gregorian seconds. */
const EPOCH = 62167219200;

function systemTimeTo(name: string, utc: boolean): void {
  def(name, 2, (t, unit) => {
    if (!isInteger(t)) throw fnClause(C, name, [t, unit], 0);
    const per = unit === atom('second') ? 1 : unit === atom('millisecond') ? 1000 : unit === atom('microsecond') ? 1e6 : unit === atom('nanosecond') ? 1e9 : unit === atom('native') ? 1e9 : undefined;
    if (per === undefined) throw fnClause(C, name, [t, unit], 0);
    const secs = Math.floor(Number(t) / per);
    if (utc) {
      const g = secs + EPOCH;
      const days = Math.floor(g / SECONDS_PER_DAY);
      return tuple(tuple(...daysToDate(days)), secondsToTime(g - days * SECONDS_PER_DAY));
    }
    return nowDateTime(false, new Date(secs * 1000));
  });
}
systemTimeTo('system_time_to_universal_time', true);
systemTimeTo('system_time_to_local_time', false);

