// The seed's two-hosts lesson in two network namespaces joined by a veth pair: host `git` runs a
// terl node, host `koko` a real erl node, each with its own host name and hosts file (a private
// UTS and mount namespace; the machine's /etc/hosts is not touched). -name finds the long names
// through the hosts file, and rpc:call works across. Then each host gets a firewall (nftables) that
// lets only the port mapper (4369) and the nodes' inet_dist_listen_min/max range in: calls across
// fail with the range closed and work with it open. The test is skipped, saying why, where
// namespaces cannot be made (not root, no `ip`, no erl); the firewall part where `nft` is missing.

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
const HAVE_NFT = spawnSync('nft', ['--version'], { stdio: 'ignore' }).status === 0;
if (reason === undefined && !HAVE_NFT) console.warn('test/interop/two_hosts.test.ts: the firewall part skipped, `nft` is not installed (apt-get install nftables)');

/** The distribution ports both nodes listen in (-kernel inet_dist_listen_min/max). */
const [DIST_MIN, DIST_MAX] = [9170, 9179];

/** Run `nft` in namespace ns with a script on stdin; true when it took it. */
function nft(ns: string, script: string): boolean {
  return spawnSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: script, stdio: ['pipe', 'ignore', 'ignore'] }).status === 0;
}

/**
 * A host's firewall: only 4369 and the set `dist` (the listen range, when open) take new TCP
 * connections; the rest is refused at once (a reset, so a closed range fails fast, not after
 * net_setuptime). Replies to what the host itself opened pass.
 */
const FIREWALL = `table inet lesson {
  set dist { type inet_service; flags interval; }
  chain input {
    type filter hook input priority 0; policy accept;
    iif lo accept
    ct state established,related accept
    tcp dport 4369 accept
    tcp dport @dist accept
    meta l4proto tcp reject with tcp reset
  }
}
`;

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
    const range = ['-kernel', 'inet_dist_listen_min', String(DIST_MIN), 'inet_dist_listen_max', String(DIST_MAX)];
    writeFileSync(hosts, `127.0.0.1 localhost\n${ipGit} git.maxkit.test git\n${ipKoko} koko.maxkit.test koko\n`);
    terl = new Shell(onHost(nsGit, 'git', hosts, [process.execPath, TERL, '-name', 't_sh', '-setcookie', 'lesson', ...range]), 't_sh@git.maxkit.test');
    erl = new Shell(onHost(nsKoko, 'koko', hosts, ['erl', '-name', 't_e', '-setcookie', 'lesson', ...range]), 't_e@koko.maxkit.test');
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

  describe.skipIf(!HAVE_NFT)('a firewall letting only 4369 and the distribution range in', () => {
    const [erlNode, terlNode] = ['t_e@koko.maxkit.test', 't_sh@git.maxkit.test'];
    const openRange = (open: boolean) => {
      for (const ns of [nsGit, nsKoko]) {
        expect(nft(ns, open ? `add element inet lesson dist { ${DIST_MIN}-${DIST_MAX} }\n` : 'flush set inet lesson dist\n')).toBe(true);
      }
    };
    /** Both nodes forget each other, so the next call dials through the firewall again. */
    const disconnect = async () => {
      await terl.eval(`erlang:disconnect_node('${erlNode}').`);
      await erl.eval(`erlang:disconnect_node('${terlNode}').`);
      for (let i = 0; i < 50 && ((await terl.eval('nodes().')) !== '[]' || (await erl.eval('nodes().')) !== '[]'); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await terl.eval('nodes().')).toBe('[]');
      expect(await erl.eval('nodes().')).toBe('[]');
    };

    beforeAll(() => {
      for (const ns of [nsGit, nsKoko]) expect(nft(ns, FIREWALL)).toBe(true);
    });

    test('with the range open, calls cross both ways', async () => {
      openRange(true);
      await disconnect();
      expect(await terl.eval(`net_adm:ping('${erlNode}').`)).toBe('pong');
      await disconnect();
      expect(await erl.eval(`rpc:call('${terlNode}', erlang, node, []).`)).toBe(`'${terlNode}'`);
      expect(await terl.eval(`rpc:call('${erlNode}', lists, sum, [[1,2,3]]).`)).toBe('6');
    }, 60000);

    test('with the range closed, the port mapper answers but the nodes cannot connect', async () => {
      openRange(false);
      await disconnect();
      // epmd still answers through 4369: both names are found, only the node's own port is shut
      expect(await terl.eval(`net_adm:names("koko.maxkit.test").`)).toMatch(/^\{ok,\[\{"t_e",\d+\}\]\}$/);
      expect(await terl.eval(`net_adm:ping('${erlNode}').`)).toBe('pang');
      expect(await terl.eval(`rpc:call('${erlNode}', erlang, node, []).`)).toBe('{badrpc,nodedown}');
      expect(await erl.eval(`net_adm:ping('${terlNode}').`)).toBe('pang');
      expect(await erl.eval(`rpc:call('${terlNode}', erlang, node, []).`)).toBe('{badrpc,nodedown}');
    }, 60000);

    test('opened again, calls work again', async () => {
      openRange(true);
      expect(await erl.eval(`rpc:call('${terlNode}', lists, reverse, [[a,b]]).`)).toBe('[b,a]');
      expect(await terl.eval(`rpc:call('${erlNode}', erlang, node, []).`)).toBe(`'${erlNode}'`);
    }, 60000);
  });
});
