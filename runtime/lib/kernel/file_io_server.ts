// An open file as an I/O device: one process per file:open/2, speaking the I/O protocol (so
// io:format(Fd, ...), io:get_line(Fd, '') and io:read(Fd, '') work on it) and the file requests
// of file:close/position/pread/pwrite/truncate, as OTP's file_io_server does:
//
//   {io_request, From, ReplyAs, Request}     → {io_reply, ReplyAs, Reply}
//   {file_request, From, ReplyAs, Request}   → {file_reply, ReplyAs, Reply}
//
// The file is read and written with synchronous fs calls at a position the server keeps. Its
// encoding (latin1 unless opened with {encoding, utf8}) says how characters become bytes; its
// read mode (list or binary) what reads return. The server watches the process that opened the
// file and closes it when that process ends.

import { closeSync, constants, fstatSync, ftruncateSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { Atom, Bin, List, NIL, Pid, Term, Tuple, atom, exactEqual, list, tuple, OK, TRUE, FALSE } from '../../vm/term.js';
import { trampoline } from '../../vm/abi.js';
import { node } from '../../vm/node.js';
import { S } from '../../vm/scheduler.js';
import { codeServer } from '../../vm/code_server.js';
import { monitor, demonitor } from '../../vm/signals.js';
import { receive, receiveAny } from '../../vm/receive.js';
import { erlExit } from '../../vm/exception.js';
import { chardata, decodeUtf8, encodeUtf8, intList, iodataBytes } from '../common.js';
import { IO_ATOMS, applyMFA, callServer, decodeIoRequest, type Encoding } from '../stdlib/io_protocol.js';

export type { Encoding };

export interface FileModes {
  read: boolean;
  write: boolean;
  append: boolean;
  exclusive: boolean;
  binary: boolean;
  encoding: Encoding;
}

/** file.erl's requests to a file's server (file_request), beside the io protocol's. */
export const FILE_ATOMS = {
  file_request: atom('file_request'),
  file_reply: atom('file_reply'),
  close: atom('close'),
  position: atom('position'),
  pread: atom('pread'),
  pwrite: atom('pwrite'),
  truncate: atom('truncate'),
  sync: atom('sync'),
  datasync: atom('datasync'),
};

const A = {
  ...IO_ATOMS,
  ...FILE_ATOMS,
  bof: atom('bof'),
  cur: atom('cur'),
  eof: atom('eof'),
  error: atom('error'),
  ok: OK,
  done: atom('done'),
  more: atom('more'),
  request: atom('request'),
  binary: atom('binary'),
  list: atom('list'),
  encoding: atom('encoding'),
  utf8: atom('utf8'),
  read: atom('read'),
  write: atom('write'),
  append: atom('append'),
  exclusive: atom('exclusive'),
  read_write: atom('read_write'),
  character: atom('character'),
  ebadf: atom('ebadf'),
  einval: atom('einval'),
  enotsup: atom('enotsup'),
  eisdir: atom('eisdir'),
  no_translation: atom('no_translation'),
  badarg: atom('badarg'),
  normal: atom('normal'),
};

// ---------- modes ----------

function encodingOf(t: Term): Encoding | undefined {
  if (t === A.latin1) return 'latin1';
  if (t === A.unicode || t === A.utf8) return 'unicode';
  return undefined;
}

/**
 * file:open's modes: a list (unknown atoms are ignored, as OTP's file server does), or one of the
 * old single modes (read, write, read_write, {binary, M}, {character, M}). Undefined: badarg.
 */
export function parseModes(t: Term): FileModes | undefined {
  const m: FileModes = { read: false, write: false, append: false, exclusive: false, binary: false, encoding: 'latin1' };
  if (!(t instanceof List) && t !== NIL) {
    if (t === A.read) m.read = true;
    else if (t === A.write) m.write = true;
    else if (t === A.read_write) m.read = m.write = true;
    else if (t instanceof Tuple && t.elements.length === 2 && (t.elements[0] === A.binary || t.elements[0] === A.character)) {
      const inner = parseModes(t.elements[1]);
      if (inner === undefined || !(t.elements[1] instanceof Atom)) return undefined;
      return { ...inner, binary: t.elements[0] === A.binary };
    } else return undefined;
    return m;
  }
  for (let l: Term = t; l !== NIL; l = (l as List).tail) {
    if (!(l instanceof List)) return undefined;
    const o = l.head;
    if (o === A.read) m.read = true;
    else if (o === A.write) m.write = true;
    else if (o === A.append) m.append = true;
    else if (o === A.exclusive) m.exclusive = true;
    else if (o === A.binary) m.binary = true;
    else if (o === A.list) m.binary = false;
    else if (o === A.latin1 || o === A.unicode) m.encoding = encodingOf(o)!;
    else if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === A.encoding) {
      const e = encodingOf(o.elements[1]);
      if (e === undefined) return undefined;
      m.encoding = e;
    }
    // read_ahead, delayed_write, raw, sync, ...: the same file to a program that only reads and writes
  }
  if (!m.read && !m.write && !m.append) m.read = true;
  return m;
}

/** Open the file for the modes: the descriptor, or the POSIX reason. */
export function openFd(path: string, m: FileModes): { fd: number } | { reason: string } {
  let flags: number;
  const writing = m.write || m.append;
  if (!writing) flags = constants.O_RDONLY;
  else {
    flags = (m.read ? constants.O_RDWR : constants.O_WRONLY) | constants.O_CREAT;
    if (m.append) flags |= constants.O_APPEND;
    else if (m.write && !m.read) flags |= constants.O_TRUNC;
    if (m.exclusive) flags |= constants.O_EXCL;
  }
  let fd: number;
  try {
    fd = openSync(path, flags, 0o666);
  } catch (e) {
    return { reason: errnoReason(e) };
  }
  // Linux opens a directory for reading; OTP refuses it
  if (fstatSync(fd).isDirectory()) {
    closeSync(fd);
    return { reason: 'eisdir' };
  }
  return { fd };
}

/** A Node fs error as OTP's POSIX reason atom name. */
export function errnoReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && /^E[A-Z0-9]+$/.test(code) ? code.toLowerCase() : 'einval';
}

// ---------- the server ----------

const READ_CHUNK = 4096;

/** What a request handler decided: reply and go on, or reply and stop (the process exits with reason). */
type Outcome = { reply: Term; stop?: Term };

const reply = (r: Term): Outcome => ({ reply: r });
const errorReply = (why: Term): Tuple => tuple(A.error, why);

class FileServer {
  /** the byte position of the next read or write */
  private pos = 0;
  private binary: boolean;
  private encoding: Encoding;

  constructor(
    private readonly fd: number,
    private readonly modes: FileModes,
  ) {
    this.binary = modes.binary;
    this.encoding = modes.encoding;
  }

  *run(owner: Pid): Generator<unknown, Term, unknown> {
    const self = S.current;
    const ownerRef = monitor(self, owner);
    try {
      for (;;) {
        const m = yield* receiveAny();
        if (!(m instanceof Tuple)) continue;
        const e = m.elements;
        if (e[0] === A.DOWN && e.length === 5 && exactEqual(e[1], ownerRef)) {
          this.closeFd();
          throw erlExit(e[4]);
        }
        if (e.length !== 4 || !(e[1] instanceof Pid)) continue;
        let out: Outcome;
        let tag: Atom;
        if (e[0] === A.io_request) {
          tag = A.io_reply;
          out = yield* this.ioRequest(e[3]);
        } else if (e[0] === A.file_request) {
          tag = A.file_reply;
          out = this.fileRequest(e[3]);
        } else continue;
        node.sendToPid(e[1], tuple(tag, e[2], out.reply), self.pid);
        if (out.stop !== undefined) {
          demonitor(self, ownerRef, true);
          this.closeFd();
          if (out.stop === A.normal) return A.normal;
          throw erlExit(out.stop);
        }
      }
    } catch (err) {
      this.closeFd();
      throw err;
    }
  }

  private closed = false;
  private closeFd(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      /* already gone */
    }
  }

  // ----- file requests -----

  private fileRequest(req: Term): Outcome {
    if (req === A.close) {
      this.closeFd();
      return { reply: OK, stop: A.normal };
    }
    if (req === A.truncate) {
      try {
        ftruncateSync(this.fd, this.pos);
        return reply(OK);
      } catch (e) {
        return this.failed(e);
      }
    }
    if (req === A.sync || req === A.datasync) {
      try {
        fsyncSync(this.fd);
        return reply(OK);
      } catch (e) {
        return this.failed(e);
      }
    }
    if (req instanceof Tuple) {
      const e = req.elements;
      if (e[0] === A.position && e.length === 2) {
        const at = this.location(e[1]);
        if (at === undefined || at < 0) return reply(errorReply(A.einval));
        this.pos = at;
        return reply(tuple(A.ok, at));
      }
      if (e[0] === A.pread && e.length === 3 && typeof e[2] === 'number') {
        const at = this.location(e[1]);
        if (at === undefined || at < 0) return reply(errorReply(A.einval));
        if (!this.readable()) return { reply: errorReply(A.ebadf), stop: A.ebadf };
        const bytes = this.readAt(at, e[2]);
        if (bytes.length === 0 && e[2] > 0) return reply(A.eof);
        const out = this.castOut(bytes, 'latin1');
        return out.stop !== undefined ? out : reply(tuple(A.ok, out.reply));
      }
      if (e[0] === A.pwrite && e.length === 3) {
        const at = this.location(e[1]);
        if (at === undefined || at < 0) return reply(errorReply(A.einval));
        const bytes = iodataBytes(e[2]);
        if (bytes === undefined) return reply(errorReply(A.badarg));
        return this.writeBytes(bytes, at);
      }
    }
    return reply(errorReply(tuple(A.request, req)));
  }

  /** A position: an offset, bof/cur/eof, or {bof|cur|eof, Offset}. */
  private location(t: Term): number | undefined {
    let base: Atom = A.bof;
    let off: Term = 0;
    if (typeof t === 'number') off = t;
    else if (t === A.bof || t === A.cur || t === A.eof) base = t;
    else if (t instanceof Tuple && t.elements.length === 2 && t.elements[0] instanceof Atom) {
      base = t.elements[0];
      off = t.elements[1];
    } else return undefined;
    if (typeof off !== 'number' || !Number.isInteger(off)) return undefined;
    if (base === A.bof) return off;
    if (base === A.cur) return this.pos + off;
    if (base === A.eof) return fstatSync(this.fd).size + off;
    return undefined;
  }

  private failed(e: unknown): Outcome {
    const why = atom(errnoReason(e));
    return { reply: errorReply(why), stop: why };
  }

  private readable(): boolean {
    return this.modes.read;
  }

  private readAt(at: number, n: number): Uint8Array {
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const k = readSync(this.fd, buf, got, n - got, at + got);
      if (k === 0) break;
      got += k;
    }
    return buf.subarray(0, got);
  }

  private writeBytes(bytes: Uint8Array, at?: number): Outcome {
    if (!this.modes.write && !this.modes.append) return { reply: errorReply(A.ebadf), stop: A.ebadf };
    try {
      // in append mode every write goes to the end (O_APPEND), wherever the position is
      const where = this.modes.append ? null : (at ?? this.pos);
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, where === null ? null : where + done);
      if (at === undefined) this.pos = this.modes.append ? fstatSync(this.fd).size : this.pos + bytes.length;
      return reply(OK);
    } catch (e) {
      return this.failed(e);
    }
  }

  // ----- I/O requests -----

  private *ioRequest(term: Term): Generator<unknown, Outcome, unknown> {
    const req = decodeIoRequest(term);
    if (req === undefined) return reply(errorReply(tuple(A.request, term)));
    // a request without an encoding is latin1 (the old forms)
    const enc: Encoding = req.op !== 'requests' && req.op !== 'setopts' && req.op !== 'getopts' && req.op !== 'get_geometry' ? (req.enc ?? 'latin1') : 'latin1';
    switch (req.op) {
      case 'put_chars':
        return this.putChars(req.chars, enc);
      case 'put_chars_mfa': {
        let chars: Term;
        try {
          chars = yield* applyMFA(req.m, req.f, req.args);
        } catch {
          return reply(errorReply(req.f));
        }
        if (!(chars instanceof List || chars === NIL || chars instanceof Bin)) return reply(errorReply(req.f));
        return this.putChars(chars, enc);
      }
      case 'get_line':
        return this.getLine(enc);
      case 'get_chars':
        if (typeof req.n === 'number' && req.n >= 0) return this.getChars(req.n, enc);
        break;
      case 'get_until':
        return yield* this.getUntil(enc, req.m, req.f, req.extra);
      case 'setopts':
        return reply(this.setopts(req.opts));
      case 'getopts':
        if (term === A.getopts) return reply(this.getopts());
        break;
      case 'requests': {
        let last: Outcome = reply(OK);
        for (let l: Term = req.requests; l instanceof List; l = l.tail) {
          last = yield* this.ioRequest(l.head);
          if (last.stop !== undefined || (last.reply instanceof Tuple && last.reply.elements[0] === A.error)) return last;
        }
        return last;
      }
    }
    return reply(errorReply(tuple(A.request, term)));
  }

  private getopts(): Term {
    return list([tuple(A.binary, this.binary ? TRUE : FALSE), tuple(A.encoding, this.encoding === 'latin1' ? A.latin1 : A.unicode)]);
  }

  private setopts(opts: Term): Term {
    let binary = this.binary;
    let encoding = this.encoding;
    for (let l: Term = opts; l !== NIL; l = (l as List).tail) {
      if (!(l instanceof List)) return errorReply(A.enotsup);
      const o = l.head;
      if (o === A.binary) binary = true;
      else if (o === A.list) binary = false;
      else if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === A.binary && (o.elements[1] === TRUE || o.elements[1] === FALSE)) {
        binary = o.elements[1] === TRUE;
      } else if (o === A.latin1 || o === A.unicode) encoding = encodingOf(o)!;
      else if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === A.encoding) {
        const enc = encodingOf(o.elements[1]);
        if (enc === undefined) return errorReply(A.badarg);
        encoding = enc;
      } else return errorReply(A.enotsup);
    }
    this.binary = binary;
    this.encoding = encoding;
    return OK;
  }

  /** Characters in `inEnc` written as the file's encoding. */
  private putChars(chars: Term, inEnc: Encoding): Outcome {
    let bytes: Uint8Array | undefined;
    if (inEnc === 'latin1' && this.encoding === 'latin1') {
      bytes = iodataBytes(chars);
      if (bytes === undefined) return { reply: errorReply(A.badarg), stop: A.badarg };
    } else {
      const cs = chardata(chars, inEnc);
      if (cs === undefined || !cs.ok) return this.noTranslation(inEnc);
      if (this.encoding === 'unicode') bytes = encodeUtf8(cs.chars);
      else {
        if (cs.chars.some((c) => c > 255)) return this.noTranslation(inEnc);
        bytes = Uint8Array.from(cs.chars);
      }
    }
    return this.writeBytes(bytes);
  }

  private noTranslation(inEnc: Encoding): Outcome {
    const why = tuple(A.no_translation, encAtom(inEnc), encAtom(this.encoding));
    return { reply: errorReply(why), stop: A.no_translation };
  }

  /** The next line (up to and with its newline; "\r\n" reads as "\n"), or eof. */
  private getLine(outEnc: Encoding): Outcome {
    if (!this.readable()) {
      // OTP 25's server crashes on this; its client sees the device gone
      return { reply: errorReply(atom('terminated')), stop: A.ebadf };
    }
    const chunks: Uint8Array[] = [];
    let at = this.pos;
    let line: Uint8Array | undefined;
    for (;;) {
      const got = this.readAt(at, READ_CHUNK);
      if (got.length === 0) break;
      const nl = got.indexOf(10);
      if (nl >= 0) {
        chunks.push(got.subarray(0, nl + 1));
        at += nl + 1;
        break;
      }
      chunks.push(got);
      at += got.length;
    }
    line = concat(chunks);
    if (line.length === 0) return reply(A.eof);
    this.pos = at;
    if (line.length >= 2 && line[line.length - 1] === 10 && line[line.length - 2] === 13) {
      line = Uint8Array.of(...line.subarray(0, line.length - 2), 10);
    }
    return this.castOut(line, outEnc);
  }

  /** N characters (fewer at the end of the file), or eof. */
  private getChars(n: number, outEnc: Encoding): Outcome {
    if (!this.readable()) return { reply: errorReply(A.ebadf), stop: A.ebadf };
    if (n === 0) return this.castOut(new Uint8Array(0), outEnc);
    let bytes: Uint8Array;
    if (this.encoding === 'latin1') bytes = this.readAt(this.pos, n);
    else {
      // UTF-8: read enough bytes for n characters (at most 4 bytes each), keep whole characters
      const raw = this.readAt(this.pos, n * 4);
      let i = 0;
      let count = 0;
      while (i < raw.length && count < n) {
        const b = raw[i];
        i += b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
        count++;
      }
      bytes = raw.subarray(0, Math.min(i, raw.length));
    }
    if (bytes.length === 0) return reply(A.eof);
    this.pos += bytes.length;
    return this.castOut(bytes, outEnc);
  }

  /** Bytes of the file as a reply in the read mode: a list or binary, in the client's encoding. */
  private castOut(bytes: Uint8Array, outEnc: Encoding): Outcome {
    const chars = this.decode(bytes);
    if (chars === undefined) return this.noTranslationOut(outEnc);
    if (!this.binary) {
      if (this.encoding === 'latin1') return reply(intList(bytes));
      if (outEnc === 'latin1' && chars.some((c) => c > 255)) return this.noTranslationOut(outEnc);
      return reply(intList(chars));
    }
    if (outEnc === this.encoding) return reply(new Bin(bytes.slice()));
    if (outEnc === 'unicode') return reply(new Bin(encodeUtf8(chars)));
    if (chars.some((c) => c > 255)) return this.noTranslationOut(outEnc);
    return reply(new Bin(Uint8Array.from(chars)));
  }

  private noTranslationOut(outEnc: Encoding): Outcome {
    const why = tuple(A.no_translation, encAtom(this.encoding), encAtom(outEnc));
    return { reply: errorReply(why), stop: why };
  }

  /** The characters of file bytes in the file's encoding; undefined for bad UTF-8. */
  private decode(bytes: Uint8Array): number[] | undefined {
    if (this.encoding === 'latin1') return Array.from(bytes);
    const d = decodeUtf8(bytes);
    return d.bad >= 0 ? undefined : d.chars;
  }

  /**
   * get_until: feed the file line by line to M:F(Cont, Data, Extra...) until it answers
   * {done, Result, Rest}; the rest goes back (the position moves back by its bytes).
   */
  private *getUntil(outEnc: Encoding, m: Term, f: Term, extraArgs: Term[]): Generator<unknown, Outcome, unknown> {
    if (!this.readable()) return { reply: errorReply(A.ebadf), stop: A.ebadf };
    let cont: Term = NIL;
    for (;;) {
      const start = this.pos;
      const got = this.getLine('unicode');
      let data: Term;
      if (got.reply === A.eof) data = A.eof;
      else if (got.stop !== undefined) return got;
      else data = got.reply instanceof Bin ? intList(this.decode(got.reply.bytes) ?? []) : got.reply;
      let res: Term;
      try {
        res = yield* applyMFA(m, f, [cont, data, ...extraArgs]);
      } catch {
        return reply(errorReply(A.get_until));
      }
      if (res instanceof Tuple && res.elements.length === 3 && res.elements[0] === A.done) {
        const rest = res.elements[2];
        if (rest !== A.eof && data !== A.eof) {
          const left = chardata(rest, 'unicode');
          const restChars = left !== undefined && left.ok ? left.chars : [];
          const restBytes = this.encoding === 'latin1' ? restChars.length : encodeUtf8(restChars).length;
          this.pos = Math.max(start, this.pos - restBytes);
        }
        const result = res.elements[1];
        if (this.binary && (result instanceof List || result === NIL)) {
          const cs = chardata(result, 'unicode');
          if (cs !== undefined && cs.ok) return reply(new Bin(outEnc === 'unicode' ? encodeUtf8(cs.chars) : Uint8Array.from(cs.chars)));
        }
        return reply(result);
      }
      if (res instanceof Tuple && res.elements.length === 2 && res.elements[0] === A.more) {
        cont = res.elements[1];
        if (data === A.eof) return reply(A.eof);
        continue;
      }
      return reply(errorReply(A.get_until));
    }
  }
}

function encAtom(e: Encoding): Atom {
  return e === 'latin1' ? A.latin1 : A.unicode;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let i = 0;
  for (const p of parts) {
    out.set(p, i);
    i += p.length;
  }
  return out;
}

/** M:F(Args...) from inside the server (io_lib:format for io:format, erl_scan:tokens for io:read). */
/** The open files' servers, by pid: the name each was opened with (file:pid2name/1), its descriptor and path. */
export interface OpenedFile {
  readonly name: string;
  readonly fd: number;
  readonly path: string;
}
const opened = new Map<number, OpenedFile>();

export function openedFile(pid: Pid): OpenedFile | undefined {
  return node.isLocal(pid) ? opened.get(pid.id) : undefined;
}

/** Start the device process for an open file, owned by (and watching) `owner`. */
export function startFileServer(fd: number, modes: FileModes, owner: Pid, name = '', path = ''): Pid {
  const server = new FileServer(fd, modes);
  let id = -1;
  const p = node.spawn(function* () {
    try {
      return yield* server.run(owner);
    } finally {
      opened.delete(id);
    }
  }, []);
  id = p.pid.id;
  opened.set(id, { name, fd, path });
  return p.pid;
}

// ---------- the client side (file.erl's io:request and file_request) ----------

const ARGUMENTS = atom('arguments');
const CALLING_SELF = atom('calling_self');
const TERMINATED = atom('terminated');

/** Send a request to a device (a pid or a registered name) and wait for its reply, or {error, Why}. */
export function* deviceRequest(dev: Term, req: Term, kind: 'io' | 'file'): Generator<unknown, Term, unknown> {
  const self = S.current;
  const pid = dev instanceof Pid ? dev : dev instanceof Atom ? node.whereis(dev)?.pid : undefined;
  if (pid === undefined) return errorReply(ARGUMENTS);
  if (node.isLocal(pid) && pid.id === self.pid.id) return errorReply(CALLING_SELF);
  const tags = kind === 'io' ? { request: A.io_request, reply: A.io_reply } : { request: A.file_request, reply: A.file_reply };
  const r = yield* callServer(pid, req, tags);
  if (r !== 'terminated') return r.reply;
  return errorReply(TERMINATED);
}
