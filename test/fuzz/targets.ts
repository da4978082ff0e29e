// What the fuzzers aim at, each a Target: feed it inputs one at a time, then ask whether the node
// is still alive and serving. In-process targets (the decoder, the compiler) count a JS exception
// of the wrong kind as a crash; live ones (a terl node's shell, distribution port, port mapper and
// lib_chan port) count a node that stops answering as a crash, an input it takes more than
// HANG_MS over as a hang, and report the node's peak memory (VmHWM). Used by test/fuzz/*.test.ts
// (a few hundred inputs each, in CI) and test/fuzz/long.ts (100,000 each).

import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { EtfError, decode, encode, encodeControl } from '../../runtime/vm/etf.js';
import { Pid, Ref, atom, binary, charlist, list, tuple } from '../../runtime/vm/term.js';
import { frame2, frame4 } from '../../runtime/distribution/framing.js';
import { portPlease } from '../../runtime/distribution/epmd_client.js';
import { makeResponse } from '../../runtime/lib/lib_chan/auth.js';
import { ErlSyntaxError, isCompleteInput, parseExprs, parseForms } from '../../src/parse.js';
import { compileShell } from '../../src/compile/shell.js';
import { compileModule } from '../../src/compile/module.js';
import { HOST, Shell, freePort, startEpmd, startTerlNode, uniq } from '../helpers/dist_nodes.js';
import type { Epmd } from '../helpers/dist_nodes.js';
import { ROOT } from '../helpers/terl.js';
import { libChanDir } from '../helpers/lib_chan_server.js';
import { compressed, nestedTuples, nilList } from '../harden/bombs.js';
import { dialHidden, distPort, nameMessage, openTcp } from '../harden/dist_raw.js';
import type { Link } from '../harden/dist_raw.js';
import { VOCAB, mutate, mutateBytes, pick, randomBytes, randomTerm } from './gen.js';

/** An input the node takes longer than this over is a hang. */
export const HANG_MS = 10_000;

export type Result = 'ok' | 'crash' | 'hang';

export interface Target {
  readonly name: string;
  start(): Promise<void>;
  one(r: () => number, i: number): Promise<Result>;
  alive(): Promise<boolean>;
  /** the node's peak resident memory in kB (or this process's, for in-process targets) */
  peakKb(): number | undefined;
  /** the last input and what the node last said, for a failure's report */
  lastInput?(): string;
  /** the live node, for a closer look after a failure */
  live?: LiveNode;
  stop(): Promise<void>;
}

export interface Figures {
  target: string;
  inputs: number;
  crashes: number;
  hangs: number;
  aliveAfter: boolean;
  peakMb: number | undefined;
  seconds: number;
  /** the first few failing inputs, to replay */
  failures: string[];
}

/** Feed n inputs from seed; the figures. Checks liveness every `every` inputs and at the end. */
export async function run(t: Target, n: number, seed: number, every = 1000): Promise<Figures> {
  const { rng } = await import('./gen.js');
  const r = rng(seed);
  const f: Figures = { target: t.name, inputs: 0, crashes: 0, hangs: 0, aliveAfter: false, peakMb: undefined, seconds: 0, failures: [] };
  const t0 = performance.now();
  await t.start();
  try {
    for (let i = 0; i < n; i++) {
      let res: Result;
      try {
        res = await withTimeout(t.one(r, i), HANG_MS, 'hang');
      } catch (e) {
        res = 'crash';
        if (f.failures.length < 5) f.failures.push(`input ${i}: ${(e as Error).message ?? e}`);
      }
      f.inputs++;
      if (res === 'crash') f.crashes++;
      if (res === 'hang') f.hangs++;
      if (res !== 'ok' && f.failures.length < 5) f.failures.push(`${res} at input ${i}${t.lastInput ? `: ${t.lastInput()}` : ''}`);
      if ((res !== 'ok' || (i + 1) % every === 0) && !(await withTimeout(t.alive(), HANG_MS, false))) {
        f.crashes++;
        if (f.failures.length < 5) f.failures.push(`node not serving after input ${i}${t.lastInput ? `: ${t.lastInput()}` : ''}`);
        break;
      }
    }
    f.aliveAfter = await withTimeout(t.alive(), HANG_MS, false);
    const kb = t.peakKb();
    f.peakMb = kb === undefined ? undefined : Math.round(kb / 1024);
  } finally {
    await t.stop();
  }
  f.seconds = Math.round((performance.now() - t0) / 100) / 10;
  return f;
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: T): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(onTimeout), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** VmHWM of a process, in kB. */
export function peakKbOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Compressed bombs, made once (deflating them is the slow part): far over any bound, and just
 * under a distribution frame's 8 MB (one of 500 inputs, as decoding those takes a while).
 */
let bombCache: { huge: Uint8Array[]; fits: Uint8Array[] } | undefined;
function bombs(): { huge: Uint8Array[]; fits: Uint8Array[] } {
  bombCache ??= {
    huge: [compressed(nestedTuples(31_000_000)), compressed(nilList(60_000_000))],
    fits: [compressed(nestedTuples(3_000_000)), compressed(nilList(2_000_000))],
  };
  return bombCache;
}

/** A bomb, mostly one refused before it is inflated. */
function bomb(r: () => number): Uint8Array {
  const b = bombs();
  const from = pick(r, 500) === 0 ? b.fits : b.huge;
  return from[pick(r, from.length)];
}

// ---------- in process: the decoder ----------

/** binary_to_term and distribution frames with the limits a connection decodes them under. */
export function etfTarget(): Target {
  const limits = { maxDepth: 1_000_000, maxSize: 8 * 1024 * 1024 };
  return {
    name: 'etf decode',
    start: async () => undefined,
    async one(r) {
      let bytes: Uint8Array;
      switch (pick(r, 6)) {
        case 0:
          bytes = randomBytes(r, 1 + pick(r, 40));
          bytes[0] = 131;
          break;
        case 1:
          bytes = bomb(r);
          break;
        default:
          bytes = mutateBytes(encode(randomTerm(r, 0), { compressed: pick(r, 8) === 0 }), r);
      }
      try {
        decode(bytes, limits);
      } catch (e) {
        if (!(e instanceof EtfError)) throw new Error(`${String(e)} for [${[...bytes.subarray(0, 64)].join(',')}]`);
      }
      return 'ok';
    },
    alive: async () => decode(encode(atom('ok'))).term === atom('ok'),
    peakKb: () => peakKbOf(process.pid),
    stop: async () => undefined,
  };
}

// ---------- in process: the compiler ----------

const exprRows: { input: string; expected: string }[] = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'parse', 'parse_exprs.otp.json'), 'utf8'));
const VALID_EXPRS = exprRows.filter((x) => x.expected.startsWith('ok')).map((x) => x.input);
const formData: { includes: Record<string, string>; modules: { name: string; source: string }[] } = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'parse', 'parse_forms.otp.json'), 'utf8'),
);

/** Mutated shell expressions and modules through the scanner, parser, linter and compiler. */
export function compileTarget(): Target {
  return {
    name: 'compile (shell and c/1)',
    start: async () => undefined,
    async one(r, i) {
      if (i % 10 === 9) {
        const m = formData.modules[pick(r, formData.modules.length)].source;
        const text = mutate(m, r);
        const parsed = parseForms(text, 'fuzz.erl', { readFile: (p) => formData.includes[p] });
        if (parsed.errors.length === 0) compileModule(parsed.forms, 'fuzz.erl');
        return 'ok';
      }
      const text = mutate(VALID_EXPRS[pick(r, VALID_EXPRS.length)], r);
      let exprs;
      try {
        exprs = parseExprs(text);
      } catch (e) {
        if (e instanceof ErlSyntaxError) return 'ok';
        throw new Error(`parse: ${String(e)} for ${JSON.stringify(text)}`);
      }
      try {
        compileShell(exprs, new Set(['X', 'Y']));
      } catch (e) {
        throw new Error(`compile: ${String(e)} for ${JSON.stringify(text)}`);
      }
      return 'ok';
    },
    alive: async () => compileShell(parseExprs('1 + 1.'), new Set()).ok,
    peakKb: () => peakKbOf(process.pid),
    stop: async () => undefined,
  };
}

// ---------- a live shell ----------

/** Atoms a fuzzed expression must not call: they end or block the shell, or touch the machine. */
const UNSAFE = /\b(halt|q|init|stop|receive|sleep|exit|kill|c|l|nl|cd|os|file|spawn\w*|register|open_port|apply|put_chars|get_line|read|fread|timer|erlang|rpc|net_kernel|net_adm|code|ets|io|shell_default|h|b|f|rr|rd|rf|rl|bt|flush|regs|i|ni|m|pid|lc|ls|pwd|v|e|catch|try|after)\b/;

/** Mutated expressions typed at a terl shell: each is answered (value or error) and the shell goes on. */
export function shellTarget(): Target {
  let shell: Shell | undefined;
  let last = '';
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-shell-'));
  return {
    name: 'shell (live terl)',
    lastInput: () => `${last}\n--- the shell's last output:\n${shell?.out.slice(-1500)}`,
    async start() {
      shell = await startTerlNode({ name: `fuzzsh${uniq()}`, epmd: await startEpmd('terl') });
    },
    async one(r, i) {
      if (i % 10 === 9) {
        // c/1 of a mutated module (compiled and loaded, never called)
        const source = mutate(formData.modules[pick(r, formData.modules.length)].source, r);
        writeFileSync(join(dir, 'fz.erl'), source);
        last = `c(fz) of:\n${source}`;
          return type(shell!, `c("${join(dir, 'fz')}", [{outdir, "${dir}"}]).`);
      }
      let text = '';
      for (let tries = 0; tries < 20; tries++) {
        const candidate = pick(r, 4) === 0 ? VOCAB.filter(() => r() < 0.1).join(' ') : mutate(VALID_EXPRS[pick(r, VALID_EXPRS.length)], r);
        if (candidate.includes('\n') || UNSAFE.test(candidate)) continue;
        try {
          parseExprs(candidate.trimEnd().endsWith('.') ? candidate : candidate + '.');
        } catch {
          continue;
        }
        text = candidate.trimEnd().endsWith('.') ? candidate : candidate + '.';
        break;
      }
      if (text === '') return 'ok';
      // run in a process of its own, killed after a while: a mutation that loops forever (or
      // computes 1 bsl 100000000) is no hang of terl's, and would be none of erl's
      const body = text.trimEnd().replace(/\.$/, '');
      last = body;
      const [p, m, v] = [`FuzzP${i}_`, `FuzzM${i}_`, `FuzzR${i}_`];
      const wrapped = `{${p}, ${m}} = spawn_monitor(fun() -> exit({fuzz_value, begin ${body} end}) end), receive {'DOWN', ${m}, _, _, ${v}} -> ${v} after 3000 -> exit(${p}, kill), timeout end.`;
      // what is typed must be one whole expression (a comment or a dot inside would leave the
      // shell waiting for the rest, which is no hang)
      try {
        if (parseExprs(wrapped).length !== 2 || !isCompleteInput(wrapped + '\n')) return 'ok';
      } catch {
        return 'ok';
      }
      return type(shell!, wrapped);
    },
    async alive() {
      const from = shell!.out.length;
      return (await type(shell!, 'fuzz_alive_check, 1 + 1.')) === 'ok' && /\b2\n/.test(shell!.out.slice(from));
    },
    peakKb: () => peakKbOf(shell?.child.pid),
    async stop() {
      await shell?.stop();
    },
  };
}

/**
 * Type a line at a shell and wait for whatever prompt comes next (a syntax error does not count
 * the prompt up, so Shell.eval's wait for the next number does not fit here).
 */
async function type(shell: Shell, line: string): Promise<Result> {
  const from = shell.out.length;
  shell.child.stdin!.write(line + '\n');
  const deadline = Date.now() + HANG_MS;
  while (!/\d+> $/.test(shell.out.slice(from))) {
    if (shell.child.exitCode !== null) return 'crash';
    if (Date.now() > deadline) return 'hang';
    await sleep(5);
  }
  return 'ok';
}

// ---------- a live node's ports ----------

/**
 * One terl node with a lib_chan server and a friend node that checks it serves: the target of the
 * distribution, handshake, port mapper and lib_chan fuzzers.
 */
export class LiveNode {
  epmd!: Epmd;
  node!: Shell;
  friend!: Shell;
  readonly alive = `fuzzed${uniq()}`;
  readonly full = `${this.alive}@${HOST}`;
  chanPort = 0;

  async start(): Promise<void> {
    this.epmd = await startEpmd('terl');
    this.chanPort = await freePort();
    const dir = libChanDir(this.chanPort);
    [this.node, this.friend] = await Promise.all([
      startTerlNode({ name: this.alive, cookie: 'fuzz', epmd: this.epmd, cwd: dir }),
      startTerlNode({ name: `fuzzfriend${uniq()}`, cookie: 'fuzz', epmd: this.epmd }),
    ]);
    await this.node.eval('kvs:start().');
    await this.node.eval('lib_chan:start_server("lib_chan.conf").');
  }

  /** The node answers another node's rpc and its own shell. */
  async serving(): Promise<boolean> {
    try {
      // the node's reports of what it refused may come between the prompts: the answer is the last line
      const rpc = await this.friend.eval(`rpc:call(${this.full}, lists, seq, [1, 3]).`, HANG_MS);
      if (!/(^|\n)\[1,2,3\]$/.test(rpc)) return false;
      return /(^|\n)2$/.test(await this.node.eval('1 + 1.', HANG_MS));
    } catch {
      return false;
    }
  }

  peakKb(): number | undefined {
    return peakKbOf(this.node.child.pid);
  }

  /** What the node and its friend last printed. */
  describe(): string {
    return `--- the node:\n${this.node.out.slice(-2000)}\n--- the friend:\n${this.friend.out.slice(-800)}`;
  }

  async stop(): Promise<void> {
    await Promise.all([this.node?.stop(), this.friend?.stop()]);
  }
}

/** Write bytes on a fresh socket, wait until the node closes it or `ms` pass, then close it. */
async function poke(port: number, bytes: Uint8Array, ms = 50): Promise<Result> {
  let s: Socket;
  try {
    s = await openTcp(port);
  } catch {
    return 'crash';
  }
  return new Promise((resolve) => {
    const done = (): void => {
      s.destroy();
      resolve('ok');
    };
    s.on('data', () => undefined);
    s.once('close', done);
    s.write(bytes);
    setTimeout(done, ms);
  });
}

/** Distribution frames from an authenticated peer: mutated control messages and payloads, bombs. */
export function distTarget(): Target {
  const live = new LiveNode();
  const me = `fuzzer${uniq()}@${HOST}`;
  let link: Link | undefined;
  const frames = (r: () => number): Uint8Array => {
    const pid = new Pid(atom(me), 1, 0, 7);
    const nobody = new Pid(atom(live.full), 999999, 0, 1);
    const ref = new Ref(atom(me), [1, 2, 3], 7);
    const valid = [
      encodeControl(tuple(6, pid, atom(''), atom('no_such_name')), randomTerm(r, 0)),
      encodeControl(tuple(22, pid, nobody), randomTerm(r, 0)),
      encodeControl(tuple(19, pid, atom('no_such_name'), ref)),
      encodeControl(tuple(2, atom(''), nobody), binary([1, 2, 3])),
      encodeControl(tuple(pick(r, 40), pid, randomTerm(r, 2))),
    ];
    const base = valid[pick(r, valid.length)];
    switch (pick(r, 8)) {
      case 0:
        return randomBytes(r, 1 + pick(r, 64));
      case 1: {
        // a bomb as the message of a SEND to nobody
        const c = encodeControl(tuple(2, atom(''), nobody));
        const b = bomb(r);
        const out = new Uint8Array(c.length + b.length);
        out.set(c);
        out.set(b, c.length);
        return out;
      }
      case 2:
        return base;
      default:
        return mutateBytes(base, r, 2);
    }
  };
  return {
    name: 'distribution frames (authenticated)',
    lastInput: () => live.describe(),
    live,
    start: () => live.start(),
    async one(r) {
      if (link === undefined || link.socket.destroyed) link = await dialHidden(live.epmd, live.alive, me, 'fuzz');
      link.socket.write(frame4(frames(r)));
      await sleep(1);
      return 'ok';
    },
    alive: () => live.serving(),
    peakKb: () => live.peakKb(),
    async stop() {
      link?.socket.destroy();
      await live.stop();
    },
  };
}

/** Strangers' handshakes: names, statuses and challenge replies, mutated and random. */
export function handshakeTarget(): Target {
  const live = new LiveNode();
  let port = 0;
  return {
    name: 'handshakes (before authentication)',
    lastInput: () => live.describe(),
    async start() {
      await live.start();
      port = await distPort(live.epmd, live.alive);
    },
    async one(r) {
      const name = new TextEncoder().encode(`${['a', 'b', 'stranger', ''][pick(r, 4)]}${pick(r, 1000)}@${HOST}`);
      let msg: Uint8Array;
      switch (pick(r, 5)) {
        case 0:
          msg = randomBytes(r, pick(r, 80));
          break;
        case 1:
          msg = frame2(randomBytes(r, 1 + pick(r, 300)));
          break;
        case 2: {
          // a name, then a challenge reply with a made-up digest
          const reply = Uint8Array.from([114, ...randomBytes(r, 20)]);
          msg = Uint8Array.from([...frame2(nameMessage(name)), ...frame2(reply)]);
          break;
        }
        default:
          msg = frame2(mutateBytes(nameMessage(name), r, 1));
      }
      return poke(port, msg, 3);
    },
    alive: () => live.serving(),
    peakKb: () => live.peakKb(),
    stop: () => live.stop(),
  };
}

/** Port mapper requests: every op, mutated and random, names good and bad. */
export function epmdTarget(): Target {
  const live = new LiveNode();
  const request = (r: () => number): Uint8Array => {
    const op = [120, 122, 110, 100, 107, 115, pick(r, 256)][pick(r, 7)];
    const body = Uint8Array.from([op, ...randomBytes(r, pick(r, 40))]);
    if (op === 122 && pick(r, 2) === 0) body.set(new TextEncoder().encode(live.alive).subarray(0, body.length - 1), 1);
    const len = pick(r, 10) === 0 ? pick(r, 0x10000) : body.length;
    return Uint8Array.from([len >> 8, len & 255, ...body]);
  };
  return {
    name: 'port mapper requests',
    lastInput: () => live.describe(),
    start: () => live.start(),
    one: (r) => poke(live.epmd.port, request(r), 3),
    async alive() {
      const e = await portPlease(live.alive, '127.0.0.1', { env: { ...process.env, ...live.epmd.env } }).catch(() => undefined);
      return e !== undefined && (await live.serving());
    },
    peakKb: () => live.peakKb(),
    stop: () => live.stop(),
  };
}

/** lib_chan frames from strangers: mutated startService and response terms, random and compressed bytes. */
export function libChanTarget(): Target {
  const live = new LiveNode();
  const frame = (r: () => number): Uint8Array => {
    let body: Uint8Array;
    switch (pick(r, 5)) {
      case 0:
        body = randomBytes(r, 1 + pick(r, 60));
        break;
      case 1:
        body = bomb(r);
        break;
      default:
        body = mutateBytes(encode(tuple(atom('startService'), atom('nameServer'), pick(r, 2) === 0 ? list([]) : randomTerm(r, 1))), r);
    }
    const n = pick(r, 12) === 0 ? pick(r, 0x7fffffff) : body.length;
    const out = new Uint8Array(4 + body.length);
    new DataView(out.buffer).setUint32(0, n);
    out.set(body, 4);
    return out;
  };
  return {
    name: 'lib_chan frames (before authentication)',
    lastInput: () => live.describe(),
    start: () => live.start(),
    one: (r) => poke(live.chanPort, frame(r), 3),
    async alive() {
      return (await chanLogin(live.chanPort)) && (await live.serving());
    },
    peakKb: () => live.peakKb(),
    stop: () => live.stop(),
  };
}

/** The book's handshake with the right password: true when the service is opened (ack). */
async function chanLogin(port: number): Promise<boolean> {
  const s = await openTcp(port);
  const got: Uint8Array[] = [];
  let buf = new Uint8Array(0);
  s.on('data', (d: Buffer) => {
    buf = Uint8Array.from([...buf, ...d]);
    while (buf.length >= 4) {
      const n = (buf[0] << 24) | (buf[1] << 16) | (buf[2] << 8) | buf[3];
      if (buf.length < 4 + n) break;
      got.push(buf.slice(4, 4 + n));
      buf = buf.slice(4 + n);
    }
  });
  const next = async (): Promise<unknown> => {
    for (let k = 0; k < 500 && got.length === 0; k++) await sleep(10);
    const f = got.shift();
    return f === undefined ? undefined : decode(f).term;
  };
  const send = (t: Parameters<typeof encode>[0]): void => {
    const b = encode(t);
    s.write(Uint8Array.from([b.length >>> 24, (b.length >> 16) & 255, (b.length >> 8) & 255, b.length & 255, ...b]));
  };
  try {
    send(tuple(atom('startService'), atom('nameServer'), list([])));
    const ch = await next();
    const challenge = ch instanceof Object && 'elements' in (ch as object) ? (ch as { elements: unknown[] }).elements[1] : undefined;
    const text = challenge === undefined ? undefined : listText(challenge);
    if (text === undefined) return false;
    send(tuple(atom('response'), charlist(makeResponse(Buffer.from(text, 'latin1'), Buffer.from('ABXy45', 'latin1')))));
    return (await next()) === atom('ack');
  } finally {
    s.destroy();
  }
}

function listText(t: unknown): string | undefined {
  let s = '';
  let l = t as { head?: unknown; tail?: unknown };
  while (l !== null && typeof l === 'object' && 'head' in l) {
    s += String.fromCharCode(l.head as number);
    l = l.tail as typeof l;
  }
  return s;
}

/** Every target, by name. */
export const TARGETS: Record<string, () => Target> = {
  etf: etfTarget,
  compile: compileTarget,
  shell: shellTarget,
  dist: distTarget,
  handshake: handshakeTarget,
  epmd: epmdTarget,
  lib_chan: libChanTarget,
};


