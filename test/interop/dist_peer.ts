// Helpers for distribution tests against real Erlang/OTP on loopback: free ports, real `erl` nodes
// and `epmd` processes with their own ERL_EPMD_PORT, terl's EPMD daemon built on the fly. Every
// process started here is tracked and killed by stopAll().

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const haveErl =
  spawnSync('erl', ['-version'], { stdio: 'ignore' }).status === 0 && spawnSync('epmd', ['-help'], { stdio: 'ignore' }).error === undefined;

// the host part of -sname names and free loopback ports: as for terl-only tests
export { HOST, freePort } from '../helpers/dist_nodes.js';

const started = new Set<ChildProcess>();
const tmpDirs: string[] = [];

export function tmpDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'terl-dist-'));
  tmpDirs.push(d);
  return d;
}

export interface Proc {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function track(child: ChildProcess): Proc {
  started.add(child);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      started.delete(child);
      resolve(code);
    });
  });
  const matches = (p: string | RegExp): boolean => (typeof p === 'string' ? out.includes(p) : p.test(out));
  return {
    child,
    output: () => out,
    exited,
    waitFor: (pattern, timeoutMs = 10000) =>
      new Promise((resolve, reject) => {
        if (matches(pattern)) return resolve(out);
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${String(pattern)}; output so far:\n${out}`));
        }, timeoutMs);
        const check = (): void => {
          if (matches(pattern)) {
            cleanup();
            resolve(out);
          }
        };
        const onExit = (): void => {
          cleanup();
          if (matches(pattern)) resolve(out);
          else reject(new Error(`process exited before ${String(pattern)}; output:\n${out}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          child.stdout?.removeListener('data', check);
          child.stderr?.removeListener('data', check);
          child.removeListener('exit', onExit);
        };
        child.stdout?.on('data', check);
        child.stderr?.on('data', check);
        child.on('exit', onExit);
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export interface ErlNodeOptions {
  sname: string;
  cookie: string;
  epmdPort: number;
  /** Erlang expressions run with -eval (end with halt() or a receive to keep the node alive) */
  eval?: string;
  args?: string[];
}

/** A real erl node on loopback that uses the EPMD on epmdPort and never starts one itself. */
export function startErl(o: ErlNodeOptions): Proc {
  const args = ['-noshell', '-sname', o.sname, '-setcookie', o.cookie, '-start_epmd', 'false', ...(o.args ?? [])];
  if (o.eval !== undefined) args.push('-eval', o.eval);
  const child = spawn('erl', args, {
    cwd: tmpDir(),
    env: { ...process.env, ERL_EPMD_PORT: String(o.epmdPort), ERL_EPMD_ADDRESS: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(child);
}

/** A real epmd in the foreground (so the test owns its pid), listening on loopback only. */
export function startRealEpmd(port: number, relaxed = false): Proc {
  const args = ['-port', String(port), '-address', '127.0.0.1'];
  if (relaxed) args.push('-relaxed_command_check');
  return track(spawn('epmd', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ERL_EPMD_PORT: String(port) } }));
}

/** terl's EPMD daemon (epmdDaemonBuilt()) on port, loopback only, as a child the test owns. */
export async function startTerlEpmd(port: number): Promise<Proc> {
  const env = { ...process.env, ERL_EPMD_PORT: String(port), ERL_EPMD_ADDRESS: '127.0.0.1' };
  return track(spawn(process.execPath, [await epmdDaemonBuilt()], { stdio: ['ignore', 'pipe', 'pipe'], env }));
}

/** The real `epmd` command-line client (epmd -names, -kill, -stop, -dump) against port. */
export function epmdCli(port: number, ...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('epmd', args, { encoding: 'utf8', timeout: 10000, env: { ...process.env, ERL_EPMD_PORT: String(port) } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

let daemonScript: Promise<string> | undefined;

/** runtime/distribution/epmd_daemon.ts bundled alone into a temp file (independent of the full build). */
export function epmdDaemonBuilt(): Promise<string> {
  daemonScript ??= (async () => {
    const out = join(tmpDir(), 'epmd_daemon.mjs');
    await build({
      absWorkingDir: ROOT,
      entryPoints: ['runtime/distribution/epmd_daemon.ts'],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile: out,
      logLevel: 'warning',
    });
    return out;
  })();
  return daemonScript;
}

/** Kill every process these helpers started (and any pid given), remove temp dirs. */
export async function stopAll(extraPids: number[] = []): Promise<void> {
  for (const pid of extraPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await Promise.all(
    [...started].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  daemonScript = undefined;
}

/** Is a process alive? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
