// terl's lib_chan server (running in this test's node) against clients on real Erlang/OTP
// (test/interop/lib_chan_peer.erl): the handshake byte for byte, refusals, services, and what a
// hostile or careless client can and cannot do to the server.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAVE_ERL, runErl, freePort } from './lib_chan_erl.js';
import { inProcess, call, show, printed, until } from '../lib/lib_chan/runtime.js';
import { defineGenBif } from '../../runtime/vm/bif_registry.js';
import { atom, charlist, tuple, Tuple, Pid, existingAtom, type Term } from '../../runtime/vm/term.js';
import { node } from '../../runtime/vm/node.js';
import { S } from '../../runtime/vm/scheduler.js';
import { receive } from '../../runtime/vm/receive.js';
import { erlError } from '../../runtime/vm/exception.js';
import { limits } from '../../runtime/lib/lib_chan/server.js';

const a = atom;
const s = charlist;
const CHAN = a('chan');
const CHAN_CLOSED = a('chan_closed');

/** What the test services saw, for the assertions. */
const seen: string[] = [];
const store = new Map<string, Term>();

function isChan(m: Term, mm: Term): m is Tuple {
  return m instanceof Tuple && m.size === 3 && m.elements[0] === CHAN && m.elements[1] === mm;
}
function isClosed(m: Term, mm: Term): boolean {
  return m instanceof Tuple && m.size === 2 && m.elements[0] === CHAN_CLOSED && m.elements[1] === mm;
}

// services written in TypeScript, registered as a built-in module for this test
defineGenBif('lc_test', 'echo', 3, function* (mm: Term, argsC: Term, argsS: Term) {
  seen.push(`echo ArgsC=${show(argsC)} ArgsS=${show(argsS)}`);
  for (;;) {
    const m = (yield* receive((x) => x))!;
    if (isClosed(m, mm)) {
      seen.push('echo closed');
      return a('true'); // returning is a normal end: no error line
    }
    if (isChan(m, mm)) {
      if (m.elements[2] === a('close_please')) {
        node.send(mm, a('close'));
        continue;
      }
      node.send(mm, tuple(a('send'), tuple(a('echo'), m.elements[2])));
    }
  }
});

defineGenBif('lc_test', 'names', 3, function* (mm: Term) {
  for (;;) {
    const m = (yield* receive((x) => x))!;
    if (isClosed(m, mm)) return a('true');
    if (!isChan(m, mm)) continue;
    const q = m.elements[2] as Tuple;
    if (q.elements[0] === a('store')) store.set(show(q.elements[1]), q.elements[2]);
    else if (q.elements[0] === a('lookup')) {
      const v = store.get(show(q.elements[1]));
      node.send(mm, tuple(a('send'), v === undefined ? a('undefined') : tuple(a('ok'), v)));
    }
  }
});

defineGenBif('lc_test', 'crash', 3, function* () {
  throw erlError(a('badarith'));
});

defineGenBif('lc_test', 'handoff', 3, function* (mm: Term) {
  // hand the channel to a new process and return: the channel lives on with its new controller
  const worker = node.spawn(function* () {
    for (;;) {
      const m = (yield* receive((x) => x))!;
      if (isClosed(m, mm)) return a('true');
      if (isChan(m, mm)) node.send(mm, tuple(a('send'), tuple(a('worker'), m.elements[2])));
    }
  }, []);
  node.send(mm, tuple(a('setController'), worker.pid));
  return a('ok');
});

const CONF = (port: number) => `{port, ${port}}.
{service, nameServer, password, "ABXy45", mfa, lc_test, names, notUsed}.
{service, echo, password, none, mfa, lc_test, echo, {server,args}}.
{service, secretEcho, password, "p\u00e4ss", mfa, lc_test, echo, secret}.
{service, crash, password, none, mfa, lc_test, crash, []}.
{service, missing, password, none, mfa, no_such_module, start, []}.
{service, handoff, password, none, mfa, lc_test, handoff, []}.
`;

let confFile = '';

async function startServer(conf: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lib_chan_conf-'));
  const file = (confFile = join(dir, 'lib_chan.conf'));
  writeFileSync(file, conf, 'utf8');
  const r = await inProcess(() => call('lib_chan', 'start_server', s(file)));
  return 'value' in r ? show(r.value) : 'EXIT ' + show(r.exit);
}

describe.skipIf(!HAVE_ERL)('lib_chan server ← real Erlang clients', () => {
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    printed.length = 0;
    expect(await startServer(CONF(port))).toBe('true');
    limits.handshakeMs = 1500;
  });
  afterAll(async () => {
    limits.handshakeMs = 10_000;
    await inProcess(() => call('lib_chan', 'stop_server', port));
  });

  it('prints the config as the book does (compared with real Erlang)', async () => {
    expect(printed[0]).toBe(`lib_chan starting:${show(s(confFile))}\n`);
    const expected = await runErl(`
      io:setopts([{encoding, unicode}]),
      {ok, Terms} = file:consult(${JSON.stringify(confFile)}),
      io:format("lib_chan starting:~p~nConfigData=~p~n", [${JSON.stringify(confFile)}, Terms]), halt().`);
    expect(printed.slice(0, 2).join('')).toBe(expected);
    expect(printed[1]).toContain('\n            {service,echo,password,none,mfa,lc_test,echo,{server,args}},\n');
  });

  it('serves the book session to a real Erlang client', async () => {
    const out = await runErl(`
      {ok, S} = lib_chan_peer:connect(${port}, nameServer, "ABXy45", ""),
      ok = lib_chan_peer:cast(S, {store, joe, "writing a book"}),
      io:format("~p~n", [lib_chan_peer:rpc(S, {lookup, joe})]),
      io:format("~p~n", [lib_chan_peer:rpc(S, {lookup, jim})]),
      lib_chan_peer:close(S), halt().`);
    expect(out).toBe('{ok,"writing a book"}\nundefined\n');
  });

  it('refuses a wrong password with authFail and closes at once; unknown services with badService', async () => {
    const out = await runErl(`
      io:format("~p~n", [lib_chan_peer:connect(${port}, nameServer, "abxy45", "")]),
      io:format("~p~n", [lib_chan_peer:connect(${port}, nameServer, "ABXy45 ", "")]),
      io:format("~p~n", [lib_chan_peer:connect(${port}, nameserver, "ABXy45", "")]),
      io:format("~p~n", [lib_chan_peer:connect(${port}, "echo", none, "")]),
      halt().`);
    // lib_chan_peer:connect checks that the server closes within 2 s of authFail/badService
    expect(out).toBe('{error,authFail}\n{error,authFail}\n{error,badService}\n{error,badService}\n');
  });

  it('hashes Latin-1 passwords as erlang:md5 does', async () => {
    const out = await runErl(`
      {ok, S} = lib_chan_peer:connect(${port}, secretEcho, [$p, 228, $s, $s], x),
      io:format("~p~n", [lib_chan_peer:rpc(S, hi)]), halt().`);
    expect(out).toBe('{echo,hi}\n');
    await until(() => seen.includes('echo ArgsC=x ArgsS=secret'));
  });

  it('accepts a client that writes atoms as UTF-8 (OTP 26 and later)', async () => {
    const out = await runErl(`
      {ok, S} = lib_chan_peer:connect(${port}, nameServer, "ABXy45", [], [utf8_atoms]),
      io:format("~p~n", [lib_chan_peer:rpc(S, {lookup, joe})]), halt().`);
    expect(out).toBe('{ok,"writing a book"}\n');
  });

  it('starts a service without password with ArgsC and ArgsS; a service that returns ends normally', async () => {
    printed.length = 0;
    const out = await runErl(`
      {ok, S} = lib_chan_peer:connect(${port}, echo, whatever, {client,args}),
      io:format("~p~n", [lib_chan_peer:rpc(S, {hello, 42, <<1,2,3>>, 3.5, [1,2|3], -7, 1 bsl 70})]),
      lib_chan_peer:close(S), halt().`);
    expect(out).toBe('{echo,{hello,42,<<1,2,3>>,3.5,[1,2|3],-7,1180591620717411303424}}\n');
    await until(() => seen.includes('echo closed'));
    expect(seen).toContain('echo ArgsC={client,args} ArgsS={server,args}');
    expect(printed).toEqual([]);
  });

  it('closes the connection when the service asks for it (MM ! close)', async () => {
    const out = await runErl(`
      {ok, S} = lib_chan_peer:connect(${port}, echo, none, []),
      ok = lib_chan_peer:cast(S, close_please),
      io:format("~p~n", [lib_chan_peer:recv(S)]), halt().`);
    expect(out).toBe('closed\n');
  });

  it('reports a crashing or missing service as `server error:` and closes the channel', async () => {
    printed.length = 0;
    const out = await runErl(`
      {ok, S1} = lib_chan_peer:connect(${port}, crash, none, []),
      io:format("~p~n", [lib_chan_peer:recv(S1)]),
      {ok, S2} = lib_chan_peer:connect(${port}, missing, none, []),
      io:format("~p~n", [lib_chan_peer:recv(S2)]), halt().`);
    expect(out).toBe('closed\nclosed\n');
    await until(() => printed.length >= 2);
    expect(printed[0]).toBe('server error:{badarith,[]}\n');
    expect(printed[1]).toMatch(/^server error:\{undef,\[\{no_such_module,start,\[<0\.\d+\.0>,\[\],\[\]\],\[\]\}\]\}\n$/);
  });

  it('hands a channel to another process with {setController, Pid}', async () => {
    const out = await runErl(`
      {ok, S} = lib_chan_peer:connect(${port}, handoff, none, []),
      io:format("~p~n", [lib_chan_peer:rpc(S, ping)]), halt().`);
    expect(out).toBe('{worker,ping}\n');
  });

  it('creates no atoms for strangers, but gives an authenticated client its own', async () => {
    expect(existingAtom('lc_fresh_service_1')).toBeUndefined();
    expect(existingAtom('lc_fresh_arg_1')).toBeUndefined();
    // the client builds the frames as raw bytes, so the atoms are not even made on the Erlang side
    const out = await runErl(`
      Frame = fun(Name, Arg) ->
        A = fun(T) -> [100, 0, length(T) | T] end,
        list_to_binary([131, 104, 3, A("startService"), A(Name), A(Arg)]) end,
      S1 = lib_chan_peer:raw(${port}),
      ok = lib_chan_peer:send_raw(S1, [<<(byte_size(Frame("lc_fresh_service_1", "x"))):32>>, Frame("lc_fresh_service_1", "x")]),
      {ok, R1} = gen_tcp:recv(S1, 0, 5000), io:format("~p~n", [R1]),
      S2 = lib_chan_peer:raw(${port}),
      ok = lib_chan_peer:send_raw(S2, [<<(byte_size(Frame("echo", "lc_fresh_arg_1"))):32>>, Frame("echo", "lc_fresh_arg_1")]),
      {ok, R2} = gen_tcp:recv(S2, 0, 5000), io:format("~p~n", [R2]),
      halt().`);
    expect(out).toBe('<<0,0,0,14,131,100,0,10,98,97,100,83,101,114,118,105,99,101>>\n<<0,0,0,7,131,100,0,3,97,99,107>>\n');
    expect(existingAtom('lc_fresh_service_1')).toBeUndefined();
    // ArgsC was kept as bytes until the client was in; password none lets anyone in
    await until(() => seen.includes('echo ArgsC=lc_fresh_arg_1 ArgsS={server,args}'));
  });

  it('does not decode ArgsC of a client that fails authentication', async () => {
    const out = await runErl(`
      io:format("~p~n", [lib_chan_peer:connect(${port}, nameServer, "wrong", {lc_fresh_arg_2})]), halt().`);
    expect(out).toBe('{error,authFail}\n');
    expect(existingAtom('lc_fresh_arg_2')).toBeUndefined();
  });

  it('leaves no process behind after clients that vanish, stall or send garbage', async () => {
    const before = node.processCount();
    const out = await runErl(`
      Check = fun(S) -> io:format("~p~n", [gen_tcp:recv(S, 0, 5000)]) end,
      %% garbage instead of a term
      S1 = lib_chan_peer:raw(${port}), lib_chan_peer:send_raw(S1, <<0,0,0,7,"garbage">>), Check(S1),
      %% a frame announced at 100 MB
      S2 = lib_chan_peer:raw(${port}), lib_chan_peer:send_raw(S2, <<100000000:32, 131>>), Check(S2),
      %% gone in the middle of the handshake
      S3 = lib_chan_peer:raw(${port}),
      Start = term_to_binary({startService, nameServer, []}),
      lib_chan_peer:send_raw(S3, [<<(byte_size(Start)):32>>, Start]),
      {ok, <<_:32, Challenge/binary>>} = gen_tcp:recv(S3, 0, 5000),
      {challenge, _} = binary_to_term(Challenge), gen_tcp:close(S3),
      %% says nothing at all: the handshake deadline closes it
      S4 = lib_chan_peer:raw(${port}), Check(S4),
      %% a first message that is not startService
      S5 = lib_chan_peer:raw(${port}), Hi = term_to_binary(hello), lib_chan_peer:send_raw(S5, [<<(byte_size(Hi)):32>>, Hi]), Check(S5),
      halt().`);
    expect(out).toBe('{error,closed}\n{error,closed}\n{error,closed}\n{error,closed}\n');
    await until(() => node.processCount() <= before, 3000, 'server processes to end');
  });

  it('a terl client and a terl server talk too', async () => {
    const r = await inProcess(function* () {
      const c = (yield* call('lib_chan', 'connect', s('localhost'), port, a('nameServer'), s('ABXy45'), s(''))) as Tuple;
      const reply = yield* call('lib_chan', 'rpc', c.elements[1], tuple(a('lookup'), a('joe')));
      yield* call('lib_chan', 'disconnect', c.elements[1]);
      return reply;
    });
    expect('value' in r && show(r.value)).toBe('{ok,"writing a book"}');
  });

  it('serves two clients at once, each on its own channel', async () => {
    const r = await inProcess(function* () {
      const c1 = (yield* call('lib_chan', 'connect', s('localhost'), port, a('echo'), a('none'), a('one'))) as Tuple;
      const c2 = (yield* call('lib_chan', 'connect', s('localhost'), port, a('echo'), a('none'), a('two'))) as Tuple;
      const r2 = yield* call('lib_chan', 'rpc', c2.elements[1], a('to_two'));
      const r1 = yield* call('lib_chan', 'rpc', c1.elements[1], a('to_one'));
      yield* call('lib_chan', 'disconnect', c1.elements[1]);
      yield* call('lib_chan', 'disconnect', c2.elements[1]);
      return tuple(r1, r2);
    });
    expect('value' in r && show(r.value)).toBe('{{echo,to_one},{echo,to_two}}');
  });

  it('100 connections in a row leave the process count flat', async () => {
    const before = node.processCount();
    const r = await inProcess(function* () {
      for (let i = 0; i < 100; i++) {
        const c = (yield* call('lib_chan', 'connect', s('localhost'), port, a('nameServer'), s('ABXy45'), s(''))) as Tuple;
        const reply = yield* call('lib_chan', 'rpc', c.elements[1], tuple(a('lookup'), a('joe')));
        if (show(reply) !== '{ok,"writing a book"}') return reply;
        yield* call('lib_chan', 'disconnect', c.elements[1]);
      }
      return a('done');
    });
    expect('value' in r && show(r.value)).toBe('done');
    await until(() => node.processCount() <= before, 5000, 'every channel process to end');
  });

  it('closes the channel when the client process dies', async () => {
    seen.length = 0;
    let mm: Pid | undefined;
    await inProcess(function* () {
      const c = (yield* call('lib_chan', 'connect', s('localhost'), port, a('echo'), a('none'), a('dying'))) as Tuple;
      mm = c.elements[1] as Pid;
      return a('ok'); // the connecting process ends here
    });
    await until(() => seen.includes('echo closed'), 3000, 'the service to hear chan_closed');
    expect(node.process(mm!)).toBeUndefined();
    void S;
  });
});

describe.skipIf(!HAVE_ERL)('lib_chan start_server errors', () => {
  it('names a missing file', async () => {
    expect(await inProcess(() => call('lib_chan', 'start_server', s('/nonexistent/lib_chan.conf'))).then((r) => show('exit' in r ? r.exit : r.value))).toBe(
      '{eDaemonConfig,enoent}',
    );
  });

  it('start_server() reads $HOME/.erlang_config/lib_chan.conf', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lib_chan_home-'));
    const saved = process.env.HOME;
    try {
      delete process.env.HOME;
      expect(await inProcess(() => call('lib_chan', 'start_server')).then((r) => show('exit' in r ? r.exit : r.value))).toBe('{ebadEnv,"HOME"}');
      process.env.HOME = home;
      printed.length = 0;
      expect(await inProcess(() => call('lib_chan', 'start_server')).then((r) => show('exit' in r ? r.exit : r.value))).toBe('{eDaemonConfig,enoent}');
      expect(printed).toEqual([`lib_chan starting:"${home}/.erlang_config/lib_chan.conf"\n`]);
      mkdirSync(join(home, '.erlang_config'));
      const port = await freePort();
      writeFileSync(join(home, '.erlang_config', 'lib_chan.conf'), `{port, ${port}}.\n`);
      expect(await inProcess(() => call('lib_chan', 'start_server')).then((r) => show('exit' in r ? r.exit : r.value))).toBe('true');
      await inProcess(() => call('lib_chan', 'stop_server', port));
    } finally {
      process.env.HOME = saved;
    }
  });

  it('passes on the syntax error of file:consult', async () => {
    expect(await startServer('{port, 1234}.\n{service, x password}.\n')).toBe(`EXIT {eDaemonConfig,{2,erl_parse,["syntax error before: ","password"]}}`);
  });

  it('lists bad terms, missing and duplicate ports, ports out of range', async () => {
    expect(await startServer('{port, 1234}.\n{bogus, term}.\n{port, "41261"}.\n')).toBe(
      'EXIT {eDaemonConfig,[{badTerm,{bogus,term}},{badTerm,{port,"41261"}}]}',
    );
    expect(await startServer('')).toBe('EXIT {eDaemonConfig,noPort}');
    expect(await startServer('{port, 41262}.\n{port, 41263}.\n')).toBe('EXIT {eDaemonConfig,{manyPorts,[41262,41263]}}');
    expect(await startServer('{port, 70000}.\n')).toBe('EXIT {eDaemonConfig,[{badTerm,{port,70000}}]}');
    expect(await startServer('{port, 1}.\n{service, s, password, secret, mfa, m, f, []}.\n')).toBe(
      'EXIT {eDaemonConfig,[{badTerm,{service,s,password,secret,mfa,m,f,[]}}]}',
    );
  });

  it('says when the port is taken', async () => {
    const port = await freePort();
    expect(await startServer(`{port, ${port}}.\n`)).toBe('true');
    expect(await startServer(`{port, ${port}}.\n`)).toBe(`EXIT {eDaemonListen,${port},already_started}`);
    expect(await inProcess(() => call('lib_chan', 'stop_server', port)).then((r) => 'value' in r && show(r.value))).toBe('stopped');
    const { createServer } = await import('node:net');
    const other = createServer();
    await new Promise<void>((r) => other.listen(port, '0.0.0.0', r));
    try {
      expect(await startServer(`{port, ${port}}.\n`)).toBe(`EXIT {eDaemonListen,${port},eaddrinuse}`);
    } finally {
      other.close();
    }
  });
});
