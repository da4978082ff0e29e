// The code server (issue 17): erl_boot_server on a terl node and `-loader inet -hosts IP -id Name`,
// against each other and against real erl both ways: a terl node boots from a terl boot server
// and runs a module it never had on disk; a real erl boots from terl's server; a terl node loads
// the user's modules from a real erl boot server; code:get_object_code/1 asked by erl and by terl.
// The boot protocol's UDP port is fixed (4368), so the servers here run one at a time, and the
// file is skipped, saying why, when something else holds that port.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAVE_ERL, HOST, Shell, runNode, startEpmd, startErlNode, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';
import { TERL } from '../helpers/terl.js';

afterAll(stopAll);

/** Can this test bind the boot server's UDP port? */
function portFree(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.on('error', () => resolve(false));
    s.bind(4368, () => s.close(() => resolve(true)));
  });
}

const reason = !HAVE_ERL ? '`erl` is not installed (CI installs it)' : !(await portFree()) ? 'UDP port 4368 (the boot servers’) is in use' : undefined;
if (reason !== undefined) console.warn(`test/interop/boot_server.test.ts: skipped, ${reason}`);

const HELLO = '-module(hello).\n-export([greet/0]).\ngreet() -> {hello, from, node()}.\n';
const BEAMY = '-module(beamy).\n-export([f/0]).\nf() -> [beamy, lists:seq(1, 3)].\n';

const children: ChildProcess[] = [];

function command(kind: 'terl' | 'erl'): [string, string[]] {
  return kind === 'terl' ? [process.execPath, [TERL]] : ['erl', []];
}

/** A boot server for 127.0.0.1 on a node in `dir`, until `stop`. */
async function bootServer(kind: 'terl' | 'erl', dir: string): Promise<{ stop: () => Promise<string> }> {
  const [cmd, pre] = command(kind);
  const eval_ = 'io:format("~p~n", [element(1, erl_boot_server:start(["127.0.0.1"]))]), io:get_line(""), halt().';
  const child = spawn(cmd, [...pre, '-noshell', '-eval', eval_], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  for (let i = 0; i < 300 && !out.includes('\n') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
  expect(out).toBe('ok\n');
  return {
    stop: async () => {
      // erl halts when its stdin closes; terl's -noshell node does not read stdin, so it is stopped
      if (kind === 'erl') child.stdin!.end();
      else child.kill('SIGKILL');
      await exited;
      return out;
    },
  };
}

describe.skipIf(reason !== undefined)('the code server: erl_boot_server and -loader inet', () => {
  const dirs: string[] = [];
  let srv: string;
  let cli: string;

  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), 'terl-boot-'));
    dirs.push(base);
    [srv, cli] = ['srv', 'cli'].map((d) => join(base, d));
    for (const d of [srv, cli]) mkdirSync(d);
    writeFileSync(join(srv, 'hello.erl'), HELLO);
  });

  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test("erl_boot_server's functions answer as erl's", async () => {
    const show = (e: string) => `io:format("~p~n", [${e}])`;
    const script =
      [
        show('element(1, erl_boot_server:start(["127.0.0.1"]))'),
        show('erl_boot_server:which_slaves()'),
        show('erl_boot_server:add_slave({127,0,0,2})'),
        show('erl_boot_server:add_subnet({255,255,255,0}, {10,1,2,0})'),
        show('erl_boot_server:add_subnet({255,255,255,0}, {10,1,2,3})'),
        show('erl_boot_server:which_slaves()'),
        show('erl_boot_server:delete_slave("127.0.0.2")'),
        show('erl_boot_server:delete_subnet({255,255,255,0}, {10,1,2,0})'),
        show('erl_boot_server:which_slaves()'),
        show('erl_boot_server:would_be_booted({127,0,0,1})'),
        show('erl_boot_server:would_be_booted({10,1,2,77})'),
        show('erl_boot_server:add_slave(42)'),
        show('erl_boot_server:start([42])'),
        show('erl_boot_server:start(notalist)'),
        show('case erl_boot_server:start(["127.0.0.1"]) of {error, {already_started, P}} -> is_pid(P); O -> O end'),
      ].join(', ') + ', halt().';
    const erl = await runNode('erl', ['-noshell', '-eval', script], srv);
    const terl = await runNode('terl', ['-noshell', '-eval', script], srv);
    expect(erl).toContain('[{{255,255,255,255},{127,0,0,1}}]');
    expect(terl).toBe(erl);
  }, 60000);

  test('the UDP side: an answer to a valid request, and the reports for a stranger, an old client and noise, as erl', async () => {
    /** Send each datagram (from `from`) to the boot port; the answers that came back. */
    const ask = (from: string, datagrams: string[]): Promise<Buffer[]> =>
      new Promise((resolve) => {
        const sock = createSocket('udp4');
        const got: Buffer[] = [];
        sock.on('message', (m) => got.push(m));
        sock.bind(0, from, () => {
          for (const d of datagrams) sock.send(d, 4368, '127.0.0.1');
          setTimeout(() => sock.close(() => resolve(got)), 700);
        });
      });
    const outputs: string[] = [];
    for (const kind of ['erl', 'terl'] as const) {
      const server = await bootServer(kind, srv);
      const [reply] = await ask('127.0.0.1', ['EBOOTQ13.1.5']);
      expect(reply!.subarray(0, 7).toString('latin1')).toBe('EBOOTR\x00');
      expect(reply!.subarray(9).toString('latin1')).toBe('13.1.5');
      expect(reply!.readUInt16BE(7)).toBeGreaterThan(0);
      expect(await ask('127.0.0.2', ['EBOOTQ13.1.5'])).toEqual([]);
      expect(await ask('127.0.0.1', ['EBOOTQ9.9', 'hello'])).toEqual([]);
      // the report headers' times differ from run to run
      outputs.push((await server.stop()).replace(/=ERROR REPORT==== .* ===/g, '=ERROR REPORT===='));
    }
    expect(outputs[0]).toContain('** Illegal boot server connection attempt: {127,0,0,2} is not a valid address **');
    expect(outputs[0]).toContain('** Illegal boot server connection attempt: client version is 9.9 **');
    expect(outputs[0]).toContain('** Illegal boot server connection attempt: unrecognizable request **');
    expect(outputs[1]).toBe(outputs[0]);
  }, 60000);

  test('a terl node boots with -loader inet from a terl boot server and runs a module it never had on disk', async () => {
    const server = await bootServer('terl', srv);
    const out = await runNode(
      'terl',
      [
        '-loader', 'inet', '-hosts', '127.0.0.1', '-id', 'student', '-noshell', '-eval',
        'io:format("~p~n~p~n~p~n", [hello:greet(), code:which(hello), [init:get_argument(A) || A <- [loader, hosts, id]]]), ' +
          '{ok, Bin, Name} = erl_prim_loader:get_file("./hello.erl"), io:format("~s~s~n", [Name, Bin]), ' +
          '{hello, Src, File} = code:get_object_code(hello), io:format("~s ~p~n", [File, Src =:= Bin]), ' +
          'io:format("~p ~p~n", [erl_prim_loader:get_file("./nothing.erl"), code:load_file(hello)]), halt().',
      ],
      cli,
    );
    await server.stop();
    expect(existsSync(join(cli, 'hello.erl'))).toBe(false);
    expect(out).toBe(
      `{hello,from,nonode@nohost}\n"${srv}/hello.erl"\n[{ok,[["inet"]]},{ok,[["127.0.0.1"]]},{ok,[["student"]]}]\n` +
        `./hello.erl${HELLO}\n${srv}/hello.erl true\nerror {module,hello}\n`,
    );
  }, 60000);

  test('a real erl boots with -loader inet from a terl boot server', async () => {
    expect(spawnSync('erlc', ['hello.erl'], { cwd: srv }).status).toBe(0);
    const server = await bootServer('terl', srv);
    const out = await runNode('erl', ['-loader', 'inet', '-hosts', '127.0.0.1', '-id', 'x', '-noshell', '-eval', 'io:format("~p~n~p~n", [hello:greet(), code:which(hello)]), halt().'], cli);
    await server.stop();
    rmSync(join(srv, 'hello.beam'));
    expect(out).toBe(`{hello,from,nonode@nohost}\n"${srv}/hello.beam"\n`);
  }, 60000);

  test("a terl node loads the user's modules from a real erl boot server: source, debug info, neither", async () => {
    const erlSrv = join(dirs[0]!, 'erlsrv');
    mkdirSync(erlSrv);
    writeFileSync(join(erlSrv, 'hello.erl'), HELLO);
    for (const [m, opts] of [
      ['beamy', ['+debug_info']],
      ['bare', []],
    ] as const) {
      writeFileSync(join(erlSrv, `${m}.erl`), BEAMY.replaceAll('beamy', m));
      expect(spawnSync('erlc', [...opts, `${m}.erl`], { cwd: erlSrv }).status).toBe(0);
      rmSync(join(erlSrv, `${m}.erl`));
    }
    const server = await bootServer('erl', erlSrv);
    const out = await runNode(
      'terl',
      ['-loader', 'inet', '-hosts', '127.0.0.1', '-id', 't', '-noshell', '-eval', 'io:format("~p~n~p~n", [hello:greet(), beamy:f()]), io:format("~p~n", [catch bare:f()]), halt().'],
      cli,
    );
    await server.stop();
    const lines = out.split('\n');
    expect(lines.slice(0, 3)).toEqual(['{hello,from,nonode@nohost}', '[beamy,[1,2,3]]', "{'EXIT',{undef,[{bare,f,[],[]},"]);
    expect(out).toContain(`terl cannot load bare: ${erlSrv}/bare.beam has no debug_info and its source ${erlSrv}/bare.erl could not be read\n`);
  }, 60000);

  test("with no boot server, terl shows erl's lifesign and waits", async () => {
    const [cmd, pre] = command('terl');
    const child = spawn(cmd, [...pre, '-loader', 'inet', '-hosts', '127.0.0.1', '-noshell', '-eval', 'halt().'], { cwd: cli, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    for (let i = 0; i < 200 && out === ''; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    // still waiting for a server, as erl (whose init has not run -eval's halt() either)
    expect(child.exitCode).toBe(null);
    child.kill('SIGKILL');
    expect(out).toBe("{erl_prim_loader,'no server found'}\n");
  }, 30000);
});

describe.skipIf(!HAVE_ERL)('code:get_object_code/1 on a terl node', () => {
  let epmd: Epmd;
  let dir: string;
  let t1: Shell;
  let t2: Shell;
  let e: Shell;
  const [T1, T2, E] = ['objt1', 'objt2', 'obje'].map((n) => `${n}${uniq()}`);

  beforeAll(async () => {
    epmd = await startEpmd('erl');
    dir = mkdtempSync(join(tmpdir(), 'terl-objcode-'));
    writeFileSync(join(dir, 'hello.erl'), HELLO);
    [t1, t2, e] = await Promise.all([
      startTerlNode({ name: T1, cookie: 'obj', epmd, cwd: dir }),
      startTerlNode({ name: T2, cookie: 'obj', epmd, cwd: tmpdir() }),
      startErlNode({ name: E, cookie: 'obj', epmd, cwd: tmpdir() }),
    ]);
  }, 60000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a real node asking by rpc gets the source as terl\'s object code, and its load_binary refuses it', async () => {
    expect(await e.eval(`{M, B, F} = rpc:call('${T1}@${HOST}', code, get_object_code, [hello]), {M, B =:= list_to_binary(${JSON.stringify(HELLO)}), F}.`)).toBe(
      `{hello,true,"${dir}/hello.erl"}`,
    );
    // (erl's loader also says why in an error report: the bytes are no .beam)
    expect(await e.eval('code:load_binary(M, F, B).')).toContain('{error,badfile}');
    expect(await e.eval(`rpc:call('${T1}@${HOST}', code, get_object_code, [no_such_module]).`)).toBe('error');
  });

  test('another terl node loads it with code:load_binary/3, as nl/1 would', async () => {
    expect(await t2.eval(`{M, B, F} = rpc:call('${T1}@${HOST}', code, get_object_code, [hello]).`)).toMatch(/^\{hello,<<"-module\(hello\)/);
    expect(await t2.eval('code:load_binary(M, F, B).')).toBe('{module,hello}');
    expect(await t2.eval('hello:greet().')).toBe(`{hello,from,${T2}@${HOST}}`);
    expect((await t1.eval('catch code:get_object_code("hello").')).replace(/\s+/g, '')).toMatch(
      /^\{'EXIT',\{function_clause,\[\{code,get_object_code,\["hello"\],\[\{file,"code.erl"\},\{line,251\}\]\}/,
    );
  });
});

