// The seed's two-hosts lesson in two network namespaces joined by a veth pair: host `git` runs a
// terl node, host `koko` a real erl node, each with its own host name and hosts file (a private
// UTS and mount namespace; the machine's /etc/hosts is not touched). -name finds the long names
// through the hosts file, and rpc:call works across. The test is skipped, saying why, where
// namespaces cannot be made (not root, no `ip`, no erl).

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAVE_ERL, Shell, uniq } from '../helpers/dist_nodes.js';
import { ROOT, TERL } from '../helpers/terl.js';

function ip(...args: string[]): boolean {
  return spawnSync('ip', args, { stdio: 'ignore' }).status === 0;
}

/** Why namespaces cannot be used here, or undefined when they can. */
function whyNot(): string | undefined {
  if (!HAVE_ERL) return '`erl` is not installed';
  if (process.getuid?.() !== 0) return 'making network namespaces needs root';
  const probe = `t17p${uniq()}`;
  if (!ip('netns', 'add', probe)) return '`ip netns add` failed (no ip tool, or namespaces not allowed)';
  ip('netns', 'del', probe);
  if (spawnSync('unshare', ['--uts', '--mount', 'true'], { stdio: 'ignore' }).status !== 0) return '`unshare --uts --mount` failed';
  return undefined;
}

const reason = whyNot();
if (reason !== undefined) console.warn(`test/interop/two_hosts.test.ts: skipped, ${reason}`);

describe.skipIf(reason !== undefined)('two hosts in two network namespaces', () => {
  const u = uniq();
  const [nsGit, nsKoko] = [`t17g${u}`, `t17k${u}`];
  const net = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}`;
  const [ipGit, ipKoko] = [`${net}.1`, `${net}.2`];
  const children: ChildProcess[] = [];
  let terl: Shell;
  let erl: Shell;

  /** A process on host `name` in namespace ns: its host name and hosts file its own. */
  function onHost(ns: string, name: string, hostsFile: string, argv: string[]): ChildProcess {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.ERL_EPMD_PORT;
    delete env.ERL_EPMD_ADDRESS;
    const script = `hostname ${name} && mount --bind "$0" /etc/hosts && exec "$@"`;
    const child = spawn('ip', ['netns', 'exec', ns, 'unshare', '--uts', '--mount', 'sh', '-c', script, hostsFile, ...argv], {
      cwd: ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    return child;
  }

  beforeAll(async () => {
    for (const ns of [nsGit, nsKoko]) expect(ip('netns', 'add', ns)).toBe(true);
    const [va, vb] = [`t17a${u}`, `t17b${u}`];
    expect(ip('link', 'add', va, 'type', 'veth', 'peer', 'name', vb)).toBe(true);
    expect(ip('link', 'set', va, 'netns', nsGit)).toBe(true);
    expect(ip('link', 'set', vb, 'netns', nsKoko)).toBe(true);
    for (const [ns, dev, addr] of [
      [nsGit, va, ipGit],
      [nsKoko, vb, ipKoko],
    ]) {
      expect(ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev)).toBe(true);
      expect(ip('-n', ns, 'link', 'set', dev, 'up')).toBe(true);
      expect(ip('-n', ns, 'link', 'set', 'lo', 'up')).toBe(true);
    }
    const dir = mkdtempSync(join(tmpdir(), 'terl-two-hosts-'));
    const hosts = join(dir, 'hosts');
    writeFileSync(hosts, `127.0.0.1 localhost\n${ipGit} git.maxkit.test git\n${ipKoko} koko.maxkit.test koko\n`);
    terl = new Shell(onHost(nsGit, 'git', hosts, [process.execPath, TERL, '-name', 't_sh', '-setcookie', 'lesson']), 't_sh@git.maxkit.test');
    erl = new Shell(onHost(nsKoko, 'koko', hosts, ['erl', '-name', 't_e', '-setcookie', 'lesson']), 't_e@koko.maxkit.test');
    await Promise.all([terl.ready(), erl.ready()]);
  }, 60000);

  afterAll(async () => {
    await Promise.all([terl, erl].filter((s) => s !== undefined).map((s) => s.stop()));
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    // the port mappers the nodes started live in the namespaces: only they are there
    for (const ns of [nsGit, nsKoko]) {
      const pids = spawnSync('ip', ['netns', 'pids', ns]).stdout?.toString().split(/\s+/).filter(Boolean) ?? [];
      for (const p of pids) {
        try {
          process.kill(Number(p), 'SIGKILL');
        } catch {
          /* gone already */
        }
      }
      ip('netns', 'del', ns);
    }
  });

  test('-name finds each long name through its hosts file', async () => {
    expect(await terl.eval('node().')).toBe("'t_sh@git.maxkit.test'");
    expect(await erl.eval('node().')).toBe("'t_e@koko.maxkit.test'");
  });

  test('rpc:call across, both ways', async () => {
    expect(await terl.eval("rpc:call('t_e@koko.maxkit.test', erlang, node, []).")).toBe("'t_e@koko.maxkit.test'");
    expect(await erl.eval("rpc:call('t_sh@git.maxkit.test', lists, reverse, [[1,2,3]]).")).toBe('[3,2,1]');
    expect(await erl.eval("rpc:call('t_sh@git.maxkit.test', erlang, node, []).")).toBe("'t_sh@git.maxkit.test'");
    expect(await erl.eval('nodes().')).toBe("['t_sh@git.maxkit.test']");
  });
});
