// A node that talks to other nodes has its code tiered up sooner by V8. Every message between
// nodes runs a long chain of functions once (framing, the external term format both ways,
// dispatch, spawn and exit for each rpc:call), and each of them starts in V8's interpreter and
// waits for its own budget before it is compiled: a fresh pair of nodes made its first 5-7k calls
// at a quarter of its later speed. From the first connection on, functions compiled from then on
// start as baseline code (Sparkplug) and the optimising compiler is asked for after an eighth of
// the usual budget. A node that never connects keeps V8's defaults: its start and its local
// message passing measured no better with these.
//
// V8's flags are the process's: the cluster window's nodes (workers of one process) share them.

import { setFlagsFromString } from 'node:v8';

const FLAGS = ['--always-sparkplug', '--interrupt-budget=8192'];

let set = false;

/** The node's first connection is up: tier its code up sooner from now on. */
export function tierUpSooner(): void {
  if (set) return;
  set = true;
  // the build's node writes V8's code cache as it halts: the cache holds the flags it was written
  // under, and a fresh node (with V8's defaults) would refuse it
  if (process.env.TERL_WRITE_CODE_CACHE) return;
  for (const f of FLAGS) setFlagsFromString(f);
}
