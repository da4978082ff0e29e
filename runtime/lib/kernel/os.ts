// Module os: environment, time and OS identity (os:cmd is runtime/lib/kernel/os_cmd.ts, on a port).

import { statSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Atom, List, NIL, Term, atom, normInt, tuple, TRUE, FALSE, OK } from '../../vm/term.js';
import { badarg } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { chardataString, errorAt, libFrame, str } from '../common.js';
import { convertTime, timestampTuple, unitsPerSecond } from '../erts/time.js';

const OS = 'os';
const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(OS, name, arity, impl);

/** An environment variable's name or value: a string (erl's BIFs take no atoms here). */
function text(name: string, args: Term[], t: Term): string {
  const s = t instanceof List || t === NIL ? chardataString(t) : undefined;
  if (s === undefined) {
    const n = args.indexOf(t) + 1;
    throw badarg(OS, name, args, { [n]: 'not a list' });
  }
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
  const name = text('putenv', [n, v], n);
  const value = text('putenv', [n, v], v);
  if (name.includes('=')) throw badarg(OS, 'putenv', [n, v], { 1: '"=" characters is not allowed in environment variable names' });
  process.env[name] = value;
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

// find_executable/1,2 and set_signal/2: os.erl's, so a wrong argument fails where it fails there
def('find_executable', 1, (n) => findExecutable(n, str(process.env.PATH ?? '')));
def('find_executable', 2, (n, path) => findExecutable(n, path));

/** The first Dir/Name along the path that is a regular file someone may execute, or false. */
function findExecutable(n: Term, path: Term): Term {
  const where = libFrame(OS, 'find_executable', 2, 168);
  const name = n instanceof Atom ? n.name : chardataString(n);
  if (name === undefined) throw errorAt(atom('function_clause'), libFrame('filename', 'pathtype', [n], 578), where);
  const candidates: string[] = [];
  if (name.startsWith('/')) candidates.push(name);
  else {
    const dirs = path instanceof List || path === NIL ? chardataString(path) : undefined;
    if (dirs === undefined) throw errorAt(atom('function_clause'), libFrame(OS, 'split_path', [path, 58, NIL, NIL], 232), libFrame(OS, 'find_executable', 2, 170));
    for (const dir of dirs.split(':')) if (dir !== '' && name !== '') candidates.push(join(dir, name));
  }
  for (const file of candidates) {
    try {
      const st = statSync(file);
      if (st.isFile() && (st.mode & 0o111) !== 0) return str(file);
    } catch {
      // not here
    }
  }
  return FALSE;
}

const SIGNALS = ['sighup', 'sigquit', 'sigabrt', 'sigalrm', 'sigterm', 'sigusr1', 'sigusr2', 'sigchld', 'sigstop', 'sigtstp'];
const SIGNAL_OPTIONS = ['default', 'handle', 'ignore'];

// The node's signals are the terminal's (the main thread's): what erl's own set_signal changes
// (SIGTERM's shutdown, SIGHUP's end) stays as it is; the arguments are checked as erl checks them.
def('set_signal', 2, (sig, opt) => {
  if (!(sig instanceof Atom) || !SIGNALS.includes(sig.name)) throw badarg(OS, 'set_signal', [sig, opt], { 1: 'invalid signal name' });
  if (!(opt instanceof Atom) || !SIGNAL_OPTIONS.includes(opt.name)) throw badarg(OS, 'set_signal', [sig, opt], { 2: 'invalid signal handling option' });
  return OK;
});
