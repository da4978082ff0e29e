// Module file (kernel), changing what read_file_info says: write_file_info/2,3 with a #file_info{}
// record (kernel/include/file.hrl), and its shorthands change_time/2,3, change_owner/2,3 and
// change_group/2 (change_mode/2 is in file.ts).
//
// As OTP's file server does: the mode is set first, then the owner, then the times, each only when
// its field is not undefined. Times go together: an undefined atime is now, an undefined mtime is
// the atime (ctime cannot be set on Unix). A time is {{Y,M,D},{H,Mi,S}} in local or universal time,
// or seconds since the epoch with {time, posix}; anything else, or an impossible date, is
// {error, badarg}. A record of the wrong size is write_file_info's function_clause, as in OTP.

import { chmodSync, chownSync, utimesSync } from 'node:fs';
import { List, NIL, Term, Tuple, atom, tuple, OK } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { fnClause, isInt } from '../common.js';
import { fileName, timeOption, withName, type TimeKind } from './file.js';

const MOD = 'file';
const A = {
  error: atom('error'),
  badarg: atom('badarg'),
  undefined: atom('undefined'),
  file_info: atom('file_info'),
};

const BADARG = tuple(A.error, A.badarg);

// #file_info{} as a tuple: its tag, then size, type, access, atime, mtime, ctime, mode, links,
// major_device, minor_device, inode, uid, gid
const FIELD = { atime: 4, mtime: 5, ctime: 6, mode: 7, uid: 12, gid: 13 };
const RECORD_SIZE = 14;

/** Line of file.erl's write_file_info/2,3 clause head (the function_clause's location). */
const WRITE_INFO_LINE = 377;

class BadArg extends Error {}

const isFileInfo = (t: Term): t is Tuple => t instanceof Tuple && t.elements.length === RECORD_SIZE && t.elements[0] === A.file_info;

function isDateTime(t: Term): t is Tuple {
  if (!(t instanceof Tuple) || t.elements.length !== 2) return false;
  const [d, c] = t.elements;
  return d instanceof Tuple && c instanceof Tuple && d.elements.length === 3 && c.elements.length === 3 && [...d.elements, ...c.elements].every((x) => typeof x === 'number' && Number.isInteger(x));
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Seconds since the epoch of a time as write_file_info takes it. */
function epochSeconds(t: Term, kind: TimeKind): number {
  if (kind === 'posix') {
    if (!isInt(t)) throw new BadArg();
    return Number(t);
  }
  if (!isDateTime(t)) throw new BadArg();
  const [y, mo, d] = (t.elements[0] as Tuple).elements as number[];
  const [h, mi, s] = (t.elements[1] as Tuple).elements as number[];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) throw new BadArg();
  const ms = kind === 'universal' ? Date.UTC(y, mo - 1, d, h, mi, s) : new Date(y, mo - 1, d, h, mi, s).getTime();
  return ms / 1000;
}

function optionalInt(t: Term): number | undefined {
  if (t === A.undefined) return undefined;
  if (typeof t !== 'number' || !Number.isInteger(t)) throw new BadArg();
  return t;
}

function writeInfo(name: Term, info: Tuple, kind: TimeKind): Term {
  const e = info.elements;
  let mode: number | undefined;
  let uid: number | undefined;
  let gid: number | undefined;
  let times: { atime: number; mtime: number } | undefined;
  try {
    mode = optionalInt(e[FIELD.mode]);
    uid = optionalInt(e[FIELD.uid]);
    gid = optionalInt(e[FIELD.gid]);
    const [at, mt, ct] = [e[FIELD.atime], e[FIELD.mtime], e[FIELD.ctime]];
    if (at !== A.undefined || mt !== A.undefined || ct !== A.undefined) {
      const atime = at === A.undefined ? Date.now() / 1000 : epochSeconds(at, kind);
      const mtime = mt === A.undefined ? atime : epochSeconds(mt, kind);
      if (ct !== A.undefined) epochSeconds(ct, kind);
      times = { atime, mtime };
    }
  } catch (err) {
    if (err instanceof BadArg) return BADARG;
    throw err;
  }
  if (fileName(name) === undefined) return BADARG;
  return withName(name, (path) => {
    if (mode !== undefined) chmodSync(path, mode & 0o7777);
    if (uid !== undefined || gid !== undefined) chownSync(path, uid ?? -1, gid ?? -1);
    if (times !== undefined) utimesSync(path, times.atime, times.mtime);
    return OK;
  });
}

defineBif(MOD, 'write_file_info', 2, (name, info) => {
  if (!isFileInfo(info)) throw fnClause(MOD, 'write_file_info', [name, info], WRITE_INFO_LINE);
  return writeInfo(name, info, 'local');
});

defineBif(MOD, 'write_file_info', 3, (name, info, opts) => {
  if (!isFileInfo(info) || !isList(opts)) throw fnClause(MOD, 'write_file_info', [name, info, opts], 386);
  const kind = timeOption(opts);
  return kind === undefined ? BADARG : writeInfo(name, info, kind);
});

// the old name of write_file_info/2 for the raw file driver
defineBif(MOD, 'raw_write_file_info', 2, (name, info) => {
  if (!isFileInfo(info)) throw fnClause(MOD, 'raw_write_file_info', [name, info], 500);
  return writeInfo(name, info, 'local');
});

/** A #file_info{} with only the given fields set. */
function infoWith(fields: Partial<Record<keyof typeof FIELD, Term>>): Tuple {
  const e: Term[] = [A.file_info, ...Array<Term>(RECORD_SIZE - 1).fill(A.undefined)];
  for (const [k, v] of Object.entries(fields)) e[FIELD[k as keyof typeof FIELD]] = v;
  return tuple(...e);
}

const isList = (t: Term): boolean => t instanceof List || t === NIL;
const isId = (t: Term): boolean => typeof t === 'number' && Number.isInteger(t);

/**
 * The shorthands: the fields each sets, what its arguments must be, and file.erl's clause line.
 * change_time(F, Mtime) makes the access time now.
 */
const SHORTHANDS: [name: string, fields: (keyof typeof FIELD)[], valid: (t: Term) => boolean, line: number][] = [
  ['change_time', ['mtime'], isDateTime, 1263],
  ['change_time', ['atime', 'mtime'], isDateTime, 1274],
  ['change_owner', ['uid'], isId, 1235],
  ['change_owner', ['uid', 'gid'], isId, 1245],
  ['change_group', ['gid'], isId, 1254],
];

for (const [fn, fields, valid, line] of SHORTHANDS) {
  defineBif(MOD, fn, fields.length + 1, (name: Term, ...values: Term[]) => {
    if (!values.every(valid)) throw fnClause(MOD, fn, [name, ...values], line);
    return writeInfo(name, infoWith(Object.fromEntries(fields.map((f, k) => [f, values[k]]))), 'local');
  });
}
