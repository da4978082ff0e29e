// Helpers for lib_chan tests that need real Erlang: compile test/interop/lib_chan_peer.erl once,
// run `erl -noshell -eval ...`, start a long-running peer server, find free ports.

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export const HAVE_ERL = spawnSync('erl', ['-version'], { stdio: 'ignore' }).status === 0;

let peerDir: string | undefined;

/** The directory holding lib_chan_peer.beam (compiled on first use). */
export function peerBeamDir(): string {
  if (peerDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'lib_chan_peer-'));
    execFileSync('erlc', ['-o', dir, join(HERE, 'lib_chan_peer.erl')]);
    peerDir = dir;
  }
  return peerDir;
}

/** Run `expr` (ending in halt()) on real Erlang with the peer module loaded; its stdout. */
export function runErl(expr: string, timeoutMs = 20000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('erl', ['-noshell', '-pa', peerBeamDir(), '-eval', expr], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`erl timed out; output so far:\n${out}`));
    }, timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** Start the peer's lib_chan server on `port`; resolves once it listens. */
export async function startErlServer(port: number): Promise<{ output: () => string; waitFor: (s: string) => Promise<void>; stop: () => void }> {
  const child: ChildProcess = spawn('erl', ['-noshell', '-pa', peerBeamDir(), '-eval', `lib_chan_peer:server(${port}).`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const waitFor = (s: string, timeoutMs = 15000) =>
    new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        if (out.includes(s)) return resolve();
        if (child.exitCode !== null || Date.now() > deadline) return reject(new Error(`erl server: no "${s}"; output:\n${out}`));
        setTimeout(check, 20);
      };
      check();
    });
  await waitFor('listening');
  return { output: () => out, waitFor, stop: () => void child.kill('SIGKILL') };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
