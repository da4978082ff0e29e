// A distributed node's name and options, as erl's -sname/-name and -kernel flags give them, and
// the errors erl prints when they cannot be used.

import { hostname } from 'node:os';
import { logger } from '../vm/logger.js';

// ---------- configuration ----------

export interface DistOptions {
  /** -sname / -name value: Name or Name@Host */
  name: string;
  /** -name (true) or -sname (false) */
  longNames: boolean;
  /** -setcookie; default: the cookie file */
  cookie?: string;
  hidden?: boolean;
  /** -connect_all (global's mesh) */
  connectAll?: boolean;
  /** -kernel inet_dist_listen_min / max */
  listenMin?: number;
  listenMax?: number;
  /** -kernel net_ticktime, seconds (default 60) */
  tickTime?: number;
  env?: NodeJS.ProcessEnv;
}

/** Distribution could not start: `text` is what erl prints, `stdout` what it prints on stdout. */
export class DistStartError extends Error {
  constructor(
    readonly text: string,
    readonly stdout = '',
  ) {
    super(text);
    this.name = 'DistStartError';
  }
}

/** The host part for -sname: the short host name. */
export function shortHostName(): string {
  return hostname().split('.')[0];
}


/** A node name as ~w and ~p print it: quoted unless it is a plain atom (ab@host, not 'a@b.c'). */
export function quoteAtom(name: string): string {
  return /^[a-z][A-Za-z0-9_@]*$/.test(name) ? name : `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** What erl prints when -name has no fully qualified host (OTP 25.2.3, verified). */
function longNameError(alive: string): DistStartError {
  const reason =
    "{application_start_failure,kernel,{{shutdown,{failed_to_start_child,net_sup,{shutdown,{failed_to_start_child,net_kernel,{'EXIT',nodistribution}}}}},{kernel,start,[normal,[]]}}}";
  const text =
    `${logger().header('INFO REPORT')}\nCan't set long node name!\nPlease check your configuration\n\n` +
    `${logger().header('SUPERVISOR REPORT')}\n` +
    '    supervisor: {local,net_sup}\n' +
    '    errorContext: start_error\n' +
    "    reason: {'EXIT',nodistribution}\n" +
    '    offender: [{pid,undefined},\n' +
    '               {id,net_kernel},\n' +
    '               {mfargs,{net_kernel,start_link,\n' +
    `                                   [#{clean_halt => true,name => ${quoteAtom(alive)},\n` +
    '                                      name_domain => longnames,\n' +
    '                                      supervisor => net_sup}]}},\n' +
    '               {restart_type,permanent},\n' +
    '               {significant,false},\n' +
    '               {shutdown,2000},\n' +
    '               {child_type,worker}]\n\n' +
    `Kernel pid terminated (application_controller) (${reason})\n`;
  return new DistStartError(text, `{"Kernel pid terminated",application_controller,"${reason}"}\n`);
}

function shortNameError(alive: string): DistStartError {
  const e = longNameError(alive);
  return new DistStartError(
    e.text.replace("Can't set long node name!", "Can't set short node name!").replace('name_domain => longnames', 'name_domain => shortnames'),
    e.stdout,
  );
}

/** net_kernel's report for a name it refuses (characters other than letters, digits, _ and -). */
function invalidNameError(name: string, longNames: boolean): DistStartError {
  const e = longNameError(name);
  const text = e.text.replace("Can't set long node name!", 'Invalid node name!');
  return new DistStartError(longNames ? text : text.replace('name_domain => longnames', 'name_domain => shortnames'), e.stdout);
}

/** The full node name for -sname/-name (`longHost`: this host's full name, host_name.ts), or the error erl gives (net_kernel's create_name). */
export function nodeNameFor(name: string, longNames: boolean, longHost?: string): string {
  const at = name.indexOf('@');
  const alive = at < 0 ? name : name.slice(0, at);
  let host = at < 0 ? undefined : name.slice(at + 1);
  if (host === undefined || host === '') {
    host = longNames ? longHost : shortHostName();
    if (host === undefined) throw longNameError(alive);
  } else if (!longNames && host.includes('.')) {
    throw shortNameError(name);
  } else if (!/^[!-\xff]*$/.test(host)) {
    throw invalidNameError(name, longNames);
  }
  // the name part: letters, digits, _ and - only, at least one
  if (!/^[0-9A-Za-z_-]+$/.test(alive)) throw invalidNameError(name, longNames);
  return `${alive}@${host}`;
}

/**
 * What erl's inet_tcp_dist prints when this node (longnames or not) is asked to reach `peer`
 * whose host is of the other kind, or undefined when it may.
 */
export function hostKindError(peer: string, longNames: boolean): string | undefined {
  const host = peer.slice(peer.indexOf('@') + 1);
  const dotted = host.includes('.');
  if (longNames && !dotted && !/^\d+$/.test(host)) {
    return `** System running to use fully qualified hostnames **\n** Hostname ${host} is illegal **`;
  }
  if (!longNames && dotted) return `** System NOT running to use fully qualified hostnames **\n** Hostname ${host} is illegal **`;
  return undefined;
}

/** Alive@Host with both parts non-empty. */
export function validNodeName(name: string): boolean {
  const at = name.indexOf('@');
  return at > 0 && at < name.length - 1 && name.indexOf('@', at + 1) < 0;
}

// ---------- from the command line ----------

/** The options the command line's distribution flags give (undefined: not a distributed node). */
export function distOptionsFromFlags(f: {
  sname?: string;
  name?: string;
  setcookie?: string;
  hidden: boolean;
  connectAll: boolean;
  kernel: [string, string][];
}): DistOptions | undefined {
  const name = f.sname ?? f.name;
  if (name === undefined) return undefined;
  const kernel = new Map(f.kernel);
  const num = (k: string) => (kernel.has(k) ? Number(kernel.get(k)) : undefined);
  return {
    name,
    longNames: f.name !== undefined,
    cookie: f.setcookie,
    hidden: f.hidden,
    connectAll: f.connectAll,
    listenMin: num('inet_dist_listen_min'),
    listenMax: num('inet_dist_listen_max'),
    tickTime: num('net_ticktime'),
  };
}
