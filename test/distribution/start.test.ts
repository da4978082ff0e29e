// Starting a distributed terl node: names, the listen port range, EPMD (served by the node itself
// when none answers: test/distribution/epmd_host.test.ts), and the errors erl prints when a node cannot start
// (texts recorded from OTP 25.2.3's erl).

import { afterAll, describe, expect, test } from 'vitest';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { hostname } from 'node:os';
import { HOST, answers, epmdEnv, freePort, killEpmd, runTerlOnce, startEpmd, startTerlNode, stopAll, uniq } from '../helpers/dist_nodes.js';

afterAll(stopAll);

describe('starting distribution', () => {
  test('-sname gives Name@host; net_adm:names/0 lists the node with its port', async () => {
    const epmd = await startEpmd('terl');
    const n = `names${uniq()}`;
    const sh = await startTerlNode({ name: n, epmd });
    expect(await sh.eval('node().')).toBe(`${n}@${HOST}`);
    expect(await sh.eval('is_alive().')).toBe('true');
    expect(await sh.eval('nodes().')).toBe('[]');
    expect(await sh.eval('net_adm:names().')).toMatch(new RegExp(`^\\{ok,\\[\\{"${n}",\\d+\\}\\]\\}$`));
    expect(await sh.eval('self().')).toMatch(/^<0\.\d+\.0>$/);
    await sh.stop();
  });

  test('the listen port range is honoured', async () => {
    const epmd = await startEpmd('terl');
    const port = await freePort();
    const n = `range${uniq()}`;
    const sh = await startTerlNode({ name: n, epmd, args: ['-kernel', 'inet_dist_listen_min', String(port), 'inet_dist_listen_max', String(port)] });
    expect(await sh.eval('net_adm:names().')).toBe(`{ok,[{"${n}",${port}}]}`);
    await sh.stop();
  });

  test('no free port in the range: erl\'s error, exit status 1', async () => {
    const epmd = await startEpmd('terl');
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '0.0.0.0', () => r()));
    try {
      const r = await runTerlOnce(['-sname', `busy${uniq()}`, '-kernel', 'inet_dist_listen_min', String(port), 'inet_dist_listen_max', String(port), '-noshell'], epmd);
      expect(r.stderr).toBe("Protocol 'inet_tcp': register/listen error: eaddrinuse\n");
      expect(r.stdout).toBe('');
      expect(r.code).toBe(1);
    } finally {
      blocker.close();
    }
  });

  test('a name already in use: erl\'s error, exit status 1', async () => {
    const epmd = await startEpmd('terl');
    const n = `dup${uniq()}`;
    const first = await startTerlNode({ name: n, epmd });
    const r = await runTerlOnce(['-sname', n, '-noshell'], epmd);
    expect(r.stderr).toBe(`Protocol 'inet_tcp': the name ${n}@${HOST} seems to be in use by another Erlang node\n`);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    await first.stop();
  });

  test.skipIf(hostname().includes('.'))('-name without a fully qualified host name: erl\'s error, exit status 1', async () => {
    const epmd = await startEpmd('terl');
    const r = await runTerlOnce(['-name', 'longname', '-noshell'], epmd);
    expect(r.stderr).toMatch(/^=INFO REPORT==== .* ===\nCan't set long node name!\nPlease check your configuration\n\n=SUPERVISOR REPORT==== /);
    expect(r.stderr).toContain('                                   [#{clean_halt => true,name => longname,\n');
    expect(r.stdout).toBe(
      `{"Kernel pid terminated",application_controller,"{application_start_failure,kernel,{{shutdown,{failed_to_start_child,net_sup,{shutdown,{failed_to_start_child,net_kernel,{'EXIT',nodistribution}}}}},{kernel,start,[normal,[]]}}}"}\n`,
    );
    expect(r.stderr).toContain(
      "Kernel pid terminated (application_controller) ({application_start_failure,kernel,{{shutdown,{failed_to_start_child,net_sup,{shutdown,{failed_to_start_child,net_kernel,{'EXIT',nodistribution}}}}},{kernel,start,[normal,[]]}}})\n",
    );
    expect(r.code).toBe(1);
  });

  test('-name with an explicit host is taken as given', async () => {
    const epmd = await startEpmd('terl');
    const n = `long${uniq()}`;
    const r = await runTerlOnce(['-name', `${n}@127.0.0.1`, '-noshell', '-eval', 'io:format("~p~n", [node()]), halt().'], epmd);
    expect(r.out).toBe(`'${n}@127.0.0.1'\n`);
  });

  test('a distributed node has init at <0.0.0> and runs -eval in <0.9.0>, as erl does', async () => {
    const epmd = await startEpmd('terl');
    const r = await runTerlOnce(['-sname', `initpid${uniq()}`, '-noshell', '-eval', 'io:format("~p ~p~n", [whereis(init), self()]), halt().'], epmd);
    expect(r.out).toBe('<0.0.0> <0.9.0>\n');
  });

  test('with no EPMD answering, the node serves the port mapper itself; alone in it, it ends with the node', async () => {
    const port = await freePort();
    const epmd = { port, env: epmdEnv(port) };
    expect(await answers(port)).toBe(false);
    const n = `auto${uniq()}`;
    const r = await runTerlOnce(['-sname', n, '-noshell', '-eval', 'io:format("~p~n", [net_adm:names()]), halt().'], epmd);
    try {
      expect(r.out).toMatch(new RegExp(`^\\{ok,\\[\\{"${n}",\\d+\\}\\]\\}\\n$`));
      expect(r.code).toBe(0);
      expect(await answers(port)).toBe(false);
    } finally {
      if (await answers(port)) await killEpmd(port);
    }
  });

  test('net_kernel:start/1 from a running shell', async () => {
    const epmd = await startEpmd('terl');
    const n = `late${uniq()}`;
    const r = await runTerlOnce([], epmd, `node().\nP = self().\nnet_kernel:start([${n}, shortnames]).\nnode().\nnode(P).\nis_alive().\nnet_kernel:start([other, shortnames]).\n`);
    const lines = r.out.split('\n');
    expect(lines[1]).toBe('1> nonode@nohost');
    expect(lines[3]).toMatch(/^3> \{ok,<0\.\d+\.0>\}$/);
    expect(lines[4]).toBe(`(${n}@${HOST})4> ${n}@${HOST}`);
    expect(lines[5]).toBe(`(${n}@${HOST})5> ${n}@${HOST}`);
    expect(lines[6]).toBe(`(${n}@${HOST})6> true`);
    expect(lines[7]).toMatch(new RegExp(`^\\(${n}@${HOST}\\)7> \\{error,\\{already_started,<0\\.\\d+\\.0>\\}\\}$`));
  });

  test('not distributed: what erl answers', async () => {
    const epmd = await startEpmd('terl');
    const r = await runTerlOnce([], epmd, [
      'is_alive().',
      'nodes().',
      `net_adm:ping(x@${HOST}).`,
      `rpc:call(x@${HOST}, erlang, node, []).`,
      'erlang:get_cookie().',
      `disconnect_node(x@${HOST}).`,
      `net_kernel:connect_node(x@${HOST}).`,
      `monitor_node(x@${HOST}, true).`,
      'erlang:set_cookie(abc).',
      'rpc:call(node(), erlang, error, [x]).',
      'rpc:call(node(), erlang, exit, [x]).',
      'rpc:call(node(), erlang, throw, [x]).',
      'erpc:call(node(), erlang, node, [], 1000).',
      'rpc:call(node(), timer, sleep, [300], 50).',
      '',
    ].join('\n'));
    // after the banner line
    expect(r.out.slice(r.out.indexOf('\n') + 1)).toBe(
      [
        '1> false',
        '2> []',
        '3> pang',
        '4> {badrpc,nodedown}',
        '5> nocookie',
        '6> ignored',
        '7> ignored',
        '8> ** exception error: the node cannot be part of a distributed system',
        '     in function  monitor_node/2',
        `        called as monitor_node(x@${HOST},true)`,
        '9> ** exception error: distribution_not_started',
        '     in function  auth:set_cookie/1 (auth.erl, line 131)',
        "10> {badrpc,{'EXIT',{x,[{erlang,error,[x],[]}]}}}",
        "11> {badrpc,{'EXIT',x}}",
        '12> x',
        '13> nonode@nohost',
        '14> {badrpc,timeout}',
        '15> *** Terminating erlang (nonode@nohost)',
        '',
      ].join('\n'),
    );
  });
});
