// The Erlang I/O protocol (stdlib's "The Erlang I/O Protocol"), both sides in one place: the
// requests a client sends, decoded once for every I/O server (the `user` server in
// runtime/lib/kernel/user.ts, the file servers in runtime/lib/kernel/file_io_server.ts), and the
// client's side of a request: send it, then wait for the reply or the server's death.

import { Atom, List, Pid, Term, Tuple, atom, charlist, exactEqual, tuple } from '../../vm/term.js';
import { trampoline } from '../../vm/abi.js';
import { codeServer } from '../../vm/code_server.js';
import { node } from '../../vm/node.js';
import { S } from '../../vm/scheduler.js';
import { receive } from '../../vm/receive.js';
import { monitor, demonitor } from '../../vm/signals.js';
import { erlExit } from '../../vm/exception.js';
import { format as formatText } from './format/io_lib.js';

export type Encoding = 'latin1' | 'unicode';

/** A request as the protocol's forms give it; `enc` is undefined in the old forms without one. */
export type IoRequest =
  | { op: 'put_chars'; enc: Encoding | undefined; chars: Term }
  | { op: 'put_chars_mfa'; enc: Encoding | undefined; m: Term; f: Term; args: Term[] }
  | { op: 'get_line'; enc: Encoding | undefined; prompt: Term }
  | { op: 'get_chars'; enc: Encoding | undefined; prompt: Term; n: Term }
  | { op: 'get_until'; enc: Encoding | undefined; prompt: Term; m: Term; f: Term; extra: Term[] }
  | { op: 'requests'; requests: Term }
  | { op: 'setopts'; opts: Term }
  | { op: 'getopts' }
  | { op: 'get_geometry'; what: Term };

/** The protocol's atoms, for the servers and clients that speak it. */
export const IO_ATOMS = {
  io_request: atom('io_request'),
  io_reply: atom('io_reply'),
  put_chars: atom('put_chars'),
  get_line: atom('get_line'),
  get_chars: atom('get_chars'),
  get_until: atom('get_until'),
  requests: atom('requests'),
  setopts: atom('setopts'),
  getopts: atom('getopts'),
  get_geometry: atom('get_geometry'),
  latin1: atom('latin1'),
  unicode: atom('unicode'),
  DOWN: atom('DOWN'),
};
const A = IO_ATOMS;

/** The items of a list (an improper tail is left off). */
export function listItems(t: Term): Term[] {
  const out: Term[] = [];
  for (let l: Term = t; l instanceof List; l = l.tail) out.push(l.head);
  return out;
}

/** The request a term is, or undefined when it is none the protocol has (the server answers {error, request}). */
export function decodeIoRequest(req: Term): IoRequest | undefined {
  if (req === A.getopts) return { op: 'getopts' };
  if (!(req instanceof Tuple)) return undefined;
  // read in place: every io:format comes this way
  const es = req.elements;
  const op = es[0];
  const n = es.length - 1;
  if (op === A.requests) return n === 1 ? { op: 'requests', requests: es[1] } : undefined;
  if (op === A.setopts) return n === 1 ? { op: 'setopts', opts: es[1] } : undefined;
  if (op === A.getopts) return n === 0 ? { op: 'getopts' } : undefined;
  if (op === A.get_geometry) return n === 1 ? { op: 'get_geometry', what: es[1] } : undefined;
  // the character requests: an encoding first, except in the old forms
  const enc = es[1] === A.unicode ? 'unicode' : es[1] === A.latin1 ? 'latin1' : undefined;
  const at = enc === undefined ? 1 : 2;
  const len = es.length - at;
  if (op === A.put_chars) {
    if (len === 1) return { op: 'put_chars', enc, chars: es[at] };
    if (len === 3) return { op: 'put_chars_mfa', enc, m: es[at], f: es[at + 1], args: listItems(es[at + 2]) };
  } else if (op === A.get_line) {
    if (len === 1) return { op: 'get_line', enc, prompt: es[at] };
  } else if (op === A.get_chars) {
    if (len === 2) return { op: 'get_chars', enc, prompt: es[at], n: es[at + 1] };
  } else if (op === A.get_until) {
    if (len === 4) return { op: 'get_until', enc, prompt: es[at], m: es[at + 1], f: es[at + 2], extra: listItems(es[at + 3]) };
  }
  return undefined;
}

/** Is it a request that reads input? */
export function isInputRequest(r: IoRequest): r is Extract<IoRequest, { op: 'get_line' | 'get_chars' | 'get_until' }> {
  return r.op === 'get_line' || r.op === 'get_chars' || r.op === 'get_until';
}

/** M:F(Args...) from inside a server (put_chars's and get_until's callbacks: they may be compiled Erlang). */
export function* applyMFA(m: Term, f: Term, args: Term[]): Generator<unknown, Term, unknown> {
  if (!(m instanceof Atom) || !(f instanceof Atom)) throw erlExit(atom('badarg'));
  return yield* trampoline(yield* codeServer.fn(m, f, args.length)(...args));
}

const IO_LIB = atom('io_lib');
const FORMAT = atom('format');
const FWRITE = atom('fwrite');

/**
 * The characters put_chars's {M, F, A} stands for. io:format sends {io_lib, format, [F, A]}: its
 * text is made at once, as flattening io_lib:format's deep list would give it (the hot path of
 * printing); any other M:F is applied. Throws as applying it would.
 */
export function* putCharsMFA(m: Term, f: Term, args: Term[]): Generator<unknown, Term | string, unknown> {
  const text = formattedChars(m, f, args);
  if (text !== undefined) return text;
  return yield* applyMFA(m, f, args);
}

/** io:format's {io_lib, format, [F, A]} as its text, at once; undefined for any other M:F(A). Throws as the format does. */
export function formattedChars(m: Term, f: Term, args: Term[]): string | undefined {
  return m === IO_LIB && (f === FORMAT || f === FWRITE) && args.length === 2 ? formatText(args[0]!, args[1]!) : undefined;
}

/** How a request ended: the server's reply, or it died (or was gone) before replying. */
/** io:put_chars(Text) to the running process's group leader, as a library function that prints does. */
export function* putText(text: string): Generator<unknown, void, unknown> {
  if (text !== '') yield* trampoline(yield* codeServer.fn(atom('io'), atom('put_chars'), 1)(charlist(text)));
}

export type CallOutcome = { reply: Term } | 'terminated';

/**
 * Send {RequestTag, Self, Ref, Req} to the server and wait for {ReplyTag, Ref, Reply}, watching the
 * server so its death ends the wait (io_request/io_reply, or file.erl's file_request/file_reply).
 */
export function* callServer(pid: Pid, req: Term, tags: { request: Atom; reply: Atom }): Generator<unknown, CallOutcome, unknown> {
  const self = S.current;
  const ref = monitor(self, pid);
  node.sendToPid(pid, tuple(tags.request, self.pid, ref, req), self.pid);
  const r = yield* receive<CallOutcome>((m) => {
    if (!(m instanceof Tuple) || !exactEqual(m.elements[1], ref)) return undefined;
    if (m.elements[0] === tags.reply && m.elements.length === 3) return { reply: m.elements[2] };
    if (m.elements[0] === A.DOWN && m.elements.length === 5) return 'terminated';
    return undefined;
  });
  if (r !== undefined && r !== 'terminated') demonitor(self, ref, true);
  return r ?? 'terminated';
}
