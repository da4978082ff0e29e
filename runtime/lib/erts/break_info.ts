// What the BREAK menu (Ctrl-C) prints for (p)roc info, (l)oaded, (k)ill, (D)b-tables and
// (d)istribution, in the shape erl's emulator prints them (erts break.c). terl's processes have no
// BEAM heap or stack to dump, so a process shows what terl knows of it: state, name, how it was
// spawned and by whom, its queue, links, reductions, a size estimate, and the function it is in.

import { Atom, Pid, Term, atom } from '../../vm/term.js';
import { node } from '../../vm/node.js';
import { exitSignal } from '../../vm/signals.js';
import { codeServer } from '../../vm/code_server.js';
import { RUNNABLE, RUNNING, WAITING, SUSPENDED, type Process } from '../../vm/process.js';
import { writeTerm } from '../stdlib/format/term.js';
import { getHeapCodeStatistics } from 'node:v8';
import { statSync } from 'node:fs';

function state(p: Process): string {
  if (p.pendingExit !== undefined) return 'Exiting';
  switch (p.status) {
    case RUNNING:
      return 'Running';
    case RUNNABLE:
      return 'Scheduled';
    case WAITING:
    case SUSPENDED:
      return 'Waiting';
    default:
      return 'Exiting';
  }
}

function mfa(t: Term): string {
  return writeTerm(t).replace(/^\{(.*),(.*),(\d+)\}$/, '$1:$2/$3');
}

/** One process, as `=proc:<0.0.0>` and its lines. */
export function procText(p: Process): string {
  const w = p.waitingIn;
  const current = w === undefined ? mfa(p.initialCall) : `${w.module.name}:${writeTerm(w.name)}/${w.arity}`;
  let s = `=proc:${writeTerm(p.pid)}\n`;
  s += `State: ${state(p)}\n`;
  if (p.registeredName !== undefined) s += `Name: ${writeTerm(p.registeredName)}\n`;
  s += `Spawned as: ${mfa(p.initialCall)}\n`;
  s += `Spawned by: ${p.parent === undefined ? '[]' : writeTerm(p.parent)}\n`;
  s += `Message queue length: ${p.mailbox.length}\n`;
  if (p.links !== undefined && p.links.size > 0) s += `Link list: [${[...p.links.values()].map((l) => writeTerm(l)).join(', ')}]\n`;
  s += `Reductions: ${p.reductions}\n`;
  s += `Stack+heap: ${233 + 3 * p.mailbox.length + 5 * (p.dict?.size ?? 0)}\n`;
  s += 'Stack dump:\n';
  s += `Program counter: ${current}\n`;
  return s;
}

/** (p)roc info: every process, oldest first. */
export function allProcsText(): string {
  return procs().map(procText).join('');
}

function procs(): Process[] {
  return [...node.processes()].sort((a, b) => a.pid.serial - b.pid.serial || a.pid.id - b.pid.id);
}

/** (k)ill walks the processes newest first, as erl does. */
export function killList(): { pid: string; text: string }[] {
  return procs()
    .reverse()
    .map((p) => ({ pid: writeTerm(p.pid), text: procText(p) }));
}

/** (k)ill's answer k: the process is killed. */
export function killByText(pidText: string): void {
  const p = node.processes().find((x) => writeTerm(x.pid) === pidText);
  if (p !== undefined) exitSignal(p.pid, p, atom('kill'), false);
}

/** (l)oaded: the code size, then each module and its size (its source's, for compiled modules). */
export function loadedText(): string {
  const code = getHeapCodeStatistics();
  let s = `Current code: ${code.code_and_metadata_size + code.bytecode_and_metadata_size}\nOld code: 0\n`;
  for (const m of codeServer.loaded()) s += `${m.name} ${moduleSize(m)}\n`;
  return s;
}

function moduleSize(m: Atom): number {
  const file = codeServer.which(m);
  if (file === undefined || file === 'preloaded') return 0;
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

type EtsInfo = () => { owner: Pid; name: Atom; id: Term; type: Atom; objects: number; words: number }[];
let etsTables: EtsInfo = () => [];

/** The ets module lists its tables for (D)b-tables. */
export function setEtsTables(f: EtsInfo): void {
  etsTables = f;
}

/** (D)b-tables: each ETS table. */
export function dbTablesText(): string {
  return etsTables()
    .map((t) => `=ets:${writeTerm(t.owner)}\nTable: ${writeTerm(t.id)}\nName: ${writeTerm(t.name)}\nObjects: ${t.objects}\nWords: ${t.words}\nType: ${writeTerm(t.type)}\n`)
    .join('');
}

/** (d)istribution: this node, and the nodes it is connected to. */
export function distributionText(): string {
  let s = `=node:'${node.name.name}'\n`;
  if (node.dist === undefined) return s + '=no_distribution\n';
  const visible = node.dist.nodes?.('visible') ?? [];
  const hidden = node.dist.nodes?.('hidden') ?? [];
  visible.forEach((n, i) => (s += `=visible_node:${i + 1}\nName: '${n.name}'\n`));
  hidden.forEach((n, i) => (s += `=hidden_node:${i + 1}\nName: '${n.name}'\n`));
  return s;
}
