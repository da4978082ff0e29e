// The interactive shell's explanation lines (runtime/lib/stdlib/shell/explain.ts): the real binary
// in a pty, a terl node beside it on a port mapper of the test's own, each classic failure caused
// for real and the line under erl's `pang` / `{badrpc,...}` checked; piped, the output stays erl's.

import { describe, it, expect, beforeAll, afterAll, type TestContext } from 'vitest';
import { spawnTerm, killAll, KEY, ptySkipReason, type Term } from './pty.js';
import { TERL, ROOT } from '../helpers/terl.js';
import { HOST, freePort, startEpmd, startTerlNode, runTerlOnce, stopAll, uniq, type Epmd, type Shell } from '../helpers/dist_nodes.js';
import { register, type Registration } from '../../runtime/distribution/epmd_client.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let epmd: Epmd;
let serverNode: Shell;
let serverName: string;
let ghost: Registration | undefined;
const id = uniq();

beforeAll(async () => {
  epmd = await startEpmd('terl');
  serverName = `kvs_${id}`;
  serverNode = await startTerlNode({ name: serverName, cookie: 'right', epmd });
}, 60000);

afterAll(async () => {
  ghost?.close();
  killAll();
  await stopAll();
});

function terl(ctx: TestContext, name: string, extra: string[] = []): Term {
  const t = spawnTerm(process.execPath, [TERL, '-sname', name, '-setcookie', 'right', ...extra], {
    cwd: ROOT,
    env: { NO_COLOR: '1', ...epmd.env },
    cols: 200,
  });
  ctx.onTestFinished(() => t.kill());
  return t;
}

/** Type an expression; wait for prompt n+1; the screen from the echoed line on. */
async function run(t: Term, node: string, n: number, line: string): Promise<string> {
  t.write(line + KEY.enter);
  const screen = await t.waitFor(new RegExp(`^\\(${node}@${HOST}\\)${n + 1}>$`, 'm'), 20000);
  const at = screen.lastIndexOf(`(${node}@${HOST})${n}> ${line}`);
  return screen.slice(at, screen.lastIndexOf(`(${node}@${HOST})${n + 1}>`)).trimEnd();
}

describe.skipIf(ptySkipReason !== '')(`explanations in the interactive shell${ptySkipReason ? ` (skipped: ${ptySkipReason})` : ''}`, { timeout: 90000 }, () => {
  it('names the cause under pang and {badrpc,...}: port mapper names, cookies, a module missing remotely, ports', async (ctx) => {
    const me = `client_${id}`;
    const t = terl(ctx, me);
    await t.waitFor(new RegExp(`^\\(${me}@${HOST}\\)1>$`, 'm'), 30000);
    const server = `${serverName}@${HOST}`;

    // a name the port mapper does not have: the names it has are listed
    const noName = await run(t, me, 1, `net_adm:ping('nobody@${HOST}').`);
    expect(noName.split('\n').slice(1, 2)).toEqual(['pang']);
    expect(noName).toMatch(new RegExp(`^no node named nobody is registered with the port mapper \\(epmd\\) on ${HOST}; the names registered there: .*${serverName}`, 'm'));
    expect(noName).toContain(me);

    // connected with the right cookie: a module that the remote node lacks
    const undef = await run(t, me, 2, `rpc:call('${server}', no_such_mod, f, [1]).`);
    expect(undef).toContain('{badrpc,{\'EXIT\',{undef,[{no_such_mod,f,[1],[]}');
    expect(undef).toMatch(/^no_such_mod:f\/1 is undefined on the remote node: its module is not on that node's code path/m);

    // a cookie that differs: the peer rejects our challenge reply
    await run(t, me, 3, `erlang:disconnect_node('${server}'), erlang:set_cookie('${server}', wrong).`);
    const cookie = await run(t, me, 4, `net_adm:ping('${server}').`);
    expect(cookie.split('\n').slice(1)).toEqual([
      'pang',
      `${server} rejected our challenge reply: the two nodes' cookies differ; compare erlang:get_cookie() on both nodes (set it with -setcookie or in ~/.erlang.cookie)`,
    ]);
    // the same for rpc:call's {badrpc,nodedown}
    const nodedown = await run(t, me, 5, `rpc:call('${server}', erlang, node, []).`);
    expect(nodedown.split('\n').slice(1)).toEqual(['{badrpc,nodedown}', expect.stringContaining(`${server} rejected our challenge reply`)]);

    // a port mapper that gives a port nothing listens on
    const closed = await freePort();
    ghost = await register(`ghost_${id}`, closed, { port: epmd.port, host: '127.0.0.1' });
    const port = await run(t, me, 6, `net_adm:ping('ghost_${id}@${HOST}').`);
    expect(port.split('\n').slice(1)).toEqual([
      'pang',
      `epmd on ${HOST} gave ghost_${id}@${HOST}'s port as ${closed}, but connecting to it failed (ECONNREFUSED): a firewall may close the distribution ports (inet_dist_listen_min/max)`,
    ]);

    // a host name with dots is a long name, which a -sname node refuses before dialling: erl's report,
    // then pang (terl adds the cause: the name modes differ)
    const longHost = await run(t, me, 7, `net_adm:ping('x@127.0.0.2').`);
    expect(longHost).toContain('** System NOT running to use fully qualified hostnames **\n** Hostname 127.0.0.2 is illegal **');
    expect(longHost.split('\n')).toContain('pang');
    expect(longHost).toContain('this node runs with short names (-sname), and 127.0.0.2 is a fully qualified host name');

    // a host that does not resolve
    const noHost = await run(t, me, 8, `net_adm:ping('x@no-such-host-${id}').`);
    expect(noHost.split('\n').slice(1)).toEqual([
      'pang',
      `the host no-such-host-${id} does not resolve (ENOTFOUND): check the part after @ (-sname nodes use the short host name, -name nodes a fully qualified one)`,
    ]);

    // the server saw the other side: we rejected its reply (its output is piped: erl's report only)
    await server_sees_report();

    // the other way round: the server dials us with a cookie we do not share; no expression of
    // ours waits, the line comes under erl's error report as it happens
    expect(await serverNode.eval(`erlang:set_cookie('${me}@${HOST}', other), net_adm:ping('${me}@${HOST}').`)).toBe('pang');
    const screen = await t.waitFor(`${server} tried to connect`);
    expect(screen).toMatch(
      new RegExp(
        `\\*\\* Connection attempt from node ${server} rejected\\. Invalid challenge reply\\. \\*\\*\\n\\n${server} tried to connect, and we rejected its challenge reply: its cookie differs from ours; compare erlang:get_cookie\\(\\) on both nodes`,
      ),
    );

    // a node that goes away while we call it: the connection's nodedown reason
    const doomed = await startTerlNode({ name: `doomed_${id}`, cookie: 'right', epmd });
    const gone = await run(t, me, 9, `rpc:call('${doomed.node}', erlang, halt, []).`);
    expect(gone.split('\n').slice(1)).toEqual([
      '{badrpc,nodedown}',
      `the connection to ${doomed.node} went down (connection_closed): the node stopped, or it or this node closed the connection`,
    ]);
  });

  it('names a -name node dialling a short host name, under erl\'s error report', async (ctx) => {
    const me = `long_${id}@127.0.0.1`;
    const t = spawnTerm(process.execPath, [TERL, '-name', me, '-setcookie', 'right'], { cwd: ROOT, env: { NO_COLOR: '1', ...epmd.env }, cols: 200 });
    ctx.onTestFinished(() => t.kill());
    await t.waitFor(/^\(long_\w+@127\.0\.0\.1\)1>$/m, 30000);
    t.write(`net_adm:ping('${serverName}@${HOST}').` + KEY.enter);
    const screen = await t.waitFor(/^\(long_\w+@127\.0\.0\.1\)2>$/m, 20000);
    expect(screen).toContain(
      `** System running to use fully qualified hostnames **\n** Hostname ${HOST} is illegal **\n\npang\n` +
        `this node runs with long names (-name), and ${HOST} is a short host name: long-name and short-name (-sname) nodes do not connect; start both with -name and a fully qualified host, or both with -sname\n`,
    );
  });

  it('names a fun whose module the remote node lacks', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'terl-explain-'));
    ctx.onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, `funmod_${id}.erl`), `-module(funmod_${id}).\n-export([make/0]).\nmake() -> fun() -> ok end.\n`);
    const me = `funs_${id}`;
    const t = spawnTerm(process.execPath, [TERL, '-sname', me, '-setcookie', 'right'], { cwd: dir, env: { NO_COLOR: '1', ...epmd.env }, cols: 250 });
    ctx.onTestFinished(() => t.kill());
    await t.waitFor(new RegExp(`^\\(${me}@${HOST}\\)1>$`, 'm'), 30000);
    expect(await run(t, me, 1, `c(funmod_${id}).`)).toContain(`{ok,funmod_${id}}`);
    const out = await run(t, me, 2, `rpc:call('${serverName}@${HOST}', erlang, apply, [funmod_${id}:make(), []]).`);
    // OTP's error for a fun whose module the remote node lacks is undef, naming the fun
    expect(out).toContain(`{badrpc,{'EXIT',{undef,[{#Fun<funmod_${id}.0.`);
    expect(out.split('\n').at(-1)).toBe(
      `a fun of module funmod_${id} does not run on the remote node: that node has no module funmod_${id} loaded or on its code path (a fun's code stays with its module); load it there (nl(funmod_${id}))`,
    );
  });

  it('--no-explain prints erl\'s output alone', async (ctx) => {
    const me = `quiet_${id}`;
    const t = terl(ctx, me, ['--no-explain']);
    await t.waitFor(new RegExp(`^\\(${me}@${HOST}\\)1>$`, 'm'), 30000);
    const out = await run(t, me, 1, `net_adm:ping('nobody@${HOST}').`);
    expect(out.split('\n').slice(1)).toEqual(['pang']);
  });
});

async function server_sees_report(): Promise<void> {
  const out = await serverNode.waitFor('Invalid challenge reply');
  expect(out).not.toContain('cookies differ');
}

describe('explanations when piped', { timeout: 60000 }, () => {
  it('a -name node dialling a short host: erl\'s report, then pang (and the node name quoted at the end, as erl)', async () => {
    const me = `plong_${id}@127.0.0.1`;
    const r = await runTerlOnce(['-name', me, '-setcookie', 'right'], epmd, `net_adm:ping('x@${HOST}').\n`);
    const out = r.stdout.split('\n').slice(1).join('\n').replace(/==== .* ===/, '==== DATE ===');
    // as erl -name printed it for this input
    expect(out).toBe(
      `(${me})1> =ERROR REPORT==== DATE ===\n** System running to use fully qualified hostnames **\n** Hostname ${HOST} is illegal **\n\n` +
        `pang\n(${me})2> *** Terminating erlang ('${me}')\n`,
    );
  });

  it('leave the output exactly erl\'s', async () => {
    const me = `piped_${id}`;
    const r = await runTerlOnce(['-sname', me, '-setcookie', 'right'], epmd, `net_adm:ping('nobody@${HOST}').\nnet_adm:ping('x@127.0.0.2').\n`);
    expect(r.stdout.split('\n').slice(1).join('\n').replace(/==== .* ===/, '==== DATE ===')).toBe(
      // as erl -sname prints it for this input (the banner line aside): a long host name is refused
      // with its report, and nothing of terl's own follows either result
      `(${me}@${HOST})1> pang\n(${me}@${HOST})2> =ERROR REPORT==== DATE ===\n** System NOT running to use fully qualified hostnames **\n` +
        `** Hostname 127.0.0.2 is illegal **\n\npang\n(${me}@${HOST})3> *** Terminating erlang (${me}@${HOST})\n`,
    );
  });
});
