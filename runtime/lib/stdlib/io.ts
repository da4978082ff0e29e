// Module io (stdlib), the client side of the I/O protocol: each call becomes an
// {io_request, Self, Ref, Request} to the device (the group leader by default) and waits for the
// matching {io_reply, Ref, Reply}, watching the device with a monitor, exactly as io.erl does.
// Formatting happens in the I/O server ({put_chars, unicode, io_lib, format, [F, A]}), so a bad
// format comes back as an error reply and is raised here as badarg with erl's explanation.

import { Atom, List, NIL, Pid, Term, Tuple, atom, charlist, exactEqual, list, tuple, OK } from '../../vm/term.js';
import { ErlangException, badarg, bifError } from '../../vm/exception.js';
import { defineGenBif } from '../../vm/bif_registry.js';
import { S } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import { codeServer } from '../../vm/code_server.js';
import { monitor, demonitor } from '../../vm/signals.js';
import { receive } from '../../vm/receive.js';
import { TailCall } from '../../vm/abi.js';
import { chardataString } from '../common.js';
import { ioFormatBadarg } from './format/io_errors.js';
import { IO_ATOMS, callServer } from './io_protocol.js';

const A = {
  ...IO_ATOMS,
  io_lib: atom('io_lib'),
  format: atom('format'),
  fwrite: atom('fwrite'),
  write: atom('write'),
  columns: atom('columns'),
  rows: atom('rows'),
  error: atom('error'),
  enotsup: atom('enotsup'),
  arguments: atom('arguments'),
  terminated: atom('terminated'),
  calling_self: atom('calling_self'),
  standard_io: atom('standard_io'),
  standard_error: atom('standard_error'),
  erl_scan: atom('erl_scan'),
  tokens: atom('tokens'),
  erl_parse: atom('erl_parse'),
  parse_term: atom('parse_term'),
  ok: OK,
  eof: atom('eof'),
  fread: atom('fread'),
  nl: atom('nl'),
};

/** How a request failed before or instead of a reply. */
type Failure = { io: 'arguments' | 'terminated' | 'calling_self' } | { device: Term };

/** The device's pid: standard_io is the group leader, other atoms are registered names. */
function devicePid(dev: Term): Pid | undefined {
  if (dev instanceof Pid) return dev;
  if (dev === A.standard_io) return S.current.groupLeader;
  if (dev instanceof Atom) return node.whereis(dev)?.pid;
  return undefined;
}

/** The server a request goes to, or why it goes nowhere. */
function requestTarget(dev: Term): Pid | Failure {
  const pid = devicePid(dev);
  if (pid === undefined) return { io: 'arguments' };
  if (node.isPidOf(pid, S.current)) return { io: 'calling_self' };
  return pid;
}

/** Send one request and wait for its reply (or the device's death). */
function* request(dev: Term, req: Term): Generator<unknown, { reply: Term } | Failure, unknown> {
  const to = requestTarget(dev);
  if (!(to instanceof Pid)) return to;
  const r = yield* callServer(to, req, IO_TAGS);
  return r === 'terminated' ? { io: 'terminated' } : r;
}

const IO_TAGS = { request: A.io_request, reply: A.io_reply };

/**
 * The reply of an output request, raising as io.erl's o_request does on failure; `refused` makes
 * the exception for a device's error reply.
 */
function* output(fn: string, origArgs: Term[], dev: Term, req: Term, refused: () => ErlangException): Generator<unknown, Term, unknown> {
  // request's steps, written out: one generator less on every io:format and put_chars
  const to = requestTarget(dev);
  const called = to instanceof Pid ? yield* callServer(to, req, IO_TAGS) : to;
  const r: { reply: Term } | Failure = called === 'terminated' ? { io: 'terminated' } : called;
  const hasDevice = origArgs.length > (fn === 'nl' ? 0 : fn === 'put_chars' || fn === 'write' ? 1 : 2);
  if ('io' in r) {
    if (r.io === 'arguments') throw badarg('io', fn, origArgs, hasDevice ? { 1: 'the device does not exist' } : undefined);
    if (r.io === 'calling_self') {
      throw bifError(A.calling_self, 'io', fn, origArgs, hasDevice ? { 1: 'the device is not allowed to be the current process' } : undefined);
    }
    throw bifError(A.terminated, 'io', fn, origArgs, hasDevice ? { 1: 'the device has terminated' } : undefined);
  }
  if ('device' in r) throw badarg('io', fn, origArgs);
  const reply = r.reply;
  if (reply instanceof Tuple && reply.elements[0] === A.error && reply.elements.length === 2) throw refused();
  return reply;
}

/** put_chars refused: the data is not valid character data (erl_stdlib_errors' bad_char_data). */
function badChars(fn: string, origArgs: Term[], data: Term, argNo: number): () => ErlangException {
  return () => badarg('io', fn, origArgs, chardataString(data) === undefined ? { [argNo]: 'not valid character data (an iodata term)' } : undefined);
}

const plainBadarg = (fn: string, origArgs: Term[]) => () => badarg('io', fn, origArgs);

// ---------- output ----------

/** io:format's request (output's generator itself: no generator of its own between them). */
function format(fn: 'format' | 'fwrite', origArgs: Term[], dev: Term, f: Term, a: Term): Generator<unknown, Term, unknown> {
  return output(fn, origArgs, dev, tuple(A.put_chars, A.unicode, A.io_lib, atom(fn), list([f, a])), () => ioFormatBadarg(fn, origArgs));
}

// io:format and io:fwrite are format's generator itself (no generator of their own around it)
defineGenBif('io', 'format', 1, (f: Term) => format('format', [f], A.standard_io, f, NIL));
defineGenBif('io', 'format', 2, (f: Term, a: Term) => format('format', [f, a], A.standard_io, f, a));
defineGenBif('io', 'format', 3, (d: Term, f: Term, a: Term) => format('format', [d, f, a], d, f, a));

// fwrite is format under its other name (the frames of its errors name fwrite)
defineGenBif('io', 'fwrite', 1, (f: Term) => format('fwrite', [f], A.standard_io, f, NIL));
defineGenBif('io', 'fwrite', 2, (f: Term, a: Term) => format('fwrite', [f, a], A.standard_io, f, a));
defineGenBif('io', 'fwrite', 3, (d: Term, f: Term, a: Term) => format('fwrite', [d, f, a], d, f, a));

defineGenBif('io', 'put_chars', 1, function* (c: Term) {
  return yield* output('put_chars', [c], A.standard_io, tuple(A.put_chars, A.unicode, c), badChars('put_chars', [c], c, 1));
});
defineGenBif('io', 'put_chars', 2, function* (d: Term, c: Term) {
  return yield* output('put_chars', [d, c], d, tuple(A.put_chars, A.unicode, c), badChars('put_chars', [d, c], c, 2));
});
defineGenBif('io', 'put_chars', 3, function* (d: Term, enc: Term, c: Term) {
  return yield* output('put_chars', [d, enc, c], d, tuple(A.put_chars, enc, c), badChars('put_chars', [d, enc, c], c, 3));
});

defineGenBif('io', 'nl', 0, function* () {
  return yield* output('nl', [], A.standard_io, tuple(A.put_chars, A.unicode, charlist('\n')), plainBadarg('nl', []));
});
defineGenBif('io', 'nl', 1, function* (d: Term) {
  return yield* output('nl', [d], d, tuple(A.put_chars, A.unicode, charlist('\n')), plainBadarg('nl', [d]));
});

defineGenBif('io', 'write', 1, function* (t: Term) {
  return yield* output('write', [t], A.standard_io, tuple(A.put_chars, A.unicode, A.io_lib, A.write, list([t])), plainBadarg('write', [t]));
});
defineGenBif('io', 'write', 2, function* (d: Term, t: Term) {
  return yield* output('write', [d, t], d, tuple(A.put_chars, A.unicode, A.io_lib, A.write, list([t])), plainBadarg('write', [d, t]));
});

// ---------- input: the reply is the answer, errors come back as values ----------

function* input(dev: Term, req: Term): Generator<unknown, Term, unknown> {
  const r = yield* request(dev, req);
  if ('reply' in r) return r.reply;
  if ('io' in r) return tuple(A.error, atom(r.io));
  return tuple(A.error, r.device);
}

defineGenBif('io', 'get_line', 1, function* (p: Term) {
  return yield* input(A.standard_io, tuple(A.get_line, A.unicode, p));
});
defineGenBif('io', 'get_line', 2, function* (d: Term, p: Term) {
  return yield* input(d, tuple(A.get_line, A.unicode, p));
});
defineGenBif('io', 'get_chars', 2, function* (p: Term, n: Term) {
  return yield* input(A.standard_io, tuple(A.get_chars, A.unicode, p, n));
});
defineGenBif('io', 'get_chars', 3, function* (d: Term, p: Term, n: Term) {
  return yield* input(d, tuple(A.get_chars, A.unicode, p, n));
});
defineGenBif('io', 'fread', 2, function* (p: Term, f: Term) {
  return yield* input(A.standard_io, tuple(A.get_until, A.unicode, p, A.io_lib, A.fread, list([f])));
});
defineGenBif('io', 'fread', 3, function* (d: Term, p: Term, f: Term) {
  return yield* input(d, tuple(A.get_until, A.unicode, p, A.io_lib, A.fread, list([f])));
});

/** erl_parse:parse_term(Tokens) */
function* parseTermOtp(toks: Term): Generator<unknown, Term, unknown> {
  let r: Term | TailCall = yield* codeServer.fn(A.erl_parse, A.parse_term, 1)(toks);
  while (r instanceof TailCall) r = yield* r.fn(...r.args);
  return r;
}

/** io:read: erl_scan:tokens through get_until up to a dot, then erl_parse:parse_term, as io.erl does. */
function* read(dev: Term, prompt: Term, startLine: Term, withLocation: boolean): Generator<unknown, Term, unknown> {
  const r = yield* input(dev, tuple(A.get_until, A.unicode, prompt, A.erl_scan, A.tokens, list([startLine])));
  // {eof, EndLocation}: io:read/3 answers it as it is, io:read/1,2 just eof
  if (r instanceof Tuple && r.elements.length === 2 && r.elements[0] === A.eof) return withLocation ? r : A.eof;
  if (!(r instanceof Tuple) || r.elements.length !== 3) return r;
  const [tag, x, end] = r.elements;
  if (tag === A.ok) {
    const parsed = yield* parseTermOtp(x);
    if (!withLocation || !(parsed instanceof Tuple)) return parsed;
    return tuple(...parsed.elements, end);
  }
  if (tag === A.eof) return withLocation ? r : A.eof;
  if (tag === A.error) return withLocation ? r : tuple(A.error, x);
  return r;
}

defineGenBif('io', 'read', 1, function* (p: Term) {
  return yield* read(A.standard_io, p, 1, false);
});
defineGenBif('io', 'read', 2, function* (d: Term, p: Term) {
  return yield* read(d, p, 1, false);
});
defineGenBif('io', 'read', 3, function* (d: Term, p: Term, line: Term) {
  return yield* read(d, p, line, true);
});

/** io:scan_erl_exprs: the tokens up to a dot, {ok, Tokens, EndLocation} as erl_scan:tokens gives them. */
function* scanErlExprs(dev: Term, prompt: Term, start: Term, opts: Term): Generator<unknown, Term, unknown> {
  return yield* input(dev, tuple(A.get_until, A.unicode, prompt, A.erl_scan, A.tokens, list([start, opts])));
}

/** io:parse_erl_exprs: those tokens parsed, {ok, Exprs, EndLocation} or {error, ErrorInfo, EndLocation}. */
function* parseErlExprs(dev: Term, prompt: Term, start: Term, opts: Term): Generator<unknown, Term, unknown> {
  const r = yield* scanErlExprs(dev, prompt, start, opts);
  if (!(r instanceof Tuple) || r.elements.length !== 3 || r.elements[0] !== A.ok) return r;
  let p: Term | TailCall = yield* codeServer.fn(A.erl_parse, atom('parse_exprs'), 1)(r.elements[1]);
  while (p instanceof TailCall) p = yield* p.fn(...p.args);
  return p instanceof Tuple ? tuple(...p.elements, r.elements[2]) : p;
}

defineGenBif('io', 'scan_erl_exprs', 1, function* (p: Term) {
  return yield* scanErlExprs(A.standard_io, p, 1, NIL);
});
defineGenBif('io', 'scan_erl_exprs', 2, function* (d: Term, p: Term) {
  return yield* scanErlExprs(d, p, 1, NIL);
});
defineGenBif('io', 'scan_erl_exprs', 3, function* (d: Term, p: Term, start: Term) {
  return yield* scanErlExprs(d, p, start, NIL);
});
defineGenBif('io', 'scan_erl_exprs', 4, function* (d: Term, p: Term, start: Term, opts: Term) {
  return yield* scanErlExprs(d, p, start, opts);
});
defineGenBif('io', 'parse_erl_exprs', 1, function* (p: Term) {
  return yield* parseErlExprs(A.standard_io, p, 1, NIL);
});
defineGenBif('io', 'parse_erl_exprs', 2, function* (d: Term, p: Term) {
  return yield* parseErlExprs(d, p, 1, NIL);
});
defineGenBif('io', 'parse_erl_exprs', 3, function* (d: Term, p: Term, start: Term) {
  return yield* parseErlExprs(d, p, start, NIL);
});
defineGenBif('io', 'parse_erl_exprs', 4, function* (d: Term, p: Term, start: Term, opts: Term) {
  return yield* parseErlExprs(d, p, start, opts);
});

// ---------- control ----------

function* geometry(dev: Term, what: Atom): Generator<unknown, Term, unknown> {
  const r = yield* input(dev, tuple(A.get_geometry, what));
  return typeof r === 'number' && r > 0 ? tuple(A.ok, r) : tuple(A.error, A.enotsup);
}

defineGenBif('io', 'columns', 0, function* () {
  return yield* geometry(A.standard_io, A.columns);
});
defineGenBif('io', 'columns', 1, function* (d: Term) {
  return yield* geometry(d, A.columns);
});
defineGenBif('io', 'rows', 0, function* () {
  return yield* geometry(A.standard_io, A.rows);
});
defineGenBif('io', 'rows', 1, function* (d: Term) {
  return yield* geometry(d, A.rows);
});

defineGenBif('io', 'setopts', 1, function* (o: Term) {
  return yield* input(A.standard_io, tuple(A.setopts, o));
});
defineGenBif('io', 'setopts', 2, function* (d: Term, o: Term) {
  return yield* input(d, tuple(A.setopts, o));
});
defineGenBif('io', 'getopts', 0, function* () {
  return yield* input(A.standard_io, A.getopts);
});
defineGenBif('io', 'getopts', 1, function* (d: Term) {
  return yield* input(d, A.getopts);
});

/** The I/O protocol form of a request given to io:request(s), as io.erl's io_request/2 makes it. */
function protocolRequest(r: Term): Term {
  if (r === A.nl) return tuple(A.put_chars, A.unicode, charlist('\n'));
  if (r instanceof Tuple) {
    const [op, ...rest] = r.elements;
    if ((op === A.format || op === A.fwrite) && rest.length === 2) return tuple(A.put_chars, A.unicode, A.io_lib, op, list(rest));
    if (op === A.write && rest.length === 1) return tuple(A.put_chars, A.unicode, A.io_lib, A.write, list(rest));
  }
  return r;
}

/** io:requests: the list flattened ({requests, Rs} inside), each request in protocol form */
function protocolRequests(rs: Term): Term {
  const out: Term[] = [];
  const walk = (l: Term): boolean => {
    for (; l instanceof List; l = l.tail) {
      const r = l.head;
      if (r instanceof Tuple && r.elements[0] === A.requests && r.elements.length === 2) {
        if (!walk(r.elements[1])) return false;
      } else out.push(protocolRequest(r));
    }
    return l === NIL;
  };
  return walk(rs) ? tuple(A.requests, list(out)) : tuple(A.requests, rs);
}

defineGenBif('io', 'request', 1, function* (r: Term) {
  return yield* input(A.standard_io, protocolRequest(r));
});
defineGenBif('io', 'request', 2, function* (d: Term, r: Term) {
  return yield* input(d, protocolRequest(r));
});
defineGenBif('io', 'requests', 1, function* (rs: Term) {
  return yield* input(A.standard_io, protocolRequests(rs));
});
defineGenBif('io', 'requests', 2, function* (d: Term, rs: Term) {
  return yield* input(d, protocolRequests(rs));
});

defineGenBif('io', 'printable_range', 0, function* () {
  return A.latin1;
});
