// The host part of -name as erl's inet_config finds it: the OS name when fully qualified, else
// resolv.conf's domain, else the hosts file's canonical name, else DNS with the search domains.

import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fullHostName, hostsFileName, resolvConf } from '../../runtime/distribution/host_name.js';

function etc(files: Record<string, string>): { dir: string; hosts: string } {
  const dir = mkdtempSync(join(tmpdir(), 'terl-hostname-'));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return { dir, hosts: join(dir, 'hosts') };
}

const never = async (): Promise<boolean> => false;

describe('the host part of -name', () => {
  test('the hosts file: the first name of the line listing the host', () => {
    const text = '127.0.0.1 localhost\n# a comment\n10.200.0.1 git.maxkit.test git  # the lesson\n10.200.0.2 koko.maxkit.test koko\n';
    expect(hostsFileName(text, 'git')).toBe('git.maxkit.test');
    expect(hostsFileName(text, 'KOKO')).toBe('koko.maxkit.test');
    expect(hostsFileName(text, 'other')).toBeUndefined();
  });

  test("resolv.conf: the last domain line, and the search list", () => {
    expect(resolvConf('nameserver 1.1.1.1\ndomain a.test\nsearch b.test c.test\ndomain d.test\n')).toEqual({ domain: 'd.test', search: ['b.test', 'c.test'] });
  });

  test('a fully qualified OS name is taken as it is', async () => {
    const { dir, hosts } = etc({});
    expect(await fullHostName({ hostname: 'h.x.test', env: { ERL_INET_ETC_DIR: dir }, hostsFile: hosts, resolves: never })).toBe('h.x.test');
  });

  test("resolv.conf's domain comes before the hosts file", async () => {
    const { dir, hosts } = etc({ 'resolv.conf': 'domain r.test\n', hosts: '10.0.0.1 git.h.test git\n' });
    expect(await fullHostName({ hostname: 'git', env: { ERL_INET_ETC_DIR: dir }, hostsFile: hosts, resolves: never })).toBe('git.r.test');
  });

  test('the hosts file gives the long name (the seed: git → git.maxkit.test)', async () => {
    const { dir, hosts } = etc({ 'resolv.conf': 'nameserver 10.0.0.53\n', hosts: '127.0.0.1 localhost\n10.200.0.1 git.maxkit.test git\n' });
    expect(await fullHostName({ hostname: 'git', env: { ERL_INET_ETC_DIR: dir }, hostsFile: hosts, resolves: never })).toBe('git.maxkit.test');
  });

  test('a hosts line without a dotted name: no long name (DNS is not asked)', async () => {
    const asked: string[] = [];
    const { dir, hosts } = etc({ 'resolv.conf': 'search s.test\n', hosts: '127.0.0.1 vm\n' });
    const resolves = async (n: string): Promise<boolean> => (asked.push(n), true);
    expect(await fullHostName({ hostname: 'vm', env: { ERL_INET_ETC_DIR: dir }, hostsFile: hosts, resolves })).toBeUndefined();
    expect(asked).toEqual([]);
  });

  test('not in the hosts file: the first search domain DNS knows the host in', async () => {
    const { dir, hosts } = etc({ 'resolv.conf': 'search a.test b.test\n', hosts: '127.0.0.1 localhost\n' });
    const resolves = async (n: string): Promise<boolean> => n === 'box.b.test';
    expect(await fullHostName({ hostname: 'box', env: { ERL_INET_ETC_DIR: dir }, hostsFile: hosts, resolves })).toBe('box.b.test');
    expect(await fullHostName({ hostname: 'box', env: { ERL_INET_ETC_DIR: dir }, hostsFile: hosts, resolves: never })).toBeUndefined();
  });
});
