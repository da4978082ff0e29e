// Module erl_prim_loader: where the node's files come from. With `-loader efile` (the default) that
// is this machine's file system; with `-loader inet -hosts IP ...` it is a boot server
// (erl_boot_server, on a terl or a real node), spoken to in OTP's boot protocol:
//
//   find   a UDP datagram "EBOOTQ" ++ Version to port 4368 of each host; a server that accepts this
//          address answers "EBOOTR", a priority byte, its TCP port (16 bits) and its version; the
//          lowest priority wins. No answer after three tries half a second apart: the node shows
//          {erl_prim_loader,'no server found'} and tries again ten seconds later (a minute, after
//          ten rounds), as erl's does.
//   ask    over TCP, each request framed by a 4-byte length: term_to_binary of {get,File},
//          {list_dir,Dir}, {read_file_info,File} or get_cwd, answered by {Cmd, Result}.
//
// The code server asks synchronously (a call to an unloaded module must load it before it returns),
// so requests go through a short-lived helper process that does the TCP exchange while this thread
// waits for it (spawnSync), each batch on one connection.

import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { Atom, Bin, Term, Tuple, atom, list, listToArray, listToString, tuple } from '../../vm/term.js';
import { defineBif } from '../../vm/bif_registry.js';
import { decodeTerm, encode } from '../../vm/etf.js';
import { getCwd, resolvePath } from '../../vm/cwd.js';
import { joinText } from '../../vm/path.js';
import { libraryAppDir } from '../../vm/code_path.js';
import { parseIpv4 } from '../kernel/inet_address.js';
import { str } from '../common.js';
import { ERTS_VERSION } from './system_info.js';

const MOD = 'erl_prim_loader';
const A = {
  ok: atom('ok'),
  error: atom('error'),
  get: atom('get'),
  list_dir: atom('list_dir'),
  get_cwd: atom('get_cwd'),
};

/** The boot server's UDP port (OTP's EBOOT_PORT: the port mapper's number, for UDP). */
export const EBOOT_PORT = 4368;
const REQUEST = 'EBOOTQ';
const REPLY = 'EBOOTR';
const TRIES = 3;
const TRY_DELAY_MS = 500;
const RETRY_SLEEP_MS = 10000;
/** After this many rounds without an answer, rounds are a minute apart. */
const SHORT_ROUNDS = 10;
const LONG_RETRY_SLEEP_MS = 60000;
/** How long one batch of requests may take before the server counts as gone. */
const ASK_TIMEOUT_MS = 30000;

interface Master {
  host: string;
  port: number;
}

let loader: 'efile' | 'inet' = 'efile';
let master: Master | undefined;

export function usingInet(): boolean {
  return loader === 'inet';
}

/** The request a client sends, and the answer's prefix, for this node's version. */
export function bootRequest(): string {
  return REQUEST + ERTS_VERSION;
}

/** Parse a boot server's UDP answer: its priority and TCP port, or undefined for anything else. */
export function parseBootReply(data: Uint8Array): { priority: number; port: number } | undefined {
  if (data.length < REPLY.length + 3 || new TextDecoder('latin1').decode(data.subarray(0, REPLY.length)) !== REPLY) return undefined;
  const at = REPLY.length;
  return { priority: data[at]!, port: data[at + 1]! * 256 + data[at + 2]! };
}

/** One round: ask every host (three times, half a second apart, unless a priority-0 server answered); the servers that answered. */
function askHosts(hosts: readonly string[]): Promise<(Master & { priority: number })[]> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const found: (Master & { priority: number })[] = [];
    let tries = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (timer !== undefined) clearTimeout(timer);
      sock.close();
      resolve(found.sort((a, b) => a.priority - b.priority));
    };
    const send = () => {
      if (tries++ === TRIES || found.some((s) => s.priority === 0)) return finish();
      for (const h of hosts) sock.send(bootRequest(), EBOOT_PORT, h);
      timer = setTimeout(send, TRY_DELAY_MS);
    };
    sock.on('message', (msg, rinfo) => {
      const r = parseBootReply(msg);
      if (r !== undefined && !found.some((s) => s.host === rinfo.address && s.port === r.port)) found.push({ host: rinfo.address, ...r });
    });
    sock.on('error', finish);
    sock.bind(0, () => {
      sock.setBroadcast(true);
      send();
    });
  });
}

/**
 * `-loader inet -hosts ...`: find a boot server before the node boots further; until one answers,
 * show erl's lifesign every round. Hosts that are not IPv4 addresses are left out, as erl does.
 */
export async function startInetLoader(hosts: readonly string[], display: (text: string) => void): Promise<void> {
  loader = 'inet';
  const addrs = hosts.filter((h) => parseIpv4(h) !== undefined);
  for (let round = 1; ; round++) {
    const servers = await askHosts(addrs);
    if (servers.length > 0) {
      master = { host: servers[0]!.host, port: servers[0]!.port };
      return;
    }
    display("{erl_prim_loader,'no server found'}\n");
    await new Promise((r) => setTimeout(r, round <= SHORT_ROUNDS ? RETRY_SLEEP_MS : LONG_RETRY_SLEEP_MS));
  }
}

// The helper: connect, send each request (hex arguments) with its length, read each answer, and
// write the answers to stdout with their lengths; exit 2 when the server cannot be reached.
const ASKER = `
const net = require('net');
const [host, port, ...reqs] = process.argv.slice(1);
const sock = net.connect(Number(port), host);
const out = [];
let buf = Buffer.alloc(0), i = 0;
const next = () => {
  if (i === reqs.length) { sock.end(); process.stdout.write(Buffer.concat(out)); return; }
  const b = Buffer.from(reqs[i++], 'hex'), len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  sock.write(Buffer.concat([len, b]));
};
sock.on('connect', next);
sock.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
    const n = buf.readUInt32BE(0);
    out.push(buf.subarray(0, 4 + n));
    buf = buf.subarray(4 + n);
    next();
  }
});
sock.on('error', () => process.exit(2));
sock.on('close', () => { if (i < reqs.length || out.length < reqs.length) process.exit(2); });
`;

/** Ask the boot server `requests` on one connection; their answers in order, or undefined when it could not be asked. */
export function askMaster(requests: readonly Term[]): (Term | undefined)[] | undefined {
  if (master === undefined) return undefined;
  const hex = requests.map((r) => Buffer.from(encode(r)).toString('hex'));
  const r = spawnSync(process.execPath, ['-e', ASKER, master.host, String(master.port), ...hex], {
    timeout: ASK_TIMEOUT_MS,
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  if (r.status !== 0 || r.stdout === null) return undefined;
  const out: (Term | undefined)[] = [];
  const b = r.stdout;
  for (let at = 0; at + 4 <= b.length; ) {
    const n = b.readUInt32BE(at);
    try {
      out.push(decodeTerm(new Uint8Array(b.subarray(at + 4, at + 4 + n))));
    } catch {
      out.push(undefined);
    }
    at += 4 + n;
  }
  return out;
}

/** The bytes of a {get, {ok, Bin}} answer, else undefined. */
function gotFile(answer: Term | undefined): Uint8Array | undefined {
  if (!(answer instanceof Tuple) || answer.size !== 2 || answer.elements[0] !== A.get) return undefined;
  const r = answer.elements[1];
  return r instanceof Tuple && r.size === 2 && r.elements[0] === A.ok && r.elements[1] instanceof Bin ? r.elements[1].bytes : undefined;
}

/** The first of `files` the boot server has: its name as asked and its bytes. */
export function fetchFirst(files: readonly string[]): { file: string; bytes: Uint8Array } | undefined {
  if (files.length === 0) return undefined;
  const answers = askMaster(files.map((f) => tuple(A.get, str(f)))) ?? [];
  for (let i = 0; i < answers.length; i++) {
    const bytes = gotFile(answers[i]);
    if (bytes !== undefined) return { file: files[i]!, bytes };
  }
  return undefined;
}

let masterCwd: string | undefined;

/** A file name the boot server resolves, made absolute with its working directory (erl's code server names loaded modules so). */
export function onMaster(file: string): string {
  if (file.startsWith('/')) return file;
  if (masterCwd === undefined) {
    const cwd = askOk(A.get_cwd, A.get_cwd);
    masterCwd = cwd === undefined ? undefined : listToString(cwd);
  }
  return masterCwd === undefined ? file : joinText(masterCwd, file);
}

// ---------- the module's functions ----------

/** The prim loader's own path: the directories terl's library is in (erl's holds kernel's and stdlib's ebin). */
let primPath: string[] | undefined;

function path(): string[] {
  primPath ??= ['kernel', 'stdlib'].map((app) => libraryAppDir(app)).filter((d): d is string => d !== undefined);
  return primPath;
}

function fileName(t: Term): string | undefined {
  return t instanceof Atom ? t.name : listToString(t);
}

function readLocal(file: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(resolvePath(file)));
  } catch {
    return undefined;
  }
}

/** A plain file name is looked for in each directory of the path; any other as it is. */
function candidates(file: string): string[] {
  return file.includes('/') || path().length === 0 ? [file] : path().map((d) => joinText(d, file));
}

defineBif(MOD, 'get_file', 1, (f) => {
  const file = fileName(f);
  if (file === undefined) return A.error;
  const names = candidates(file);
  if (loader === 'inet') {
    const got = fetchFirst(names);
    return got === undefined ? A.error : tuple(A.ok, new Bin(got.bytes), str(got.file));
  }
  for (const name of names) {
    const bytes = readLocal(name);
    if (bytes !== undefined) return tuple(A.ok, new Bin(bytes), str(name));
  }
  return A.error;
});

/** The {Cmd, {ok, X}} answer's X from the boot server, or undefined. */
function askOk(request: Term, cmd: Atom): Term | undefined {
  const a = askMaster([request])?.[0];
  if (!(a instanceof Tuple) || a.size !== 2 || a.elements[0] !== cmd) return undefined;
  const r = a.elements[1];
  return r instanceof Tuple && r.size === 2 && r.elements[0] === A.ok ? r.elements[1] : undefined;
}

defineBif(MOD, 'list_dir', 1, (d) => {
  const dir = fileName(d);
  if (dir === undefined) return A.error;
  if (loader === 'inet') {
    const names = askOk(tuple(A.list_dir, str(dir)), A.list_dir);
    return names === undefined ? A.error : tuple(A.ok, names);
  }
  try {
    return tuple(A.ok, list(readdirSync(resolvePath(dir)).map(str)));
  } catch {
    return A.error;
  }
});

defineBif(MOD, 'get_cwd', 0, () => {
  if (loader === 'inet') {
    const cwd = askOk(A.get_cwd, A.get_cwd);
    return cwd === undefined ? A.error : tuple(A.ok, cwd);
  }
  return tuple(A.ok, str(getCwd()));
});

defineBif(MOD, 'get_path', 0, () => tuple(A.ok, list(path().map(str))));

defineBif(MOD, 'set_path', 1, (p) => {
  const dirs = (listToArray(p) ?? []).map(fileName);
  if (listToArray(p) === undefined || dirs.some((d) => d === undefined)) return A.error;
  primPath = dirs as string[];
  return A.ok;
});
