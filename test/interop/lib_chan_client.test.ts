// terl's lib_chan client against a lib_chan server on real Erlang/OTP (test/interop/lib_chan_peer.erl):
// the book's session, every error connect can return, and the channel's messages.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:net';
import { HAVE_ERL, startErlServer, freePort } from './lib_chan_erl.js';
import { inProcess, call, show, current, printed } from '../lib/lib_chan/runtime.js';
import { atom, charlist, tuple, Tuple, Pid, NIL, type Term } from '../../runtime/vm/term.js';
import { node } from '../../runtime/vm/node.js';
import { receive } from '../../runtime/vm/receive.js';
import { FrameReader, frame, encodeFrame, decodeFrame } from '../../runtime/lib/lib_chan/wire.js';

const a = atom;
const s = charlist;

/** The value of a process's run, printed with ~p (or the exit reason, marked). */
async function run(body: () => Generator<unknown, Term, unknown>): Promise<string> {
  const r = await inProcess(body);
  return 'value' in r ? show(r.value) : 'EXIT ' + show(r.exit);
}

describe.skipIf(!HAVE_ERL)('lib_chan client → real Erlang server', () => {
  let port: number;
  let server: Awaited<ReturnType<typeof startErlServer>>;

  beforeAll(async () => {
    port = await freePort();
    server = await startErlServer(port);
  });
  afterAll(() => server?.stop());

  const connect = (service: string, password: Term, argsC: Term = NIL) =>
    call('lib_chan', 'connect', s('localhost'), port, a(service), password, argsC);

  it('runs the book session: connect, cast, rpc, disconnect', async () => {
    const out = await run(function* () {
      const r = (yield* connect('nameServer', s('ABXy45'))) as Tuple;
      const mm = r.elements[1];
      const lines = [show(r).replace(/<[\d.]+>/, '<PID>')];
      lines.push(show(yield* call('lib_chan', 'cast', mm, tuple(a('store'), a('joe'), s('writing a book')))));
      lines.push(show(yield* call('lib_chan', 'rpc', mm, tuple(a('lookup'), a('joe')))));
      lines.push(show(yield* call('lib_chan', 'rpc', mm, tuple(a('lookup'), a('jim')))));
      lines.push(show(yield* call('lib_chan', 'disconnect', mm)));
      return s(lines.join('\n'));
    });
    expect(out).toBe(show(s('{ok,<PID>}\n{send,{store,joe,"writing a book"}}\n{ok,"writing a book"}\nundefined\nclose')));
    await server.waitFor('channel closed');
  });

  it('returns {error,authFail} for a wrong password', async () => {
    expect(await run(() => connect('nameServer', s('wrong')))).toBe('{error,authFail}');
  });

  it('returns {error,badService} for a service the server does not have', async () => {
    expect(await run(() => connect('noSuchService', s('x')))).toBe('{error,badService}');
    // a service named by a string is a different term
    expect(await run(() => call('lib_chan', 'connect', s('localhost'), port, s('echo'), a('none'), NIL))).toBe('{error,badService}');
  });

  it('takes a password as iodata, like erlang:md5', async () => {
    const { binary, list } = await import('../../runtime/vm/term.js');
    const out = await run(function* () {
      const r = (yield* connect('nameServer', list([s('ABXy'), binary(Buffer.from('45'))]))) as Tuple;
      return r.elements[0];
    });
    expect(out).toBe('ok');
  });

  it('raises badarg for a password that cannot be hashed', async () => {
    const out = await run(() => connect('nameServer', a('secret')));
    expect(out).toMatch(/^EXIT \{badarg,\[\{lib_chan,connect,/);
  });

  it('connects to a service without password and passes ArgsC', async () => {
    const out = await run(function* () {
      const r = (yield* connect('echo', a('anything'), tuple(a('client'), a('args')))) as Tuple;
      const mm = r.elements[1];
      const reply = yield* call('lib_chan', 'rpc', mm, tuple(a('hello'), 42, s('text')));
      yield* call('lib_chan', 'disconnect', mm);
      return reply;
    });
    expect(out).toBe('{echo,{hello,42,"text"}}');
    await server.waitFor('echo started {client,args}');
  });

  it('accepts terms of every kind on the channel', async () => {
    const { binary, float, list, cons } = await import('../../runtime/vm/term.js');
    const term = tuple(a('hello'), 42, binary([1, 2, 3]), float(3.5), cons(1, cons(2, 3)), -7, 1n << 70n, list([]), s('\u00e5'));
    const out = await run(function* () {
      const r = (yield* connect('echo', a('none'))) as Tuple;
      const reply = yield* call('lib_chan', 'rpc', r.elements[1], term);
      yield* call('lib_chan', 'disconnect', r.elements[1]);
      return reply;
    });
    expect(out).toBe('{echo,{hello,42,<<1,2,3>>,3.5,[1,2|3],-7,1180591620717411303424,[],"å"}}');
  });

  it('hears the server close: {chan,MM,bye} then {chan_closed,MM}; rpc then says {error,closed}', async () => {
    const out = await run(function* () {
      const r = (yield* connect('quitter', a('none'))) as Tuple;
      const mm = r.elements[1] as Pid;
      const got: string[] = [];
      for (let i = 0; i < 2; i++) {
        const m = yield* receive((x) => x, 5000);
        got.push(m === undefined ? 'nothing' : show(m).split(show(mm)).join('MM'));
      }
      got.push(show(yield* call('lib_chan', 'rpc', mm, a('anyone'))));
      return s(got.join(' '));
    });
    expect(out).toBe('"{chan,MM,bye} {chan_closed,MM} {error,closed}"');
  });

  it('lets any process rpc; after {setController, Pid} the channel ends with its new controller', async () => {
    const out = await run(function* () {
      const r = (yield* connect('echo', a('none'))) as Tuple;
      const mm = r.elements[1] as Pid;
      const me = current().pid;
      // a process that waits for `go`, calls rpc on the channel and reports what it got
      const asker = (q: string) =>
        node.spawn(function* () {
          yield* receive((x) => (x === a('go') ? x : undefined));
          node.send(me, tuple(a('got'), yield* call('lib_chan', 'rpc', mm, a(q))));
          return a('ok');
        }, []).pid;
      function* ask(pid: Pid): Generator<unknown, string, unknown> {
        node.send(pid, a('go'));
        const v = yield* receive((x) => (x instanceof Tuple && x.elements[0] === a('got') ? x.elements[1] : undefined), 5000);
        return show(v ?? a('nothing'));
      }
      const lines = [yield* ask(asker('from_other'))];
      lines.push(show(yield* call('lib_chan', 'rpc', mm, a('mine'))));
      const helper = asker('helper');
      node.send(mm, tuple(a('setController'), helper));
      lines.push(yield* ask(helper));
      lines.push(show(yield* call('lib_chan', 'rpc', mm, a('mine_again'))));
      return s(lines.join(' '));
    });
    // the helper returned after its rpc: the channel closed with it
    expect(out).toBe('"{echo,from_other} {echo,mine} {echo,helper} {error,closed}"');
  });

  it('prints a protocol error for a message the middle man does not understand', async () => {
    printed.length = 0;
    await run(function* () {
      const r = (yield* connect('echo', a('none'))) as Tuple;
      const mm = r.elements[1];
      node.send(mm, tuple(a('what'), a('is'), a('this')));
      const reply = yield* call('lib_chan', 'rpc', mm, a('still_works'));
      node.send(mm, a('close'));
      return reply;
    });
    expect(printed).toEqual(['lib_chan_mm: protocol error:{what,is,this}\n']);
  });

  it('returns {error,econnrefused} when nothing listens', async () => {
    const free = await freePort();
    expect(await run(() => call('lib_chan', 'connect', s('localhost'), free, a('x'), s('p'), NIL))).toBe('{error,econnrefused}');
  });

  it('returns {error,nxdomain} for an unknown host', async () => {
    expect(await run(() => call('lib_chan', 'connect', s('no-such-host.invalid'), port, a('x'), s('p'), NIL))).toBe('{error,nxdomain}');
  });

  it('accepts the host as an atom or an address tuple', async () => {
    expect(await run(() => call('lib_chan', 'connect', a('localhost'), port, a('nope'), s('p'), NIL))).toBe('{error,badService}');
    expect(await run(() => call('lib_chan', 'connect', tuple(127, 0, 0, 1), port, a('nope'), s('p'), NIL))).toBe('{error,badService}');
    expect(await run(() => call('lib_chan', 'connect', s('127.0.0.1'), port, a('nope'), s('p'), NIL))).toBe('{error,badService}');
  });

  it('takes only its own replies: stray messages stay in the mailbox', async () => {
    const out = await run(function* () {
      const me = current();
      node.send(me.pid, a('unrelated_message'));
      node.send(me.pid, tuple(a('chan_closed'), me.pid));
      const r = (yield* connect('nameServer', s('ABXy45'))) as Tuple;
      const mm = r.elements[1];
      node.send(me.pid, tuple(a('chan'), me.pid, a('not_the_reply')));
      const reply = yield* call('lib_chan', 'rpc', mm, tuple(a('lookup'), a('nobody')));
      yield* call('lib_chan', 'disconnect', mm);
      const left: string[] = [];
      for (let m = yield* receive((x) => x, 0); m !== undefined; m = yield* receive((x) => x, 0)) left.push(show(m).split(show(me.pid)).join('Self'));
      return s(`${r.elements[0] === a('ok')} ${show(reply)} ${left.join(' ')}`);
    });
    expect(out).toBe('"true undefined unrelated_message {chan_closed,Self} {chan,Self,not_the_reply}"');
  });
});

describe('lib_chan client against misbehaving servers', () => {
  let tcp: Server;
  let port: number;
  let mode: 'silent' | 'hangup' | 'garbage' | 'slow' = 'silent';

  beforeAll(async () => {
    port = await freePort();
    tcp = createServer((sock) => {
      if (mode === 'hangup') sock.destroy();
      else if (mode === 'garbage') sock.write(Buffer.from([0, 0, 0, 3, 1, 2, 3]));
      else if (mode === 'slow') {
        // ack any startService, then answer each request 300 ms late with {late, Request}
        const reader = new FrameReader();
        let first = true;
        sock.on('data', (chunk) => {
          for (const f of reader.push(chunk)) {
            if (first) {
              first = false;
              sock.write(frame(encodeFrame(a('ack'))));
            } else setTimeout(() => sock.write(frame(encodeFrame(tuple(a('late'), decodeFrame(f, false)!)))), 300);
          }
        });
      }
      sock.on('error', () => {});
    });
    await new Promise<void>((r) => tcp.listen(port, '127.0.0.1', r));
  });
  afterAll(() => tcp.close());

  it('times out on a server that never answers', async () => {
    mode = 'silent';
    expect(await run(() => call('lib_chan', 'connect', s('localhost'), port, a('x'), s('p'), NIL, 300))).toBe('{error,timeout}');
  });

  it('returns {error,closed} when the server hangs up during the handshake', async () => {
    mode = 'hangup';
    expect(await run(() => call('lib_chan', 'connect', s('localhost'), port, a('x'), s('p'), NIL))).toBe('{error,closed}');
  });

  it('refuses a server that answers with something that is not a term', async () => {
    mode = 'garbage';
    expect(await run(() => call('lib_chan', 'connect', s('localhost'), port, a('x'), s('p'), NIL))).toBe('{error,{protocolError,badFrame}}');
  });

  it('rpc times out, and the late reply is dropped instead of passing for the next one', async () => {
    mode = 'slow';
    const out = await run(function* () {
      const r = (yield* call('lib_chan', 'connect', s('localhost'), port, a('x'), a('none'), NIL)) as Tuple;
      const mm = r.elements[1];
      const first = yield* call('lib_chan', 'rpc', mm, a('first'), 100);
      yield* receive(() => undefined, 400); // the late reply to `first` arrives meanwhile
      const second = yield* call('lib_chan', 'rpc', mm, a('second'), 2000);
      const stray = yield* receive((x) => x, 0);
      yield* call('lib_chan', 'disconnect', mm);
      return tuple(first, second, stray ?? a('none'));
    });
    expect(out).toBe('{{error,timeout},{late,second},none}');
  });

  it('raises badarg for a bad port or timeout', async () => {
    expect(await run(() => call('lib_chan', 'connect', s('localhost'), 70000, a('x'), s('p'), NIL))).toMatch(/^EXIT \{badarg,/);
    expect(await run(() => call('lib_chan', 'connect', s('localhost'), port, a('x'), s('p'), NIL, a('soon')))).toMatch(/^EXIT \{badarg,/);
  });
});
