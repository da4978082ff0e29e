// I/O servers: the `user` process (and `standard_error`) speaking Erlang's I/O protocol.
//
//   {io_request, From, ReplyAs, Request}  →  {io_reply, ReplyAs, Reply}
//
// Requests: put_chars (chars, or M:F(A) whose result is written), get_line, get_chars, get_until
// (M:F(Cont, Data, Extra...) fed line by line until {done, Result, Rest}), requests, setopts,
// getopts, get_geometry. Output goes to the server's device at once; input requests wait in order
// for lines, which the device hands back as messages, so output from other processes keeps flowing
// while the shell waits for a line, as with OTP's group leader.

import { Atom, Bin, List, NIL, Pid, Term, Tuple, atom, binaryFromString, charlist, list, tuple, OK, TRUE, FALSE } from '../../vm/term.js';
import { TailCall } from '../../vm/abi.js';
import { receive, receiveAny } from '../../vm/receive.js';
import { S } from '../../vm/scheduler.js';
import { node } from '../../vm/node.js';
import { codeServer } from '../../vm/code_server.js';
import { asErlangException } from '../../vm/process.js';
import { chardataString } from '../common.js';
import { startLogger } from './error_logger.js';
import { IO_ATOMS, applyMFA, formattedChars, putCharsMFA, decodeIoRequest, isInputRequest, type IoRequest } from '../stdlib/io_protocol.js';

/** Where an I/O server's text goes and where its lines come from. */
export interface IoDevice {
  /** write text (already characters, newlines as \n) */
  write(text: string): void;
  /**
   * Read one line: show `prompt`, resolve with the line (without its newline), or null at end of
   * input. Absent: reads see end of input.
   */
  readLine?(prompt: string): Promise<string | null>;
  /** terminal size for io:columns/rows */
  columns?(): number | undefined;
  rows?(): number | undefined;
  /**
   * The device's encoding at start (io:getopts/0 shows it; io:setopts can change it). erl's `user`
   * is latin1 when stdin is not a terminal: characters above 255 are then written as \x{HHHH},
   * the others as one code unit each, which a latin1 device writes as one byte. Default unicode.
   */
  encoding?: 'unicode' | 'latin1';
  /** a terminal (the Ink UI): getopts also lists {echo, true} */
  terminal?: boolean;
}

/** The node's raw standard output (erlang:display, halt's flush), set at boot. */
let stdoutSink: (text: string) => void = (text) => {
  process.stdout.write(text);
};

export function setStdout(sink: (text: string) => void): void {
  stdoutSink = sink;
}

export function writeStdout(text: string): void {
  stdoutSink(text);
}

/** The node's raw standard error (erlang:process_display), set at boot. */
let stderrSink: (text: string) => void = (text) => {
  process.stderr.write(text);
};

export function writeStderr(text: string): void {
  stderrSink(text);
}

const A = {
  ...IO_ATOMS,
  columns: atom('columns'),
  rows: atom('rows'),
  binary: atom('binary'),
  list: atom('list'),
  encoding: atom('encoding'),
  echo: atom('echo'),
  expand_fun: atom('expand_fun'),
  error: atom('error'),
  eof: atom('eof'),
  done: atom('done'),
  more: atom('more'),
  request: atom('request'),
  enotsup: atom('enotsup'),
  input: atom('$terl_input'),
};

/** One pending input request. */
interface InputRequest {
  from: Term;
  replyAs: Term;
  req: Extract<IoRequest, { op: 'get_line' | 'get_chars' | 'get_until' }>;
  /** get_until's continuation between lines */
  cont: Term;
  /** its prompt has been shown (with the line read for it) */
  prompted?: boolean;
}


function promptText(p: Term): string {
  if (p instanceof Atom) return p.name;
  return chardataString(p) ?? '';
}

/** The state and request handling of one I/O server. */
class IoServer {
  /** input read but not yet consumed (code points as a string) */
  private buffer = '';
  private eof = false;
  private reading = false;
  private readonly pending: InputRequest[] = [];
  private binary = false;
  private encoding: 'unicode' | 'latin1';

  constructor(
    private readonly dev: IoDevice,
    private readonly self: Pid,
  ) {
    this.encoding = dev.encoding ?? 'unicode';
  }

  *run(): Generator<unknown, Term, unknown> {
    for (;;) {
      // receive itself, with one matcher for good: no generator and closure of receiveAny's per message
      const m = (yield* receive(anyMessage))!;
      if (!(m instanceof Tuple)) continue;
      const e = m.elements;
      if (e[0] === A.io_request && e.length === 4) {
        const req = decodeIoRequest(e[3]);
        if (req !== undefined && isInputRequest(req)) {
          this.pending.push({ from: e[1], replyAs: e[2], req, cont: NIL });
          yield* this.serveInput();
        } else {
          // most output requests (io:format's among them) are answered at once, with no generator
          const now = this.outputNow(e[3], req);
          reply_(e[1], e[2], now !== undefined ? now : yield* this.output(e[3], req));
        }
      } else if (e[0] === A.input && e.length === 2) {
        this.reading = false;
        if (e[1] === A.eof) this.eof = true;
        else this.buffer += chardataString(e[1]) ?? '';
        yield* this.serveInput();
      }
    }
  }

  /** Answer input requests in order while there is input (or end of input) for them. */
  private *serveInput(): Generator<unknown, void, unknown> {
    while (this.pending.length > 0) {
      const r = this.pending[0];
      const answer = yield* this.input(r);
      if (answer === undefined) {
        this.askForLine(r);
        return;
      }
      this.pending.shift();
      // answered from input left over by an earlier request: erl shows the prompt all the same
      if (!r.prompted && !this.eof) this.dev.write(promptText(r.req.prompt));
      reply_(r.from, r.replyAs, answer);
    }
  }

  /** Read a line for a request: its prompt first, but once only when piped (erl shows none on the lines that continue it). */
  private askForLine(r: InputRequest): void {
    if (this.reading || this.eof) return;
    const prompt = r.prompted && !this.dev.terminal ? '' : promptText(r.req.prompt);
    r.prompted = true;
    if (this.dev.readLine === undefined) {
      this.eof = true;
      node.deliver(node.process(this.self)!, tuple(A.input, A.eof));
      return;
    }
    this.reading = true;
    const me = this.self;
    const deliver = (line: string | null) => {
      const p = node.process(me);
      if (p !== undefined) node.deliver(p, tuple(A.input, line === null ? A.eof : charlist(line + '\n')));
    };
    this.dev.readLine(prompt).then(deliver, () => deliver(null));
  }

  private chars(s: string): Term {
    return this.binary ? binaryFromString(s) : charlist(s);
  }

  /** The answer to an input request from buffered input, or undefined when more input is needed. */
  private *input(r: InputRequest): Generator<unknown, Term | undefined, unknown> {
    const req = r.req;
    if (req.op === 'get_line') {
      const nl = this.buffer.indexOf('\n');
      if (nl < 0) {
        if (!this.eof) return undefined;
        if (this.buffer === '') return A.eof;
        const rest = this.buffer;
        this.buffer = '';
        return this.chars(rest);
      }
      const line = this.buffer.slice(0, nl + 1);
      this.buffer = this.buffer.slice(nl + 1);
      return this.chars(line);
    }
    if (req.op === 'get_chars') {
      const n = req.n;
      if (typeof n !== 'number') return tuple(A.error, A.request);
      const cps = [...this.buffer];
      if (cps.length < n && !this.eof) return undefined;
      if (cps.length === 0) return A.eof;
      this.buffer = cps.slice(n).join('');
      return this.chars(cps.slice(0, n).join(''));
    }
    // get_until: feed whole lines to M:F(Cont, Data, Extra...) until it is done; the
    // continuation waits in the request while the next line is read
    const { m, f, extra: extraArgs } = req;
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      let data: Term;
      if (nl >= 0) {
        data = charlist(this.buffer.slice(0, nl + 1));
        this.buffer = this.buffer.slice(nl + 1);
      } else if (this.eof) {
        data = this.buffer === '' ? A.eof : charlist(this.buffer);
        this.buffer = '';
      } else {
        return undefined;
      }
      let res: Term;
      try {
        res = yield* applyMFA(m, f, [r.cont, data, ...extraArgs]);
      } catch {
        return tuple(A.error, A.get_until);
      }
      if (res instanceof Tuple && res.elements[0] === A.done && res.elements.length === 3) {
        const rest = res.elements[2];
        this.buffer = (rest === A.eof ? '' : (chardataString(rest) ?? '')) + this.buffer;
        const result = res.elements[1];
        return this.binary && isCharList(result) ? binaryFromString(chardataString(result) ?? '') : result;
      }
      if (res instanceof Tuple && res.elements[0] === A.more && res.elements.length === 2) {
        r.cont = res.elements[1];
        if (data === A.eof) return A.eof;
        continue;
      }
      return tuple(A.error, A.get_until);
    }
  }

  /**
   * An output or control request answered at once: its reply, or undefined for the two that may
   * wait on code (put_chars with an M:F(A) to apply, other than io:format's, and a list of requests).
   * An unknown request is {error, {request, Req}}, as erl's.
   */
  private outputNow(term: Term, req: IoRequest | undefined): Term | undefined {
    if (req === undefined) return unknownRequest(term);
    switch (req.op) {
      case 'put_chars':
        return this.putChars(req.chars, req.enc);
      case 'put_chars_mfa': {
        let text: string | undefined;
        try {
          text = formattedChars(req.m, req.f, req.args);
        } catch {
          return tuple(A.error, A.put_chars);
        }
        return text === undefined ? undefined : this.putChars(text, req.enc);
      }
      case 'requests':
        return undefined;
      case 'setopts':
        return this.setopts(req.opts, term);
      case 'getopts':
        return this.getopts();
      case 'get_geometry': {
        if (req.what !== A.columns && req.what !== A.rows) return unknownRequest(term);
        const n = req.what === A.columns ? this.dev.columns?.() : this.dev.rows?.();
        return n === undefined ? tuple(A.error, A.enotsup) : n;
      }
    }
    return unknownRequest(term);
  }

  /** Output and control requests: the reply, once any M:F(A) they name has been applied. */
  private *output(term: Term, req: IoRequest | undefined): Generator<unknown, Term, unknown> {
    const now = this.outputNow(term, req);
    if (now !== undefined) return now;
    if (req?.op === 'put_chars_mfa') {
      let data: Term | string;
      try {
        data = yield* putCharsMFA(req.m, req.f, req.args);
      } catch {
        return tuple(A.error, A.put_chars);
      }
      return this.putChars(data, req.enc);
    }
    if (req?.op === 'requests') {
      let last: Term = OK;
      for (let l: Term = req.requests; l instanceof List; l = l.tail) {
        const one = decodeIoRequest(l.head);
        last = yield* this.output(l.head, one !== undefined && isInputRequest(one) ? undefined : one);
        if (last instanceof Tuple && last.elements[0] === A.error) return last;
      }
      return last;
    }
    return unknownRequest(term);
  }

  /** put_chars: the data written, or {error, put_chars} when it is no characters. */
  private putChars(data: Term | string, enc: 'unicode' | 'latin1' | undefined): Term {
    const text = typeof data === 'string' ? data : data instanceof Bin && enc === 'latin1' ? latin1Text(data) : chardataString(data);
    if (text === undefined) return tuple(A.error, A.put_chars);
    if (text !== '') this.dev.write(this.encoding === 'latin1' ? latin1Out(text) : text);
    return OK;
  }

  private setopts(opts: Term, request: Term): Term {
    if (!(opts instanceof List) && opts !== NIL) return unknownRequest(request);
    let binary = this.binary;
    let encoding = this.encoding;
    for (let l: Term = opts; l instanceof List; l = l.tail) {
      const o = l.head;
      if (o === A.binary) binary = true;
      else if (o === A.list) binary = false;
      else if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === A.binary && (o.elements[1] === TRUE || o.elements[1] === FALSE)) {
        binary = o.elements[1] === TRUE;
      } else if (o instanceof Tuple && o.elements.length === 2 && o.elements[0] === A.encoding && (o.elements[1] === A.unicode || o.elements[1] === A.latin1)) {
        encoding = o.elements[1] === A.unicode ? 'unicode' : 'latin1';
      } else if (o instanceof Tuple && o.elements.length === 2 && (o.elements[0] === A.echo || o.elements[0] === A.expand_fun)) {
        // the terminal echoes and completes in the UI thread; accepted as erl's group does
      } else return tuple(A.error, A.enotsup);
    }
    this.binary = binary;
    this.encoding = encoding;
    return OK;
  }

  private getopts(): Term {
    const opts: Term[] = [tuple(A.binary, this.binary ? TRUE : FALSE), tuple(A.encoding, atom(this.encoding))];
    if (this.dev.terminal) opts.unshift(tuple(A.echo, TRUE));
    return list(opts);
  }
}

const anyMessage = (m: Term): Term => m;

/** The reply to a request the server does not know (made only then: every io:format passes here). */
function unknownRequest(term: Term): Term {
  return tuple(A.error, tuple(A.request, term));
}

/** Text for a latin1 device: characters above 255 as \x{HHHH}, as erl's `user` writes them. */
function latin1Out(text: string): string {
  // nearly always nothing to escape: the text as it is, not rebuilt a character at a time (a
  // string of one-character pieces costs memory and time wherever it is read)
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u00ff]*$/.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c > 255 ? `\\x{${c.toString(16).toUpperCase()}}` : ch;
  }
  return out;
}

function latin1Text(b: Bin): string {
  let s = '';
  for (const x of b.bytes) s += String.fromCharCode(x);
  return s;
}

function isCharList(t: Term): boolean {
  return t instanceof List || t === NIL;
}
function reply_(to: Term, replyAs: Term, reply: Term): void {
  if (to instanceof Pid) node.sendToPid(to, tuple(A.io_reply, replyAs, reply));
}

const USER_LOOP = { module: atom('user'), name: atom('server_loop'), arity: 2 };
const STANDARD_ERROR_LOOP = { module: atom('standard_error'), name: atom('server_loop'), arity: 1 };

/** An I/O server for a shell job of its own (user_drv's group): like user, on its own device. */
export function startGroupServer(dev: IoDevice): Pid {
  const p = node.spawn(function* () {
    const server = new IoServer(dev, S.current.pid);
    return yield* server.run();
  }, []);
  p.waitingIn = GROUP_LOOP;
  return p.pid;
}

const GROUP_LOOP = { module: atom('group'), name: atom('server_loop'), arity: 3 };

/** Start an I/O server process for a device, registered as `name`. */
export function startIoServer(name: string, dev: IoDevice): Pid {
  const p = node.spawn(function* () {
    const server = new IoServer(dev, S.current.pid);
    return yield* server.run();
  }, []);
  // the loop it waits in, as process_info names erl's io servers'
  p.waitingIn = name === 'user' ? USER_LOOP : STANDARD_ERROR_LOOP;
  node.register(atom(name), p);
  return p.pid;
}

/**
 * Start the node's `user` I/O server (the default group leader) on a device, `standard_error`
 * (on errorDev, else the same device), and the `logger` that prints error reports through `user`.
 * erlang:display writes to the device directly.
 */
export function startUserServer(dev: IoDevice, errorDev?: IoDevice): Pid {
  // system processes get erl's low pid numbers: init <0.0.0>, user <0.66.0>; user code starts at <0.80.0>
  startInit();
  if (node.nextPidNumber < 66) node.setNextPidNumber(66);
  const pid = startIoServer('user', dev);
  node.userPid = pid;
  setStdout((text) => dev.write(text));
  const err = errorDev ?? { write: (text: string) => dev.write(text) };
  stderrSink = (text) => err.write(text);
  startIoServer('standard_error', err);
  startLogger(pid);
  if (node.nextPidNumber < 80) node.setNextPidNumber(80);
  return pid;
}

/**
 * The init process, <0.0.0> as in erl, started once and before anything else. It traps exits: the
 * boot process is linked to it, as erl's do_boot is (src/boot.ts watches that process's end).
 */
export function startInit(): void {
  if (node.whereis(atom('init')) !== undefined) return;
  const next = node.nextPidNumber;
  node.setNextPidNumber(0);
  const init = node.spawn(function* () {
    for (;;) yield* receiveAny();
  }, []);
  init.trapExit = true;
  init.waitingIn = { module: atom('init'), name: atom('loop'), arity: 1 };
  node.register(atom('init'), init);
  node.setNextPidNumber(Math.max(next, 1));
}
