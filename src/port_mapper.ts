// The port mapper a node of this process serves when none answers (runtime/distribution/epmd_host.ts),
// on the main thread: it only draws the terminal, so it answers `epmd -names` and PORT_PLEASE2 at
// once however busy the node's thread is (a process spinning, a long BIF, a compile: with one
// process spinning and another sorting three million integers, a port mapper on the node's thread
// kept `epmd -names` waiting for tens of seconds; here it answers in a few ms), and it owns
// the process's exit, which is when the port mapper is handed on if nodes of other processes are
// registered with it: to those nodes when they are all terl nodes (they are told to take it over,
// and one of them serves it in its own process as this one did), else to a daemon.
//
// Every way terl leaves goes through process.exit (halt, q(), init:stop, the end of -eval, SIGTERM's
// shutdown, the BREAK menu's abort, SIGQUIT, the terminal UI closing), so while a port mapper is
// served here, process.exit first lets it hand over. SIGHUP, which ends terl as it ends erl, is
// caught for the same reason and raised again once the hand-over is done. SIGKILL cannot be caught:
// the port mapper then dies with the process (see epmd_host.ts).

import type { NodeLink } from './bridge.js';
import { hostPortMapper } from '../runtime/distribution/epmd_host.js';
import type { HostedPortMapper } from '../runtime/distribution/epmd_host.js';
import type { PortMapperLeaving } from '../runtime/distribution/epmd_takeover.js';

let hosted: Promise<HostedPortMapper | undefined> | undefined;
/** this process's nodes' registrations, reported before or after the port mapper started */
const own: number[] = [];
let exitHeld = false;

/** Answer a node's requests to serve the port mapper, and hear of its registrations. */
export function servePortMapper(link: NodeLink): void {
  link.onMessage((m) => {
    if (m.t === 'port_mapper') {
      void serve(m.last === undefined ? undefined : { last: m.last }).then(
        () => link.post({ t: 'port_mapper_served', id: m.id }),
        (e: Error) => link.post({ t: 'port_mapper_served', id: m.id, error: e.message }),
      );
    } else if (m.t === 'port_mapper_own') {
      own.push(m.localPort);
      void hosted?.then((h) => h?.ownRegistration(m.localPort));
    }
  });
}

async function serve(leaving?: PortMapperLeaving): Promise<void> {
  // KILL_REQ (`epmd -kill`) ends it; the nodes go on, and a later node serves one again
  hosted ??= hostPortMapper(process.env, () => (hosted = undefined), leaving);
  const h = await hosted;
  if (h === undefined) {
    // another process's port mapper got the port first: it serves us too
    hosted = undefined;
    return;
  }
  for (const p of own) h.ownRegistration(p);
  holdExit();
}

/** Hand the port mapper over (when other processes' nodes use it) before the process ends. */
async function leave(): Promise<void> {
  const h = await hosted;
  hosted = undefined;
  await h?.leave();
}

function holdExit(): void {
  if (exitHeld) return;
  exitHeld = true;
  const exit = process.exit.bind(process);
  let leaving = false;
  process.exit = ((code?: number | string | null) => {
    // a second exit while the first hands over changes nothing: the first one ends the process
    if (leaving) return;
    leaving = true;
    void leave().finally(() => exit(code));
  }) as typeof process.exit;
  process.once('SIGHUP', () => {
    void leave().finally(() => process.kill(process.pid, 'SIGHUP'));
  });
}
