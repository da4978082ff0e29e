// Module file (kernel): copy/2,3. Each side is a file name, {Name, Modes} (opened with the modes
// added: a destination with append grows), or a file already open (read or written from where it
// stands, and left open). Named files are opened here, the source first, then the destination
// (truncated unless appending: copying a file onto itself leaves it empty, as in OTP), and closed
// when done. The count is a number of bytes; a negative one is badarg, and anything else that is
// no integer copies everything, as OTP's does.

import { Bin, List, NIL, Pid, Term, Tuple, atom, list, tuple, OK } from '../../vm/term.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { iodataBytes, str } from '../common.js';
import { IO_ATOMS } from '../stdlib/io_protocol.js';
import { deviceRequest } from './file_io_server.js';
import { fileName, openFile } from './file.js';

const A = {
  ...IO_ATOMS,
  ok: OK,
  error: atom('error'),
  badarg: atom('badarg'),
  eof: atom('eof'),
  read: atom('read'),
  write: atom('write'),
  binary: atom('binary'),
  close: atom('close'),
};

const CHUNK = 64 * 1024;

type End = { device: Pid } | { name: string; modes: Term[] };

function endOf(t: Term): End | undefined {
  if (t instanceof Pid) return { device: t };
  if (t instanceof Tuple && t.elements.length === 2) {
    const name = fileName(t.elements[0]);
    const modes: Term[] = [];
    let l = t.elements[1];
    for (; l instanceof List; l = l.tail) modes.push(l.head);
    return name === undefined || l !== NIL ? undefined : { name, modes };
  }
  const name = fileName(t);
  return name === undefined ? undefined : { name, modes: [] };
}

/** The device of one side, opening a named file with its modes: the pid, or the error term. */
function open(end: End, as: Term[]): { pid: Pid; opened: boolean } | { error: Term } {
  if ('device' in end) return { pid: end.device, opened: false };
  const r = openFile(str(end.name), list([...as, ...end.modes])) as Tuple;
  return r.elements[0] === A.ok ? { pid: r.elements[1] as Pid, opened: true } : { error: r };
}

function* copy(from: Term, to: Term, count: Term): Generator<unknown, Term, unknown> {
  const src = endOf(from);
  const dst = endOf(to);
  if (src === undefined || dst === undefined) return tuple(A.error, A.badarg);
  if (typeof count === 'number' && Number.isInteger(count) && count < 0) return tuple(A.error, A.badarg);
  const limit = typeof count === 'number' && Number.isInteger(count) ? count : Infinity;
  const input = open(src, [A.read, A.binary]);
  if ('error' in input) return input.error;
  const output = open(dst, [A.write, A.binary]);
  if ('error' in output) {
    if (input.opened) yield* deviceRequest(input.pid, A.close, 'file');
    return output.error;
  }
  let copied = 0;
  let result: Term | undefined;
  while (result === undefined && copied < limit) {
    const want = Math.min(CHUNK, limit - copied);
    const got = yield* deviceRequest(input.pid, tuple(A.get_chars, A.latin1, NIL, want), 'io');
    if (got === A.eof) break;
    const bytes = iodataBytes(got);
    if (bytes === undefined) {
      result = got;
      break;
    }
    const put = yield* deviceRequest(output.pid, tuple(A.put_chars, A.latin1, new Bin(bytes)), 'io');
    if (put !== OK) result = put;
    else copied += bytes.length;
  }
  if (input.opened) yield* deviceRequest(input.pid, A.close, 'file');
  if (output.opened) yield* deviceRequest(output.pid, A.close, 'file');
  return result ?? tuple(A.ok, copied);
}

defineGenBif('file', 'copy', 2, function* (from: Term, to: Term) {
  return yield* copy(from, to, atom('infinity'));
});
defineGenBif('file', 'copy', 3, function* (from: Term, to: Term, count: Term) {
  return yield* copy(from, to, count);
});
