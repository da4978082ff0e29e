// Module os: environment, time and OS identity (os:cmd is runtime/lib/kernel/os_cmd.ts, on a port).

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

