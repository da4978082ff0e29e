// What a process holds outside its heap and must give back when it dies: ports (sockets, external
// programs), and anything else with an owner (ets tables). The signal layer calls releaseAll as a
// process dies; a resource that ends earlier drops itself with letGo.

import type { Term } from './term.js';
import type { Process } from './process.js';

export interface Resource {
  /** its owner died with `reason`: let go of whatever the resource holds */
  ownerDied(reason: Term): void;
}

const held = new WeakMap<Process, Set<Resource>>();

/** `owner` holds r from now on. */
export function hold(owner: Process, r: Resource): void {
  let set = held.get(owner);
  if (set === undefined) held.set(owner, (set = new Set()));
  set.add(r);
}

/** `owner` no longer holds r (it was closed, or given to another process). */
export function letGo(owner: Process, r: Resource): void {
  held.get(owner)?.delete(r);
}

/** What p holds now. */
export function resourcesOf(p: Process): Resource[] {
  const set = held.get(p);
  return set === undefined ? [] : [...set];
}

/** p died: each of its resources is told, in the order p took them. */
export function releaseAll(p: Process, reason: Term): void {
  const set = held.get(p);
  if (set === undefined) return;
  held.delete(p);
  for (const r of set) {
    try {
      r.ownerDied(reason);
    } catch (e) {
      // one resource failing to close must not keep the others open, nor stop the dying process
      console.error('terl: internal error while releasing a resource:', e);
    }
  }
}
