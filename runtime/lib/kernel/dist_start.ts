// Starting distribution at boot, as erl's kernel does for -sname / -name: the node gets its name,
// listens, registers with EPMD; what erl prints and how it exits when that fails.

import { netKernel } from '../../distribution/net_kernel.js';
import { distOptionsFromFlags, DistStartError, type DistOptions } from '../../distribution/node_name.js';
import { node } from '../../vm/node.js';

export interface DistFlags {
  sname?: string;
  name?: string;
  setcookie?: string;
  hidden: boolean;
  connectAll: boolean;
  kernel: [string, string][];
}

/** Start distribution: resolves once the node has its name. */
export function startDistribution(o: DistOptions): Promise<void> {
  return netKernel.start(o);
}

/**
 * Start distribution for the command line's flags, if they ask for it. False when it failed: the
 * error was written as erl writes it (its reports on standard error, the "Kernel pid terminated"
 * line on standard output) and the node halts with status 1.
 */
export async function startDistributionFromFlags(
  flags: DistFlags,
  write: (text: string) => void,
  writeError: (text: string) => void = write,
): Promise<boolean> {
  const o = distOptionsFromFlags(flags);
  if (o === undefined) return true;
  try {
    await startDistribution(o);
    return true;
  } catch (e) {
    if (e instanceof DistStartError) {
      writeError(e.text);
      if (e.stdout !== '') write(e.stdout);
    } else {
      writeError(`terl: distribution failed to start: ${(e as Error).message}\n`);
    }
    node.onHalt(1);
    return false;
  }
}
