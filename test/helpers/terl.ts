// Run the real `terl` binary in a child process, as a user would from a pipe.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TERL = join(ROOT, 'bin', 'terl.js');

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Pipe `input` into `terl args...` and collect everything it prints until it exits. */
export function runTerl(
  args: string[],
  input = '',
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TERL, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`terl ${args.join(' ')} timed out; stdout so far:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 20000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(input);
  });
}

/** Start terl and keep it running (for multi-node tests); kill it with stop(). */
export function startTerl(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): {
  child: ChildProcess;
  output: () => string;
  send: (line: string) => void;
  waitFor: (text: string | RegExp, timeoutMs?: number) => Promise<string>;
  stop: () => Promise<void>;
} {
  const child = spawn(process.execPath, [TERL, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const waitFor = (text: string | RegExp, timeoutMs = 15000) =>
    new Promise<string>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        const hit = typeof text === 'string' ? out.includes(text) : text.test(out);
        if (hit) return resolve(out);
        if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${String(text)}; output:\n${out}`));
        setTimeout(check, 20);
      };
      check();
    });
  return {
    child,
    output: () => out,
    send: (line) => child.stdin!.write(line + '\n'),
    waitFor,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
