// Module init (erts's init, the part a program talks to): the command line as init:get_arguments/0
// and init:get_plain_arguments/0 show it, and init:stop/0,1.
//
// init:stop is asynchronous, as in erl: it answers ok at once, and the node halts when the system
// has settled (no process left to run: the shell has printed the result and waits for its next
// line, a -eval has finished), or after STOP_GRACE_MS at the latest when something keeps running
// (erl's init would kill it). So `q().` prints `ok`, the next prompt, and the node is gone.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { Atom, List, NIL, Term, atom, list, tuple, OK } from '../../vm/term.js';
import { erlError } from '../../vm/exception.js';
import { defineBif } from '../../vm/bif_registry.js';
import { node } from '../../vm/node.js';
import { runQueueLength, stopScheduling } from '../../vm/scheduler.js';
import { str } from '../common.js';
import { terlRoot } from '../kernel/code.js';

const MOD = 'init';

/** The parts of the command line (src/flags.ts's Flags) that init shows. */
export interface BootArguments {
  sname?: string;
  name?: string;
  setcookie?: string;
  noshell: boolean;
  pa: readonly string[];
  pz: readonly string[];
  kernel: readonly (readonly [string, string])[];
  connectAll: boolean;
  hidden: boolean;
  remsh?: string;
  /** everything after -extra */
  extra: readonly string[];
  loader?: string;
  hosts?: readonly string[];
  id?: string;
  config?: readonly string[];
}

let boot: BootArguments = { noshell: false, pa: [], pz: [], kernel: [], connectAll: true, hidden: false, extra: [] };

/** A kernel parameter given on the command line (-kernel Par Val), as its text. */
export function kernelParameter(name: string): string | undefined {
  let v: string | undefined;
  for (const [k, val] of boot.kernel) if (k === name) v = val;
  return v;
}

/** The -config files given on the command line. */
export function bootConfigFiles(): readonly string[] {
  return boot.config ?? [];
}

/** Called by the worker with the parsed command line. */
export function setBootArguments(args: BootArguments): void {
  boot = args;
}

/**
 * The flags as {Flag, [Value]} pairs in erl's order: the emulator's own (root, bindir, progname,
 * home), then the user's flags. -eval, -s, -run and -extra are not among them: init consumes those.
 */
function argumentPairs(): [string, string[]][] {
  const root = terlRoot();
  const pairs: [string, string[]][] = [
    ['root', [root]],
    ['bindir', [join(root, 'bin')]],
    ['progname', ['terl']],
    ['home', [process.env.HOME ?? homedir()]],
  ];
  if (boot.noshell) pairs.push(['noshell', []]);
  if (boot.sname !== undefined) pairs.push(['sname', [boot.sname]]);
  if (boot.name !== undefined) pairs.push(['name', [boot.name]]);
  if (boot.setcookie !== undefined) pairs.push(['setcookie', [boot.setcookie]]);
  if (boot.pa.length > 0) pairs.push(['pa', [...boot.pa]]);
  if (boot.pz.length > 0) pairs.push(['pz', [...boot.pz]]);
  if (boot.hidden) pairs.push(['hidden', []]);
  if (!boot.connectAll) pairs.push(['connect_all', ['false']]);
  if (boot.config !== undefined && boot.config.length > 0) pairs.push(['config', [...boot.config]]);
  if (boot.kernel.length > 0) pairs.push(['kernel', boot.kernel.flatMap(([k, v]) => [k, v])]);
  if (boot.remsh !== undefined) pairs.push(['remsh', [boot.remsh]]);
  if (boot.loader !== undefined) pairs.push(['loader', [boot.loader]]);
  if (boot.hosts !== undefined && boot.hosts.length > 0) pairs.push(['hosts', [...boot.hosts]]);
  if (boot.id !== undefined) pairs.push(['id', [boot.id]]);
  return pairs;
}

const def = (name: string, arity: number, impl: (...args: Term[]) => Term): void => defineBif(MOD, name, arity, impl);

def('get_arguments', 0, () => list(argumentPairs().map(([flag, values]) => tuple(atom(flag), list(values.map(str))))));

def('get_argument', 1, (flag) => {
  if (!(flag instanceof Atom)) return atom('error');
  const values = argumentPairs()
    .filter(([f]) => f === flag.name)
    .map(([, vs]) => list(vs.map(str)));
  return values.length === 0 ? atom('error') : tuple(OK, list(values));
});

def('get_plain_arguments', 0, () => list(boot.extra.map(str)));

def('get_status', 0, () => tuple(atom('started'), atom('started')));

// ---------- stopping ----------

/** How long a node that never settles keeps running after init:stop. */
const STOP_GRACE_MS = 2000;
let stopping = false;

/** Halt the node with `status` once no process is left to run. */
export function stopWhenSettled(status: number | string): void {
  if (stopping) return;
  stopping = true;
  const deadline = Date.now() + STOP_GRACE_MS;
  const check = () => {
    if (runQueueLength() === 0 || Date.now() >= deadline) {
      node.onHalt(status);
      stopScheduling();
    } else setTimeout(check, 1);
  };
  // a macrotask later: the caller's reply and what it prints are queued by then
  setTimeout(check, 0);
}

function stopStatus(s: Term): number | string | undefined {
  if (typeof s === 'number' && Number.isInteger(s) && s >= 0) return s;
  let text = '';
  let l = s;
  for (; l instanceof List; l = l.tail) {
    if (typeof l.head !== 'number' || !Number.isInteger(l.head) || l.head < 0) return undefined;
    text += String.fromCodePoint(l.head);
  }
  return l === NIL ? text : undefined;
}

def('stop', 0, () => {
  stopWhenSettled(0);
  return OK;
});

def('stop', 1, (s) => {
  const status = stopStatus(s);
  // init:stop/1 fails with the arity in its frame, as OTP's does
  if (status === undefined) throw erlError(atom('badarg'), list([tuple(atom(MOD), atom('stop'), 1, NIL)]));
  stopWhenSettled(status);
  return OK;
});

def('reboot', 0, () => {
  stopWhenSettled(0);
  return OK;
});
