// lib_chan through the terl binary, as a user runs it: the seed's session between two terl nodes
// (server: kvs + mod_name_server from examples/, client: connect/cast/rpc/disconnect), what the
// shell shows for connect's errors and for a bad configuration, and terl against real Erlang.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runTerl, startTerl } from '../../helpers/terl.js';
import { HAVE_ERL, runErl, startErlServer, freePort } from '../../interop/lib_chan_erl.js';
import { libChanDir } from '../../helpers/lib_chan_server.js';

/** The shell's answers, one per prompt (the banner and the final prompt dropped). */
function answers(out: string): string[] {
  return out
    .split(/^\d+> /m)
    .slice(1)
    .map((s) => s.trimEnd())
    .filter((s) => s !== '' && !s.startsWith('*** Terminating'));
}

const SESSION = [
  '{ok, Pid} = lib_chan:connect("localhost", PORT, nameServer, "ABXy45", "").',
  'lib_chan:cast(Pid, {store, joe, "writing a book"}).',
  'lib_chan:rpc(Pid, {lookup, joe}).',
  'lib_chan:rpc(Pid, {lookup, jim}).',
  'lib_chan:disconnect(Pid).',
];
// what the book's code printed on OTP 25 for this session (the shell's values)
const SESSION_ANSWERS = [/^\{ok,<0\.\d+\.0>\}$/, /^\{send,\{store,joe,"writing a book"\}\}$/, /^\{ok,"writing a book"\}$/, /^undefined$/, /^close$/];

describe('lib_chan between two terl nodes (the seed session)', () => {
  let port: number;
  let server: ReturnType<typeof startTerl>;

  beforeAll(async () => {
    port = await freePort();
    server = startTerl([], { cwd: libChanDir(port) });
    server.send('kvs:start().');
    server.send('lib_chan:start_server("lib_chan.conf").');
    await server.waitFor(/ConfigData=[\s\S]*\ntrue\n/);
  }, 30000);
  afterAll(() => server?.stop());

  it('prints what the book prints when the server starts', async () => {
    const expected = HAVE_ERL
      ? await runErl(`io:format("lib_chan starting:~p~nConfigData=~p~n", ["lib_chan.conf", [{port,${port}},{service,nameServer,password,"ABXy45",mfa,mod_name_server,start_me_up,notUsed}]]), halt().`)
      : `lib_chan starting:"lib_chan.conf"\nConfigData=[{port,${port}},\n            {service,nameServer,password,"ABXy45",mfa,mod_name_server,\n                     start_me_up,notUsed}]\n`;
    const out = server.output();
    expect(answers(out).slice(0, 2)).toEqual(['true', expected + 'true']);
  });

  it('runs the session: connect, cast, rpc, rpc, disconnect', async () => {
    const r = await runTerl([], SESSION.map((l) => l.replace('PORT', String(port))).join('\n') + '\n');
    const got = answers(r.stdout);
    expect(got).toHaveLength(SESSION_ANSWERS.length);
    got.forEach((g, i) => expect(g).toMatch(SESSION_ANSWERS[i]));
    // a service that returns is a normal end: the server prints nothing when the client leaves
    server.send('io:format("after the session~n").');
    await server.waitFor('after the session');
    expect(server.output()).not.toMatch(/server error/);
  }, 30000);

  it('shows connect errors as values', async () => {
    const free = await freePort();
    const r = await runTerl(
      [],
      [
        `lib_chan:connect("localhost", ${port}, nameServer, "wrong", "").`,
        `lib_chan:connect("localhost", ${port}, noSuchService, "ABXy45", "").`,
        `lib_chan:connect("localhost", ${free}, nameServer, "ABXy45", "").`,
        `lib_chan:connect("no-such-host.invalid", ${port}, nameServer, "ABXy45", "").`,
      ].join('\n') + '\n',
    );
    expect(answers(r.stdout)).toEqual(['{error,authFail}', '{error,badService}', '{error,econnrefused}', '{error,nxdomain}']);
  }, 30000);

  it('names configuration problems instead of returning true', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lib_chan_badconf-'));
    writeFileSync(join(dir, 'two_ports.conf'), '{port, 41262}.\n{port, 41263}.\n');
    writeFileSync(join(dir, 'busy.conf'), `{port, ${port}}.\n`);
    const r = await runTerl(
      [],
      ['lib_chan:start_server("does_not_exist.conf").', 'lib_chan:start_server("two_ports.conf").', 'lib_chan:start_server("busy.conf").'].join(
        '\n',
      ) + '\n',
      { cwd: dir },
    );
    expect(answers(r.stdout)).toEqual([
      'lib_chan starting:"does_not_exist.conf"\n** exception exit: {eDaemonConfig,enoent}',
      'lib_chan starting:"two_ports.conf"\nConfigData=[{port,41262},{port,41263}]\n** exception exit: {eDaemonConfig,{manyPorts,[41262,41263]}}',
      `lib_chan starting:"busy.conf"\nConfigData=[{port,${port}}]\n** exception exit: {eDaemonListen,${port},eaddrinuse}`,
    ]);
  }, 30000);
});

describe.skipIf(!HAVE_ERL)('lib_chan: the terl binary and real Erlang', () => {
  it('terl client → Erlang server', async () => {
    const port = await freePort();
    const erl = await startErlServer(port);
    try {
      const r = await runTerl([], SESSION.map((l) => l.replace('PORT', String(port))).join('\n') + '\n');
      const got = answers(r.stdout);
      got.forEach((g, i) => expect(g).toMatch(SESSION_ANSWERS[i]));
      expect(got).toHaveLength(SESSION_ANSWERS.length);
      await erl.waitFor('channel closed');
    } finally {
      erl.stop();
    }
  }, 30000);

  it('Erlang client → terl server', async () => {
    const port = await freePort();
    const server = startTerl([], { cwd: libChanDir(port) });
    try {
      server.send('kvs:start(), lib_chan:start_server("lib_chan.conf").');
      await server.waitFor(/\ntrue\n/);
      const out = await runErl(`
        {ok, S} = lib_chan_peer:connect(${port}, nameServer, "ABXy45", ""),
        ok = lib_chan_peer:cast(S, {store, joe, "writing a book"}),
        io:format("~p~n~p~n", [lib_chan_peer:rpc(S, {lookup, joe}), lib_chan_peer:rpc(S, {lookup, jim})]),
        io:format("~p~n", [lib_chan_peer:connect(${port}, nameServer, "wrong", "")]),
        halt().`);
      expect(out).toBe('{ok,"writing a book"}\nundefined\n{error,authFail}\n');
    } finally {
      await server.stop();
    }
  }, 30000);
});
