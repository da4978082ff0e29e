// Module os: environment, time, OS identity, and os:cmd (run through /bin/sh; it blocks the node
// while the command runs, as a port would block only the caller: fine for short commands).

import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { release } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Atom, List, NIL, Term, atom, normInt, tuple, TRUE, FALSE } from '../../vm/term.js';
import { badarg } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { chardataString, str } from '../common.js';
import { convertTime, timestampTuple, unitsPerSecond } from '../erts/time.js';

const OS = 'os';
const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(OS, name, arity, impl);

function text(name: string, args: Term[], t: Term): string {
  const s = t instanceof Atom ? t.name : chardataString(t);
  if (s === undefined) throw badarg(OS, name, args);
  return s;
}

def('getenv', 0, () => listOf(Object.entries(process.env).map(([k, v]) => str(`${k}=${v ?? ''}`))));
def('getenv', 1, (n) => {
  const v = process.env[text('getenv', [n], n)];
  return v === undefined ? FALSE : str(v);
});
def('getenv', 2, (n, d) => {
  const v = process.env[text('getenv', [n, d], n)];
  return v === undefined ? d : str(v);
});
def('putenv', 2, (n, v) => {
  process.env[text('putenv', [n, v], n)] = text('putenv', [n, v], v);
  return TRUE;
});
def('unsetenv', 1, (n) => {
  delete process.env[text('unsetenv', [n], n)];
  return TRUE;
});
def('env', 0, () => listOf(Object.entries(process.env).map(([k, v]) => tuple(str(k), str(v ?? '')))));

function listOf(xs: readonly Term[]): Term {
  let l: Term = NIL;
  for (let i = xs.length - 1; i >= 0; i--) l = new List(xs[i], l);
  return l;
}

function nowNs(): bigint {
  const ms = performance.timeOrigin + performance.now();
  return BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.floor((ms % 1) * 1e6));
}

def('timestamp', 0, () => timestampTuple(nowNs() / 1000n));
def('system_time', 0, () => normInt(nowNs()));
def('system_time', 1, (u) => {
  const per = unitsPerSecond(u);
  if (per === undefined) throw badarg(OS, 'system_time', [u], { 1: 'invalid time unit' });
  return normInt(convertTime(nowNs(), 1_000_000_000n, per));
});
def('perf_counter', 0, () => normInt(process.hrtime.bigint()));
def('perf_counter', 1, (u) => {
  const per = unitsPerSecond(u);
  if (per === undefined) throw badarg(OS, 'perf_counter', [u], { 1: 'invalid time unit' });
  return normInt(convertTime(process.hrtime.bigint(), 1_000_000_000n, per));
});

def('type', 0, () => {
  if (process.platform === 'win32') return tuple(atom('win32'), atom('nt'));
  return tuple(atom('unix'), atom(process.platform));
});
def('version', 0, () => {
  // the kernel release, e.g. "6.1.0-13-amd64" -> {6,1,0}
  const [a, b, c] = release().split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  return tuple(a ?? 0, b ?? 0, c ?? 0);
});

def('getpid', 0, () => str(String(process.pid)));

def('cmd', 1, (c) => {
  const command = text('cmd', [c], c);
  try {
    return str(execSync(command, { encoding: 'utf8', shell: '/bin/sh', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    // a failing command still gives its output, as os:cmd does
    const err = e as { stdout?: string; stderr?: string };
    return str((err.stdout ?? '') + (err.stderr ?? ''));
  }
});
def('cmd', 2, (c, _opts) => {
  const command = text('cmd', [c, _opts], c);
  try {
    return str(execSync(command, { encoding: 'utf8', shell: '/bin/sh', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return str((err.stdout ?? '') + (err.stderr ?? ''));
  }
});

def('find_executable', 1, (n) => {
  const name = text('find_executable', [n], n);
  if (name.includes('/')) return existsSync(name) ? str(name) : FALSE;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) return str(p);
    } catch {
      // not here
    }
  }
  return FALSE;
});

