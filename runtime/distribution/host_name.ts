// The host part of a -name node (longnames) as erl finds it (kernel's inet_config, on Linux): the
// OS host name when it is fully qualified; else the domain of resolv.conf's `domain` line (in
// $ERL_INET_ETC_DIR, /etc by default); else the host's canonical name as the system resolver
// gives it: the hosts file first (the first name on the first line listing the host), then DNS
// with resolv.conf's search domains. No dot in what is found: there is no long name.

import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Resolver } from 'node:dns/promises';

export interface HostLookup {
  /** the OS host name (os.hostname()) */
  hostname?: string;
  env?: NodeJS.ProcessEnv;
  /** the hosts file (/etc/hosts) */
  hostsFile?: string;
  /** does this name resolve in DNS? (a real lookup by default, one second at most) */
  resolves?: (name: string) => Promise<boolean>;
}

function lines(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim().split(/\s+/))
    .filter((w) => w.length > 0 && w[0] !== '');
}

/** The canonical name the hosts file gives `host`: the first name on the first line listing it. */
export function hostsFileName(text: string, host: string): string | undefined {
  const h = host.toLowerCase();
  for (const [, ...names] of lines(text)) {
    if (names.some((n) => n.toLowerCase() === h)) return names[0];
  }
  return undefined;
}

/** resolv.conf's domain (its last `domain` line) and search list. */
export function resolvConf(text: string): { domain?: string; search: string[] } {
  let domain: string | undefined;
  let search: string[] = [];
  for (const [key, ...args] of lines(text)) {
    if (key === 'domain' && args[0] !== undefined) domain = args[0];
    else if (key === 'search') search = args;
  }
  return { domain, search };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

async function dnsResolves(name: string): Promise<boolean> {
  const r = new Resolver({ timeout: 1000, tries: 1 });
  try {
    const [v4, v6] = await Promise.allSettled([r.resolve4(name), r.resolve6(name)]);
    return (v4.status === 'fulfilled' && v4.value.length > 0) || (v6.status === 'fulfilled' && v6.value.length > 0);
  } catch {
    return false;
  }
}

/** This host's fully qualified name for -name, or undefined when it has none. */
export async function fullHostName(o: HostLookup = {}): Promise<string | undefined> {
  const env = o.env ?? process.env;
  const full = o.hostname ?? hostname();
  if (full.includes('.')) return full;
  const host = full === '' ? 'nohost' : full;
  const conf = resolvConf(await readText(join(env.ERL_INET_ETC_DIR ?? '/etc', 'resolv.conf')));
  if (conf.domain !== undefined) return `${host}.${conf.domain}`;
  const listed = hostsFileName(await readText(o.hostsFile ?? '/etc/hosts'), host);
  if (listed !== undefined) return listed.includes('.') ? listed : undefined;
  const resolves = o.resolves ?? dnsResolves;
  for (const d of conf.search) if (await resolves(`${host}.${d}`)) return `${host}.${d}`;
  return undefined;
}
