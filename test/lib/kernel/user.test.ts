// The io module and the `user` I/O server: requests go to the group leader as {io_request, ...},
// output reaches the device, input requests wait for lines, errors are raised as real erl raises
// them (texts recorded from OTP 25's shell).

import { describe, test, expect, beforeAll } from 'vitest';
import '../../helpers/library.js';
import { run, call, callError, recv, spawn, sleep, explain, A, tuple } from '../../vm/support.js';
import { startUserServer, startIoServer } from '../../../runtime/lib/kernel/user.js';
import { ErlangException } from '../../../runtime/vm/exception.js';
import { Pid, Term, Tuple, binaryFromString, charlist, float, list, listToArray, listToString, NIL } from '../../../runtime/vm/term.js';

let out = '';
const prompts: string[] = [];
const lines: (string | null)[] = [];
let lineWaiters: ((l: string | null) => void)[] = [];

/** Hand a typed line to the device (null: end of input). */
function type(line: string | null): void {
  const w = lineWaiters.shift();
  if (w) w(line);
  else lines.push(line);
}

beforeAll(() => {
  startUserServer({
    write: (t) => {
      out += t;
    },
    readLine: (prompt) => {
      prompts.push(prompt);
      if (lines.length > 0) return Promise.resolve(lines.shift()!);
      return new Promise((resolve) => lineWaiters.push(resolve));
    },
    columns: () => 80,
  });
});

function take(): string {
  const s = out;
  out = '';
  return s;
}

const why = (e: ErlangException) => explain(e).why;

describe('output', () => {
  test('io:format, fwrite, put_chars, nl, write reach the group leader in order', async () => {
    await run(function* () {
      yield* call('io:format', charlist('~p~n'), list([tuple(A('a'), charlist('b'))]));
      yield* call('io:fwrite', charlist('x~n'));
      yield* call('io:format', A('user'), charlist('hi ~w~n'), list([42]));
      yield* call('io:put_chars', list([charlist('a'), binaryFromString('b')]));
      yield* call('io:nl');
      yield* call('io:write', tuple(A('a'), charlist('b')));
      yield* call('io:put_chars', A('standard_error'), charlist('!'));
      return A('ok');
    });
    // erl: {a,"b"} / x / hi 42 / ab / {a,[98]} (io:write is ~w)
    expect(take()).toBe('{a,"b"}\nx\nhi 42\nab\n{a,[98]}!');
  });

  test('io:format returns ok', async () => {
    const r = await run(function* () {
      return yield* call('io:format', charlist('~s'), list([charlist('')]));
    });
    expect(r).toBe(A('ok'));
  });

  test('a bad format is badarg with erl explanation', async () => {
    // erl: io:format("~p~n") -> *** argument 1: wrong number of arguments
    //      io:format("~p", a) -> *** argument 2: not a list
    const r = await run(function* () {
      const e1 = yield* callError('io:format', charlist('~p~n'));
      const e2 = yield* callError('io:format', charlist('~p'), A('a'));
      const e3 = yield* callError('io:format', A('user'), charlist('~p ~p'), list([A('a')]));
      return tuple(e1 as unknown as Term, e2 as unknown as Term, e3 as unknown as Term);
    });
    const [e1, e2, e3] = r.elements as unknown as ErlangException[];
    expect(e1.reason).toBe(A('badarg'));
    expect(why(e1)).toEqual({ 1: 'wrong number of arguments' });
    expect(why(e2)).toEqual({ 2: 'not a list' });
    expect(why(e3)).toEqual({ 2: 'wrong number of arguments' });
    expect(take()).toBe('');
  });

  test('devices that do not exist, bad character data, calling itself', async () => {
    // erl: io:format(nosuchdev,"x",[]) -> *** argument 1: the device does not exist
    //      io:put_chars(foo) -> *** argument 1: not valid character data (an iodata term)
    //      io:put_chars(user,foo) -> *** argument 2: ...
    //      io:format(self(),"x",[]) -> exception error: calling_self ... argument 1: the device is not allowed to be the current process
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      const errs = [
        yield* callError('io:format', A('nosuchdev'), charlist('x'), NIL),
        yield* callError('io:nl', A('nosuch')),
        yield* callError('io:put_chars', A('foo')),
        yield* callError('io:put_chars', A('user'), A('foo')),
        yield* callError('io:format', me, charlist('x'), NIL),
      ];
      return list(errs.map((e) => tuple(e.reason, charlist(JSON.stringify(why(e))))));
    });
    const got = listToArray(r)!.map((t) => [((t as Tuple).elements[0] as { name: string }).name, JSON.parse(listToString((t as Tuple).elements[1])!)]);
    expect(got).toEqual([
      ['badarg', { 1: 'the device does not exist' }],
      ['badarg', { 1: 'the device does not exist' }],
      ['badarg', { 1: 'not valid character data (an iodata term)' }],
      ['badarg', { 2: 'not valid character data (an iodata term)' }],
      ['calling_self', { 1: 'the device is not allowed to be the current process' }],
    ]);
  });

  test('output follows the group leader: a process with another group leader writes there', async () => {
    const r = await run(function* () {
      const me = (yield* call('self')) as Pid;
      // a tiny I/O server that records the requests it gets and answers ok
      const collector = spawn(function* () {
        for (;;) {
          const m = (yield* recv(Infinity)) as Tuple;
          const [, from, replyAs, req] = m.elements;
          yield* call('send', me, tuple(A('seen'), req));
          yield* call('send', from, tuple(A('io_reply'), replyAs, A('ok')));
        }
      });
      const child = spawn(function* () {
        yield* recv(Infinity);
        return yield* call('io:put_chars', charlist('to my leader'));
      });
      yield* call('group_leader', collector, child);
      yield* call('send', child, A('go'));
      const seen = (yield* recv()) as Tuple;
      return seen.elements[1];
    });
    // io:put_chars sends {put_chars, unicode, Chars}
    const req = r as Tuple;
    expect(req.elements[0]).toBe(A('put_chars'));
    expect(req.elements[1]).toBe(A('unicode'));
    expect(listToString(req.elements[2])).toBe('to my leader');
    expect(take()).toBe('');
  });

  test('erlang:display writes the emulator text straight to the output', async () => {
    // erl: {a,"b",1.000000e+00,<<1>>} then true
    const r = await run(function* () {
      return yield* call('display', tuple(A('a'), charlist('b'), float(1.0), binaryFromString('\u0001')));
    });
    expect(r).toBe(A('true'));
    expect(take()).toBe('{a,"b",1.000000e+00,<<1>>}\n');
  });
});


describe('input', () => {
  test('get_line shows the prompt, returns the line with its newline, then eof', async () => {
    const p = run(function* () {
      const a = yield* call('io:get_line', charlist('name> '));
      const b = yield* call('io:get_line', A('more'));
      const c = yield* call('io:get_line', charlist(''));
      return tuple(a, b, c);
    });
    await new Promise((r) => setTimeout(r, 5));
    type('joe');
    type('mike');
    type(null);
    const r = await p;
    expect(prompts.slice(-3)).toEqual(['name> ', 'more', '']);
    expect(r.elements.map((x) => (x instanceof Object && 'name' in x ? (x as { name: string }).name : listToString(x)))).toEqual(['joe\n', 'mike\n', 'eof']);
  });

  test('output from other processes is not held up while a get_line waits', async () => {
    lines.length = 0;
    const p = run(function* () {
      const fresh = startIoServer('runtime_io_test_dev', {
        write: (t) => {
          out += t;
        },
        readLine: () => new Promise((resolve) => lineWaiters.push(resolve)),
      });
      spawn(function* () {
        return yield* call('io:get_line', fresh, charlist('> '));
      });
      yield* sleep(10);
      yield* call('io:put_chars', fresh, charlist('while waiting\n'));
      return A('ok');
    });
    await p;
    expect(take()).toBe('while waiting\n');
    type('late line');
  });

  test('get_chars reads a number of characters', async () => {
    const p = run(function* () {
      const dev = startIoServer('runtime_io_test_chars', {
        write: () => {},
        readLine: () => Promise.resolve('abcdef'),
      });
      const a = yield* call('io:get_chars', dev, charlist(''), 2);
      const b = yield* call('io:get_chars', dev, charlist(''), 3);
      return tuple(a, b);
    });
    const r = await p;
    expect(r.elements.map((x) => listToString(x))).toEqual(['ab', 'cde']);
  });

  test('a device that cannot read answers eof; columns come from the device', async () => {
    const r = await run(function* () {
      const dev = startIoServer('runtime_io_test_noread', { write: () => {} });
      return tuple(yield* call('io:get_line', dev, charlist('')), yield* call('io:columns'), yield* call('io:columns', dev));
    });
    expect(r.elements).toEqual([A('eof'), tuple(A('ok'), 80), tuple(A('error'), A('enotsup'))]);
  });
});


describe('the I/O protocol details', () => {
  test('unknown requests, setopts and getopts answer as erl`s user does', async () => {
    // erl (stdin piped): io:request(foo) -> {error,{request,foo}}; io:request({get_geometry, foo}) -> {error,{request,{get_geometry,foo}}}
    //   io:setopts([{encoding, unicode}]), io:getopts() -> [{binary,false},{encoding,unicode}]
    //   io:setopts([binary]), io:getopts() -> [{binary,true},{encoding,unicode}]; io:setopts([foo]) -> {error,enotsup}
    const r = await run(function* () {
      const dev = startIoServer('runtime_io_test_opts', { write: () => {}, encoding: 'latin1' });
      const out: Term[] = [
        yield* call('io:request', dev, A('foo')),
        yield* call('io:request', dev, tuple(A('get_geometry'), A('foo'))),
        yield* call('io:getopts', dev),
        yield* call('io:setopts', dev, list([tuple(A('encoding'), A('unicode'))])),
        yield* call('io:getopts', dev),
        yield* call('io:setopts', dev, list([A('binary')])),
        yield* call('io:getopts', dev),
        yield* call('io:setopts', dev, list([A('foo')])),
        yield* call('io:request', dev, tuple(A('setopts'), A('foo'))),
      ];
      return list(out);
    });
    const opts = (b: boolean, enc: string) => list([tuple(A('binary'), A(String(b))), tuple(A('encoding'), A(enc))]);
    expect(listToArray(r)).toEqual([
      tuple(A('error'), tuple(A('request'), A('foo'))),
      tuple(A('error'), tuple(A('request'), tuple(A('get_geometry'), A('foo')))),
      opts(false, 'latin1'),
      A('ok'),
      opts(false, 'unicode'),
      A('ok'),
      opts(true, 'unicode'),
      tuple(A('error'), A('enotsup')),
      tuple(A('error'), tuple(A('request'), tuple(A('setopts'), A('foo')))),
    ]);
  });

  test('a latin1 device gets characters above 255 as \\x{HHHH}', async () => {
    // erl (stdin piped): io:put_chars([20013, 233, 10]) writes \x{4E2D} then the byte 233
    let written = '';
    await run(function* () {
      const dev = startIoServer('runtime_io_test_latin1', { write: (t) => (written += t), encoding: 'latin1' });
      yield* call('io:put_chars', dev, list([20013, 233, 10]));
      yield* call('io:setopts', dev, list([tuple(A('encoding'), A('unicode'))]));
      yield* call('io:put_chars', dev, list([20013, 10]));
      return A('ok');
    });
    expect(written).toBe('\\x{4E2D}\u00e9\n\u4e2d\n');
  });

  test('io:requests runs a batch: nl and {format, F, A} as io.erl converts them', async () => {
    const r = await run(function* () {
      return yield* call('io:requests', list([tuple(A('put_chars'), A('unicode'), charlist('a')), A('nl'), tuple(A('format'), charlist('~w'), list([1]))]));
    });
    expect(r).toBe(A('ok'));
    expect(take()).toBe('a\n1');
  });
});

describe('io:read', () => {
  test('reads a term up to its dot, across lines; a syntax error comes back as erl_parse says it', async () => {
    // erl: io:read("term> ") with {a, [1,2]}. -> {ok,{a,[1,2]}}; with foo(. -> {error,{1,erl_parse,["syntax error before: ","'.'"]}}
    const input = ['{a,', ' [1,2]}.', 'foo(.'];
    const r = await run(function* () {
      const dev = startIoServer('runtime_io_test_read', { write: () => {}, readLine: () => Promise.resolve(input.shift() ?? null) });
      const a = yield* call('io:read', dev, charlist('term> '));
      const b = yield* call('io:read', dev, charlist('t> '));
      const c = yield* call('io:read', dev, charlist('t> '));
      return tuple(a, b, c);
    });
    expect(r.elements[0]).toEqual(tuple(A('ok'), tuple(A('a'), list([1, 2]))));
    expect(r.elements[1]).toEqual(tuple(A('error'), tuple(1, A('erl_parse'), list([charlist('syntax error before: '), charlist("'.'")]))));
    expect(r.elements[2]).toBe(A('eof'));
  });
});
