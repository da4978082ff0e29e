// Multi-node test fixtures: an EPMD of our own per test file (terl's port-mapper daemon or real
// `epmd`) on a free port, and shells of real `terl` and `erl` nodes driven line by line through
// their plain (piped) mode. Every process started here is killed by stopAll().

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ROOT, TERL } from './terl.js';

export const HAVE_ERL = spawnSync('erl', ['-version'], { stdio: 'ignore' }).status === 0;

/** The host part of -sname node names. */
export const HOST = hostname().split('.')[0];

/** A random suffix, so names never meet those of an earlier run. */
export function uniq(): string {
  return Math.random().toString(36).slice(2, 8);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Kill everything this file started (nodes and port mappers). */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}

/** Does anything accept connections on 127.0.0.1:port? */
export function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function until(cond: () => Promise<boolean>, what: string, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Epmd {
  port: number;
  env: NodeJS.ProcessEnv;
}

/** The environment that makes nodes use this EPMD, on loopback only. */
export function epmdEnv(port: number): NodeJS.ProcessEnv {
  return { ERL_EPMD_PORT: String(port), ERL_EPMD_ADDRESS: '127.0.0.1' };
}

/** An EPMD on a free port: terl's daemon (dist/epmd_daemon.cjs) or real `epmd`, as a child we own. */
export async function startEpmd(kind: 'terl' | 'erl' = 'terl'): Promise<Epmd> {
  const port = await freePort();
  const env = epmdEnv(port);
  // another engineer's build may be rewriting dist/ this very moment: a daemon that dies at once is started again
  for (let attempt = 0; ; attempt++) {
    const child =
      kind === 'terl'
        ? spawn(process.execPath, [join(ROOT, 'dist', 'epmd_daemon.cjs')], { env: { ...process.env, ...env }, stdio: 'ignore' })
        : spawn('epmd', ['-port', String(port), '-address', '127.0.0.1'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    track(child);
    try {
      await until(async () => {
        if (child.exitCode !== null) throw new Error(`EPMD exited with status ${child.exitCode}`);
        return answers(port);
      }, `EPMD on port ${port}`);
      return { port, env };
    } catch (e) {
      if (attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

function sendKill(port: number): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => s.end(Buffer.from([0, 1, 107])));
    s.on('data', () => undefined);
    s.once('close', () => resolve());
    s.once('error', () => resolve());
  });
}

/** Stop the EPMD on port (KILL_REQ, again until it is gone), for daemons a node started by itself. */
export async function killEpmd(port: number): Promise<void> {
  await until(async () => {
    await sendKill(port);
    await new Promise((r) => setTimeout(r, 100));
    return !(await answers(port));
  }, `EPMD on port ${port} to stop`);
}

/** A node's shell in plain mode: send a line, get what it printed up to the next prompt. */
export class Shell {
  out = '';
  private prompts = 0;
  readonly exited: Promise<number | null>;

  constructor(
    readonly child: ChildProcess,
    /** the node name the prompt shows */
    readonly node: string,
  ) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.out += d));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  private prompt(n: number): string {
    return `(${this.node})${n}> `;
  }

  /** Wait until the output matches (or the node exits, or the time is up). */
  async waitFor(pattern: string | RegExp, timeoutMs = 15000): Promise<string> {
    const hit = (): boolean => (typeof pattern === 'string' ? this.out.includes(pattern) : pattern.test(this.out));
    const deadline = Date.now() + timeoutMs;
    while (!hit()) {
      if (Date.now() > deadline || this.child.exitCode !== null) {
        if (hit()) break;
        throw new Error(`${this.node}: timed out waiting for ${String(pattern)}; output:\n${this.out}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.out;
  }

  /** The first prompt is up. */
  async ready(): Promise<void> {
    await this.waitFor(this.prompt(1), 20000);
    this.prompts = 1;
  }

  /** Type `line` (one complete expression) and return what it printed before the next prompt. */
  async eval(line: string, timeoutMs = 15000): Promise<string> {
    const before = this.out.length;
    const next = this.prompt(this.prompts + 1);
    this.child.stdin!.write(line.endsWith('\n') ? line : line + '\n');
    await this.waitFor(next, timeoutMs);
    this.prompts++;
    const at = this.out.indexOf(next, before);
    // erl echoes nothing in plain mode: the text is everything between the prompts
    return this.out.slice(before, at).trim();
  }

  /** Evaluate `line` again until it prints `want` (state that settles in the background, such as
   *  global's mesh); gives the last answer, so the test's expectation shows what it saw. */
  async evalUntil(line: string, want: string, timeoutMs = 10000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await this.eval(line);
      if (got === want || Date.now() > deadline) return got;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Type a line without waiting for anything (q(), halt()). */
  send(line: string): void {
    this.child.stdin!.write(line + '\n');
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

export interface NodeOptions {
  /** alive part; the node is Name@HOST */
  name: string;
  /** -name this (a full node name such as a@127.0.0.1) instead of -sname name */
  longName?: string;
  cookie?: string;
  epmd: Epmd;
  cwd?: string;
  /** more command-line flags */
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

/** A terl node (-sname), its shell ready. */
export async function startTerlNode(o: NodeOptions): Promise<Shell> {
  const args = [...nameArgs(o), ...(o.cookie !== undefined ? ['-setcookie', o.cookie] : []), ...(o.args ?? [])];
  const child = track(
    spawn(process.execPath, [TERL, ...args], {
      cwd: o.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...o.epmd.env, ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const sh = new Shell(child, o.longName ?? `${o.name}@${HOST}`);
  await sh.ready();
  return sh;
}

function nameArgs(o: NodeOptions): string[] {
  return o.longName !== undefined ? ['-name', o.longName] : ['-sname', o.name];
}

/** A real erl node (-sname), its shell ready; it never starts an epmd of its own. */
export async function startErlNode(o: NodeOptions): Promise<Shell> {
  const args = [...nameArgs(o), '-start_epmd', 'false', ...(o.cookie !== undefined ? ['-setcookie', o.cookie] : []), ...(o.args ?? [])];
  const child = track(
    spawn('erl', args, {
      cwd: o.cwd ?? ROOT,
      env: { ...process.env, ...o.epmd.env, ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const sh = new Shell(child, o.longName ?? `${o.name}@${HOST}`);
  await sh.ready();
  return sh;
}

/** Run terl with these arguments until it exits: its output and exit status. */
export function runTerlOnce(
  args: string[],
  epmd: Epmd,
  input = '',
  timeoutMs = 20000,
): Promise<{ out: string; stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, [TERL, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...epmd.env }, stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    // out: both streams as they came; stdout and stderr: each on its own
    let out = '';
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => ((out += d), (stdout += d)));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => ((out += d), (stderr += d)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`terl ${args.join(' ')} did not exit; output:\n${out}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ out, stdout, stderr, code });
    });
    child.stdin!.end(input);
  });
}

/** Run a terl or erl node with `args` until it ends (its -eval halts it): what it printed, stdout and stderr as they came. */
export function runNode(kind: 'terl' | 'erl', args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 30000): Promise<string> {
  const [cmd, pre] = kind === 'terl' ? [process.execPath, [TERL]] : ['erl', []];
  return new Promise((resolve, reject) => {
    const child = track(spawn(cmd, [...pre, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${kind} ${args.join(' ')} did not finish; output:\n${out}`));
    }, timeoutMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** The error report header line (the time differs run to run). */
export const REPORT_HEADER = /=ERROR REPORT==== \d{1,2}-[A-Z][a-z]{2}-\d{4}::\d\d:\d\d:\d\d\.\d{6} ===/;
