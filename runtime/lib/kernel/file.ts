// Module file (kernel): whole-file operations, directories, file information, consult, and open
// files as I/O devices (runtime/lib/kernel/file_io_server.ts).
//
// File names are strings (deep lists of characters and atoms), atoms or binaries; relative names
// are relative to the node's working directory (runtime/vm/cwd.ts: a worker thread cannot chdir), which
// file:set_cwd/1 changes. Failures are values, as in OTP: {error, enoent}, {error, badarg}, ... with
// the POSIX reasons Linux gives, mapped where OTP maps them (unlink of a directory is eperm, a
// directory that is not empty is eexist).

import {
  accessSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  opendirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  chmodSync,
  type Stats,
} from 'node:fs';
import { Atom, Bin, List, NIL, Pid, Term, Tuple, atom, list, tuple, OK } from '../../vm/term.js';
import { defineBif, defineGenBif } from '../../vm/bif_registry.js';
import { getCwd, setCwd } from '../../vm/cwd.js';
import { codeServer } from '../../vm/code_server.js';
import { trampoline } from '../../vm/abi.js';
import { S } from '../../vm/scheduler.js';
import { writeTerm } from '../stdlib/format/term.js';
import { fnClause, iodataBytes, isInt, str } from '../common.js';
import { flatChars } from '../stdlib/filename.js';
import { consult } from './file_consult.js';
import { posixMessage } from '../stdlib/erl_posix_msg.js';
import { FILE_ATOMS, deviceRequest, errnoReason, openFd, openedFile, parseModes, startFileServer } from './file_io_server.js';
import { IO_ATOMS } from '../stdlib/io_protocol.js';

const MOD = 'file';

const A = {
  ...IO_ATOMS,
  ...FILE_ATOMS,
  ok: OK,
  error: atom('error'),
  badarg: atom('badarg'),
  enoent: atom('enoent'),
  enotdir: atom('enotdir'),
  eexist: atom('eexist'),
  eperm: atom('eperm'),
  enotsup: atom('enotsup'),
  einval: atom('einval'),
  eof: atom('eof'),
  terminated: atom('terminated'),
  system_limit: atom('system_limit'),
  file_info: atom('file_info'),
  regular: atom('regular'),
  directory: atom('directory'),
  symlink: atom('symlink'),
  device: atom('device'),
  other: atom('other'),
  read: atom('read'),
  write: atom('write'),
  read_write: atom('read_write'),
  none: atom('none'),
  time: atom('time'),
  local: atom('local'),
  universal: atom('universal'),
  posix: atom('posix'),
  infinity: atom('infinity'),
  utf8: atom('utf8'),
  format_error: atom('format_error'),
  standard_io: atom('standard_io'),
};

const error = (why: Term): Tuple => tuple(A.error, why);
const posixError = (e: unknown): Tuple => error(atom(errnoReason(e)));

// ---------- names ----------

/**
 * A file name as the file module takes it: a binary (UTF-8), an atom, or a possibly deep list of
 * characters and atoms. Undefined when it is none of these (the caller answers {error, badarg}).
 */
export function fileName(t: Term): string | undefined {
  let s: string | undefined;
  if (t instanceof Bin) s = t.isBinary ? new TextDecoder().decode(t.bytes) : undefined;
  else s = flatChars(t);
  if (s === undefined || s.includes('\0')) return undefined;
  return s;
}

/**
 * A file name (relative to the node's directory) for fs calls; '' names no file. Not normalised:
 * "f/../g" must fail when f is no directory, as the system says.
 */
export function pathOf(name: string): string {
  if (name === '') throw Object.assign(new Error('empty file name'), { code: 'ENOENT' });
  return name.startsWith('/') ? name : `${getCwd()}/${name}`;
}

/** Run a name-taking operation: {error, badarg} for a bad name, {error, Posix} when fs refuses. */
export function withName(t: Term, op: (path: string) => Term, mapErr: (e: unknown) => Tuple = posixError): Term {
  const name = fileName(t);
  if (name === undefined) return error(A.badarg);
  try {
    return op(pathOf(name));
  } catch (e) {
    return mapErr(e);
  }
}

const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(MOD, name, arity, impl);

// ---------- the working directory ----------

def('get_cwd', 0, () => tuple(A.ok, str(getCwd())));
def('get_cwd', 1, (drive) => (fileName(drive) === undefined ? error(A.badarg) : error(A.enotsup)));

def('set_cwd', 1, (dir) =>
  withName(dir, (path) => {
    if (!statSync(path).isDirectory()) return error(A.enotdir);
    accessSync(path, constants.X_OK);
    setCwd(path);
    return OK;
  }),
);

// ---------- whole files ----------

def('read_file', 1, (name) => withName(name, (path) => tuple(A.ok, new Bin(new Uint8Array(readFileSync(path))))));

/** write_file/3's modes: append and exclusive matter; other file:open modes are accepted and change nothing here. */
function writeFlag(modes: Term): string | undefined {
  const m = parseModes(modes);
  if (m === undefined || !(modes instanceof List || modes === NIL)) return undefined;
  return (m.append ? 'a' : 'w') + (m.exclusive ? 'x' : '');
}

function writeFile(name: Term, data: Term, modes: Term): Term {
  const bytes = iodataBytes(data);
  if (bytes === undefined) return error(A.badarg);
  const flag = writeFlag(modes);
  if (flag === undefined) return error(A.badarg);
  return withName(name, (path) => {
    writeFileSync(path, bytes, { flag });
    return OK;
  });
}

def('write_file', 2, (name, data) => writeFile(name, data, NIL));
def('write_file', 3, (name, data, modes) => writeFile(name, data, modes));

def('consult', 1, (name) => {
  const n = fileName(name);
  if (n === undefined) return error(A.badarg);
  const r = consult(n);
  return r.ok ? tuple(A.ok, list(r.terms)) : error(r.why);
});

def('delete', 1, (name) => deleteFile(name));
// delete(Name, [raw]): the file server or not, the same here
def('delete', 2, (name, opts) => {
  if (!(opts instanceof List || opts === NIL)) throw fnClause(MOD, 'delete', [name, opts], 226);
  return deleteFile(name);
});

const deleteFile = (name: Term): Term =>
  withName(
    name,
    (path) => {
      unlinkSync(path);
      return OK;
    },
    (e) => (errnoReason(e) === 'eisdir' ? error(A.eperm) : posixError(e)),
  );

/** rename(2) and rmdir(2) say ENOTEMPTY where OTP says eexist. */
const notEmptyIsExist = (e: unknown): Tuple => (errnoReason(e) === 'enotempty' ? error(A.eexist) : posixError(e));

def('rename', 2, (from, to) => {
  const dest = fileName(to);
  if (dest === undefined) return error(A.badarg);
  return withName(
    from,
    (path) => {
      renameSync(path, pathOf(dest));
      return OK;
    },
    notEmptyIsExist,
  );
});


// ---------- directories ----------

/** The entries of a directory in the order the system lists them (as OTP does: not sorted). */
function entries(path: string): Buffer[] {
  // latin1 keeps every byte of a name, whatever its encoding
  const dir = opendirSync(path, { encoding: 'latin1' });
  const out: Buffer[] = [];
  try {
    for (let e = dir.readSync(); e !== null; e = dir.readSync()) out.push(Buffer.from(e.name, 'latin1'));
  } finally {
    dir.closeSync();
  }
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(b: Buffer): string | undefined {
  try {
    return UTF8.decode(b);
  } catch {
    return undefined;
  }
}

// list_dir leaves out names that are not UTF-8; list_dir_all gives them as binaries
def('list_dir', 1, (name) =>
  withName(name, (path) => {
    const names = entries(path)
      .map(decodeName)
      .filter((s): s is string => s !== undefined);
    return tuple(A.ok, list(names.map(str)));
  }),
);

def('list_dir_all', 1, (name) =>
  withName(name, (path) => {
    const names = entries(path).map((b) => {
      const s = decodeName(b);
      return s === undefined ? new Bin(new Uint8Array(b)) : str(s);
    });
    return tuple(A.ok, list(names));
  }),
);

def('make_dir', 1, (name) =>
  withName(name, (path) => {
    mkdirSync(path);
    return OK;
  }),
);

def('del_dir', 1, (name) =>
  withName(
    name,
    (path) => {
      rmdirSync(path);
      return OK;
    },
    notEmptyIsExist,
  ),
);

def('del_dir_r', 1, (name) =>
  withName(name, (path) => {
    // a file (or link) goes too, as in OTP
    if (!lstatSync(path).isDirectory()) unlinkSync(path);
    else rmSync(path, { recursive: true });
    return OK;
  }),
);

// ---------- file information ----------

export type TimeKind = 'local' | 'universal' | 'posix';

export function timeOption(opts: Term): TimeKind | undefined {
  let kind: TimeKind = 'local';
  for (let l: Term = opts; l !== NIL; l = (l as List).tail) {
    if (!(l instanceof List)) return undefined;
    const o = l.head;
    if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === A.time) {
      const v = o.elements[1];
      if (v === A.local || v === A.universal || v === A.posix) kind = v.name as TimeKind;
      else return undefined;
    }
    // raw, and what this version does not know, change nothing
  }
  return kind;
}

function timeTerm(d: Date, kind: TimeKind): Term {
  if (kind === 'posix') return Math.floor(d.getTime() / 1000);
  const u = kind === 'universal';
  const date = tuple(u ? d.getUTCFullYear() : d.getFullYear(), (u ? d.getUTCMonth() : d.getMonth()) + 1, u ? d.getUTCDate() : d.getDate());
  const time = tuple(u ? d.getUTCHours() : d.getHours(), u ? d.getUTCMinutes() : d.getMinutes(), u ? d.getUTCSeconds() : d.getSeconds());
  return tuple(date, time);
}

function typeOf(st: Stats): Atom {
  if (st.isFile()) return A.regular;
  if (st.isDirectory()) return A.directory;
  if (st.isSymbolicLink()) return A.symlink;
  if (st.isBlockDevice() || st.isCharacterDevice()) return A.device;
  return A.other;
}

function accessOf(path: string): Atom {
  const can = (mode: number) => {
    try {
      accessSync(path, mode);
      return true;
    } catch {
      return false;
    }
  };
  const r = can(constants.R_OK);
  const w = can(constants.W_OK);
  return r && w ? A.read_write : r ? A.read : w ? A.write : A.none;
}

/** The #file_info{} record: size, type, access, atime, mtime, ctime, mode, links, major_device, minor_device, inode, uid, gid. */
function fileInfo(path: string, st: Stats, kind: TimeKind): Tuple {
  return tuple(
    A.file_info,
    st.size,
    typeOf(st),
    accessOf(path),
    timeTerm(st.atime, kind),
    timeTerm(st.mtime, kind),
    timeTerm(st.ctime, kind),
    st.mode,
    st.nlink,
    st.dev,
    st.rdev,
    st.ino,
    st.uid,
    st.gid,
  );
}

function readInfo(name: Term, opts: Term, follow: boolean): Term {
  if (!(opts instanceof List || opts === NIL)) throw fnClause(MOD, follow ? 'read_file_info' : 'read_link_info', [name, opts], follow ? 300 : 340);
  const kind = timeOption(opts);
  if (kind === undefined) return error(A.badarg);
  if (name instanceof Pid) {
    // an open file: what its descriptor says
    const file = openedFile(name);
    if (file === undefined) return error(A.badarg);
    try {
      return tuple(A.ok, fileInfo(file.path, fstatSync(file.fd), kind));
    } catch (e) {
      return posixError(e);
    }
  }
  return withName(name, (path) => tuple(A.ok, fileInfo(path, follow ? statSync(path) : lstatSync(path), kind)));
}

def('read_file_info', 1, (name) => readInfo(name, NIL, true));
def('read_file_info', 2, (name, opts) => readInfo(name, opts, true));
def('read_link_info', 1, (name) => readInfo(name, NIL, false));
def('read_link_info', 2, (name, opts) => readInfo(name, opts, false));

def('raw_read_file_info', 1, (name) => readInfo(name, NIL, true));

/** The name a file opened with file:open/2 was opened with. */
def('pid2name', 1, (pid) => {
  if (!(pid instanceof Pid)) throw fnClause(MOD, 'pid2name', [pid], 174);
  const file = openedFile(pid);
  return file === undefined ? atom('undefined') : tuple(A.ok, str(file.name));
});

def('read_link', 1, (name) => withName(name, (path) => tuple(A.ok, str(readlinkSync(path)))));
def('read_link_all', 1, (name) => withName(name, (path) => tuple(A.ok, str(readlinkSync(path)))));

def('change_mode', 2, (name, mode) => {
  if (typeof mode !== 'number' || !Number.isInteger(mode)) throw fnClause(MOD, 'change_mode', [name, mode], 1226);
  if (mode < 0) return error(A.badarg);
  return withName(name, (path) => {
    chmodSync(path, mode);
    return OK;
  });
});

def('native_name_encoding', 0, () => A.utf8);

// ---------- format_error ----------

/** Mod:format_error(Reason) for the modules whose reasons file:open gives, when the node has no such module (erl_scan and erl_parse have theirs). */
function builtinFormatError(mod: Atom, reason: Term): Term | undefined {
  if (mod.name === 'file_io_server') {
    if (reason === atom('invalid_unicode')) return str('cannot translate from UTF-8');
    return str(posixMessage(reason));
  }
  return undefined;
}

defineGenBif(MOD, 'format_error', 1, function* (reason: Term) {
  if (reason instanceof Tuple && reason.elements.length === 3 && reason.elements[1] instanceof Atom) {
    const [line, mod, why] = reason.elements as [Term, Atom, Term];
    // "~w: ~ts" of the location and the module's own text, as io_lib:format builds it
    const where = typeof line === 'number' ? str(String(line)) : str(writeTerm(line));
    const fn = codeServer.find(mod, A.format_error, 1);
    const text = fn !== undefined ? yield* trampoline(yield* fn(why)) : builtinFormatError(mod, why);
    if (text !== undefined) return list([where, 58, 32, text]);
    return yield* trampoline(yield* codeServer.fn(mod, A.format_error, 1)(why));
  }
  if (reason === A.badarg) return str('bad argument');
  if (reason === A.system_limit) return str('a system limit was hit, probably not enough ports');
  if (reason === A.terminated) return str('the file server process is terminated');
  return str(posixMessage(reason));
});

// ---------- open files ----------

defineGenBif(MOD, 'open', 2, function* (name: Term, modes: Term) {
  return openFile(name, modes);
});

/** file:open/2: {ok, Device} owned by the calling process, or {error, Why}. */
export function openFile(name: Term, modes: Term): Term {
  const n = fileName(name);
  const m = parseModes(modes);
  if (n === undefined || m === undefined) return error(A.badarg);
  if (n === '') return error(A.enoent);
  const path = pathOf(n);
  const opened = openFd(path, m);
  if ('reason' in opened) return error(atom(opened.reason));
  return tuple(A.ok, startFileServer(opened.fd, m, S.current.pid, n, path));
}

/** A device file.erl sends io requests to: a pid or a registered name (standard_io is the group leader). */
function ioDevice(t: Term): Term | undefined {
  if (t === A.standard_io) return S.current.groupLeader;
  return t instanceof Pid || t instanceof Atom ? t : undefined;
}

/** The data of a read, as {ok, Data}; eof and errors as they come. */
function dataReply(r: Term): Term {
  return r instanceof List || r === NIL || r instanceof Bin ? tuple(A.ok, r) : r;
}

defineGenBif(MOD, 'close', 1, function* (fd: Term) {
  if (!(fd instanceof Pid)) return error(A.badarg);
  const r = yield* deviceRequest(fd, A.close, 'file');
  // closing a file whose server is gone is fine
  return r instanceof Tuple && r.elements[0] === A.error && r.elements[1] === A.terminated ? OK : r;
});

defineGenBif(MOD, 'read_line', 1, function* (fd: Term) {
  const dev = ioDevice(fd);
  if (dev === undefined) return error(A.badarg);
  return dataReply(yield* deviceRequest(dev, tuple(A.get_line, A.latin1, NIL), 'io'));
});

defineGenBif(MOD, 'read', 2, function* (fd: Term, n: Term) {
  const dev = ioDevice(fd);
  if (dev === undefined || typeof n !== 'number' || !Number.isInteger(n) || n < 0) return error(A.badarg);
  return dataReply(yield* deviceRequest(dev, tuple(A.get_chars, A.latin1, NIL, n), 'io'));
});

defineGenBif(MOD, 'write', 2, function* (fd: Term, data: Term) {
  const dev = ioDevice(fd);
  if (dev === undefined) return error(A.badarg);
  const bytes = iodataBytes(data);
  if (bytes === undefined) return error(A.badarg);
  return yield* deviceRequest(dev, tuple(A.put_chars, A.latin1, new Bin(bytes)), 'io');
});

/** A request file.erl sends only to pids (file_request). */
function fileRequest(name: string, arity: number, req: (...args: Term[]) => Term | undefined): void {
  defineGenBif(MOD, name, arity, function* (fd: Term, ...rest: Term[]) {
    const r = req(...rest);
    if (!(fd instanceof Pid) || r === undefined) return error(A.badarg);
    return yield* deviceRequest(fd, r, 'file');
  });
}

const isSize = (n: Term) => typeof n === 'number' && Number.isInteger(n) && n >= 0;

fileRequest('position', 2, (at) => tuple(A.position, at));
fileRequest('pread', 3, (at, n) => (isSize(n) ? tuple(A.pread, at, n) : undefined));
fileRequest('pwrite', 3, (at, data) => {
  const bytes = iodataBytes(data);
  return bytes === undefined ? undefined : tuple(A.pwrite, at, new Bin(bytes));
});
fileRequest('truncate', 1, () => A.truncate);
fileRequest('sync', 1, () => A.sync);
fileRequest('datasync', 1, () => A.datasync);

// pread/2 and pwrite/2: several positions in one call, as OTP's file server does them one by one
defineGenBif(MOD, 'pread', 2, function* (fd: Term, locs: Term) {
  const items = listItems(locs);
  if (!(fd instanceof Pid) || items === undefined) return error(A.badarg);
  const out: Term[] = [];
  for (const loc of items) {
    if (!(loc instanceof Tuple && loc.elements.length === 2 && isSize(loc.elements[1]))) return error(A.badarg);
    const r = yield* deviceRequest(fd, tuple(A.pread, loc.elements[0], loc.elements[1]), 'file');
    if (r === A.eof) out.push(A.eof);
    else if (r instanceof Tuple && r.elements[0] === A.ok) out.push(r.elements[1]);
    else return r;
  }
  return tuple(A.ok, list(out));
});

defineGenBif(MOD, 'pwrite', 2, function* (fd: Term, locs: Term) {
  const items = listItems(locs);
  if (!(fd instanceof Pid) || items === undefined) return error(A.badarg);
  let done = 0;
  for (const loc of items) {
    const bytes = loc instanceof Tuple && loc.elements.length === 2 ? iodataBytes(loc.elements[1]) : undefined;
    if (bytes === undefined) return error(tuple(done, A.badarg));
    const r = yield* deviceRequest(fd, tuple(A.pwrite, (loc as Tuple).elements[0], new Bin(bytes)), 'file');
    if (r !== OK) return r instanceof Tuple && r.elements[0] === A.error ? error(tuple(done, r.elements[1])) : r;
    done++;
  }
  return OK;
});

function listItems(t: Term): Term[] | undefined {
  const out: Term[] = [];
  for (; t instanceof List; t = t.tail) out.push(t.head);
  return t === NIL ? out : undefined;
}

const ADVICE = ['normal', 'sequential', 'random', 'no_reuse', 'will_need', 'dont_need'];

// advise/4: a hint about how the file will be read; the host's fs has no fadvise, so it changes nothing
defineGenBif(MOD, 'advise', 4, function* (fd: Term, offset: Term, length: Term, advice: Term) {
  if (!(fd instanceof Pid) || !isInt(offset) || !isInt(length) || !(advice instanceof Atom) || !ADVICE.includes(advice.name)) return error(A.einval);
  const r = yield* deviceRequest(fd, tuple(A.position, atom('cur')), 'file');
  return r instanceof Tuple && r.elements[0] === A.ok ? OK : r;
});
